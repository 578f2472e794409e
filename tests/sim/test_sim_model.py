"""`thruway sim`'s loop model: what a message waits, how far a clock strays, what is dropped."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from midicheck import decode  # noqa: E402
from thruway.settings import default_settings  # noqa: E402
from thruway_host.captures import read_capture  # noqa: E402
from thruway_host.cli import read_settings, resolve_input  # noqa: E402
from thruway_host.replay import BYTE_US  # noqa: E402
from thruway_host.sim import LoopModel, Sim, count_kinds, drop_accounting  # noqa: E402
from thruway_host.traffic import CAPTURES_DIR, SCENARIOS  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A loop fast enough for two saturated inputs (the targets' 60 µs a byte): what the core's
# policies do when the loop keeps up. (The committed RP2040 estimate is much slower.)
KEEPING_UP = dict(cost_per_byte_us=60, cost_per_iteration_us=300)


def scenario(name):
    _, settings_path, inputs = SCENARIOS[name]
    settings = read_settings(os.path.join(ROOT, settings_path))
    captures = {resolve_input(port, settings): read_capture(os.path.join(ROOT, CAPTURES_DIR, f)) for port, f in inputs.items()}
    return settings, captures


def predicted_latency(arrivals, per_pass, per_byte):
    """The model worked by hand: passes back to back from time 0, each reading what has
    arrived and writing at its end; the latency of the message completed by the last arrival."""
    t = 0
    i = 0
    while True:
        n = 0
        while i < len(arrivals) and arrivals[i] <= t:
            i += 1
            n += 1
        end = t + per_pass + per_byte * n
        if i == len(arrivals) and n:
            return end - arrivals[-1]
        t = end


@pytest.mark.parametrize("per_pass, per_byte", [(100, 10), (130, 43), (700, 250)])
def test_one_note_on_through_an_idle_box_waits_what_the_model_predicts(per_pass, per_byte):
    """A lone Note On into in1 (plain merger: it goes to every output) leaves each output when
    the pass that read its last byte ends: the wait for that pass plus the pass's cost, exactly
    as the model worked by hand says. And, as on any wire, its first byte leaves at least one
    byte time after its first byte began to arrive (a byte can be sent only once received)."""
    sim = Sim(default_settings(), LoopModel(per_byte, per_pass)).run({0: [(0, b"\x90\x3c\x64")]})
    expected = predicted_latency([BYTE_US, 2 * BYTE_US, 3 * BYTE_US], per_pass, per_byte)
    report = sim.report()
    for port_id, out in report["outputs"].items():
        assert out["messages"] == 1, port_id
        assert out["latency_p50_us"] == out["latency_max_us"] == pytest.approx(expected), port_id
        first_byte_out = 3 * BYTE_US + out["latency_p50_us"]
        assert first_byte_out - 0 >= BYTE_US
    assert expected >= per_pass + per_byte


def test_clock_alone_strays_less_than_one_loop_pass():
    """Two minutes of clock alone: each clock waits for the pass in progress, then one pass, so
    its delay varies by less than one pass (the model's bound) and does cover most of it."""
    settings, captures = scenario("clock")
    for per_pass in (120, 300):
        model = LoopModel(cost_per_byte_us=40, cost_per_iteration_us=per_pass)
        report = Sim(settings, model).run(captures).report()
        rytm = report["outputs"]["out4"]
        assert rytm["clock_messages"] == 240 * 24
        assert 0.8 * per_pass <= rytm["clock_jitter_max_us"] <= per_pass
        assert rytm["clock_jitter_p99_us"] <= rytm["clock_jitter_max_us"]


@pytest.mark.parametrize("tx_ahead", [2, 8])
def test_a_clock_never_waits_behind_more_than_the_bytes_let_ahead(tx_ahead):
    """On the saturated output, a clock waits at most for the bytes already handed to the
    port (tx_ahead of them) and the longest pass: realtime goes first in the core's queues."""
    settings, captures = scenario("dense")
    report = Sim(settings, LoopModel(tx_ahead=tx_ahead, **KEEPING_UP)).run(captures).report()
    synth = report["outputs"]["out1"]
    assert synth["clock_messages"] > 90
    assert synth["clock_jitter_max_us"] <= tx_ahead * BYTE_US + report["loop"]["busiest_iteration_us"]


def test_the_saturated_case_drops_no_realtime_and_no_note_off_and_counts_every_drop():
    """Both DIN inputs saturated into one output: CC, bend and pressure go first, some Note Ons
    after them; no realtime byte and no Note Off is lost, and every message that is not on the
    wire is counted (an output drop, or a Note Off whose Note On was dropped)."""
    settings, captures = scenario("dense")
    sim = Sim(settings, LoopModel(**KEEPING_UP)).run(captures)
    report = sim.report()
    synth = report["outputs"]["out1"]
    assert synth["dropped_messages"]["realtime"] == 0
    assert synth["dropped_messages"]["note_off"] == 0
    assert synth["dropped_messages"]["droppable"] > 1000, "the case must really oversubscribe the output"
    table = drop_accounting(sim, captures, 0)
    assert all(row["unaccounted"] == 0 for row in table.values()), table
    assert table["realtime"]["sent"] == table["realtime"]["in"] > 90
    assert all(i["lost_bytes"] == 0 for i in report["inputs"].values())
    decode(bytes(sim.outputs[0].wire))  # whole, valid MIDI


def test_realtime_passes_inside_a_sysex_dump_on_din_but_waits_for_its_end_on_usb():
    """A SysEx dump with clock playing: on DIN the clock goes between the dump's bytes (it
    strays no more than a pass and the bytes let ahead); on USB it waits for the message
    boundary (merging rule 22), so there it strays by up to a whole SysEx."""
    settings, captures = scenario("sysex")
    model = LoopModel(**KEEPING_UP)
    report = Sim(settings, model).run(captures).report()
    din = report["outputs"]["out1"]
    usb = report["outputs"]["usb"]
    assert din["clock_messages"] == usb["clock_messages"] == 8 * 24
    assert din["clock_jitter_max_us"] <= model.tx_ahead * BYTE_US + report["loop"]["busiest_iteration_us"]
    assert usb["clock_jitter_max_us"] > 10 * BYTE_US


def test_a_loop_too_slow_for_its_inputs_loses_bytes_and_says_so():
    """With a cost per byte above the 160 µs two saturated inputs allow, the loop falls behind,
    the receive buffers fill and bytes are lost: the report counts them per input."""
    settings, captures = scenario("dense")
    report = Sim(settings, LoopModel(cost_per_byte_us=400, rx_buffer=256)).run(captures).report()
    assert report["inputs"]["in1"]["lost_bytes"] > 0 and report["inputs"]["in2"]["lost_bytes"] > 0
    assert report["loop"]["rx_backlog_max_bytes"] == 256
    assert report["loop"]["cpu_load_pct"] > 100


def test_count_kinds_reads_running_status_and_realtime_inside_messages():
    """The accounting's own reader: running status, Note On velocity 0 as Note Off, a clock
    inside a message, pedal up as a Note Off-like message, SysEx."""
    data = bytes.fromhex("90 3c 64 3e f8 64 3c 00 b0 40 00 b0 01 10 f0 7d 01 f7 c0 05 e0 00 40")
    assert count_kinds(data) == {"note_on": 2, "note_off": 2, "droppable": 2, "other": 1, "sysex": 1, "realtime": 1}


def test_model_refuses_a_free_loop_pass():
    """A pass that costs nothing would never let time move: refused with a clear message."""
    with pytest.raises(ValueError, match="more than 0"):
        LoopModel(cost_per_iteration_us=0)
