"""Stub `neopixel_write` for timing the firmware loop."""


def neopixel_write(pin, data):
    pass
