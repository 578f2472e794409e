"""`make bench`'s measurements inside one VM, CPython or MicroPython, printed as one JSON line.

Usage: corebench.py SETTINGS MIXED PLAIN [ROUNDS]

In this one process it times: the reference loop of docs/performance.md (for the same-run
calibration); the core on the mixed stream, a byte per loop pass with both DIN inputs in turn
and every output served each pass, and the same passes with nothing to do (the difference is
the cost per byte); the core and adafruit_midi on the plain stream; and the heap bytes the core
allocates in steady state (gc.mem_alloc under MicroPython, tracemalloc under CPython). Every
time is the best of ROUNDS runs (default 5), after a warm-up run. The MicroPython WebAssembly
build's clocks tick in whole milliseconds, so each run is made to last a few hundred ms (the
streams are repeated): a millisecond is then well under 1% of it."""

import gc
import json
import sys

from thruway.core import Core
from thruway.midi import N_OUTPUTS, OUT_USB
from thruway.settings import load

from benchclock import clock, since


MICROPYTHON = sys.implementation.name == "micropython"
REFERENCE_LOOPS = 1000000
MIXED_REPEAT = 3  # the mixed stream, 3 times over: about 20,000 passes
PLAIN_REPEAT = 20
DIN_ROOM = 2  # bytes a DIN output takes per pass (the simulation's tx_ahead)
USB_ROOM = 64
IN_MESSAGES = 0  # thruway.core's first input counter: whole messages read


def reference(n):
    # The published loop (docs/performance.md), in a function: its names are locals.
    p = [0, 1, 2]
    t0 = clock()
    for i in range(n):
        C = p[1] + p[2]  # noqa: F841
    return since(t0)


def bound(core):
    """The core's methods, bound once: binding one allocates (a loop does it before it starts)."""
    return core.receive, core.transmit, core.tick


def passes(methods, ones, out, now):
    """A loop pass per byte: in1 and in2 in turn, each pass serving every output."""
    receive, transmit, tick = methods
    t0 = clock()
    for b in ones:
        for port in (0, 1):
            receive(port, b, 1, now)
            tick(now)
            for o in range(N_OUTPUTS):
                transmit(o, out, USB_ROOM if o == OUT_USB else DIN_ROOM)
    return since(t0)


def idle_passes(methods, n, out, now):
    """The same passes with nothing arriving: tick and serve every output."""
    _, transmit, tick = methods
    t0 = clock()
    for _ in range(n):
        for port in (0, 1):
            tick(now)
            for o in range(N_OUTPUTS):
                transmit(o, out, USB_ROOM if o == OUT_USB else DIN_ROOM)
    return since(t0)


def decode_core(methods, chunks, out):
    """The plain stream into in1 (routed to out1 alone), out1 drained after each chunk."""
    receive, transmit, _ = methods
    t0 = clock()
    for chunk in chunks:
        receive(0, chunk, len(chunk), 0)
        while transmit(0, out, USB_ROOM):
            pass
    return since(t0)


