"""On the real firmware: a settings file saved while MIDI flows is applied without losing a byte or leaving a note sounding."""

import sys

import mido
import pytest

import rigfiles
from thruway_host import rig as rigmod


def timed_messages(report, port):
    """[(µs the message's first byte left, mido message)] of what an output sent."""
    starts, _ = report.output_times(port)
    parser = mido.Parser()
    out = []
    for b, t in zip(report.output(port), starts):
        parser.feed_byte(b)
        for m in parser:
            out.append((t, m))
    return out


def notes_of(timed):
    return [(t, m) for t, m in timed if m.type in ("note_on", "note_off")]


def applied_boot(rig, folder):
    """The studio's box, its clock running on in2 and the Keys playing on in1, when the
    musician saves a file of 64 routes (rigmod.start()'s arguments)."""
    return rigmod.apply_hold_boot(rigfiles.studio(), rigfiles.many_routes(64, studio=True), folder)


# A long boot: started early (tests/rig/conftest.py), in the background.
EARLY_BOOTS = {"applied": applied_boot}


@pytest.fixture(scope="module")
def applied(early_boot):
    """The studio's box, its clock running on in2 and the Keys playing on in1, when the
    musician saves a file of 64 routes that sends the Keys' channel 1 to out2 (and to USB)
    instead of out1."""
    return rigmod.apply_hold_figures(early_boot(sys.modules[__name__], "applied"))


def test_a_64_route_file_saved_while_playing_is_applied(applied):
    """The 64-route file, saved while the box runs, is applied live: one line says so."""
    said = [line for line in applied["lines"] if "applied" in line]
    assert len(said) == 1 and "thruway.toml applied, 64 routes" in said[0], applied["lines"]


def test_no_clock_byte_is_lost_while_the_file_is_applied(applied):
    """Every clock byte that came in on in2 went out on out4, the only output the clock goes
    to by either file: reading and applying the file holds it back at most, it never loses it."""
    report = applied["report"]
    out4 = report.output("out4")
    assert out4 == bytes([rigmod.CLOCK_BYTE]) * len(out4)
    assert len(out4) >= applied["clocks_in"]
    for feed in report.data["feeds"]:
        assert feed["uartStats"]["rxOverrun"] == 0, feed


def test_every_note_gets_its_note_off_and_the_new_routing_follows(applied):
    """The Keys' notes on channel 1 go to out1 until the file is applied and to out2 (and the
    computer) after: out1 gets no Note On once out2 has had one. Every Note On on every
    output gets its Note Off there (a note sounding at the swap gets it from the box, its key
    release later sends nothing more), and every note played reaches one of them."""
    report = applied["report"]
    end = applied["end_ms"] - 50  # what was played before this has had time to go out
    late = {data[1] for ms, data in applied["notes"] if ms > end}
    out1 = notes_of(timed_messages(report, "out1"))
    out2 = notes_of(timed_messages(report, "out2"))
    usb = notes_of(timed_messages(report, "usb"))
    for timed in (out1, out2, usb):
        balance = {}
        for _, m in timed:
            on = m.type == "note_on" and m.velocity
            balance[m.note] = balance.get(m.note, 0) + (1 if on else -1)
            assert balance[m.note] in (0, 1), m
        assert {note for note, left in balance.items() if left} <= late, balance
    ons = lambda timed: [t for t, m in timed if m.type == "note_on" and m.velocity]  # noqa: E731
    assert ons(out1) and ons(out2) and ons(usb)
    assert max(ons(out1)) < min(ons(out2))
    played = [ms for ms, data in applied["notes"] if data[0] == 0x90]
    assert len([ms for ms in played if ms <= end]) <= len(ons(out1)) + len(ons(out2)) <= len(played)
