"""The tests run with the repository root off the import path: code.py is only the board's entry point."""

import os
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_root_is_not_on_the_import_path():
    """Neither the root nor the current folder standing for it is on sys.path, and `import code`
    gives Python's own module (pdb needs it), not the board's code.py."""
    assert ROOT not in [os.path.abspath(p or os.curdir) for p in sys.path]
    import code

    assert os.path.dirname(os.path.abspath(code.__file__)) == os.path.abspath(sysconfig.get_paths()["stdlib"])
    assert hasattr(code, "InteractiveConsole")


def test_code_py_is_only_the_boards_entry_point():
    """code.py holds no stand-in for Python's `code` module: it is the firmware's start, read by
    CircuitPython (and by the virtual board, by its path)."""
    with open(os.path.join(ROOT, "code.py")) as f:
        text = f.read()
    assert "sysconfig" not in text and "stdlib" not in text
    assert "loop.run()" in text
