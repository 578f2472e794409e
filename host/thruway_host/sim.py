"""The timed simulation: the replay with the firmware loop's timing modelled on a calibrated RP2040.

Inputs arrive at wire speed (a DIN byte every 320 µs, USB as it comes). A loop like the
firmware's reads what has arrived, feeds the core, ticks it and hands each output what its port
can take; each pass costs the time the LoopModel says. DIN outputs drain at wire speed. Every
message's wait in the box, every clock's deviation, queue depths and drops are measured.
docs/performance.md explains the model and where its figures come from."""

import math
from collections import deque

from thruway.core import Core
from thruway.midi import CLOCK, IN_USB, INPUT_IDS, LENGTH, N_INPUTS, N_OUTPUTS, OUT_USB, OUTPUT_IDS, TICKS_MAX
from thruway.output import N_SOURCES, QUEUE_BYTES, QUEUE_MASK

from thruway_host.replay import BYTE_US, SETTLE_US, arrivals

# The model's defaults are `make bench` figures, committed in docs/bench-reference.json
# (simulation_model): measured on the real firmware on the rig (rig/probe_cost.py): a pass of
# the loop with nothing to do, and per byte read a third of a note's way into the core and out
# to its two outputs (without the rig, the old same-run estimate; see docs/performance.md).
# A test checks they match that file.
# A builder plugs in a real board's figures with --cost-per-byte-us and --cost-per-iteration-us.
DEFAULT_COST_PER_BYTE_US = 246.7
DEFAULT_COST_PER_ITERATION_US = 112.0
TX_AHEAD_BYTES = 2  # bytes the loop lets wait in a DIN port's FIFO: one on the wire, one next
RX_BUFFER_BYTES = 1024  # the UARTs' receive ring (busio.UART receiver_buffer_size)
READ_CHUNK_BYTES = 64  # the most the loop reads from one input in a pass


class LoopModel:
    """What a pass of the firmware loop costs, and how it uses the ports.

    A pass reads every input (up to read_chunk bytes each), feeds the core, ticks it and writes
    each output; it takes cost_per_iteration_us plus cost_per_byte_us for each byte read. The
    writes land at the end of the pass. A DIN output is given bytes only while fewer than
    tx_ahead of its bytes are unsent, so a realtime byte never waits behind a full FIFO. A DIN
    input's bytes beyond rx_buffer unread are lost, as a full UART ring loses them."""

    def __init__(
        self,
        cost_per_byte_us=DEFAULT_COST_PER_BYTE_US,
        cost_per_iteration_us=DEFAULT_COST_PER_ITERATION_US,
        tx_ahead=TX_AHEAD_BYTES,
        rx_buffer=RX_BUFFER_BYTES,
        read_chunk=READ_CHUNK_BYTES,
    ):
        if cost_per_iteration_us <= 0:
            raise ValueError("the cost of a loop pass must be more than 0 µs")
        if cost_per_byte_us < 0:
            raise ValueError("the cost per byte cannot be negative")
        if tx_ahead < 1 or rx_buffer < 1 or read_chunk < 1:
            raise ValueError("tx_ahead, rx_buffer and read_chunk must be at least 1")
        self.cost_per_byte_us = float(cost_per_byte_us)
        self.cost_per_iteration_us = float(cost_per_iteration_us)
        self.tx_ahead = tx_ahead
        self.rx_buffer = rx_buffer
        self.read_chunk = read_chunk

    def cost(self, n_bytes):
        """µs a pass that read n_bytes takes."""
        return self.cost_per_iteration_us + self.cost_per_byte_us * n_bytes

    def as_dict(self):
        return {
            "cost_per_byte_us": self.cost_per_byte_us,
            "cost_per_iteration_us": self.cost_per_iteration_us,
            "tx_ahead_bytes": self.tx_ahead,
            "rx_buffer_bytes": self.rx_buffer,
            "read_chunk_bytes": self.read_chunk,
        }


