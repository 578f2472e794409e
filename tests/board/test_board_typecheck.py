"""code.py, boot.py and all of lib/ (core and board shell) type-check against circuitpython-stubs: a misspelt CircuitPython API fails."""

import os
import shutil
import subprocess
import sys

import pytest

from boardkit import ROOT

CONFIG = "mypy-board.ini"
TREE = ("code.py", "boot.py", CONFIG, "lib/thruway", "lib/thruway_board", "tests/board/typings")


def mypy(cwd, cache):
    """Run the firmware's type check in `cwd`; (exit status, output)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", CONFIG, "--cache-dir", str(cache)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("mypy-cache")


def test_the_firmware_type_checks(cache):
    """mypy with circuitpython-stubs finds nothing wrong in code.py, boot.py and all of lib/ (the
    core and the board shell)."""
    status, out = mypy(ROOT, cache)
    assert status == 0, out
    assert "Success: no issues found" in out


MISTAKES = [
    ("lib/thruway_board/ports.py", "busio.UART(", "busio.UARt(", 'Module has no attribute "UARt"'),
    ("lib/thruway_board/loop.py", "uart.in_waiting", "uart.in_wating", 'has no attribute "in_wating"'),
    ("lib/thruway_board/ports.py", "sm.background_write(once=", "sm.background_write(onse=", 'Unexpected keyword argument "onse"'),
    ("lib/thruway_board/startup.py", "supervisor.runtime.autoreload = ", "supervisor.runtime.auto_reload = ", '"auto_reload"'),
    ("code.py", "supervisor.runtime.autoreload,", "supervisor.runtime.autoreloads,", '"autoreloads"'),
    ("lib/thruway_board/status.py", "neopixel_write.neopixel_write(self.io, colour)", "neopixel_write.neopixel_write(self.io)", "Missing positional argument"),
    ("lib/thruway_board/ports.py", "receiver_buffer_size=RX_BUFFER", "receive_buffer_size=RX_BUFFER", '"receive_buffer_size"'),
    ("lib/thruway/core.py", "out.put3(port, status, d1, d2, length, RESERVE_OTHER)", "out.put4(port, status, d1, d2, length, RESERVE_OTHER)", '"put4"'),
]


@pytest.mark.parametrize("path,right,wrong,message", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_a_misspelt_api_fails_the_type_check(tmp_path, cache, path, right, wrong, message):
    """The check bites: the firmware with one CircuitPython call misspelt, in a temporary copy, fails."""
    for item in TREE:
        src = os.path.join(ROOT, item)
        if os.path.isdir(src):
            shutil.copytree(src, tmp_path / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tmp_path / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, tmp_path / item)
    target = tmp_path / path
    text = target.read_text()
    assert right in text
    target.write_text(text.replace(right, wrong, 1))
    status, out = mypy(tmp_path, cache)
    assert status == 1, out
    assert message in out and path in out, out
