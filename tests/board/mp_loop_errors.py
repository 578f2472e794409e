"""The firmware loop meeting settings files with mistakes, run under MicroPython and CPython alike: prints every line it says.

Usage: mp_loop_errors.py DRIVE_FILE FILE..., with --path tests/board/mp (stand-ins for
CircuitPython's modules) and --path lib. DRIVE_FILE is the loop's thruway.toml at start-up; each
FILE is then saved over it in turn and applied as a save noticed by the poll would be. Between
saves the loop runs 100 passes with both inputs busy. Prints what the loop says, then its counters."""

import sys

from thruway_board.loop import Loop
from thruway_board.ports import open_ports


def main(drive_file, saves):
    loop = Loop(open_ports(), settings_path=drive_file, say=print)
    loop.start()
    for name in saves:
        for _ in range(100):
            loop.step()
        with open(name, "rb") as f:
            data = f.read()
        with open(drive_file, "wb") as f:
            f.write(data)
        loop.seen_size, loop.seen_mtime = loop.file.stat()
        loop.apply_file()
    for _ in range(100):
        loop.step()
    print("errors %d reloads %d reload_errors %d" % (len(loop.errors), loop.reloads, loop.reload_errors))
    print("bytes in", loop.bytes_in[0] > 0 and loop.bytes_in[1] > 0)
    print("clock in microseconds", loop.micros is not None and loop.core.clock_per_ms == 1000)


main(sys.argv[1], sys.argv[2:])
