"""MicroPython stand-in for CircuitPython's `usb_midi` (allocation test only)."""


class PortIn:
    def readinto(self, buf, nbytes=None):
        return 0


class PortOut:
    def __init__(self):
        self.written = 0

    def write(self, buf):
        self.written += len(buf)
        return len(buf)


ports = (PortIn(), PortOut())
