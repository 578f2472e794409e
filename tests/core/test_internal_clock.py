"""The box as clock master: its clock keeps the tempo exactly, from the time passed to tick()."""

from thruway.core import Core
from thruway.midi import TICKS_MAX
from thruway.settings import load

SETTINGS = '[clock]\nsource = "internal"\ntempo = %s\nto = ["out1"]\n[[route]]\nfrom = "in1"\nto = "out2"\n'


def clock_times(tempo, start, ms, step=1):
    """The times (ms since `start`) at which out1 got a clock, ticking every `step` ms."""
    core = Core(load(SETTINGS % tempo))
    buf = bytearray(64)
    times = []
    for t in range(0, ms, step):
        core.tick((start + t) & TICKS_MAX)
        n = core.transmit(0, buf, 64)
        times.extend([t] * buf[:n].count(0xF8))
    return times


def test_tempo_is_exact_and_each_clock_on_time():
    """At 120 BPM a minute holds 2880 clocks (24 a beat), none a whole tick (1 ms) from where
    the tempo puts it: the time between clocks is kept exactly, so the tempo never drifts."""
    times = clock_times("120", 0, 60000)
    assert len(times) == 2880
    for n, t in enumerate(times):
        assert abs(t - n * 60000 / 2880) < 1, n


def test_decimal_tempo():
    """tempo = "92.5" (in quotes: the box's reader takes no decimal numbers) is 92.5 BPM."""
    times = clock_times('"92.5"', 0, 60000)
    assert len(times) == 2220  # 92.5 * 24
    assert all(abs(t - n * 60000 / 2220) < 1 for n, t in enumerate(times))


def test_across_the_ticks_wrap():
    """The clock keeps time across the wrap of the board's millisecond ticks at 2**29."""
    times = clock_times("120", TICKS_MAX - 5000, 10000)
    assert len(times) == 480
    assert all(abs(t - n * 60000 / 2880) < 1 for n, t in enumerate(times))


def test_a_late_tick_starts_again_without_a_burst():
    """A tick 300 ms late (the loop held up by a file write) sends one clock, not fifteen:
    a burst of clocks would make every follower jump ahead."""
    core = Core(load(SETTINGS % "120"))
    buf = bytearray(64)
    core.tick(0)
    core.tick(300)
    assert bytes(buf[: core.transmit(0, buf, 64)]) == b"\xf8\xf8"
    core.tick(319)
    assert core.transmit(0, buf, 64) == 0  # the next clock is a clock's time after the late one
    core.tick(320)
    assert bytes(buf[: core.transmit(0, buf, 64)]) == b"\xf8"


def clock_times_us(tempo, start, us, step):
    """Like clock_times, in microseconds: the shell's clock_tick(now_us) every `step` µs."""
    core = Core(load(SETTINGS % tempo))
    core.clock_units(1000)
    buf = bytearray(64)
    times = []
    for t in range(0, us, step):
        core.clock_tick((start + t) & TICKS_MAX)
        core.tick(((start + t) // 1000) & TICKS_MAX)  # the ms timeouts leave the clock to clock_tick
        n = core.transmit(0, buf, 64)
        times.extend([t] * buf[:n].count(0xF8))
    return times


def test_in_microseconds_each_clock_within_its_microsecond():
    """Timed in microseconds (the board's counter, wrapping at 2**29 like ticks_ms), at 120 BPM
    four seconds hold 192 clocks, each at the first look after its microsecond (looking every
    7 µs), also across the counter's wrap; at 92.5 BPM, looking every µs, each within one."""
    times = clock_times_us("120", TICKS_MAX - 2_000_000, 4_000_000, 7)
    assert len(times) == 192
    assert all(-1 < t - n * 60_000_000 / 2880 < 7 for n, t in enumerate(times))
    times = clock_times_us('"92.5"', 0, 600_000, 1)
    assert len(times) == 23  # 92.5 * 24 / 100 = 22.2 clock periods: 23 clocks from the first
    assert all(abs(t - n * 60_000_000 / 2220) < 1 for n, t in enumerate(times))


def test_in_microseconds_a_late_look_starts_again_without_a_burst():
    """In microseconds too, a look 300 ms late sends one clock, and the next comes a clock's
    time (20833 µs at 120 BPM) after it."""
    core = Core(load(SETTINGS % "120"))
    core.clock_units(1000)
    buf = bytearray(64)
    core.clock_tick(0)
    core.clock_tick(300_000)
    assert bytes(buf[: core.transmit(0, buf, 64)]) == b"\xf8\xf8"
    core.clock_tick(320_832)
    assert core.transmit(0, buf, 64) == 0
    core.clock_tick(320_833)
    assert bytes(buf[: core.transmit(0, buf, 64)]) == b"\xf8"
