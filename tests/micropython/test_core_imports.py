"""Every module in lib/thruway must import under MicroPython."""

from pathlib import Path

import pytest

from micropython_runner import REPO_ROOT

CHECK = "tests/micropython/check_core_imports.py"


def expected_modules(package_dir: Path, prefix: str = "thruway") -> set[str]:
    """The dotted module names check_core_imports.py should find, listed by CPython."""
    names = set()
    for entry in package_dir.iterdir():
        if entry.suffix == ".py" and entry.name != "__init__.py":
            names.add(f"{prefix}.{entry.stem}")
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            names.add(f"{prefix}.{entry.name}")
            names |= expected_modules(entry, f"{prefix}.{entry.name}")
    return names


def reported(stdout: str, status: str) -> set[str]:
    return {line.split(" ", 1)[1] for line in stdout.splitlines() if line.startswith(status + " ")}


def test_every_core_module_imports_under_micropython(micropython):
    out = micropython(CHECK, paths=("lib",))
    imported = reported(out, "ok")
    # The script must have found (and imported) exactly what is on disk, not fewer.
    assert imported == {"thruway"} | expected_modules(REPO_ROOT / "lib" / "thruway")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("import typing\n", "no module named 'typing'"),
        ("from dataclasses import dataclass\n", "no module named 'dataclasses'"),
    ],
)
def test_a_module_micropython_cannot_import_fails_the_check(micropython, tmp_path, source, error):
    pkg = tmp_path / "lib" / "thruway"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "fine.py").write_text("VALUE = 1\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "broken.py").write_text(source)

    result = micropython.result(CHECK, paths=(tmp_path / "lib",))

    assert result.exit_code == 1
    assert reported(result.stdout, "ok") == {"thruway", "thruway.fine", "thruway.sub"}
    assert reported(result.stdout, "FAILED") == {"thruway.sub.broken"}
    assert error in result.stderr
    assert str(pkg / "sub" / "broken.py") in result.stderr  # the traceback names the file
