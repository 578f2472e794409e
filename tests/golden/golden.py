"""Golden replay files: read one, run it through the core, and compare with what it expects.

Runs unchanged on CPython and MicroPython, so the same files check the core on both.

A golden file is an annotated hexdump, one MIDI rule per file:

    # Rule: running status repeats the last channel status.
    @settings                 TOML until the next directive (none: the default settings)
    @in1                      hex bytes for an input (in1, in2, usb) until the next directive
    90 3C 64    # Note On C4
    @drain out1 2             give out1 room for 2 bytes now (no output named: drain all, fully)
    @at 120                   the time (ms) for what follows
    @tick 450                 the time becomes 450 ms and the core's timeouts run
    @apply                    TOML until the next directive: new settings, applied here
    @panic                    the panic button
    @expect out1              hex bytes out1 must have sent, all drains together
    @count in1.stray 1        a counter's value at the end (see Core.stats)

Each input block is fed whole, byte by byte, or in seeded random chunks; all three must give
the same output, since the outputs are only drained at the directives.
"""

from thruway.core import Core
from thruway.settings import load, default_settings
from thruway.midi import INPUT_IDS, OUTPUT_IDS

MODES = ("whole", "bytes", "chunks")
BIG = 1 << 16


class Golden:
    def __init__(self, name):
        self.name = name
        self.rule = ""
        self.steps = []  # (directive, argument)
        self.expect = {}  # output id -> bytearray
        self.counts = []  # (port id, counter, value, line)
        self.settings_text = None


def parse(text, name="golden"):
    """A Golden from the text of a golden file; ValueError names the line of a mistake."""
    g = Golden(name)
    mode = None  # what the lines under the current directive are
    arg = None
    block = []

    def close():
        if mode == "settings":
            g.settings_text = "\n".join(block)
        elif mode == "apply":
            g.steps.append(("apply", "\n".join(block)))
        elif mode == "in":
            g.steps.append(("in", (arg, bytes(_hex(block, name)))))

    lineno = 0
    for raw in text.split("\n"):
        lineno += 1
        line = raw.rstrip()
        if lineno <= 3 and line.startswith("# Rule:") and not g.rule:
            g.rule = line[7:].strip()
        if not line.startswith("@"):
            if mode in ("settings", "apply"):
                block.append(line)
            elif mode in ("in", "expect"):
                block.append((lineno, line))
            elif line.strip() and not line.strip().startswith("#"):
                raise ValueError("%s:%d: line outside any directive" % (name, lineno))
            continue
        close()
        if mode == "expect":
            g.expect[arg] = bytearray(_hex(block, name))
        words = line[1:].split("#")[0].split()
        if not words:
            raise ValueError("%s:%d: empty directive" % (name, lineno))
        word = words[0]
        mode = None
        block = []
        if word == "settings":
            mode = "settings"
        elif word == "apply":
            mode = "apply"
        elif word in INPUT_IDS:
            mode = "in"
            arg = INPUT_IDS.index(word)
        elif word == "expect":
            if len(words) != 2 or words[1] not in OUTPUT_IDS:
                raise ValueError("%s:%d: @expect takes an output id" % (name, lineno))
            mode = "expect"
            arg = words[1]
        elif word == "drain":
            if len(words) == 1:
                g.steps.append(("drain", (-1, BIG)))
            else:
                if words[1] not in OUTPUT_IDS:
                    raise ValueError("%s:%d: @drain takes an output id" % (name, lineno))
                room = int(words[2]) if len(words) > 2 else BIG
                g.steps.append(("drain", (OUTPUT_IDS.index(words[1]), room)))
        elif word == "at":
            g.steps.append(("at", int(words[1])))
        elif word == "tick":
            g.steps.append(("tick", int(words[1])))
        elif word == "panic":
            g.steps.append(("panic", None))
        elif word == "count":
            port, counter = words[1].split(".")
            g.counts.append((port, counter, int(words[2]), lineno))
        else:
            raise ValueError("%s:%d: unknown directive @%s" % (name, lineno, word))
    close()
    if mode == "expect":
        g.expect[arg] = bytearray(_hex(block, name))
    if not g.rule:
        raise ValueError("%s: a golden file opens with a '# Rule:' line" % name)
    return g


def _hex(block, name):
    out = []
    for lineno, line in block:
        text = line.split("#")[0]
        for word in text.split():
            if len(word) != 2:
                raise ValueError("%s:%d: %r is not a hex byte" % (name, lineno, word))
            try:
                out.append(int(word, 16))
            except ValueError:
                raise ValueError("%s:%d: %r is not a hex byte" % (name, lineno, word))
    return out


class Chunks:
    """A small seeded generator of chunk sizes (the same on every Python)."""

    def __init__(self, seed):
        self.state = (seed * 2654435761 + 1) & 0xFFFFFFFF

    def next(self, largest):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return 1 + (self.state >> 8) % largest


def run(g, mode, seed=1):
    """Run a golden file; returns (outputs as {id: bytearray}, core)."""
    settings = load(g.settings_text, g.name) if g.settings_text is not None else default_settings()
    core = Core(settings)
    now = 0
    sent = {}
    for out_id in OUTPUT_IDS:
        sent[out_id] = bytearray()
    buf = bytearray(BIG)
    chunks = Chunks(seed)

    def drain(out, room):
        n = core.transmit(out, buf, room)
        sent[OUTPUT_IDS[out]].extend(buf[:n])

    for kind, arg in g.steps:
        if kind == "in":
            port, data = arg
            if mode == "whole":
                core.receive(port, data, len(data), now)
            else:
                i = 0
                while i < len(data):
                    k = 1 if mode == "bytes" else chunks.next(7)
                    piece = data[i : i + k]
                    core.receive(port, piece, len(piece), now)
                    i += k
        elif kind == "drain":
            out, room = arg
            if out >= 0:
                drain(out, room)
            else:
                for o in range(len(OUTPUT_IDS)):
                    drain(o, room)
        elif kind == "at":
            now = arg
        elif kind == "tick":
            now = arg
            core.tick(now)
        elif kind == "apply":
            core.apply(load(arg, g.name))
        elif kind == "panic":
            core.panic()
    for o in range(len(OUTPUT_IDS)):
        drain(o, BIG)
    return sent, core


def hexs(data):
    return " ".join("%02X" % b for b in data)


def check(g, seed=1):
    """Every way of feeding `g` gives what it expects; returns a list of failures (empty: pass)."""
    failures = []
    first = None
    for mode in MODES:
        sent, core = run(g, mode, seed)
        for out_id in OUTPUT_IDS:
            want = g.expect.get(out_id, bytearray())
            if sent[out_id] != want:
                failures.append("%s fed %s: %s sent %s, expected %s" % (g.name, mode, out_id, hexs(sent[out_id]), hexs(want)))
        stats = core.stats()
        for port, counter, value, lineno in g.counts:
            got = stats["inputs"].get(port, {}).get(counter)
            if got is None:
                got = stats["outputs"].get(port, {}).get(counter)
            if got != value:
                failures.append("%s:%d fed %s: %s.%s is %r, expected %d" % (g.name, lineno, mode, port, counter, got, value))
        if first is None:
            first = sent
        elif sent != first:
            failures.append("%s: feeding %s gave other output than feeding whole" % (g.name, mode))
    return failures
