"""The box's ports, opened from the pin map: DIN on UARTs and PIO, USB MIDI, LEDs and the button."""

# Every pin is looked up as microcontroller.pin.GPIO<n> with n from thruway_board.pins: this
# module never names a board's pins. The output drivers never let a write block: each keeps
# its own account of what its port can take now and asks the core for only that much.

import array

import board
import busio
import digitalio
import microcontroller
import rp2pio
import usb_midi

from thruway.midi import OUT_USB, TICKS_HALF, TICKS_MAX, const
from thruway_board.pins import BOARDS, INPUTS, OUTPUTS, PINS

if False:  # for the type check only (CircuitPython has no typing module)
    from typing import Any

    from thruway_board.status import LedStatus, PixelStatus

BAUD = const(31250)
BYTE_US = const(320)  # 10 bits at 31250 baud
# busio.UART's receive ring (taken from the heap): 327 ms of a saturated DIN input, three times
# the longest the loop holds MIDI (a saved settings file applied while it plays: 95 ms).
RX_BUFFER = const(1024)
READ_CHUNK = const(32)  # bytes read from one input per loop pass (10 ms of wire)
UART_TX_SLOTS = const(32)  # 32-byte TX FIFO; the shift register's 33rd byte is kept as margin
# How far ahead of its wire an output may be written. The account is kept in whole ms (the
# only clock that allocates nothing), so it may think the wire a millisecond busier than it
# is; 16 bytes (5.1 ms) keep a wire busy through the longest passes, so that one input at the
# full rate into one output is carried whole (measured on the rig: with 8, 3% of the wire was
# lost to the account and the delay grew). An output that has carried clock or transport in
# the last 100 ms is held to 8 (2.6 ms): a clock byte can wait behind no more than that.
LEAD_BYTES = const(16)
CLOCK_LEAD_BYTES = const(8)
MAX_LATE_MS = const(12)  # the furthest ahead a wire account can be (32 bytes: 10.24 ms)
# Bytes handed to USB MIDI per pass, whole messages only (32 a pass is ten times a DIN wire
# even at a pass a millisecond; each byte of it costs a view of 20 bytes of heap).
USB_CHUNK = const(32)
USB_STALL_MS = const(250)  # a computer that takes nothing this long is not listening

# CircuitPython's own names for the boards the pin map knows (board.board_id).
BOARD_IDS = {"raspberry_pi_pico": "pico", "adafruit_feather_rp2040": "feather_rp2040"}

# A UART transmitter (8 data bits, no parity, 1 stop bit) for a PIO state machine, 8 PIO
# cycles a bit, so the state machine runs at 8 x 31250 Hz. The usual 4-instruction program
# (RP2040 datasheet, 3.6.3 "UART TX"), written as:
#   .side_set 1 opt
#       pull block    side 1 [7]  ; line high: the stop bit, or idle while no byte waits
#       set x, 7      side 0 [7]  ; line low: the start bit; 8 data bits to go
#   bitloop:
#       out pins, 1               ; the next data bit, least significant first
#       jmp x-- bitloop      [6]  ; 8 cycles a bit
# and assembled by hand from the datasheet's encoding (3.4): bits 15-13 opcode, 12-8
# side-set enable, side-set value and delay, 7-0 operands. tests/board checks these four
# words against adafruit_pioasm and runs them in a cycle-by-cycle model of the state machine.
UART_TX_PROGRAM = array.array("H", [0x9FA0, 0xF727, 0x6001, 0x0642])

# A microsecond counter for a state machine with no pins, at 5 MHz (125 MHz / 25: a whole
# divider, so every count is the same length), five cycles a count:
#       mov y, ~x        ; x counts down from 0, so ~x counts up
#       mov isr, null    ; an ISR left full by a push the FIFO had no room for starts empty
#       in y, 29         ; the count's low 29 bits: wraps like ticks_ms, a small int on the board
#       push noblock     ; into the RX FIFO; dropped while the FIFO is full
#       jmp x-- 0        ; the next count (x-- on zero wraps, and falls through to the wrap)
# Reading it (microsecond_reader) empties the FIFO and waits for the next push, under a µs.
# supervisor.ticks_ms steps in 1/1024 s (0.98 or 1.95 ms apart, measured on the rig), and
# time.monotonic_ns() makes a long int on each call; this allocates nothing.
MICROSECOND_PROGRAM = array.array("H", [0xA049, 0xA0C3, 0x405D, 0x8000, 0x0040])
MICROSECOND_HZ = 5_000_000


