"""One TOML 1.0 rule per test (https://toml.io/en/v1.0.0), as the reader applies it to the subset."""

import tomllib

import pytest

from thruway.tomlreader import TomlError, parse
from tomlgen import same


def read(text):
    """The reader's document, checked against tomllib's."""
    doc, _ = parse(text)
    assert same(doc, tomllib.loads(text))
    return doc


def refused(text):
    """The reader's error for a text tomllib refuses too."""
    with pytest.raises(TomlError) as caught:
        parse(text)
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    return caught.value


# ---- the interface -----------------------------------------------------------------------------


def test_parse_gives_document_and_lines():
    """parse(text) gives (doc, lines): plain dicts, lists, str, int, bool; lines maps key paths
    (tuples, list entries by index) to 1-based lines."""
    doc, lines = parse('# settings\n[clock]\nsource = "in1"\n\n[[route]]\nto = ["out1",\n  "out2"]\n')
    assert doc == {"clock": {"source": "in1"}, "route": [{"to": ["out1", "out2"]}]}
    assert lines == {
        ("clock",): 2,
        ("clock", "source"): 3,
        ("route",): 5,
        ("route", 0): 5,
        ("route", 0, "to"): 6,
        ("route", 0, "to", 0): 6,
        ("route", 0, "to", 1): 7,
    }


def test_error_has_line_and_message():
    """TomlError is an Exception with `line` (1-based int) and `message`; str() is 'line N: message'."""
    with pytest.raises(TomlError) as caught:
        parse('[inputs]\nin1 = "KeyStep\n')
    err = caught.value
    assert isinstance(err, Exception)
    assert err.line == 2
    assert err.message == 'a text needs its closing quote: write in1 = "KeyStep"'
    assert str(err) == 'line 2: a text needs its closing quote: write in1 = "KeyStep"'


def test_types_are_exact():
    """true is a bool and 1 an int, never each other; text stays text even when it looks like a number."""
    doc = read('a = true\nb = 1\nc = "1"\nd = "true"\n')
    assert doc["a"] is True and type(doc["b"]) is int and doc["c"] == "1" and doc["d"] == "true"


# ---- comments, blank lines, spaces -------------------------------------------------------------


def test_comments_go_anywhere_outside_text():
    """# starts a comment on its own line, after a header, after a value and inside a list; a #
    inside quotes is text."""
    doc = read(
        "# top\n\n[clock] # after a header\nsource = 'in1' # after a value\n"
        "to = [ # after [\n 'out1', # after a comma\n # on its own line\n 'out#2' # before ]\n]\nname = \"#1\"\n"
    )
    assert doc == {"clock": {"source": "in1", "to": ["out1", "out#2"], "name": "#1"}}


def test_spaces_and_tabs_around_everything():
    """Spaces and tabs may stand around =, dots, brackets and commas, and before a line."""
    doc = read("\t[ a . b ]\n  c\t=\t[ 1 ,2\t, 3 ]\n[[ d ]]\n  e . f = { g = 1 , h = 2 }\n")
    assert doc == {"a": {"b": {"c": [1, 2, 3]}}, "d": [{"e": {"f": {"g": 1, "h": 2}}}]}


def test_only_space_and_tab_are_whitespace():
    """Other space characters (a no-break space from a word processor) are not TOML whitespace."""
    refused("a =\u00a01\n")
    refused("\u2003a = 1\n")


# ---- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, doc",
    [
        ("in1 = 1", {"in1": 1}),
        ("A-Z_a-z_0-9 = 1", {"A-Z_a-z_0-9": 1}),
        ("1234 = 1", {"1234": 1}),
        ("true = 1", {"true": 1}),
        ('"Key Step" = 1', {"Key Step": 1}),
        ("'C:\\dir' = 1", {"C:\\dir": 1}),
        ('"" = 1', {"": 1}),
        ('"\\u00e9" = 1', {"\u00e9": 1}),
        ("a.b.c = 1", {"a": {"b": {"c": 1}}}),
        ('a."b.c" = 1', {"a": {"b.c": 1}}),
        ("1.2 = 1", {"1": {"2": 1}}),
    ],
)
def test_names_bare_quoted_and_dotted(text, doc):
    """A bare name uses A-Z a-z 0-9 _ -; anything else goes in quotes; dots separate parts."""
    assert read(text) == doc


