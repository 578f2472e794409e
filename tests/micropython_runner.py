"""Run scripts under MicroPython (the WebAssembly build pinned in package.json) from pytest.

Tests normally take the ``micropython`` fixture from ``tests/conftest.py``::

    def test_replay(micropython):
        out = micropython("tests/micropython/some_script.py", "arg", data=("tests/golden",))

The functions here can also be imported directly. A failed script raises AssertionError
with MicroPython's traceback and the command that reproduces it by hand; see
``tests/micropython/README.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
RUNNER = REPO_ROOT / "tests" / "micropython" / "run.mjs"
PACKAGE = "@micropython/micropython-webassembly-pyscript"
PACKAGE_DIR = REPO_ROOT / "node_modules" / PACKAGE

DEFAULT_TIMEOUT = 60.0  # seconds, for one script
DEFAULT_BATCH_TIMEOUT = 600.0  # seconds, for a whole run_micropython_many()
_OUTPUT_TAIL = 4000  # characters of stdout quoted in a failure message

PathLike = str | os.PathLike


@dataclass(frozen=True)
class MicroPythonJob:
    """One script to run, with the same meaning as run_micropython()'s arguments."""

    script: PathLike
    args: Sequence[str] = ()
    paths: Sequence[PathLike] = ("lib",)
    data: Sequence[PathLike] = ()
    heapsize: int | None = None

    def options(self) -> list[str]:
        opts: list[str] = []
        for p in self.paths:
            opts += ["--path", os.fspath(p)]
        for d in self.data:
            opts += ["--data", os.fspath(d)]
        if self.heapsize is not None:
            opts += ["--heapsize", str(self.heapsize)]
        return opts

    def command(self) -> list[str]:
        """The command line that runs this job by hand (from the repository root)."""
        return ["node", os.path.relpath(RUNNER, REPO_ROOT), *self.options(), os.fspath(self.script), *self.args]

    def as_batch_entry(self) -> dict:
        entry: dict = {
            "script": os.fspath(self.script),
            "args": [str(a) for a in self.args],
            "paths": [os.fspath(p) for p in self.paths],
            "data": [os.fspath(d) for d in self.data],
        }
        if self.heapsize is not None:
            entry["heapsize"] = self.heapsize
        return entry


@dataclass(frozen=True)
class MicroPythonResult:
    job: MicroPythonJob
    exit_code: int
    stdout: str
    stderr: str = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def failure_message(self) -> str:
        tail = self.stdout[-_OUTPUT_TAIL:]
        cut = "...\n" if len(self.stdout) > len(tail) else ""
        return (
            f"MicroPython run failed (exit status {self.exit_code}): {self.job.script}\n"
            f"reproduce: {' '.join(self.job.command())}\n"
            f"--- stderr (MicroPython traceback) ---\n{self.stderr.rstrip()}\n"
            f"--- stdout (last {_OUTPUT_TAIL} characters) ---\n{cut}{tail.rstrip()}"
        )


