"""`thruway check` warns (and exits 0) about settings the box runs but the guide calls mistakes, and says what the box does without a file."""

import os

from thruway_board.settingsfile import SETTINGS_MOST_BYTES
from thruway_host.captures import parse_timed_text
from thruway_host.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LOOPED = """[inputs]
in1 = "KeyStep"
in2 = "Analog Four"
[outputs]
out1 = "KeyStep"
out2 = "Analog Four"
[clock]
source = "Analog Four"
to = ["Analog Four", "KeyStep"]
[[route]]
from = "KeyStep"
to = ["KeyStep", "Analog Four"]
"""


def check(tmp_path, capsys, text):
    path = tmp_path / "thruway.toml"
    path.write_text(text)
    status = main(["check", str(path)])
    out = capsys.readouterr()
    return status, [line.split(":", 1)[1] for line in out.out.splitlines() if "warning:" in line], out.err


def test_routes_and_clock_back_to_their_instrument_are_warned(tmp_path, capsys):
    """A route whose output has its input's name (one instrument's in and out), and clock sent
    back to the instrument it comes from: a warning each, at their line, and exit 0."""
    status, warnings, _ = check(tmp_path, capsys, LOOPED)
    assert status == 0
    assert warnings == [
        "10: warning: this route sends KeyStep's messages back to KeyStep (in1 and out1): the instrument hears itself,"
        " and one that echoes its input loops; route it to another output",
        '9: warning: the clock goes back to Analog Four, which it comes from (out2): take "Analog Four" out of [clock] to',
    ]


def test_clock_to_with_no_source_is_warned(tmp_path, capsys):
    """`to` with source = "none" sends nothing: a warning at its line."""
    status, warnings, _ = check(tmp_path, capsys, '[clock]\nsource = "none"\nto = ["out1"]\n')
    assert status == 0
    assert warnings == ['3: warning: to does nothing with source = "none": no clock passes; remove it or name a source']


def test_a_file_larger_than_the_board_holds_is_warned(tmp_path, capsys):
    """A file above SETTINGS_MOST_BYTES (comments alone) runs on the host but is warned about."""
    text = "# " + "x" * 70 + "\n"
    status, warnings, _ = check(tmp_path, capsys, text * (SETTINGS_MOST_BYTES // len(text) + 1))
    assert status == 0
    assert len(warnings) == 1 and "the board is known to hold" in warnings[0]


def test_the_studio_file_has_no_warning(capsys):
    """The shipped settings run as they are meant to: nothing to warn about."""
    assert main(["check", os.path.join(ROOT, "thruway.toml")]) == 0
    assert "warning" not in capsys.readouterr().out


def test_a_missing_file_says_the_box_is_a_plain_merger(tmp_path, capsys):
    """No file: a line saying what the box does without one (the default merger), exit 1."""
    assert main(["check", str(tmp_path / "thruway.toml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0] and "plain merger" in err[0] and "last good" not in err[0]


def test_a_capture_line_without_its_time_is_warned():
    """`90 3C 64` with no time reads as 90 ms then two data bytes: a warning says so; a line with
    its time, and running status after a time, do not warn."""
    warnings = []
    events = parse_timed_text("0 90 3C 64\n90 3C 64\n100 80 3C 40\n120 3C 40\n", "keys.txt", warnings)
    assert len(events) == 4
    assert warnings == ["keys.txt:2: warning: 90 3C 64 has no time: it reads as 90 ms, then 3C 64; write the time first, such as 0 90 3C 64"]


def test_every_counter_has_words_and_the_guide_explains_them():
    """Each counter the core keeps is printed in words (thruway_host.counters), and the guide's
    "What the counters mean" explains each of those phrases."""
    from thruway.core import Core
    from thruway_host.counters import INPUT_WORDS, OUTPUT_WORDS

    stats = Core().stats()
    assert set(stats["inputs"]["in1"]) - {"messages"} == set(INPUT_WORDS)
    assert set(k for k in stats["outputs"]["out1"] if k.startswith("dropped_")) == set(OUTPUT_WORDS)
    with open(os.path.join(ROOT, "docs", "guide.md"), encoding="utf-8") as f:
        guide = f.read().split("### What the counters mean", 1)[1].split("\n### ", 1)[0]
    for words in list(INPUT_WORDS.values()) + list(OUTPUT_WORDS.values()):
        assert "- *%s*: " % words in guide, words
