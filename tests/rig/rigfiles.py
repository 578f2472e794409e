"""Every settings file the test suite has, gathered for the board: corpus, mistakes, guide examples, edge cases."""

import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "toml", "corpus")


def _module(rel):
    spec = importlib.util.spec_from_file_location("_rig_" + re.sub(r"\W", "_", rel), os.path.join(ROOT, rel))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def studio():
    with open(os.path.join(ROOT, "thruway.toml"), "rb") as f:
        return f.read()


def many_routes(n=64, studio=False):
    """A file with `n` routes: each input channel to its own output, USB and DIN both ways.
    `studio`: wired as the shipped thruway.toml's box (in2's clock to out4 only), where the
    Keys' channels go to out2 rather than out1 (so a file saved over the studio's moves them)."""
    outputs = ['out1 = "Synth A"', 'out3 = "Synth B"', 'out2 = "Synth C"']
    clock = ["[clock]", 'source = "Sequencer"', 'to = ["Synth B"]']
    if studio:
        outputs = ['out2 = "Synth A"', 'out3 = "Synth B"', 'out1 = "Synth C"', 'out4 = "Analog Rytm"']
        clock = ["[clock]", 'source = "Sequencer"', 'to = ["Analog Rytm"]']
    lines = ['# %d routes: the most a studio file is expected to hold' % n,
             "[inputs]", 'in1 = "Keys"', 'in2 = "Sequencer"', "[outputs]"] + outputs
    plan = [("Keys", "Synth A"), ("Sequencer", "Synth B"), ("usb", "Synth C"), ("Keys", "usb")]
    k = 0
    while k < n:
        src, dst = plan[(k // 16) % len(plan)]
        ch = k % 16 + 1
        lines += ["", "[[route]]  # route %d" % (k + 1), 'from = "%s"' % src, 'to = "%s"' % dst, "channels = %d" % ch]
        k += 1
    lines += [""] + clock
    return ("\n".join(lines) + "\n").encode()


def guide_examples():
    mod = _module("tests/install/test_install_guide.py")
    return [(where, text.encode("utf-8")) for where, text, _ in mod.examples()]


def corpus(every=8):
    """Every `every`th file of the TOML corpus (all of it runs under MicroPython in
    tests/settings/test_settings_micropython.py; on the board, where a read takes a second of
    emulated time, a sample of each kind)."""
    found = []
    for kind in ("valid", "invalid", "unsupported"):
        folder = os.path.join(CORPUS, kind)
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
        for name in names[::every]:
            with open(os.path.join(folder, name), "rb") as f:
                found.append(("corpus/%s/%s" % (kind, name), f.read()))
    return found


def error_corpus():
    """The settings error corpus: a file for each kind of mistake a musician makes."""
    folder = os.path.join(ROOT, "tests", "settings", "errors")
    found = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                found.append(("errors/" + name, f.read()))
    return found


def mistakes():
    """The settings mistakes tests/settings/test_settings.py states, each a whole file."""
    mod = _module("tests/settings/test_settings.py")
    marks = [m for m in mod.test_mistake_reported_with_line_and_advice.pytestmark if m.name == "parametrize"]
    cases = marks[0].args[1]
    return [("mistake %d" % k, (mod.HEAD + body).encode()) for k, (body, _line, _frag) in enumerate(cases)]


def edge_cases():
    """Files a musician's computer makes: other line ends, a byte-order mark, not UTF-8, empty."""
    s = studio()
    return [
        ("empty file", b""),
        ("only comments", b"# nothing here yet\n"),
        ("CR line ends (old Mac)", s.replace(b"\n", b"\r")),
        ("CRLF line ends (Windows)", s.replace(b"\n", b"\r\n")),
        ("UTF-8 byte-order mark", b"\xef\xbb\xbf" + s),
        ("not UTF-8 (Latin-1)", b'[inputs]\nin1 = "Cl\xe9"\n'),
        ("name used twice", b'[inputs]\nin1 = "KeyStep"\nin2 = "KeyStep"\n'),
    ]


def everything():
    """[(label, bytes)] of every file, in a fixed order, each text once (the guide quotes the
    shipped file whole: the board reads it once)."""
    # The 64-route file loads in tests/rig/test_rig_firmware.py (power-up) and
    # test_rig_apply_live.py (saved while playing); here a sample of the mistakes and of the TOML
    # corpus (all of both run under MicroPython in tests/settings and tests/toml) keeps the boot short.
    found = ([("the shipped thruway.toml", studio())] + guide_examples() + edge_cases()
             + error_corpus() + mistakes()[::4] + corpus(every=16))
    seen = set()
    once = []
    for label, data in found:
        if data not in seen:
            seen.add(data)
            once.append((label, data))
    return once


def every_feature():
    """The musician's features at once, for this studio, from docs/guide.md's recipes (the
    file tests/core/every-feature-scenes.toml, whose tables the core's tests check too)."""
    with open(os.path.join(ROOT, "tests", "core", "every-feature-scenes.toml"), "rb") as f:
        return f.read()


# The box as master (the guide's "The box as master when the A4 is off"), with notes through
# both DIN inputs: the KeyStep to the JU-06A, the A4's CV track to the Typhon, which follows the
# box's clock as the Rytm does.
