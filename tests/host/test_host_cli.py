"""The `thruway` command: check settings files, replay captures at wire speed."""

import os
import subprocess
import sys

import mido
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from midicheck import decode, sounding_after  # noqa: E402
from thruway_host import traffic  # noqa: E402
from thruway_host.captures import CaptureError, format_timed_text, parse_timed_text, read_capture  # noqa: E402
from thruway_host.cli import main  # noqa: E402
from thruway_host.replay import BYTE_US, Replay, arrivals  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STUDIO = os.path.join(ROOT, "thruway.toml")
CAPTURES = os.path.join(ROOT, "examples", "captures")


def studio_args(out=None):
    args = [
        "replay",
        "--settings",
        STUDIO,
        "--in",
        "KeyStep=" + os.path.join(CAPTURES, "keystep.txt"),
        "--in",
        "Analog Four=" + os.path.join(CAPTURES, "a4-sequencer.txt"),
        "--in",
        "usb=" + os.path.join(CAPTURES, "daw.txt"),
    ]
    return args + (["--out", out] if out else [])


def test_check_prints_the_routing_in_words(capsys):
    """`thruway check` on a good file exits 0 and says what goes where, in the file's names."""
    assert main(["check", STUDIO]) == 0
    out = capsys.readouterr().out
    assert "KeyStep ch 5 -> JU-06A (all messages)" in out
    assert "Analog Four ch 6 -> Typhon (notes, cc, pitchbend)" in out
    assert "clock and transport: Analog Four -> Analog Rytm" in out


def test_check_reports_every_error_with_its_line(tmp_path, capsys):
    """`thruway check` on a file with mistakes exits 1 and lists each as FILE:LINE: what to write."""
    bad = tmp_path / "thruway.toml"
    bad.write_text(
        "[inputs]\n"
        'in1 = "KeyStep"\n'
        "[[route]]\n"
        'from = "Keystep"\n'  # case does not matter: fine
        'to = "out9"\n'  # line 5: unknown output
        "channels = [5, 17]\n"  # line 6: outside 1-16
        "chanel = 1\n"  # line 7: misspelt
    )
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "%s:5: unknown output \"out9\"" % bad in err
    assert "%s:6: channel 17 is outside 1-16" % bad in err
    assert "%s:7: unknown key \"chanel\" in [[route]]: did you mean channel?" % bad in err
    assert "3 errors" in err


def test_check_reports_a_syntax_error_with_its_line(tmp_path, capsys):
    """A TOML syntax error is reported with its line, and the box keeps its last good settings."""
    bad = tmp_path / "t.toml"
    bad.write_text('[clock]\nsource = "Analog Four\n')
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "%s:2:" % bad in err
    assert "keeps its last good settings" in err


def test_check_reads_the_bytes_as_the_board_does(tmp_path, capsys):
    """`thruway check` reads the file as bytes, as the box does: a file saved on an old Mac (CR
    line ends) or on Windows (CR LF) prints the routing the LF file gives, and a mistake in it the
    same line; a file that is not UTF-8 is refused at its first line that is not."""
    with open(STUDIO, "rb") as f:
        studio = f.read()
    assert main(["check", STUDIO]) == 0
    expected = capsys.readouterr().out.replace(STUDIO, "F")
    bad = studio.replace(b'to = "JU-06A"', b'to = "JU06A"', 1)
    assert bad != studio
    (tmp_path / "lf.toml").write_bytes(bad)
    assert main(["check", str(tmp_path / "lf.toml")]) == 1
    bad_lf = capsys.readouterr().err.replace(str(tmp_path / "lf.toml"), "F")
    assert "F:" in bad_lf
    for end in (b"\r\n", b"\r"):
        path = tmp_path / "t.toml"
        path.write_bytes(studio.replace(b"\n", end))
        assert main(["check", str(path)]) == 0
        assert capsys.readouterr().out.replace(str(path), "F") == expected
        path.write_bytes(bad.replace(b"\n", end))
        assert main(["check", str(path)]) == 1
        assert capsys.readouterr().err.replace(str(path), "F") == bad_lf
    path.write_bytes(b"[inputs]\r\nin1 = \"Gr\xfc\xdfe\"\r\n")  # Latin-1
    assert main(["check", str(path)]) == 1
    assert "%s:2: this line is not UTF-8 text" % path in capsys.readouterr().err


