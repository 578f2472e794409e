"""The box's whole behaviour: parse each input, route, gate the clock, track notes, merge outputs."""

from thruway.midi import (
    MYPY,
    LENGTH,
    NOTE_OFF,
    NOTE_ON,
    CONTROL_CHANGE,
    PROGRAM_CHANGE,
    POLYTOUCH,
    SYSEX,
    SONG_POSITION,
    END_OF_EXCLUSIVE,
    UNDEFINED_F4,
    UNDEFINED_F5,
    CLOCK,
    UNDEFINED_F9,
    START,
    CONTINUE,
    STOP,
    UNDEFINED_FD,
    ACTIVE_SENSING,
    CC_SUSTAIN,
    CC_ALL_NOTES_OFF,
    N_INPUTS,
    N_OUTPUTS,
    OUT_USB,
    ALL_OUTPUTS,
    TICKS_MAX,
    ticks_diff,
    const,
)
from thruway.output import (
    Output,
    Queues,
    QUEUE_BYTES,
    QUEUE_MASK,
    REALTIME_BYTES,
    REALTIME_MASK,
    DROP_REALTIME,
    SOURCE_CORE,
    RESERVE_DROPPABLE,
    RESERVE_OTHER,
    RESERVE_SYSEX_END,
    DROP_DROPPABLE,
    DROP_NOTE_ON,
    DROP_NOTE_OFF,
    DROP_OTHER,
    DROP_SYSEX,
    DROP_SYSEX_CUT,
    DROP_PEDAL_MODE,
    OWED_MOST,
)

if MYPY:
    from typing import Any
from thruway.routes import CLOCK_AUTO, CLOCK_INTERNAL, CLOCK_FOLLOWS_ROUTES, OUT_OF_MIDI, VELOCITY, Tables, default_settings

# Counters kept per input.
IN_MESSAGES = const(0)  # whole messages read (realtime included)
IN_STRAY = const(1)  # data bytes with no status to belong to
IN_UNDEFINED = const(2)  # F4, F5, F9, FD and the data after F4/F5
IN_INCOMPLETE = const(3)  # messages abandoned by a status byte before their last data byte
IN_SYSEX_UNTERMINATED = const(4)  # SysEx ended by a status byte other than F7
IN_SYSEX_TIMEOUT = const(5)  # SysEx closed because the input fell silent
IN_ORPHAN_NOTE_OFF = const(6)  # Note Off, on a channel a route takes, for no note sounding
IN_CLOCK_DROPPED = const(7)  # clock and transport from an input that is not the master
IN_SENSING_DROPPED = const(8)  # Active Sensing filtered
IN_RESET_DROPPED = const(9)  # System Reset (FF) filtered
IN_SENSING_LOST = const(10)  # the input stopped its Active Sensing: its notes were released
IN_STRIKES_ENDED = const(11)  # a key struck a ninth time unreleased: one strike was ended first
IN_OUT_OF_RANGE = const(12)  # a note transposed outside 0-127, not sent
IN_SCENE_SWITCHES = const(13)  # Program Changes that switched scene
IN_LOOP_STOPPED = const(14)  # the box's own Note Ons came back here: the routes to its output stopped
N_IN_COUNTERS = const(15)
IN_COUNTER_NAMES = (
    "messages",
    "stray",
    "undefined",
    "incomplete",
    "sysex_unterminated",
    "sysex_timeout",
    "orphan_note_off",
    "clock_dropped",
    "sensing_dropped",
    "reset_dropped",
    "sensing_lost",
    "strikes_ended",
    "out_of_range",
    "scene_switches",
    "loop_stopped",
)

SENSING_SILENCE_MS = const(330)  # the 300 ms Active Sensing promise, plus a byte time of slack
SENSING_RELEASE_MS = const(5000)  # a merger frees the Active Sensing pass after this silence
NOTE_OFF_VELOCITY = const(0x40)
# A held table's byte per (channel << 7 | note): the outputs the note sounds on (bits 0-4)
# and, above them, how many more times than once the key was struck before its release
# (0-7): each strike passed is owed a Note Off on each of those outputs.
HELD_OUTPUTS = const(0x1F)
HELD_ONE = const(0x20)
HELD_MOST = const(0xE0)  # eight strikes sounding (and the mask of the count's bits)
# Counters wrap here, checked once a second by tick(): a CircuitPython int above 2**30 is
# an object on the heap, and the box may run for weeks.
COUNTER_WRAP = const(1 << 29)
# The box's own clock: a tick that finds it this late starts it again from now rather than
# sending a burst of clocks.
CLOCK_RESYNC_MS = const(100)
CLOCK_SPAN = const(250000)  # 60000 ms * 100 / 24 clocks a beat
INTERNAL = const(3)  # index of the box's own clock beside the inputs in the clock tables
EMPTY = b""
NO_SCENES = (-1,) * N_INPUTS  # per input, the Program Change status that switches scene
SWITCH_ONLY = bytes((7, 0))  # a routing pair for no output (outputs are 0-4)
# The loop guard: a Note On the box sent an output, back on the input of the same name within
# ECHO_MS, ECHO_STREAK times more often than not, is an instrument echoing the box (soft thru).
ECHO_MS = const(20)
ECHO_STREAK = const(8)
WRAP_CHECK_MS = const(200)  # one input or output a check: each every 1.6 s


_SILENT = bytes(128)  # a channel of a held table with no note sounding


def sounding_keys(held):
    """The (channel << 7 | note) keys with a note sounding in a held table, found a channel
    at a time, so that settings changes and panic stay quick: comparing a channel's 128 bytes
    runs in C as one memcmp (any() over the table makes an object of each byte: 3 ms on the
    board, measured on the rig, and a settings change looks at every input's twice)."""
    keys = []  # type: list
    view = memoryview(held)
    for ch in range(16):
        if view[ch * 128 : ch * 128 + 128] != _SILENT:
            for key in range(ch * 128, ch * 128 + 128):
                if held[key]:
                    keys.append(key)
    return keys


