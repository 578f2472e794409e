"""The rig's fixtures: the real CircuitPython firmware, found once; where it is not, one line says so."""

import concurrent.futures
import os
import shutil
import tempfile

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


# ---- long boots, started early -----------------------------------------------------------
# A test module lists the long boots of its module fixtures in EARLY_BOOTS: {fixture name:
# function(rig, folder) -> rigmod.start()'s keyword arguments, the drive made in `folder`}. Once
# the session knows its tests, the boots they need are made and queued on one background
# thread, the one the session needs last first: the emulator runs them one at a time on the
# machine's other core while the session goes on with its other tests (and its first rig
# tests). The fixture takes its Report from early_boot(); a boot whose turn has not come is run
# then, in the foreground. Either way it is the same boot of the same drive: only when it runs
# differs.

_queued = {}  # (module name, fixture name) -> the Future of its Report
_started = []  # the rigmod.Running of each boot the background thread started
_pool = None
_folder = None


def _in_background(made):
    running = rigmod.start(FOUND, **made)
    _started.append(running)
    return running.report()


def pytest_collection_finish(session):
    global _pool, _folder
    if not FOUND.ready or session.config.option.collectonly:
        return
    wanted = {}  # in the order the session needs them
    for item in session.items:
        boots = getattr(item.module, "EARLY_BOOTS", {})
        for name in item.fixturenames:
            if name in boots:
                wanted.setdefault((item.module.__name__, name), boots[name])
    if not wanted:
        return
    _folder = tempfile.mkdtemp(prefix="thruway-rig-early-")
    _pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    for key, make in reversed(list(wanted.items())):
        made = make(FOUND, os.path.join(_folder, "-".join(key)))
        _queued[key] = _pool.submit(_in_background, made)


def pytest_sessionfinish(session):
    if _pool is None:
        return
    for future in _queued.values():
        future.cancel()
    for running in _started:
        running.stop()
    _pool.shutdown(wait=True)
    shutil.rmtree(_folder, ignore_errors=True)


@pytest.fixture(scope="session")
def early_boot(rig, rig_tmp):
    """early_boot(module, name): the Report of the boot `name` of test module `module` lists in
    its EARLY_BOOTS, from the background when it was started there, else run now."""

    def report(module, name):
        future = _queued.pop((module.__name__, name), None)
        if future is not None and not future.cancel():
            return future.result()
        make = module.EARLY_BOOTS[name]
        return rigmod.run(rig, **make(rig, str(rig_tmp / ("early-%s-%s" % (module.__name__, name)))))

    return report
