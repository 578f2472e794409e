"""The bench scripts' clock in µs, in whichever VM runs them: ticks_us under MicroPython, perf_counter under CPython."""

try:
    from time import ticks_diff, ticks_us

    def since(t0):
        """µs since clock() said t0."""
        return ticks_diff(ticks_us(), t0)

    clock = ticks_us
except ImportError:  # CPython
    from time import perf_counter_ns

    def clock():
        return perf_counter_ns() // 1000

    def since(t0):
        return clock() - t0
