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
