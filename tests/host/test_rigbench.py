"""The rig benchmark's arithmetic: messages from timed bytes, pairing with the replay, latency and jitter."""

from thruway.settings import decode, load

from thruway_host import rigbench


def test_messages_split_realtime_out_wherever_it_falls():
    """An output's bytes become messages; a clock inside a message is a message of its own,
    and the message around it stays whole, timed by its first byte."""
    data = [0x90, 0x3C, 0xF8, 0x40, 0xF0, 0x01, 0xF7, 0x80, 0x3C, 0x40]
    times = [0, 320, 640, 960, 1280, 1600, 1920, 2240, 2560, 2880]
    assert rigbench.messages(times, data) == [
        (0, b"\x90\x3c\x40"),
        (640, b"\xf8"),
        (1280, b"\xf0\x01\xf7"),
        (2240, b"\x80\x3c\x40"),
    ]


def test_match_pairs_the_kth_message_of_each_kind_and_counts_lost_and_extra():
    """The k-th copy of a message on the rig is paired with the k-th in the replay; clocks are
    kept apart (their delays give jitter); what one side has and the other not is counted."""
    expected = [(0, b"\x90\x3c\x40"), (100, b"\xf8"), (200, b"\x90\x3c\x40"), (300, b"\xf8")]
    got = [(500, b"\x90\x3c\x40"), (150, b"\xf8"), (900, b"\x90\x3c\x40"), (420, b"\xf8"), (950, b"\xb0\x01\x02")]
    delays, clock, lost, extra = rigbench.match(expected, got)
    assert delays == [500, 700]
    assert clock == [50, 120]
    assert (lost, extra) == (0, 1)
    assert rigbench.match(expected, got[:1])[2] == 3


def test_stats_give_latency_percentiles_and_clock_jitter_from_the_median_delay():
    """Latency figures are in ms; jitter is how far each clock's delay strays from the median."""
    row = rigbench.stats([1000, 2000, 3000], [500, 500, 500, 1500])
    assert row["messages"] == 7
    assert (row["p50_ms"], row["max_ms"]) == (2.0, 3.0)
    assert row["clock_delay_p50_ms"] == 0.5
    assert row["clock_jitter_p99_ms"] == 1.0


def test_broken_and_hanging_find_cut_messages_and_notes_left_sounding():
    """A channel message of the wrong length is broken; a Note On with no Note Off after it is
    a note left hanging (Note On velocity 0 ends a note too)."""
    msgs = [(0, b"\x90\x3c\x40"), (1, b"\x90\x3e"), (2, b"\x90\x40\x40"), (3, b"\x90\x40\x00"), (4, b"\x91\x3c\x40")]
    assert rigbench.broken(msgs) == 1
    assert rigbench.hanging(msgs) == 2


def test_every_case_has_settings_the_board_reads_and_traffic_on_its_inputs():
    """Each case's settings load, and each case feeds at least one input with events in time order."""
    for name, what, text, captures in rigbench.cases():
        load(decode(text.encode()))
        assert captures, name
        for events in captures.values():
            times = [t for t, _ in events]
            assert times == sorted(times), name


def test_replay_of_the_studio_gives_every_output_its_messages():
    """The zero-cost side of the comparison: the studio's captures through `thruway replay`
    reach the outputs the shipped file routes them to, the Rytm getting only clock and transport."""
    text = rigbench._shipped()
    out = rigbench.replay_messages(load(decode(text.encode())), rigbench.studio_traffic())
    assert all(out[o] for o in range(5))
    assert {m[0] for _, m in out[3]} <= {0xF8, 0xFA, 0xFC, 0xFB}


def test_the_master_case_reads_and_plays_two_inputs_5_ms_apart():
    """The box-as-master scenario: its file loads with the box's own clock at 120 BPM to the
    Rytm and the Typhon, and each input plays a message every 10 ms, in1 and in2 5 ms apart."""
    settings = load(decode(rigbench.MASTER_SETTINGS))
    assert settings.tempo == 12000  # hundredths of a BPM
    traffic = rigbench.master_traffic()
    assert sorted(traffic) == [0, 1]
    assert [t for t, _ in traffic[0][:3]] == [0, 10, 20] and [t for t, _ in traffic[1][:3]] == [5, 15, 25]


def test_the_master_targets_are_the_period_error_and_jitter_under_0_2_ms():
    """`make bench` judges the box's own clock on each output by its mean period's error and
    its jitter p99, both against 0.2 ms."""
    good = {"period_error_ms": -0.0001, "jitter_p99_ms": 0.05}
    bad = {"period_error_ms": 0.006, "jitter_p99_ms": 1.13}
    rows = rigbench.targets({"cases": {}, "master_clock": {"out4": good, "out3": bad}})
    assert [(r["target"].split(": ")[1], r["met"]) for r in rows] == [
        ("out3 period error (ms)", True),
        ("out3 clock jitter p99 (ms)", False),
        ("out4 period error (ms)", True),
        ("out4 clock jitter p99 (ms)", True),
    ]
