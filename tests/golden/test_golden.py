"""Golden replay files, one MIDI rule each, fed whole, byte by byte and in seeded random chunks."""

import os
import sys

import pytest

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)

import golden  # noqa: E402
from midicheck import decode  # noqa: E402

FILES = sorted(f for f in os.listdir(os.path.join(HERE, "files")) if f.endswith(".golden"))


def load(name):
    with open(os.path.join(HERE, "files", name)) as f:
        return golden.parse(f.read(), name)


def test_there_are_at_least_thirty_rules():
    """The golden files cover at least thirty MIDI rules, each stated on its first line."""
    rules = set(load(name).rule for name in FILES)
    assert len(rules) >= 30, sorted(rules)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_golden(name, seed):
    """The file's rule holds: its outputs are as written, however its input bytes are chunked."""
    failures = golden.check(load(name), seed)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", FILES)
def test_golden_outputs_are_valid_midi(name):
    """Every output of every golden file decodes with mido into whole, valid messages."""
    g = load(name)
    sent, core = golden.run(g, "chunks", 7)
    for out_id, data in sent.items():
        index = golden.OUTPUT_IDS.index(out_id)
        decode(bytes(data), running_status=core.outputs[index].running_status)


def test_golden_parser_names_bad_lines():
    """A golden file with a mistake is refused with its line, never half run."""
    with pytest.raises(ValueError, match="x.golden:3"):
        golden.parse("# Rule: r\n@in1\n90 3G 64\n", "x.golden")
    with pytest.raises(ValueError, match="Rule"):
        golden.parse("@in1\n90 3C 64\n", "x.golden")
