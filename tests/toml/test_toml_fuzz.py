"""Random and damaged texts: the reader either reads what tomllib reads or raises TomlError."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tomlgen import Writer, assert_agrees, documents

PROFILE = settings.get_profile("thruway-toml")
CORPUS = sorted((Path(__file__).parent / "corpus").glob("*/*.toml"))

# The characters TOML gives a meaning to, some that look like them, and some that must not appear.
SYMBOLS = "[]{}=.,#\"'\\ \t\n\r_-+:0123456789abefinotuxEIN\u00e9\u201c\x00\x7f\x1f\ufeff"


@settings(PROFILE, max_examples=PROFILE.max_examples * 50)
@given(st.text(SYMBOLS, max_size=40))
def test_random_text_is_read_like_tomllib_or_refused(text):
    """Any text: the reader raises TomlError (never another exception), or it reads exactly what
    tomllib reads; whatever tomllib refuses, the reader refuses too."""
    assert_agrees(text)


def _damage(data, text):
    """The text with a few characters deleted, changed or inserted, or a line repeated or cut."""
    for _ in range(data.draw(st.integers(1, 3))):
        if not text:
            return data.draw(st.text(SYMBOLS, max_size=5))
        at = data.draw(st.integers(0, len(text) - 1))
        how = data.draw(st.sampled_from(["delete", "change", "insert", "repeat line", "cut"]))
        if how == "delete":
            text = text[:at] + text[at + 1 :]
        elif how == "change":
            text = text[:at] + data.draw(st.sampled_from(SYMBOLS)) + text[at + 1 :]
        elif how == "insert":
            text = text[:at] + data.draw(st.sampled_from(SYMBOLS)) + text[at:]
        elif how == "repeat line":
            rows = text.split("\n")
            row = data.draw(st.integers(0, len(rows) - 1))
            rows.insert(data.draw(st.integers(0, len(rows))), rows[row])
            text = "\n".join(rows)
        else:
            text = text[:at]
    return text


@settings(PROFILE, max_examples=PROFILE.max_examples * 10)
@given(st.sampled_from(CORPUS), st.data())
def test_damaged_corpus_file_is_read_like_tomllib_or_refused(path, data):
    """A corpus file with a few characters or lines changed: read as tomllib reads it, or refused."""
    text = path.read_text(encoding="utf-8")
    assert_agrees(_damage(data, text))


@settings(PROFILE, max_examples=PROFILE.max_examples * 3)
@given(documents, st.randoms(use_true_random=True), st.data())
def test_damaged_generated_document_is_read_like_tomllib_or_refused(doc, rnd, data):
    """A generated document with a few characters or lines changed: read as tomllib reads it,
    or refused."""
    assert_agrees(_damage(data, Writer(rnd).write(doc)))
