"""Reads the TOML subset of thruway.toml on boards without tomllib (see docs/settings-toml-subset.md)."""

# Written from the TOML 1.0.0 specification (https://toml.io/en/v1.0.0). No imports and only the
# str methods MicroPython has, so CPython, CircuitPython and MicroPython all run this same file.

# How a table came to exist; TOML lets each table be defined once ("Table", "Array of Tables").
_IMPLICIT = 0  # made only as the parent in a header such as [a.b]: [a] may still define it
_HEADER = 1  # defined by its own [a] header, or one [[a]] entry
_DOTTED = 2  # made by dotted names (a.b = 1) in one section or one { } table
_ARRAY = 3  # the list behind [[a]] headers
# A dict with no kind is a { } table and a list with no kind a [ ] list: both are complete values.

_BARE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_WORD = _BARE + "+.:"  # an unquoted value is read whole over these before it is judged
_DIGITS = "0123456789"
_HEXDIGITS = "0123456789abcdefABCDEF"
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
# TOML integers are 64-bit; the limits as digit strings, so the file needs no big-int literal.
_MAX_DEC = "9223372036854775807"
_MAX_NEG = "9223372036854775808"
_BASES = {
    "x": (16, _HEXDIGITS, "7fffffffffffffff", "a hex", "0-9 and a-f"),
    "o": (8, "01234567", "777777777777777777777", "an octal", "0-7"),
    "b": (2, "01", "1" * 63, "a binary", "0 and 1"),
}
_CURLY = "\u201c\u201d\u2018\u2019"


class TomlError(Exception):
    """A text the reader refuses: `line` (1-based) and `message` (what is wrong, what to write)."""

    def __init__(self, line, message):
        super().__init__("line " + str(line) + ": " + message)
        self.line = line
        self.message = message

    def where(self, filename):
        """The mistake as the box and `thruway check` report it: `FILE:LINE: message`."""
        return "%s:%d: %s" % (filename, self.line, self.message)


class Lines:
    """The line of each key path (a tuple of keys and list indexes), as a mapping.

    Kept as one small dict per table rather than one dict of every path: a large file's single
    dict must grow in one piece, and the board's heap, cut into small holes by the parse's own
    short-lived strings, has no such piece left (a 40-route file failed so on the rig)."""

    def __init__(self):
        self.tables = {}

    def __setitem__(self, path, line):
        table = self.tables.get(path[:-1])
        if table is None:
            table = self.tables[path[:-1]] = {}
        table[path[-1]] = line

    def __getitem__(self, path):
        return self.tables[path[:-1]][path[-1]]

    def get(self, path, default=None):
        table = self.tables.get(path[:-1])
        return default if table is None else table.get(path[-1], default)

    def __contains__(self, path):
        table = self.tables.get(path[:-1])
        return table is not None and path[-1] in table

    def items(self):
        return [(where + (key,), line) for where, table in self.tables.items() for key, line in table.items()]

    def __iter__(self):
        return iter([path for path, _ in self.items()])

    def __len__(self):
        return sum(len(table) for table in self.tables.values())

    def __eq__(self, other):
        return dict(self.items()) == dict(other.items())

    def __ne__(self, other):
        return not self == other


COLLECT_EVERY = 8  # lines between two calls of parse()'s `collect`


def parse(text, collect=None, between=None):
    """Reads `text` into (doc, lines): plain values, and the line of each key path.

    `between`, if given, is called at every line (the running board serves MIDI there, so that
    reading a file holds it no longer than a line's work).

    `collect`, if given, is called every COLLECT_EVERY lines: on the board, gc.collect, so
    that each few lines' short-lived strings are taken back before the next lines' keys are
    placed among them (otherwise a large file's parse leaves the heap in holes too small for
    its own tables: a 48-route file failed so on the rig)."""
    reader = _Reader(text)
    reader.collect = collect
    reader.between = between
    reader.document()
    return reader.doc, reader.lines


def _hex(n, width):
    out = ""
    while n or len(out) < width:
        out = "0123456789ABCDEF"[n & 15] + out
        n >>= 4
    return out


def _quote(s):
    """`s` as a TOML basic string, the way messages show a name or a text."""
    out = '"'
    for c in s:
        if c == '"' or c == "\\":
            out += "\\" + c
        elif _control(c):
            out += "\\u" + _hex(ord(c), 4)
        else:
            out += c
    return out + '"'