class _Queues:
    """Follows each message through the core's output queues, so that a byte on a wire can be
    traced to the input byte that let it go. It reads the queues' counters and bytes
    (core.queues: a ring per output and source, q = output * N_SOURCES + source, and a realtime
    ring per output) around each call, and never writes them: the one place in the host tools
    that knows their layout."""

    def __init__(self, core):
        qs = core.queues
        self.buf = qs.buf
        self.head = qs.head
        self.count = qs.count
        self.rt_count = qs.rt_count
        n = N_OUTPUTS * N_SOURCES
        self.pushed = [0] * n  # bytes ever queued, per queue
        self.popped = [0] * n  # bytes ever taken out, per queue
        self.starts = [deque() for _ in range(n)]  # (position, ready µs or None): message starts
        self.realtime = [deque() for _ in range(N_OUTPUTS)]  # (ready µs or None, byte)

    def before(self):
        return list(self.count), list(self.rt_count)

    def after(self, snapshot, ready, byte=None):
        """Record what a call queued: messages start at status bytes (an F7 only ends a SysEx);
        `ready` is when the box had what it needed to send them (None: the box made them)."""
        counts, rt_counts = snapshot
        queued = False
        for q in range(N_OUTPUTS * N_SOURCES):
            added = self.count[q] - counts[q]
            if added <= 0:
                continue
            queued = True
            base = q * QUEUE_BYTES
            first = self.head[q] + counts[q]
            for i in range(added):
                b = self.buf[base + ((first + i) & QUEUE_MASK)]
                if b >= 0x80 and b != 0xF7:
                    self.starts[q].append((self.pushed[q] + i, ready))
            self.pushed[q] += added
        for o in range(N_OUTPUTS):
            for _ in range(self.rt_count[o] - rt_counts[o]):
                self.realtime[o].append((ready, byte))
                queued = True
        return queued

    def next_usb_message(self, transmit, o, buf, room=3):
        """The USB output's next realtime byte or whole message into buf, through `transmit`,
        one at a time (asking for 1, then 2, then 3 bytes) so that each is traced: (bytes, what
        started, as taken() says); (0, []) when nothing can go."""
        for size in (1, 2, 3):
            if size > room:
                break
            snap = self.before()
            n = transmit(o, buf, size)
            if n:
                return n, self.taken(o, snap)
        return 0, []

    def taken(self, o, snapshot):
        """What one transmit call took from output o: [(ready, is_clock)] for each message that
        started on the wire in it (a realtime byte is a message of its own)."""
        counts, rt_counts = snapshot
        started = []
        for _ in range(rt_counts[o] - self.rt_count[o]):
            ready, byte = self.realtime[o].popleft()
            started.append((ready, byte == CLOCK))
        for q in range(o * N_SOURCES, (o + 1) * N_SOURCES):
            took = counts[q] - self.count[q]
            if took <= 0:
                continue
            self.popped[q] += took
            starts = self.starts[q]
            while starts and starts[0][0] < self.popped[q]:
                started.append((starts.popleft()[1], False))
        return started


class OutputRecord:
    """What one output did: messages and bytes on its wire, each message's wait, each clock's delay."""

    def __init__(self):
        self.messages = 0
        self.bytes = 0
        self.wire = bytearray()  # every byte sent, in order
        self.latencies = []  # µs from input wire end to output wire start, per message from an input
        self.clock_delays = []  # the same, for each clock byte


