"""Bundled traffic: what the studio's devices send, and the harder cases, made by rule as timed text.

`python -m thruway_host.traffic DIR` writes the captures (and the settings of the cases that need
their own) in examples/captures/; a test checks that the committed files are what this module
makes. SCENARIOS names each case `thruway sim --scenario` and `make bench` run."""

import os
import sys

CLOCKS_PER_BEAT = 24


def _beat_us(bpm):
    return 60_000_000 / bpm


def clock_run(bpm, beats, start_us=0, start=True, stop=True):
    """A clock master's stream: Start, 24 clocks a beat, Stop."""
    events = []
    tick = _beat_us(bpm) / CLOCKS_PER_BEAT
    if start:
        events.append((start_us, b"\xfa"))
    for k in range(beats * CLOCKS_PER_BEAT):
        events.append((start_us + round(k * tick), b"\xf8"))
    if stop:
        events.append((start_us + round(beats * CLOCKS_PER_BEAT * tick), b"\xfc"))
    return events


def notes(channel, pattern, bpm, steps_per_beat, start_us=0, velocity=100, gate=0.5):
    """Note On/Off pairs for a step pattern (MIDI note numbers, None = rest)."""
    events = []
    step = _beat_us(bpm) / steps_per_beat
    for k, note in enumerate(pattern):
        if note is None:
            continue
        t = start_us + round(k * step)
        events.append((t, bytes((0x90 | channel, note, velocity))))
        events.append((t + round(step * gate), bytes((0x80 | channel, note, 0x40))))
    events.sort(key=lambda e: (e[0], e[1][0] & 0xF0))
    return events


def with_running_status(events):
    """A device's stream as one that uses running status sends it: Note Offs as Note On
    velocity 0, and a status byte left out when it repeats (realtime does not break it)."""
    out = []
    last = 0
    for t, data in events:
        status = data[0]
        if status >= 0xF8:
            out.append((t, data))
            continue
        if status & 0xF0 == 0x80:
            data = bytes((0x90 | (status & 0x0F), data[1], 0))
            status = data[0]
        if status < 0xF0 and status == last:
            data = data[1:]
        last = status if status < 0xF0 else 0
        out.append((t, data))
    return out


def cc_sweep(channel, control, bpm, beats, per_beat, start_us=0, low=20, high=110):
    """A controller moving up and down (a filter sweep), `per_beat` values a beat."""
    events = []
    step = _beat_us(bpm) / per_beat
    n = beats * per_beat
    for k in range(n):
        phase = k / max(1, n - 1)
        value = low + round((high - low) * (1 - abs(2 * phase - 1)))
        events.append((start_us + round(k * step), bytes((0xB0 | channel, control, value))))
    return events


def merge(*streams):
    """One device's streams in time order (stable: equal times keep their order)."""
    events = [e for s in streams for e in s]
    events.sort(key=lambda e: e[0])
    return events


BPM = 120
BARS = 4
BEATS = BARS * 4
# A4 FX track (channel 5 -> JU-06A) and CV track (channel 6 -> Typhon), 16 steps a bar.
FX_LINE = [45, None, 57, None, 45, 48, None, 52, 45, None, 57, None, 43, None, 55, None]
CV_LINE = [33, None, None, 33, None, None, 36, None, 31, None, None, 31, None, None, 38, None]
# A4 tracks 1-4 (its own voices; the A4 echoes them on its MIDI OUT on channels 1-4).
A4_TRACKS = [
    [36, None, None, None] * 4,
    [None, None, 60, None] * 4,
    [64, None, 67, None, 71, None, 67, None] * 2,
    [None, 48, None, None, None, 50, None, None] * 2,
]
# KeyStep: a melody on channel 5 (JU-06A) in bars 1-2, chords on channel 6 (Typhon) in 3-4,
# a line on channel 1 (A4 track 1); its own clock at another tempo, which the box drops.
KEYSTEP_MELODY = [69, 71, 72, None, 74, None, 72, 71] * 2
KEYSTEP_LEAD = [60, None, 62, None, 64, None, 65, None]
# The DAW plays the A4's auto channel (9) for recording into its sequencer.
DAW_LINE = [50, None, 53, None, 57, None, 53, None] * 2


