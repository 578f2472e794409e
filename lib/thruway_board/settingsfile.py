"""The settings file on the drive: noticing a save (os.stat) and reading it into Settings."""

import os

from thruway.settings import SETTINGS_FILE, SettingsError, default_settings, load

MISSING = -1


class SettingsFile:
    """`thruway.toml` at `path`. `stat()` gives (size, mtime), cheap enough to poll a few
    times a second; `read()` gives (settings, errors): the settings to run, or None and the
    error lines (`thruway.toml:LINE: ...`) when the file cannot be used. No file means the
    documented default routing (a plain merger)."""

    def __init__(self, path=SETTINGS_FILE, name=SETTINGS_FILE):
        self.path = path
        self.name = name  # how errors name the file

    def stat(self):
        """(size, mtime) of the file, or (MISSING, MISSING) when there is none."""
        try:
            st = os.stat(self.path)
        except OSError:
            return MISSING, MISSING
        return st[6], int(st[8])

    def read(self):
        """(settings, []) or (None, error lines). Never raises for a bad or unreadable file."""
        try:
            with open(self.path) as f:
                text = f.read()
        except OSError:
            return default_settings(), []
        except ValueError:  # UnicodeError: not UTF-8 text
            return None, ["%s:1: this is not a text file (UTF-8): save it as plain text" % self.name]
        try:
            return load(text, self.name), []
        except SettingsError as e:
            return None, list(e.errors)
        except MemoryError:
            return None, ["%s:1: too big for the board's memory: make it shorter" % self.name]
