"""One reader, two machines, one answer: every settings file the tests have reads the same under MicroPython (the board's reader) as in `thruway check`."""

import os
import random
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thruway.settings import SettingsError
from thruway_host.cli import read_settings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "toml"))
sys.path.insert(0, os.path.join(ROOT, "tests", "install"))

from read_settings_mp import answer, document  # noqa: E402
from test_install_guide import examples  # noqa: E402
from tomlgen import Writer, documents  # noqa: E402

SCRIPT = os.path.join(HERE, "read_settings_mp.py")
CORPUS = os.path.join(ROOT, "tests", "toml", "corpus")
ERRORS = os.path.join(HERE, "errors")
EXAMPLES = os.path.join(ROOT, "examples")
SHIPPED = os.path.join(ROOT, "thruway.toml")

# Bytes a damaged file may gain: TOML's own characters, line ends of every kind, a byte order
# mark, curly quotes, control characters, and UTF-8 that is broken (a lone byte, a cut sequence,
# an overlong form, an encoded surrogate, a code point past U+10FFFF).
PIECES = [c.encode() for c in "[]{}=.,#\"' \t_-+:0123456789abefinotuxEIN\u00e9\u201c\x00\x7f"] + [
    b"\n", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff", b"\xe2\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b'"KeyStep"', b"[[route]]\n", b"in1", b"out9", b"17",
]


def repository_files():
    """Every settings file in the repository: the TOML corpus, the settings error corpus, the
    shipped thruway.toml and the examples."""
    found = [SHIPPED]
    for top in (CORPUS, ERRORS, EXAMPLES):
        for folder, _, names in sorted(os.walk(top)):
            found += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".toml")]
    return found


def generated_texts(count):
    """`count` documents of the TOML subset written out by tomlgen's Writer (fixed examples)."""
    texts = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents, st.randoms(use_true_random=False))
    def collect(doc, rnd):
        texts.append(Writer(rnd).write(doc))

    collect()
    return texts


def damaged(data, rnd):
    """The bytes with one to four pieces deleted, changed or inserted, or cut short."""
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randint(0, len(data))
        how = rnd.choice(["delete", "change", "insert", "insert", "cut"])
        if how == "delete":
            data = data[:at] + data[at + rnd.randint(1, 3) :]
        elif how == "change":
            data = data[:at] + rnd.choice(PIECES) + data[at + 1 :]
        elif how == "insert":
            data = data[:at] + rnd.choice(PIECES) + data[at:]
        else:
            data = data[:at]
    return data


def line_end_variants(data):
    """The same file saved with CR LF (Windows), with CR (an old Mac) and with a byte order mark."""
    lf = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return [lf.replace(b"\n", b"\r\n"), lf.replace(b"\n", b"\r"), b"\xef\xbb\xbf" + data]


def all_files(tmp_path):
    """The repository's files, then in tmp_path: the guide's examples, generated documents, a
    fuzzed sample, a list nested deep, and variants: every settings file (the error corpus, the
    guide's, the shipped one, examples/, the valid TOML corpus) with CR LF, CR and a BOM, the
    TOML corpus's mistakes with CR (their lines must count the same)."""
    paths = repository_files()
    made = [("guide", text.encode()) for _, text, _ in examples()]
    made += [("generated", text.encode()) for text in generated_texts(25)]
    originals = [open(p, "rb").read() for p in paths] + [data for _, data in made]
    rnd = random.Random(9)
    made += [("fuzzed", damaged(rnd.choice(originals), rnd)) for _ in range(200)]
    made.append(("nested", b"[clock]\nto = " + b"[" * 40 + b"]" * 40 + b"\n"))
    mistakes = os.path.join(CORPUS, "invalid"), os.path.join(CORPUS, "unsupported")
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        if path.startswith(mistakes):
            made.append(("variant", line_end_variants(data)[1]))
        else:
            made += [("variant", variant) for variant in line_end_variants(data)]
    made += [("variant", variant) for kind, data in made if kind == "guide" for variant in line_end_variants(data)]
    for i, (kind, data) in enumerate(made):
        path = tmp_path / ("%s-%04d.toml" % (kind, i))
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def what_check_says(path):
    """`thruway check`'s answer for a file, in the script's words."""
    try:
        found = read_settings(path)
    except SettingsError as e:
        return answer(None, e.errors)
    return answer(found, [])


def test_every_settings_file_reads_the_same_on_the_board_and_in_check(micropython, tmp_path):
    """Each settings file the tests have -- the TOML corpus, the settings error corpus, the
    guide's examples, the shipped file and examples/, generated documents, a fuzzed sample, and
    every one of them again with CR LF, CR and a byte order mark -- gives, read by the board's
    SettingsFile under MicroPython, the same settings or the same error lines, word for word,
    as `thruway check` gives on CPython; and the TOML reader gives the same document and lines.
    Most have mistakes, so MicroPython builds SettingsError and formats every kind of message."""
    import json

    paths = all_files(tmp_path)
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    data = [str(tmp_path), CORPUS, ERRORS, EXAMPLES, SHIPPED]
    out = micropython(SCRIPT, str(listing), paths=("lib",), data=data)
    board = {}
    for row in out.split("\n"):  # (not splitlines(): names may hold U+2028 or U+0085, printed as they are)
        if not row:
            continue
        record = json.loads(row)
        board[record[0]] = record[1:]
    assert sorted(board) == sorted(paths)
    differ = []
    kinds = {"ok": 0, "error": 0}
    for path in paths:
        with open(path, "rb") as f:
            expected = what_check_says(path) + document(f.read())
        kinds[expected[0]] += 1
        if board[path] != expected:
            differ.append("%s\n  board: %r\n  check: %r" % (path, board[path], expected))
    assert not differ, "%d of %d files read differently:\n%s" % (len(differ), len(paths), "\n".join(differ[:5]))
    assert kinds["ok"] >= 50 and kinds["error"] >= 300, kinds
