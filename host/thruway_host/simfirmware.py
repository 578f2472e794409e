"""`thruway sim` with the firmware's own loop: code.py on the virtual board, each pass charged by the model.

boot.py and code.py run on a virtual Pico (thruway_host.virtualboard) whose CostModel charges
each loop pass and each byte read the LoopModel's costs in virtual time. The captures arrive on
the virtual DIN wires and USB; the outputs' wires say when each byte left. Each byte on a wire is
traced to the input byte that let it go through the core's queues (sim._Queues), with the core's
methods wrapped on the loop's own Core: a byte at a time in, a byte (USB: a message) at a time
out, which gives the firmware the same bytes as its own calls would."""

import bisect
import os
import tempfile

from thruway.midi import IN_USB, N_INPUTS, N_OUTPUTS, OUT_USB

from thruway_host.replay import BYTE_US, SETTLE_US, arrivals
from thruway_host.sim import Progress, Run, _Queues

START_US = 50_000  # code.py runs this long (start-up) before the captures begin


class FirmwareSim(Run):
    """Runs code.py's loop on a virtual board over timed inputs; the same report as Sim."""

    def __init__(self, settings, settings_text, model, board="pico"):
        # settings: what settings_text reads as (for the report's names); the loop reads the
        # text itself from the virtual drive, as on the board.
        Run.__init__(self, settings, model)
        self.settings_text = settings_text
        self.board = board
        self.loop_kind = "firmware"
        self.core = None

    def run(self, captures):
        from thruway_host.virtualboard import VirtualBoard

        model = self.model
        cost = _PassCost(model)
        streams = []
        for port in range(N_INPUTS):
            events = captures.get(port, [])
            times = [t for t, _, chunk in arrivals(events, port) for _ in chunk]
            streams.append((events, times))
            self.in_bytes[port] = len(times)
        ends = [times[-1] for _, times in streams if times]
        if not ends:
            return self
        first = min(times[0] - (0 if p == IN_USB else BYTE_US) for p, (_, times) in enumerate(streams) if times)
        self.span_us = max(max(ends) - first, 1)
        with tempfile.TemporaryDirectory(prefix="CIRCUITPY-") as drive:
            if self.settings_text is not None:  # None: no file, the box's default routing
                with open(os.path.join(drive, "thruway.toml"), "w", encoding="utf-8") as f:
                    f.write(self.settings_text)
            with VirtualBoard(self.board, drive=drive, cost=cost) as vb:
                from thruway_board import ports as shell_ports  # the board's modules: inside only

                # The firmware's own port figures stand for the model's.
                model.tx_ahead = shell_ports.LEAD_BYTES
                model.rx_buffer = shell_ports.RX_BUFFER
                model.read_chunk = shell_ports.READ_CHUNK
                cost.clock = vb.clock
                cost.progress = Progress(max(ends) + SETTLE_US)
                vb.run_boot()
                loop = vb.run_code(START_US / 1e6)["loop"]
                t0 = vb.clock.now
                cost.start = t0
                for port, (events, _) in enumerate(streams):
                    for t, data in events:
                        if port == IN_USB:
                            vb.usb.host_send(data, at=t0 + t)
                        else:
                            vb.din(port).send(data, at=t0 + t)
                # A DIN byte is in when its stop bit is; a USB byte when the board's USB has it
                # (the virtual board delivers the computer's bytes from the next 1 ms frame).
                ready = [[t0 + t for t in times] for _, times in streams]
                ready[IN_USB] = [t for t, _ in vb.usb.to_board]
                tracer = _Tracer(self, loop, ready, vb.clock)
                vb.run_loop(loop, (max(ends) + SETTLE_US) / 1e6)
                tracer.finish(vb)
                self.core = loop.core
                for port in range(N_INPUTS - 1):
                    self.overrun[port] = vb.din(port).overrun
        self.iterations = cost.passes
        self.busiest_pass_us = cost.busiest
        self.byte_work_us = model.cost_per_byte_us * sum(self.in_bytes)
        self.backlog_max = tracer.backlog_max
        return self


