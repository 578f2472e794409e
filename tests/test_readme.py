"""The README's promises: its two commands exist, and every merging rule names a real test."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme():
    with open(os.path.join(ROOT, "README.md")) as f:
        return f.read()


def test_readme_opens_with_the_two_commands():
    """The README starts with the set-up-and-demo command and the set-up-and-test command."""
    first_block = readme().split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
    with open(os.path.join(ROOT, "Makefile")) as f:
        make = f.read()
    assert re.search(r"^demo: \$\(VENV\)/\.runtime$", make, re.M) and re.search(r"^test: setup", make, re.M)
    # make demo installs the runtime only (no extras: no dev tools, no npm); make test all of it.
    runtime = make.split("$(VENV)/.runtime: pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "pip install -q -e .\n" in runtime + "\n" and "[dev]" not in runtime and "npm" not in runtime
    with open(os.path.join(ROOT, ".ci", "run")) as f:
        assert "make test" in f.read()


def test_every_merging_rule_is_backed_by_a_test():
    """Each numbered merging rule names golden files or property tests, and they all exist."""
    text = readme()
    section = text.split("## Merging rules", 1)[1].split("\n## ", 1)[0]
    rules = [line for line in section.splitlines() if re.match(r"\d+\. ", line)]
    assert len(rules) >= 25
    golden = set(os.listdir(os.path.join(ROOT, "tests", "golden", "files")))
    with open(os.path.join(ROOT, "tests", "core", "test_properties.py")) as f:
        properties = f.read()
    for rule in rules:
        names = re.findall(r"`([a-z0-9_-]+)`", rule.split("(")[-1])
        assert names, "rule without a test: " + rule
        for name in names:
            if name.startswith("test_"):
                assert "def %s(" % name in properties, name
            else:
                assert name + ".golden" in golden, name
