"""`thruway monitor` and the MIDI system: finding the box, lines a message, and no MIDI said clearly."""

import sys
import types

import pytest

from fakeports import FakeClock, FakeInput, FakeOutput, FakeSystem
from thruway_host import cmd_monitor
from thruway_host.cli import build_parser, main
from thruway_host.cmd_monitor import FROM_BOX, TO_BOX, Monitor, find_box
from thruway_host.midiports import MidiUnavailable, PortNotFound, find_port, open_system

ALSA_NAMES = ["Midi Through:Midi Through Port-0 14:0", "Thruway:Thruway MIDI 1 24:0", "KeyStep 32:KeyStep 32 MIDI 1 20:0"]


def test_the_box_is_found_by_its_usb_name():
    """boot.py names the USB MIDI port Thruway; older firmware leaves CircuitPython's name."""
    assert find_box(ALSA_NAMES) == "Thruway:Thruway MIDI 1 24:0"
    assert find_box(["Midi Through Port-0", "CircuitPython usb_midi.ports[0]"]) == "CircuitPython usb_midi.ports[0]"
    assert find_box(ALSA_NAMES, "keystep") == "KeyStep 32:KeyStep 32 MIDI 1 20:0"
    with pytest.raises(PortNotFound, match="no MIDI port looks like the box .* 'Midi Through Port-0'. Name it with --port"):
        find_box(["Midi Through Port-0"])
    with pytest.raises(PortNotFound, match="2 ports look like the box"):
        find_box(["Thruway:Thruway MIDI 1 24:0", "Thruway:Thruway MIDI 1 28:0"])


def test_find_port_prefers_the_exact_name():
    names = ["Uno", "Uno MIDI 2"]
    assert find_port("Uno", names, "input") == "Uno"
    assert find_port("uno midi", names, "input") == "Uno MIDI 2"
    assert find_port("virtual:DAW", names, "input") == "virtual:DAW"


def monitor(show_clock=False):
    clock = FakeClock(50.0)
    box_in = FakeInput("Thruway")
    to_box = FakeOutput("Thruway", clock=clock)
    keys = FakeInput("Keys")
    lines = []
    m = Monitor(box_in, to_box, [keys], clock=clock, write=lines.append, show_clock=show_clock)
    return m, box_in, to_box, keys, clock, lines


def test_a_line_a_message_timestamped_in_both_directions():
    """What the box sends is marked `box >`, what it is sent `> box`; times are seconds since
    the monitor started; what a --from device sends is passed on to the box."""
    m, box_in, to_box, keys, clock, lines = monitor()
    clock.advance(1.5)
    box_in.feed([0x90, 60, 100])
    keys.feed([0xB1, 1, 64])
    assert m.poll() == 2
    assert lines == [
        "    1.500  %s  note on  ch 1  C4 (60) vel 100               90 3c 64" % FROM_BOX,
        "    1.500  %s  cc       ch 2  1 = 64                        b1 01 40" % TO_BOX,
    ]
    assert to_box.hexes() == ["B1 01 40"]
    assert m.poll() == 0


def test_clock_is_shown_as_a_tempo_and_transport_always():
    m, box_in, to_box, keys, clock, lines = monitor()
    box_in.feed([0xFA])
    m.poll()
    for _ in range(49):  # one second of clock at 120 BPM
        box_in.feed([0xF8])
        m.poll()
        clock.advance(1 / 48.0)
    assert len(lines) == 2
    assert lines[0].startswith("    0.000  %s  start" % FROM_BOX)
    assert lines[1] == "    1.000  %s  clock    120.0 BPM" % FROM_BOX
    m2, box_in2, _, _, _, lines2 = monitor(show_clock=True)
    box_in2.feed([0xF8], [0xF8])
    m2.poll()
    assert len(lines2) == 2 and all("clock" in line and line.endswith("f8") for line in lines2)


