"""The real boot.py and code.py on the virtual board: DIN and USB in, DIN and USB out, as the settings say."""

import os

from boardkit import MS, ROOT, messages, notes, power_up, studio_text


def test_code_py_is_short():
    """code.py only opens the ports, loads the settings, says so and runs the loop (the loop is in lib/)."""
    with open(os.path.join(ROOT, "code.py")) as f:
        lines = [line for line in f if line.strip() and not line.strip().startswith("#")]
    assert len(lines) <= 20


def test_start_up_line_names_thruway_its_version_and_the_settings(vb):
    """At power-up the console gets one line: Thruway, its version, the board and the settings."""
    from thruway import __version__

    from thruway.settings import load

    vb.save("thruway.toml", studio_text(), pause_us=0)
    vb.run_boot()
    printed = len(vb.console.lines)
    vb.run_code(0.5)
    routes = len(load(studio_text()).routes)
    lines = [line for _, line in vb.console.lines[printed:]]
    assert lines == ["Thruway %s on Raspberry Pi Pico: thruway.toml loaded, %d routes" % (__version__, routes)]


def test_with_no_settings_file_both_inputs_go_everywhere(vb):
    """No thruway.toml: the documented default, both DIN inputs to every DIN output and USB."""
    vb.din(0).send(b"\x90\x3c\x64", at=vb.clock.now + 50 * MS)
    vb.din(1).send(b"\x91\x40\x70", at=vb.clock.now + 60 * MS)
    power_up(vb, 0.3)
    for o in range(4):
        assert notes(vb.out_bytes(o)) == [("note_on", 1, 60), ("note_on", 2, 64)]
    assert notes(vb.usb_bytes()) == [("note_on", 1, 60), ("note_on", 2, 64)]
    assert "no thruway.toml, default routing" in vb.console.text


def test_usb_in_goes_to_the_din_outputs(vb):
    """MIDI from the computer reaches the four DIN outputs (default routing), not back to USB."""
    vb.usb.host_send(b"\xb2\x07\x64", at=vb.clock.now + 50 * MS)
    power_up(vb, 0.2)
    for o in range(4):
        _, msgs = messages(vb.out_bytes(o))
        assert [(m.type, m.channel, m.control, m.value) for m in msgs] == [("control_change", 2, 7, 100)]
    assert vb.usb_bytes() == b""


def test_studio_settings_route_keystep_channel_5_to_the_ju06a_on_channel_5(vb):
    """With the studio's thruway.toml, KeyStep (in1) channel 5 plays the JU-06A (out2) on channel 5,
    where it listens, and nothing else; the whole trip through the real loop takes under 2 ms."""
    vb.save("thruway.toml", studio_text(), pause_us=0)
    start = vb.clock.now + 100 * MS
    done = vb.din(0).send(b"\x94\x3c\x64", at=start)
    power_up(vb, 0.3)
    assert notes(vb.out_bytes(1)) == [("note_on", 5, 60)]
    for o in (0, 2, 3):
        assert notes(vb.out_bytes(o)) == []
    first = vb.wire(1)[0][0]
    assert first - done < 2 * MS


def test_realtime_passes_between_the_bytes_of_a_message(vb):
    """A clock byte arriving inside a Note On goes out at once; the Note On follows whole."""
    vb.din(0).send(b"\xfa\x90\x3c\xf8\x64", at=vb.clock.now + 50 * MS)
    power_up(vb, 0.2)
    data = vb.out_bytes(0)
    realtime, msgs = messages(data)
    assert [m.type for m in realtime] == ["start", "clock"]
    assert [m.type for m in msgs] == ["note_on"]
    assert data.index(0xF8) < data.index(0x64)


def test_the_feather_shows_status_on_its_neopixel(feather):
    """On the Feather RP2040 the status light is the NeoPixel: green while running, written only
    when its colour changes."""
    power_up(feather, 1.0)
    colours = [c for _, c in feather.status_history()]
    assert colours[-1] == bytes((24, 0, 0))
    assert all(a != b for a, b in zip(colours, colours[1:]))
    assert len(colours) <= 3
