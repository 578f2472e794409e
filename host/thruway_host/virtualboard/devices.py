"""The virtual board's hardware: pins, UARTs, PIO transmitters, USB MIDI and the drive, in virtual time.

Each device works out lazily what happened since it was last asked (bytes arrived, bytes
left the wire), so a pass of the firmware costs only what it touches. Behaviour follows
CircuitPython's RP2040 port (ports/raspberrypi/common-hal/busio/UART.c, .../rp2pio/
StateMachine.c), TinyUSB's MIDI device class, and the facts measured on CircuitPython 10.2.1
listed in the project's CIRCUITPYTHON.md."""

import collections
import os

from thruway_host.virtualboard.pio import uart_timing

BYTE_US = 320  # a byte at 31250 baud: 10 bits of 32 µs
INF = float("inf")

N_GPIO = 30


class Pin:
    """An RP2040 GPIO (microcontroller.Pin): compared by identity, as on the board."""

    def __init__(self, number):
        self._number = number

    def __repr__(self):
        return "microcontroller.pin.GPIO%d" % self._number

    def __hash__(self):
        return hash(self._number)


class PinBank:
    """Who holds each GPIO, the level outside drives on inputs, what outputs did (history)."""

    def __init__(self, clock):
        self.clock = clock
        self.pins = [Pin(n) for n in range(N_GPIO)]
        self.owner = {}  # gpio -> description
        self.claims = []  # every (gpio, description) ever claimed
        self.external = {}  # gpio -> level driven from outside (a pressed button: 0)
        self.history = collections.defaultdict(list)  # gpio -> [(time, level)] of outputs
        self.pull = {}  # gpio -> "up" / "down"

    def number(self, pin):
        if not isinstance(pin, Pin) or self.pins[pin._number] is not pin:
            raise TypeError("expected a microcontroller.Pin, got %r" % (pin,))
        return pin._number

    def claim(self, pin, what):
        n = self.number(pin)
        if n in self.owner:
            raise ValueError("GPIO%d in use" % n)
        self.owner[n] = what
        self.claims.append((n, what))
        return n

    def release(self, n):
        self.owner.pop(n, None)
        self.pull.pop(n, None)

    def level(self, n):
        """What an input pin reads: the outside world's level, else its pull, else 0."""
        if n in self.external:
            return self.external[n]
        return 1 if self.pull.get(n) == "up" else 0

    def drive(self, n, level):
        h = self.history[n]
        if not h or h[-1][1] != level:
            h.append((self.clock.now, level))


