"""boot.py names the USB port and turns autoreload off, chooses maintenance mode, and never leaves the board unreachable."""

import os

import pytest

from boardkit import MS, ROOT, power_up

S = 1_000_000


def test_boot_names_usb_midi_thruway_and_turns_autoreload_off(vb):
    """At power-up boot.py names the USB MIDI port and device Thruway and turns autoreload off, so
    a saved file does not restart the firmware; it never touches the drive's mounting."""
    out = vb.run_boot()
    assert vb.usb_names == {
        "streaming_interface_name": "Thruway",
        "audio_control_interface_name": "Thruway",
        "in_jack_name": "Thruway",
        "out_jack_name": "Thruway",
    }
    assert vb.usb_identification["manufacturer"] == vb.usb_identification["product"] == "Thruway"
    assert vb.usb_identification["vid"] == -1 and vb.usb_identification["pid"] == -1  # the board's own
    assert vb.autoreload is False
    assert vb.storage_calls == [] and vb.usb_drive and not vb.code_writes_drive
    assert "autoreload off" in out
    assert not any(vb.pins.owner.values())  # the button's pin is released for code.py


def test_holding_the_panic_button_at_power_up_chooses_maintenance_mode(vb):
    """Panic button held while the board starts: autoreload stays on, and code.py prints the
    routing and, every 5 s, loop time (mean and worst), free memory, bytes per port and the
    core's counters in words."""
    vb.din(0).send(b"\x90\x3c\x64" * 50, at=vb.clock.now + 1 * S)
    power_up(vb, 11.0, hold_panic=True)
    assert vb.autoreload is True
    text = vb.console.text
    assert "maintenance mode (panic button held)" in text
    assert "Maintenance mode: autoreload on; loop figures every 5 s. Routing:" in text
    assert "  in1 -> out1, out2, out3, out4, usb (all messages)" in text
    reports = [line for _, line in vb.console.lines if line.startswith("loop: ")]
    assert len(reports) == 2
    assert "mean" in reports[0] and "worst" in reports[0] and "free memory" in reports[0]
    assert "bytes in since power-up: in1 150, in2 0, usb 0" in text
    # The same key struck 50 times with no Note Off: past eight strikes, one is ended first.
    assert "in1 since power-up: 50 messages; 42 notes ended early, a key struck a ninth time before its release" in text
    status = [level for t, level in vb.status_history() if t > vb.clock.now - 2 * S]
    assert status.count(1) == 2  # the slow blink: once a second


def test_a_failing_boot_keeps_circuitpythons_defaults(vb, monkeypatch):
    """If anything in boot.py fails, CircuitPython's defaults stay (autoreload on, drive and
    console as they were): the board stays reachable, and code.py runs in maintenance mode."""

    def broken(**kwargs):
        raise RuntimeError("USB devices cannot change")

    monkeypatch.setattr(vb.modules["supervisor"], "set_usb_identification", broken)
    out = vb.run_boot()
    assert "CircuitPython's defaults kept" in out
    assert vb.autoreload is True and vb.storage_calls == []
    loop = vb.run_code(0.5)["loop"]
    assert loop.maintenance


def test_boot_py_without_the_library_still_boots(vb, tmp_path):
    """A boot.py whose library is missing (lib/ not copied yet) prints why and changes nothing."""
    boot = tmp_path / "boot.py"
    with open(os.path.join(ROOT, "boot.py")) as f:
        boot.write_text(f.read().replace("thruway_board.startup", "thruway_board.not_copied_yet"))
    out = vb.run_boot(str(boot))
    assert "Thruway boot.py failed, CircuitPython's defaults kept" in out
    assert vb.autoreload is True and vb.usb_names == {}


@pytest.mark.parametrize("held", [False, True])
def test_a_short_bounce_at_power_up_is_not_a_hold(vb, held):
    """boot.py reads the button five times 5 ms apart: only a steady hold is maintenance mode."""
    if held:
        vb.press()
    else:
        vb.at(vb.clock.now + 3 * MS, vb.press)
        vb.at(vb.clock.now + 12 * MS, vb.release)
    vb.run_boot()
    assert vb.autoreload is held
