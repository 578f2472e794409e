"""Helpers for the board shell's tests: power-up, traffic, what the outputs said."""

import os
import random

from midicheck import decode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STUDIO = os.path.join(ROOT, "thruway.toml")
MS = 1000  # µs


def power_up(vb, seconds, hold_panic=False):
    """Power the board up: boot.py, then code.py for `seconds`. Returns code.py's loop."""
    if hold_panic:
        vb.press()
    vb.run_boot()
    if hold_panic:
        vb.release()
    return vb.run_code(seconds)["loop"]


def more(vb, loop, seconds):
    """Let the same loop (no reload) run on for `seconds`."""
    vb.run_loop(loop, seconds)


def studio_text():
    with open(STUDIO) as f:
        return f.read()


def messages(data, running_status=False):
    """An output's bytes as mido messages (asserts they are whole, valid MIDI)."""
    realtime, msgs = decode(bytes(data), running_status)
    return realtime, msgs


def notes(data):
    """(type, channel 1-16, note) of the note messages in an output's bytes."""
    _, msgs = messages(data)
    out = []
    for m in msgs:
        if m.type in ("note_on", "note_off"):
            kind = "note_off" if m.type == "note_off" or m.velocity == 0 else "note_on"
            out.append((kind, m.channel + 1, m.note))
    return out


def traffic(seed, n, channel=0):
    """`n` bytes of busy MIDI (notes, CC, pitch bend, clock), whole messages: a saturated input."""
    r = random.Random(seed)
    out = bytearray()
    ch = channel
    while True:
        k = r.random()
        note = r.randrange(36, 96)
        if k < 0.4:
            msg = bytes((0x90 | ch, note, r.randrange(1, 128), 0x80 | ch, note, 0x40))
        elif k < 0.7:
            msg = bytes((0xB0 | ch, r.randrange(0, 120), r.randrange(128)))
        elif k < 0.8:
            msg = bytes((0xF8,))
        else:
            msg = bytes((0xE0 | ch, r.randrange(128), r.randrange(128)))
        if len(out) + len(msg) > n:
            break
        out += msg
    return bytes(out) + b"\xf8" * (n - len(out))


def busy_fraction(wire, start, end, byte_us=320):
    """The share of [start, end) µs a wire spent sending."""
    busy = sum(1 for t, _ in wire if start <= t < end) * byte_us
    return busy / (end - start)
