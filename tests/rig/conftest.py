"""The rig's fixtures: the real CircuitPython firmware, found once, or one skip line for the whole folder."""

import os

import pytest

from thruway_host import rig as rigmod


@pytest.fixture(scope="session")
def rig():
    """The rig (firmware + bootrom + emulator), or a skip naming what is missing."""
    found = rigmod.find()
    if not found.ready:
        pytest.skip("the rig (real CircuitPython on an emulated RP2040) is not here: " + found.why_not)
    return found


@pytest.fixture(scope="session")
def rig_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("rig")


def pytest_report_header(config):
    found = rigmod.find()
    if found.ready:
        return "rig: CircuitPython %s (%s)" % (found.version, os.path.basename(found.firmware))
    return "rig: skipped, " + found.why_not
