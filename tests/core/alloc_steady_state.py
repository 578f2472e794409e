"""Heap bytes the core allocates per byte in steady state; run under MicroPython (prints figures).

Usage: alloc_steady_state.py SETTINGS_FILE. Feeds mixed traffic (notes with running status,
CC, pitch bend, clock inside messages, SysEx) on all three inputs and drains every output,
after a warm-up pass; prints `bytes_in N`, `messages N` and `allocated N`."""

import sys

from heapmeter import allocated
from thruway.core import Core
from thruway.settings import load

MIXED = bytes(
    [0x90, 0x3C, 0x64, 0x3E, 0x64, 0xF8, 0x40, 0x64]  # notes with running status, a clock
    + [0x94, 0x45, 0x5A, 0x84, 0x45, 0x40]  # channel 5 note on/off
    + [0xB4, 0x4A, 0x10, 0xF8, 0x4A, 0x11]  # CC with a clock between, running status
    + [0xE4, 0x00, 0x40, 0xD4, 0x30, 0xC4, 0x05]  # pitch bend, aftertouch, program
    + [0x95, 0x21, 0x64, 0x95, 0x21, 0x00]  # channel 6 note, ended by velocity 0
    + [0xF0, 0x7D, 0x01, 0x02, 0xF8, 0x03, 0xF7]  # SysEx with a clock inside
    + [0x80, 0x3C, 0x00, 0x80, 0x3E, 0x00, 0x80, 0x40, 0x00]
    + [0x98, 0x24, 0x64, 0x88, 0x24, 0x40, 0xFE, 0xFA, 0xFC]
)
MESSAGES = 24


def run(core, passes, out):
    now = 0
    for _ in range(passes):
        for port in range(3):
            core.receive(port, MIXED, len(MIXED), now)
        for o in range(5):
            while core.transmit(o, out, 64):
                pass
        now += 7
        core.tick(now)


def main():
    with open(sys.argv[1]) as f:
        core = Core(load(f.read()))
    out = bytearray(64)
    run(core, 20, out)  # warm up: every table and queue touched once
    passes = 50
    used = allocated(run, core, passes, out)
    print("bytes_in", passes * 3 * len(MIXED))
    print("messages", passes * 3 * MESSAGES)
    print("allocated", used)


main()
