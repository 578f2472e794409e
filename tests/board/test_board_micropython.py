"""The board shell runs under MicroPython too, and a pass of the loop allocates nothing in steady state."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def test_a_loop_pass_allocates_nothing(micropython):
    """Under MicroPython (the VM CircuitPython is built on), with stand-ins for CircuitPython's
    modules: 480 passes of the real loop with both inputs busy and every kind of housekeeping
    (core timeouts, button, LEDs, status light, USB presence) allocate 0 heap bytes, so the
    collector has nothing to do while music plays. The settings poll, which waits for a quiet
    moment, allocates os.stat's result: a few hundred bytes, twice a second."""
    studio = os.path.join(ROOT, "thruway.toml")
    out = micropython(
        os.path.join(HERE, "mp_loop_alloc.py"),
        studio,
        paths=(os.path.join(HERE, "mp"), os.path.join(ROOT, "lib"), os.path.join(ROOT, "tests", "micropython")),
        data=(studio,),
    )
    figures = dict(line.split() for line in out.strip().splitlines())
    assert int(figures["passes"]) == 480 and int(figures["bytes_in"]) > 2000
    assert int(figures["allocated"]) == 0, out
    assert int(figures["polls"]) == 2
    assert 0 < int(figures["poll_allocated"]) <= 2 * 512, out
