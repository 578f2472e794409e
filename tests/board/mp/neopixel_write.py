"""MicroPython stand-in for CircuitPython's `neopixel_write` (allocation test only)."""


def neopixel_write(digitalinout, buf):
    pass