class Core:
    """Thruway's core. Bytes and times (ms, wrapping like supervisor.ticks_ms) in, bytes out.

    receive(port, buf, n, now) feeds an input; transmit(out, buf, room) takes an output's next
    bytes; tick(now) runs timeouts; apply(settings) swaps the routing; panic() silences."""

    def __init__(self, settings=None, collect=None):
        self.queues = qs = Queues()
        self.outputs = [Output(qs, o, o == OUT_USB) for o in range(N_OUTPUTS)]
        self.transmits = [output.transmit for output in self.outputs]
        # What the hot path writes, in one tuple it unpacks at once.
        self.hot = (qs.buf, qs.head, qs.count, qs.deepest, qs.rt, qs.rt_head, qs.rt_count, qs, qs.owed)
        # One MIDI reading state machine per input.
        # Per input, in one list (indexes are cheaper than attributes on the board):
        # [status of the message being read (running status; 0: none), data bytes of it read
        # so far, its first data byte, inside a SysEx, after F4/F5 (data belongs to nothing)].
        self.reading = [[0, 0, 0, False, False] for _ in range(N_INPUTS)]
        self.sysex_to = [0] * N_INPUTS  # outputs the SysEx in progress is going to
        self.last_rx = [0] * N_INPUTS
        self.counters = [0] * (N_INPUTS * N_IN_COUNTERS)
        # Where each input's sounding notes went: per input, per (channel << 7 | note), a mask
        # of outputs and a count of strikes (HELD_OUTPUTS, HELD_ONE).
        self.held = [bytearray(2048) for _ in range(N_INPUTS)]
        # Per input and channel, the outputs a sustain pedal down went to (each owed a pedal up).
        self.sustain = bytearray(N_INPUTS * 16)
        self.deferred = [[] for _ in range(N_INPUTS)]  # type: list # Note Offs waiting for a SysEx to end
        self.clock_master = -1
        self.clock_ok = [True] * N_INPUTS  # per input, its clock passes by the hot path
        self.clock_divide = None  # type: Any
        self.clock_phase = None  # type: Any # per divided output, master clocks since its last clock, mod N
        self.clock_tempo = 0  # the box's own clock: its tempo in hundredths of a BPM (0: off)
        self.clock_units(1)  # clock_due, clock_frac: when the next clock is due
        self.transport = -1
        self.song_position_zero = [False] * N_INPUTS
        self.sensing_owner = -1
        self.sensing_last = 0
        self.sensing_seen = [False] * N_INPUTS
        self.wrap_checked = 0
        self.wrap_part = 0  # which input's or output's counters the next wrap check looks at
        self.releasing = 0  # bit per input whose notes are being released as room allows
        self.settings = None  # type: Any
        self.tables = None  # type: Any
        self.loops = 0  # outputs whose routes the loop guard stopped
        self.loop_from = [-1] * N_OUTPUTS  # ...and per output, the input its echo came back on
        self.echo_out = [-1] * N_INPUTS  # per input, the output of the same name it is watched for
        self.echo_last = [0] * N_OUTPUTS  # per watched output, the last Note On sent (status, key, velocity)
        self.echo_time = [0] * N_OUTPUTS  # ...and when
        self.echo_streak = [0] * N_INPUTS
        self.scene = -1
        # Per input, per (channel << 7 | key), the velocity the key was first struck at: only
        # for inputs whose routes have velocity layers (None for the others).
        self.struck = [None] * N_INPUTS  # type: list
        self.apply(settings if settings is not None else default_settings(), collect=collect)

    # ---- settings ---------------------------------------------------------------------

    def apply(self, settings, scene=-1, collect=None, between=None):
        """Route by `settings` from now on (with scenes, by its scene number `scene`; -1: the
        scene of the same name as now, else the first). Routes the loop guard stopped run
        again. Returns the Note Offs owed to sounding notes whose route changed, as (output,
        bytes) pairs; they are already queued. `collect` (the board's gc.collect) is called
        between the inputs' tables as they are made; `between`, if given, often while they are
        made (the running board serves MIDI there, by receive() and transmit())."""
        # The new tables are made first, beside the old ones: whatever `between` feeds the core
        # meanwhile is routed by the old routing, whole, and the held notes it adds are weighed
        # against the new routing at the swap below, which calls nothing out.
        tables = None
        if settings.scenes:
            self._scene_tables(settings, collect, between)
        else:
            tables = Tables(settings.routes, 0, collect, between=between)
        self.loops = 0
        return self._apply(settings, scene, tables)

    def _apply(self, settings, scene, tables=None):
        """Route by `settings` (scene `scene`) from now on, by `tables` when they are made
        already; else they are made now, without the routes the loop guard stopped."""
        self.scene_status = NO_SCENES
        if settings.scenes:
            tables = self._scene_switch(settings, scene)
        else:
            if tables is None:
                tables = Tables(settings.routes, self.loops)
            self.scene = -1
        owed = []
        old = self.tables
        if old is not None:
            for port in range(N_INPUTS):
                held = self.held[port]
                for key in sounding_keys(held):
                    h = held[key]
                    mask = h & HELD_OUTPUTS
                    status = NOTE_ON | (key >> 7)
                    for out in range(N_OUTPUTS):
                        if (mask >> out) & 1:
                            v = self._velocity(port, key)
                            before = old.rewrites(port, status, out, key & 0x7F, v)
                            if before != tables.rewrites(port, status, out, key & 0x7F, v):
                                # A Note Off goes where its Note On went, as it was sent then
                                # (its channel, its key transposed as it was), one for each strike.
                                for _ in range((h >> 5) + 1):
                                    for st, note in before:
                                        owed.append(self._owe(port, out, NOTE_OFF | (st & 0x0F), note, NOTE_OFF_VELOCITY))
                                mask &= ~(1 << out)
                    held[key] = (h & HELD_MOST) | mask if mask else 0  # the strikes stay counted
                for ch in range(16):
                    mask = self.sustain[port * 16 + ch]
                    for out in range(N_OUTPUTS):
                        if (mask >> out) & 1:
                            before = old.rewrites(port, CONTROL_CHANGE | ch, out)
                            if before != tables.rewrites(port, CONTROL_CHANGE | ch, out):
                                # Likewise a pedal down's pedal up.
                                for st, _ in before:
                                    owed.append(self._owe(port, out, st, CC_SUSTAIN, 0))
                                mask &= ~(1 << out)
                    self.sustain[port * 16 + ch] = mask
        self.settings = settings
        self.tables = tables
        self.channel = tables.channel
        layers = tables.layers
        if settings.scenes:
            # Every scene's layers, from the start: no room is sought mid-song at a switch.
            for scene_tables in settings.scene_tables:
                layers |= scene_tables.layers
        for port in range(N_INPUTS):
            if (layers >> port) & 1 and self.struck[port] is None:
                # Velocity layers: a key's Note Off must take the ways its Note On took, which
                # its velocity chose.
                self.struck[port] = bytearray(2048)
        for output in self.outputs:
            output.running_status = bool((settings.running_status >> output.index) & 1) and not output.whole
            # Panic ends notes on every channel the routing has ever sent this output.
            output.channels_used |= tables.out_channels[output.index]
        # Per input, the outputs its clock, transport and Song Position reach if it is the master.
        self.clock_outputs = [
            tables.reach[port] if settings.clock_outputs == CLOCK_FOLLOWS_ROUTES else settings.clock_outputs
            for port in range(N_INPUTS)
        ]
        # The box's own clock, beside the inputs (index INTERNAL): every output unless `to` says.
        internal = settings.clock_source == CLOCK_INTERNAL
        if not internal:
            self.clock_outputs.append(0)
        else:
            self.clock_outputs.append(ALL_OUTPUTS if settings.clock_outputs == CLOCK_FOLLOWS_ROUTES else settings.clock_outputs)
        self.clock_tempo = settings.tempo if internal else 0
        self.transport = settings.transport if internal else -1
        # Outputs that get every Nth clock go by _divided(); the rest by the hot path.
        divide = settings.clock_divide
        slow = 0
        if divide:
            for o in range(N_OUTPUTS):
                if divide[o] > 1:
                    slow |= 1 << o
            if self.clock_divide != divide:
                self.clock_phase = bytearray(N_OUTPUTS)
        self.clock_divide = divide
        self.clock_to = [
            tuple(o for o in range(N_OUTPUTS) if (self.clock_outputs[port] & ~slow) >> o & 1) for port in range(N_INPUTS + 1)
        ]
        self.divided_to = [
            tuple(o for o in range(N_OUTPUTS) if (self.clock_outputs[port] & slow) >> o & 1) for port in range(N_INPUTS + 1)
        ]
        if settings.clock_source != CLOCK_AUTO:
            self.clock_master = -1
        self.clock_source = settings.clock_source
        self._clock_rule()
        # The loop guard watches each output that has an input of the same name (the same
        # instrument's MIDI IN and OUT) and that routes reach.
        echo = [-1] * N_INPUTS
        watch = 0
        for port in range(N_INPUTS):
            for o in range(N_OUTPUTS):
                if settings.input_names[port].lower() == settings.output_names[o].lower() and self._reached(tables, o):
                    echo[port] = o
                    watch |= 1 << o
        self.echo_out = echo
        # What receive() needs of the routing, per input, in one tuple.
        self.routing = [
            (
                self.held[port],
                tables.channel[port],
                self.clock_to[port],
                self.clock_outputs[port] & ~slow,
                tables.form[port],
                tables.forms,
                self.struck[port],
                echo[port],
                watch,
                self.echo_last,
                self.echo_time,
            )
            for port in range(N_INPUTS)
        ]
        self.sysex_timeout = settings.sysex_timeout_ms
        self.pass_sensing = settings.active_sensing
        self._recount_owed()
        return owed

    def _scene_tables(self, settings, collect=None, between=None):
        """The tables of every scene of `settings`, made once per settings, so that a switch by
        Program Change in the middle of the music only swaps them."""
        scenes = settings.scenes
        if settings.scene_tables is None:
            made = []  # type: list
            for _, _, routes in scenes:
                made.append(self._scene_table(settings, routes, 0, collect, made[0] if made else None, between))
            settings.scene_tables = made
            settings.scene_programs = bytearray(128)
            for i in range(len(scenes)):
                settings.scene_programs[scenes[i][1]] = i + 1

    def _scene_switch(self, settings, scene):
        """The tables of scene `scene` of `settings` (-1: the scene of the same name as now,
        else the first), and the switch armed."""
        self._scene_tables(settings)
        scenes = settings.scenes
        if scene < 0:
            scene = 0
            now = self.scene_name()
            for i in range(len(scenes)):
                if now is not None and scenes[i][0].lower() == now.lower():
                    scene = i
        status = [-1] * N_INPUTS
        status[settings.scene_input] = PROGRAM_CHANGE | settings.scene_channel
        self.scene_status = tuple(status)
        self.scene = scene
        if self.loops:
            # Routes the loop guard stopped: this scene's tables without them.
            return self._scene_table(settings, scenes[scene][2], self.loops)
        return settings.scene_tables[scene]

    def _scene_table(self, settings, routes, blocked, collect=None, like=None, between=None):
        tables = Tables(settings.routes + routes, blocked, collect, like, between)
        channel = tables.channel[settings.scene_input]
        switch = (PROGRAM_CHANGE | settings.scene_channel) - 0x80
        if not channel[switch]:
            # The switching Program Change must reach receive()'s program branch even where
            # no route passes it: a pair for no output.
            channel[switch] = SWITCH_ONLY
        return tables

    def scene_name(self):
        """The name of the scene the box routes by, or None (no scenes)."""
        if self.settings is None or self.scene < 0:
            return None
        return self.settings.scenes[self.scene][0]

    def _switch(self, port, program):
        """A Program Change on the scenes' input and channel: switch to the scene of that
        program (notes that lose their route get their Note Offs, as with new settings)."""
        scene = self.settings.scene_programs[program] - 1
        if scene >= 0 and scene != self.scene:
            self.counters[port * N_IN_COUNTERS + IN_SCENE_SWITCHES] += 1
            self._apply(self.settings, scene)

    def _reached(self, tables, o):
        for port in range(N_INPUTS):
            if (tables.reach[port] >> o) & 1:
                return True
        return False

    def _echo(self, port, o, now):
        """A Note On on an input whose instrument also gets output `o`, the same as the last
        Note On sent to `o`: within ECHO_MS it counts towards a loop (receive() counts other
        Note Ons against). At ECHO_STREAK, the routes to `o` stop (until new settings): True then."""
        streak = self.echo_streak[port]
        if ticks_diff(now, self.echo_time[o]) <= ECHO_MS:
            streak += 1
        elif streak:
            streak -= 1
        self.echo_streak[port] = streak
        if streak < ECHO_STREAK:
            return False
        # A feedback loop: the instrument on `o` echoes what it gets back into `port`. Stop
        # sending it anything (its sounding notes get their Note Offs), and say so.
        self.echo_streak[port] = 0
        self.counters[port * N_IN_COUNTERS + IN_LOOP_STOPPED] += 1
        self.loops |= 1 << o
        self.loop_from[o] = port
        self._apply(self.settings, self.scene)
        return True

    def _velocity(self, port, key):
        """The velocity a sounding key was first struck at (0: not known, no velocity layers)."""
        struck = self.struck[port]
        return struck[key] if struck is not None else 0

    def _owe(self, port, out, status, d1, d2):
        """Queue a Note Off (or pedal up) owed on `out` after whatever `port` already queued
        there, in the room kept for it."""
        msg = bytes((status, d1, d2))
        if (self.sysex_to[port] >> out) & 1:
            # Nothing may enter a SysEx on the wire: send it once the SysEx has ended (its
            # room stays kept until then).
            self.deferred[port].append((out, msg))
            return (out, msg)
        self.queues.owed[(out << 2) | port] -= 3
        if not self.outputs[out].put_owed(port, status, d1, d2):
            self.outputs[out].drops[DROP_NOTE_OFF] += 1
        return (out, msg)

    def _recount_owed(self):
        """Count again, from the held notes, the pedals down and the deferred Note Offs, the
        room each queue keeps for what it owes (after settings changes, panic, releases)."""
        owed = self.queues.owed
        for q in range(len(owed)):
            owed[q] = 0
        for port in range(N_INPUTS):
            held = self.held[port]
            tables = self.tables
            for key in sounding_keys(held):
                h = held[key]
                pairs = tables.channel[port][(NOTE_ON | (key >> 7)) - 0x80]
                forms = tables.form[port][(NOTE_ON | (key >> 7)) - 0x80]
                for k in range(0, len(pairs), 2):
                    if (h >> pairs[k]) & 1 and tables.key(forms, k, key & 0x7F, self._velocity(port, key)) <= 127:
                        owed[(pairs[k] << 2) | port] += 3 * ((h >> 5) + 1)
            for ch in range(16):
                mask = self.sustain[port * 16 + ch]
                for out in range(N_OUTPUTS):
                    if (mask >> out) & 1:
                        owed[(out << 2) | port] += 3
            for out, _ in self.deferred[port]:
                owed[(out << 2) | port] += 3

    # ---- input ------------------------------------------------------------------------

    def receive(self, port, buf, n, now, start=0):
        """Read bytes buf[start:n] that arrived on input `port` at `now` (ms).

        This is the box's hot path: everything it touches per byte or per message is held in
        local variables, and a channel message is routed here, inline, into its outputs'
        queues (a call or an attribute lookup per message would cost more than the routing)."""
        if n <= start:
            return
        self.last_rx[port] = now
        reading = self.reading[port]
        status, have, data1, in_sysex, _ = reading
        counters = self.counters
        base = port * N_IN_COUNTERS
        length = LENGTH
        held, table, clock_to, clock_mask, ftable, forms, struck, echo_o, watch, echo_last, echo_time = self.routing[port]
        qbuf, heads, counts, deepest, rt, rt_head, rt_count, queues, owed = self.hot
        clock_ok = self.clock_ok
        clock_passes = clock_ok[port]
        pending = 0  # outputs given something by this call
        i = start
        while i < n:
            b = buf[i]
            i += 1
            if b < 0x80:
                if in_sysex:
                    # The rest of this run of SysEx data goes in one call.
                    j = i
                    while j < n and buf[j] < 0x80:
                        j += 1
                    self._sysex_data(port, buf, i - 1, j)
                    i = j
                    continue
                if status == 0:
                    # A data byte with no status to belong to is dropped.
                    counters[base + (IN_UNDEFINED if reading[4] else IN_STRAY)] += 1
                    continue
                if have == 0 and length[status] > 2:
                    data1 = b
                    have = 1
                    continue
                counters[base + IN_MESSAGES] += 1
                if status >= 0xF0:
                    self._common(port, status, data1 if have else b, b)
                    status = 0
                    have = 0
                    continue
                # A whole channel message. Running status: the next data byte starts another
                # message like it, so `status` stays.
                if have:
                    d1 = data1
                    d2 = b
                    have = 0
                else:
                    d1 = b
                    d2 = 0
                kind = status & 0xF0
                key = ((status & 0x0F) << 7) | d1
                if echo_o >= 0 and kind == NOTE_ON and d2:
                    # The loop guard: is this the box's own Note On coming back?
                    if echo_last[echo_o] == (status << 14) | (d1 << 7) | d2:
                        if self._echo(port, echo_o, now):
                            held, table, clock_to, clock_mask, ftable, forms, struck, echo_o, watch, _, _ = self.routing[port]
                    elif self.echo_streak[port]:
                        self.echo_streak[port] -= 1
                size = 3
                lead = RESERVE_OTHER  # bytes left free besides the room owed to Note Offs
                least = 0  # and at least these
                drop = DROP_OTHER
                only = 0x1F  # outputs the message may go to
                mode = 0  # 1: a Note Off owed; 2: a key's first strike
                if kind == NOTE_OFF or (kind == NOTE_ON and d2 == 0):
                    # Note On velocity 0 is a Note Off. A Note Off goes where its Note On
                    # went, with the channel it was given then, whatever the filters say now,
                    # as many times as the key was struck.
                    pairs = table[(NOTE_ON | (status & 0x0F)) - 0x80]
                    fx = ftable[(NOTE_ON | (status & 0x0F)) - 0x80]
                    h = held[key]
                    only = h & HELD_OUTPUTS
                    if not only:
                        if pairs:
                            counters[base + IN_ORPHAN_NOTE_OFF] += 1
                        continue
                    held[key] = h - HELD_ONE if h >= HELD_ONE else 0
                    mode = 1
                    drop = DROP_NOTE_OFF
                else:
                    pairs = table[status - 0x80]
                    if not pairs:
                        continue
                    fx = EMPTY
                    if kind == NOTE_ON:
                        fx = ftable[status - 0x80]
                        if held[key]:
                            # The key is struck again before its release.
                            pending |= self._restrike(port, key, status, d1, d2, pairs, fx)
                            continue
                        mode = 2
                        drop = DROP_NOTE_ON
                    elif kind == PROGRAM_CHANGE:
                        size = 2
                        if status == self.scene_status[port]:
                            # The scenes' Program Change switches scene, and goes on only
                            # if the settings say so, by the new scene's routes.
                            self._switch(port, d1)
                            held, table, clock_to, clock_mask, ftable, forms, struck, echo_o, watch, _, _ = self.routing[port]
                            clock_passes = clock_ok[port]
                            if not self.settings.scene_pass:
                                continue
                            pairs = table[status - 0x80]
                    elif kind == CONTROL_CHANGE and d1 == CC_SUSTAIN:
                        pending |= self._sustain(port, status, d2, pairs)
                        continue
                    elif kind == CONTROL_CHANGE and d1 >= 120:
                        # The channel mode messages end notes: they may use the room other
                        # messages leave free.
                        lead = 0
                        drop = DROP_PEDAL_MODE
                    else:
                        # CC, pressure and pitch bend are the first to go when an output
                        # falls behind.
                        least = RESERVE_DROPPABLE
                        drop = DROP_DROPPABLE
                        size = length[status]
                        if kind == POLYTOUCH:
                            fx = ftable[status - 0x80]  # aftertouch follows its key
                sent = 0
                dropped = 0
                last = len(pairs) - 2
                for k in range(0, last + 2, 2):
                    o = pairs[k]
                    if not (only >> o) & 1:
                        continue
                    st = pairs[k + 1]
                    nk = d1
                    v = d2
                    if fx and fx[k >> 1]:
                        # A split, transpose or velocity change: the route's table gives the
                        # key (and a Note On's velocity) it becomes.
                        form = forms[fx[k >> 1]]
                        nk = form[d1]
                        if nk > 127:
                            if nk == OUT_OF_MIDI and mode != 1:
                                # Transposed outside 0-127: dropped, never clamped.
                                counters[base + IN_OUT_OF_RANGE] += 1
                            continue
                        if mode == 2:
                            # Never 0 (a Note Off), unless outside the route's velocities.
                            v = form[VELOCITY + d2]
                            if not v:
                                continue
                        elif mode == 1 and struck is not None and not form[VELOCITY + struck[key]]:
                            # A velocity layer the key's Note On did not sound on.
                            continue
                    q = (o << 2) | port
                    c = counts[q]
                    if mode == 1:
                        st = kind | (st & 0x0F)
                        if c > QUEUE_BYTES - 3:
                            # Cannot happen: its room was kept when its Note On passed.
                            self.outputs[o].drops[DROP_NOTE_OFF] += 1
                            continue
                        owed[q] -= 3
                    else:
                        keep = owed[q]
                        if keep > OWED_MOST:
                            keep = OWED_MOST
                        keep += lead
                        if mode == 2:
                            # A Note On passes only with room for its Note Off, and for the
                            # rest of its layers, so that an output gets all or none of them.
                            keep += 3 + 3 * (last - k)
                        elif keep < least:
                            keep = least
                        if QUEUE_BYTES - c - size < keep or (dropped >> o) & 1:
                            self.outputs[o].drops[drop] += 1
                            dropped |= 1 << o
                            continue
                        if mode == 2:
                            owed[q] += 3
                            if (watch >> o) & 1:
                                echo_last[o] = (st << 14) | (nk << 7) | v
                                echo_time[o] = now
                    j = heads[q] + c
                    qb = q * QUEUE_BYTES
                    qbuf[qb + (j & QUEUE_MASK)] = st
                    qbuf[qb + ((j + 1) & QUEUE_MASK)] = nk
                    if size == 3:
                        qbuf[qb + ((j + 2) & QUEUE_MASK)] = v
                    c += size
                    counts[q] = c
                    if c > deepest[o]:
                        deepest[o] = c
                    sent |= 1 << o
                if mode == 2:
                    held[key] = sent
                    if struck is not None:
                        struck[key] = d2  # which velocity layers the key sounds on
                pending |= sent
                continue
            if b >= 0xF8:
                # Realtime may fall between any two bytes, even inside SysEx: act now, and
                # leave the message in progress and running status as they were.
                if b == CLOCK and clock_passes:
                    counters[base + IN_MESSAGES] += 1
                else:
                    # The rest of realtime (transport, master changes, sensing) is decided
                    # there; what passes the clock's rule comes back to go out here.
                    passes = self._realtime(port, b, now)
                    clock_passes = clock_ok[port]
                    if not passes:
                        continue
                pending |= clock_mask
                queues.realtime |= clock_mask
                for o in clock_to:
                    c = rt_count[o]
                    if c == REALTIME_BYTES:
                        self.outputs[o].drops[DROP_REALTIME] += 1
                    else:
                        rt[o * REALTIME_BYTES + ((rt_head[o] + c) & REALTIME_MASK)] = b
                        rt_count[o] = c + 1
                continue
            # A status byte.
            if in_sysex:
                # Any status byte but realtime ends a SysEx; only F7 ends it whole.
                self._sysex_end(port)
                in_sysex = False
                if b == END_OF_EXCLUSIVE:
                    counters[base + IN_MESSAGES] += 1
                    continue
                counters[base + IN_SYSEX_UNTERMINATED] += 1
            elif have:
                # A status byte before the last data byte abandons the message.
                counters[base + IN_INCOMPLETE] += 1
            have = 0
            reading[4] = False
            if b < 0xF0:
                status = b
                continue
            # System common and SysEx cancel running status.
            status = 0
            if b == SYSEX:
                self._sysex_start(port)
                in_sysex = True
            elif b == UNDEFINED_F4 or b == UNDEFINED_F5:
                counters[base + IN_UNDEFINED] += 1
                reading[4] = True
            elif b == END_OF_EXCLUSIVE:
                # An F7 with no SysEx open belongs to nothing.
                counters[base + IN_STRAY] += 1
            elif length[b] == 1:
                counters[base + IN_MESSAGES] += 1
                self._common(port, b, 0, 0)
            else:
                status = b
        reading[0] = status
        reading[1] = have
        reading[2] = data1
        reading[3] = in_sysex
        if pending:
            queues.pending |= pending

    def _restrike(self, port, key, status, d1, d2, pairs, fx):
        """A key struck again while it sounds: the Note On goes to every output the key
        sounds on, or to none (so that each owes as many Note Offs as it got Note Ons), and
        only if each has room for it and its Note Off. Returns the outputs given it."""
        held = self.held[port]
        h = held[key]
        mask = h & HELD_OUTPUTS
        qs = self.queues
        if h >= HELD_MOST:
            # Eight strikes sounding is the count's limit (a device that never sends Note Off
            # gets here): end one with its Note Off before the ninth, which then takes its place.
            self.counters[port * N_IN_COUNTERS + IN_STRIKES_ENDED] += 1
            for k in range(0, len(pairs), 2):
                o = pairs[k]
                nk = self.tables.key(fx, k, d1, self._velocity(port, key))
                if (mask >> o) & 1 and nk <= 127:
                    qs.owed[(o << 2) | port] -= 3
                    if not self.outputs[o].put_owed(port, NOTE_OFF | (pairs[k + 1] & 0x0F), nk, NOTE_OFF_VELOCITY):
                        self.outputs[o].drops[DROP_NOTE_OFF] += 1
            h -= HELD_ONE
            held[key] = h
        for k in range(0, len(pairs), 2):
            o = pairs[k]
            if (mask >> o) & 1:
                layers = 0
                for j in range(0, len(pairs), 2):
                    if pairs[j] == o:
                        layers += 1
                q = (o << 2) | port
                owed = qs.owed[q]
                if owed > OWED_MOST:
                    owed = OWED_MOST
                if QUEUE_BYTES - qs.count[q] - owed - RESERVE_OTHER < 6 * layers:
                    for x in range(N_OUTPUTS):
                        if (mask >> x) & 1:
                            self.outputs[x].drops[DROP_NOTE_ON] += 1
                    return 0
        first = self._velocity(port, key)
        for k in range(0, len(pairs), 2):
            o = pairs[k]
            nk = self.tables.key(fx, k, d1, first)
            if (mask >> o) & 1 and nk <= 127:
                # Again the way the first strike went (its velocity chose the layers), at
                # this strike's velocity as that way changes it.
                v = d2
                if fx and fx[k >> 1]:
                    form = self.tables.forms[fx[k >> 1]]
                    v = form[VELOCITY + d2] or form[VELOCITY + first] or 1
                self.outputs[o].put3(port, pairs[k + 1], nk, v, 3, 0)
                qs.owed[(o << 2) | port] += 3
        held[key] = h + HELD_ONE
        return mask

    def _sustain(self, port, status, value, pairs):
        """Route a sustain pedal message (CC 64). A pedal up whose pedal down passed always has
        room; a pedal down passes like other CC, with room kept for its pedal up. Returns the
        outputs given it."""
        qs = self.queues
        index = port * 16 + (status & 0x0F)
        down = self.sustain[index]
        sent = 0
        for k in range(0, len(pairs), 2):
            o = pairs[k]
            q = (o << 2) | port
            out = self.outputs[o]
            if value >= 64:
                keep = qs.owed[q]
                if keep > OWED_MOST:
                    keep = OWED_MOST
                keep += RESERVE_OTHER
                if keep < RESERVE_DROPPABLE:
                    keep = RESERVE_DROPPABLE
                owes = not (down >> o) & 1
                if QUEUE_BYTES - qs.count[q] - 3 - (3 if owes else 0) < keep:
                    out.drops[DROP_DROPPABLE] += 1
                    continue
                out.put3(port, pairs[k + 1], CC_SUSTAIN, value, 3, 0)
                if owes:
                    down |= 1 << o
                    qs.owed[q] += 3
            elif (down >> o) & 1:
                # Its pedal down passed: the room was kept.
                down &= ~(1 << o)
                qs.owed[q] -= 3
                if not out.put_owed(port, pairs[k + 1], CC_SUSTAIN, value):
                    out.drops[DROP_NOTE_OFF] += 1
                    continue
            elif not out.put3(port, pairs[k + 1], CC_SUSTAIN, value, 3, 0):
                out.drops[DROP_PEDAL_MODE] += 1
                continue
            sent |= 1 << o
        self.sustain[index] = down
        return sent

    def _common(self, port, status, d1, d2):
        """Route one whole system common message (F1, F2, F3, F6)."""
        if status == SONG_POSITION:
            # Song Position follows the clock master's rule.
            self.song_position_zero[port] = d1 == 0 and d2 == 0
            if not self._clock_passes(port):
                self.counters[port * N_IN_COUNTERS + IN_CLOCK_DROPPED] += 1
                return
            mask = self.clock_outputs[port]
            if self.divided_to[port]:
                self._song_position(port, d1, d2)
                for o in self.divided_to[port]:
                    mask &= ~(1 << o)
        else:
            mask = self.tables.common[port]
        length = LENGTH[status]
        for o in range(N_OUTPUTS):
            if (mask >> o) & 1:
                out = self.outputs[o]
                if not out.put3(port, status, d1, d2, length, RESERVE_OTHER):
                    out.drops[DROP_OTHER] += 1

    def _clock_passes(self, port):
        """Whether clock from `port` passes now (the clock master's rule)."""
        source = self.clock_source
        if source == CLOCK_AUTO:
            return self.clock_master < 0 or self.clock_master == port
        return source == port

    def _clock_rule(self):
        """Note, per input, whether its clock passes now by the hot path (an input whose clock
        some output gets divided goes through _realtime)."""
        for port in range(N_INPUTS):
            self.clock_ok[port] = self._clock_passes(port) and not self.divided_to[port]

    def _realtime(self, port, b, now):
        """Count and judge a realtime byte other than a passing clock; True when it is clock
        or transport that passes, for receive() to send to the clock's outputs."""
        counters = self.counters
        base = port * N_IN_COUNTERS
        counters[base + IN_MESSAGES] += 1
        if b == CLOCK or b == START or b == CONTINUE or b == STOP:
            if self.clock_source == CLOCK_INTERNAL:
                # The box is the master; the input named by `transport` starts and stops it.
                if port == self.transport and b != CLOCK:
                    self.clock_send(b)
                else:
                    counters[base + IN_CLOCK_DROPPED] += 1
                return
            if self.clock_source == CLOCK_AUTO:
                # Kenton's rule: the input that last sent Start, or Song Position 0 then
                # Continue, becomes the master; until one has, every input's clock passes.
                if b == START or (b == CONTINUE and self.song_position_zero[port]):
                    self.clock_master = port
                    self._clock_rule()
                if self.clock_master >= 0 and self.clock_master != port:
                    counters[base + IN_CLOCK_DROPPED] += 1
                    return
            elif self.clock_source != port:
                # Only one input may drive the clock; CLOCK_NONE passes none.
                counters[base + IN_CLOCK_DROPPED] += 1
                return
            if b != CLOCK:
                self.song_position_zero[port] = False
            if self.divided_to[port]:
                self._divided(port, b)
            return True
        elif b == ACTIVE_SENSING:
            self.sensing_seen[port] = True
            if self.pass_sensing and (self.sensing_owner < 0 or self.sensing_owner == port):
                # Pass the first input's Active Sensing, to the outputs its routes reach.
                self.sensing_owner = port
                self.sensing_last = now
                mask = self.tables.reach[port]
                for o in range(N_OUTPUTS):
                    if (mask >> o) & 1:
                        self.outputs[o].put_realtime(b)
            else:
                counters[base + IN_SENSING_DROPPED] += 1
        elif b == UNDEFINED_F9 or b == UNDEFINED_FD:
            counters[base + IN_MESSAGES] -= 1
            counters[base + IN_UNDEFINED] += 1
        else:
            # System Reset through a merger would reset every device on the outputs, and a
            # floating input line reads as FF: filter it.
            counters[base + IN_RESET_DROPPED] += 1

    def _divided(self, port, b):
        """Clock and transport to the outputs that get every Nth clock. Start resets the count,
        so the first clock after it, the master's downbeat, is each divided output's downbeat."""
        divide = self.clock_divide
        phase = self.clock_phase
        for o in self.divided_to[port]:
            if b == CLOCK:
                p = phase[o]
                phase[o] = p + 1 if p + 1 < divide[o] else 0
                if p:
                    continue
            elif b == START:
                phase[o] = 0
            self.outputs[o].put_realtime(b)

    def clock_send(self, b):
        """The box's own clock or transport byte `b` to its clock outputs. Start begins the
        count of clocks again, the first one due at the next tick."""
        if not self.clock_tempo:
            return
        if b == START:
            self.clock_due = -1
        for o in self.clock_to[INTERNAL]:
            self.outputs[o].put_realtime(b)
        if self.divided_to[INTERNAL]:
            self._divided(INTERNAL, b)

    def clock_units(self, per_ms):
        """Time the box's own clock in units of 1/per_ms ms: 1 (tick() runs it, in the ms of
        every other timeout) or 1000 (the board's shell calls clock_tick with microseconds,
        wrapping at 2**29 like ticks_ms, so that the clock falls where it is due inside a ms)."""
        self.clock_per_ms = per_ms
        self.clock_span = CLOCK_SPAN * per_ms
        self.clock_resync = CLOCK_RESYNC_MS * per_ms
        self.clock_due = -1  # when the next clock is due, in these units (-1: at the next look)
        self.clock_frac = 0  # ...and the part of a unit past that, in 1/clock_tempo units

    def clock_tick(self, now):
        """Send the box's own clocks due by `now` (in clock units). A clock is 60000 ms / (24 *
        BPM) after the last, which is CLOCK_SPAN / clock_tempo ms with the tempo in hundredths:
        kept as whole units and an exact remainder, so the tempo never drifts."""
        due = self.clock_due
        if due < 0 or ticks_diff(now, due) > self.clock_resync:
            due = now
            self.clock_frac = 0
        while ticks_diff(now, due) >= 0:
            self.clock_send(CLOCK)
            frac = self.clock_frac + self.clock_span
            tempo = self.clock_tempo
            due = (due + frac // tempo) & TICKS_MAX
            self.clock_frac = frac % tempo
        self.clock_due = due

    def _song_position(self, port, d1, d2):
        """Song Position to the divided outputs: the position in their slower time, and the
        count set so that their clocks stay on the master's grid from the downbeat."""
        divide = self.clock_divide
        position = d1 | (d2 << 7)  # in 16ths: 6 clocks each
        for o in self.divided_to[port]:
            n = divide[o]
            self.clock_phase[o] = (position * 6) % n
            slow = position // n
            out = self.outputs[o]
            if not out.put3(port, SONG_POSITION, slow & 0x7F, slow >> 7, 3, RESERVE_OTHER):
                out.drops[DROP_OTHER] += 1

    def _sysex_start(self, port):
        self.reading[port][3] = True
        mask = self.tables.sysex[port]
        to = 0
        for o in range(N_OUTPUTS):
            if (mask >> o) & 1:
                # One SysEx at a time per output: this one waits in its input's queue.
                if self.outputs[o].put_byte(port, SYSEX, RESERVE_OTHER):
                    to |= 1 << o
                else:
                    self.outputs[o].drops[DROP_SYSEX] += 1
        self.sysex_to[port] = to

    def _sysex_data(self, port, buf, start, end):
        """Pass SysEx data bytes buf[start:end] to the outputs the SysEx is going to."""
        to = self.sysex_to[port]
        if not to:
            return
        qs = self.queues
        qbuf = qs.buf
        heads = qs.head
        counts = qs.count
        for o in range(N_OUTPUTS):
            if not (to >> o) & 1:
                continue
            q = (o << 2) | port
            c = counts[q]
            owed = qs.owed[q]
            if owed > OWED_MOST:
                owed = OWED_MOST
            room = QUEUE_BYTES - c - owed - RESERVE_SYSEX_END
            k = end - start
            if k > room:
                k = room
            j = heads[q] + c
            base = q * QUEUE_BYTES
            for x in range(start, start + k):
                qbuf[base + (j & QUEUE_MASK)] = buf[x]
                j += 1
            c += k
            counts[q] = c
            qs.pending |= 1 << o
            if c > qs.deepest[o]:
                qs.deepest[o] = c
            if k < end - start:
                # No room: close it here with the F7 kept for it, and send no more of it.
                self.outputs[o].put_byte(port, END_OF_EXCLUSIVE, 0)
                self.outputs[o].drops[DROP_SYSEX_CUT] += 1
                to &= ~(1 << o)
        self.sysex_to[port] = to

    def _sysex_end(self, port):
        """End the SysEx in progress on `port`; an incomplete one is closed with F7 all the same."""
        to = self.sysex_to[port]
        for o in range(N_OUTPUTS):
            if (to >> o) & 1:
                self.outputs[o].put_byte(port, END_OF_EXCLUSIVE, 0)
        self.sysex_to[port] = 0
        self.reading[port][3] = False
        if self.deferred[port]:
            owed = self.queues.owed
            for out, msg in self.deferred[port]:
                owed[(out << 2) | port] -= 3
                if not self.outputs[out].put_owed(port, msg[0], msg[1], msg[2]):
                    self.outputs[out].drops[DROP_NOTE_OFF] += 1
            self.deferred[port] = []

    # ---- time -------------------------------------------------------------------------

    def tick(self, now):
        """Run the timeouts that depend on time alone; call it every few ms."""
        for port in range(N_INPUTS):
            reading = self.reading[port]
            if not (reading[3] or self.sensing_seen[port]):
                continue  # no SysEx open and no Active Sensing: nothing here waits on time
            silent = ticks_diff(now, self.last_rx[port])
            if reading[3] and silent > self.sysex_timeout:
                # A SysEx whose input fell silent is closed so that its outputs are released.
                self.counters[port * N_IN_COUNTERS + IN_SYSEX_TIMEOUT] += 1
                self._sysex_end(port)
                reading[0] = 0
                reading[1] = 0
            if self.sensing_seen[port] and silent > SENSING_SILENCE_MS:
                # A device that sent Active Sensing and fell silent is gone (cable pulled or
                # power lost): release the notes it left sounding.
                self.sensing_seen[port] = False
                self.counters[port * N_IN_COUNTERS + IN_SENSING_LOST] += 1
                self._release(port)
        if self.releasing:
            for port in range(N_INPUTS):
                if (self.releasing >> port) & 1:
                    self._release(port)
        if self.clock_tempo and self.clock_per_ms == 1:
            self.clock_tick(now)
        if self.sensing_owner >= 0 and ticks_diff(now, self.sensing_last) > SENSING_RELEASE_MS:
            self.sensing_owner = -1
        if ticks_diff(now, self.wrap_checked) >= WRAP_CHECK_MS:
            self.wrap_checked = now
            self._wrap_counters(self.wrap_part)
            self.wrap_part = (self.wrap_part + 1) % (N_INPUTS + N_OUTPUTS)

    def _wrap_counters(self, part):
        """Keep counters small ints (a long int would allocate on the board): one input's
        counters, or one output's, a call, so that no tick takes long."""
        if part < N_INPUTS:
            counters = self.counters
            for k in range(part * N_IN_COUNTERS, (part + 1) * N_IN_COUNTERS):
                if counters[k] >= COUNTER_WRAP:
                    counters[k] -= COUNTER_WRAP
            return
        out = self.outputs[part - N_INPUTS]
        drops = out.drops
        for k in range(len(drops)):
            if drops[k] >= COUNTER_WRAP:
                drops[k] -= COUNTER_WRAP
        if out.sent >= COUNTER_WRAP:
            out.sent -= COUNTER_WRAP

    def waits_on_time(self):
        """Whether something waits for time alone to pass (a SysEx left open, Active Sensing,
        notes being released)."""
        if self.releasing:
            return True
        for port in range(N_INPUTS):
            if self.reading[port][3] or self.sensing_seen[port]:
                return True
        return self.sensing_owner >= 0

    # ---- output -----------------------------------------------------------------------

    def transmit(self, out, buf, room):
        """Write up to `room` bytes for output `out` into `buf`; return how many."""
        return self.transmits[out](buf, room)

    def waiting(self, out):
        return self.outputs[out].waiting()

    # ---- notes ------------------------------------------------------------------------

    def _release(self, port):
        """Queue a Note Off for every strike of every note sounding from input `port`, as many
        as its queues have room for: what does not fit stays held, and tick() goes on with it
        as the outputs drain (`releasing`), so that none is lost. Returns those queued."""
        offs = []  # type: list
        held = self.held[port]
        qs = self.queues
        tables = self.tables
        for key in sounding_keys(held):
            h = held[key]
            pairs = tables.channel[port][(NOTE_ON | (key >> 7)) - 0x80]
            forms = tables.form[port][(NOTE_ON | (key >> 7)) - 0x80]
            while h:
                for k in range(0, len(pairs), 2):
                    o = pairs[k]
                    if (h >> o) & 1 and qs.count[(o << 2) | port] > QUEUE_BYTES - 3 * (len(pairs) >> 1):
                        # No room for this strike's Note Offs now: the rest waits for tick().
                        held[key] = h
                        self.releasing |= 1 << port
                        return offs
                for k in range(0, len(pairs), 2):
                    note = tables.key(forms, k, key & 0x7F, self._velocity(port, key))
                    if (h >> pairs[k]) & 1 and note <= 127:
                        offs.append(self._owe(port, pairs[k], NOTE_OFF | (pairs[k + 1] & 0x0F), note, NOTE_OFF_VELOCITY))
                h = h - HELD_ONE if h >= HELD_ONE else 0
            held[key] = 0
        self.releasing &= ~(1 << port)
        return offs

    def sounding(self, out):
        """The notes output `out` is sounding, as sorted (channel, note) pairs, 0-based."""
        notes = set()
        for port in range(N_INPUTS):
            held = self.held[port]
            for key in sounding_keys(held):
                if (held[key] >> out) & 1:
                    for st, note in self.tables.rewrites(port, NOTE_ON | (key >> 7), out, key & 0x7F, self._velocity(port, key)):
                        notes.add((st & 0x0F, note))
        return sorted(notes)

    def panic(self):
        """Note Off for every sounding note, then All Notes Off and sustain off on every channel
        each output has used. Returns the (output, bytes) pairs, already queued."""
        sent = []
        for out in self.outputs:
            out.silence_pending()
        for port in range(N_INPUTS):
            held = self.held[port]
            for key in sounding_keys(held):
                h = held[key]
                for o in range(N_OUTPUTS):
                    if (h >> o) & 1:
                        for _ in range((h >> 5) + 1):
                            for st, note in self.tables.rewrites(port, NOTE_ON | (key >> 7), o, key & 0x7F, self._velocity(port, key)):
                                sent.append(self._panic_put(o, NOTE_OFF | (st & 0x0F), note, NOTE_OFF_VELOCITY, port))
                held[key] = 0
        for out in self.outputs:
            for ch in range(16):
                if (out.channels_used >> ch) & 1:
                    sent.append(self._panic_put(out.index, CONTROL_CHANGE | ch, CC_ALL_NOTES_OFF, 0, -1))
                    sent.append(self._panic_put(out.index, CONTROL_CHANGE | ch, CC_SUSTAIN, 0, -1))
        for k in range(len(self.sustain)):
            self.sustain[k] = 0
        self._recount_owed()
        return sent

    def _panic_put(self, o, status, d1, d2, port):
        """Queue one of panic's messages on the core's own queue; a Note Off that finds it full
        goes in the room its input's queue kept for it."""
        out = self.outputs[o]
        if not out.put3(SOURCE_CORE, status, d1, d2, 3, 0) and (port < 0 or not out.put_owed(port, status, d1, d2)):
            out.drops[DROP_NOTE_OFF if port >= 0 else DROP_PEDAL_MODE] += 1
        return (o, bytes((status, d1, d2)))

    # ---- figures ----------------------------------------------------------------------

    def counter(self, port, which):
        return self.counters[port * N_IN_COUNTERS + which]

    def stats(self):
        """Every counter, as {"inputs": {id: {...}}, "outputs": {id: {...}}} (not for the hot path)."""
        from thruway.midi import INPUT_IDS, OUTPUT_IDS
        from thruway.output import DROP_NAMES

        inputs = {}
        for port in range(N_INPUTS):
            inputs[INPUT_IDS[port]] = dict(
                (IN_COUNTER_NAMES[k], self.counters[port * N_IN_COUNTERS + k]) for k in range(N_IN_COUNTERS)
            )
        outputs = {}
        for out in self.outputs:
            d = dict(("dropped_" + DROP_NAMES[k], out.drops[k]) for k in range(len(DROP_NAMES)))
            d["bytes"] = out.sent
            d["deepest_queue"] = out.deepest()
            outputs[OUTPUT_IDS[out.index]] = d
        return {"inputs": inputs, "outputs": outputs}