class Run:
    """What one simulated run measured, and its report: the parts both loops share (Sim here,
    FirmwareSim in simfirmware.py). A run fills outputs, in_bytes, lost and the loop figures."""

    def __init__(self, settings, model):
        self.settings = settings
        self.model = model
        self.outputs = [OutputRecord() for _ in range(N_OUTPUTS)]
        self.in_bytes = [0] * N_INPUTS
        self.overrun = [0] * N_INPUTS
        self.iterations = 0
        self.busiest_pass_us = 0.0
        self.byte_work_us = 0.0
        self.backlog_max = 0
        self.span_us = 0
        self.loop_kind = "model"

    def _sent(self, rec, started, data, n, start):
        rec.bytes += n
        rec.wire.extend(data[:n])
        for ready, is_clock in started:
            rec.messages += 1
            if ready is None:
                continue  # made by the box itself (a SysEx closed on timeout, released notes)
            rec.latencies.append(start - ready)
            if is_clock:
                rec.clock_delays.append(start - ready)

    # ---- figures ----------------------------------------------------------------------

    def report(self):
        """The figures as a dict; every key that holds a figure names its unit."""
        stats = self.core.stats()
        outputs = {}
        for o, port_id in enumerate(OUTPUT_IDS):
            rec = self.outputs[o]
            s = stats["outputs"][port_id]
            delays = rec.clock_delays
            best = min(delays) if delays else 0
            jitter = [d - best for d in delays]
            outputs[port_id] = {
                "name": self.settings.output_names[o],
                "messages": rec.messages,
                "bytes": rec.bytes,
                "latency_p50_us": percentile(rec.latencies, 50),
                "latency_p99_us": percentile(rec.latencies, 99),
                "latency_max_us": percentile(rec.latencies, 100),
                "clock_messages": len(delays),
                "clock_jitter_p99_us": percentile(jitter, 99),
                "clock_jitter_max_us": percentile(jitter, 100),
                "deepest_queue_bytes": s["deepest_queue"],
                "dropped_messages": dict((k[len("dropped_") :], v) for k, v in s.items() if k.startswith("dropped_")),
            }
        inputs = {}
        for p, port_id in enumerate(INPUT_IDS):
            counters = stats["inputs"][port_id]
            inputs[port_id] = {
                "name": self.settings.input_names[p],
                "bytes": self.in_bytes[p],
                "lost_bytes": self.overrun[p],
                "messages": counters["messages"],
                "counters": dict((k, v) for k, v in counters.items() if v and k != "messages"),
            }
        return {
            "model": dict(self.model.as_dict(), loop=self.loop_kind),
            "traffic_ms": round(self.span_us / 1000, 3),
            "loop": {
                "iterations": self.iterations,
                "busiest_iteration_us": round(self.busiest_pass_us, 3),
                "cpu_load_pct": round(100 * self.byte_work_us / self.span_us, 2) if self.span_us else 0.0,
                "rx_backlog_max_bytes": self.backlog_max,
            },
            "inputs": inputs,
            "outputs": outputs,
        }

    def distributions(self):
        """Per output id: (latencies, clock jitters) in µs, for plots."""
        result = {}
        for o, port_id in enumerate(OUTPUT_IDS):
            rec = self.outputs[o]
            best = min(rec.clock_delays) if rec.clock_delays else 0
            result[port_id] = (list(rec.latencies), [d - best for d in rec.clock_delays])
        return result


QUIET_US = 10_000_000  # a quiet stretch longer than every timer of the core (Active Sensing's 5 s)


def shorten_quiet(captures, longest_us):
    """The captures with every stretch of silence on all inputs longer than `longest_us` cut
    down to it, and how many were: a box that hears nothing only waits, so 30 years of
    silence simulate like `longest_us` (the clock the box makes itself, with source =
    "internal", is the one thing that would have gone on)."""
    times = sorted(set(t for events in captures.values() for t, _ in events))
    shift = {}
    cut = 0
    total = 0
    previous = 0  # the silence before the first event counts too
    for t in times:
        if t - previous > longest_us:
            total += t - previous - longest_us
            cut += 1
        shift[t] = total
        previous = t
    if not cut:
        return captures, 0
    return dict((port, [(t - shift[t], data) for t, data in events]) for port, events in captures.items()), cut


class Progress:
    """A line on stderr every few seconds once a run has taken longer than a few: how much of
    the traffic has been simulated."""

    AFTER_S = 3.0
    EVERY_S = 2.0

    def __init__(self, end_us, stream=None):
        import sys
        import time

        self.end_us = end_us
        self.stream = stream or sys.stderr
        self.clock = time.monotonic
        self.started = self.clock()
        self.next = self.started + self.AFTER_S
        self.calls = 0

    def at(self, now_us):
        self.calls += 1
        if self.calls & 1023:
            return
        wall = self.clock()
        if wall >= self.next:
            self.next = wall + self.EVERY_S
            print(
                "thruway sim: %.1f of %.1f s of traffic simulated (%.0f s so far)" % (now_us / 1e6, self.end_us / 1e6, wall - self.started),
                file=self.stream,
            )


