"""Stub `supervisor` for timing the firmware loop: a computer on USB, no serial terminal."""


class _Runtime:
    usb_connected = True
    serial_connected = False
    autoreload = False


runtime = _Runtime()


def ticks_ms():
    raise RuntimeError("the loop bench passes its own clock to Loop(ticks_ms=...)")
