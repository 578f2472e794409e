"""Stub `microcontroller` for timing the firmware loop: GPIO pins as plain objects."""


class _Pins:
    def __getattr__(self, name):
        return name


pin = _Pins()
