"""Replay captures through the core at wire speed: DIN bytes 320 µs apart, USB as it comes."""

from thruway.core import Core
from thruway.midi import N_INPUTS, N_OUTPUTS, OUT_USB, IN_USB, TICKS_MAX

BYTE_US = 320  # 10 bits at 31250 baud
USB_CHUNK = 64
SETTLE_US = 6_000_000  # after the last input, time left for timeouts to close what is open


def arrivals(events, port):
    """When each byte of a capture has arrived at the box, as (µs, port, bytes) groups.

    A DIN byte is in once its last bit is: bytes queue on the wire one after another, so an
    event's bytes arrive 320 µs apart from when the wire is free. USB delivers an event whole."""
    out = []
    free = 0
    for t, data in events:
        if port == IN_USB:
            out.append((t, port, data))
            continue
        start = max(t, free)
        for k, b in enumerate(data):
            out.append((start + (k + 1) * BYTE_US, port, bytes((b,))))
        free = start + len(data) * BYTE_US
    return out


class Replay:
    """Runs the core over timed inputs; DIN outputs drain a byte per 320 µs, USB at once."""

    def __init__(self, settings):
        self.core = Core(settings)
        self.sent = [[] for _ in range(N_OUTPUTS)]  # (µs the byte starts on the wire, byte)
        self.sources = [[] for _ in range(N_OUTPUTS)]  # per byte sent: the input it came from (-1: realtime, -2: the box)

    def run(self, captures):
        """captures: {input port: [(µs, bytes)]}. Returns self.sent."""
        core = self.core
        timeline = []
        for port, events in captures.items():
            timeline.extend(arrivals(events, port))
        timeline.sort(key=lambda e: e[0])
        wire_free = [0] * N_OUTPUTS
        buf = bytearray(USB_CHUNK)
        i = 0
        t = timeline[0][0] if timeline else 0
        end = (timeline[-1][0] if timeline else 0) + SETTLE_US
        while True:
            now_ms = (t // 1000) & TICKS_MAX
            while i < len(timeline) and timeline[i][0] <= t:
                _, port, data = timeline[i]
                core.receive(port, data, len(data), now_ms)
                i += 1
            core.tick(now_ms)
            busy_until = []
            for o in range(N_OUTPUTS):
                if o == OUT_USB:
                    # USB takes whole messages as fast as they come: one at a time here (the
                    # smallest room that gives one), so that each is known by its input.
                    while True:
                        for room in (1, 2, 3):
                            n = core.transmit(o, buf, room)
                            if n:
                                break
                        if not n:
                            break
                        self._note(o, t, buf, n)
                    continue
                if wire_free[o] <= t and core.transmit(o, buf, 1):
                    self._note(o, t, buf, 1)
                    wire_free[o] = t + BYTE_US
                if wire_free[o] > t:
                    busy_until.append(wire_free[o])
            upcoming = busy_until
            if i < len(timeline):
                upcoming.append(timeline[i][0])
            elif t < end and core.waits_on_time():
                # Something waits on time alone (a SysEx left open, Active Sensing): step in ms.
                upcoming.append((t // 1000 + 1) * 1000)
            if not upcoming:
                break
            t = min(upcoming)
        return self.sent

    def _note(self, o, t, buf, n):
        """Keep n bytes output o sent at t, and the input each came from."""
        source = self.core.outputs[o].source
        for b in buf[:n]:
            self.sent[o].append((t, b))
            self.sources[o].append(-1 if b >= 0xF8 else (source if source < N_INPUTS else -2))
