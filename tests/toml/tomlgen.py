"""Random documents in the reader's TOML subset, written out in varied styles, for the property tests."""

import tomllib

from hypothesis import strategies as st

from thruway.tomlreader import TomlError, parse

BARE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
INT64 = (-(2**63), 2**63 - 1)


def same(a, b):
    """Equal values of exactly the same types, all the way down (True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def lf(text):
    """The text with its line ends made LF. TOML ends a line with LF or CR LF; the box also takes
    a lone CR (a file saved on an old Mac), so that is the text tomllib must read as the box does."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_both(text):
    """(reader's (doc, lines) or None, tomllib's doc or None) for one text."""
    try:
        mine = parse(text)
    except TomlError:
        mine = None
    try:
        theirs = tomllib.loads(lf(text))
    except tomllib.TOMLDecodeError:
        theirs = None
    return mine, theirs


def assert_agrees(text):
    """The reader's promise: what it accepts, tomllib reads to the same values; what tomllib
    refuses, it refuses too. Any other exception than TomlError fails the caller."""
    mine, theirs = read_both(text)
    if mine is not None:
        assert theirs is not None, "the reader accepted a text tomllib refuses: %r" % text
        assert same(mine[0], theirs), "reader %r != tomllib %r for %r" % (mine[0], theirs, text)
        count = lf(text).count("\n") + 1
        for path, line in mine[1].items():
            assert 1 <= line <= count, (path, line)
    return mine, theirs


# ---- the values -------------------------------------------------------------------------------

_text_chars = st.characters(exclude_categories=("Cs",))
_music_words = st.sampled_from(
    ["KeyStep", "Analog Four", "Rytm", "in1", "out2", "usb", "notes", "cc", "clock", "Key Step", "DAW/1"]
)
texts = st.one_of(st.text(_text_chars, max_size=12), _music_words, st.text(BARE + " '\"\\#=[]{},.", max_size=8))
keys = st.one_of(
    st.text(BARE, min_size=1, max_size=8),
    st.sampled_from(["from", "to", "channels", "channel", "types", "source", "in1", "out1", "true", "1", "-"]),
    st.text(_text_chars, max_size=6),
)
integers = st.one_of(st.integers(*INT64), st.integers(-20, 300), st.sampled_from([0, 1, 16, 127, INT64[0], INT64[1]]))
scalars = st.one_of(integers, st.booleans(), texts)


def _tables(children):
    return st.dictionaries(keys, children, max_size=4)


documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            _tables(children),
            st.lists(_tables(children), min_size=1, max_size=3),
        ),
        max_leaves=18,
    ),
    max_size=6,
)


# ---- writing them out -------------------------------------------------------------------------

_COMMENT_CHARS = BARE + " \t#'\"=[]{}.,\\\u00e9\u266b\U0001f3b9"


