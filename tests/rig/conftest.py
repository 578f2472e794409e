"""The rig's fixtures: the real CircuitPython firmware, found once; where it is not, one line says so."""

import os

import pytest

from thruway_host import rig as rigmod

FOUND = rigmod.find()
WHY_NOT = "rig: skipped, the real CircuitPython on an emulated RP2040 is not here: %s" % FOUND.why_not


def pytest_ignore_collect(collection_path, config):
    """Without the firmware, the rig's tests are not collected at all: the run's summary says
    why in one line (pytest_terminal_summary), instead of a skip per test."""
    if not FOUND.ready and collection_path.name.startswith("test_"):
        return True
    return None


def pytest_terminal_summary(terminalreporter):
    if FOUND.ready:
        terminalreporter.write_line("rig: CircuitPython %s (%s)" % (FOUND.version, os.path.basename(FOUND.firmware)))
    else:
        terminalreporter.write_line(WHY_NOT)


@pytest.fixture(scope="session")
def rig():
    """The rig (firmware + bootrom + emulator)."""
    if not FOUND.ready:
        pytest.skip(WHY_NOT)
    return FOUND


@pytest.fixture(scope="session")
def rig_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("rig")
