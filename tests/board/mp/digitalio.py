"""MicroPython stand-in for CircuitPython's `digitalio` (allocation test only)."""


class Pull:
    UP = 1
    DOWN = 2


class DigitalInOut:
    def __init__(self, pin):
        self.value = True  # a released button, pulled up

    def switch_to_output(self, value=False):
        self.value = value

    def switch_to_input(self, pull=None):
        self.value = True

    def deinit(self):
        pass
