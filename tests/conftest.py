"""Shared pytest fixtures for Thruway's tests. Keep each section small and self-contained."""

import os
import sys

import pytest

# --- The repository root is not on the import path ----------------------------------
# Its code.py is the board's entry point, not Python's `code` module (which pdb imports):
# `python -m pytest` puts the current folder first on sys.path, so take the root out. The
# tests reach lib/ and host/ through the installed package, and load code.py by its path.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]

# --- MicroPython harness (tests/micropython/README.md) ------------------------------
# `micropython(script, *args, paths=("lib",), data=(), ...)` runs a script under the
# pinned MicroPython WebAssembly build and returns its stdout; also `.result(...)`,
# `.many(jobs)` and `.Job`. Skips when node/node_modules are missing, fails if $CI is set.
from micropython_runner import MicroPython, require_micropython


@pytest.fixture
def micropython() -> MicroPython:
    require_micropython()
    return MicroPython()
