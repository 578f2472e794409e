"""A settings file the board cannot use, for whatever reason, is reported and never raises: the box keeps its last good routing."""

import pytest

from thruway import settings as settings_module
from thruway.settings import describe, load
from thruway_board import settingsfile
from thruway_board.settingsfile import MISSING, SettingsFile

GOOD = b'[[route]]\nfrom = "in1"\nto = "out1"\n'


def read(tmp_path, data):
    path = tmp_path / "thruway.toml"
    if data is not None:
        path.write_bytes(data)
    f = SettingsFile(str(path), "thruway.toml")
    f.stat()
    return f.read()


def test_a_good_file_gives_its_settings(tmp_path):
    """The bytes on the drive give the settings load() gives for their text, whatever the line ends."""
    for end in (b"\n", b"\r\n", b"\r"):
        settings, errors = read(tmp_path, GOOD.replace(b"\n", end))
        assert errors == [] and describe(settings) == describe(load(GOOD.decode()))


def test_no_file_is_the_default_routing(tmp_path):
    """No thruway.toml: the documented plain merger, and no error."""
    settings, errors = read(tmp_path, None)
    assert errors == [] and len(settings.routes) == 3


def test_mistakes_are_lines_not_exceptions(tmp_path):
    """A mistake (SettingsError, built with super().__init__) comes back as its lines."""
    settings, errors = read(tmp_path, b'[[route]]\nfrom = "in1"\nto = "out9"\n')
    assert settings is None
    assert errors == ['thruway.toml:3: unknown output "out9": did you mean out1? (out1, out2, out3, out4, usb)']


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    """Latin-1 text (an old editor's "Western") is refused at its first line that is not UTF-8."""
    settings, errors = read(tmp_path, b'[inputs]\r\nin1 = "Gr\xfc\xdfe"\r\n')
    assert settings is None
    assert errors == ["thruway.toml:2: this line is not UTF-8 text: save the file as plain text (UTF-8)"]


def test_a_file_that_is_there_but_cannot_be_read_keeps_the_routing(tmp_path):
    """A file the drive shows but cannot read (here a folder by that name) is an error, not the
    default routing: the musician's routing stays while the light says so."""
    (tmp_path / "thruway.toml").mkdir()
    f = SettingsFile(str(tmp_path / "thruway.toml"), "thruway.toml")
    assert f.stat()[0] != MISSING
    settings, errors = f.read()
    assert settings is None and len(errors) == 1
    assert errors[0].startswith("thruway.toml:1: the board could not read the file (") and errors[0].endswith("save it again")


@pytest.mark.parametrize("where", ["open", "from_document"])
def test_out_of_memory_while_reading_or_loading_is_reported(tmp_path, monkeypatch, where):
    """MemoryError while the file is read or while it is loaded: `too big`, never a crash."""

    def no_memory(*args, **kwargs):
        raise MemoryError("memory allocation failed, allocating 1784 bytes")

    # The reader is imported for each read: patch it where read() takes it from.
    monkeypatch.setattr(settingsfile if where == "open" else settings_module, where, no_memory, raising=where != "open")
    settings, errors = read(tmp_path, GOOD)
    assert settings is None
    assert errors == ["thruway.toml:1: too big for the board's memory: make it shorter"]


def test_anything_else_the_reader_raises_is_reported(tmp_path, monkeypatch):
    """Any other exception (a board's recursion limit, say) is reported too, never raised."""

    def too_deep(*args, **kwargs):
        raise RuntimeError("maximum recursion depth exceeded")

    monkeypatch.setattr(settings_module, "from_document", too_deep)
    settings, errors = read(tmp_path, GOOD)
    assert settings is None
    assert errors == ["thruway.toml:1: the board could not read this file (RuntimeError: maximum recursion depth exceeded): please report it"]
