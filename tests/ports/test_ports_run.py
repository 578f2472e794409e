"""`thruway run`: the core between a computer's MIDI ports, through explicit fake ports and a fake clock."""

import os
import time

import pytest

from fakeports import FakeClock, FakeInput, FakeOutput, FakeSystem
from thruway.midi import TICKS_PERIOD
from thruway.settings import default_settings, load
from thruway_host import cmd_run
from thruway_host.cli import build_parser, read_settings
from thruway_host.cmd_run import BYTE_S, SoftBox, plan_ports
from thruway_host.midiports import PortNotFound

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STUDIO = os.path.join(ROOT, "thruway.toml")
STEP = 0.001  # the loop's pace when idle


def box_with(settings, n_inputs=3):
    clock = FakeClock()
    inputs = {i: FakeInput("in%d" % i) for i in range(n_inputs)}
    outputs = {o: FakeOutput("out%d" % o, clock=clock) for o in range(5)}
    return SoftBox(settings, inputs, outputs, clock=clock), inputs, outputs, clock


def run_for(box, clock, seconds):
    end = clock.now + seconds
    while clock.now < end:
        box.step()
        clock.advance(STEP)


def test_the_studio_routes_between_fake_ports():
    """KeyStep ch 5 reaches the JU-06A on channel 5, where it listens, and nothing else; the A4's FX track (ch 5)
    reaches the JU-06A too; the A4's notes reach the computer."""
    box, ins, outs, clock = box_with(read_settings(STUDIO))
    ins[0].feed([0x94, 60, 100])  # KeyStep, ch 5
    run_for(box, clock, 0.01)
    assert outs[1].hexes() == ["94 3C 64"]
    assert [o.sent for i, o in outs.items() if i != 1] == [[]] * 4
    ins[1].feed([0x94, 62, 90])  # Analog Four FX track, ch 5
    run_for(box, clock, 0.01)
    assert outs[1].hexes() == ["94 3C 64", "94 3E 5A"]
    assert outs[4].hexes() == ["94 3E 5A"]  # the DAW records the A4 as it played


def test_clock_comes_from_the_master_only():
    """The studio's clock master is the A4, for the Rytm only: KeyStep clock is dropped."""
    box, ins, outs, clock = box_with(read_settings(STUDIO))
    ins[0].feed([0xF8], [0xFA])
    ins[1].feed([0xFA], [0xF8], [0xF8])
    run_for(box, clock, 0.01)
    assert [m.type for m in outs[3].messages()] == ["start", "clock", "clock"]
    assert outs[0].sent == [] and outs[4].sent == []
    assert "in1 (KeyStep): 2 clock or transport messages from an input that is not the clock source (dropped)" in box.problems()


def test_din_outputs_keep_wire_speed():
    """Twenty Note Ons arriving at once leave a DIN output no faster than 31250 baud: the
    k-th three-byte message is whole only after 3k byte times, as on the box."""
    box, ins, outs, clock = box_with(default_settings())
    for n in range(20):
        ins[0].feed([0x90, 40 + n, 100])
    start = clock.now
    run_for(box, clock, 0.05)
    times = [t - start for t, _ in outs[0].sent]
    assert [m.note for m in outs[0].messages()] == list(range(40, 60))
    for k, t in enumerate(times, 1):
        assert t >= 3 * k * BYTE_S - STEP, (k, t)
    assert times[-1] <= 60 * BYTE_S + 2 * STEP  # and no slower than the wire (plus a loop step)
    # USB is not a DIN wire: the default merger sends in1 there too, all twenty at once.
    assert len(outs[4].sent) == 20 and all(t == start for t, _ in outs[4].sent)


def test_realtime_inside_a_message_is_sent_on_its_own():
    """A clock that the core puts between the bytes of a SysEx on a DIN wire reaches the
    computer's port as its own message, first; the SysEx follows whole."""
    settings = load('[clock]\nsource = "in2"\nto = "out1"\n[[route]]\nfrom = "in1"\nto = "out1"\n')
    box, ins, outs, clock = box_with(settings)
    sysex = [0xF0, 0x00, 0x20, 0x3C] + list(range(40)) + [0xF7]
    ins[0].feed(sysex)
    run_for(box, clock, 0.003)  # a few bytes of it are on the wire
    assert outs[0].sent == []
    ins[1].feed([0xF8])
    run_for(box, clock, 0.03)
    assert [m.type for m in outs[0].messages()] == ["clock", "sysex"]
    assert outs[0].messages()[1].bytes() == sysex


def test_running_status_on_a_din_output_is_written_out_for_the_computer():
    box, ins, outs, clock = box_with(load("[options]\nrunning_status = true\n"))
    ins[0].feed([0x90, 60, 100], [0x90, 64, 100], [0x90, 67, 100])
    run_for(box, clock, 0.01)
    assert outs[0].hexes() == ["90 3C 64", "90 40 64", "90 43 64"]
    assert box.core.stats()["outputs"]["out1"]["bytes"] == 7  # running status on the "wire"


def test_sysex_timeout_across_the_tick_wrap():
    """Time on the host wraps at 2**29 ms like the board's ticks: a SysEx left open just
    before the wrap is still closed 300 ms later, after it."""
    box, ins, outs, clock = box_with(default_settings())
    box.start = clock.now - (TICKS_PERIOD - 100) / 1000.0  # 100 ms before the wrap
    # A computer's port gives SysEx whole; a cable pulled mid-SysEx leaves one open, as here.
    box.core.receive(0, bytes([0xF0, 0x01, 0x02]), 3, TICKS_PERIOD - 100)
    run_for(box, clock, 0.5)
    assert [m.hex() for m in outs[0].messages()] == ["F0 01 02 F7"]
    assert box.core.stats()["inputs"]["in1"]["sysex_timeout"] == 1


