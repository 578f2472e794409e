"""The rig's clock figures: period error from the nominal tempo and jitter p99, from clock start times."""

import pytest

from thruway_host.rig import clock_figures

NOMINAL_120_MS = 60000 / (24 * 120)  # 20.833 ms: MIDI clock is 24 a quarter note


def times(periods_us, start=1000):
    out = [start]
    for p in periods_us:
        out.append(out[-1] + p)
    return out


def test_an_exact_clock_has_no_error_and_no_jitter():
    """Clocks exactly 60000 / (24 * BPM) ms apart: the period is the nominal, error and jitter 0."""
    got = clock_figures(times([NOMINAL_120_MS * 1000] * 96), bpm=120)
    assert got["clocks"] == 97
    assert got["period_mean_ms"] == pytest.approx(NOMINAL_120_MS)
    assert got["period_error_ms"] == pytest.approx(0, abs=1e-9)
    assert got["jitter_p99_ms"] == pytest.approx(0, abs=1e-9)


def test_whole_millisecond_steps_show_as_error_and_jitter():
    """A clock timed in whole ms, 20 and 21 ms in turn: the mean period is 20.5 ms (0.333 ms
    short of 120 BPM's), each period is 0.5 ms from the median, so the jitter p99 is 0.5 ms."""
    got = clock_figures(times([20000, 21000] * 50), bpm=120)
    assert got["period_mean_ms"] == pytest.approx(20.5)
    assert got["period_error_ms"] == pytest.approx(20.5 - NOMINAL_120_MS)
    assert got["period_median_ms"] == pytest.approx(20.5)
    assert got["jitter_p99_ms"] == pytest.approx(0.5)
    assert got["period_error_max_ms"] == pytest.approx(NOMINAL_120_MS - 20)  # the 20 ms ones


def test_the_p99_is_the_nearest_rank_one():
    """Jitter p99 is the nearest-rank 99th percentile of |period - median|: of 100 periods, one
    late clock is the 100th and leaves it at 0; two late clocks put the 99th at their lateness."""
    even = [20000] * 99
    assert clock_figures(times(even + [24000]), bpm=125)["jitter_p99_ms"] == pytest.approx(0)
    got = clock_figures(times(even[:98] + [24000, 24000]), bpm=125)
    assert got["jitter_p99_ms"] == pytest.approx(4.0)
    assert got["period_nominal_ms"] == pytest.approx(20.0)  # 125 BPM


def test_fewer_than_two_clocks_is_a_clear_error():
    """One clock has no period: a ValueError that says so, not a wrong figure."""
    with pytest.raises(ValueError, match="at least two clocks"):
        clock_figures([1000])