class UartRx:
    """A UART receiver: the wire, the 32-byte hardware FIFO, CircuitPython's ring buffer.

    A byte is complete 320 µs after its start bit. The receive interrupt moves the FIFO into
    the ring buffer when the FIFO holds 4 bytes, or 32 bit times (1024 µs) after the last
    byte; a full ring leaves bytes in the FIFO; a byte arriving to a full FIFO is lost
    (`overrun`). Interrupts are off while the flash is written (`irq_off`)."""

    FIFO = 32
    IRQ_LEVEL = 4
    TIMEOUT_US = 32 * 32

    def __init__(self, clock):
        self.clock = clock
        self.arrivals = collections.deque()  # (time complete, byte)
        self.line_free = 0
        self.fifo = collections.deque()
        self.ring = collections.deque()
        self.ring_size = 0
        self.open = False
        self.overrun = 0  # bytes lost: hardware FIFO full
        self.unheard = 0  # bytes that arrived while no busio.UART listened
        self.received = 0  # bytes that reached the FIFO
        self.read = 0  # bytes handed to the firmware
        self.last_arrival = -INF
        self.timeout_armed = False
        self.deferred = None  # time a deferred interrupt runs
        self.irq_off = []  # (start, end) windows, interrupts off

    def send(self, data, at=None):
        """Put `data` on the wire, back to back from `at` (µs; default now or when the wire is free)."""
        start = max(self.clock.now if at is None else at, self.line_free)
        for b in bytes(data):
            start += BYTE_US
            self.arrivals.append((start, b))
        self.line_free = start
        return start

    def _irq_window(self, t):
        for a, b in self.irq_off:
            if a <= t < b:
                return b
        return None

    def _isr(self, t):
        end = self._irq_window(t)
        if end is not None:
            self.deferred = end if self.deferred is None else min(self.deferred, end)
            return
        self._copy()

    def _copy(self):
        fifo, ring = self.fifo, self.ring
        while fifo and len(ring) < self.ring_size:
            ring.append(fifo.popleft())

    def run_until(self, t):
        arrivals = self.arrivals
        while True:
            ta = arrivals[0][0] if arrivals else INF
            tt = self.last_arrival + self.TIMEOUT_US if (self.timeout_armed and self.fifo) else INF
            td = self.deferred if self.deferred is not None else INF
            te = min(ta, tt, td)
            if te > t:
                return
            if te == td:
                self.deferred = None
                self._isr(td)
            elif te == ta:
                _, b = arrivals.popleft()
                if not self.open:
                    self.unheard += 1
                    continue
                if len(self.fifo) >= self.FIFO:
                    self.overrun += 1
                else:
                    self.fifo.append(b)
                    self.received += 1
                self.last_arrival = ta
                self.timeout_armed = True
                if len(self.fifo) >= self.IRQ_LEVEL:
                    self._isr(ta)
            else:
                self.timeout_armed = False
                self._isr(tt)

    # What busio.UART does (called at clock.now).
    def waiting(self):
        self.run_until(self.clock.now)
        self._copy()  # in_waiting moves the FIFO into the ring first
        return len(self.ring)

    def take(self, n):
        """readinto with timeout=0: what the ring holds (up to n), then the FIFO moves in."""
        self.run_until(self.clock.now)
        ring = self.ring
        k = min(n, len(ring))
        out = bytes(ring.popleft() for _ in range(k))
        self._copy()
        self.read += k
        return out

    def next_arrival(self):
        return self.arrivals[0][0] if self.arrivals else None

    def pending(self):
        """Bytes on the wire not yet arrived, in the FIFO or in the ring."""
        return len(self.arrivals) + len(self.fifo) + len(self.ring)


class UartTx:
    """A UART transmitter: 32-byte FIFO plus the shift register, a byte every 320 µs.
    write() takes what fits at once and busy-waits (clock.block_until) for the rest."""

    SLOTS = 33

    def __init__(self, clock, name):
        self.clock = clock
        self.name = name
        self.ends = collections.deque()  # when each byte in the transmitter leaves the wire
        self.wire = []  # (time the start bit begins, byte)
        self.last_end = 0

    def _purge(self):
        now = self.clock.now
        ends = self.ends
        while ends and ends[0] <= now:
            ends.popleft()

    def in_flight(self):
        self._purge()
        return len(self.ends)

    def write(self, data):
        start = self.clock.now
        for b in bytes(data):
            self._purge()
            if len(self.ends) >= self.SLOTS:
                self.clock.run_to(self.ends[0])  # busy-waits for room
                self._purge()
            begin = max(self.clock.now, self.last_end)
            self.last_end = begin + BYTE_US
            self.ends.append(self.last_end)
            self.wire.append((begin, b))
        self.clock.record(start, "%s write (FIFO full)" % self.name)
        return len(data)


