"""The `thruway` command: check settings files and replay captured MIDI through the core."""

import argparse
import os
import sys

from thruway import __version__
from thruway.midi import INPUT_IDS, OUTPUT_IDS
from thruway.settings import SettingsError, decode, describe, load

from thruway_host.captures import CaptureError, format_timed_text, read_capture
from thruway_host.replay import Replay


class UsageError(Exception):
    """The command line asks for something that cannot be done as written: exit status 2."""


def read_settings(path):
    """Settings from a file, read as bytes and decoded as the board does (settings.decode), checked
    by the core's reader and, on the host, by tomllib too.

    Raises SettingsError with every problem as `FILE:LINE: ...`."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SettingsError(["%s: cannot read it: %s" % (path, e.strerror or e)])
    text = decode(data, path)
    settings = load(text, path)
    _agree_with_tomllib(text, path)
    return settings


def _agree_with_tomllib(text, path):
    """The box's reader and the standard one must read a file the same way. TOML ends lines with
    LF or CR LF; the box also takes a lone CR (a file saved on an old Mac), so tomllib gets the
    text with its line ends made LF."""
    import tomllib

    from thruway.tomlreader import parse

    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        real = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(["%s: the box accepts this file but standard TOML does not (%s): please report it" % (path, e)])
    ours, _ = parse(text)
    if ours != real:
        raise SettingsError(["%s: the box reads this file differently from standard TOML: please report it" % path])


def cmd_check(args):
    if not os.path.exists(args.file):
        print(
            "%s: no such file. Without a thruway.toml the box is a plain merger: both DIN inputs go to every"
            " output, USB in to the four DIN outputs, and the clock follows the input that last sent Start" % args.file,
            file=sys.stderr,
        )
        return 1
    try:
        settings = read_settings(args.file)
    except SettingsError as e:
        for line in e.errors:
            print(line, file=sys.stderr)
        n = len(e.errors)
        print("%s: %d error%s; the box keeps its last good settings until this is fixed" % (args.file, n, "" if n == 1 else "s"), file=sys.stderr)
        return 1
    print("%s: ok" % args.file)
    names = ["%s = %s" % (INPUT_IDS[i], settings.input_names[i]) for i in range(len(INPUT_IDS)) if settings.input_names[i] != INPUT_IDS[i]]
    names += ["%s = %s" % (OUTPUT_IDS[i], settings.output_names[i]) for i in range(len(OUTPUT_IDS)) if settings.output_names[i] != OUTPUT_IDS[i]]
    if names:
        print("ports: " + ", ".join(names))
    for line in describe(settings):
        print("  " + line)
    from thruway_host.checkwarn import settings_warnings

    with open(args.file, "rb") as f:
        data = f.read()
    for line in settings_warnings(settings, data.decode("utf-8", "replace"), len(data), args.file):
        print(line)
    return 0


def resolve_input(word, settings):
    folded = word.strip().lower()
    for i, port_id in enumerate(INPUT_IDS):
        if folded in (port_id, settings.input_names[i].lower()):
            return i
    choices = ", ".join(
        port_id + ("" if settings.input_names[i] == port_id else " (%s)" % settings.input_names[i]) for i, port_id in enumerate(INPUT_IDS)
    )
    raise UsageError("thruway: unknown input %r: use one of %s" % (word, choices))


def settings_or_default(path):
    """The settings in `path`, or the box's defaults when no file is named (SettingsError)."""
    if path:
        return read_settings(path)
    from thruway.settings import default_settings

    return default_settings()


def print_errors(error):
    for line in error.errors:
        print(line, file=sys.stderr)


def read_input_captures(specs, settings, command):
    """{input port: events} from `--in PORT=CAPTURE` words (CaptureError for a bad file)."""
    captures = {}
    for spec in specs:
        if "=" not in spec:
            raise UsageError("thruway %s: --in takes PORT=CAPTURE, such as --in KeyStep=keystep.txt" % command)
        word, path = spec.split("=", 1)
        if not path.strip():
            raise UsageError("thruway %s: --in %s names no capture file: write --in %sFILE" % (command, spec, spec))
        port = resolve_input(word, settings)
        if port in captures:
            raise UsageError("thruway %s: input %s is given twice" % (command, INPUT_IDS[port]))
        warnings = []
        captures[port] = read_capture(path, warnings)
        for line in warnings:
            print(line, file=sys.stderr)
    return captures


