"""Committed netlists, BOMs, drawings and README tables are exactly what the code generates; the budget holds."""

import csv
import io
import os
import re
import subprocess
import sys

import pytest

from hardware import budget, build, circuit, datasheets, exports

HARDWARE = os.path.dirname(os.path.abspath(build.__file__))
ROOT = os.path.dirname(HARDWARE)


@pytest.fixture(scope="module")
def expected():
    """Every generated file, freshly built once for this module."""
    return build.expected()


def test_the_generated_file_list_is_complete(expected):
    """build.paths() names exactly the files a build writes, so the comparison below misses none."""
    assert sorted(expected) == build.paths()


def first_difference(committed, fresh):
    """'line N: committed ... / fresh ...' for the first line that differs."""
    old, new = committed.decode(errors="replace").split("\n"), fresh.decode(errors="replace").split("\n")
    for number, (a, b) in enumerate(zip(old, new), 1):
        if a != b:
            return "line %d: committed %r, fresh %r" % (number, a[:160], b[:160])
    return "%d lines committed, %d fresh" % (len(old), len(new))


@pytest.mark.parametrize("path", build.paths())
def test_committed_file_matches_a_fresh_build(path, expected):
    """Each generated file is committed byte for byte as the code makes it (run python -m hardware.build)."""
    with open(os.path.join(HARDWARE, path), "rb") as f:
        committed = f.read()
    assert committed == expected[path], "hardware/%s is stale (%s): run python -m hardware.build" % (
        path, first_difference(committed, expected[path]))


def readme_text():
    with open(os.path.join(HARDWARE, "README.md"), encoding="utf-8") as f:
        return f.read()


def test_every_value_in_the_guide_comes_from_the_circuit():
    """Each resistor and capacitor value the guide's prose names is marked with the circuit constant it shows, and agrees."""
    assert build.value_problems(readme_text()) == []


def test_a_value_changed_in_the_code_but_not_in_the_prose_is_named(monkeypatch):
    """Mutation: the optocoupler pull-up changed to 1 kohm in circuit.py, the guide still saying 470 ohm."""
    monkeypatch.setattr(circuit, "R_PULLUP", 1000)
    text = readme_text()
    found = build.value_problems(text)
    lines = [n for n, line in enumerate(text.split("\n"), 1) if "470 ohm<!--R_PULLUP-->" in line]
    assert lines and found == [
        "hardware/README.md line %d: says 470 ohm for R_PULLUP, but the circuit has 1 kohm (run python -m hardware.build)" % n
        for n in lines
    ]
    # ...and a rebuild writes the new value into the prose.
    assert "1 kohm<!--R_PULLUP-->" in build.fill_readme(text)


def test_a_value_typed_into_the_prose_by_hand_is_named():
    """Mutation: a resistor value written into the guide without a marker."""
    text = readme_text() + "\nUse a 22 ohm resistor here.\n"
    assert build.value_problems(text) == [
        "hardware/README.md line %d: '22 ohm' is written by hand: mark it <!--NAME--> with the circuit constant it shows "
        "(or <!--ext--> if it is not the circuit's)" % (text.count("\n") - 1 + 1)
    ]


def test_din_drawing_matches_the_socket_tables():
    """The DIN drawing's pin positions: front 1, 4, 2, 5, 3 left to right (pin 2 up), solder side mirrored."""
    from hardware import drawings

    front = [pin for pin, _ in sorted(drawings.DIN_FRONT_ANGLES.items(), key=lambda item: -item[1])]
    assert front == datasheets.DIN_FRONT.split()
    assert front[::-1] == datasheets.DIN_SOLDER_SIDE.split()


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
    """Drop the LED resistors to 220 ohm and the direct build's GPIO total goes over the RP2040's 50 mA."""
    monkeypatch.setattr(circuit, "R_LED", 220)
    assert budget.problems("direct") == ["GPIO current 79.8 mA is over the RP2040's 50 mA for all GPIOs together"]


def test_buffered_outputs_survive_the_three_faults():
    """Pin 5 to ground, OUT into another OUT, pins 4-5 shorted: the open-drain output carries at most 11.4 mA of its 24."""
    assert budget.fault_problems("buffered") == []
    assert [round(ma, 1) for _, _, ma, _ in budget.faults("buffered")] == [0.0, 11.4, 11.4]


def test_direct_outputs_do_not_and_say_so():
    """The direct build puts every fault on the TX pad, over its 4 mA rating; the check names each one."""
    assert budget.fault_problems("direct") == [
        "direct outputs, pin 5 shorted to ground: 330.0 mA through the TX pad (4 mA drive), over its 4 mA",
        "direct outputs, plugged into another device's MIDI OUT: 21.7 mA through the TX pad (4 mA drive), over its 4 mA",
        "direct outputs, pins 4 and 5 shorted: 76.7 mA through the TX pad (4 mA drive), over its 4 mA",
    ]


def test_fault_check_bites_on_small_output_resistors(monkeypatch):
    """Mutation: the buffered outputs' 220 ohm cut to 68 ohm: a 4-5 short asks 36.8 mA, over the buffer's 24 mA."""
    monkeypatch.setattr(circuit, "R_OUT_5V", 68)
    found = budget.fault_problems("buffered")
    assert "buffered outputs, pins 4 and 5 shorted: 36.8 mA through the 74LVC07A output, over its 24 mA" in found
    assert "buffered outputs, every output faulted at once: 147.1 mA through the 74LVC07A's GND pin, over its 100 mA" in found


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
