"""The shipped thruway.toml, through the core: the studio's routes, and no note ever reaching a synth twice."""

import os

import pytest

from thruway.core import Core
from thruway.midi import INPUT_IDS, N_INPUTS, N_OUTPUTS, OUTPUT_IDS
from thruway_host.cli import read_settings
from thruway_host.midiports import WholeMessages

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STUDIO = os.path.join(ROOT, "thruway.toml")
KEYSTEP, A4_IN, COMPUTER_IN = 0, 1, 2
A4, JU06A, TYPHON, RYTM, COMPUTER = 0, 1, 2, 3, 4

# What the Analog Four sends on its MIDI OUT (in2) when a note reaches it (out1) on a channel:
# its FX and CV tracks (5, 6), with "send MIDI notes" on, send what they play on their own
# channel; a note on the auto channel (9) plays the selected track, which may be any of the
# six, and is sent on that track's channel; tracks 1-4 may send too. One track at a time:
# each entry lists the alternatives.
A4_ECHO = {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,), 6: (6,), 9: (1, 2, 3, 4, 5, 6)}


@pytest.fixture(scope="module")
def settings():
    return read_settings(STUDIO)


def drain(core):
    """Every whole message each output has, as (output, bytes)."""
    buf = bytearray(64)
    sent = []
    for out in range(N_OUTPUTS):
        split = WholeMessages()
        while True:
            n = core.transmit(out, buf, len(buf))
            if not n:
                break
            sent.extend((out, m) for m in split.feed(buf[:n]))
    return sent


class Studio:
    """The core running the shipped settings; `reach` plays one note and lets it go."""

    def __init__(self, settings):
        self.core = Core(settings)

    def reach(self, port, channel, note=60):
        """The (output, channel) of every Note On one key press on `port` sends, repeats kept."""
        self.core.receive(port, bytes((0x90 | channel, note, 100)), 3, 0)
        reached = [(out, m[0] & 0x0F) for out, m in drain(self.core) if m[0] & 0xF0 == 0x90]
        self.core.receive(port, bytes((0x80 | channel, note, 0)), 3, 0)
        offs = [(out, m[0] & 0x0F) for out, m in drain(self.core) if m[0] & 0xF0 == 0x80]
        assert sorted(offs) == sorted(reached), "a Note Off goes where its Note On went"
        return reached

    def send(self, port, data):
        self.core.receive(port, bytes(data), len(data), 0)
        return drain(self.core)


def test_the_studios_routes(settings):
    """What the issue asks of the studio, note by note through the core."""
    s = Studio(settings)
    for ch in (0, 1, 2, 3, 8):  # KeyStep 1-4 and the A4's auto channel 9 play the A4
        assert s.reach(KEYSTEP, ch) == [(A4, ch)]
        assert s.reach(COMPUTER_IN, ch) == [(A4, ch)]  # so does the DAW: it records into the A4
    assert s.reach(KEYSTEP, 4) == [(JU06A, 4)]  # KeyStep 5 -> JU-06A, listening on channel 5
    assert s.reach(KEYSTEP, 5) == [(TYPHON, 5)]  # KeyStep 6 -> Typhon, listening on channel 6
    # The FX track sequences the JU-06A, the CV track the Typhon, and the DAW records each on
    # its own channel.
    assert sorted(s.reach(A4_IN, 4)) == [(JU06A, 4), (COMPUTER, 4)]
    assert sorted(s.reach(A4_IN, 5)) == [(TYPHON, 5), (COMPUTER, 5)]
    assert s.reach(A4_IN, 0) == [(COMPUTER, 0)]  # the DAW records the A4's tracks
    for ch in range(6, 16):
        assert s.reach(KEYSTEP, ch) == ([(A4, 8)] if ch == 8 else [])


def test_the_analog_four_is_the_clock_master_for_the_rytm(settings):
    s = Studio(settings)
    for byte in (0xFA, 0xF8, 0xFC, 0xFB):  # start, clock, stop, continue
        assert s.send(A4_IN, [byte]) == [(RYTM, bytes((byte,)))]
        assert s.send(KEYSTEP, [byte]) == []  # the KeyStep's own clock is dropped
        assert s.send(COMPUTER_IN, [byte]) == []  # and the DAW's
    assert s.send(A4_IN, [0xF2, 0, 0]) == [(RYTM, bytes((0xF2, 0, 0)))]  # song position too


def test_the_synths_get_no_sysex_or_program_changes_from_the_analog_four(settings):
    s = Studio(settings)
    assert s.send(A4_IN, [0xC4, 3]) == [(COMPUTER, bytes((0xC4, 3)))]
    assert s.send(A4_IN, [0xF0, 0x00, 0x20, 0x3C, 0xF7]) == []


def test_no_key_press_reaches_a_synth_twice(settings):
    """One key press (from any input, on any channel, any note) reaches each (output,
    channel) at most once, whether directly or through the Analog Four, which plays what it
    gets and sends its FX and CV tracks on (A4_ECHO). Two players may share a synth (the
    KeyStep and the A4's FX track both play the JU-06A: that is merging); one player's note
    never arrives twice."""
    s = Studio(settings)
    for port in range(N_INPUTS):
        for channel in range(16):
            for note in range(128):
                direct = s.reach(port, channel, note)
                assert len(set(direct)) == len(direct), (INPUT_IDS[port], channel + 1, note, direct)
                assert len({out for out, _ in direct}) == len(direct), "one press played on two channels of one synth"
                for out, ch in direct:
                    if out != A4:
                        continue
                    for echo in A4_ECHO.get(ch + 1, ()):
                        both = direct + s.reach(A4_IN, echo - 1, note)
                        assert len(set(both)) == len(both), (
                            "%s ch %d note %d reaches %s twice (directly and through the A4's ch %d)"
                            % (INPUT_IDS[port], channel + 1, note, both, echo)
                        )


def test_no_device_hears_itself(settings):
    """Nothing from an input goes back out to the output plugged into the same device (a
    feedback loop): not the A4's notes to the A4, not the DAW's to the DAW, nor clock."""
    s = Studio(settings)
    pairs = [
        (i, o)
        for i in range(N_INPUTS)
        for o in range(N_OUTPUTS)
        if settings.input_names[i].lower() == settings.output_names[o].lower()
    ]
    assert sorted(pairs) == [(A4_IN, A4), (COMPUTER_IN, COMPUTER)]
    for i, o in pairs:
        for status in range(0x80, 0xF0, 0x10):
            for ch in range(16):
                data = [status | ch, 60, 100][: 2 if status in (0xC0, 0xD0) else 3]
                assert o not in [out for out, _ in s.send(i, data)], (INPUT_IDS[i], OUTPUT_IDS[o], data)
        assert o not in [out for out, _ in s.send(i, [0xF8])]


def test_every_line_is_commented():
    """A musician can change any line: each one says what it does."""
    with open(STUDIO, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    bare = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and "#" not in line]
    assert bare == []
