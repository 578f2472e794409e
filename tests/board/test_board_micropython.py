"""The board shell runs under MicroPython too: a pass of the loop allocates nothing in steady state, and a settings file with mistakes is reported while the loop runs on."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


@pytest.mark.parametrize("settings", ["thruway.toml", "tests/core/every-feature.toml"])
def test_a_loop_pass_allocates_nothing(micropython, settings):
    """Under MicroPython (the VM CircuitPython is built on), with stand-ins for CircuitPython's
    modules: 480 passes of the real loop with both inputs busy and every kind of housekeeping
    (core timeouts, button, LEDs, status light, USB presence) allocate 0 heap bytes, so the
    collector has nothing to do while music plays; with the studio's file, and with every
    feature at once (the box's own clock read from the microsecond counter among them). The
    settings poll, which waits for a quiet moment, allocates os.stat's result: a few hundred
    bytes, twice a second."""
    path = os.path.join(ROOT, settings)
    out = micropython(
        os.path.join(HERE, "mp_loop_alloc.py"),
        path,
        paths=(os.path.join(HERE, "mp"), os.path.join(ROOT, "lib"), os.path.join(ROOT, "tests", "micropython")),
        data=(path,),
    )
    figures = dict(line.split() for line in out.strip().splitlines())
    assert int(figures["passes"]) == 480 and int(figures["bytes_in"]) > 2000
    assert int(figures["allocated"]) == 0, out
    polls = int(figures["polls"])
    assert polls in (2, 3)  # 1010 ms at one poll each 500 ms: 2 or 3, as the window falls
    assert 0 < int(figures["poll_allocated"]) <= polls * 512, out


def test_settings_mistakes_are_reported_and_the_loop_runs_on(micropython, tmp_path):
    """Under MicroPython, the loop started with a file full of mistakes, then saved over with a
    file with CR line ends, a Latin-1 file, the studio's file, the every-feature file (the box
    its own master: the microsecond counter is opened as it is applied) and a file with a byte
    order mark: it names every mistake with its line, keeps running (bytes keep coming in),
    applies the good files, and says word for word what the same script says under CPython.
    (SettingsError once stopped the firmware on the first mistake: the boards have no
    Exception.__init__.)"""
    errors = os.path.join(ROOT, "tests", "settings", "errors")
    studio = os.path.join(ROOT, "thruway.toml")
    saves = [os.path.join(errors, name) for name in ("old-mac-line-ends.toml", "latin-1.toml")]
    every_feature = os.path.join(ROOT, "tests", "core", "every-feature.toml")
    saves += [studio, every_feature, os.path.join(errors, "byte-order-mark.toml")]
    drive = tmp_path / "thruway.toml"
    first = open(os.path.join(errors, "many-mistakes.toml"), "rb").read()
    script = os.path.join(HERE, "mp_loop_errors.py")
    stubs = os.path.join(HERE, "mp")
    lib = os.path.join(ROOT, "lib")
    drive.write_bytes(first)
    on_board = micropython(script, str(drive), *saves, paths=(stubs, lib), data=(str(tmp_path), errors, studio, every_feature))
    drive.write_bytes(first)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([stubs, lib]))
    run = subprocess.run([sys.executable, script, str(drive), *saves], env=env, capture_output=True, text=True, check=True)
    on_host = run.stdout
    assert on_board == on_host
    lines = on_board.splitlines()
    assert "thruway.toml has 7 errors; running the default routing until it is fixed:" in lines[0]
    assert lines.count("Thruway: thruway.toml not applied, the routing stays as it was:") == 3
    assert "  thruway.toml:4: this line is not UTF-8 text: save the file as plain text (UTF-8)" in lines
    assert lines[-3:] == ["errors 1 reloads 2 reload_errors 3", "bytes in True", "clock in microseconds True"]
