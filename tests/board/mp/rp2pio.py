"""MicroPython stand-in for CircuitPython's `rp2pio` (allocation test only): takes every buffer."""


class StateMachine:
    def __init__(self, program, frequency, **kwargs):
        self.pending_write = 0
        self.written = 0

    def background_write(self, once=None):
        self.written += len(once)

    def deinit(self):
        pass