class _PassCost:
    """The virtual board's cost model from a LoopModel: a pass (charged at its ticks_ms call)
    costs cost_per_iteration_us, a byte read cost_per_byte_us, and nothing else is charged on
    its own: the loop bench's figures already hold every call a pass makes. It also notes how
    many passes there were and the longest (time between two ticks_ms calls)."""

    READS = ("uart.readinto", "uart.read", "usb.readinto", "usb.read")

    def __init__(self, model):
        self.model = model
        self.clock = None
        self.charged = {}
        self.passes = 0
        self.busiest = 0.0
        self.last = None
        self.progress = None
        self.start = None  # virtual µs when the traffic starts

    def cost(self, what, nbytes=0):
        self.charged[what] = self.charged.get(what, 0) + 1
        if what == "ticks_ms":
            now = self.clock.now if self.clock is not None else 0
            if self.last is not None and now - self.last > self.busiest:
                self.busiest = now - self.last
            self.last = now
            self.passes += 1
            if self.progress is not None:
                self.progress.at(now - self.start if self.start is not None else 0)
            return round(self.model.cost_per_iteration_us)  # the virtual clock counts whole µs
        if what in self.READS:
            return round(self.model.cost_per_byte_us * nbytes)
        return 0


class _Tracer:
    """Wraps the loop's Core so that each byte it takes in and hands out is traced (sim._Queues),
    then matches what it handed out with what the wires carried."""

    def __init__(self, run, loop, ready, clock):
        self.run = run
        self.clock = clock
        self.times = ready  # per input: when each of its bytes was in the box
        self.taken = [0] * N_INPUTS  # bytes of each input the loop has read
        self.backlog_max = 0
        core = loop.core
        self.track = _Queues(core)
        self.sent = [[] for _ in range(N_OUTPUTS)]  # per output: (byte, messages started with it)
        self.receive = core.receive
        self.transmit = core.transmit
        self.tick = core.tick
        core.receive = self._receive
        core.transmit = self._transmit
        core.tick = self._tick
        loop.bind_outputs()  # the drivers keep core.transmit bound: hand them the wrapped one
        self.one = bytearray(1)
        self.msg = bytearray(3)

    def _receive(self, port, buf, n, now, start=0):
        track = self.track
        one = self.one
        times = self.times[port]
        waiting = bisect.bisect_right(times, self.clock.now) - self.taken[port]
        if waiting > self.backlog_max:
            self.backlog_max = waiting
        for i in range(start, n):
            k = self.taken[port]
            self.taken[port] = k + 1
            one[0] = buf[i]
            snap = track.before()
            self.receive(port, one, 1, now)
            track.after(snap, times[k] if k < len(times) else None, buf[i])

    def _tick(self, now):
        snap = self.track.before()
        self.tick(now)
        self.track.after(snap, None)

    def _transmit(self, out, buf, room):
        track = self.track
        sent = self.sent[out]
        n = 0
        if out == OUT_USB:
            msg = self.msg
            while n < room:
                got, started = track.next_usb_message(self.transmit, out, msg, room - n)
                if not got:
                    break
                for k in range(got):
                    buf[n + k] = msg[k]
                    sent.append((msg[k], started if k == 0 else ()))
                n += got
            return n
        one = self.one
        while n < room:
            snap = track.before()
            if not self.transmit(out, one, 1):
                break
            buf[n] = one[0]
            sent.append((one[0], track.taken(out, snap)))
            n += 1
        return n

    def finish(self, vb):
        """Match the bytes handed out with the wires, in order: each wire says when they left."""
        for o in range(N_OUTPUTS):
            wire = vb.usb.received if o == OUT_USB else vb.wire(o)
            sent = self.sent[o]
            if len(wire) > len(sent) or any(wire[k][1] != sent[k][0] for k in range(len(wire))):
                raise AssertionError("output %d: the wire does not carry what the core handed out" % o)
            rec = self.run.outputs[o]
            for k, (t, b) in enumerate(wire):
                self.run._sent(rec, sent[k][1], bytes((b,)), 1, t)