class Writer:
    """Writes a document as TOML text with random (but valid) style choices, and keeps what the
    reader's `lines` must say: `expected` (path -> line) and `written` (path -> texts of its key)."""

    def __init__(self, rnd):
        self.rnd = rnd
        self.out = []
        self.expected = {}
        self.written = {}

    def text(self):
        end = self.rnd.choice(["\n", "\n", "\r\n"])
        return end.join(self.out) + self.rnd.choice(["", end, end + end])

    def write(self, doc):
        self.section((), (), doc, None)
        return self.text()

    # -- small pieces

    def ws(self, *choices):
        return self.rnd.choice(choices or ("", " ", " ", "  ", "\t"))

    def comment(self):
        return "#" + "".join(self.rnd.choice(_COMMENT_CHARS) for _ in range(self.rnd.randrange(12)))

    def noise(self):
        """Blank lines and comment lines, sometimes, between statements."""
        for _ in range(self.rnd.choice([0, 0, 0, 1, 2])):
            self.out.append(self.ws("", " ", "\t") + self.rnd.choice(["", self.comment()]))

    def tail(self):
        return self.ws("", "", " ") + self.rnd.choice(["", "", self.ws(" ", "\t", "") + self.comment()])

    def mention(self, path, line, key_text, define):
        if define or path not in self.expected:
            self.expected[path] = line
        if key_text is not None:
            self.written.setdefault(path, set()).add(key_text)

    def key(self, k):
        if k and all(c in BARE for c in k) and self.rnd.random() < 0.8:
            return k
        return self.string(k)

    def string(self, s):
        literal_ok = "'" not in s and not any(c < " " and c != "\t" or c == "\x7f" for c in s)
        if literal_ok and self.rnd.random() < 0.3:
            return "'" + s + "'"
        out = '"'
        for c in s:
            out += self.char(c)
        return out + '"'

    def char(self, c):
        """One character inside "quotes": escaped where it must be, and now and then where not."""
        short = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
        must = c in '"\\' or (c != "\t" and (c < " " or c == "\x7f"))
        if not must and self.rnd.random() < 0.85:
            return c
        if c in short and self.rnd.random() < 0.7:
            return short[c]
        if ord(c) > 0xFFFF or self.rnd.random() < 0.3:
            return "\\U" + self.hexdigits(ord(c), 8)
        return "\\u" + self.hexdigits(ord(c), 4)

    def hexdigits(self, n, width):
        digits = "%0*x" % (width, n)
        return "".join(d.upper() if self.rnd.random() < 0.5 else d for d in digits)

    def integer(self, n):
        r = self.rnd.random()
        if n >= 0 and r < 0.3:
            prefix, digits = self.rnd.choice([("0x", "%x" % n), ("0o", "%o" % n), ("0b", "{:b}".format(n))])
            if prefix == "0x":
                digits = "".join(d.upper() if self.rnd.random() < 0.5 else d for d in digits)
            if self.rnd.random() < 0.2:
                digits = "0" * self.rnd.randrange(1, 3) + digits
            return prefix + self.underscores(digits)
        sign = "-" if n < 0 else self.rnd.choice(["", "", "+"])
        return sign + self.underscores(str(abs(n)))

    def underscores(self, digits):
        if self.rnd.random() < 0.6:
            return digits
        out = digits[0]
        for d in digits[1:]:
            if self.rnd.random() < 0.3:
                out += "_"
            out += d
        return out

    # -- values, which may span lines (arrays); each returns its text and the lines of its parts,
    #    counted from the line it starts on

    def value(self, path, v, rel):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return self.integer(v)
        if isinstance(v, str):
            return self.string(v)
        if isinstance(v, dict):
            return self.inline_table(path, v, rel)
        return self.array(path, v, rel)

    def inline_table(self, path, table, rel):
        if not table:
            return "{" + self.ws("", " ") + "}"
        text = "{" + self.ws()
        items = self.flatten((), table)
        for n, (parts, v) in enumerate(items):
            line = rel + text.count("\n")
            text += self.dotted_key(path, parts, line)
            text += self.ws() + "=" + self.ws()
            text += self.value(path + parts, v, line)
            text += self.ws()
            if n < len(items) - 1:
                text += "," + self.ws()
        return text + "}"

    def flatten(self, prefix, table):
        """The (key parts, value) pairs of a table, some sub-tables written as dotted keys."""
        items = []
        for k, v in table.items():
            if isinstance(v, dict) and v and self.rnd.random() < 0.4:
                items.extend(self.flatten(prefix + (k,), v))
            else:
                items.append((prefix + (k,), v))
        self.rnd.shuffle(items)
        return items

    def dotted_key(self, base, parts, line):
        texts = []
        for j, k in enumerate(parts):
            t = self.key(k)
            texts.append(t)
            self.mention(base + parts[: j + 1], line, t, define=j == len(parts) - 1)
        return (self.ws("", "", " ") + "." + self.ws("", "", " ")).join(texts)

    def array(self, path, items, rel):
        many = self.rnd.random() < 0.4
        text = "[" + self.ws("", " ")
        if many and self.rnd.random() < 0.3:
            text += self.comment()
        for n, v in enumerate(items):
            if many:
                text += "\n" + self.ws("", "  ", "\t")
                if self.rnd.random() < 0.2:
                    text += self.comment() + "\n" + self.ws("", "  ")
            line = rel + text.count("\n")
            self.mention(path + (n,), line, None, define=True)
            text += self.value(path + (n,), v, line)
            if n < len(items) - 1 or (many and self.rnd.random() < 0.5) or (items and self.rnd.random() < 0.1):
                text += self.ws("", "", " ") + "," + self.ws("", " ")
                if many and self.rnd.random() < 0.3:
                    text += self.ws("", " ") + self.comment()
        if many:
            text += "\n"
        return text + self.ws("", " ") + "]"

    # -- sections

    def section(self, path, shown, table, header):
        """Writes one section: its header (header is '[' or '[['), its settings, then the
        sections inside it. `shown` is path without list indexes."""
        own = []
        subs = []
        dotted_subs = self.collect((), table, path, shown, own, subs)
        self.rnd.shuffle(own)
        self.rnd.shuffle(subs)
        # A [a.b] header may come before [a]; not when [a] writes b.c = ... and [a.b.x] exists,
        # which the reader refuses on purpose (see DELIBERATE in test_toml_rules.py).
        children_first = header == "[" and not dotted_subs and subs and self.rnd.random() < 0.25
        if children_first:
            for sub in subs:
                sub()
        skip_header = header == "[" and not own and subs and not children_first and self.rnd.random() < 0.4
        if header and not skip_header:
            self.noise()
            line = len(self.out) + 1
            parts = []
            for j in range(len(shown)):
                t = self.key(shown[j])
                parts.append(t)
                full = self.full_path(path, j)
                self.mention(full, line, t, define=header == "[" and j == len(shown) - 1)
            if header == "[[":
                self.mention(path[:-1], line, None, define=False)
                self.mention(path, line, None, define=True)
            inner = (self.ws("", "", " ") + "." + self.ws("", "", " ")).join(parts)
            close = "]]" if header == "[[" else "]"
            self.out.append(self.ws("", "", " ") + header + self.ws("", "", " ") + inner + self.ws("", "", " ") + close + self.tail())
        for parts, v in own:
            self.noise()
            line = len(self.out) + 1
            text = self.ws("", "", "  ") + self.dotted_key(path, parts, line)
            text += self.ws() + "=" + self.ws(" ", "", "\t")
            text += self.value(path + parts, v, line)
            self.out.extend((text + self.tail()).split("\n"))
        if not children_first:
            for sub in subs:
                sub()

    def full_path(self, path, j):
        """The prefix of `path` (with indexes) that names its j-th key part."""
        seen = -1
        for n, k in enumerate(path):
            if isinstance(k, str):
                seen += 1
                if seen == j:
                    return path[: n + 1]
        raise AssertionError(path)

    def collect(self, prefix, table, path, shown, own, subs):
        """Sorts a table's items into settings of this section and sections of their own;
        returns whether a section lies under a dotted key."""
        dotted_subs = False
        for k, v in table.items():
            key_path = prefix + (k,)
            r = self.rnd.random()
            if isinstance(v, dict) and r < 0.45:
                subs.append(self.table_writer(path + key_path, shown + key_path, v))
                dotted_subs = dotted_subs or bool(prefix)
            elif isinstance(v, dict) and v and r < 0.7:
                before = len(subs)
                inner = self.collect(key_path, v, path, shown, own, subs)
                dotted_subs = dotted_subs or inner or len(subs) > before
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and r < 0.7:
                subs.append(self.entries_writer(path + key_path, shown + key_path, v))
                dotted_subs = dotted_subs or bool(prefix)
            else:
                own.append((key_path, v))
        return dotted_subs

    def table_writer(self, path, shown, table):
        return lambda: self.section(path, shown, table, "[")

    def entries_writer(self, path, shown, entries):
        def write():
            for n, entry in enumerate(entries):
                self.section(path + (n,), shown, entry, "[[")

        return write


def reference_lines(doc, path=()):
    """Every path in a document: each key of each table and each index of each list."""
    out = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc)
    for k, v in items:
        out.append(path + (k,))
        if isinstance(v, (dict, list)):
            out.extend(reference_lines(v, path + (k,)))
    return out