def studio():
    """{capture file name: events} for the default studio."""
    bar = _beat_us(BPM) * 4
    a4 = merge(
        clock_run(BPM, BEATS),
        notes(4, FX_LINE * BARS, BPM, 4),
        notes(5, CV_LINE * BARS, BPM, 4, gate=0.8),
        *[notes(ch, A4_TRACKS[ch] * BARS, BPM, 4) for ch in range(4)],
        cc_sweep(4, 74, BPM, BEATS, 4),
    )
    keystep = with_running_status(
        merge(
            notes(4, KEYSTEP_MELODY, BPM, 4, start_us=round(bar * 0.5), velocity=90),
            notes(5, [57, None, None, None, 60, None, None, None], BPM, 1, start_us=round(bar * 2), velocity=80, gate=0.9),
            notes(0, KEYSTEP_LEAD * 2, BPM, 2, start_us=round(bar), velocity=70),
            clock_run(118, 8, start_us=round(bar * 0.25)),
        )
    )
    daw = merge(notes(8, DAW_LINE * 2, BPM, 4, start_us=round(bar * 0.5), velocity=96))
    return {
        "a4-sequencer.txt": ("Analog Four MIDI OUT: clock 120 BPM, tracks 1-4 (ch 1-4), FX (ch 5), CV (ch 6), cutoff sweep", a4),
        "keystep.txt": ("KeyStep: melody ch 5, chords ch 6, lead ch 1 (running status), its own clock at 118 BPM", keystep),
        "daw.txt": ("A DAW on USB: a line on the A4's auto channel (9)", daw),
    }


# ---- the harder cases: saturated inputs, a SysEx dump, a long clock-only run -----------------

WIRE_BYTE_US = 320  # 10 bits at 31250 baud


class Lcg:
    """Pseudo-random numbers that are the same on every Python (a linear congruential generator),
    so that the committed captures never depend on the `random` module's version."""

    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.x >> 8) % n


def saturated(seed, seconds, channels, running_status=False, clock_bpm=None, max_held=6, realtime_inside=True):
    """An input kept busy without a gap for `seconds`: a player's notes (each ended), controller
    sweeps, pitch bend and channel pressure back to back on the wire. With clock_bpm, the input
    is also a clock master (Start, 24 clocks a beat, Stop) whose clock falls between bytes where
    it is due, inside messages too unless realtime_inside is False. With running_status, Note
    Offs are Note On velocity 0 and a repeated status byte is left out."""
    rnd = Lcg(seed)
    end_us = seconds * 1_000_000
    tick = _beat_us(clock_bpm) / CLOCKS_PER_BEAT if clock_bpm else None
    held = []  # (channel, note), oldest first
    values = [64] * 16  # each channel's controller position
    events = []
    pos = 0  # bytes on the wire so far
    next_clock = 0.0
    last_status = 0

    def note_off(ch, note):
        if running_status:
            return [0x90 | ch, note, 0]
        return [0x80 | ch, note, 0x40]

    def emit(msg, realtime_ok=True):
        nonlocal pos, next_clock, last_status
        status = msg[0]
        if running_status and status < 0xF0 and status == last_status:
            msg = msg[1:]
        if status < 0xF0:
            last_status = status
        data = []
        for k, b in enumerate(msg):
            while (
                realtime_ok
                and (k == 0 or realtime_inside)
                and tick is not None
                and next_clock <= (pos + len(data)) * WIRE_BYTE_US
            ):
                data.append(0xF8)
                next_clock += tick
            data.append(b)
        events.append((pos * WIRE_BYTE_US, bytes(data)))
        pos += len(data)

    if tick is not None:
        emit([0xFA], realtime_ok=False)
    while pos * WIRE_BYTE_US < end_us:
        pick = rnd.below(100)
        ch = channels[rnd.below(len(channels))]
        if pick < 30 and len(held) < max_held or pick < 50 and not held:
            note = 36 + rnd.below(48)
            if (ch, note) in held:
                continue
            held.append((ch, note))
            emit([0x90 | ch, note, 40 + rnd.below(87)])
        elif pick < 50:
            emit(note_off(*held.pop(0)))
        elif pick < 80:
            values[ch] = (values[ch] + 1 + rnd.below(6)) & 0x7F
            emit([0xB0 | ch, 74 if pick < 70 else 1, values[ch]])
        elif pick < 92:
            bend = 8192 + (rnd.below(4096) - 2048)
            emit([0xE0 | ch, bend & 0x7F, bend >> 7])
        else:
            emit([0xD0 | ch, rnd.below(128)])
    while held:
        emit(note_off(*held.pop(0)))
    if tick is not None:
        emit([0xFC], realtime_ok=False)
    return events


def sysex_dump(start_us, count, size, gap_us, seed=7):
    """A patch dump: `count` SysEx messages of `size` bytes (F0 7D ... F7; 7D is the ID the MIDI
    spec keeps for non-commercial use), each `gap_us` after the previous one has left the wire."""
    rnd = Lcg(seed)
    events = []
    t = start_us
    for k in range(count):
        body = [0x7D, 0x01, k] + [rnd.below(128) for _ in range(size - 5)]
        events.append((t, bytes([0xF0] + body + [0xF7])))
        t += size * WIRE_BYTE_US + gap_us
    return events


DENSE_SECONDS = 2
CLOCK_ONLY_BEATS = 240  # two minutes at 120 BPM
SYSEX_BEATS = 8

