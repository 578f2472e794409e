"""The core allocates nothing per byte or per message in steady state (MicroPython's own heap count)."""

import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


@pytest.mark.parametrize("settings", [os.path.join(ROOT, "thruway.toml"), os.path.join(HERE, "every-feature.toml")])
def test_core_allocates_nothing_in_steady_state(micropython, settings):
    """Under MicroPython, feeding mixed traffic on all inputs and draining every output, after
    a warm-up, allocates 0 heap bytes: the box's collector has nothing to do while music plays,
    with the studio's file and with one using splits, transposes, velocity changes, clock
    division and the box's own clock."""
    out = micropython(
        os.path.join(HERE, "alloc_steady_state.py"),
        settings,
        paths=("lib", os.path.join(ROOT, "tests", "micropython"), HERE),
        data=(settings,),
    )
    figures = dict(line.split() for line in out.strip().splitlines())
    assert int(figures["bytes_in"]) > 5000
    assert int(figures["allocated"]) == 0, out
