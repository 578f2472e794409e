"""MicroPython stand-in for CircuitPython's `microcontroller` (allocation test only): GPIO0-29."""


class Pin:
    def __init__(self, number):
        self.number = number


class _Pins:
    pass


pin = _Pins()
for _n in range(30):
    setattr(pin, "GPIO%d" % _n, Pin(_n))


def delay_us(delay):
    pass
