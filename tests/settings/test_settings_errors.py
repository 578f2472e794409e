"""The settings error corpus (tests/settings/errors/): each file's mistakes are reported by `thruway check` exactly as errors/expected.txt says."""

import os

import pytest

from thruway_host.cli import main

ERRORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "errors")
FILES = sorted(n for n in os.listdir(ERRORS) if n.endswith(".toml"))


def expected():
    """{file name: its lines} from expected.txt (`== NAME`, then `LINE: message` lines)."""
    found = {}
    name = None
    with open(os.path.join(ERRORS, "expected.txt"), encoding="utf-8") as f:
        for row in f.read().split("\n"):
            if row.startswith("== "):
                name = row[3:]
                found[name] = []
            elif row and not row.startswith("#"):
                found[name].append(row)
    return found


def test_every_file_has_its_expectation():
    """Each file in the corpus has its block in expected.txt and each block its file; the corpus
    holds the files whose bytes matter (line ends of every kind, a BOM, Latin-1)."""
    assert sorted(expected()) == FILES
    kept = {}
    for name in FILES:
        with open(os.path.join(ERRORS, name), "rb") as f:
            kept[name] = f.read()
    assert b"\r" in kept["old-mac-line-ends.toml"] and b"\n" not in kept["old-mac-line-ends.toml"]
    assert kept["windows-line-ends.toml"].count(b"\r\n") == kept["windows-line-ends.toml"].count(b"\n") > 10
    assert kept["byte-order-mark.toml"].startswith(b"\xef\xbb\xbf")
    assert b"Gr\xfc\xdfe" in kept["latin-1.toml"]


@pytest.mark.parametrize("name", FILES)
def test_check_says_what_the_corpus_expects(name, capsys, monkeypatch):
    """`thruway check FILE` exits 1 and prints FILE:LINE: message for each expected line, in that
    order, then the count; the board gives the same lines (test_settings_micropython.py)."""
    monkeypatch.chdir(ERRORS)
    assert main(["check", name]) == 1
    said = capsys.readouterr().err.splitlines()
    lines = expected()[name]
    assert said[:-1] == ["%s:%s" % (name, line) for line in lines]
    assert said[-1].startswith("%s: %d error" % (name, len(lines)))
