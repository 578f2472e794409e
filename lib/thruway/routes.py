"""The settings as the box runs them, and the routing compiled from them into lookup tables."""

from thruway.midi import (
    MYPY,
    ALL_OUTPUTS,
    CHANNEL_TYPE,
    INPUT_IDS,
    N_INPUTS,
    N_OUTPUTS,
    OUT_USB,
    OUTPUT_IDS,
    T_COMMON,
    NOTE_ON,
    POLYTOUCH,
    const,
    T_SYSEX,
)

SETTINGS_FILE = "thruway.toml"

CLOCK_AUTO = -1  # Kenton's rule: the input that last sent Start drives the clock
CLOCK_NONE = -2  # no clock or transport passes at all
CLOCK_INTERNAL = -3  # the box is the master: its own clock at settings.tempo
CLOCK_FOLLOWS_ROUTES = -1  # clock `to` not given: clock goes where the source's routes go

SYSEX_TIMEOUT_MS = 300
TEMPO = 12000  # hundredths of a BPM: 120 BPM


class Settings:
    """Validated settings: port names, routes, clock and options, ports 0-based."""

    def __init__(self):
        self.input_names = list(INPUT_IDS)
        self.output_names = list(OUTPUT_IDS)
        self.routes = []
        self.clock_source = CLOCK_AUTO
        self.clock_outputs = CLOCK_FOLLOWS_ROUTES
        self.clock_divide = None  # per output, send every Nth clock (None: every clock everywhere)
        self.tempo = TEMPO  # the internal clock's tempo, in hundredths of a BPM
        self.transport = -1  # the input whose Start/Stop start and stop the internal clock
        # Scenes: [name, program (0-127), routes] each, used beside `routes`; a Program Change
        # from `scene_input` on `scene_channel` switches to the scene of that program.
        self.scenes = []
        self.scene_input = -1
        self.scene_channel = 0
        self.scene_pass = False
        self.scene_tables = None  # the core's compiled tables per scene, made once
        self.scene_programs = None  # per program 0-127, its scene number + 1 (0: none)
        self.running_status = 0  # mask of DIN outputs that use running status
        self.sysex_timeout_ms = SYSEX_TIMEOUT_MS
        self.active_sensing = False
        self.filename = None


class SettingsError(Exception):
    """A settings file that cannot be used; `errors` holds every `FILE:LINE: ...` message."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def default_settings():
    """What the box does with no settings file: a plain merger. Both DIN inputs go to every
    output, USB in goes to the four DIN outputs, and the clock follows Kenton's rule."""
    s = Settings()
    s.routes = [
        Route(0, ALL_OUTPUTS),
        Route(1, ALL_OUTPUTS),
        Route(2, ALL_OUTPUTS & ~(1 << OUT_USB)),
    ]
    return s


if MYPY:
    from typing import Any


class Route:
    """One route as the settings wrote it, ports and channels 0-based.

    `outputs` and `channels` are bit masks; `channel` is the rewrite (-1: keep); `types` is a
    mask of the message-type bits of midi.TYPE_NAMES. Notes (and their polyphonic aftertouch)
    pass only from key `low` to `high`, moved by `transpose` semitones; a Note On passes only
    with a velocity from `soft` to `hard`, then takes velocity[v] if `velocity` (a 128-byte
    curve) is given."""

    def __init__(self, source, outputs, channels=0xFFFF, channel=-1, types=0xFF, line=0,
                 low=0, high=127, transpose=0, soft=1, hard=127, velocity=None):
        self.source = source
        self.outputs = outputs
        self.channels = channels
        self.channel = channel
        self.types = types
        self.line = line
        self.low = low
        self.high = high
        self.transpose = transpose
        self.soft = soft
        self.hard = hard
        self.velocity = velocity
        self.velocity_text = ""  # the curve's name as the settings wrote it, for describe()


# In a route's note table (NOTE_FORM bytes): per key, the key it becomes, or one of these.
NOT_IN_RANGE = const(255)  # outside the route's key range: not for this route
OUT_OF_MIDI = const(254)  # transposed outside 0-127: not sent, counted
VELOCITY = const(128)  # then per velocity, the velocity it becomes (0: outside the range)
NOTE_FORM = const(256)
BETWEEN_MASK = const(3)  # Tables calls `between` every 4 statuses: at most a few ms of work apart on the board