def test_quoted_and_bare_name_are_the_same_name():
    """"to", 'to' and to are one name, so setting all of them is setting one name twice."""
    assert "set twice" in refused('to = 1\n"to" = 2\n').message
    assert "set twice" in refused("to = 1\n'to' = 2\n").message


@pytest.mark.parametrize("text", ["a b = 1", "a\u00e9 = 1", "a/b = 1", "[a b]", "[a/b]", "= 1", "[]", "a. = 1", "a..b = 1", ".a = 1"])
def test_bad_names_are_refused(text):
    """A bare name with a space or another character, or a missing name or part, is refused."""
    assert refused(text).line == 1


# ---- text --------------------------------------------------------------------------------------


def test_escapes_in_basic_strings():
    """\\b \\t \\n \\f \\r \\" \\\\ \\uXXXX and \\UXXXXXXXX are the escapes of "text"."""
    doc = read('a = "\\b\\t\\n\\f\\r\\"\\\\\\u00E9\\u00e9\\U0001F3B9\\u0000"\n')
    assert doc["a"] == "\b\t\n\f\r\"\\\u00e9\u00e9\U0001f3b9\x00"


def test_literal_strings_take_backslashes_as_they_are():
    """'text' has no escapes: a backslash is a backslash."""
    assert read("path = 'C:\\Users\\me\\n'\n")["path"] == "C:\\Users\\me\\n"


@pytest.mark.parametrize("escape", ["\\a", "\\e", "\\x41", "\\ ", "\\u12", "\\u12G4", "\\UD800DC00", "\\uDFFF", "\\U00110000"])
def test_other_escapes_are_refused(escape):
    """Any other backslash sequence, a short or non-hex \\u, a surrogate or a code above
    U+10FFFF is refused."""
    assert refused('a = "' + escape + '"\n').line == 1


def test_unicode_text_as_it_is():
    """Text may hold any Unicode character as it is, except control characters."""
    assert read("a = 'Grüße ♫ 🎹'\nb = \"日本\"\n") == {"a": "Grüße ♫ 🎹", "b": "日本"}


# ---- numbers and booleans ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [
        ("0", 0),
        ("-0", 0),
        ("+0", 0),
        ("+99", 99),
        ("-17", -17),
        ("1_000", 1000),
        ("1_2_3", 123),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775808", -(2**63)),
        ("0xDEAD_beef", 0xDEADBEEF),
        ("0x0007", 7),
        ("0o755", 0o755),
        ("0b1010", 10),
        ("0x7FFFFFFFFFFFFFFF", 2**63 - 1),
    ],
)
def test_whole_numbers(written, value):
    """Decimal with an optional sign, _ between digits, no leading zero; 0x, 0o and 0b without
    a sign; 64 bits."""
    assert read("n = " + written + "\n") == {"n": value}


@pytest.mark.parametrize("written", ["01", "-01", "00", "0_0", "1__0", "_1", "1_", "+-1", "0x", "0x_1", "-0x1", "+0b1", "0X1", "0b2", "0o8", "1-2", "12abc"])
def test_malformed_numbers_are_refused(written):
    """Leading zeros, misplaced _, signs on 0x/0o/0b, capital prefixes and stray letters are refused."""
    assert refused("n = " + written + "\n").line == 1


def test_booleans_are_lower_case():
    """true and false are the booleans, in small letters only."""
    assert read("a = true\nb = false\n") == {"a": True, "b": False}
    for word in ("True", "FALSE", "yes", "on"):
        assert refused("a = " + word + "\n").line == 1


# ---- lists -------------------------------------------------------------------------------------


