"""On the real firmware: start-up, MIDI through both DIN inputs and USB, live settings, the panic button."""

import os
import re
import sys

import mido
import pytest

import rigfiles
from thruway_host import rig as rigmod

HALF_RATE_GAP_US = 3 * rigmod.BYTE_US  # a 3-byte message, then as long again of silence
TRAFFIC_MS = 1000


def host_errors(data):
    """The error lines `thruway check` gives for a file's bytes (the board must say the same)."""
    from thruway.settings import decode, load
    from thruway.routes import SettingsError

    try:
        load(decode(data))
    except SettingsError as e:
        return e.errors
    return []


def messages(data):
    """The messages in a byte stream, as mido reads them (an independent decoder), in hex."""
    parser = mido.Parser()
    parser.feed(bytes(data))
    return [m.hex() for m in parser]


def notes(channel_of, count, key0):
    """`count` messages: Note On / Note Off pairs, each on channel_of(k), keys counting up from key0."""
    out = []
    for k in range(count):
        ch = channel_of(k)
        key = (key0 + k // 2) % 128
        out.append(bytes((0x90 | ch, key, (k * 7) % 126 + 1)) if k % 2 == 0 else bytes((0x80 | ch, key, 64)))
    return out


def test_maintenance_mode_prints_routing_and_free_heap(rig, rig_tmp):
    """Held at power-up, the panic button starts maintenance mode: the start-up line, the routing in
    words and the free heap, with the studio's file loaded, at least 64 KB."""
    drive = rigmod.stage_drive(str(rig_tmp / "drive-maint"), settings=rigfiles.studio())
    report = rigmod.run(rig, drive, pins=[(rigmod.PANIC_GPIO, 0, None)], until_console=r"Free memory after start: \d+",
                        captures=(), max_s=10)
    assert report.ok, report.error + report.console[-1500:]
    lines = report.lines_after("Thruway ")
    assert re.match(r"Thruway \S+ on Raspberry Pi Pico: thruway.toml loaded, \d+ routes$", lines[0]), lines
    assert any(line.startswith("Maintenance mode:") for line in lines), lines
    assert any("->" in line for line in lines), lines
    free = int(re.search(r"Free memory after start: (\d+) bytes", report.console).group(1))
    assert free >= 64 * 1024, "only %d bytes free after start" % free


def traffic_boot(rig, folder):
    """The 64-route file from a cold boot; both DIN inputs at half the wire rate and the computer's
    USB MIDI, for a second (rigmod.start()'s arguments)."""
    drive = rigmod.stage_drive(folder, settings=rigfiles.many_routes(64))
    in1, in2, usb = traffic_messages()
    feeds = [
        rigmod.din_feed("in1", in1, gap_us=HALF_RATE_GAP_US),
        rigmod.din_feed("in2", in2, gap_us=HALF_RATE_GAP_US),
        rigmod.usb_feed([(20 * k, m) for k, m in enumerate(usb)]),
    ]
    return dict(drive=drive, feeds=feeds, max_s=10, timeout_s=900)


def traffic_messages():
    """What traffic_boot plays: (in1's, in2's, the computer's messages)."""
    count = int(TRAFFIC_MS * 1000 / (2 * HALF_RATE_GAP_US))
    in1 = notes(lambda k: (k // 2) % 16, count, 20)
    in2 = notes(lambda k: (k // 2 + 5) % 16, count, 60)
    usb = notes(lambda k: (k // 2 + 9) % 16, TRAFFIC_MS // 20, 90)
    return in1, in2, usb


@pytest.fixture(scope="module")
def traffic(early_boot):
    """The 64-route file from a cold boot; both DIN inputs at half the wire rate and the computer's
    USB MIDI, for a second."""
    report = early_boot(sys.modules[__name__], "traffic")
    assert report.ok, report.error + report.console[-1500:]
    return (report,) + traffic_messages()


def test_64_routes_load_from_a_cold_boot(traffic):
    """A file with 64 routes loads at power-up."""
    report = traffic[0]
    assert re.search(r"thruway.toml loaded, 64 routes", report.console), report.console[-1500:]


def test_both_din_inputs_at_half_rate_arrive_whole(traffic):
    """Both DIN inputs at half the wire rate, each routed to its own output (a UART and a PIO one):
    every message arrives whole, in order, nothing lost, nothing added."""
    report, in1, in2, _ = traffic
    assert messages(report.output("out1")) == [mido.Message.from_bytes(m).hex() for m in in1]
    assert messages(report.output("out3")) == [mido.Message.from_bytes(m).hex() for m in in2]
    assert report.output("out4") == b""
    for feed in report.data["feeds"]:
        if feed["target"].startswith("uart"):
            assert feed["uartStats"]["rxOverrun"] == 0, feed


def test_usb_from_the_computer_to_din_and_din_to_the_computer(traffic):
    """The computer's USB MIDI reaches a DIN output, and a DIN input reaches the computer, whole."""
    report, in1, _, usb = traffic
    assert messages(report.output("out2")) == [mido.Message.from_bytes(m).hex() for m in usb]
    assert messages(report.output("usb")) == [mido.Message.from_bytes(m).hex() for m in in1]


BROKEN = b'[inputs]\nin1 = "Keys"\n[[route]]\nfrom = "Keys"\nto = "Synth"\n'
FIXED = b'[inputs]\nin1 = "Keys"\n[outputs]\nout1 = "Synth"\n[[route]]\nfrom = "Keys"\nto = "Synth"\n'
BROKEN_AGAIN = FIXED + b"[clock]\nsorce = \"Keys\"\n"
FIX_SAVED_MS = 1200
NOTE_C4 = bytes((0x90, 60, 100))
NOTE_D4 = bytes((0x90, 62, 90))
NOTE_E4 = bytes((0x90, 64, 80))


def live_boot(rig, folder):
    """A box started with a broken file, then fixed, panicked and broken again by saves over USB
    (rigmod.start()'s arguments)."""
    drive = rigmod.stage_drive(os.path.join(folder, "drive"), settings=BROKEN)
    files = {}
    for name, data in (("fixed", FIXED), ("broken", BROKEN_AGAIN)):
        files[name] = os.path.join(folder, "live-%s.toml" % name)
        with open(files[name], "wb") as f:
            f.write(data)
    # The fix is saved after a whole second of the broken file's blinking. The running box looks
    # at the file twice a second and reads a saved one in pieces: it says it applied (or refused)
    # a small file 1 to 1.2 s after the save here. D4 comes once the fix is applied, the panic
    # button after it, and E4 once the broken file was refused (each with 300 ms or more to spare).
    feeds = [rigmod.timed_feed("in1", [(100, NOTE_C4), (2700, NOTE_D4), (4600, NOTE_E4)])]
    saves = [(FIX_SAVED_MS, "thruway.toml", files["fixed"]), (3300, "thruway.toml", files["broken"])]
    pins = [(rigmod.PANIC_GPIO, 0, 3000), (rigmod.PANIC_GPIO, 1, 3150)]
    return dict(drive=drive, feeds=feeds, saves=saves, pins=pins,
                captures=("uart0", "uart1", "gp6", "gp7", "usb", "trace:gp25"), max_s=12)


# The long boots here: started early (tests/rig/conftest.py), in the background.
EARLY_BOOTS = {"live": live_boot, "traffic": traffic_boot}


@pytest.fixture(scope="module")
def live(early_boot):
    """A box started with a broken file, then fixed, panicked and broken again by saves over USB."""
    report = early_boot(sys.modules[__name__], "live")
    assert report.ok, report.error + report.console[-1500:]
    return report


def test_a_mistake_at_power_up_is_reported_and_the_box_runs(live):
    """A broken file at power-up: the start-up line and the mistake with its line, the default
    routing runs (a note reaches every output), the status light blinks three times a second."""
    lines = live.lines_after("Thruway ")
    assert "thruway.toml has 1 error; running the default routing" in lines[0], lines
    assert lines[1].strip() == host_errors(BROKEN)[0], lines
    for port in ("out1", "out2", "out3", "out4", "usb"):
        assert messages(live.output(port))[:1] == ["90 3C 64"], (port, live.output(port).hex())
    # Until the fixed file is saved, the status light blinks three times a second, 50 ms each.
    # (While a saved file is read, the light goes on in the passes between the pieces of the
    # work, tens of ms apart: its pattern is not kept to the ms then.)
    saved = FIX_SAVED_MS * 1000
    levels = live.captures["trace:gp25"]["levels"]
    ons = [(t, v) for t, v in levels if 0 <= t < saved]
    rises = [t for k, (t, v) in enumerate(ons) if v == 1 and k and ons[k - 1][1] != 1]
    assert len(rises) >= 2, (saved, levels[:40])
    lit = [ons[k + 1][0] - ons[k][0] for k in range(len(ons) - 1) if ons[k][1] == 1 and ons[k + 1][1] == 0]
    assert lit and all(30_000 <= d <= 70_000 for d in lit), lit
    # three blinks 100 ms apart, then 800 ms dark, every second
    gaps = [b - a for a, b in zip(rises, rises[1:])]
    assert all(70_000 <= g <= 130_000 or 740_000 <= g <= 860_000 for g in gaps), gaps


def test_a_saved_fix_is_applied_live_with_the_note_offs_owed(live):
    """The fixed file, saved while C4 sounds, is applied without a reset: C4 gets its Note Off on
    every output the new routing no longer gives it, and not on the one it keeps."""
    assert re.search(r"thruway.toml applied, 1 route; 4 Note Offs sent", live.console), live.console[-2000:]
    for port in ("out2", "out3", "out4", "usb"):
        # (then the panic button's All Notes Off, later)
        assert messages(live.output(port))[:2] == ["90 3C 64", "80 3C 40"], port
    assert messages(live.output("out1"))[:2] == ["90 3C 64", "90 3E 5A"]


def test_the_panic_button_silences_every_note(live):
    """The panic button: a Note Off for each sounding note, then All Notes Off and sustain off."""
    out1 = messages(live.output("out1"))
    i = out1.index("90 3E 5A")
    after = out1[i + 1:]
    assert any(m.startswith("80 3C") for m in after) and any(m.startswith("80 3E") for m in after), out1
    assert "B0 7B 00" in after and "B0 40 00" in after, out1
    assert after.index("80 3E 40") < after.index("B0 7B 00"), out1


def test_a_saved_mistake_keeps_the_routing(live):
    """A file saved with a mistake is reported with its line and changes nothing: notes still pass."""
    said = live.lines()
    last = max(i for i, line in enumerate(said) if "thruway.toml not applied, the routing stays as it was:" in line)
    assert said[last + 1].strip() == host_errors(BROKEN_AGAIN)[0], live.console[-2000:]
    out1 = messages(live.output("out1"))
    assert out1[-1] == "90 40 50", out1
    assert "90 40 50" not in messages(live.output("out2"))


def test_the_oldest_supported_circuitpython_runs_the_same_drive(rig, rig_tmp):
    """CircuitPython 9.2 (the oldest the firmware supports) reads the same .mpy files and the
    studio's settings, where the cache has it."""
    oldest = [v for v, _ in rigmod.firmwares() if v.startswith("9.2.")]
    found = rigmod.find(version=oldest[0]) if oldest else None
    if found is None or not found.ready:
        pytest.skip("no CircuitPython 9.2.x in the rig's cache (docs/rig.md)")
    drive = rigmod.stage_drive(str(rig_tmp / "drive-9"), settings=rigfiles.studio(), version=found.version)
    report = rigmod.run(found, drive, pins=[(rigmod.PANIC_GPIO, 0, None)], until_console=r"Free memory after start: \d+",
                        captures=(), max_s=10)
    assert report.ok, report.error + report.console[-1500:]
    assert re.search(r"Thruway \S+ on Raspberry Pi Pico: thruway.toml loaded, \d+ routes", report.console), report.console
    free = int(re.search(r"Free memory after start: (\d+) bytes", report.console).group(1))
    assert free >= 48 * 1024, "only %d bytes free after start on %s" % (free, found.version)
