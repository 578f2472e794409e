"""Bundled traffic: what the studio's devices send, made by rule and written as timed text.

`python -m thruway_host.traffic DIR` writes the captures in examples/captures/; a test checks
that the committed files are what this module makes."""

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


def as_text(title, events):
    # One line per event as the device sent it.
    lines = ["# " + title, "# <milliseconds> <hex bytes>"]
    for t, data in events:
        lines.append("%.3f %s" % (t / 1000.0, " ".join("%02X" % b for b in data)))
    return "\n".join(lines) + "\n"


def write_all(folder):
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, (title, events) in studio().items():
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(as_text(title, events))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "examples/captures"):
        print(path)
