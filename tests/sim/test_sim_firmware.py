"""`thruway sim` running the firmware's own loop (code.py on the virtual board), charged by the model."""

import os

from thruway.settings import default_settings
from thruway_host.captures import read_capture
from thruway_host.cli import read_settings, resolve_input
from thruway_host.replay import BYTE_US
from thruway_host.sim import LoopModel, Sim, drop_accounting
from thruway_host.simfirmware import FirmwareSim
from thruway_host.traffic import CAPTURES_DIR, SCENARIOS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEEPING_UP = dict(cost_per_byte_us=60, cost_per_iteration_us=300)  # fast enough for two saturated inputs


def scenario(name):
    _, settings_path, inputs = SCENARIOS[name]
    path = os.path.join(ROOT, settings_path)
    settings = read_settings(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    captures = {resolve_input(port, settings): read_capture(os.path.join(ROOT, CAPTURES_DIR, f)) for port, f in inputs.items()}
    return settings, text, captures


def test_a_lone_note_on_waits_a_pass_at_most_and_agrees_with_the_modelled_loop():
    """With no settings file (the plain merger) a Note On into in1 leaves the UART outputs
    after the pass that read its last byte: at least that byte's cost, at most a pass and the
    three bytes' cost. The modelled loop gives the same to within one pass."""
    note = {0: [(0, b"\x90\x3c\x64")]}
    per_pass, per_byte = 300, 60
    firmware = FirmwareSim(default_settings(), None, LoopModel(per_byte, per_pass)).run(note).report()
    model = Sim(default_settings(), LoopModel(per_byte, per_pass)).run(note).report()
    assert firmware["model"]["loop"] == "firmware" and model["model"]["loop"] == "model"
    for port_id in ("out1", "out2"):  # the hardware UARTs: a byte written starts at once
        out = firmware["outputs"][port_id]
        assert out["messages"] == 1
        assert per_byte <= out["latency_max_us"] <= per_pass + 3 * per_byte
        assert abs(out["latency_max_us"] - model["outputs"][port_id]["latency_max_us"]) <= per_pass
        assert 3 * BYTE_US + out["latency_max_us"] >= BYTE_US  # left after it arrived
    assert firmware["outputs"]["usb"]["messages"] == 1  # USB too, by the next 1 ms frame


def test_clock_alone_through_the_firmware_loop_strays_less_than_a_pass_and_a_byte():
    """Two minutes of clock through code.py's loop: a clock waits at most for the pass in
    progress, then its own read: its delay varies by less than a pass and a byte's cost."""
    settings, text, captures = scenario("clock")
    per_pass, per_byte = 1000, 100
    report = FirmwareSim(settings, text, LoopModel(per_byte, per_pass)).run(captures).report()
    rytm = report["outputs"]["out4"]
    assert rytm["clock_messages"] == 240 * 24
    assert 0.5 * per_pass <= rytm["clock_jitter_max_us"] <= per_pass + per_byte


def test_the_firmware_keeps_realtime_and_note_offs_and_counts_every_drop_when_saturated():
    """Both DIN inputs saturated into one output, through the firmware's loop at a speed that
    keeps up: nothing is lost at the inputs, no realtime byte or Note Off is dropped, and every
    message not on the wire is counted by the core."""
    settings, text, captures = scenario("dense")
    sim = FirmwareSim(settings, text, LoopModel(**KEEPING_UP)).run(captures)
    report = sim.report()
    synth = report["outputs"]["out1"]
    assert all(i["lost_bytes"] == 0 for i in report["inputs"].values())
    assert synth["dropped_messages"]["realtime"] == synth["dropped_messages"]["note_off"] == 0
    assert synth["dropped_messages"]["droppable"] > 1000
    table = drop_accounting(sim, captures, 0)
    assert all(row["unaccounted"] == 0 for row in table.values()), table


def test_the_firmware_loop_falls_behind_with_the_committed_estimate():
    """With the committed RP2040 estimate the loop cannot keep up with two saturated inputs:
    the simulation shows it (bytes lost, CPU over 100%), it does not hide it."""
    settings, text, captures = scenario("dense")
    report = FirmwareSim(settings, text, LoopModel()).run(captures).report()
    assert report["loop"]["cpu_load_pct"] > 100
    assert sum(i["lost_bytes"] for i in report["inputs"].values()) > 0
