"""The hand-written corpus: valid files read as tomllib reads them, invalid ones fail on the right line."""

import tomllib
from pathlib import Path

import pytest

from thruway.tomlreader import TomlError, parse
from tomlgen import reference_lines, same

CORPUS = Path(__file__).parent / "corpus"
VALID = sorted((CORPUS / "valid").glob("*.toml"))
INVALID = sorted((CORPUS / "invalid").glob("*.toml"))
UNSUPPORTED = sorted((CORPUS / "unsupported").glob("*.toml"))


def read(path):
    # newline="" keeps the file's own line ends, as the board reads them
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def expectation(text):
    """The first line of an invalid file: `# error: line N: fragment of the message`."""
    first = text.split("\n", 1)[0]
    assert first.startswith("# error: line "), "an invalid file starts with '# error: line N: ...'"
    number, fragment = first[len("# error: line ") :].split(": ", 1)
    return int(number), fragment


def test_corpus_is_there():
    """The corpus has files of each kind (a glob that finds nothing would pass every test)."""
    assert len(VALID) >= 6 and len(INVALID) >= 60 and len(UNSUPPORTED) >= 10


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_reads_as_tomllib_reads_it(path):
    """Every valid corpus file gives exactly tomllib's values, types included."""
    text = read(path)
    doc, _ = parse(text)
    assert same(doc, tomllib.loads(text))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_a_line_for_every_key(path):
    """`lines` names every key and list item of the document, each on a line that shows its key."""
    text = read(path)
    doc, lines = parse(text)
    rows = text.split("\n")
    assert set(lines) == set(reference_lines(doc))
    for key_path, number in lines.items():
        if isinstance(key_path[-1], str):
            row = rows[number - 1]
            assert key_path[-1] in row, (key_path, row)


def test_studio_lines_point_at_the_settings():
    """The lines a settings checker reports for a realistic file: header, key, [[route]] entry,
    list item on its own line."""
    _, lines = parse(read(CORPUS / "valid" / "studio.toml"))
    assert lines[("clock",)] == 16
    assert lines[("clock", "source")] == 17
    assert lines[("route",)] == lines[("route", 0)] == 21
    assert lines[("route", 1, "types")] == 31
    assert lines[("route", 2, "to")] == 35
    assert lines[("route", 2, "to", 1)] == 37
    assert lines[("options", "active_sensing")] == 49


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_fails_on_its_line(path):
    """Each invalid file is refused on the line its first comment names, with that message;
    tomllib refuses it too (so the file is invalid TOML, not just outside the subset)."""
    text = read(path)
    line, fragment = expectation(text)
    with pytest.raises(TomlError) as caught:
        parse(text)
    err = caught.value
    assert err.line == line and fragment in err.message, str(err)
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)


@pytest.mark.parametrize("path", UNSUPPORTED, ids=lambda p: p.name)
def test_unsupported_file_is_refused_not_misread(path):
    """Valid TOML outside the subset (floats, dates, multi-line text, numbers past 64 bits, dotted
    names reaching into a table a header made) is refused with a message saying what to write."""
    text = read(path)
    line, fragment = expectation(text)
    assert tomllib.loads(text) is not None
    with pytest.raises(TomlError) as caught:
        parse(text)
    err = caught.value
    assert err.line == line and fragment in err.message, str(err)


# Mistakes that are invisible in an editor, so they are written here with escapes rather than
# as corpus files: (text, line, message fragment, whether tomllib reads it).
INVISIBLE = [
    ("\ufeff[clock]\nsource = 'in1'\n", 1, "byte order mark (BOM)", False),
    ("name = \"Key\rStep\"\n", 1, "closing quote", False),
    ("name = \"Key\x01Step\"\n", 1, 'control character ("\\u0001")', False),
    ("name = 'Key\x7fStep'\n", 1, 'control character ("\\u007F")', False),
    ("# a comment with a NUL \x00 in it\n", 1, 'control character ("\\u0000")', False),
    ("[clock]\nsource = 'in1' # \x1b[1m\n", 2, "control character", False),
    ("name = \"two\nlines\"\n", 1, "closing quote", False),
    ("a = 1\n\x0cb = 2\n", 2, "control character", False),
    ("a =\u00a0 1\n", 1, "expected a value", False),
]


@pytest.mark.parametrize("text, line, fragment, tomllib_reads", INVISIBLE)
def test_invisible_mistakes_are_named(text, line, fragment, tomllib_reads):
    """Control characters and a byte order mark are refused with their line and a message that
    names them (TOML 1.0 allows only tab among the control characters); a CR ends a line, so one
    inside quotes leaves the text without its closing quote."""
    with pytest.raises(TomlError) as caught:
        parse(text)
    assert caught.value.line == line
    assert fragment in caught.value.message
    try:
        tomllib.loads(text)
        assert tomllib_reads
    except tomllib.TOMLDecodeError:
        assert not tomllib_reads


def test_crlf_file_reads_like_lf():
    """Windows line ends (CRLF) read the same as LF, with the same lines."""
    text = read(CORPUS / "valid" / "studio.toml")
    assert parse(text.replace("\n", "\r\n")) == parse(text)
    assert same(parse(text.replace("\n", "\r\n"))[0], tomllib.loads(text.replace("\n", "\r\n")))


def test_old_mac_line_ends_read_like_lf():
    """A file saved on an old Mac ends its lines with CR alone: CR, LF and CR LF each end one line,
    in any mix, so the values and the line numbers are those of the same file with LF."""
    text = read(CORPUS / "valid" / "studio.toml")
    assert parse(text.replace("\n", "\r")) == parse(text)
    rows = text.split("\n")
    # (a CR is never followed by an LF that is the next line end: CR LF would be one line end)
    mixed = "".join(row + ("\n", "\r", "\r\n")[i % 3] for i, row in enumerate(rows[:-1])) + rows[-1]
    assert parse(mixed) == parse(text)
    assert parse("a = 1\r\rb = 2\r\n\nc = 3")[1] == {("a",): 1, ("b",): 3, ("c",): 5}
    with pytest.raises(TomlError) as caught:
        parse("a = 1\rb = 2\rb = 3\r")
    assert caught.value.line == 3


def test_tab_is_allowed_in_text_and_comments():
    """Tab is the one control character TOML allows as it is, in strings and comments."""
    doc, _ = parse("name = 'a\tb'\nother = \"c\td\"\t#\ttab\n")
    assert doc == {"name": "a\tb", "other": "c\td"}