def gpio(number):
    """The pin object of RP2040 GPIO `number` (the pin map's numbers work on every board)."""
    # circuitpython-stubs 10.3 has no microcontroller.pin (the module of GPIOn pins).
    return getattr(microcontroller.pin, "GPIO%d" % number)  # type: ignore[attr-defined]


def board_key():
    """The pin map's key for the board we run on ("pico", "feather_rp2040"), or None."""
    return BOARD_IDS.get(board.board_id)


def _views(buf):
    """A memoryview of buf[:n] for every n, made once: slicing in the loop would allocate."""
    whole = memoryview(buf)
    return [whole[:n] for n in range(len(buf) + 1)]


class DinOut:
    """A DIN output: a hardware UART's transmitter (`uart`) or a PIO state machine running
    UART_TX_PROGRAM (`sm`), and the account of when its wire will be free.

    Neither busio.UART nor rp2pio can say how much room a transmitter has: UART.write()
    returns at once while the 32-byte FIFO (plus the shift register) has room and busy-waits
    at wire speed beyond; background_write() blocks while an earlier buffer has not started
    (pending_write), and its DMA reads a buffer while sending it. So this driver remembers
    when the last byte it wrote leaves the wire, as a millisecond tick and microseconds past
    it, counting pessimistically (a write is taken to happen at the end of the millisecond it
    was read in), and never writes more than `lead` bytes ahead of the wire; on PIO it writes
    only when pending_write is 0 and alternates two buffers, so the one it refills has been
    sent. No write ever blocks."""

    def __init__(self, index, uart=None, sm=None, lead=LEAD_BYTES):
        # type: (int, busio.UART | None, rp2pio.StateMachine | None, int) -> None
        self.index = index
        self.port = uart
        self.sm = sm
        self.most = self.lead = min(lead, UART_TX_SLOTS)  # the loop may lower lead (pace_outputs)
        first = bytearray(self.lead)
        views = _views(first)
        if sm is None:
            # A UART write copies into its FIFO at once: one buffer (and one set of views).
            self.bufs = (first, first)
            self.views = (views, views)
        else:
            second = bytearray(self.lead)
            self.bufs = (first, second)
            self.views = (views, _views(second))
        self.turn = 0
        self.end_ms = 0  # the last byte written leaves the wire by end_ms + end_us
        self.end_us = 0
        self.sent = 0  # bytes written, wrapping at 2**29 (like every counter here)
        self.transmit = None  # type: Any  # core.transmit, set by attach()

    def attach(self, core):
        self.transmit = core.transmit

    def room(self, now):
        """Bytes this output can take at tick `now` without a write blocking."""
        late = ((self.end_ms - now + TICKS_HALF) & TICKS_MAX) - TICKS_HALF
        if late < 0 or late > MAX_LATE_MS:  # idle (an account older than 2**28 ms looks ahead)
            return self.lead
        return self.lead - (late * 1000 + self.end_us + BYTE_US - 1) // BYTE_US

    def service(self, now, most=UART_TX_SLOTS):
        """Give the wire what it can take now, `most` bytes at the most; returns the number of
        bytes written."""
        # The room() arithmetic, inline: a call per output per pass costs real time on the board.
        late = ((self.end_ms - now + TICKS_HALF) & TICKS_MAX) - TICKS_HALF
        if late < 0 or late > MAX_LATE_MS:
            room = self.lead
        else:
            room = self.lead - (late * 1000 + self.end_us + BYTE_US - 1) // BYTE_US
            if room <= 0:
                return 0
        if room > most:
            room = most
        sm = self.sm
        if sm is not None and sm.pending_write:
            return 0
        turn = self.turn
        n = self.transmit(self.index, self.bufs[turn], room)
        if not n:
            return 0
        port = self.port
        if port is not None:
            port.write(self.views[0][n])
        elif sm is not None:
            sm.background_write(once=self.views[turn][n])
            self.turn = turn ^ 1
        if late < 1 or late > MAX_LATE_MS:
            # The wire is idle, or frees within this millisecond: the bytes start by now + 1.
            end_ms = now + 1
            us = n * BYTE_US
        else:
            end_ms = self.end_ms
            us = self.end_us + n * BYTE_US
        if us >= 1000:
            end_ms += us // 1000
            us %= 1000
        self.end_ms = end_ms & TICKS_MAX
        self.end_us = us
        self.sent = (self.sent + n) & TICKS_MAX  # a counter that outgrew a small int would allocate
        return n