def test_thruway_console_script_runs():
    """The installed `thruway` command runs (the console script from pyproject.toml)."""
    exe = os.path.join(os.path.dirname(sys.executable), "thruway")
    result = subprocess.run([exe, "check", STUDIO], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_replay_writes_raw_and_timed_outputs(tmp_path):
    """`replay --out DIR` writes DIR/<id>.bin and DIR/<id>.txt; the .txt reads back to the .bin."""
    assert main(studio_args(str(tmp_path))) == 0
    for port_id in ("out1", "out2", "out3", "out4", "usb"):
        raw = (tmp_path / (port_id + ".bin")).read_bytes()
        timed = parse_timed_text((tmp_path / (port_id + ".txt")).read_text())
        assert b"".join(d for _, d in timed) == raw
        decode(raw)
    rytm = (tmp_path / "out4.bin").read_bytes()
    assert set(rytm) <= {0xF8, 0xFA, 0xFC}, "the Rytm gets the A4's clock and transport only"
    assert rytm.count(0xF8) == traffic.BEATS * traffic.CLOCKS_PER_BEAT
    _, msgs = decode((tmp_path / "out2.bin").read_bytes())
    assert msgs and all(m.channel == 4 for m in msgs), "the JU-06A hears channel 5 only"


def test_replay_studio_leaves_no_note_hanging(tmp_path):
    """Replaying the studio, every note each output starts is ended by the end of the capture."""
    main(studio_args(str(tmp_path)))
    for port_id in ("out1", "out2", "out3", "usb"):
        _, msgs = decode((tmp_path / (port_id + ".bin")).read_bytes())
        assert not sounding_after(msgs), port_id


def test_replay_prints_a_listing_without_out(capsys):
    """Without --out, replay prints each output's messages, timed and decoded as monitor does
    (notes as C4 (60)), each with the input it came from, and the counters in words."""
    assert main(studio_args()) == 0
    out = capsys.readouterr().out
    assert "== out2 (JU-06A):" in out
    assert "  1000.960 94 45 5A            # from KeyStep: note on ch 5 A4 (69) vel 90\n" in out
    assert "# from Analog Four: note on ch 5 A2 (45) vel 100" in out
    assert out.endswith("counters:\n  in1 (KeyStep): 194 clock or transport messages from an input that is not the clock source (dropped)\n")


def test_din_bytes_arrive_at_wire_speed():
    """A DIN capture's bytes arrive 320 µs apart (31250 baud, 10 bits a byte); USB arrives whole."""
    got = arrivals([(0, b"\x90\x3c\x64"), (100, b"\xf8")], 0)
    assert [t for t, _, _ in got] == [320, 640, 960, 1280]
    assert arrivals([(5, b"\x90\x3c\x64")], 2) == [(5, 2, b"\x90\x3c\x64")]


def test_replay_output_drains_at_wire_speed():
    """Each DIN output sends a byte per 320 µs, starting once the message is in whole."""
    from thruway.settings import default_settings

    sent = Replay(default_settings()).run({0: [(0, b"\x90\x3c\x64\x80\x3c\x00")]})
    times = [t for t, _ in sent[0]]
    assert times[0] == 3 * BYTE_US
    assert all(b - a >= BYTE_US for a, b in zip(times, times[1:]))


def test_midi_file_capture_plays_at_its_tempo(tmp_path):
    """A Standard MIDI File capture is read by mido at its own tempo."""
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60)))
    track.append(mido.Message("note_on", note=60, velocity=100, time=0))
    track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    path = tmp_path / "one.mid"
    mid.save(path)
    events = read_capture(str(path))
    assert events == [(0, b"\x90\x3c\x64"), (1_000_000, b"\x80\x3c\x00")]


def test_raw_capture_is_sent_back_to_back(tmp_path):
    """A .bin or .syx capture is raw bytes sent from time 0."""
    path = tmp_path / "dump.syx"
    path.write_bytes(b"\xf0\x7d\x01\xf7")
    assert read_capture(str(path)) == [(0, b"\xf0\x7d\x01\xf7")]


@pytest.mark.parametrize(
    "text, where",
    [
        ("0 90 3C 64\nx 80 3C 00\n", ":2:"),
        ("0 90 3C 64\n5 80 3G 00\n", ":2:"),
        ("10 90 3C 64\n5 80 3C 00\n", ":2:"),
        ("0\n", ":1:"),
    ],
)
def test_unreadable_capture_names_file_and_line(tmp_path, text, where):
    """A capture that cannot be read is a clear error naming the file and line."""
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(CaptureError, match=str(path) + where):
        read_capture(str(path))


def test_unknown_capture_type_is_refused(tmp_path, capsys):
    """An unknown capture type is refused with the types that work."""
    path = tmp_path / "x.wav"
    path.write_bytes(b"RIFF")
    assert main(["replay", "--in", "in1=" + str(path)]) == 1
    assert ".bin or .syx" in capsys.readouterr().err


def test_timed_text_keeps_byte_order_with_realtime_inside():
    """The timed listing keeps the exact byte order, realtime inside a message included."""
    data = bytes.fromhex("90 f8 3c 64 3e 64 f0 01 f8 02 f7")
    timed = [(i * BYTE_US, b) for i, b in enumerate(data)]
    text = format_timed_text(timed)
    assert b"".join(d for _, d in parse_timed_text(text)) == data
    assert "running status" in text


@pytest.mark.parametrize("name", sorted(traffic.bundle()))
def test_bundled_captures_are_what_the_generator_makes(name):
    """Each committed capture (the studio's, the dense, SysEx and clock-only cases) and each
    case's settings file is exactly what thruway_host.traffic makes."""
    with open(os.path.join(CAPTURES, name), encoding="utf-8") as f:
        assert f.read() == traffic.bundle()[name], "run python -m thruway_host.traffic examples/captures"


def test_every_bundled_file_is_generated():
    """examples/captures holds nothing the generator does not make (a stale file would be untested)."""
    assert sorted(os.listdir(CAPTURES)) == sorted(traffic.bundle())
