"""docs/guide.md stays true: every settings example passes `thruway check`, every printout is what it prints, the drawing is current."""

import importlib.util
import os
import re

import pytest

from thruway.midi import N_OUTPUTS
from thruway.settings import SettingsError
from thruway_host.cli import main, read_settings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUIDE = os.path.join(ROOT, "docs", "guide.md")
STUDIO = os.path.join(ROOT, "thruway.toml")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


HEADING = re.compile(r"^#{2,3} ", re.M)


def blocks():
    """The guide's fenced blocks, in order, as (language, text, line number, section number)."""
    with open(GUIDE, encoding="utf-8") as f:
        text = f.read()
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1, len(HEADING.findall(text, 0, m.start())))
        for m in FENCE.finditer(text)
    ]


def studio_text():
    with open(STUDIO, encoding="utf-8") as f:
        return f.read()


def apply_diff(diff):
    """The shipped file with a one-line diff applied (its first match)."""
    old = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    new = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    assert len(old) == len(new) == 1, diff
    text = studio_text()
    assert old[0] + "\n" in text, "the diff's - line is not in thruway.toml: %r" % old[0]
    return text.replace(old[0] + "\n", new[0] + "\n", 1)


def check(tmp_path, monkeypatch, capsys, text):
    """`thruway check thruway.toml` on `text`: (exit status, what it printed, stdout then stderr)."""
    (tmp_path / "thruway.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main(["check", "thruway.toml"])
    out = capsys.readouterr()
    return status, out.out + out.err


def examples():
    """(where, file text, the printout the guide shows for it or None) for every settings
    example: each toml block, each diff (applied to the shipped file), and the shipped file
    itself for a printout with no example before it in its section."""
    found = []
    current = None
    section = -1
    for lang, text, line, in_section in blocks():
        if in_section != section:
            current, section = None, in_section
        if lang == "toml":
            current = ("guide.md:%d" % line, text)
            found.append([current[0], text, None])
        elif lang == "diff":
            current = ("guide.md:%d (diff)" % line, apply_diff(text))
            found.append([current[0], current[1], None])
        elif lang == "console" and text.startswith("$ thruway check thruway.toml\n"):
            printout = text.split("\n", 1)[1]
            if current is None:
                found.append(["guide.md:%d (the shipped file)" % line, studio_text(), printout])
            else:
                assert found[-1][2] is None, "two printouts for one example at guide.md:%d" % line
                found[-1][2] = printout
    return found


def test_the_guide_has_its_recipes():
    text = open(GUIDE, encoding="utf-8").read()
    for title in (
        "### This studio",
        "### The Rytm as clock master",
        "### Recording from a DAW into the A4's sequencer",
        "### One keyboard across two synths",
        "### A plain 2-in merger",
        "## What the lights say",
        "### A synth stays silent",
        "### Notes hang",
        "### The clock runs double",
        "### A feedback loop",
    ):
        assert title in text, title
    for recipe in ("### The Rytm at half time", "### The box as master when the A4 is off", "### A scene per song"):
        assert recipe in text, recipe
    assert 'notes = "C4-G9"' in text and "transpose = -24" in text
    assert len([e for e in examples() if e[2] is not None]) >= 6


@pytest.mark.parametrize("where, text, printout", examples(), ids=[e[0] for e in examples()])
def test_every_example_is_what_thruway_check_says(tmp_path, monkeypatch, capsys, where, text, printout):
    """Each settings example passes `thruway check` (a diff shown as a mistake fails it), and
    each printout in the guide is exactly what the command prints for it."""
    status, said = check(tmp_path, monkeypatch, capsys, text)
    if printout is not None:
        assert said == printout, where
        assert status == (0 if ": ok\n" in printout else 1)
    else:
        assert status == 0, "%s does not pass thruway check:\n%s" % (where, said)


@pytest.mark.parametrize("where, text, printout", examples(), ids=[e[0] for e in examples()])
def test_no_example_sends_an_instrument_its_own_output(tmp_path, where, text, printout):
    """No recipe routes an input, or its clock, to the output of the same name (a loop)."""
    path = tmp_path / "thruway.toml"
    path.write_text(text, encoding="utf-8")
    try:
        settings = read_settings(str(path))
    except SettingsError:
        assert printout is not None and ": ok\n" not in printout, where
        return
    ins, outs = settings.input_names, settings.output_names
    for route in settings.routes:
        for o in range(N_OUTPUTS):
            if (route.outputs >> o) & 1:
                assert ins[route.source].lower() != outs[o].lower(), (where, ins[route.source])
    if settings.clock_source >= 0 and settings.clock_outputs >= 0:
        for o in range(N_OUTPUTS):
            if (settings.clock_outputs >> o) & 1:
                assert ins[settings.clock_source].lower() != outs[o].lower(), where


def wiring_module():
    spec = importlib.util.spec_from_file_location("studio_wiring", os.path.join(ROOT, "docs", "img", "studio_wiring.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_wiring_drawing_is_current():
    """docs/img/studio-wiring.svg is what its generator makes from the shipped thruway.toml
    (regenerate: python docs/img/studio_wiring.py), and names every instrument."""
    module = wiring_module()
    svg = module.drawing()
    with open(module.SVG, encoding="utf-8") as f:
        assert f.read() == svg, "stale: run python docs/img/studio_wiring.py"
    settings = read_settings(STUDIO)
    for name in set(settings.input_names + settings.output_names):
        assert name in svg, name
    with open(GUIDE, encoding="utf-8") as f:
        assert "](img/studio-wiring.svg)" in f.read()


def test_the_drawing_follows_the_settings(tmp_path):
    """Renaming a port in the settings renames it in the drawing."""
    renamed = studio_text().replace('"Typhon"', '"Minitaur"')
    path = tmp_path / "thruway.toml"
    path.write_text(renamed, encoding="utf-8")
    svg = wiring_module().drawing(str(path))
    assert "Minitaur" in svg and "Typhon" not in svg