def cmd_replay(args):
    try:
        settings = settings_or_default(args.settings)
        captures = read_input_captures(args.inputs, settings, "replay")
    except SettingsError as e:
        print_errors(e)
        return 1
    except CaptureError as e:
        print(e, file=sys.stderr)
        return 1
    replay = Replay(settings)
    sent = replay.run(captures)
    stats = replay.core.stats()
    if args.out:
        try:
            write_outputs(args.out, sent, settings, replay.sources)
        except OSError as e:
            print("thruway replay: cannot write the outputs into %s: %s" % (args.out, e.strerror or e), file=sys.stderr)
            return 1
        print("wrote %s/{%s}.bin and .txt" % (args.out, ",".join(OUTPUT_IDS)))
    else:
        for o, port_id in enumerate(OUTPUT_IDS):
            name = settings.output_names[o]
            title = port_id if name == port_id else "%s (%s)" % (port_id, name)
            print("== %s: %d bytes" % (title, len(sent[o])))
            text = format_timed_text(sent[o], sources=replay.sources[o], names=settings.input_names)
            lines = text.splitlines()
            if args.limit and len(lines) > args.limit:
                lines = lines[: args.limit] + ["... %d more lines (--limit 0 shows all)" % (len(lines) - args.limit)]
            for line in lines:
                print("  " + line)
    _print_problems(stats, settings)
    return 0


def write_outputs(folder, sent, settings, sources):
    """DIR/<id>.bin and DIR/<id>.txt for each output (OSError when the folder cannot be made or
    written, or is a file)."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise OSError(0, "it is a file, not a folder")
    os.makedirs(folder, exist_ok=True)
    for o, port_id in enumerate(OUTPUT_IDS):
        with open(os.path.join(folder, port_id + ".bin"), "wb") as f:
            f.write(bytes(b for _, b in sent[o]))
        with open(os.path.join(folder, port_id + ".txt"), "w", encoding="utf-8") as f:
            f.write("# %s (%s): %d bytes, times in ms\n" % (port_id, settings.output_names[o], len(sent[o])))
            f.write(format_timed_text(sent[o], sources=sources[o], names=settings.input_names))


def _print_problems(stats, settings):
    """Counters that are not zero, in a line each and in words, so nothing is dropped silently."""
    from thruway_host.counters import problem_lines

    lines = problem_lines(stats, settings)
    if lines:
        print("counters:")
        for line in lines:
            print("  " + line)


def line_count(text):
    """A --limit: a whole number, 0 or more."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError("%r is not a number of lines: give 0 (all) or more" % text)
    return n


def build_parser():
    p = argparse.ArgumentParser(prog="thruway", description="Thruway MIDI merger: settings checker and bench tools.")
    p.add_argument("--version", action="version", version="thruway " + __version__)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check a settings file and say what it routes where")
    c.add_argument("file")
    c.set_defaults(func=cmd_check)
    r = sub.add_parser("replay", help="replay captured inputs through the core at wire speed")
    r.add_argument("--settings", help="settings file (default: the box's defaults)")
    r.add_argument("--in", dest="inputs", action="append", default=[], metavar="PORT=CAPTURE", help="input id or name = .bin/.syx/.txt/.mid")
    r.add_argument("--out", help="folder for <output>.bin and <output>.txt")
    r.add_argument("--limit", type=line_count, default=40, help="lines shown per output without --out (0: all)")
    r.set_defaults(func=cmd_replay)
    for name in COMMAND_MODULES:
        module = _command_module(name)
        if module is not None:
            module.add_parser(sub)
    return p


# Further subcommands live in modules of their own, each with add_parser(subparsers) that
# registers its parser and sets `func` (taking the parsed args, returning the exit status).
COMMAND_MODULES = ("sim", "install", "monitor", "run")


def _command_module(name):
    import importlib

    full = "thruway_host.cmd_" + name
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as e:
        if e.name == full:
            return None
        raise


def main(argv=None):
    """Run one subcommand; its exit status: 0 done, 1 what was asked failed, 2 usage. Never a
    traceback for what a user can do: a line on stderr says what went wrong."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "replay" and not args.inputs:
            raise UsageError("thruway replay: give at least one --in PORT=CAPTURE")
        status = args.func(args)
        sys.stdout.flush()  # a reader that went away (`| head`) is found here, not at exit
        return status
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of the output closed it (`thruway check thruway.toml | head -1`): write
        # nothing more, and say why the rest is missing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        try:
            print("thruway: the output was closed before all of it was written", file=sys.stderr)
        except OSError:
            pass
        return 1


if __name__ == "__main__":
    sys.exit(main())