class Tables:
    """Flat lookup tables: routing a message is an index and a short loop.

    channel[input][status - 0x80] is a bytes of (output, rewritten status) pairs, and
    form[input][status - 0x80] is empty or a bytes with a form per pair: 0 passes the message as
    it is, f > 0 is forms[f], a NOTE_FORM-byte table a Note On or polyphonic aftertouch takes
    its key (and a Note On its velocity) from; identical tables are shared. sysex[input],
    common[input] and reach[input] are output bit masks (reach: every output a route from that
    input names). `collect` is called after each input's tables, `between` every few statuses
    (the running board serves MIDI there; see Core.apply).

    `like`: the Tables of another scene of the same file. Whatever this one has the same as it
    (an input's whole table, or one status's pairs) is its very object, not a copy: scenes
    mostly differ in a few routes, and the board's heap holds every scene's tables at once."""

    def __init__(self, routes, blocked=0, collect=None, like=None, between=None):
        empty = b""
        self.channel = []
        self.form = []
        self.forms = [None]
        self.layers = 0  # inputs (a bit each) with a form that passes Note Ons only within a range of velocities
        shared = {}  # type: dict # a form's bytes -> its index
        if like is not None:
            # The same form numbers as the other scene's, so that equal form bytes mean the same.
            self.forms = list(like.forms)
            for i in range(1, len(self.forms)):
                shared[self.forms[i]] = i
        self.sysex = [0] * N_INPUTS
        self.common = [0] * N_INPUTS
        self.reach = [0] * N_INPUTS
        self.out_channels = [0] * N_OUTPUTS  # per output, the channels routes can send it
        for source in range(N_INPUTS):
            # (route, the outputs it may reach) for this input's routes; `blocked`: outputs
            # whose routes are stopped (a feedback loop found there).
            mine = [(route, route.outputs & ~blocked) for route in routes if route.source == source]
            for route, outputs in mine:
                self.reach[source] |= outputs
                if route.types & T_SYSEX:
                    self.sysex[source] |= outputs
                if route.types & T_COMMON:
                    self.common[source] |= outputs
            table = []
            form_table = []  # type: Any # (NO_FORMS, a tuple, when every entry is empty)
            like_table = like.channel[source] if like is not None else None
            like_forms = like.form[source] if like is not None else None
            # One status at a time, so that only one status's working dict is ever on the heap
            # (the board's heap could not hold one for each of the 112 statuses of an input).
            for status in range(0x80, 0xF0):
                if between is not None and status & BETWEEN_MASK == 0:
                    between()
                ch = status & 0x0F
                kind = status & 0xF0
                # (output, rewritten status, what it does to notes) -> the keys it takes
                entry = None  # type: Any
                for route, outputs in mine:
                    if not (route.types & CHANNEL_TYPE[(kind >> 4) - 8]):
                        continue
                    if not (route.channels >> ch) & 1:
                        continue
                    span = route.high + 1 - route.low
                    new_status = status if route.channel < 0 else kind | route.channel
                    how = None  # type: Any
                    if not (kind == NOTE_ON or kind == POLYTOUCH):
                        pass
                    elif kind == POLYTOUCH:
                        how = (route.transpose,)  # aftertouch follows the key, not velocity
                    else:
                        how = (route.transpose, route.soft, route.hard, route.velocity)
                    if entry is None:
                        entry = {}
                    for out in range(N_OUTPUTS):
                        if (outputs >> out) & 1:
                            # Two routes giving an output the same message send it once: the
                            # same change of note and velocity joins their key ranges. The keys
                            # are None while every key passes (no 128 bytes for a plain route).
                            k = (out, new_status, how)
                            if k not in entry:
                                entry[k] = None if (how is None or span == 128) else bytearray(128)
                            keys = entry[k]
                            if keys is not None:
                                if span == 128:
                                    entry[k] = None
                                else:
                                    keys[route.low : route.high + 1] = b"\x01" * span
                            self.out_channels[out] |= 1 << (new_status & 0x0F)
                if entry is None:
                    table.append(empty)
                    form_table.append(empty)
                    continue
                pairs = bytearray()
                forms = bytearray()
                for (out, new_status, how), keys in sorted(entry.items(), key=_order):
                    form = 0
                    if how is not None and not _plain(how, keys):
                        data = _form(how, keys)
                        if data != _PLAIN:
                            form = shared.get(data, 0)
                            if not form:
                                form = shared[data] = len(self.forms)
                                self.forms.append(data)
                            if min(data[VELOCITY + 1 :]) == 0:
                                self.layers |= 1 << source
                    pairs.append(out)
                    pairs.append(new_status)
                    forms.append(form)
                i = status - 0x80
                if like_table is not None and like_table[i] == pairs:
                    table.append(like_table[i])
                else:
                    table.append(bytes(pairs) if pairs else empty)
                if not any(forms):
                    form_table.append(empty)
                elif like_forms is not None and like_forms[i] == forms:
                    form_table.append(like_forms[i])
                else:
                    form_table.append(bytes(forms))
            # An input's whole table, when it is the other scene's, is that one; an input
            # that changes no note anywhere shares one table of empty forms with all others.
            self.channel.append(like_table if like_table is not None and like_table == table else table)
            if like_forms is not None and like_forms == form_table:
                form_table = like_forms
            elif not any(form_table):
                form_table = NO_FORMS
            self.form.append(form_table)
            if collect is not None:
                # On the board: take this input's working objects back before the next input's
                # tables are placed among them (a 64-route file's tables failed so on the rig).
                collect()
                if between is not None:
                    between()  # the collection is a piece of work of its own

    def rewrites(self, source, status, out, note=0, velocity=0):
        """What a message `status` (with key `note`; for a Note On, struck at `velocity`, 0:
        any) from `source` becomes on output `out`: the sorted (status, key) pairs."""
        pairs = self.channel[source][status - 0x80]
        forms = self.form[source][status - 0x80]
        found = []
        for i in range(0, len(pairs), 2):
            if pairs[i] == out:
                n = self.key(forms, i, note, velocity)
                if n <= 127:
                    found.append((pairs[i + 1], n))
        found.sort()
        return found

    def key(self, forms, i, note, velocity=0):
        """The key that `note` (struck at `velocity`, 0: any) becomes through the pair at `i`
        of a status whose forms are `forms`; above 127 when it does not pass that way."""
        if forms and forms[i >> 1]:
            form = self.forms[forms[i >> 1]]
            if velocity and not form[VELOCITY + velocity]:
                return NOT_IN_RANGE
            return form[note]
        return note