DENSE_SETTINGS = """\
# The dense case: two players, both DIN inputs saturated, merged into one synth. out1 gets
# twice what its wire can carry, so the box must choose what to drop (and count it).
[inputs]
in1 = "Player A"         # also the clock master
in2 = "Player B"

[outputs]
out1 = "Synth"

[clock]
source = "Player A"
to = ["Synth"]

[[route]]
from = ["Player A", "Player B"]
to = "Synth"
"""

SYSEX_SETTINGS = """\
# A SysEx dump while notes and clock play: Synth A dumps its patches to Synth B and to the
# computer while the sequencer plays both synths and clocks the drum machine.
[inputs]
in1 = "Synth A"          # sends the dump
in2 = "Sequencer"        # notes on channels 1 and 2, clock at 120 BPM

[outputs]
out1 = "Synth B"         # gets the dump, the sequencer's channel 1 and the clock
out2 = "Synth A"         # gets the sequencer's channel 2
out4 = "Drums"
usb = "Computer"         # records the dump and channel 1

[clock]
source = "Sequencer"
to = ["Synth B", "Drums", "Computer"]

[[route]]
from = "Synth A"
to = ["Synth B", "Computer"]
types = ["sysex"]

[[route]]
from = "Sequencer"
to = ["Synth B", "Computer"]
channels = 1

[[route]]
from = "Sequencer"
to = "Synth A"
channels = 2
"""


def hard_cases():
    """{file name: (title, events)} for the dense, SysEx and clock-only cases."""
    bar = _beat_us(BPM) * 4
    sequencer = merge(
        clock_run(BPM, SYSEX_BEATS),
        notes(0, [48, None, 55, None, 60, 55, None, 51] * 4, BPM, 4),
        notes(1, [67, None, 70, None, 72, None, 74, None] * 2, BPM, 2, gate=0.9),
    )
    return {
        "dense-in1.txt": (
            "Player A on in1, saturated for %d s: notes, CC, bend, pressure on ch 1-4, clock 120 BPM inside messages" % DENSE_SECONDS,
            saturated(1, DENSE_SECONDS, [0, 1, 2, 3], clock_bpm=BPM),
        ),
        "dense-in2.txt": (
            "Player B on in2, saturated for %d s: notes, CC, bend, pressure on ch 5-8 (running status)" % DENSE_SECONDS,
            saturated(2, DENSE_SECONDS, [4, 5, 6, 7], running_status=True),
        ),
        "sysex-dump.txt": (
            "Synth A on in1: a patch dump of 8 SysEx messages of 128 bytes, from the end of bar 1",
            sysex_dump(round(bar * 0.75), 8, 128, 20_000),
        ),
        "sysex-sequencer.txt": (
            "Sequencer on in2: clock 120 BPM, 16ths on ch 1, 8ths on ch 2, for 2 bars",
            sequencer,
        ),
        "clock-only.txt": (
            "Analog Four MIDI OUT, clock only: Start, %d beats at 120 BPM, Stop" % CLOCK_ONLY_BEATS,
            clock_run(BPM, CLOCK_ONLY_BEATS),
        ),
    }


# Each case the simulation and the benchmark run: (what it shows, settings file from the
# repository root, {input id or name: capture file in examples/captures}).
CAPTURES_DIR = "examples/captures"
SCENARIOS = {
    "studio": (
        "the default studio: KeyStep, Analog Four sequencing and clocking the Rytm, a DAW on USB",
        "thruway.toml",
        {"KeyStep": "keystep.txt", "Analog Four": "a4-sequencer.txt", "usb": "daw.txt"},
    ),
    "dense": (
        "both DIN inputs saturated, merged into one output",
        CAPTURES_DIR + "/dense.toml",
        {"in1": "dense-in1.txt", "in2": "dense-in2.txt"},
    ),
    "sysex": (
        "a SysEx dump arriving while notes and clock play",
        CAPTURES_DIR + "/sysex-dump.toml",
        {"in1": "sysex-dump.txt", "in2": "sysex-sequencer.txt"},
    ),
    "clock": (
        "two minutes of clock alone, Analog Four to the Rytm",
        "thruway.toml",
        {"Analog Four": "clock-only.txt"},
    ),
}


def as_text(title, events):
    # One line per event as the device sent it.
    lines = ["# " + title, "# <milliseconds> <hex bytes>"]
    for t, data in events:
        lines.append("%.3f %s" % (t / 1000.0, " ".join("%02X" % b for b in data)))
    return "\n".join(lines) + "\n"


def bundle():
    """{file name: text} of every bundled file: the captures and the settings of the cases."""
    files = {}
    for name, (title, events) in list(studio().items()) + list(hard_cases().items()):
        files[name] = as_text(title, events)
    files["dense.toml"] = DENSE_SETTINGS
    files["sysex-dump.toml"] = SYSEX_SETTINGS
    return files


def write_all(folder):
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, text in bundle().items():
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "examples/captures"):
        print(path)
