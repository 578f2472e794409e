"""Shared pytest fixtures for Thruway's tests. Keep each section small and self-contained."""

import pytest

# --- MicroPython harness (tests/micropython/README.md) ------------------------------
# `micropython(script, *args, paths=("lib",), data=(), ...)` runs a script under the
# pinned MicroPython WebAssembly build and returns its stdout; also `.result(...)`,
# `.many(jobs)` and `.Job`. Skips when node/node_modules are missing, fails if $CI is set.
from micropython_runner import MicroPython, require_micropython


@pytest.fixture
def micropython() -> MicroPython:
    require_micropython()
    return MicroPython()
