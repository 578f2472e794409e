"""The virtual board's one clock: microseconds since power-up, moved only by the board and the tests."""

import heapq


class VirtualTimeUp(BaseException):
    """Raised into the firmware when virtual time reaches the run's end, the way CircuitPython
    raises its reload exception into a running loop: a BaseException, so no `except Exception`
    in the firmware swallows it."""


class Clock:
    """Virtual time in integer microseconds.

    Time moves only when something spends it: the CPU cost of a firmware call (CostModel), a
    call that busy-waits (a UART write into a full FIFO), a flash write, or a test. Before it
    moves, every listener catches up to the new time (`sync(t)`), and scheduled events run in
    time order at their own time."""

    def __init__(self, start_us=0):
        self.now = start_us
        self.listeners = []
        self.events = []  # heap of (time, seq, fn)
        self.seq = 0
        self.deadline = None  # VirtualTimeUp once now reaches it
        self.blocks = []  # (time, µs, what) for every busy-wait
        self.max_block = 0

    def at(self, t, fn):
        """Run `fn()` when time reaches `t` (µs). `fn` may return µs the CPU stays stalled."""
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, fn))

    def after(self, us, fn):
        self.at(self.now + us, fn)

    def advance(self, us):
        if us > 0:
            self.run_to(self.now + us)

    def run_to(self, t):
        while self.events and self.events[0][0] <= t:
            when, _, fn = heapq.heappop(self.events)
            self._move(max(when, self.now))
            stall = fn()
            if stall:
                t = max(t, self.now + stall)
        self._move(max(t, self.now))
        if self.deadline is not None and self.now >= self.deadline:
            raise VirtualTimeUp()

    def block_until(self, t, what):
        """The CPU busy-waits until `t`: recorded, then time moves."""
        if t <= self.now:
            return
        start = self.now
        self.run_to(t)
        self.record(start, what)

    def record(self, start, what):
        """One call busy-waited from `start` until now."""
        us = self.now - start
        if us > 0:
            self.blocks.append((start, us, what))
            self.max_block = max(self.max_block, us)

    def _move(self, t):
        for device in self.listeners:
            device.sync(t)
        self.now = t
