"""Committed netlists, BOMs, drawings and README tables are exactly what the code generates; the budget holds."""

import csv
import io
import os
import re
import subprocess
import sys

import pytest

from hardware import budget, build, circuit, exports

HARDWARE = os.path.dirname(os.path.abspath(build.__file__))
ROOT = os.path.dirname(HARDWARE)


@pytest.fixture(scope="module")
def expected():
    """Every generated file, freshly built once for this module."""
    return build.expected()


def test_the_generated_file_list_is_complete(expected):
    """build.paths() names exactly the files a build writes, so the comparison below misses none."""
    assert sorted(expected) == build.paths()


@pytest.mark.parametrize("path", build.paths())
def test_committed_file_matches_a_fresh_build(path, expected):
    """Each generated file is committed byte for byte as the code makes it (run python -m hardware.build)."""
    with open(os.path.join(HARDWARE, path), "rb") as f:
        committed = f.read()
    assert committed == expected[path], "hardware/%s is stale: run python -m hardware.build" % path


def test_drawings_are_byte_stable(expected):
    """Drawing the same thing twice gives the same bytes (schemdraw's own SVG backend, no fonts, no dates)."""
    assert build.files()["svg/midi-in.svg"] == expected["svg/midi-in.svg"]


def test_bom_csv_columns_and_counts():
    """The BOM has the columns reference, value, part, quantity, notes, and counts every part once."""
    design = build.design("pico", "direct")
    rows = list(csv.DictReader(io.StringIO(exports.bom_csv(design))))
    assert list(rows[0]) == ["reference", "value", "part", "quantity", "notes"]
    refs = [ref for row in rows for ref in row["reference"].split()]
    assert sorted(refs) == sorted(design.parts)
    assert all(int(row["quantity"]) == len(row["reference"].split()) for row in rows)


def test_one_bom_for_both_boards():
    """The builder orders the same parts whichever board they pick."""
    for outputs in circuit.OUTPUT_VARIANTS:
        assert exports.bom_csv(build.design("pico", outputs)) == exports.bom_csv(build.design("feather_rp2040", outputs))


def test_readme_shows_every_drawing_and_it_exists():
    """The build guide embeds every committed drawing, and every image it links exists."""
    with open(os.path.join(HARDWARE, "README.md"), encoding="utf-8") as f:
        linked = set(re.findall(r"\]\((svg/[^)]+\.svg)\)", f.read()))
    drawn = {path for path in build.paths() if path.startswith("svg/")}
    assert linked == drawn


@pytest.mark.parametrize("outputs", circuit.OUTPUT_VARIANTS)
def test_current_budget_holds(outputs):
    """Worst case stays under 50 mA for all GPIOs together and under each board's 3V3 limit."""
    assert budget.problems(outputs) == []


def test_current_budget_catches_greedy_leds(monkeypatch):
    """Drop the LED resistors to 220 ohm and the GPIO total goes over the RP2040's 50 mA."""
    monkeypatch.setattr(circuit, "R_LED", 220)
    assert budget.problems("direct") == ["GPIO current 79.8 mA is over the RP2040's 50 mA for all GPIOs together"]


def test_skidl_leaves_no_files_and_says_nothing(tmp_path):
    """Building and checking the circuit writes no .log/.erc/_lib_sklib.py files and prints no KiCad warnings."""
    script = "from hardware import circuit; d = circuit.build(); print(len(circuit.erc(d)[0]))"
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("KICAD_SYMBOL_DIR", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0\n"
    assert done.stderr == ""
    assert sorted(os.listdir(tmp_path)) == []
