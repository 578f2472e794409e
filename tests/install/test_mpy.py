"""The bytecode thruway install puts on the board is CircuitPython's compile of lib/ as it is now."""

import os

import pytest

from thruway_host import mpy


def test_every_module_has_its_bytecode_and_nothing_else():
    """Each lib/thruway*/ module has a committed .mpy under mpy/, and no .mpy outlives its source."""
    found = mpy.targets()
    assert len(found) >= 10
    missing = [os.path.relpath(m) for _, m, _ in found if not os.path.isfile(m)]
    assert not missing, "run make mpy: no bytecode for %s" % ", ".join(missing)
    assert not mpy.orphans(), "run make mpy: bytecode without a source: %s" % ", ".join(mpy.orphans())


def test_the_bytecode_is_circuitpythons():
    """Every committed .mpy is CircuitPython's format 6 (magic "C"), which MicroPython's
    compiler does not make and CircuitPython 9.2 and 10 both read."""
    for _, path, name in mpy.targets():
        with open(path, "rb") as f:
            assert f.read(2) == mpy.MAGIC, name


def test_the_bytecode_is_current():
    """A fresh compile of every module gives the committed .mpy byte for byte (make mpy after a change)."""
    mpy_cross = mpy.find_mpy_cross()
    if mpy_cross is None:
        pytest.skip("no CircuitPython mpy-cross to compare with (docs/rig.md)")
    assert mpy.stale(mpy_cross) == [], "run make mpy"
