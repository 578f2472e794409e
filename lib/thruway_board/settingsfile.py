"""The settings file on the drive: noticing a save (os.stat) and reading it into Settings."""

import gc
import os
import sys

import thruway
from thruway.routes import SETTINGS_FILE, SettingsError, default_settings

# The settings reader (thruway.settings and the TOML reader under it) takes about 34 KB of the
# board's heap as bytecode: more than a third of what is left once the firmware runs. It is
# needed only while a file is read, so it is imported for a read and dropped after it; from .mpy
# the import takes about 75 ms on the board (docs/firmware.md, measured on the rig).
# (On a computer nothing is dropped: the host's tools and tests keep one reader.)
READER_MODULES = ("settings", "tomlreader", "text")
_DROP_READER = sys.implementation.name != "cpython"


def forget_reader():
    """Drop the settings reader's modules, so that the collector can take their bytecode back."""
    if not _DROP_READER:
        return
    for name in READER_MODULES:
        sys.modules.pop("thruway." + name, None)
        try:
            delattr(thruway, name)
        except (AttributeError, KeyError):  # MicroPython raises KeyError
            pass
    gc.collect()


def _call(between):
    """Call `between` (SettingsFile.load's) if there is one."""
    if between is not None:
        between()


MISSING = -1
# The largest thruway.toml the board is known to hold, measured on the rig (CircuitPython
# 10.2.1, docs/rig.md) with files of routes alone, the densest kind: read at power-up (code.py
# reads the file first), 160 routes in 10,807 bytes loaded and 192 routes in 12,853 bytes did
# not. Comments cost the reader far less than routes, so this is a floor. `thruway check` warns
# above it.
SETTINGS_MOST_BYTES = 10 * 1024


class SettingsFile:
    """`thruway.toml` at `path`. `stat()` gives (size, mtime), cheap enough to poll a few
    times a second; `read()`, after a stat(), gives (settings, errors): the settings to run, or
    None and the error lines (`thruway.toml:LINE: ...`) when the file cannot be used. No file
    means the documented default routing (a plain merger)."""

    def __init__(self, path=SETTINGS_FILE, name=SETTINGS_FILE):
        self.path = path
        self.name = name  # how errors name the file
        self.present = False  # whether the last stat() found the file
        self.out_of_memory = False  # whether the last read() ran out of the board's memory

    def stat(self):
        """(size, mtime) of the file, or (MISSING, MISSING) when there is none."""
        try:
            st = os.stat(self.path)
        except OSError:
            self.present = False
            return MISSING, MISSING
        self.present = True
        return st[6], int(st[8])

    def read(self, between=None):
        """(settings, []) or (None, error lines). Never raises for a bad or unreadable file: the
        caller keeps its last good routing and shows the lines. `between`: see load()."""
        self.out_of_memory = False
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError as e:
            # The loop calls stat() first: a file it saw that cannot be read (being written, a
            # drive error) keeps the routing; no file at all is the default routing.
            if not self.present:
                return default_settings(), []
            return None, ["%s:1: the board could not read the file (%s): save it again" % (self.name, e)]
        except MemoryError:
            return None, [self.too_big()]
        _call(between)
        try:
            return self.load(data, between), []
        except SettingsError as e:
            return None, list(e.errors)
        except MemoryError:
            return None, [self.too_big()]
        except Exception as e:  # RuntimeError: lists nested deeper than the board's recursion limit
            return None, ["%s:1: the board could not read this file (%s: %s): please report it" % (self.name, type(e).__name__, e)]
        finally:
            forget_reader()

    def load(self, data, between=None):
        """Settings from the file's bytes, as thruway.settings.decode() then load() read them
        (so that the board and `thruway check` give the same words), in three steps with only
        the module each needs in memory: decode, parse (the TOML reader), check (the settings
        checker). On the board this leaves about 20 KB more for a large file's parse.
        `between`, if given, is called between the steps and often within them (at every line
        parsed, before each route checked): the running box serves MIDI there."""
        from thruway.text import decode

        text = decode(data, self.name)
        del data, decode
        _call(between)
        forget_reader()
        _call(between)
        from thruway.tomlreader import TomlError, parse

        _call(between)
        try:
            doc, lines = parse(text, gc.collect, between)
        except TomlError as e:
            raise SettingsError([e.where(self.name)])
        # The lines of the keys as plain dicts: the Lines object would keep the reader's
        # every function (all of its bytecode) on the heap through the check.
        lines = lines.tables
        del text, parse, TomlError
        forget_reader()
        _call(between)
        from thruway.settings import from_document

        _call(between)
        return from_document(doc, lines, self.name, between)

    def too_big(self):
        self.out_of_memory = True
        return "%s:1: too big for the board's memory: make it shorter" % self.name