def _order(item):
    (out, status, how), _ = item
    return (out, status, how is not None, repr(how))


def _plain(how, keys):
    """Whether a change of notes changes nothing: every key, no transpose, every velocity as it is."""
    return keys is None and how[0] == 0 and (len(how) == 1 or (how[1] == 1 and how[2] == 127 and how[3] is None))


def _form(how, keys):
    """The NOTE_FORM bytes of a route's change of notes: per key the key it becomes, then per
    velocity the velocity it becomes."""
    form = bytearray(NOTE_FORM)
    shift = how[0]
    for key in range(128):
        if keys is not None and not keys[key]:
            form[key] = NOT_IN_RANGE
        elif 0 <= key + shift <= 127:
            form[key] = key + shift
        else:
            # A transposed note outside 0-127 is dropped, not clamped: clamping would fold
            # several keys onto one and leave notes stuck.
            form[key] = OUT_OF_MIDI
    for v in range(128):
        form[VELOCITY + v] = v
    if len(how) > 1:
        soft, hard, curve = how[1], how[2], how[3]
        for v in range(1, 128):
            if v < soft or v > hard:
                form[VELOCITY + v] = 0
            elif curve is not None:
                # A velocity change never turns a Note On into a Note Off.
                form[VELOCITY + v] = curve[v] or 1
    return bytes(form)


_PLAIN = _form((0,), None)  # every key and velocity as it is
NO_FORMS = (b"",) * 112  # an input's forms where no route changes a note: one for every table