def _is_bare(s):
    if not s:
        return False
    for c in s:
        if c not in _BARE:
            return False
    return True


def _name(path):
    """A key path as it is written in the file: route.to, inputs."Key Step" (indexes left out)."""
    out = ""
    for k in path:
        if isinstance(k, int):
            continue
        if out:
            out += "."
        out += k if _is_bare(k) else _quote(k)
    return out


def _digits_ok(digits, allowed):
    """TOML's rule for the digits of an integer: at least one, and each _ between two digits."""
    if not digits or digits[0] == "_" or digits[-1] == "_":
        return False
    last = ""
    for c in digits:
        if c == "_":
            if last == "_":
                return False
        elif c not in allowed:
            return False
        last = c
    return True


def _bigger(digits, biggest):
    """Whether a digit string with no leading zeros is above `biggest` (same base, same case)."""
    if len(digits) != len(biggest):
        return len(digits) > len(biggest)
    return digits > biggest


def _control(c):
    """Whether `c` is a control character, which TOML forbids in text and comments (tab is fine)."""
    return (c < " " and c != "\t") or c == "\x7f"


def _has_control(s):
    """Whether `s` holds a control character (tab aside), found by min() and `in`, which run
    in C: comments are most of a settings file, and a loop per character is slow on the board."""
    if not s:
        return False
    if "\x7f" in s:
        return True
    return min(s.replace("\t", " ")) < " "


def _stray(c):
    """The message for a character that has no business where it stands, or None."""
    if c == "\n":
        return None
    if _control(c):
        return "an invisible control character (" + _quote(c) + ") is in the way: delete it"
    if c in _CURLY:
        return "curly quotes are not quotes here: use straight ones, like \"KeyStep\""
    return None


