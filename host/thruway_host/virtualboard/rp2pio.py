"""Fake `rp2pio` for the virtual board: StateMachine for UART transmit programs, with background DMA, and counters."""

# The constructor runs the program in a cycle-by-cycle model (virtualboard.pio) to learn how
# it sends a byte, or, for a program with no pins, how fast it counts; it refuses programs
# that are neither one-pin UART transmitters nor counters: the virtual board models nothing
# else. A counter's readinto gives its count at the virtual clock's time. background_write/pending_write follow
# ports/raspberrypi/common-hal/rp2pio/StateMachine.c (see devices.PioTx).

from thruway_host.virtualboard.devices import PioTx as _PioTx
from thruway_host.virtualboard.pio import PioError as _PioError
from thruway_host.virtualboard.pio import counter_rate as _counter_rate

_vb = None

_STATE_MACHINES = 8


class StateMachine:
    """A single PIO StateMachine (UART TX programs only, on the virtual board)."""

    def __init__(
        self,
        program,
        frequency,
        *,
        pio_version=0,
        may_exec=None,
        init=None,
        first_out_pin=None,
        out_pin_count=1,
        initial_out_pin_state=0,
        initial_out_pin_direction=0xFFFFFFFF,
        first_in_pin=None,
        in_pin_count=1,
        pull_in_pin_up=0,
        pull_in_pin_down=0,
        first_set_pin=None,
        set_pin_count=1,
        initial_set_pin_state=0,
        initial_set_pin_direction=0x1F,
        first_sideset_pin=None,
        sideset_pin_count=1,
        sideset_pindirs=False,
        initial_sideset_pin_state=0,
        initial_sideset_pin_direction=0x1F,
        sideset_enable=False,
        jmp_pin=None,
        jmp_pin_pull=None,
        exclusive_pin_use=True,
        auto_pull=False,
        pull_threshold=32,
        out_shift_right=True,
        wait_for_txstall=True,
        auto_push=False,
        push_threshold=32,
        in_shift_right=True,
        user_interruptible=True,
        wrap_target=0,
        wrap=-1,
        offset=-1,
        fifo_type="auto",
        mov_status_type="txfifo",
        mov_status_n=0,
    ):
        words = list(memoryview(program).cast("B").cast("H")) if not isinstance(program, (list, tuple)) else list(program)
        if len(words) > 32:
            raise ValueError("Program too large")
        if first_in_pin is not None or init is not None or may_exec is not None or auto_pull or wrap != -1:
            raise NotImplementedError("the virtual board models UART transmit programs only")
        self._tx = None
        self._counter = None
        self._frequency = frequency
        if first_out_pin is None and first_set_pin is None and first_sideset_pin is None and not auto_push:
            self._start_counter(words, frequency, in_shift_right)
            return
        if first_out_pin is None or first_sideset_pin not in (None, first_out_pin):
            raise NotImplementedError("the virtual board models one pin serving OUT and side-set")
        if len(_vb.state_machines) >= _STATE_MACHINES - _vb.board_table["pio_state_machines_used"]:
            raise RuntimeError("All state machines in use")
        pins = _vb.pins
        number = pins.number(first_out_pin)
        if not (initial_out_pin_state & 1 and initial_out_pin_direction & 1):
            raise NotImplementedError("the virtual board expects the UART line to start as an output, high")
        try:
            self._tx = _PioTx(
                _vb.clock,
                "PIO on GPIO%d" % number,
                words,
                frequency,
                sideset_pin_count if first_sideset_pin is not None else 0,
                sideset_enable and first_sideset_pin is not None,
                out_shift_right,
            )
        except _PioError as e:
            raise NotImplementedError("the virtual board runs only UART transmit programs: %s" % e)
        pins.claim(first_out_pin, "rp2pio.StateMachine")
        self._pin = number
        _vb.state_machines.append(self)
        _vb.pio_out[number] = self._tx

    def _start_counter(self, words, frequency, in_shift_right):
        if len(_vb.state_machines) >= _STATE_MACHINES - _vb.board_table["pio_state_machines_used"]:
            raise RuntimeError("All state machines in use")
        try:
            cycles, bits = _counter_rate(words, in_shift_right=in_shift_right)
        except _PioError as e:
            raise NotImplementedError("the virtual board runs only UART transmit programs and counters: %s" % e)
        # The count at virtual time t µs, from the state machine's start.
        self._counter = (_vb.clock.now, frequency, cycles, (1 << bits) - 1)
        _vb.state_machines.append(self)

    def _check(self):
        if self._tx is None and self._counter is None:
            raise ValueError("Object has been deinitialized and can no longer be used. Create a new object.")

    def clear_rxfifo(self):
        self._check()
        _vb.charge("pio.clear_rxfifo")

    def readinto(self, buffer, *, start=0, end=None, swap=False):
        """A counter's next count (the FIFO emptied first, as the firmware does), in each word."""
        self._check()
        if self._counter is None:
            raise NotImplementedError("the virtual board reads from counters only")
        view = memoryview(buffer)
        if view.itemsize != 4 or swap:
            raise NotImplementedError("the virtual board reads a counter into 32-bit words only")
        began, frequency, cycles, mask = self._counter
        end = len(view) if end is None else end
        for k in range(start, end):
            count = (_vb.clock.now - began) * frequency // (1_000_000 * cycles)
            view[k] = count & mask
        _vb.charge("pio.readinto", 4 * (end - start))

    def deinit(self):
        if self._counter is not None:
            _vb.state_machines.remove(self)
            self._counter = None
        if self._tx is not None:
            _vb.pins.release(self._pin)
            _vb.state_machines.remove(self)
            if self._tx in _vb.clock.listeners:
                _vb.clock.listeners.remove(self._tx)
            self._tx = None

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.deinit()

    def write(self, buffer, *, start=0, end=None, swap=False):
        """Blocks until every byte has left (wait_for_txstall)."""
        self._check()
        data = bytes(buffer)[start:end]
        if not data:
            return
        tx = self._tx
        tx.run_until(_vb.clock.now)
        _vb.clock.block_until(tx.finish_time(), "rp2pio write (previous data)")
        tx.background_write(memoryview(data))
        _vb.clock.block_until(tx.finish_time(), "rp2pio write")
        _vb.charge("pio.write", len(data))

    def background_write(self, once=None, *, loop=None, loop2=None, swap=False):
        self._check()
        if loop is not None or loop2 is not None:
            raise NotImplementedError("the virtual board models background_write(once=...) only")
        if once is None or len(once) == 0:
            return
        view = memoryview(once)
        if view.itemsize != 1:
            raise NotImplementedError("the virtual board models byte buffers only")
        self._tx.background_write(view)
        _vb.charge("pio.background_write", len(view))

    def stop_background_write(self):
        self._check()
        tx = self._tx
        tx.run_until(_vb.clock.now)
        tx.active = tx.queued = None
        tx.pending = 0

    @property
    def pending_write(self):
        self._check()
        self._tx.run_until(_vb.clock.now)
        _vb.charge("pio.pending_write")
        return self._tx.pending

    @property
    def pending(self):
        return self.pending_write

    @property
    def writing(self):
        self._check()
        return self._tx.writing()

    @property
    def frequency(self):
        return self._frequency

    @property
    def txstall(self):
        self._check()
        tx = self._tx
        tx.run_until(_vb.clock.now)
        return not tx.fifo and tx.active is None and tx.sm_ready <= _vb.clock.now
