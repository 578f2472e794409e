"""The on-board loopback test: a good cable passes, a dead or garbling one fails with a useful line, ports open right."""

import sys
import types

import pytest

from hardware import looptest


class Clock:
    """time.monotonic stand-in that moves 1 ms per call; sleep() moves it on too."""

    def __init__(self):
        self.t = 0.0

    def __call__(self):
        self.t += 0.001
        return self.t

    def sleep(self, seconds):
        self.t += seconds


class Cable:
    """A MIDI cable between two fake UARTs: what is written comes back in chunks, optionally altered."""

    def __init__(self, chunks=(64,), alter=None):
        self.pending = bytearray()
        self.chunks = list(chunks)
        self.turn = 0
        self.alter = alter

    def write(self, data):
        data = bytes(data)
        self.pending.extend(self.alter(data) if self.alter else data)

    def readinto(self, buf):
        if not self.pending:
            return None  # busio.UART with timeout=0 and nothing received
        size = min(self.chunks[self.turn % len(self.chunks)], len(self.pending), len(buf))
        self.turn += 1
        buf[:size] = self.pending[:size]
        del self.pending[:size]
        return size


def test_good_cable_passes():
    """Every pattern comes back intact: OK with the count."""
    cable = Cable()
    assert looptest.check(cable, cable, Clock()) == "OK: 8/8 patterns came back intact"


def test_good_cable_in_small_reads_passes():
    """Bytes arriving a few at a time (as a UART's ring buffer hands them over) still make whole patterns."""
    cable = Cable(chunks=(2, 2, 1, 1, 3))
    assert looptest.check(cable, cable, Clock(), rounds=3) == "OK: 3/3 patterns came back intact"


def test_dead_port_fails_with_nothing_came_back():
    """No cable, or a dead IN/OUT: says nothing came back and what to check."""
    sent = Cable()
    silent = Cable()
    assert looptest.check(sent, silent, Clock()).startswith("FAIL: nothing came back")


def test_garbled_bytes_fail_with_a_hexdump():
    """A flipped bit shows what was sent and what arrived."""
    cable = Cable(alter=lambda data: data.replace(b"\x55", b"\x54"))
    verdict = looptest.check(cable, cable, Clock(), rounds=2)
    assert verdict == (
        "FAIL: 0/2 intact; sent 90 3C 64 80 3C 00 F0 7D 55 2A 7F 00 F7, got 90 3C 64 80 3C 00 F0 7D 54 2A 7F 00 F7"
    )


class FakeUART:
    """busio.UART stand-in that records how it was opened."""

    opened = []

    def __init__(self, tx=None, rx=None, baudrate=9600, timeout=1, receiver_buffer_size=64):
        self.tx, self.rx, self.baudrate, self.timeout = tx, rx, baudrate, timeout
        self.receiver_buffer_size = receiver_buffer_size
        self.kind = "busio"
        FakeUART.opened.append(self)

    def deinit(self):
        pass


class FakeStateMachine:
    """rp2pio.StateMachine stand-in: keeps the program and pins it was started with."""

    def __init__(self, program, frequency, **kwargs):
        self.program, self.frequency, self.kwargs = program, frequency, kwargs
        self.kind = "pio"
        self.written = bytearray()

    def write(self, data):
        self.written.extend(data)

    def deinit(self):
        pass


@pytest.fixture
def board_modules(monkeypatch):
    """Explicit fakes for the CircuitPython modules thruway_board.ports and looptest import; a fresh ports module."""
    FakeUART.opened = []
    pins = types.SimpleNamespace(**{"GPIO%d" % n: "GPIO%d" % n for n in range(30)})
    monkeypatch.setitem(sys.modules, "microcontroller", types.SimpleNamespace(pin=pins))
    monkeypatch.setitem(sys.modules, "busio", types.SimpleNamespace(UART=FakeUART))
    monkeypatch.setitem(sys.modules, "rp2pio", types.SimpleNamespace(StateMachine=FakeStateMachine))
    for name in ("board", "digitalio", "usb_midi"):
        monkeypatch.setitem(sys.modules, name, types.SimpleNamespace(board_id="raspberry_pi_pico"))
    monkeypatch.delitem(sys.modules, "thruway_board.ports", raising=False)
    monkeypatch.delitem(sys.modules, "adafruit_pio_uart", raising=False)
    from thruway_board import ports

    return ports


def test_same_uart_block_opens_one_uart(board_modules):
    """out1 and in1 are both UART0: one busio.UART with TX GP0 and RX GP1 at 31250 baud, as the firmware opens it."""
    send, receive, to_close = looptest.open_pair("out1", "in1")
    assert send is receive and to_close == (send,)
    assert (send.kind, send.tx, send.rx, send.baudrate, send.timeout) == ("busio", "GPIO0", "GPIO1", 31250, 0)
    assert send.receiver_buffer_size == board_modules.RX_BUFFER


def test_pio_output_is_the_firmwares_own_transmitter(board_modules):
    """out3 goes out through thruway_board.ports' PIO program on GP6 (never adafruit_pio_uart); in2 is UART1 RX on GP9."""
    send, receive, to_close = looptest.open_pair("out3", "in2")
    assert send.kind == "pio"
    assert send.program is board_modules.UART_TX_PROGRAM
    assert send.frequency == 8 * 31250
    assert send.kwargs["first_out_pin"] == "GPIO6" and send.kwargs["first_sideset_pin"] == "GPIO6"
    assert (receive.kind, receive.tx, receive.rx, receive.timeout) == ("busio", None, "GPIO9", 0)
    assert to_close == (send, receive)
    assert "adafruit_pio_uart" not in sys.modules
    assert "adafruit_pio_uart" not in open(looptest.__file__, encoding="utf-8").read().split('"""', 2)[2]


def test_pio_output_passes_the_loopback_check(board_modules):
    """What the firmware's PIO transmitter is given comes back whole through a good cable."""
    send, _, _ = looptest.open_pair("out4", "in1")
    cable = Cable()
    send.write = cable.write  # the state machine's FIFO feeds the cable
    assert looptest.check(send, cable, Clock(), rounds=2) == "OK: 2/2 patterns came back intact"


def test_send_plays_middle_c_for_another_device(board_modules, monkeypatch):
    """looptest.send: Note On then Note Off C4 on channel 1 once a second, out of the firmware's own transmitter."""
    import time

    clock = Clock()
    monkeypatch.setattr(time, "monotonic", clock)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    sent = []
    monkeypatch.setattr(FakeStateMachine, "write", lambda self, data: sent.append(bytes(data)))
    looptest.send("out3", seconds=3)
    assert sent == [b"\x90\x3c\x64", b"\x80\x3c\x00"] * 3


def test_listen_prints_what_another_device_sends(board_modules, monkeypatch, capsys):
    """looptest.listen: every byte into the input is printed in hex, clock and Active Sensing left out, and counted."""
    import time

    monkeypatch.setattr(time, "monotonic", Clock())
    cable = Cable(chunks=(4,))
    cable.write(b"\xfe\x90\x3c\x64\xf8\x80\x3c\x00")
    monkeypatch.setattr(FakeUART, "readinto", lambda self, buf: cable.readinto(buf), raising=False)
    assert looptest.listen("in1", seconds=1) == 6
    assert capsys.readouterr().out.splitlines() == ["in1: 90 3C 64", "in1: 80 3C 00", "in1: 6 byte(s) heard"]