def test_lists_over_lines_nested_mixed_with_trailing_comma():
    """A [ ] list may span lines, end with a comma, nest, and mix types (TOML 1.0)."""
    doc = read("a = [\n  1,\n  'two',\n  [3, [4]],\n  { five = 5 },\n  true,\n]\nb = []\nc = [[], [ ]]\n")
    assert doc == {"a": [1, "two", [3, [4]], {"five": 5}, True], "b": [], "c": [[], []]}


@pytest.mark.parametrize("text", ["a = [1, 2", "a = [1 2]", "a = [1,,2]", "a = [,]", "a = [,1]", "a = [1,\n", "a = ]"])
def test_broken_lists_are_refused(text):
    """An unclosed list, a missing comma, a doubled or leading comma is refused."""
    refused(text)


# ---- { } tables --------------------------------------------------------------------------------


def test_inline_tables():
    """{ } holds name = value pairs, comma separated, dotted names allowed; {} is empty."""
    doc = read("a = { b = 1, 'c d' = 'e', f.g = true, f.h = [1] }\nx = {}\n")
    assert doc == {"a": {"b": 1, "c d": "e", "f": {"g": True, "h": [1]}}, "x": {}}


def test_a_list_inside_an_inline_table_may_span_lines():
    """Inside { } no line may end, except inside a value that allows it: a list."""
    assert read("a = { b = [\n1,\n2], c = 3 }\n") == {"a": {"b": [1, 2], "c": 3}}


@pytest.mark.parametrize("text", ["a = { b = 1, }", "a = { b = 1,\n c = 2 }", "a = {\n}", "a = { b = 1 c = 2 }", "a = { b = 1, b = 2 }", "a = { b = 1 } \na.c = 2", "a = { b = {}, b.c = 1 }"])
def test_inline_table_rules(text):
    """No trailing comma, no new line, commas between pairs, each name once, and nothing added
    to it afterwards."""
    refused(text)


# ---- tables and [[entries]] --------------------------------------------------------------------


def test_a_table_is_defined_once():
    """[a] may appear once, even when the first one is empty."""
    assert refused("[a]\n[b]\n[a]\n").line == 3


def test_a_parent_table_may_be_defined_after_its_children():
    """[a.b] makes a on the way; [a] may still come once afterwards, and [a.b] may not come again."""
    assert read("[a.b]\nx = 1\n[a]\ny = 2\n[a.c]\n") == {"a": {"b": {"x": 1}, "y": 2, "c": {}}}
    assert refused("[a.b]\n[a]\n[a.b]\n").line == 3


def test_dotted_names_define_their_tables():
    """a.b = 1 defines table a in this section: [a] cannot define it again, but [a.c] can add
    a sub-table to it."""
    assert refused("a.b = 1\n[a]\n").line == 2
    assert read("a.b = 1\n[a.c]\nd = 2\n") == {"a": {"b": 1, "c": {"d": 2}}}


def test_dotted_names_cannot_reach_into_another_section():
    """From [a], b.c = 1 cannot add to a table [a.b] defined."""
    assert refused("[a.b]\n[a]\nb.c = 1\n").line == 3


def test_entries_make_a_list_of_tables():
    """Each [[a]] adds a table to the list a; [a.b] and [[a.c]] go into the latest entry."""
    doc = read("[[a]]\nx = 1\n[a.b]\ny = 2\n[[a.c]]\n[[a]]\n[[a.c]]\nz = 3\n")
    assert doc == {"a": [{"x": 1, "b": {"y": 2}, "c": [{}]}, {"c": [{"z": 3}]}]}


@pytest.mark.parametrize(
    "text, line",
    [
        ("a = 1\n[[a]]\n", 2),
        ("a = []\n[[a]]\n", 2),
        ("[a]\n[[a]]\n", 2),
        ("[a.b]\n[[a]]\n", 2),
        ("[[a]]\n[a]\n", 2),
        ("[[a]]\n[[a.b]]\n[a.b]\n", 3),
        ("[[a]]\n[[a]]\n[a.b]\n[a.b]\n", 4),
        ("a = [{}]\n[a.b]\n", 2),
        ("a = [{}]\n[[a.b]]\n", 2),
    ],
)
def test_entries_rules(text, line):
    """[[a]] cannot follow a = ..., a [ ] list or [a]; [a] cannot follow [[a]]; a list written with
    [ ] cannot get entries or sub-tables by headers."""
    assert refused(text).line == line


