"""Stub `digitalio` for timing the firmware loop: a pin that remembers its value."""


class DigitalInOut:
    def __init__(self, pin):
        self.value = False

    def switch_to_output(self, value=False, drive_mode=None):
        self.value = value

    def switch_to_input(self, pull=None):
        pass

    def deinit(self):
        pass


class Pull:
    UP = 1
    DOWN = 2
