"""Heap bytes the firmware loop allocates per pass in steady state; run under MicroPython (prints figures).

Usage: mp_loop_alloc.py SETTINGS_FILE, with --path tests/board/mp (stand-ins for CircuitPython's
modules), --path lib and --path tests/micropython. Both DIN inputs always have bytes to read
(notes, CC, pitch bend, clock); every output takes what it is given; one pass is one
millisecond. Prints `passes N`, `bytes_in N`, `allocated N` for passes with every kind of
housekeeping but the settings poll (which waits for a moment when no byte waits), then, with
the inputs silent, `polls N` and `poll_allocated N` for a window with polls of the file."""

import sys

import busio
from heapmeter import allocated
from thruway_board.loop import SETTINGS_POLL_MS, Loop
from thruway_board.ports import open_ports


def run(step, passes):
    for _ in range(passes):
        step()


def main():
    loop = Loop(open_ports(), settings_path=sys.argv[1], say=lambda line: None)
    loop.start()
    step = loop.step  # a bound method: made once, as Loop.run() does
    run(step, 2 * SETTINGS_POLL_MS + 10)  # warm up: every table, queue and housekeeping path once
    before = loop.bytes_in[0] + loop.bytes_in[1]
    # The poll came at the end of the warm-up: the next is SETTINGS_POLL_MS passes away.
    passes = SETTINGS_POLL_MS - 20
    used = allocated(run, step, passes)
    print("passes", passes)
    print("bytes_in", loop.bytes_in[0] + loop.bytes_in[1] - before)
    print("allocated", used)
    busio.flowing[0] = False
    run(step, 50)  # the outputs drain
    polls = loop.polls
    print("poll_allocated", allocated(run, step, 2 * SETTINGS_POLL_MS + 10))
    print("polls", loop.polls - polls)


main()
