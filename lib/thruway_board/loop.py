"""The firmware loop: inputs into the core, the core into the outputs, LEDs, panic button, live settings."""

# One pass (step) reads every input, feeds the core, gives every output what it can take now
# and, every few milliseconds, runs the housekeeping: the core's timeouts, the button, the
# LEDs, USB presence and the settings file. Nothing here allocates in steady state and
# nothing prints, except on events a musician causes (a saved file, the panic button, a
# serial terminal opened) and in maintenance mode's diagnostics.

import gc

import supervisor

from thruway import __version__
from thruway.core import Core
from thruway.midi import IN_USB, INPUT_IDS, N_OUTPUTS, OUTPUT_IDS, TICKS_HALF, TICKS_MAX, const, ticks_diff
from thruway.routes import SETTINGS_FILE
from thruway_board import status as light
from thruway_board.ports import CLOCK_LEAD_BYTES, READ_CHUNK, RX_BUFFER
from thruway_board.settingsfile import MISSING, SettingsFile, forget_reader

if False:  # for the type check only (CircuitPython has no typing module)
    from typing import Any, Callable

    from thruway_board.ports import Ports

HOUSEKEEPING_MS = const(4)  # core timeouts and the button, every 4 ms
LED_EVERY = const(5)  # activity LEDs and the status light every 5th housekeeping pass: 20 ms
USB_CHECK_EVERY = const(25)  # USB and serial presence every 25th: 100 ms
HOUSEKEEPING_CYCLE = const(100)  # the pass counter wraps here (a multiple of both)
DEBOUNCE = const(3)  # button samples that must agree: 12 ms
SETTINGS_POLL_MS = const(500)  # os.stat of the settings file at most twice a second
DIAGNOSTICS_MS = const(5000)  # maintenance mode prints its figures this often
USB_READ = const(64)
DIN_OUTPUTS = const(0x0F)  # out1..out4 in the core's output bits
OUT_USB_BIT = const(0x10)
RX_NEAR_FULL = RX_BUFFER - 256  # an input this full is close to losing bytes
RESTART_DRAIN_MS = const(200)  # the most a restart waits for the outputs to send the Note Offs
# The box's own clock by the microsecond clock: looked at from this many ms before it is due
# (ticks_ms steps by up to 1.95 ms), before each costly part of a pass; a clock due within
# what that part costs (on the rig) is waited for and sent first.
CLOCK_LOOK_MS = const(3)
AHEAD_PASS_US = const(250)  # reading the inputs with nothing to read
AHEAD_HOUSEKEEPING_US = const(700)  # ...and a housekeeping pass (0.48 ms at most)
AHEAD_RECEIVE_US = const(250)  # the core taking n bytes: this and AHEAD_BYTE_US a byte
AHEAD_BYTE_US = const(120)
AHEAD_SERVE_US = const(700)  # the outputs given what waits (two transmits and writes)
AHEAD_CLOCK_US = const(300)  # the clock queued for its outputs, before its microsecond
CLOCK_WAIT_READS = const(100)  # a read takes 41 µs: never more than about 4 ms, whatever the counter says

_mem_free = getattr(gc, "mem_free", None)  # CircuitPython's; CPython has none


def _due(now, when):
    """Whether tick `now` has reached tick `when` (wrap-safe, no call to ticks_diff)."""
    return ((now - when) & TICKS_MAX) < TICKS_HALF