def test_stopping_sends_panic_and_closes_every_port():
    """Ctrl-C: a Note Off for the note still held, All Notes Off and sustain off on the
    channel used, then every port closed."""
    box, ins, outs, clock = box_with(read_settings(STUDIO))
    ins[0].feed([0x94, 60, 100])  # KeyStep ch 5 -> JU-06A ch 5, held

    calls = []

    def sleep(seconds):
        calls.append(seconds)
        clock.advance(seconds)
        if len(calls) == 5:
            raise KeyboardInterrupt

    box.loop(sleep=sleep)
    assert outs[1].hexes() == ["94 3C 64", "84 3C 40", "B4 7B 00", "B4 40 00"]
    assert all(p.closed for p in list(ins.values()) + list(outs.values()))


def test_ports_are_given_by_id_or_name_and_device_by_part_of_its_name():
    settings = read_settings(STUDIO)
    devices = ["Midi Through:Midi Through Port-0 14:0", "USB Uno MIDI Interface:USB Uno MIDI Interface MIDI 1 20:0", "KeyStep 32:KeyStep 32 MIDI 1 24:0"]
    from thruway.midi import INPUT_IDS

    chosen = plan_ports(["KeyStep=keystep", "in2=uno"], INPUT_IDS, settings.input_names, "input", devices)
    assert chosen == {0: devices[2], 1: devices[1]}
    with pytest.raises(PortNotFound, match="unknown input 'Rytm': use one of in1 \\(KeyStep\\)"):
        plan_ports(["Rytm=uno"], INPUT_IDS, settings.input_names, "input", devices)
    with pytest.raises(PortNotFound, match="no MIDI input port matches 'Launchpad'"):
        plan_ports(["in1=Launchpad"], INPUT_IDS, settings.input_names, "input", devices)
    with pytest.raises(PortNotFound, match="matches 3 MIDI input ports"):
        plan_ports(["in1=midi"], INPUT_IDS, settings.input_names, "input", devices)
    with pytest.raises(PortNotFound, match="given twice"):
        plan_ports(["in1=uno", "in2=uno"], INPUT_IDS, settings.input_names, "input", devices)
    with pytest.raises(PortNotFound, match="--in takes PORT=DEVICE"):
        plan_ports(["in1"], INPUT_IDS, settings.input_names, "input", devices)


def test_the_command_runs_the_studio_between_fake_devices(capsys):
    """`thruway run` end to end: settings by name, devices by part of their name, a virtual
    port for the DAW; Ctrl-C stops it with panic and a summary."""
    system = FakeSystem(
        inputs=["KeyStep 32 MIDI 1", "Uno MIDI 1"],
        outputs=["Uno MIDI 1", "mio4 MIDI 2", "mio4 MIDI 3", "mio4 MIDI 4", "mio4 MIDI 1"],
    )
    args = build_parser().parse_args(
        ["run", "--settings", STUDIO, "--in", "KeyStep=keystep", "--in", "Analog Four=uno",
         "--in", "usb=virtual:Thruway DAW", "--out", "out1=Uno", "--out", "JU-06A=mio4 MIDI 2",
         "--out", "Typhon=mio4 MIDI 3", "--out", "Analog Rytm=mio4 MIDI 4", "--verbose"]
    )
    system.inputs["KeyStep 32 MIDI 1"].feed([0x95, 48, 80])  # ch 6 -> Typhon ch 6

    stops = []

    def sleep(seconds):  # Ctrl-C at the first idle moment; then real time, for the panic
        if not stops:
            stops.append(seconds)
            raise KeyboardInterrupt
        time.sleep(seconds)

    assert cmd_run.run(args, system=system, sleep=sleep) == 0
    out = capsys.readouterr().out
    assert "in1 (KeyStep) <- KeyStep 32 MIDI 1" in out
    assert "usb (Computer) <- virtual:Thruway DAW" in out
    assert "in  in1 KeyStep        note on  ch 6  C3 (48) vel 80" in out
    assert "out out3 Typhon        note on  ch 6  C3 (48) vel 80" in out
    assert "stopped: panic sent" in out
    typhon = system.outputs["mio4 MIDI 3"]
    assert typhon.hexes()[:2] == ["95 30 50", "85 30 40"] and typhon.closed


def test_the_command_explains_its_mistakes(capsys):
    system = FakeSystem(inputs=["KeyStep 32 MIDI 1"], outputs=["Uno MIDI 1"])
    parse = build_parser().parse_args
    assert cmd_run.run(parse(["run", "--in", "in1=keystep"]), system=system) == 1
    assert "give at least one --in PORT=DEVICE and one --out PORT=DEVICE" in capsys.readouterr().err
    assert cmd_run.run(parse(["run", "--in", "in1=keystep", "--out", "out1=mio"]), system=system) == 1
    assert "no MIDI output port matches 'mio'. The output ports are: 'Uno MIDI 1'" in capsys.readouterr().err
    assert cmd_run.run(parse(["run", "--list"]), system=system) == 0
    assert "MIDI inputs:  KeyStep 32 MIDI 1" in capsys.readouterr().out
