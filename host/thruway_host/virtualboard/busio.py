"""Fake `busio` for the virtual board: UART on the RP2040's two UART blocks, in virtual time."""

# Follows ports/raspberrypi/common-hal/busio/UART.c: the block is worked out from the pins,
# each pin must be one its block can use, one busio.UART per block. Reads return what the
# ring buffer holds (None when nothing, with timeout=0); writes busy-wait past the FIFO.

_vb = None

_TX, _RX = 0, 1


def _block(pin_number, kind):
    """The UART block a pin serves as TX (kind 0) or RX (kind 1), or None (RP2040 GPIO table)."""
    if pin_number % 4 != kind:
        return None
    return ((pin_number + 4) // 8) % 2


class UART:
    """A bidirectional serial protocol."""

    class Parity:
        ODD = "ODD"
        EVEN = "EVEN"

    def __init__(
        self,
        tx=None,
        rx=None,
        *,
        rts=None,
        cts=None,
        rs485_dir=None,
        rs485_invert=False,
        baudrate=9600,
        bits=8,
        parity=None,
        stop=1,
        timeout=1,
        receiver_buffer_size=64,
    ):
        if tx is None and rx is None:
            raise ValueError("tx and rx cannot both be None")
        if timeout > 100:
            raise ValueError("timeout must be 0.0-100.0 seconds")
        if receiver_buffer_size < 1:
            raise ValueError("receiver_buffer_size must be >= 1")
        pins = _vb.pins
        numbers = {}
        for kind, pin in ((_TX, tx), (_RX, rx)):
            if pin is not None:
                numbers[kind] = pins.number(pin)
        first = numbers.get(_TX, numbers.get(_RX))
        block = ((first + 4) // 8) % 2
        for kind, n in numbers.items():
            if _block(n, kind) != block:
                raise ValueError("Invalid pins")
        hw = _vb.uart_blocks[block]
        if hw["open"]:
            raise ValueError("UART peripheral in use")
        for kind, pin in ((_TX, tx), (_RX, rx)):
            if pin is not None:
                pins.claim(pin, "busio.UART%d %s" % (block, "TX" if kind == _TX else "RX"))
        hw["open"] = True
        self._block = block
        self._hw = hw
        self._pins = sorted(numbers.values())
        self._has_tx = tx is not None
        self._has_rx = rx is not None
        self._baudrate = baudrate
        self._timeout = float(timeout)
        if baudrate != 31250:
            raise NotImplementedError("the virtual board's UARTs run at MIDI's 31250 baud only")
        if self._has_rx:
            rx_hw = hw["rx"]
            rx_hw.run_until(_vb.clock.now)
            rx_hw.open = True
            rx_hw.ring_size = receiver_buffer_size
            rx_hw.ring.clear()
            rx_hw.fifo.clear()

    def _check(self):
        if self._hw is None:
            raise ValueError("Object has been deinitialized and can no longer be used. Create a new object.")

    def deinit(self):
        if self._hw is None:
            return
        if self._has_rx:
            self._hw["rx"].run_until(_vb.clock.now)
            self._hw["rx"].open = False
        self._hw["open"] = False
        for n in self._pins:
            _vb.pins.release(n)
        self._hw = None

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.deinit()

    def _rx(self):
        self._check()
        if not self._has_rx:
            raise ValueError("No rx pin")
        return self._hw["rx"]

    def _wait_for(self, rx, n):
        """timeout > 0: busy-wait for bytes, up to `timeout` after the last one (UART.c)."""
        clock = _vb.clock
        limit = clock.now + int(self._timeout * 1_000_000)
        got = b""
        while len(got) < n:
            got += rx.take(n - len(got))
            if len(got) >= n:
                break
            nxt = rx.next_arrival()
            if nxt is None or nxt > limit:
                clock.block_until(limit, "busio.UART read (timeout)")
                got += rx.take(n - len(got))
                break
            clock.block_until(nxt, "busio.UART read (waiting)")
            limit = clock.now + int(self._timeout * 1_000_000)
        return got

    def read(self, nbytes=None):
        rx = self._rx()
        n = nbytes if nbytes is not None else rx.ring_size
        data = rx.take(n) if self._timeout == 0 else self._wait_for(rx, n)
        _vb.charge("uart.read", len(data))
        return data if data else None

    def readinto(self, buf):
        rx = self._rx()
        n = len(buf)
        data = rx.take(n) if self._timeout == 0 else self._wait_for(rx, n)
        buf[: len(data)] = data
        _vb.charge("uart.readinto", len(data))
        return len(data) if data else None

    def readline(self):
        raise NotImplementedError("the virtual board's UART has no readline (MIDI has no lines)")

    def write(self, buf):
        self._check()
        if not self._has_tx:
            raise ValueError("No tx pin")
        data = bytes(buf)
        n = self._hw["tx"].write(data)
        _vb.charge("uart.write", n)
        return n

    @property
    def in_waiting(self):
        n = self._rx().waiting()
        _vb.charge("uart.in_waiting")
        return n

    def reset_input_buffer(self):
        rx = self._rx()
        rx.run_until(_vb.clock.now)
        rx.ring.clear()
        rx.fifo.clear()

    @property
    def baudrate(self):
        return self._baudrate

    @baudrate.setter
    def baudrate(self, value):
        if value != 31250:
            raise NotImplementedError("the virtual board's UARTs run at MIDI's 31250 baud only")
        self._baudrate = value

    @property
    def timeout(self):
        return self._timeout

    @timeout.setter
    def timeout(self, value):
        self._timeout = float(value)