class UsbOut:
    """The USB MIDI output. PortOut.write() never blocks: with no computer it takes nothing,
    with its buffer full it takes whole USB-MIDI packets and leaves the rest. What it leaves
    is offered again on the next pass; what a computer has not taken for USB_STALL_MS is
    dropped (counted), and with no computer attached nothing is queued at all."""

    def __init__(self, port):
        # type: (usb_midi.PortOut) -> None
        self.port = port
        self.index = OUT_USB
        self.buf = bytearray(USB_CHUNK)
        self.views = _views(self.buf)
        self.pending = 0  # bytes at the front of buf the port has not taken yet
        self.since = 0  # tick of the last progress
        self.connected = True  # kept up to date by the loop (supervisor.runtime.usb_connected)
        self.sent = 0
        self.discarded = 0  # bytes dropped because no computer took them
        self.transmit = None  # type: Any
        self.core = None  # type: Any

    def attach(self, core):
        self.transmit = core.transmit
        self.core = core

    def service(self, now):
        if not self.connected:
            return 0
        n = self.pending
        if not n:
            n = self.transmit(OUT_USB, self.buf, USB_CHUNK)
            if not n:
                return 0
            self.since = now
        took = self.port.write(self.views[n]) or 0
        if took >= n:
            self.pending = 0
            self.sent = (self.sent + n) & TICKS_MAX
            return n
        if took:
            # Keep the rest at the front of the buffer (no slice: it would allocate).
            buf = self.buf
            for i in range(n - took):
                buf[i] = buf[took + i]
            self.since = now
            self.sent = (self.sent + took) & TICKS_MAX
        self.pending = n - took
        if ((now - self.since) & TICKS_MAX) > USB_STALL_MS:
            self.drop()
        return took

    def drop(self):
        """Forget everything waiting for the computer: what this driver holds and the core's queue."""
        core = self.core
        self.discarded = (self.discarded + self.pending) & TICKS_MAX
        self.pending = 0
        if core is not None and core.waiting(OUT_USB):
            self.discarded = (self.discarded + core.waiting(OUT_USB)) & TICKS_MAX
            core.outputs[OUT_USB].clear()


class Ports:
    """Everything the loop touches, opened: inputs, outputs, LEDs, button, status light."""

    def __init__(self):
        self.inputs = []  # type: list[busio.UART]  # per DIN input, in the order of INPUTS
        self.outputs = []  # type: list[DinOut]  # per DIN output, in the order of OUTPUTS
        self.usb_in = None  # type: usb_midi.PortIn | None
        self.usb_out = None  # type: UsbOut | None
        self.leds = []  # type: list[digitalio.DigitalInOut | None]  # in1, in2, out1..out4
        self.button = None  # type: digitalio.DigitalInOut | None
        self.button_pressed = False  # the value the button reads when pressed
        self.status = None  # type: LedStatus | PixelStatus | None
        self.board = None  # type: str | None
        self.microseconds = None  # type: Any  # microsecond_reader()'s function, once opened
        self.counter_tried = False
        self.to_close = []  # type: list[Any]

    def microsecond_clock(self):
        """The microsecond counter's read function, opened at the first call: its state
        machine runs only in a box that makes its own clock. None when none is free."""
        if not self.counter_tried:
            self.counter_tried = True
            sm = open_microseconds()
            if sm is not None:
                self.to_close.append(sm)
                self.microseconds = microsecond_reader(sm)
        return self.microseconds

    def deinit(self):
        """Release every pin (the REPL's looptest and a soft reload need them)."""
        for thing in self.to_close:
            thing.deinit()
        self.to_close = []


def open_uarts(pins=PINS):
    """One busio.UART per UART block the pin map uses (RX and TX of a block share it)."""
    blocks = {}  # type: dict
    for name in INPUTS + OUTPUTS:
        entry = pins[name]
        if entry["kind"] in ("uart_rx", "uart_tx"):
            blocks.setdefault(entry["uart"], {})[entry["kind"]] = entry["gpio"]
    uarts = {}
    for block in sorted(blocks):
        rx = blocks[block].get("uart_rx")
        tx = blocks[block].get("uart_tx")
        uarts[block] = busio.UART(
            tx=None if tx is None else gpio(tx),
            rx=None if rx is None else gpio(rx),
            baudrate=BAUD,
            timeout=0,
            receiver_buffer_size=RX_BUFFER,
        )
    return uarts


