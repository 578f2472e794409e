"""The core allocates nothing per byte or per message in steady state (MicroPython's own heap count)."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def test_core_allocates_nothing_in_steady_state(micropython):
    """Under MicroPython, feeding mixed traffic on all inputs and draining every output, after
    a warm-up, allocates 0 heap bytes: the box's collector has nothing to do while music plays."""
    out = micropython(
        os.path.join(HERE, "alloc_steady_state.py"),
        os.path.join(ROOT, "thruway.toml"),
        paths=("lib", os.path.join(ROOT, "tests", "micropython"), HERE),
        data=(os.path.join(ROOT, "thruway.toml"),),
    )
    figures = dict(line.split() for line in out.strip().splitlines())
    assert int(figures["bytes_in"]) > 5000
    assert int(figures["allocated"]) == 0, out
