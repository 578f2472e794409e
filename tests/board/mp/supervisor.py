"""MicroPython stand-in for CircuitPython's `supervisor` (allocation test only)."""

import clock


def ticks_ms():
    t = clock.now[0]
    t = (t + 1) & ((1 << 29) - 1)
    clock.now[0] = t
    return t


class _Runtime:
    usb_connected = True
    serial_connected = False
    autoreload = False


runtime = _Runtime()