class PioTx:
    """A PIO state machine running a UART TX program, fed by DMA (rp2pio background_write).

    The TX FIFO is 8 deep (the program has no IN, so CircuitPython joins both FIFOs). DMA
    moves a buffer's bytes into the FIFO as room appears, reading the buffer at that moment
    (a buffer changed while it is being sent sends the changed bytes). `pending` follows
    CircuitPython: 1 from background_write until that buffer has started, and for the very
    first buffer until it has been moved whole."""

    FIFO = 8

    def __init__(self, clock, name, program, frequency, sideset_pin_count, sideset_enable, out_shift_right):
        bit, start = uart_timing(program, sideset_pin_count, sideset_enable, out_shift_right)
        self.clock = clock
        self.name = name
        self.bit_us = bit * 1_000_000 // frequency
        self.start_us = start * 1_000_000 // frequency
        self.byte_us = 10 * self.bit_us
        self.fifo = collections.deque()  # (time it entered, byte)
        self.active = None  # [view, next index, start time]
        self.queued = None
        self.pending = 0
        self.dma_used = False
        self.sm_ready = 0  # when the state machine can pull its next byte
        self.wire = []  # (time the start bit begins, byte)
        clock.listeners.append(self)

    def sync(self, t):
        self.run_until(t)

    def _fill(self, t):
        """DMA moves bytes into the FIFO while it has room; `t` is when the room appeared."""
        while self.active is not None and len(self.fifo) < self.FIFO:
            view, i, started = self.active
            when = max(t, started)
            self.fifo.append((when, view[i]))  # DMA reads the buffer now
            i += 1
            if i < len(view):
                self.active[1] = i
                continue
            # The buffer is moved whole: the next one starts, and nothing is pending.
            self.active = self.queued
            if self.active is not None:
                self.active[2] = when
            self.queued = None
            self.pending = 0

    def run_until(self, t):
        self._fill(-INF)
        while self.fifo:
            pull = max(self.sm_ready, self.fifo[0][0])
            if pull > t:
                return
            _, b = self.fifo.popleft()
            self.wire.append((pull + self.start_us, b))
            self.sm_ready = pull + self.byte_us
            self._fill(pull)

    def start_of_queue_time(self):
        """When a background_write waiting on `pending` could go: the active buffer's last byte in."""
        view, i, _ = self.active
        left = len(view) - i
        first = max(self.sm_ready, self.fifo[0][0]) if self.fifo else self.clock.now
        return first + (left - 1) * self.byte_us

    def background_write(self, view):
        self.run_until(self.clock.now)
        if self.pending:
            self.clock.block_until(self.start_of_queue_time(), "%s background_write (pending)" % self.name)
            self.run_until(self.clock.now)
        entry = [view, 0, self.clock.now]
        if not self.dma_used:
            self.dma_used = True
            self.active = entry
            self.pending = 1
        elif self.active is None:
            self.active = entry
            self.pending = 0
        else:
            self.queued = entry
            self.pending = 1
        self.run_until(self.clock.now)

    def writing(self):
        self.run_until(self.clock.now)
        return self.active is not None

    def finish_time(self):
        """When everything given so far has left the wire."""
        total = len(self.fifo) + (0 if self.active is None else len(self.active[0]) - self.active[1])
        total += 0 if self.queued is None else len(self.queued[0])
        if total == 0:
            return max(self.clock.now, self.sm_ready)
        first = max(self.sm_ready, self.fifo[0][0]) if self.fifo else self.clock.now
        return first + total * self.byte_us


# USB-MIDI event packets: code index number -> MIDI bytes in the packet (USB MIDI 1.0, 4).
CIN_BYTES = {0x2: 2, 0x3: 3, 0x4: 3, 0x5: 1, 0x6: 2, 0x7: 3, 0x8: 3, 0x9: 3, 0xA: 3, 0xB: 3, 0xC: 2, 0xD: 2, 0xE: 3, 0xF: 1}


