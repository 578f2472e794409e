"""The firmware loop's cost in this VM: thruway_board.loop.Loop.step() over stand-in ports, as one JSON line.

Usage: loopbench.py SETTINGS MIXED [ROUNDS]   (with lib, bench_mpy and bench_mpy/stubs on the path)

The real Loop and the real output drivers (DinOut, UsbOut) run; only what would be
CircuitPython's C code (busio.UART, rp2pio.StateMachine, usb_midi ports) is stood in for by the
small classes below, written in Python, so they cost more than the C they replace: the figures
are upper bounds. The clock moves 1 ms a pass, so the housekeeping (core timeouts, button,
LEDs, settings file) runs every 4th pass, as it would with passes of about a millisecond.
Times: N passes with nothing arriving, and N passes with a byte of the mixed stream waiting on
in1 or in2 in turn; each the best of ROUNDS runs."""

import json
import sys

from thruway_board.loop import Loop
from thruway_board.ports import DinOut, Ports, UsbOut

from benchclock import clock, since


class Uart:
    """busio.UART as the loop uses it: in_waiting, readinto (timeout=0), write."""

    def __init__(self):
        self.data = b""
        self.pos = 0
        self.end = 0

    @property
    def in_waiting(self):
        return self.end - self.pos

    def readinto(self, buf):
        n = self.end - self.pos
        if n > len(buf):
            n = len(buf)
        data = self.data
        pos = self.pos
        for i in range(n):
            buf[i] = data[pos + i]
        self.pos = pos + n
        return n

    def write(self, buf):
        return len(buf)


class StateMachine:
    """rp2pio.StateMachine as DinOut uses it: pending_write and background_write."""

    pending_write = 0

    def background_write(self, once=None):
        pass


class UsbIn:
    def readinto(self, buf):
        return 0


class UsbOutPort:
    def write(self, buf):
        return len(buf)


class Led:
    value = False


class Ticks:
    def __init__(self):
        self.now = 0

    def __call__(self):
        return self.now


def build(settings_path):
    ports = Ports()
    ports.board = "pico"
    ports.inputs = [Uart(), Uart()]
    ports.outputs = [DinOut(0, uart=Uart()), DinOut(1, uart=Uart()), DinOut(2, sm=StateMachine()), DinOut(3, sm=StateMachine())]
    ports.usb_in = UsbIn()
    ports.usb_out = UsbOut(UsbOutPort())
    ports.leds = [Led() for _ in range(6)]
    ticks = Ticks()
    loop = Loop(ports, settings_path=settings_path, ticks_ms=ticks, say=lambda line: None)
    loop.start()
    return loop, ticks


def idle(loop, ticks, n):
    step = loop.step
    t0 = clock()
    for _ in range(n):
        ticks.now += 1
        step()
    return since(t0)


def busy(loop, ticks, data):
    """A byte of `data` waiting on in1, then on in2, then in1... one per pass."""
    step = loop.step
    in1, in2 = loop.inputs
    in1.data = in2.data = data
    in1.pos = in2.pos = in1.end = in2.end = 0
    t0 = clock()
    for _ in range(len(data)):
        ticks.now += 1
        in1.end += 1
        step()
        ticks.now += 1
        in2.end += 1
        step()
    return since(t0)


def main():
    settings_path, mixed_path = sys.argv[1:3]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with open(mixed_path, "rb") as f:
        data = f.read() * 2
    loop, ticks = build(settings_path)
    n = 2 * len(data)
    busy(loop, ticks, data)  # warm-up
    idle(loop, ticks, n)
    t_busy = []
    t_idle = []
    for _ in range(rounds):  # interleaved, so that a slow spell of the machine hits both
        t_busy.append(busy(loop, ticks, data))
        t_idle.append(idle(loop, ticks, n))
    stats = loop.core.stats()["outputs"]["out1"]
    result = {
        "vm": sys.implementation.name,
        "passes": n,
        "bytes": n,
        "us_per_pass_idle": min(t_idle) / n,
        "us_per_byte": (min(t_busy) - min(t_idle)) / n,
        "out1_bytes": loop.outs[0].sent,
        "out1_dropped": sum(v for k, v in stats.items() if k.startswith("dropped_")),
    }
    print(json.dumps(result))


main()
