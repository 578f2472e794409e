"""Reads settings files as the board does (SettingsFile.read) and prints each answer as one JSON line, under MicroPython or CPython."""

# Run by test_settings_micropython.py under MicroPython's WebAssembly build: argv[1] is a file
# listing the settings files, one path a line. For each it prints [path, answer..., document...]
# (see answer() and document()); the test compares that with what `thruway check` says on CPython.

import json
import sys

from thruway.settings import SettingsError, decode, describe
from thruway.tomlreader import TomlError, parse


def answer(settings, errors):
    """The box's whole answer for a file, as lines of text: its error lines, or the settings."""
    if settings is None:
        return ["error"] + list(errors)
    out = ["ok", "inputs " + " | ".join(settings.input_names), "outputs " + " | ".join(settings.output_names)]
    for r in settings.routes:
        out.append("route %d %d %d %d %d line %d" % (r.source, r.outputs, r.channels, r.channel, r.types, r.line))
    out.append(
        "clock %d %d running_status %d sysex_timeout_ms %d active_sensing %s"
        % (settings.clock_source, settings.clock_outputs, settings.running_status, settings.sysex_timeout_ms, settings.active_sensing)
    )
    return out + describe(settings)


def canon(value):
    """A value of a parsed document as text, the same on every Python: dict keys sorted, every
    character outside printable ASCII as \\uXXXX or \\UXXXXXXXX."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        out = '"'
        for c in value:
            n = ord(c)
            if 32 <= n < 127 and c != '"' and c != "\\":
                out += c
            elif n < 0x10000:
                out += "\\u%04x" % n
            else:
                out += "\\U%08x" % n
        return out + '"'
    if isinstance(value, list):
        return "[" + ", ".join(canon(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(canon(v) for v in value) + ")"
    return "{" + ", ".join(canon(k) + ": " + canon(value[k]) for k in sorted(value)) + "}"


def document(data):
    """What the TOML reader makes of the file's bytes: its error, or the document and every line."""
    try:
        doc, lines = parse(decode(data))
    except SettingsError as e:
        return ["not utf-8"] + e.errors
    except TomlError as e:
        return ["toml error %d %s" % (e.line, e.message)]
    return ["document " + canon(doc)] + sorted("line %s %d" % (canon(path), n) for path, n in lines.items())


def main(listing):
    from thruway_board.settingsfile import SettingsFile

    with open(listing) as f:
        paths = [p for p in f.read().split("\n") if p]
    for path in paths:
        board = SettingsFile(path, path)
        board.stat()
        settings, errors = board.read()
        with open(path, "rb") as f:
            data = f.read()
        print(json.dumps([path] + answer(settings, errors) + document(data)))


if __name__ == "__main__":
    main(sys.argv[1])
