"""The `thruway` command under bad input: a line on stderr and exit status 2 (usage) or 1 (failed), never a traceback."""

import contextlib
import os
import subprocess
import sys
import time

from thruway_host import sim
from thruway_host.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THRUWAY = os.path.join(os.path.dirname(sys.executable), "thruway")


def one_line(err):
    """The error output is one line, and not a traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@contextlib.contextmanager
def read_only_folder(tmp_path):
    """A folder nothing may be written into (None when running as root, who may write anyway)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        yield None if os.access(str(locked), os.W_OK) else str(locked)
    finally:
        locked.chmod(0o700)


def capture(tmp_path, text="0 90 3C 64\n10 80 3C 40\n"):
    path = tmp_path / "keys.txt"
    path.write_text(text)
    return str(path)


def test_output_closed_by_its_reader_is_one_line_and_status_1(tmp_path):
    """`thruway ... | head -1`: the reader goes away after one line; the command stops writing,
    says so in a line, and exits 1 (no BrokenPipeError traceback)."""
    notes = capture(tmp_path, "".join("%d 90 3C 64\n%d 80 3C 40\n" % (k * 2, k * 2 + 1) for k in range(3000)))
    proc = subprocess.run(
        "set -o pipefail; '%s' replay --in in1=%s --limit 0 | head -1" % (THRUWAY, notes),
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert len(proc.stdout.splitlines()) == 1 and proc.returncode == 1
    assert "closed before all of it was written" in one_line(proc.stderr)
    status = subprocess.run(
        "set -o pipefail; '%s' check thruway.toml | head -1 >/dev/null" % THRUWAY, shell=True, cwd=ROOT, executable="/bin/bash", capture_output=True
    )
    assert status.returncode in (0, 1)  # 0 when the whole listing fitted the pipe before head left
    assert b"Traceback" not in status.stderr


def test_replay_out_that_cannot_be_written(tmp_path, capsys):
    """--out naming a file, a folder that cannot be created, or one that cannot be written:
    one line, status 1."""
    keys = capture(tmp_path)
    a_file = tmp_path / "taken"
    a_file.write_text("")
    assert main(["replay", "--in", "in1=" + keys, "--out", str(a_file)]) == 1
    assert "it is a file, not a folder" in one_line(capsys.readouterr().err)
    assert main(["replay", "--in", "in1=" + keys, "--out", str(a_file / "below")]) == 1
    assert "cannot write the outputs into" in one_line(capsys.readouterr().err)
    with read_only_folder(tmp_path) as locked:
        if locked:
            assert main(["replay", "--in", "in1=" + keys, "--out", locked]) == 1
            assert "Permission denied" in one_line(capsys.readouterr().err)


def test_replay_limit_and_empty_capture_name_are_usage_errors(tmp_path, capsys):
    """--limit -1 and --in in1= are refused as usage (status 2) with what to write instead."""
    keys = capture(tmp_path)
    try:
        main(["replay", "--in", "in1=" + keys, "--limit", "-1"])
    except SystemExit as e:  # argparse: its usage line, then the error line
        assert e.code == 2
    else:
        raise AssertionError("--limit -1 was accepted")
    assert "give 0 (all) or more" in capsys.readouterr().err
    assert main(["replay", "--in", "in1="]) == 2
    assert "names no capture file: write --in in1=FILE" in one_line(capsys.readouterr().err)
    assert main(["replay", "--in", "nowhere=" + keys]) == 2
    assert "unknown input 'nowhere'" in one_line(capsys.readouterr().err)


def test_sim_with_an_empty_capture_fails_plainly(tmp_path, capsys):
    """A capture with no MIDI in it: nothing to simulate, one line, status 1."""
    assert main(["sim", "--in", "in1=" + capture(tmp_path, "# nothing\n")]) == 1
    assert "hold no MIDI bytes" in one_line(capsys.readouterr().err)


def test_sim_plot_to_an_unknown_type_or_missing_folder(tmp_path, capsys):
    """--plot with an extension matplotlib cannot write is usage (2); into a folder that does not
    exist, or one it cannot write, fails (1); both before any simulating."""
    keys = capture(tmp_path)
    assert main(["sim", "--in", "in1=" + keys, "--plot", str(tmp_path / "plot.xyz")]) == 2
    assert "must end in one of" in one_line(capsys.readouterr().err)
    assert main(["sim", "--in", "in1=" + keys, "--plot", str(tmp_path / "no" / "plot.png")]) == 1
    assert "there is no folder" in one_line(capsys.readouterr().err)
    taken = tmp_path / "taken.png"
    taken.mkdir()  # a folder where the file should go
    assert main(["sim", "--loop", "model", "--in", "in1=" + keys, "--plot", str(taken)]) == 1
    assert "cannot write the plot" in capsys.readouterr().err.splitlines()[-1]
    with read_only_folder(tmp_path) as locked:
        if locked:
            assert main(["sim", "--loop", "model", "--in", "in1=" + keys, "--plot", os.path.join(locked, "plot.png")]) == 1
            assert "cannot write the plot" in capsys.readouterr().err


def test_sim_long_silence_costs_nothing(tmp_path, capsys):
    """A capture whose one line is at 1e12 ms (31 years in): the silence before it is shortened
    (the box only waits), said in a line, and the run takes seconds, not hours."""
    started = time.monotonic()
    assert main(["sim", "--in", "in1=" + capture(tmp_path, "1e12 90 3C 64\n"), "--json"]) == 0
    assert time.monotonic() - started < 60
    captured = capsys.readouterr()
    # A busy machine may also see the sim's progress line (after 3 s): that is not a second message.
    said = "\n".join(line for line in captured.err.splitlines() if "of traffic simulated" not in line)
    assert "silence longer than 10 s shortened" in one_line(said)
    assert '"messages": 1' in captured.out


def test_quiet_stretches_are_cut_to_the_longest_timer():
    """shorten_quiet cuts each silence on all inputs longer than the limit to the limit, and
    keeps every other gap and each input's order."""
    captures = {0: [(0, b"\x90"), (5, b"\x80"), (100, b"\xf8")], 2: [(50, b"\xfa"), (1000, b"\xfc")]}
    short, cut = sim.shorten_quiet(captures, 20)
    assert cut == 3
    assert short == {0: [(0, b"\x90"), (5, b"\x80"), (45, b"\xf8")], 2: [(25, b"\xfa"), (65, b"\xfc")]}
    assert sim.shorten_quiet(captures, 10_000) == (captures, 0)


def test_progress_says_how_far_a_long_run_is():
    """A run longer than a few seconds prints a line every few seconds: how much is simulated."""
    import io

    lines = io.StringIO()
    progress = sim.Progress(20_000_000, stream=lines)
    wall = [100.0]
    progress.clock = lambda: wall[0]
    progress.started = 100.0
    progress.next = 100.0 + progress.AFTER_S
    for step in range(5000):
        wall[0] = 100.0 + step * 0.002  # 10 s of work
        progress.at(step * 4000)
    text = lines.getvalue().splitlines()
    assert 2 <= len(text) <= 5
    assert text[0].startswith("thruway sim: ") and "of 20.0 s of traffic simulated" in text[0]