def test_the_command_monitors_the_box_and_forwards_to_it(capsys):
    system = FakeSystem(inputs=ALSA_NAMES, outputs=ALSA_NAMES[:2])
    system.inputs["Thruway:Thruway MIDI 1 24:0"].feed([0x93, 64, 90])
    system.inputs["KeyStep 32:KeyStep 32 MIDI 1 20:0"].feed([0x90, 48, 70])
    args = build_parser().parse_args(["monitor", "--from", "keystep", "--virtual"])
    calls = []

    def sleep(seconds):
        calls.append(seconds)
        if len(calls) == 2:
            raise KeyboardInterrupt
        system.inputs["virtual:Thruway monitor"].feed([0xC0, 3])

    assert cmd_monitor.run(args, system=system, sleep=sleep) == 0
    out = capsys.readouterr().out
    assert "monitoring Thruway:Thruway MIDI 1 24:0" in out
    assert "box >  note on  ch 4  E4 (64) vel 90" in out
    assert "> box  note on  ch 1  C3 (48) vel 70" in out
    assert "> box  program  ch 1  3" in out
    assert "stopped: 1 messages from the box, 2 to it" in out
    assert system.outputs["Thruway:Thruway MIDI 1 24:0"].hexes() == ["90 30 46", "C0 03"]
    assert all(p.closed for p in list(system.inputs.values()) + list(system.outputs.values()) if "Thruway" in p.name or "KeyStep" in p.name)


def test_no_box_plugged_in_is_said_and_exits_non_zero(capsys):
    system = FakeSystem(inputs=["Midi Through Port-0"], outputs=["Midi Through Port-0"])
    assert cmd_monitor.run(build_parser().parse_args(["monitor"]), system=system) == 1
    assert "no MIDI port looks like the box (is it plugged in over USB?)" in capsys.readouterr().err


# ---- no MIDI system ---------------------------------------------------------------------------


def without_rtmidi(monkeypatch):
    """As on a computer where python-rtmidi is not installed."""
    monkeypatch.setitem(sys.modules, "rtmidi", None)
    monkeypatch.delitem(sys.modules, "mido.backends.rtmidi", raising=False)


@pytest.mark.parametrize("argv", [["monitor"], ["run", "--in", "in1=KeyStep", "--out", "out1=Uno"], ["run", "--list"]])
def test_without_python_rtmidi_both_commands_say_so(monkeypatch, capsys, argv):
    without_rtmidi(monkeypatch)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("thruway %s: MIDI ports need python-rtmidi" % argv[0])
    assert "thruway[midi]" not in err  # Thruway is not on PyPI: that command would fail
    command = err.split("Install it with: ", 1)[1].split(" (on a 32-bit", 1)[0]
    assert command.startswith(sys.executable + " -m pip install ") and "python-rtmidi" in command


def fake_backend(monkeypatch, get_devices):
    """A mido backend module (get_devices, Input, Output: mido's backend interface)."""
    module = types.ModuleType("thruway_test_backend")
    module.get_devices = get_devices
    module.Input = FakeInput
    module.Output = FakeOutput
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.__name__


def test_no_alsa_sequencer_is_said_clearly(monkeypatch):
    """python-rtmidi installed but no ALSA sequencer: rtmidi raises its own error when the
    port list is asked for; that becomes a plain explanation."""

    def no_sequencer(**kwargs):
        raise RuntimeError("MidiInAlsa::initialize: error creating ALSA sequencer client object.")

    with pytest.raises(MidiUnavailable) as e:
        open_system(fake_backend(monkeypatch, no_sequencer))
    message = str(e.value)
    assert message.startswith("no MIDI system here (MidiInAlsa::initialize: error creating ALSA sequencer client object)")
    assert "/dev/snd/seq" in message


def test_ports_open_through_a_mido_backend(monkeypatch):
    devices = [{"name": "Uno MIDI 1", "is_input": True, "is_output": True}]
    system = open_system(fake_backend(monkeypatch, lambda **kwargs: devices))
    assert system.input_names() == ["Uno MIDI 1"] and system.output_names() == ["Uno MIDI 1"]
    assert system.open_input("Uno MIDI 1").name == "Uno MIDI 1"
    assert system.open_output("virtual:Thruway DAW").name == "Thruway DAW"