class FakePort:
    """What adafruit_midi reads from: read(n) gives the next n bytes of a stream, b"" at its end."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def read(self, n):
        chunk = self.data[self.pos : self.pos + n]
        self.pos += len(chunk)
        return chunk


# adafruit_midi knows a message type only once its module is imported (each registers itself).
ADAFRUIT_TYPES = (
    "note_on",
    "note_off",
    "control_change",
    "pitch_bend",
    "channel_pressure",
    "polyphonic_key_pressure",
    "program_change",
    "system_exclusive",
    "mtc_quarter_frame",
    "timing_clock",
    "start",
    "stop",
    "midi_continue",
    "active_sensing",
    "midi_reset",
)


def adafruit_midi_ready():
    import adafruit_midi

    for name in ADAFRUIT_TYPES:
        __import__("adafruit_midi." + name)
    return adafruit_midi


def decode_adafruit(stream):
    """adafruit_midi reading the whole stream through its receive(), a message per call."""
    port = FakePort(stream)
    receive = adafruit_midi_ready().MIDI(midi_in=port).receive
    t0 = clock()
    while True:
        if receive() is None and port.pos >= len(stream):
            break
    return since(t0)


def adafruit_reads(stream):
    """How many messages adafruit_midi reads from the stream; it must know every one."""
    from adafruit_midi.midi_message import MIDIBadEvent, MIDIUnknownEvent

    port = FakePort(stream)
    midi = adafruit_midi_ready().MIDI(midi_in=port)
    n = 0
    while True:
        msg = midi.receive()
        if msg is None:
            if port.pos >= len(stream):
                return n
        elif isinstance(msg, (MIDIUnknownEvent, MIDIBadEvent)):
            raise SystemExit("adafruit_midi cannot read a message of the plain stream: %r" % msg)
        else:
            n += 1


def messages_in(core):
    return core.counter(0, IN_MESSAGES) + core.counter(1, IN_MESSAGES)


def heap_per_pass(methods, ones, out):
    """Heap bytes allocated while the mixed stream goes through the (warm) core once."""
    if MICROPYTHON:
        gc.collect()
        gc.disable()
        before = gc.mem_alloc()
        passes(methods, ones, out, 7)
        after = gc.mem_alloc()
        gc.enable()
        return {"allocated_bytes": after - before}
    import tracemalloc

    tracemalloc.start()
    passes(methods, ones, out, 7)  # the tracer's own first allocations are not the core's
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    passes(methods, ones, out, 7)
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"retained_bytes": after - before, "peak_above_start_bytes": peak - before}


def warm_up():
    """Run the reference loop until its time settles: Node compiles the WebAssembly VM's hot
    code again, optimised, after a while (it can take over a second), and only then are the
    timings those of the steady state. Returns the warm-up runs' times per iteration."""
    runs = []
    t0 = clock()
    while len(runs) < 40:
        runs.append(reference(REFERENCE_LOOPS // 4) / (REFERENCE_LOOPS // 4))
        if since(t0) > 1500000 and len(runs) >= 4 and max(runs[-3:]) <= 1.05 * min(runs[-3:]):
            break
    return runs


def main():
    settings_path, mixed_path, plain_path = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    with open(settings_path) as f:
        settings = load(f.read(), settings_path)
    with open(mixed_path, "rb") as f:
        mixed = f.read()
    with open(plain_path, "rb") as f:
        plain = f.read()
    ones = [bytes((b,)) for b in mixed] * MIXED_REPEAT
    plain = plain * PLAIN_REPEAT
    plain_ones = [bytes((b,)) for b in plain]
    plain_32 = [plain[i : i + 32] for i in range(0, len(plain), 32)]
    out = bytearray(USB_ROOM)
    result = {"vm": sys.implementation.name, "version": ".".join(str(v) for v in sys.implementation.version[:3])}
    warm = warm_up()

    core = Core(settings)
    methods = bound(core)
    before = messages_in(core)
    passes(methods, ones, out, 0)  # a first run: the count of messages
    mixed_messages = (messages_in(core) - before) // 2  # per input
    thru = Core(settings)
    thru_methods = bound(thru)
    before = thru.counter(0, IN_MESSAGES)
    decode_core(thru_methods, plain_32, out)
    plain_messages = thru.counter(0, IN_MESSAGES) - before
    read = adafruit_reads(plain)
    if read != plain_messages:
        raise SystemExit("adafruit_midi read %d messages of the plain stream, the core %d" % (read, plain_messages))

    # Every measurement once a round, the reference loop at both ends of it, so that a slow
    # spell of the machine (or of the engine) hits them alike; each figure is its best round.
    times = {}
    jobs = (
        ("reference", reference, (REFERENCE_LOOPS,)),
        ("mixed", passes, (methods, ones, out, 0)),
        ("idle", idle_passes, (methods, len(ones), out, 0)),
        ("plain_one", decode_core, (thru_methods, plain_ones, out)),
        ("plain_32", decode_core, (thru_methods, plain_32, out)),
        ("adafruit", decode_adafruit, (plain,)),
        ("reference", reference, (REFERENCE_LOOPS,)),
    )
    for _ in range(rounds):
        for name, fn, args in jobs:
            t = fn(*args)
            times.setdefault(name, []).append(t)
    best = dict((name, min(ts)) for name, ts in times.items())

    n_pass = 2 * len(ones)
    result["core_mixed"] = {
        "bytes": n_pass,
        "messages": 2 * mixed_messages,
        "passes": n_pass,
        "us_per_byte": (best["mixed"] - best["idle"]) / n_pass,
        "us_per_pass_idle": best["idle"] / n_pass,
        "us_per_byte_with_pass": best["mixed"] / n_pass,
        "us_per_message_with_pass": best["mixed"] / (2 * mixed_messages),
    }
    result["heap_mixed"] = dict(heap_per_pass(methods, ones, out), messages=2 * mixed_messages, bytes=n_pass)
    result["plain"] = {
        "bytes": len(plain),
        "messages": plain_messages,
        "core_us_per_message_byte_at_a_time": best["plain_one"] / plain_messages,
        "core_us_per_message_32_bytes_at_a_time": best["plain_32"] / plain_messages,
        "adafruit_midi_us_per_message": best["adafruit"] / plain_messages,
    }
    if MICROPYTHON:
        gc.collect()
        before = gc.mem_alloc()
        decode_adafruit(plain)
        result["plain"]["adafruit_midi_heap_bytes_per_message"] = (gc.mem_alloc() - before) / plain_messages
    refs = [t / REFERENCE_LOOPS for t in times["reference"]]
    result["reference"] = {
        "loops": REFERENCE_LOOPS,
        "us_per_iteration": min(refs),
        "us_per_iteration_rounds": refs,
        "warm_up_runs": len(warm),
        "warm_up_last_us_per_iteration": warm[-3:],
    }
    result["rounds"] = rounds
    print(json.dumps(result))


main()