def micropython_unavailable_reason() -> str | None:
    """Why the harness cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH (Node 20+ is needed for the MicroPython harness)"
    if not (PACKAGE_DIR / "package.json").is_file():
        return f"{PACKAGE} is not installed in node_modules: run `npm ci` (or `make setup`)"
    return None


def require_micropython() -> None:
    """Skip the calling test when the harness is missing -- or fail it when $CI is set.

    CI must never pass by silently skipping the MicroPython run.
    """
    reason = micropython_unavailable_reason()
    if reason is None:
        return
    if "CI" in os.environ:
        pytest.fail(f"MicroPython harness unavailable and CI is set, so this is a failure: {reason}", pytrace=False)
    pytest.skip(f"MicroPython harness unavailable: {reason}")


def _node_run(argv: list[str], timeout: float, stdin: str | None = None) -> subprocess.CompletedProcess:
    reason = micropython_unavailable_reason()
    if reason is not None:
        raise AssertionError(f"cannot run MicroPython: {reason}")
    return subprocess.run(
        ["node", str(RUNNER), *argv],
        cwd=REPO_ROOT,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def run_micropython_result(
    script_path: PathLike,
    *args: str,
    paths: Iterable[PathLike] = ("lib",),
    data: Iterable[PathLike] = (),
    heapsize: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> MicroPythonResult:
    """Run one script and return its status and output, whatever they are.

    Relative paths are taken from the repository root, which is also the script's
    working directory.
    """
    job = MicroPythonJob(script_path, tuple(args), tuple(paths), tuple(data), heapsize)
    argv = [*job.options(), os.fspath(job.script), *job.args]
    try:
        proc = _node_run(argv, timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(
            f"MicroPython run timed out after {timeout} s: {' '.join(job.command())}\n"
            f"--- stderr ---\n{_text(e.stderr)}\n--- stdout (last {_OUTPUT_TAIL}) ---\n{_text(e.stdout)[-_OUTPUT_TAIL:]}"
        ) from None
    return MicroPythonResult(job, proc.returncode, proc.stdout, proc.stderr)


def run_micropython(
    script_path: PathLike,
    *args: str,
    paths: Iterable[PathLike] = ("lib",),
    data: Iterable[PathLike] = (),
    heapsize: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Run one script under MicroPython; return its stdout.

    ``paths``: directories whose .py files are copied in and put on sys.path
    (``"lib"`` makes ``import thruway`` work). ``data``: files or directories copied
    in at the same relative path, for ``open()``. Raises AssertionError, with the
    MicroPython traceback, unless the script exits with status 0.
    """
    result = run_micropython_result(
        script_path, *args, paths=paths, data=data, heapsize=heapsize, timeout=timeout
    )
    if not result.ok:
        raise AssertionError(result.failure_message())
    return result.stdout


def run_micropython_many_results(
    jobs: Iterable[MicroPythonJob], timeout: float = DEFAULT_BATCH_TIMEOUT
) -> list[MicroPythonResult]:
    """Run many scripts in one Node process, each in a fresh interpreter; never raises for a script."""
    jobs = list(jobs)
    if not jobs:
        return []
    payload = json.dumps([job.as_batch_entry() for job in jobs])
    try:
        proc = _node_run(["--batch", "-"], timeout, stdin=payload)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"MicroPython batch of {len(jobs)} scripts timed out after {timeout} s") from None
    if proc.returncode != 0:
        raise AssertionError(f"MicroPython batch runner failed (exit status {proc.returncode}):\n{proc.stderr}")
    raw = json.loads(proc.stdout)
    if len(raw) != len(jobs):
        raise AssertionError(f"MicroPython batch runner returned {len(raw)} results for {len(jobs)} scripts")
    return [MicroPythonResult(job, r["exit_code"], r["stdout"], r["stderr"]) for job, r in zip(jobs, raw)]


def run_micropython_many(jobs: Iterable[MicroPythonJob], timeout: float = DEFAULT_BATCH_TIMEOUT) -> list[str]:
    """Like run_micropython() for each job, but in one Node process (about 20 ms a script
    instead of about 250 ms). Returns the stdouts in order; raises one AssertionError
    naming every failed script, after all have run.
    """
    results = run_micropython_many_results(jobs, timeout)
    failed = [r for r in results if not r.ok]
    if failed:
        raise AssertionError(
            f"{len(failed)} of {len(results)} MicroPython scripts failed\n\n"
            + "\n\n".join(r.failure_message() for r in failed)
        )
    return [r.stdout for r in results]


class MicroPython:
    """What the ``micropython`` fixture gives a test: call it like run_micropython()."""

    Job = MicroPythonJob

    def __call__(self, script_path: PathLike, *args: str, **kwargs) -> str:
        return run_micropython(script_path, *args, **kwargs)

    result = staticmethod(run_micropython_result)
    many = staticmethod(run_micropython_many)
    many_results = staticmethod(run_micropython_many_results)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")
