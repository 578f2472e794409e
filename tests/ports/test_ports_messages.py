"""Whole messages out of a DIN byte stream, one-line decoding, and the clock's tempo."""

import mido
import pytest
from hypothesis import given, settings, strategies as st

from thruway.core import Core
from thruway.settings import load
from thruway_host.midiports import ClockRate, WholeMessages, describe, note_name, timestamp


def split(data):
    w = WholeMessages()
    return [m.hex(" ") for m in w.feed(bytes(data))], w


@pytest.mark.parametrize(
    "stream, messages",
    [
        ([0x90, 0x3C, 0x64], ["90 3c 64"]),
        # running status: the second Note On has no status byte of its own
        ([0x90, 0x3C, 0x64, 0x3E, 0x64], ["90 3c 64", "90 3e 64"]),
        # program change with running status: two-byte messages
        ([0xC3, 0x05, 0x06], ["c3 05", "c3 06"]),
        # a clock inside a Note On comes out first, on its own (a Roland TR-8 sends this)
        ([0x90, 0x24, 0xF8, 0x64], ["f8", "90 24 64"]),
        # realtime inside a SysEx, and the SysEx whole at its F7
        ([0xF0, 0x41, 0xFA, 0x10, 0xF7], ["fa", "f0 41 10 f7"]),
        # realtime keeps running status
        ([0x90, 0x3C, 0x64, 0xF8, 0x3E, 0x64], ["90 3c 64", "f8", "90 3e 64"]),
        # system common cancels running status; a data byte then belongs to nothing
        ([0x90, 0x3C, 0x64, 0xF2, 0x10, 0x00, 0x3E], ["90 3c 64", "f2 10 00"]),
        ([0xF6, 0xF3, 0x02], ["f6", "f3 02"]),
        # undefined realtime bytes are dropped; a lone F7 is ignored
        ([0xF9, 0xFD, 0xF7, 0xFE], ["fe"]),
    ],
)
def test_whole_messages(stream, messages):
    """Every message the stream holds comes out whole, realtime at once, in the wire's order."""
    got, _ = split(stream)
    assert got == messages
    for m in got:
        assert mido.Message.from_bytes(bytes.fromhex(m)).hex().lower() == m


def test_a_stray_data_byte_is_counted():
    got, w = split([0x3C, 0x90, 0x3C, 0x64])
    assert got == ["90 3c 64"] and w.stray == 1


def test_a_message_split_across_feeds_comes_out_once_whole():
    w = WholeMessages()
    assert w.feed(b"\xf0\x01") == [] and w.feed(b"\x02") == [] and w.feed(b"\xf8\xf7") == [b"\xf8", b"\xf0\x01\x02\xf7"]


channel_messages = st.builds(
    lambda status, ch, d1, d2: bytes([status | ch, d1, d2][: 2 if status in (0xC0, 0xD0) else 3]),
    st.sampled_from([0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0]),
    st.integers(0, 15),
    st.integers(0, 127),
    st.integers(0, 127),
)
sysex = st.lists(st.integers(0, 127), max_size=20).map(lambda d: bytes([0xF0] + d + [0xF7]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(channel_messages, sysex), min_size=1, max_size=30), st.data())
def test_a_core_din_output_becomes_the_messages_it_carries(messages, data):
    """Through the core (running status on, clock from a second input landing anywhere),
    a DIN output's bytes split back into exactly the messages sent, and every clock."""
    core = Core(load('[options]\nrunning_status = true\n[clock]\nsource = "in2"\nto = "out1"\n[[route]]\nfrom = "in1"\nto = "out1"\n'))
    buf = bytearray(1)
    out = bytearray()
    clocks = 0
    for m in messages:
        core.receive(0, m, len(m), 0)
        for _ in range(data.draw(st.integers(0, 4))):
            if data.draw(st.booleans()):
                core.receive(1, b"\xf8", 1, 0)
                clocks += 1
            if core.transmit(0, buf, 1):
                out.append(buf[0])
        # The wire keeps up well enough that nothing is dropped (CC and pressure go when a queue
        # is half full): what comes out is what went in.
        while core.waiting(0) > 96 and core.transmit(0, buf, 1):
            out.append(buf[0])
    while core.transmit(0, buf, 1):
        out.append(buf[0])
    got, w = split(out)
    assert [m for m in got if m != "f8"] == [m.hex(" ") for m in messages_as_sent(messages)]
    assert got.count("f8") == clocks and w.stray == 0


def messages_as_sent(messages):
    """What the core passes on: everything, but a Note Off (or Note On velocity 0) only for a
    strike of the key still sounding (a key struck twice gets two; a ninth strike ends one first)."""
    held = {}
    sent = []
    for m in messages:
        kind, ch = m[0] & 0xF0, m[0] & 0x0F
        if kind == 0x90 and m[2] > 0:
            if held.get((ch, m[1])) == 8:
                # Eight strikes sounding: the box ends one before the ninth.
                sent.append(bytes([0x80 | ch, m[1], 0x40]))
                held[(ch, m[1])] -= 1
            held[(ch, m[1])] = held.get((ch, m[1]), 0) + 1
        elif kind in (0x80, 0x90):
            if not held.get((ch, m[1])):
                continue
            held[(ch, m[1])] -= 1
        sent.append(m)
    return sent


@pytest.mark.parametrize(
    "data, words",
    [
        ([0x94, 60, 100], "note on  ch 5  C4 (60) vel 100"),
        ([0x80, 61, 64], "note off ch 1  C#4 (61) vel 64"),
        ([0x9F, 21, 0], "note off ch 16 A0 (21) (note on, velocity 0)"),
        ([0xA2, 60, 5], "poly touch ch 3  C4 (60) 5"),
        ([0xB0, 64, 127], "cc       ch 1  64 = 127"),
        ([0xC8, 12], "program  ch 9  12"),
        ([0xD1, 90], "aftertouch ch 2  90"),
        ([0xE0, 0x00, 0x40], "pitch bend ch 1  +0"),
        ([0xE0, 0x00, 0x00], "pitch bend ch 1  -8192"),
        ([0xF0, 0x00, 0x20, 0x3C, 0x06, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xF7], "sysex    14 bytes: f0 00 20 3c 06 00 01 02 03 04 05 06 ..."),
        ([0xF2, 0x10, 0x00], "song position 16 (sixteenths)"),
        ([0xF8], "clock"),
        ([0xFA], "start"),
        ([0xFC], "stop"),
        ([0xFE], "active sensing"),
    ],
)
def test_a_message_in_words(data, words):
    """Channels 1-16 as musicians count them; notes named with middle C as C4."""
    assert describe(bytes(data)) == words


def test_note_names_and_timestamps():
    assert [note_name(n) for n in (0, 60, 69, 127)] == ["C-1", "C4", "A4", "G9"]
    assert timestamp(12.3456) == "   12.346"


def test_clock_tempo_once_a_second():
    """24 clocks a quarter note: 48 a second is 120 BPM; a doubled clock reads 240."""
    rate = ClockRate()
    seen = [rate.tick(k / 48.0) for k in range(49)]
    assert seen[:-1] == [None] * 48 and seen[-1] == pytest.approx(120.0)
    rate.stop()
    seen = [rate.tick(k / 96.0) for k in range(97)]
    assert seen[-1] == pytest.approx(240.0)