class Sim(Run):
    """Runs the core in a modelled firmware loop over timed inputs."""

    def __init__(self, settings, model=None):
        Run.__init__(self, settings, model or LoopModel())
        self.core = Core(settings)

    def run(self, captures):
        """captures: {input port: [(µs, bytes)]}. Returns self (see report())."""
        core = self.core
        model = self.model
        track = _Queues(core)
        streams = []
        for port in range(N_INPUTS):
            times = []
            data = bytearray()
            for t, _, chunk in arrivals(captures.get(port, []), port):
                for b in chunk:
                    times.append(t)
                    data.append(b)
            streams.append((times, data))
            self.in_bytes[port] = len(data)
        ends = [s[0][-1] for s in streams if s[0]]
        if not ends:
            return self
        first = min(s[0][0] - (0 if p == IN_USB else BYTE_US) for p, s in enumerate(streams) if s[0])
        last = max(ends)
        self.span_us = max(last - first, 1)
        settle_until = last + SETTLE_US
        progress = Progress(settle_until)
        arrived = [0] * N_INPUTS  # bytes of each stream in the box's receive buffer or read
        unread = [deque() for _ in range(N_INPUTS)]
        in_flight = [deque() for _ in range(N_OUTPUTS)]  # wire end of each byte written, not yet sent
        wire_free = [0.0] * N_OUTPUTS
        one = bytearray(1)
        out = bytearray(4)
        t = 0.0
        while True:
            progress.at(t)
            for port in range(N_INPUTS):
                times = streams[port][0]
                k = arrived[port]
                while k < len(times) and times[k] <= t:
                    if port != IN_USB and len(unread[port]) >= model.rx_buffer:
                        self.overrun[port] += 1  # the UART's ring is full: the byte is lost
                    else:
                        unread[port].append(k)
                    k += 1
                arrived[port] = k
                if len(unread[port]) > self.backlog_max:
                    self.backlog_max = len(unread[port])
            now_ms = int(t // 1000) & TICKS_MAX
            n_read = 0
            for port in range(N_INPUTS):
                times, data = streams[port]
                waiting = unread[port]
                for _ in range(min(model.read_chunk, len(waiting))):
                    k = waiting.popleft()
                    one[0] = data[k]
                    snap = track.before()
                    core.receive(port, one, 1, now_ms)
                    track.after(snap, times[k], data[k])
                    n_read += 1
            snap = track.before()
            core.tick(now_ms)
            made = track.after(snap, None)
            cost = model.cost(n_read)
            self.iterations += 1
            self.byte_work_us += model.cost_per_byte_us * n_read
            if cost > self.busiest_pass_us:
                self.busiest_pass_us = cost
            t_w = t + cost
            written = 0
            for o in range(N_OUTPUTS):
                rec = self.outputs[o]
                if o == OUT_USB:
                    # USB takes whole messages as fast as they come.
                    while True:
                        n, started = track.next_usb_message(core.transmit, o, out)
                        if not n:
                            break
                        written += n
                        self._sent(rec, started, out, n, t_w)
                    continue
                flight = in_flight[o]
                while flight and flight[0] <= t_w:
                    flight.popleft()
                while len(flight) < model.tx_ahead:
                    snap = track.before()
                    if not core.transmit(o, out, 1):
                        break
                    start = max(t_w, wire_free[o])
                    wire_free[o] = start + BYTE_US
                    flight.append(wire_free[o])
                    written += 1
                    self._sent(rec, track.taken(o, snap), out, 1, start)
            if n_read or written or made:
                t = t_w
                continue
            # Nothing moved: the passes until something happens would find nothing either.
            event = self._next_event(streams, arrived, in_flight, t_w, settle_until)
            if event is None:
                break
            skip = max(0, math.ceil((event - t_w) / model.cost_per_iteration_us))
            self.iterations += skip
            t = t_w + skip * model.cost_per_iteration_us
        return self

    def _next_event(self, streams, arrived, in_flight, t_w, settle_until):
        """When the next pass that can do something starts, or None when nothing is left."""
        events = []
        for port in range(N_INPUTS):
            times = streams[port][0]
            if arrived[port] < len(times):
                events.append(times[arrived[port]])
        for o in range(N_OUTPUTS):
            if o != OUT_USB and self.core.waiting(o) and len(in_flight[o]) >= self.model.tx_ahead:
                # Room comes back when the oldest byte has left; the pass must write after that.
                events.append(in_flight[o][0] - self.model.cost_per_iteration_us)
        if t_w < settle_until and self.core.waits_on_time():
            # A SysEx left open or Active Sensing waits on time alone: the next millisecond.
            events.append((t_w // 1000 + 1) * 1000)
        return min(events) if events else None

def percentile(values, p):
    """The nearest-rank percentile (p in 0-100) of values, rounded to 0.1 µs; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[k - 1], 1)


# ---- accounting: every message in is on the wire or counted --------------------------------

KINDS = ("note_on", "note_off", "droppable", "other", "sysex", "realtime")


def count_kinds(data):
    """Whole messages in a byte stream (running status, realtime anywhere), by the kinds the
    core counts its drops in: Note Off (and Note On velocity 0, pedal up, channel mode) is
    note_off; CC, pressure and bend are droppable; program change and system common other."""
    counts = dict.fromkeys(KINDS, 0)
    status = 0
    have = 0
    d1 = 0
    in_sysex = False
    for b in data:
        if b >= 0xF8:
            counts["realtime"] += 1
            continue
        if b >= 0x80:
            if in_sysex:
                in_sysex = False
                counts["sysex"] += 1  # ended by F7 or, cut short, by this status byte
                if b == 0xF7:
                    continue
            have = 0
            status = b if b != 0xF7 else 0
            if b == 0xF0:
                in_sysex = True
                status = 0
            elif b == 0xF6:
                counts["other"] += 1
                status = 0
            continue
        if in_sysex or not status:
            continue
        if have == 0 and LENGTH[status] == 3:
            d1 = b
            have = 1
            continue
        first, second = (d1, b) if have else (b, 0)
        have = 0
        counts[_kind(status, first, second)] += 1
        if status >= 0xF0:
            status = 0
    return counts


def _kind(status, d1, d2):
    kind = status & 0xF0
    if kind == 0x80 or (kind == 0x90 and d2 == 0):
        return "note_off"
    if kind == 0x90:
        return "note_on"
    if kind == 0xB0 and (d1 >= 120 or (d1 == 64 and d2 < 64)):
        return "note_off"
    if kind in (0xA0, 0xB0, 0xD0, 0xE0):
        return "droppable"
    return "other"


def drop_accounting(sim, captures, output):
    """For a run where every input message is routed to `output` (the dense case): per kind,
    the messages in, on the wire, dropped by the output, and `unaccounted` (0 when every
    message that is not on the wire was counted somewhere: an output drop, a Note Off whose
    Note On was dropped, clock from an input that is not the master)."""
    stats = sim.core.stats()
    came = dict.fromkeys(KINDS, 0)
    for events in captures.values():
        for kind, n in count_kinds(b"".join(data for _, data in events)).items():
            came[kind] += n
    sent = count_kinds(sim.outputs[output].wire)
    dropped = stats["outputs"][OUTPUT_IDS[output]]
    inputs = stats["inputs"].values()
    excused = {
        "note_off": sum(c["orphan_note_off"] for c in inputs),
        "realtime": sum(c["clock_dropped"] + c["sensing_dropped"] + c["reset_dropped"] for c in inputs),
    }
    table = {}
    for kind in KINDS:
        d = dropped["dropped_" + kind]
        if kind == "note_off":
            d += dropped["dropped_pedal_up_or_mode"]  # counted apart from Note Offs by the core
        table[kind] = {
            "in": came[kind],
            "sent": sent[kind],
            "dropped": d,
            "unaccounted": came[kind] - sent[kind] - d - excused.get(kind, 0),
        }
    return table
