"""Random documents of the subset, written in varied styles: the reader agrees with tomllib and
with the document, and `lines` points at each key."""

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from thruway.tomlreader import parse
from tomlgen import Writer, documents, reference_lines, same

PROFILE = settings.get_profile("thruway-toml")


@settings(PROFILE, max_examples=PROFILE.max_examples * 4)
@given(documents, st.randoms(use_true_random=True))
def test_generated_document_reads_as_written_and_as_tomllib_reads_it(doc, rnd):
    """A document written out with tables, [[entries]], dotted names, { } tables, lists over
    lines, escapes, unicode, underscores, hex/octal/binary, comments, blank lines and odd
    spacing reads back to the same values as tomllib gives, and as the document holds."""
    text = Writer(rnd).write(doc)
    mine, _ = parse(text)
    assert same(mine, tomllib.loads(text))
    assert same(mine, doc)


@settings(PROFILE, max_examples=PROFILE.max_examples * 4)
@given(documents, st.randoms(use_true_random=True))
def test_generated_document_lines_point_at_keys(doc, rnd):
    """`lines` has a line for every key and list item, and it is the line the writer put it on:
    a key's own line, a header's line for its table ([a.b] also for a until [a] comes), the
    first [[a]] for the list a, the line where a list item starts. That line shows the key."""
    writer = Writer(rnd)
    text = writer.write(doc)
    _, lines = parse(text)
    assert set(lines) == set(reference_lines(doc))
    assert lines == writer.expected
    rows = text.replace("\r\n", "\n").split("\n")
    for path, number in lines.items():
        if isinstance(path[-1], str):
            row = rows[number - 1]
            assert any(written in row for written in writer.written[path]), (path, row)
