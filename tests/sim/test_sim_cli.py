"""The `thruway sim` command: its table, its JSON (units in the keys, every key documented), its plot."""

import json
import os
import struct

import pytest

from thruway_host import sim
from thruway_host.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UNITS = ("_us", "_ms", "_pct", "_bytes")
COUNTS = ("messages", "bytes", "iterations", "clock_messages")  # plain counts: the key is the unit


def run_json(capsys, *args):
    assert main(["sim", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def figures(report, path=""):
    """(dotted key, value) of every number in the report."""
    for key, value in report.items():
        where = path + key
        if isinstance(value, dict):
            yield from figures(value, where + ".")
        elif isinstance(value, (int, float)) and not isinstance(value, bool) or value is None:
            yield where, value


def test_json_is_valid_and_names_each_figures_unit(capsys):
    """--json prints one valid JSON document; every figure's key ends in its unit (_us, _ms,
    _pct, _bytes) or is a count (messages, bytes, iterations), drops are per kind."""
    report = run_json(capsys, "--scenario", "studio")
    out = report["outputs"]["out2"]
    for key in ("latency_p50_us", "latency_p99_us", "latency_max_us", "clock_jitter_p99_us", "clock_jitter_max_us", "deepest_queue_bytes"):
        assert key in out
    assert set(out["dropped_messages"]) == {"droppable", "note_on", "note_off", "other", "sysex", "sysex_cut", "realtime", "pedal_up_or_mode"}
    assert report["model"]["cost_per_byte_us"] == sim.DEFAULT_COST_PER_BYTE_US
    assert "cpu_load_pct" in report["loop"]
    for key, _ in figures(report):
        last = key.split(".")[-1]
        assert last.endswith(UNITS) or last in COUNTS or key.split(".")[-2:-1] in (["dropped_messages"], ["counters"]), key


def test_every_report_key_is_documented(capsys):
    """docs/performance.md explains each key the report has."""
    report = run_json(capsys, "--scenario", "dense")
    with open(os.path.join(ROOT, "docs", "performance.md"), encoding="utf-8") as f:
        doc = f.read()
    keys = set()
    for key, _ in figures(report):
        parts = key.split(".")
        keys.add(parts[-2] if len(parts) > 1 and parts[-2] in ("dropped_messages", "counters") else parts[-1])
    keys.update(("name", "loop", "case"))  # the words: what ran, and the ports' names
    missing = sorted(k for k in keys if "`%s`" % k not in doc)
    assert not missing, missing


def test_costs_are_parameters(capsys):
    """--cost-per-byte-us and --cost-per-iteration-us replace the model's figures: a dearer
    loop makes the same traffic wait longer."""
    cheap = run_json(capsys, "--scenario", "clock", "--loop", "model", "--cost-per-iteration-us", "50", "--cost-per-byte-us", "10")
    dear = run_json(capsys, "--scenario", "clock", "--loop", "model", "--cost-per-iteration-us", "400", "--cost-per-byte-us", "100")
    assert cheap["model"]["cost_per_iteration_us"] == 50 and dear["model"]["cost_per_byte_us"] == 100
    assert dear["outputs"]["out4"]["latency_p50_us"] > cheap["outputs"]["out4"]["latency_p50_us"] + 300


def test_table_has_a_row_per_busy_output(capsys):
    """Without --json, a table: a row per output that carried anything, the model and the load."""
    assert main(["sim", "--scenario", "sysex"]) == 0
    out = capsys.readouterr().out
    assert "out1 (Synth B)" in out and "usb (Computer)" in out and "out2 (Synth A)" in out
    assert "out3" not in out
    assert "the firmware's loop on the virtual board" in out and "µs a pass" in out and "% CPU" in out


def test_own_captures_and_settings(tmp_path, capsys):
    """--settings and --in work as in replay; a port named in the settings is accepted."""
    capture = tmp_path / "one.txt"
    capture.write_text("0 90 3C 64\n100 80 3C 40\n")
    report = run_json(capsys, "--settings", os.path.join(ROOT, "thruway.toml"), "--in", "in1=%s" % capture)
    assert report["inputs"]["in1"]["bytes"] == 6


def test_bad_arguments_are_refused_plainly(tmp_path, capsys):
    """A free loop pass, no input at all, a missing capture: each a clear message, no traceback."""
    assert main(["sim", "--scenario", "clock", "--cost-per-iteration-us", "0"]) == 2
    assert "more than 0" in capsys.readouterr().err
    assert main(["sim"]) == 2
    assert "--scenario NAME or at least one --in" in capsys.readouterr().err
    assert main(["sim", "--in", "in1=%s" % (tmp_path / "nothing.txt")]) == 1
    assert "cannot read it" in capsys.readouterr().err


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def test_plot_writes_a_png(tmp_path, capsys):
    """--plot FILE.png writes a PNG large enough to read (two panels: latency, clock jitter)."""
    path = tmp_path / "studio.png"
    assert main(["sim", "--scenario", "sysex", "--plot", str(path)]) == 0
    assert "plot: %s" % path in capsys.readouterr().out
    width, height = png_size(path)
    assert width >= 1200 and height >= 500
    assert os.path.getsize(path) > 20_000
