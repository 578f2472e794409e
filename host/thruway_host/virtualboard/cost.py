"""What each firmware call costs in virtual CPU time: a simple model for `thruway sim` to calibrate."""


class CostModel:
    """CPU time in µs charged for each call the firmware makes into the virtual board.

    The figures are rough placeholders, not measurements: `pass_us` is the loop's own work
    per pass (charged at each supervisor.ticks_ms() call, which the loop makes once a pass),
    `in_byte_us` is the core's work per byte read (charged with the read), `out_byte_us` the
    core's work per byte written. PERFORMANCE.md explains how to estimate real RP2040 figures;
    `thruway sim` replaces this model with calibrated ones. `charged` counts calls by name."""

    READS = ("uart.readinto", "uart.read", "usb.readinto", "usb.read")
    WRITES = ("uart.write", "pio.background_write", "pio.write", "usb.write")

    def __init__(self, pass_us=80, call_us=8, in_byte_us=60, out_byte_us=10):
        self.pass_us = pass_us
        self.call_us = call_us
        self.in_byte_us = in_byte_us
        self.out_byte_us = out_byte_us
        self.charged = {}

    def cost(self, what, nbytes=0):
        self.charged[what] = self.charged.get(what, 0) + 1
        if what == "ticks_ms":
            return self.pass_us
        if what in self.READS:
            return self.call_us + nbytes * self.in_byte_us
        if what in self.WRITES:
            return self.call_us + nbytes * self.out_byte_us
        return self.call_us