def test_a_value_and_a_table_cannot_share_a_name():
    """A name set with = cannot become a table, and a table cannot be set with =."""
    assert refused("a = 1\n[a]\n").line == 2
    assert refused("a = 1\n[a.b]\n").line == 2
    assert refused("[a.b]\n[a]\nb = 1\n").line == 3
    assert refused("a = 1\na.b = 2\n").line == 2
    assert refused("a.b = 2\na = 1\n").line == 2


def test_each_statement_on_its_own_line():
    """After a value or a header only a comment may follow on the line."""
    assert refused("a = 1 b = 2\n").line == 1
    assert refused("[a] b = 1\n").line == 1
    assert refused('a = "x" "y"\n').line == 1


# ---- lines -------------------------------------------------------------------------------------


def test_lines_of_implicit_and_dotted_tables():
    """A table made on the way ([a.b] makes a) has the line of the header that made it, until
    its own header comes; a table made by dotted names has the line of the first of them."""
    _, lines = parse("[a.b]\n[a]\n[c.d]\nx.y = 1\nx.z = 2\n")
    assert lines[("a",)] == 2 and lines[("a", "b")] == 1
    assert lines[("c",)] == 3 and lines[("c", "d", "x")] == 4 and lines[("c", "d", "x", "z")] == 5


def test_lines_inside_inline_tables_and_lists():
    """Keys inside { } and items of a list have their own lines, which differ from the line of
    the setting when a list spans lines."""
    _, lines = parse("r = [\n  { to = 'out1' },\n  { to = [\n 'out2'] },\n]\n")
    assert lines[("r",)] == 1
    assert lines[("r", 0)] == 2 and lines[("r", 0, "to")] == 2
    assert lines[("r", 1, "to")] == 3 and lines[("r", 1, "to", 0)] == 4


# ---- where the reader is stricter than tomllib, on purpose -------------------------------------

DELIBERATE = [
    ("x = 1.5\n", "floats are outside the subset: settings are whole numbers"),
    ("x = 1e3\n", "floats are outside the subset"),
    ("x = inf\n", "floats are outside the subset"),
    ("x = nan\n", "floats are outside the subset"),
    ("x = 2024-05-01\n", "dates and times are outside the subset"),
    ("x = 2024-05-01T10:00:00Z\n", "dates and times are outside the subset"),
    ("x = 1979-05-27 07:32:00\n", "dates and times are outside the subset"),
    ("x = 07:32:00\n", "dates and times are outside the subset"),
    ('x = """text"""\n', "multi-line strings are outside the subset"),
    ("x = '''text'''\n", "multi-line strings are outside the subset"),
    ("x = 9223372036854775808\n", "TOML 1.0 requires an error past 64 bits; tomllib has no limit"),
    ("x = -9223372036854775809\n", "TOML 1.0 requires an error past 64 bits; tomllib has no limit"),
    ("x = 0x1_0000_0000_0000_0000\n", "TOML 1.0 requires an error past 64 bits; tomllib has no limit"),
    (
        "[a.b.c]\n[a]\nb.d = 1\n",
        "dotted names adding to a table a header made: TOML 1.0 is unclear (toml-lang/toml#846, "
        "settled against it in #859); tomllib allows it, the reader does not",
    ),
    (
        "[fruit.apple.texture]\nsmooth = true\n[fruit]\napple.color = 'red'\n",
        "the same case as above, the example of toml-lang/toml#771",
    ),
]


@pytest.mark.parametrize("text, reason", DELIBERATE)
def test_deliberate_differences_from_tomllib(text, reason):
    """The kinds of text tomllib reads that the reader refuses, each for the reason given; the
    reader never reads a text tomllib refuses (see test_toml_fuzz.py)."""
    assert tomllib.loads(text) is not None, reason
    with pytest.raises(TomlError):
        parse(text)
