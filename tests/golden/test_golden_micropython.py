"""The core's golden replays run under MicroPython, so code CircuitPython cannot run fails CI."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))


def test_golden_files_under_micropython(micropython):
    """Every golden file gives the same outputs under MicroPython as it expects (three seeds)."""
    files = os.path.join(HERE, "files")
    out = micropython(
        os.path.join(HERE, "run_golden.py"),
        files,
        "1",
        "2",
        "3",
        paths=("lib", HERE),
        data=(files,),
    )
    names = sorted(n for n in os.listdir(files) if n.endswith(".golden"))
    assert "golden files: %d ok, 0 failing" % len(names) in out, out
    for name in names:
        assert "ok " + name in out
