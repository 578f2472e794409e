"""MicroPython stand-in for CircuitPython's `busio` (allocation test only): a UART that always has
three bytes of a repeating pattern to read and takes every write; nothing here allocates."""

flowing = [True]  # False: the inputs fall silent
PATTERN = b"\x90\x3c\x64\xb0\x07\x40\x80\x3c\x40\xf8\xe0\x00\x40\x91\x30\x50\x81\x30\x00"


class UART:
    def __init__(self, tx=None, rx=None, *, baudrate=9600, timeout=1, receiver_buffer_size=64):
        self.pos = 0
        self.written = 0

    @property
    def in_waiting(self):
        return 3 if flowing[0] else 0

    def readinto(self, buf):
        if not flowing[0]:
            return None
        pos = self.pos
        n = 3 if len(buf) >= 3 else len(buf)
        for i in range(n):
            buf[i] = PATTERN[pos]
            pos += 1
            if pos == len(PATTERN):
                pos = 0
        self.pos = pos
        return n

    def write(self, buf):
        self.written += len(buf)
        return len(buf)

    def deinit(self):
        pass
