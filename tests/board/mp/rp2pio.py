"""MicroPython stand-in for CircuitPython's `rp2pio` (allocation test only): takes every buffer, and counts µs."""

import clock

READ_US = 45  # what a read of the counter costs on the board (rig): time moves while the loop waits


class StateMachine:
    def __init__(self, program, frequency, **kwargs):
        self.frequency = frequency
        self.pending_write = 0
        self.written = 0
        self.us = 0  # a counter (no pins): the last count read

    def background_write(self, once=None):
        self.written += len(once)

    def clear_rxfifo(self):
        pass

    def readinto(self, buf):
        # The test's ms tick in µs, or later: each read takes READ_US.
        tick = (clock.now[0] * 1000) & ((1 << 29) - 1)
        later = (self.us + READ_US) & ((1 << 29) - 1)
        self.us = later if ((later - tick) & ((1 << 29) - 1)) < (1 << 28) else tick
        buf[0] = self.us

    def deinit(self):
        pass