class UsbMidi:
    """USB MIDI between the board and a computer, as CircuitPython's usb_midi and TinyUSB do it.

    Device to host: PortOut.write() packs bytes into 4-byte USB-MIDI event packets in a
    128-byte FIFO, taking a byte only while the FIFO has room for a whole packet (so what it
    leaves is whole packets); with no host it takes nothing. A computer that is `listening`
    empties up to 16 packets each 1 ms frame. Host to device: bytes the computer sends are
    read by PortIn.readinto() from the frame after they were sent."""

    FIFO_BYTES = 128
    PACKETS_PER_FRAME = 16

    def __init__(self, clock):
        self.clock = clock
        self.connected = True  # enumerated by a computer (supervisor.runtime.usb_connected)
        self.listening = True  # an application has the MIDI port open and reads it
        self.serial_open = False  # a serial terminal has the console open
        self.fifo = collections.deque()  # packets (4-tuples)
        self.packet = [0, 0, 0, 0]
        self.index = 0
        self.total = 0
        self.frame = 0  # last frame the host was served
        self.received = []  # (time, byte) the computer got
        self.to_board = collections.deque()  # (time available, byte) the computer sent
        self.taken = 0
        self.refused = 0  # bytes write() did not take

    def run_until(self, t):
        frame = int(t // 1000)
        if not (self.connected and self.listening) or not self.fifo:
            self.frame = max(self.frame, frame)
            return
        while self.frame < frame and self.fifo:
            self.frame += 1
            for _ in range(self.PACKETS_PER_FRAME):
                if not self.fifo:
                    break
                packet = self.fifo.popleft()
                for k in range(CIN_BYTES[packet[0] & 0x0F]):
                    self.received.append((self.frame * 1000, packet[1 + k]))
        self.frame = max(self.frame, frame)

    def write(self, data):
        """PortOut.write: the number of bytes taken."""
        self.run_until(self.clock.now)
        if not self.connected:
            self.refused += len(data)
            return 0
        taken = 0
        for b in bytes(data):
            if self.FIFO_BYTES - 4 * len(self.fifo) < 4:
                break
            self._pack(b)
            taken += 1
        self.taken += taken
        self.refused += len(data) - taken
        return taken

    def _pack(self, b):
        p = self.packet
        if self.index == 0:
            self.index = 2
            p[1] = b
            kind = b >> 4
            if (p[0] & 0x0F) == 0x4:  # inside a SysEx
                if b == 0xF7:
                    p[0] = 0x5
                    self.total = 2
                else:
                    self.total = 4
            elif 0x8 <= kind <= 0xB or kind == 0xE:
                p[0], self.total = kind, 4
            elif kind in (0xC, 0xD):
                p[0], self.total = kind, 3
            elif kind == 0xF:
                if b == 0xF0:
                    p[0], self.total = 0x4, 4
                elif b in (0xF1, 0xF3):
                    p[0], self.total = 0x2, 3
                elif b == 0xF2:
                    p[0], self.total = 0x3, 4
                else:
                    p[0], self.total = 0x5, 2
            else:
                p[0], self.total = 0xF, 2  # a lone data byte
        else:
            p[self.index] = b
            self.index += 1
            if (p[0] & 0x0F) == 0x4 and b == 0xF7:
                p[0] = 0x4 + self.index - 1
                self.total = self.index
        if self.index == self.total:
            for k in range(self.total, 4):
                p[k] = 0
            self.fifo.append(tuple(p))
            self.index = self.total = 0

    def host_send(self, data, at=None):
        """The computer sends `data`; the board can read it from the next frame."""
        t = (int((self.clock.now if at is None else at) // 1000) + 1) * 1000
        for b in bytes(data):
            self.to_board.append((t, b))

    def read(self, n):
        """PortIn.readinto: up to n bytes the computer has sent."""
        self.run_until(self.clock.now)
        out = bytearray()
        if not self.connected:
            return bytes(out)
        q = self.to_board
        while q and len(out) < n and q[0][0] <= self.clock.now:
            out.append(q.popleft()[1])
        return bytes(out)

    def received_bytes(self):
        self.run_until(self.clock.now)
        return bytes(b for _, b in self.received)


class Drive:
    """CIRCUITPY: a directory on the computer. Saving a file from the computer writes the
    board's flash, which turns interrupts off and stalls the CPU for `pause_us`: UART bytes
    arriving then wait in the 32-byte hardware FIFO, and are lost past it. Modification
    times are FAT's: whole even seconds."""

    EPOCH = 1_700_000_000  # the computer's clock when the board powered up (seconds)

    def __init__(self, clock, path, uarts, pause_us=20_000):
        self.clock = clock
        self.path = path
        self.uarts = uarts
        self.pause_us = pause_us
        self.saves = []

    def file(self, name):
        return os.path.join(self.path, name)

    def save(self, name, text, pause_us=None):
        """The computer saves `name` now; returns the pause it causes (µs)."""
        pause = self.pause_us if pause_us is None else pause_us
        path = self.file(name)
        if text is None:
            if os.path.exists(path):
                os.remove(path)
        else:
            with open(path, "wb") as f:
                f.write(text.encode() if isinstance(text, str) else text)
            seconds = self.EPOCH + (self.clock.now // 1_000_000) // 2 * 2
            os.utime(path, (seconds, seconds))
        now = self.clock.now
        for rx in self.uarts:
            rx.run_until(now)
            rx.irq_off.append((now, now + pause))
        self.saves.append((now, name, pause))
        return pause