def open_pio_out(number):
    """A PIO state machine sending UART frames at 31250 baud on GPIO `number`, line idle high."""
    pin = gpio(number)
    return rp2pio.StateMachine(
        UART_TX_PROGRAM,
        frequency=8 * BAUD,
        first_out_pin=pin,
        initial_out_pin_state=1,
        initial_out_pin_direction=1,
        first_sideset_pin=pin,
        initial_sideset_pin_state=1,
        initial_sideset_pin_direction=1,
        out_shift_right=True,
        sideset_pin_count=1,  # .side_set 1 opt
        sideset_enable=True,
    )


def microsecond_reader(sm):
    """The function that reads the microsecond count of `sm` (running MICROSECOND_PROGRAM):
    it allocates nothing."""
    word = array.array("I", [0])  # 32 bits on the board and on a computer
    clear = sm.clear_rxfifo
    readinto = sm.readinto

    def read():
        # Counts in the FIFO are stale once it is full: empty it, then take the next.
        clear()
        readinto(word)
        return word[0]

    return read


def open_microseconds():
    """A PIO state machine counting microseconds, wrapping at 2**29 like ticks_ms, or None
    when none is free (the box's own clock then keeps whole milliseconds)."""
    try:
        sm = rp2pio.StateMachine(MICROSECOND_PROGRAM, frequency=MICROSECOND_HZ, in_shift_right=False)
    except (RuntimeError, ValueError, NotImplementedError):
        return None
    if sm.frequency != MICROSECOND_HZ:
        sm.deinit()
        return None
    return sm


def open_usb():
    """usb_midi's input and output port, or None for each one that is not there."""
    port_in = None
    port_out = None
    for port in usb_midi.ports:
        if isinstance(port, usb_midi.PortIn):
            port_in = port
        elif isinstance(port, usb_midi.PortOut):
            port_out = port
    return port_in, port_out


def open_led(number):
    led = digitalio.DigitalInOut(gpio(number))
    led.switch_to_output(value=False)
    return led


def open_ports(pins=PINS, lead=LEAD_BYTES):
    """Open every port of the pin map on this board."""
    from thruway_board.status import open_status

    ports = Ports()
    ports.board = board_key()
    uarts = open_uarts(pins)
    ports.to_close.extend(uarts.values())
    for name in INPUTS:
        entry = pins[name]
        if entry["kind"] != "uart_rx":
            raise ValueError("%s: inputs must be on a UART receiver (uart_rx), not %s" % (name, entry["kind"]))
        ports.inputs.append(uarts[entry["uart"]])
    for index, name in enumerate(OUTPUTS):
        entry = pins[name]
        if entry["kind"] == "uart_tx":
            ports.outputs.append(DinOut(index, uart=uarts[entry["uart"]], lead=lead))
        elif entry["kind"] == "pio_tx":
            sm = open_pio_out(entry["gpio"])
            ports.to_close.append(sm)
            ports.outputs.append(DinOut(index, sm=sm, lead=lead))
        else:
            raise ValueError("%s: outputs go on uart_tx or pio_tx, not %s" % (name, entry["kind"]))
    ports.usb_in, port_out = open_usb()
    if port_out is not None:
        ports.usb_out = UsbOut(port_out)
    for name in INPUTS + OUTPUTS:
        entry = pins.get("led_" + name)
        led = None if entry is None else open_led(entry["gpio"])
        if led is not None:
            ports.to_close.append(led)
        ports.leds.append(led)
    panic = pins.get("panic")
    if panic is not None:
        button = digitalio.DigitalInOut(gpio(panic["gpio"]))
        button.switch_to_input(pull=digitalio.Pull.UP if panic.get("pull", "up") == "up" else digitalio.Pull.DOWN)
        ports.button = button
        ports.button_pressed = bool(panic["pressed"])
        ports.to_close.append(button)
    if ports.board is not None:
        ports.status = open_status(BOARDS[ports.board]["status_led"], gpio)
        if ports.status is not None:
            ports.to_close.append(ports.status)
    return ports
