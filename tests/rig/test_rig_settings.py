"""On the real firmware: every settings file the suite has gives the board exactly what `thruway check` says."""

import contextlib
import io
import os
import re
import sys

import pytest

import rigfiles
from thruway_host import rig as rigmod
from thruway_host.cli import main as thruway

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe_settings.py")
MISSING_NAME = "zz-none.toml"  # the probe is told of a file that is not on the drive
BIG_BYTES = 96 * 1024  # far more than the board's heap can hold as text with the firmware loaded


def too_big():
    """A file too big for the board's memory: the studio's file, padded with comment lines."""
    pad = b"# " + b"padding " * 15 + b"\n"
    return rigfiles.studio() + pad * (BIG_BYTES // len(pad))


def host_check(tmp_path, data):
    """What `thruway check thruway.toml` says of `data`: (status, error lines, routes)."""
    path = tmp_path / "thruway.toml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = thruway(["check", "thruway.toml"])
    finally:
        os.chdir(cwd)
    errors = [line for line in err.getvalue().splitlines() if re.match(r"thruway\.toml:\d+: ", line)]
    return status, errors, out.getvalue()


def probe_files():
    """[(name on the board, label, bytes)] of every file the probe reads."""
    found = rigfiles.everything() + [("too big for the board", too_big())]
    return [("%03d.toml" % k, label, data) for k, (label, data) in enumerate(found)]


def probe_boot(rig, folder):
    """One boot: the probe hands the firmware's reading every file in turn (rigmod.start()'s arguments)."""
    extra = {"rigfiles/" + name: data for name, _, data in probe_files()}
    extra["rig_probe.py"] = open(PROBE, "rb").read()
    drive = rigmod.stage_drive(folder, settings=rigfiles.studio(), extra=extra)
    return dict(drive=drive, code_file="rig_probe.py", ready=r"rig: ready", until_console=r"rig: done", captures=(),
                max_s=600, timeout_s=1500)


# The longest boot of the rig's tests: started early (tests/rig/conftest.py), in the background.
EARLY_BOOTS = {"board": probe_boot}


@pytest.fixture(scope="module")
def files():
    return probe_files()


@pytest.fixture(scope="module")
def board(early_boot):
    """One boot: the probe hands the firmware's loop every file in turn; what it printed, per file."""
    report = early_boot(sys.modules[__name__], "board")
    assert report.ok, report.error + "\n" + report.console[-2000:]
    said = {}
    current = None
    for line in report.lines():
        m = re.match(r"rig: file (\S+)$", line)
        if m:
            current = said.setdefault(m.group(1), [])
            continue
        if line.startswith("rig: end "):
            current = None
            continue
        if current is not None:
            current.append(line)
    return report, said


def test_every_file_reads_on_the_board_as_thruway_check_reads_it(board, files, tmp_path):
    """Each file gives on the board exactly the error lines `thruway check` prints, or is applied,
    and the firmware's reading never raises."""
    report, said = board
    assert "rig: raised" not in report.console, report.console[-2000:]
    problems = []
    for name, label, data in files:
        if label == "too big for the board":
            continue
        lines = said.get(name)
        assert lines is not None, "the board never read %s (%s)" % (name, label)
        status, errors, out = host_check(tmp_path, data)
        board_errors = [line.strip() for line in lines if line.strip().startswith("thruway.toml:")]
        if status == 0:
            if not any(line.startswith("rig: applied") for line in lines) or board_errors:
                problems.append("%s: check says ok, the board said %r" % (label, lines))
        elif board_errors != errors:
            problems.append("%s:\n  check: %r\n  board: %r" % (label, errors, board_errors))
    assert not problems, "\n".join(problems)


def test_a_file_too_big_for_memory_keeps_the_last_good_routing(board, files):
    """A file the board cannot hold is refused with the documented message; the routing stays."""
    _, said = board
    name = [n for n, label, _ in files if label == "too big for the board"][0]
    lines = said[name]
    assert any("thruway.toml:1: too big for the board's memory" in line for line in lines), lines
    assert not any(line.startswith("rig: applied") for line in lines), lines


def test_no_file_is_the_default_merger(board):
    """No settings file on the drive: the box runs the default routing, a plain merger."""
    _, said = board
    assert said[MISSING_NAME] == ["rig: applied 3 routes"], said[MISSING_NAME]