class Loop:
    """The firmware loop over opened `ports` (thruway_board.ports.open_ports()).

    `start()` loads the settings file and prints the start-up line; `step()` is one pass;
    `run()` steps for ever. Time comes from `ticks_ms` (supervisor.ticks_ms on the board,
    the virtual board's clock on a computer); lines for the serial console go to `say`."""

    def __init__(self, ports, settings_path=SETTINGS_FILE, maintenance=False, ticks_ms=None, say=print, first=None,
                 restart=None):
        # type: (Ports, str, bool, Callable[[], int] | None, Callable[[str], Any], Any, Callable[[], Any] | None) -> None
        self.ports = ports
        self.ticks = ticks_ms if ticks_ms is not None else supervisor.ticks_ms
        self.say = say
        self.maintenance = maintenance
        # The routing of the file read first, or the default routing until start() reads it.
        found = first[2][0] if first else None
        try:
            self.core = Core(found, collect=gc.collect)
        except MemoryError:
            self.core = Core()
            first = (first[0], first[1], (None, [first[0].too_big()]))
        self.inputs = list(ports.inputs)
        self.rx = [bytearray(READ_CHUNK) for _ in self.inputs]
        self.outs = list(ports.outputs)
        self.usb_in = ports.usb_in
        self.usb_rx = bytearray(USB_READ)
        self.usb_out = ports.usb_out
        self.bind_outputs()
        self.micros = None  # type: Callable[[], int] | None  # the microsecond counter, once the box makes its clock
        self.clock_look = 0  # the ms tick from which the microsecond clock is looked at
        self.clock_near = False  # looked at, and due soon: look again before each costly part
        self.leds = list(ports.leds)
        self.button = ports.button
        self.button_pressed = ports.button_pressed
        self.status = ports.status
        # `first`: (SettingsFile, its stat(), its read()) made before the ports and the core took
        # the heap (code.py reads the file first: a large file needs the heap whole). `restart`
        # (supervisor.reload on the board): how to read a saved file again from a whole heap
        # when the running box has no room left for it.
        self.file = first[0] if first else SettingsFile(settings_path)
        self.first = first
        self.restart = restart
        # Figures (maintenance mode prints them; `thruway sim` reads them).
        self.steps = 0  # passes since the window began
        self.worst_ms = 0  # longest time between two passes in the window
        self.window_start = 0
        self.bytes_in = [0, 0, 0]  # in1, in2, usb (counters wrap at 2**29: a long int would allocate)
        self.near_full = [0] * len(self.inputs)  # passes that found an input's buffer nearly full
        self.polls = 0  # looks at the settings file
        self.reloads = 0
        self.reload_errors = 0
        self.panics = 0
        self.loops_said = 0  # outputs whose stopped routes (the loop guard) the console was told of
        # State.
        self.last = 0
        self.act = 0  # activity bits since the LEDs were last updated: in1, in2, out1..out4
        self.clocked = 0  # DIN outputs given realtime since pace_outputs() last looked
        self.act_before = 0
        self.leds_lit = 0
        self.hk = 0
        self.next_housekeeping = 0
        self.next_poll = 0
        self.next_diagnostics = 0
        self.btn_raw = False
        self.btn_count = 0
        self.btn_down = False
        self.panic_until = 0
        self.panic_lit = False
        self.errors = []  # type: list[str]  # the settings file's errors while it has any
        self.size = MISSING  # what os.stat said of the file that is applied
        self.mtime = MISSING
        self.seen_size = MISSING  # a change seen once: applied when the next poll agrees
        self.seen_mtime = MISSING
        self.serial_was = False
        self.usb_connected = True

    def bind_outputs(self):
        """Hand each output driver the core's transmit (they keep the bound method: quicker on
        the board). Call again after replacing self.core or wrapping core.transmit."""
        for out in self.outs:
            out.attach(self.core)
        if self.usb_out is not None:
            self.usb_out.attach(self.core)

    def time_clock(self):
        """When the settings make the box's own clock, time it by the microsecond counter
        (opened now, if a PIO state machine is free; else it keeps whole milliseconds)."""
        core = self.core
        if core.clock_tempo and self.micros is None:
            opener = getattr(self.ports, "microsecond_clock", None)
            micros = opener() if opener is not None else None
            if micros is not None:
                self.micros = micros
                core.clock_units(1000)

    def pace_outputs(self):
        """Hold the outputs that carried clock or transport since the last look to
        CLOCK_LEAD_BYTES ahead of their wire (a clock byte waits behind what is already in the
        port), the others to their whole lead (a busy wire kept full)."""
        clocked = self.clocked
        self.clocked = 0
        for out in self.outs:
            out.lead = min(CLOCK_LEAD_BYTES, out.most) if (clocked >> out.index) & 1 else out.most

    # ---- start ------------------------------------------------------------------------

    def start(self):
        """Read the settings file, print the start-up line, get ready to step."""
        now = self.ticks()
        if self.first:
            _, (self.size, self.mtime), (settings, errors) = self.first
            self.first = None
        else:
            self.size, self.mtime = self.file.stat()
            settings, errors = self.file.read()
            if settings is not None:
                try:
                    self.core.apply(settings, collect=gc.collect)
                except MemoryError:
                    settings, errors = None, [self.file.too_big()]
        self.seen_size, self.seen_mtime = self.size, self.mtime
        self.errors = errors
        self.time_clock()
        self.say(self.startup_line(settings, errors))
        for line in errors:
            self.say("  " + line)
        if self.maintenance:
            self.say("Maintenance mode: autoreload on; loop figures every %d s. Routing:" % (DIAGNOSTICS_MS // 1000))
            if self.core.scene_name() is not None:
                self.say("  now in" + self.scene_words()[1:])
            from thruway.settings import describe

            for line in describe(self.core.settings):
                self.say("  " + line)
            del describe
            forget_reader()
            if _mem_free is not None:
                gc.collect()
                self.say("Free memory after start: %d bytes" % _mem_free())
        if self.button is not None:
            # A button still held from power-up (maintenance mode) is not a panic.
            self.btn_raw = self.btn_down = self.button.value == self.button_pressed
        self.last = self.window_start = now
        self.next_housekeeping = now
        self.next_poll = (now + SETTINGS_POLL_MS) & TICKS_MAX
        self.next_diagnostics = (now + DIAGNOSTICS_MS) & TICKS_MAX
        self.check_usb()
        self.show(now)

    def startup_line(self, settings, errors):
        where = self.ports.board or "an unknown board"
        from thruway_board.pins import BOARDS

        if where in BOARDS:
            where = str(BOARDS[where]["name"])
        head = "Thruway %s on %s: " % (__version__, where)
        name = self.file.name
        if errors:
            return head + "%s has %d error%s; running the default routing until it is fixed:" % (
                name,
                len(errors),
                "" if len(errors) == 1 else "s",
            )
        if self.size == MISSING:
            return head + "no %s, default routing (both DIN inputs to every output, USB to the DIN outputs)" % name
        routes = len(settings.routes)
        return head + "%s loaded, %d route%s%s" % (name, routes, "" if routes == 1 else "s", self.scene_words())

    def scene_words(self):
        """', scene "Verse" (1 of 3)' when the settings have scenes, else nothing."""
        name = self.core.scene_name()
        settings = self.core.settings
        if name is None or settings is None:
            return ""
        return ', scene "%s" (%d of %d)' % (name, self.core.scene + 1, len(settings.scenes))

    # ---- the loop ---------------------------------------------------------------------

    def run(self):
        """Step for ever."""
        step = self.step
        while True:
            step()

    def step(self):
        """One pass: every input into the core, every output as much as it can take."""
        # What a pass with nothing to do costs is the floor of every message's wait: the
        # work that follows time (figures, the box's own clock, housekeeping) is done only
        # on the first pass of each millisecond.
        now = self.ticks()
        self.steps += 1
        core = self.core
        housekeeping = False
        if now != self.last:
            gap = (now - self.last) & TICKS_MAX
            self.last = now
            if gap > self.worst_ms:
                self.worst_ms = gap
            if core.clock_tempo and self.micros is None and ((now - core.clock_due) & TICKS_MAX) < TICKS_HALF:
                # The box's own clock is due: sent now, not at the next housekeeping (4 ms late).
                core.clock_tick(now)
            housekeeping = ((now - self.next_housekeeping) & TICKS_MAX) < TICKS_HALF
        if core.clock_tempo and self.micros is not None:
            if core.clock_due < 0 or ((now - self.clock_look) & TICKS_MAX) < TICKS_HALF:
                self.fine_clock(now, AHEAD_HOUSEKEEPING_US if housekeeping else AHEAD_PASS_US)
        if housekeeping:
            self.housekeeping(now)
        i = 0
        for uart in self.inputs:
            # in_waiting also moves bytes still in the UART's FIFO into its buffer, so a
            # message's last bytes are read now rather than after the 1 ms FIFO timeout.
            waiting = uart.in_waiting
            if waiting:
                if waiting > RX_NEAR_FULL:
                    self.near_full[i] = (self.near_full[i] + 1) & TICKS_MAX
                buf = self.rx[i]
                n = uart.readinto(buf)
                if n:
                    if self.clock_near:
                        self.fine_clock(now, AHEAD_RECEIVE_US + n * AHEAD_BYTE_US)
                    core.receive(i, buf, n, now, self.realtime_first(i, buf, n, now) if buf[0] >= 0xF8 else 0)
                    self.bytes_in[i] = (self.bytes_in[i] + n) & TICKS_MAX
                    self.act |= 1 << i
            i += 1
        usb = self.usb_in
        if usb is not None:
            # PortIn.readinto returns a count (circuitpython-stubs 10.3 says bytes).
            got = usb.readinto(self.usb_rx)  # type: Any
            if got:
                if self.clock_near:
                    self.fine_clock(now, AHEAD_RECEIVE_US + got * AHEAD_BYTE_US)
                buf = self.usb_rx
                core.receive(IN_USB, buf, got, now, self.realtime_first(IN_USB, buf, got, now) if buf[0] >= 0xF8 else 0)
                self.bytes_in[IN_USB] = (self.bytes_in[IN_USB] + got) & TICKS_MAX
        queues = core.queues
        pending = queues.pending
        if pending:
            if self.clock_near:
                self.fine_clock(now, AHEAD_SERVE_US)
                pending = queues.pending
            realtime = queues.realtime & DIN_OUTPUTS
            if realtime:
                # Clock and transport first: an output with realtime waiting is served before
                # the others' messages (each costs a good part of a millisecond on the board),
                # and not again in this pass.
                self.serve(realtime, now)
                self.clocked |= realtime
                pending &= ~realtime
            self.serve(pending, now)
            usb_out = self.usb_out
            if usb_out is not None and (pending & OUT_USB_BIT or usb_out.pending):
                usb_out.service(now)
        elif self.usb_out is not None and self.usb_out.pending:
            self.usb_out.service(now)

    def fine_clock(self, now, ahead):
        """The box's own clock by the microsecond clock, looked at before a part of the pass
        that costs about `ahead` µs: a clock due within that is waited for here, sent, and its
        outputs served at once, so that it leaves at its microsecond whatever the pass holds."""
        micros = self.micros  # type: Any  # set: step() calls this only when it is
        core = self.core
        us = micros()
        due = core.clock_due
        left = ticks_diff(due, us)
        if due >= 0 and left > 0:
            if left > ahead + AHEAD_CLOCK_US:
                self.clock_near = left < CLOCK_LOOK_MS * 1000
                self.clock_look = (now + left // 1000 - CLOCK_LOOK_MS) & TICKS_MAX
                return
            # Queued now, written at its microsecond: what stands between the wait and the
            # wire is the outputs' transmit and write of that one byte.
            core.clock_tick(due)
            for _ in range(CLOCK_WAIT_READS):
                if ticks_diff(due, micros()) <= 0:
                    break
            us = due
        else:
            core.clock_tick(us)
        queues = core.queues
        realtime = queues.realtime & DIN_OUTPUTS
        if realtime:
            # Only the realtime bytes: the messages waiting behind them go in the pass's serve.
            counts = queues.rt_count
            mask = realtime
            for out in self.outs:
                if mask & 1:
                    out.service(now, counts[out.index])
                mask >>= 1
            self.clocked |= realtime
            self.act |= realtime << 2
        left = ticks_diff(core.clock_due, us)
        self.clock_look = (now + left // 1000 - CLOCK_LOOK_MS) & TICKS_MAX
        self.clock_near = False

    def realtime_first(self, port, buf, n, now):
        """A read that starts with realtime (a clock, most often, with the beat's notes behind
        it): the realtime goes into the core and out to its outputs before the rest is routed,
        which would hold it for a good part of a millisecond a message. Returns the bytes taken."""
        k = 1
        while k < n and buf[k] >= 0xF8:
            k += 1
        if k == n:
            return 0  # realtime alone: the pass's own serve sends it first
        core = self.core
        core.receive(port, buf, k, now)
        realtime = core.queues.realtime & DIN_OUTPUTS
        if realtime:
            self.serve(realtime, now)
            self.clocked |= realtime
        return k

    def serve(self, mask, now):
        """Give the DIN outputs whose bit is in `mask` what their wires can take now. Only
        outputs with bytes waiting are asked: a call per idle output would cost more than the
        rest of an idle pass."""
        bit = 4
        for out in self.outs:
            if mask & 1 and out.service(now):
                self.act |= bit
            bit <<= 1
            mask >>= 1

    def housekeeping(self, now):
        """Every few milliseconds: timeouts, button, and one of LEDs, USB presence, settings file."""
        # Each of the slower jobs (LEDs 0.14 ms, USB presence 0.07 ms, the settings file's
        # stat 0.37 ms on the board) has a pass of its own: no pass holds MIDI for all of them.
        self.next_housekeeping = (now + HOUSEKEEPING_MS) & TICKS_MAX
        self.core.tick(now)
        hk = self.hk = (self.hk + 1) % HOUSEKEEPING_CYCLE
        self.sample_button(now)
        if hk % LED_EVERY == 0:
            self.show(now)
        elif hk % USB_CHECK_EVERY == 1:
            self.check_usb()
        elif hk % USB_CHECK_EVERY == 2:
            self.pace_outputs()
        elif self.core.loops != self.loops_said:
            self.say_loops()
        elif _due(now, self.next_poll):
            self.poll_settings(now)
        elif _due(now, self.next_diagnostics):
            if self.maintenance:
                self.print_diagnostics()
            else:
                self.next_diagnostics = (now + DIAGNOSTICS_MS) & TICKS_MAX
                self.new_window(now)  # keeps the pass count small

    def say_loops(self):
        """The loop guard stopped routes: say which instrument echoes, and what to do."""
        core = self.core
        names = core.settings.output_names
        for o in range(N_OUTPUTS):
            if (core.loops >> o) & 1 and not (self.loops_said >> o) & 1:
                port = core.loop_from[o]
                back = " on %s" % INPUT_IDS[port] if port >= 0 else ""
                self.say(
                    "Thruway: %s (%s) sends back%s what the box sends it (its MIDI thru or echo is on):"
                    " the routes to it are stopped until %s is saved again. Turn its echo off."
                    % (OUTPUT_IDS[o], names[o], back, self.file.name)
                )
        self.loops_said = core.loops

    # ---- button and lights ------------------------------------------------------------

    def sample_button(self, now):
        button = self.button
        if button is None:
            return
        raw = button.value == self.button_pressed
        if raw != self.btn_raw:
            self.btn_raw = raw
            self.btn_count = 0
            return
        if self.btn_count < DEBOUNCE:
            self.btn_count += 1
            if self.btn_count == DEBOUNCE and raw != self.btn_down:
                self.btn_down = raw
                if raw:
                    self.panic(now)

    def panic(self, now):
        """Note Off for every sounding note, then All Notes Off and sustain off, on every output."""
        sent = self.core.panic()
        self.panics += 1
        self.panic_until = (now + light.PANIC_MS) & TICKS_MAX
        self.panic_lit = True
        if self.maintenance:
            self.say("Panic: %d messages queued" % len(sent))

    def mode(self, now):
        if self.panic_lit:
            if not _due(now, self.panic_until):
                return light.PANIC
            self.panic_lit = False
        if self.errors:
            return light.SETTINGS_ERROR
        if self.core.loops:
            return light.LOOP
        if self.maintenance:
            return light.MAINTENANCE
        return light.RUNNING

    def show(self, now):
        """Activity LEDs (lit while their port moved bytes in the last 20-40 ms) and the status light."""
        lit = self.act | self.act_before
        self.act_before = self.act
        self.act = 0
        if lit != self.leds_lit:
            leds = self.leds
            for k in range(len(leds)):
                bit = 1 << k
                led = leds[k]
                if (lit ^ self.leds_lit) & bit and led is not None:
                    led.value = bool(lit & bit)
            self.leds_lit = lit
        if self.status is not None:
            self.status.show(self.mode(now), now)

    # ---- USB and serial presence --------------------------------------------------------

    def check_usb(self):
        runtime = supervisor.runtime
        connected = runtime.usb_connected
        self.usb_connected = connected
        if self.usb_out is not None:
            self.usb_out.connected = connected
            if not connected:
                # No computer: nothing waits for one.
                self.usb_out.drop()
        serial = runtime.serial_connected
        if serial and not self.serial_was and self.errors:
            # Someone just opened the serial console: tell them why the light blinks.
            self.say_errors()
        self.serial_was = serial

    # ---- settings file ----------------------------------------------------------------

    def quiet(self):
        """No byte waits anywhere: reading the file now delays nothing."""
        for uart in self.inputs:
            if uart.in_waiting:
                return False
        if self.core.queues.pending:
            return False
        return self.usb_out is None or not self.usb_out.pending

    def poll_settings(self, now):
        """Notice a saved settings file (os.stat) and apply it once the host has finished."""
        if not self.quiet():
            return  # try again at the next housekeeping pass
        self.next_poll = (now + SETTINGS_POLL_MS) & TICKS_MAX
        self.polls += 1
        size, mtime = self.file.stat()
        if size == self.size and mtime == self.mtime:
            self.seen_size, self.seen_mtime = size, mtime
            return
        if size != self.seen_size or mtime != self.seen_mtime:
            # Changed since the last poll: the host may still be writing. Wait for the next.
            self.seen_size, self.seen_mtime = size, mtime
            return
        self.apply_file()

    def apply_file(self):
        """Read the settings file and apply it; a file with errors changes nothing but the light.
        MIDI goes on meanwhile: the reading and the making of the new tables call
        pass_while_reading() between pieces of a few ms each."""
        self.size, self.mtime = self.seen_size, self.seen_mtime
        # No housekeeping until the file is applied: its settings poll would come back here.
        resume = self.next_housekeeping
        self.next_housekeeping = (resume + TICKS_HALF - 1) & TICKS_MAX
        self.lights_due = self.last  # ...but the timeouts and the lights go on (pass_while_reading)
        try:
            self.read_and_apply()
        finally:
            self.next_housekeeping = resume

    def pass_while_reading(self):
        """One pass of MIDI (inputs into the core, outputs served) between two pieces of
        reading and applying a saved file: until the new tables replace the old ones, the core
        routes by the old routing, and the Note Offs owed at the swap count what it received.
        The file takes seconds: the core's timeouts and the lights go on every 20 ms."""
        self.step()
        now = self.last
        if _due(now, self.lights_due):
            self.lights_due = (now + HOUSEKEEPING_MS * LED_EVERY) & TICKS_MAX
            self.core.tick(now)
            self.show(now)

    def read_and_apply(self):
        between = self.pass_while_reading
        settings, errors = self.file.read(between)
        if settings is None and self.file.out_of_memory and self.restart is not None:
            self.restart_to_read()
            return
        if settings is None:
            self.errors = errors
            self.reload_errors += 1
            self.say_errors()
        else:
            try:
                owed = self.core.apply(settings, collect=gc.collect, between=between)
            except MemoryError:
                # The tables are made before they replace the old ones: the routing is unchanged.
                settings = None
                if self.restart is not None:
                    self.restart_to_read()
                    return
                self.errors = [self.file.too_big()]
                self.reload_errors += 1
                self.say_errors()
                gc.collect()
                return
            self.time_clock()
            between()  # the owed Note Offs go out before the line is printed
            self.errors = []
            self.reloads += 1
            routes = len(settings.routes)
            self.say(
                "Thruway: %s applied, %d route%s%s; %d Note Off%s sent for notes whose route changed"
                % (
                    self.file.name,
                    routes,
                    "" if routes == 1 else "s",
                    self.scene_words(),
                    len(owed),
                    "" if len(owed) == 1 else "s",
                )
            )
        between()
        gc.collect()

    def restart_to_read(self):
        """The running box has no room to read the saved file: end every note, let the outputs
        send that, and start again, reading the file first, from a whole heap."""
        self.say("Thruway: no room in memory to read %s while running: all notes off, then a restart to read it"
                 % self.file.name)
        self.core.panic()
        end = (self.ticks() + RESTART_DRAIN_MS) & TICKS_MAX
        while not _due(self.ticks(), end) and not self.quiet():
            self.step()
        restart = self.restart
        if restart is not None:
            restart()

    def say_errors(self):
        self.say("Thruway: %s not applied, the routing stays as it was:" % self.file.name)
        for line in self.errors:
            self.say("  " + line)

    # ---- figures ----------------------------------------------------------------------

    def figures(self, now=None):
        """The loop's figures since the window began, as a dict (allocates: not for the loop)."""
        if now is None:
            now = self.ticks()
        window = (now - self.window_start) & TICKS_MAX
        usb = self.usb_out
        return {
            "window_ms": window,
            "passes": self.steps,
            "mean_us": window * 1000 // self.steps if self.steps else 0,
            "worst_ms": self.worst_ms,
            "bytes_in": list(self.bytes_in),
            "bytes_out": [out.sent for out in self.outs] + [usb.sent if usb is not None else 0],
            "near_full": list(self.near_full),
            "usb_discarded": usb.discarded if usb is not None else 0,
            "usb_connected": self.usb_connected,
            "reloads": self.reloads,
            "reload_errors": self.reload_errors,
            "panics": self.panics,
            "free_memory": _mem_free() if _mem_free is not None else None,
        }

    def new_window(self, now=None):
        """Start a new window for the loop-time figures (at tick `now`, default: the clock's)."""
        if now is None:
            now = self.ticks()
        self.steps = 0
        self.worst_ms = 0
        self.window_start = self.last = now

    def print_diagnostics(self):
        from thruway_board.diagnostics import report

        for line in report(self):
            self.say(line)
        self.next_diagnostics = (self.ticks() + DIAGNOSTICS_MS) & TICKS_MAX
        self.new_window()  # the printing itself is not loop time