class _Reader:
    """One pass over the text, a line at a time: `s` is the line (without its line end), `i` the
    position in it and `line` its 1-based number. (MicroPython finds s[i] by counting from the
    start of s, so indexing one long text would make reading a file slow on the board.)"""

    def __init__(self, text):
        if text.startswith("\ufeff"):
            raise TomlError(
                1, "the file starts with an invisible byte order mark (BOM): save it as UTF-8 without BOM"
            )
        # TOML ends lines with LF or CRLF; a file saved on an old Mac ends them with CR alone, and a
        # musician cannot see the difference, so CR ends a line too (CR LF is one line end).
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        # One line at a time, cut from the text as it is reached: a list of every line would
        # hold the file twice over on the board's heap.
        self.text = text
        end = text.find("\n")
        if end < 0:
            end = len(text)
        self.s = text[:end]
        self.next_start = end + 1  # where the next line starts; past the end: there is none
        self.n = len(self.s)
        self.i = 0
        self.line = 1
        self.doc = {}  # type: dict
        self.lines = Lines()
        self.kinds = {}  # path -> how the table there came to exist (see _IMPLICIT...)
        self.path = ()  # the section being filled: () is the top of the file, before any header
        self.table = self.doc
        self.name = ""  # the setting whose value is being read, for messages ("" inside a list)
        self.escaped = ""
        self.collect = None
        self.between = None

    def char(self):
        """The character at the position, "\n" at the end of the line."""
        return self.s[self.i] if self.i < self.n else "\n"

    def at_end(self):
        return self.i >= self.n and self.next_start > len(self.text)

    def next_line(self):
        start = self.next_start
        end = self.text.find("\n", start)
        if end < 0:
            end = len(self.text)
        self.s = self.text[start:end]
        self.next_start = end + 1
        self.n = len(self.s)
        self.i = 0
        self.line += 1
        if self.between is not None:
            self.between()
        if self.collect is not None and self.line % COLLECT_EVERY == 0:
            self.collect()
            if self.between is not None:
                self.between()  # the collection is a piece of work of its own

    def err(self, message, line=0):
        return TomlError(line or self.line, message)

    def rest(self, start, stops):
        """The text from `start` to the end of the line or the first of `stops`, stripped."""
        end = start
        while end < self.n and self.s[end] not in stops:
            end += 1
        return self.s[start:end].strip()

    # ---- lines, spaces and comments ---------------------------------------------------------

    def document(self):
        while True:
            self.skip_blank()
            if self.at_end():
                return
            if self.char() == "[":
                self.header()
                self.end_of_line("the section name")
            else:
                self.setting()

    def skip_spaces(self):
        s = self.s
        i = self.i
        while i < self.n and (s[i] == " " or s[i] == "\t"):
            i += 1
        self.i = i

    def comment(self):
        """Skips a # comment to the end of the line."""
        s = self.s
        i = self.i + 1
        if not _has_control(s[i:]):
            # Most comments: checked whole in C (min, in), not a character at a time.
            self.i = self.n
            return
        while i < self.n:
            if _control(s[i]):
                self.i = i
                raise self.err(_stray(s[i]) + " (in a comment)")
            i += 1
        self.i = i

    def skip_blank(self):
        """Skips spaces, comments and line ends: what may stand between statements, or values in a list."""
        while True:
            self.skip_spaces()
            if self.at_end():
                return
            c = self.char()
            if c == "\n":
                self.next_line()
            elif c == "#":
                self.comment()
            else:
                return

    def end_of_line(self, after):
        """After a setting or a header only spaces and a comment may follow on the line."""
        self.skip_spaces()
        c = self.char()
        if c == "#":
            self.comment()
            c = self.char()
        if c == "\n":
            return
        if _stray(c):
            raise self.err(_stray(c))
        raise self.err(
            "there is more on the line after " + after + " (" + self.rest(self.i, "") + "):"
            " put each setting on its own line, and start comments with #"
        )

    # ---- names --------------------------------------------------------------------------------

    def key(self, ends):
        """A name, maybe dotted (a.b."c d"), up to one of `ends` (not read); returns its parts."""
        parts = []  # type: list
        start = self.i
        while True:
            self.skip_spaces()
            parts.append(self.simple_key(start, ends, len(parts) > 0))
            self.skip_spaces()
            c = self.char()
            if c == ".":
                self.i += 1
            elif c in ends:
                return parts
            else:
                raise self.err(self.bad_name(start, ends, parts))

    def simple_key(self, start, ends, after_dot):
        s = self.s
        c = self.char()
        if c == '"' or c == "'":
            if s.startswith(c + c + c, self.i):
                raise self.err("a name cannot be in triple quotes: write it with one " + c + " on each side")
            return self.basic_string(True) if c == '"' else self.literal_string(True)
        begin = self.i
        i = begin
        while i < self.n and s[i] in _BARE:
            i += 1
        if i > begin:
            self.i = i
            return s[begin:i]
        if c == ".":
            raise self.err("a part of the name is missing next to a dot: write a.b, not a..b or .b")
        if after_dot and (c == "\n" or c == "#" or c == "=" or c in ends):
            raise self.err("a part of the name is missing after the dot: write a.b, not a.")
        if c == "=":
            raise self.err("a name is missing before =: write name = value")
        if c == "\n" or c == "#" or c in ends:
            raise self.err("the name is missing: write it, like [clock] or channel = 1")
        raise self.err(self.bad_name(start, ends, []))

    def bad_name(self, start, ends, parts):
        """The message for a name that goes wrong at the position; it began at `start`, and
        `parts` holds the parts read so far."""
        c = self.char()
        if _stray(c):
            return _stray(c)
        written = self.rest(start, ends + "#")
        if "=" not in ends:
            if c == "\n" or c == "#":
                return "a section name needs its closing ]: write [" + written + "]"
            suggestion = "[" + _quote(written) + "]"
        elif parts and "=" not in self.rest(self.i, "#"):
            name = _name(parts)
            value = self.rest(self.i, "#")
            if value[:1] == ":":
                # name: value, as other formats write it.
                value = value[1:].strip()
                return "TOML puts = between a name and its value, not a colon: write " + name + " = " + (value or "value")
            if value:
                return "= is missing after the name " + name + ": write " + name + " = " + value
            return "expected = after the name " + name + ": write " + name + " = value"
        else:
            suggestion = _quote(written) + " = ..."
        if c == '"' or c == "'":
            return "a name in quotes must be quoted whole: write " + suggestion
        if c == " " or c == "\t" or (self.i > 0 and self.s[self.i - 1] in " \t"):
            return "a name with spaces needs quotes: write " + suggestion
        return "a name without quotes can have only the letters A-Z and a-z, digits, _ and -: write " + suggestion

    # ---- sections -----------------------------------------------------------------------------

    def header(self):
        """[a.b] starts a section; [[a.b]] adds an entry to a list of sections."""
        line = self.line
        many = self.s.startswith("[[", self.i)
        self.i += 2 if many else 1
        self.skip_spaces()
        if self.char() == "[":
            raise self.err("the two [[ of a list entry go together, and so do the ]]: write [[name]]")
        parts = self.key("]")
        shown = ("[[" if many else "[") + _name(parts) + ("]]" if many else "]")
        if many and not self.s.startswith("]]", self.i):
            raise self.err("a list entry needs two closing brackets: write " + shown)
        self.i += 2 if many else 1
        table = self.doc
        path = ()  # type: tuple
        last = len(parts) - 1
        for j in range(last):
            table, path = self.into(table, path + (parts[j],), shown, line)
        key = parts[last]
        path = path + (key,)
        kind = self.kinds.get(path)
        if key not in table:
            if many:
                table[key] = []
                self.kinds[path] = _ARRAY
                self.lines[path] = line
            else:
                table[key] = {}
                kind = _IMPLICIT
        elif many and kind == _ARRAY:
            pass
        elif kind == _IMPLICIT and not many:
            pass
        else:
            raise self.err(self.redefined(path, table[key], kind, shown), line)
        if many:
            entries = table[key]
            path = path + (len(entries),)
            entries.append({})
            table = entries
            key = len(entries) - 1
        self.kinds[path] = _HEADER
        self.lines[path] = line
        self.path = path
        self.table = table[key]

    def redefined(self, path, value, kind, shown):
        """The message for a header naming a table or value that exists already."""
        name = _name(path)
        old = str(self.lines[path])
        if kind == _IMPLICIT:
            return (
                name + " is already a section, made by the header on line " + old + ", so " + shown
                + " cannot make it a list: start with [[" + name + "]], then write [" + name + ".something] under each entry"
            )
        if kind == _HEADER:
            if shown[1] == "[":
                return (
                    "[" + name + "] is a single section (line " + old + "), so " + shown
                    + " cannot make it a list: write either one [" + name + "] or only [[" + name + "]] entries"
                )
            return shown + " is already on line " + old + ": put all its settings under one " + shown
        if kind == _ARRAY:
            return name + " is a list of [[" + name + "]] entries (line " + old + "): write [[" + name + "]] for one more"
        if kind == _DOTTED:
            return (
                name + " already has settings written as " + name + ".something = ... (line " + old
                + "): move them under " + shown + " without the " + name + ". in front"
            )
        return self.taken(path, value) + ", so it cannot also be " + shown + ": use another name"

    def into(self, table, path, shown, line):
        """Steps into the table `path` names, on the way to a header's own table."""
        key = path[-1]
        if key not in table:
            table[key] = {}
            self.kinds[path] = _IMPLICIT
            self.lines[path] = line
            return table[key], path
        kind = self.kinds.get(path)
        value = table[key]
        if kind == _ARRAY:
            return value[-1], path + (len(value) - 1,)
        if kind == _IMPLICIT or kind == _HEADER or kind == _DOTTED:
            return value, path
        if isinstance(value, dict):
            advice = "put the settings inside its { }, or make it a section of its own"
        else:
            advice = "use another name"
        raise self.err(self.taken(path, value) + ", so " + shown + " cannot add to it: " + advice, line)

    def taken(self, path, value):
        """What the value at `path` already is, for messages."""
        name = _name(path)
        old = str(self.lines[path])
        if isinstance(value, dict):
            return name + " is written whole as { ... } on line " + old
        if isinstance(value, list):
            return name + " is already a list [ ... ] on line " + old
        return name + " is already set on line " + old

    # ---- settings -----------------------------------------------------------------------------

    def setting(self):
        """name = value, in the current section."""
        parts = self.pair(self.table, self.path)
        self.skip_spaces()
        if self.char() == ",":
            raise self.err(
                "only one value can follow =: for several, make a list: " + _name(parts) + " = [..., ...]"
            )
        self.end_of_line("the value")

    def pair(self, table, path):
        """Reads name = value into `table`, whose path is `path`; returns the name's parts."""
        line = self.line
        parts = self.key("=")
        self.i += 1
        self.skip_spaces()
        table, path = self.place(table, path, parts, line)
        self.name = _name(parts)
        table[path[-1]] = self.value(path)
        self.lines[path] = line
        return parts

    def place(self, table, path, parts, line):
        """The table and path for the name `parts`, once TOML's define-once rules are checked."""
        last = len(parts) - 1
        for j in range(last + 1):
            key = parts[j]
            path = path + (key,)
            if key not in table:
                if j == last:
                    break
                table[key] = {}
                self.kinds[path] = _DOTTED
                self.lines[path] = line
            elif j == last:
                raise self.err(self.twice(path, table[key]), line)
            elif self.kinds.get(path) != _DOTTED:
                raise self.err(self.no_dots(path, table[key], parts), line)
            table = table[key]
        return table, path

    def twice(self, path, value):
        """The message for a name set with = that exists already."""
        name = _name(path)
        old = str(self.lines[path])
        kind = self.kinds.get(path)
        if kind == _IMPLICIT or kind == _HEADER:
            return "[" + name + "] is a section (line " + old + "), so it cannot also be set with =: use another name"
        if kind == _ARRAY:
            return name + " is a list of [[" + name + "]] entries (line " + old + "), so it cannot also be set with =: use another name"
        if kind == _DOTTED:
            return name + " already has settings written as " + name + ".something = ... (line " + old + "): use another name"
        return name + " is set twice, on line " + old + " and here: keep only one"

    def no_dots(self, path, value, parts):
        """The message for a dotted name that reaches into a table it may not add to."""
        name = _name(path)
        old = str(self.lines[path])
        kind = self.kinds.get(path)
        if kind == _IMPLICIT:
            return (
                name + " was started by the section header on line " + old + ", so " + _name(parts)
                + " cannot add to it from here: write the setting under a [" + name + "] header"
            )
        if kind == _HEADER:
            return (
                name + " has its own [" + name + "] section (line " + old + "), so " + _name(parts)
                + " cannot add to it from here: write the setting in that section"
            )
        if kind == _ARRAY:
            return (
                name + " is a list of [[" + name + "]] entries (line " + old + "), so " + _name(parts)
                + " cannot add to it: write the setting under a [[" + name + "]]"
            )
        return self.taken(path, value) + ", so " + _name(parts) + " cannot add to it: use another name"

    # ---- values -------------------------------------------------------------------------------

    def value(self, path):
        """The value at the position, going to `path` (its line is recorded by the caller)."""
        s = self.s
        c = self.char()
        if c == '"' or c == "'":
            if s.startswith(c + c + c, self.i):
                raise self.err(
                    "text in triple quotes (text over several lines) is not supported here:"
                    " write it on one line between single " + c + " quotes"
                )
            return self.basic_string(False) if c == '"' else self.literal_string(False)
        if c == "[":
            return self.array(path)
        if c == "{":
            return self.inline_table(path)
        start = self.i
        i = start
        while i < self.n and s[i] in _WORD:
            i += 1
        if i == start:
            if _stray(c):
                raise self.err(_stray(c))
            if c == "\n" or c == "#" or c == "," or c == "}" or c == "]":
                raise self.err(self.missing())
            raise self.err("expected a value (a number, true, false, \"text\", a [list] or { }), not " + c)
        self.i = i
        word = s[start:i]
        if word == "true":
            return True
        if word == "false":
            return False
        if word[0] in _DIGITS or word[0] in "+-.":
            return self.number(word, start)
        if word == "inf" or word == "nan":
            raise self.err("inf and nan are not supported here: write a whole number")
        if word == "True" or word == "False" or word == "TRUE" or word == "FALSE":
            raise self.err("true and false are written in small letters: write " + word.lower())
        raise self.err(self.needs_quotes(start))

    def missing(self):
        name = self.name
        if name:
            return name + " has no value: write " + name + " = 1, " + name + " = true or " + name + " = \"text\""
        return "a value is missing: write a number, true, false or \"text\""

    def needs_quotes(self, start):
        text = self.rest(start, "#,]}")
        what = "text needs quotes"
        if text[-1:] == '"' or text[-1:] == "'":
            # A quote at the end only: the one at the start is missing, not part of the text.
            text = text[:-1]
            what = "text needs quotes at both ends"
        if self.name:
            return what + ": write " + self.name + " = " + _quote(text)
        return what + ": write " + _quote(text)

    def number(self, word, start):
        """A whole number (decimal, or 0x, 0o, 0b); anything else number-like is refused."""
        sign = ""
        body = word
        if word[0] == "+" or word[0] == "-":
            sign = word[0]
            body = word[1:]
        if body.startswith("0x") or body.startswith("0o") or body.startswith("0b"):
            base, allowed, biggest, base_name, digits_name = _BASES[body[1]]
            if sign:
                raise self.err(base_name + " number cannot have a + or - sign: write " + body)
            digits = body[2:]
            if not _digits_ok(digits, allowed):
                raise self.err(
                    word + " is not " + base_name + " number: after 0" + body[1] + " use only "
                    + digits_name + ", with _ only between two digits"
                )
            digits = digits.replace("_", "").lower()
            while len(digits) > 1 and digits[0] == "0":
                digits = digits[1:]
            if _bigger(digits, biggest):
                raise self.err(word + " is too big: the largest is 0" + body[1] + biggest)
            return int(digits, base)
        if body.startswith("0X") or body.startswith("0O") or body.startswith("0B"):
            raise self.err("write 0" + body[1].lower() + " in small letters: " + sign + "0" + body[1].lower() + body[2:])
        if ":" in body or (len(body) > 4 and body[4] == "-" and _digits_ok(body[:4], _DIGITS)):
            raise self.err("dates and times are not supported here: write them as text in quotes, like " + _quote(word))
        float_like = body == "inf" or body == "nan"
        if "." in body or "e" in body or "E" in body:
            float_like = True
            for c in body:
                if c not in "0123456789_.eE+-":
                    float_like = False
        if float_like:
            raise self.err(
                "numbers with a decimal point or an exponent are not supported here:"
                " write a whole number (or " + _quote(word) + " in quotes if it is text)"
            )
        if not _digits_ok(body, _DIGITS):
            for c in body:
                if c not in "0123456789_+-":
                    raise self.err(self.needs_quotes(start))
            if "_" in body:
                raise self.err(word + " is not a number: _ can only stand between two digits, like 1_000")
            dash = body.find("-")
            if not sign and dash > 0 and _digits_ok(body[:dash], _DIGITS) and _digits_ok(body[dash + 1 :], _DIGITS):
                raise self.err(word + " is not a number: write a range as a list, like " + self.range_list(body[:dash], body[dash + 1 :]))
            raise self.err(word + " is not a number: write a whole number, like 12 or -3")
        digits = body.replace("_", "")
        if len(digits) > 1 and digits[0] == "0":
            short = digits
            while len(short) > 1 and short[0] == "0":
                short = short[1:]
            raise self.err("a number cannot start with 0: write " + sign + short + " instead of " + word)
        if _bigger(digits, _MAX_NEG if sign == "-" else _MAX_DEC):
            raise self.err(word + " is too big: numbers go from -9223372036854775808 to 9223372036854775807")
        if sign == "-":
            return -int(digits)
        return int(digits)

    def basic_string(self, is_key):
        """Text in "double quotes", with TOML's backslash escapes."""
        s = self.s
        i = self.i + 1
        out = ""
        start = i
        while True:
            c = s[i] if i < self.n else "\n"
            if c == '"':
                self.i = i + 1
                return out + s[start:i]
            if c == "\\":
                out += s[start:i]
                i = self.escape(i)
                out += self.escaped
                start = i
            elif c == "\n":
                raise self.err(self.unclosed('"', is_key))
            elif _control(c):
                raise self.err(_stray(c) + " (in text: write \\t, \\n or \\u00XX for such characters)")
            else:
                i += 1

    def escape(self, i):
        """Reads the escape whose backslash is at `i` into self.escaped; returns where it ends."""
        s = self.s
        c = s[i + 1] if i + 1 < self.n else "\n"
        if c in _ESCAPES:
            self.escaped = _ESCAPES[c]
            return i + 2
        if c == "u" or c == "U":
            size = 4 if c == "u" else 8
            digits = s[i + 2 : i + 2 + size]
            ok = len(digits) == size
            for d in digits:
                if d not in _HEXDIGITS:
                    ok = False
            if not ok:
                raise self.err(
                    "\\" + c + " must be followed by " + str(size) + " hex digits, like \\"
                    + ("u00E9" if size == 4 else "U0001F3B9")
                )
            code = int(digits, 16)
            if code > 0x10FFFF or (code >= 0xD800 and code <= 0xDFFF):
                raise self.err("\\" + c + digits + " is not a character: check the hex digits")
            self.escaped = chr(code)
            return i + 2 + size
        if c == "\n":
            raise self.err("a backslash cannot end the text: write \\\\ for a backslash")
        raise self.err(
            "\\" + c + " is not an escape: write \\\\ for a backslash,"
            " or use 'single quotes', where a backslash is just a backslash"
        )

    def literal_string(self, is_key):
        """Text in 'single quotes', taken as written."""
        s = self.s
        i = self.i + 1
        while True:
            c = s[i] if i < self.n else "\n"
            if c == "'":
                value = s[self.i + 1 : i]
                self.i = i + 1
                return value
            if c == "\n":
                raise self.err(self.unclosed("'", is_key))
            if _control(c):
                raise self.err(_stray(c) + " (in text)")
            i += 1

    def range_list(self, low, high):
        """`name = [low, ..., high]` for a range written `low-high`, every number of a short one."""
        low = int(low)
        high = int(high)
        if low > high:
            low, high = high, low
        if high - low < 16:
            items = ", ".join(str(n) for n in range(low, high + 1))
        else:
            items = str(low) + ", " + str(low + 1) + ", ... " + str(high)
        return (self.name + " = " if self.name else "") + "[" + items + "]"

    def unclosed(self, quote, is_key):
        written = self.rest(self.i + 1, "")
        # A # after a space starts the line's comment, which belongs after the closing quote.
        k = 0
        while k < len(written):
            if written[k] == "#" and k > 0 and (written[k - 1] == " " or written[k - 1] == "\t"):
                written = written[:k].strip()
                break
            k += 1
        text = quote + written + quote
        if is_key:
            return "a name in quotes needs its closing quote: write " + text + " = ..."
        if self.name:
            return "a text needs its closing quote: write " + self.name + " = " + text
        return "a text needs its closing quote: write " + text

    def array(self, path):
        """A [ ] list: values separated by commas, over several lines if need be."""
        opened = self.line
        name = self.name
        self.name = ""
        self.i += 1
        out = []  # type: list
        while True:
            before = self.line
            self.skip_blank()
            c = self.char()
            if self.at_end():
                raise self.err(self.unclosed_list(opened), opened)
            if c == "]":
                break
            if c == ",":
                if out:
                    raise self.err("two commas in a row in a list: remove one")
                raise self.err("a list cannot start with a comma: remove it")
            start = self.i
            line = self.line
            try:
                item = self.value(path + (len(out),))
            except TomlError:
                if line > before and self.statement_at(start):
                    raise self.err(self.unclosed_list(opened), opened)
                raise
            self.lines[path + (len(out),)] = line
            out.append(item)
            line = self.line
            self.skip_blank()
            c = self.char()
            if self.at_end():
                raise self.err(self.unclosed_list(opened), opened)
            if c == "]":
                break
            if c != ",":
                if self.line > line and self.statement_at(self.i):
                    raise self.err(self.unclosed_list(opened), opened)
                raise self.err(_stray(c) or "values in a list are separated by commas: write [1, 2, 3]")
            self.i += 1
        self.i += 1
        self.name = name
        return out

    def unclosed_list(self, opened):
        return "the list that starts on line " + str(opened) + " has no closing ]: end it with ]"

    def statement_at(self, i):
        """Whether the line from `i` reads as a [header] or a name = value, which no list holds."""
        text = self.rest(i, "#")
        eq = text.find("=")
        if text.startswith("[[") and text.endswith("]]"):
            text = text[2:-2]
        elif text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        elif eq > 0:
            text = text[:eq]
        else:
            return False
        letters = False
        for c in text:
            if c in _BARE:
                letters = letters or c not in _DIGITS
            elif c not in " \t.\"'":
                return False
        return letters

    def inline_table(self, path):
        """A { } table on one line: name = value pairs separated by commas."""
        opened = self.line
        outer = self.name
        self.i += 1
        out = {}  # type: dict
        self.skip_spaces()
        if self.char() == "}":
            self.i += 1
            return out
        while True:
            self.skip_spaces()
            c = self.char()
            if c == "}":
                raise self.err("a { } table cannot end with a comma: remove the comma before }")
            if c == ",":
                raise self.err("a comma with no setting before it in a { } table: remove it")
            if c == "\n" or c == "#":
                raise self.err(self.unclosed_table(opened))
            self.pair(out, path)
            self.skip_spaces()
            c = self.char()
            if c == "}":
                break
            if c == "\n" or c == "#":
                raise self.err(self.unclosed_table(opened))
            if c != ",":
                raise self.err(_stray(c) or "settings in a { } table are separated by commas: write { a = 1, b = 2 }")
            self.i += 1
        self.i += 1
        self.name = outer
        return out

    def unclosed_table(self, opened):
        return "a { } table must end on the line where it starts (line " + str(opened) + "): close it with }"
