"""The allocation test's clock: one millisecond per supervisor.ticks_ms() call (a pass)."""

now = [(1 << 29) - 300]  # wraps 300 passes in
