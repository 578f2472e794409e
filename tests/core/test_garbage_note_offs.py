"""Random bytes at wire speed: every Note Off whose Note On passed goes out, and panic ends the rest."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from midicheck import decode, voices_after  # noqa: E402
from thruway.core import Core, IN_SENSING_LOST  # noqa: E402
from thruway.midi import N_OUTPUTS, OUT_USB, OUTPUT_IDS  # noqa: E402
from thruway.output import DROP_NOTE_OFF  # noqa: E402


def test_100_kb_of_random_bytes_drop_no_note_off():
    """100 kB of random bytes on in1 at wire speed, every output taking a byte per byte time
    (the default merger: in1 goes everywhere; USB takes what there is), then silence: the garbage held Active Sensing,
    so the box releases the hundreds of notes it left sounding, more than a queue holds at
    once. No output drops a Note Off, each output's sounding voices are notes the core still
    holds, and panic ends them all."""
    rng = random.Random(11)
    data = bytes(rng.getrandbits(8) for _ in range(100_000))
    core = Core()
    sent = [bytearray() for _ in range(N_OUTPUTS)]
    buf = bytearray(64)
    now = 0
    for i in range(len(data) + 100_000):
        now = i * 32 // 100  # a byte every 320 µs, in ms
        if i < len(data):
            core.receive(0, data[i : i + 1], 1, now)
        core.tick(now)  # after the last byte: Active Sensing lost, every note released
        for o in range(N_OUTPUTS):
            # A DIN output takes a byte per byte time; USB takes what there is, whole.
            n = core.transmit(o, buf, 1 if o != OUT_USB else len(buf))
            sent[o].extend(buf[:n])
    assert core.counter(0, IN_SENSING_LOST) == 1 and not core.waits_on_time()
    drained = bytearray(4096)
    for o in range(N_OUTPUTS):
        assert core.outputs[o].drops[DROP_NOTE_OFF] == 0, OUTPUT_IDS[o]
        n = core.transmit(o, drained, len(drained))
        sent[o].extend(drained[:n])
        _, messages = decode(bytes(sent[o]))
        held = set(core.sounding(o))
        assert set(voices_after(messages)) <= held, OUTPUT_IDS[o]
    core.panic()
    for o in range(N_OUTPUTS):
        while True:
            n = core.transmit(o, drained, len(drained))
            if not n:
                break
            sent[o].extend(drained[:n])
        _, messages = decode(bytes(sent[o]))
        assert not voices_after(messages), OUTPUT_IDS[o]
