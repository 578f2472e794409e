"""A virtual Thruway board: fake CircuitPython modules over virtual hardware that keeps one clock.

    with VirtualBoard("pico", drive=tmp_path) as vb:
        vb.din(0).send(b"\\x90\\x3c\\x64")          # a Note On arrives on in1, at 31250 baud
        vb.run_code(seconds=1.0)                    # the real code.py, for one virtual second
        vb.wire(1)                                  # [(µs, byte)] out2 sent, start-bit times

Inside the `with`, `import busio` (and board, microcontroller, digitalio, rp2pio, usb_midi,
supervisor, storage, neopixel_write) gives this board's fakes, loaded afresh for it; the
firmware's shell modules (thruway_board.*, but the pin map) are imported afresh too.
Virtual time moves only when the firmware spends it (CostModel), busy-waits, the flash is
written, or a test moves it (vb.clock). See docs/firmware.md for what is modelled."""

import contextlib
import importlib.util
import io
import os
import sys
import tempfile

from thruway_board.pins import BOARDS, INPUTS, OUTPUTS, PINS

from thruway_host.resources import root
from thruway_host.virtualboard.clock import Clock, VirtualTimeUp
from thruway_host.virtualboard.cost import CostModel
from thruway_host.virtualboard.devices import BYTE_US, Drive, PinBank, UartRx, UartTx, UsbMidi

__all__ = ["VirtualBoard", "VirtualTimeUp", "CostModel", "Clock", "BYTE_US", "ROOT"]

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = root()  # the repository, or the installed copy of its files (code.py, boot.py)
FAKES = ("board", "microcontroller", "busio", "digitalio", "rp2pio", "usb_midi", "supervisor", "storage", "neopixel_write")
BOARD_IDS = {"pico": "raspberry_pi_pico", "feather_rp2040": "adafruit_feather_rp2040"}
SHELL = "thruway_board"
KEEP = ("thruway_board.pins",)  # plain data, imports no hardware


def _purge_shell():
    """Forget the imported shell modules, so the next import binds to the current fakes."""
    package = sys.modules.get(SHELL)
    for name in list(sys.modules):
        if name.startswith(SHELL + ".") and name not in KEEP:
            del sys.modules[name]
            if package is not None and hasattr(package, name.split(".")[-1]):
                delattr(package, name.split(".")[-1])


class _Console(io.TextIOBase):
    """The serial console: what the firmware prints, kept with the virtual time it was printed."""

    def __init__(self, clock):
        self.clock = clock
        self.text = ""
        self.lines = []  # (time, line)
        self._partial = ""

    def write(self, s):
        self.text += s
        self._partial += s
        while "\n" in self._partial:
            line, self._partial = self._partial.split("\n", 1)
            self.lines.append((self.clock.now, line))
        return len(s)


class VirtualBoard:
    """A Raspberry Pi Pico or Feather RP2040 wired as the pin map says, in virtual time.

    board: "pico" or "feather_rp2040". drive: the directory that is CIRCUITPY (a temporary
    one if None). cost: the CostModel charging CPU time for firmware calls. uptime_s: how long
    the board has been on when the test starts (by default ticks_ms wraps 2 s in).
    flash_pause_us: how long saving a file stalls the chip."""

    def __init__(self, board="pico", drive=None, cost=None, uptime_s=63.0, flash_pause_us=20_000):
        self.board = board
        self.board_id = BOARD_IDS[board]
        self.board_table = BOARDS[board]
        self.clock = Clock(int(uptime_s * 1_000_000))
        self.cost = cost if cost is not None else CostModel()
        self.pins = PinBank(self.clock)
        self.uart_blocks = {
            block: {"open": False, "rx": UartRx(self.clock), "tx": UartTx(self.clock, "UART%d TX" % block)} for block in (0, 1)
        }
        self.state_machines = []
        self.pio_out = {}  # gpio -> devices.PioTx
        self.usb = UsbMidi(self.clock)
        if drive is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="CIRCUITPY-")
            drive = self._tmp.name
        self.drive = Drive(self.clock, str(drive), [b["rx"] for b in self.uart_blocks.values()], flash_pause_us)
        self.console = _Console(self.clock)
        # CircuitPython state that boot.py sets for code.py.
        self.phase = "code"
        self.autoreload = True
        self.usb_midi_enabled = True
        self.usb_names = {}
        self.usb_identification = None
        self.usb_calls = []
        self.storage_calls = []
        self.code_writes_drive = False
        self.usb_drive = True
        self.next_run_mode = None
        # NeoPixel writes per GPIO.
        self.pixels = {n: [] for n in range(len(self.pins.pins))}
        self.neopixel_ready = {}
        self.modules = {}
        self._saved = {}

    # ---- installing the fakes ---------------------------------------------------------

    def __enter__(self):
        for name in FAKES:
            self._saved[name] = sys.modules.get(name)
        _purge_shell()
        for name in FAKES:
            spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, name + ".py"))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self.modules[name] = module
            sys.modules[name] = module
        for name in FAKES:
            module = self.modules[name]
            if hasattr(module, "_install"):
                module._install(self)
            else:
                module._vb = self
        return self

    def __exit__(self, *exc):
        _purge_shell()
        for name, module in self._saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        self.clock.deadline = None
        return False

    def charge(self, what, nbytes=0):
        """The firmware spent CPU time on `what` (the cost model says how much)."""
        self.clock.advance(self.cost.cost(what, nbytes))

    # ---- the outside world ------------------------------------------------------------

    def din(self, i):
        """The wire into DIN input i (0 = in1): .send(bytes, at=µs), .overrun (bytes lost)."""
        return self.uart_blocks[PINS[INPUTS[i]]["uart"]]["rx"]

    def dout_device(self, o):
        entry = PINS[OUTPUTS[o]]
        if entry["kind"] == "uart_tx":
            return self.uart_blocks[entry["uart"]]["tx"]
        return self.pio_out.get(entry["gpio"])

    def wire(self, o, until=None):
        """[(µs, byte)] DIN output o (0 = out1) has put on its wire by `until` (default now),
        timed at each byte's start bit."""
        until = self.clock.now if until is None else until
        device = self.dout_device(o)
        if device is None:
            return []
        if hasattr(device, "run_until"):
            device.run_until(self.clock.now)
        return [(t, b) for t, b in device.wire if t <= until]

    def out_bytes(self, o, until=None):
        return bytes(b for _, b in self.wire(o, until))

    def usb_bytes(self):
        """What the computer has received over USB MIDI."""
        return self.usb.received_bytes()

    def gpio_of(self, name):
        return PINS[name]["gpio"]

    def press(self, name="panic"):
        """Hold a button (pressed reads as the pin map says)."""
        entry = PINS[name]
        self.pins.external[entry["gpio"]] = entry["pressed"]

    def release(self, name="panic"):
        self.pins.external.pop(PINS[name]["gpio"], None)

    def led_history(self, name):
        """[(µs, level)] of an LED of the pin map (led_in1 ... led_out4)."""
        return list(self.pins.history[PINS[name]["gpio"]])

    def status_history(self):
        """[(µs, level)] of a plain status LED, or [(µs, GRB bytes)] of a NeoPixel."""
        status = self.board_table["status_led"]
        if status["kind"] == "neopixel":
            return list(self.pixels[status["gpio"]])
        return list(self.pins.history[status["gpio"]])

    def save(self, name, text, pause_us=None):
        """The computer saves a file on CIRCUITPY now (text None deletes it): the chip stalls."""
        pause = self.drive.save(name, text, pause_us)
        self.clock.advance(pause)

    def save_at(self, t, name, text, pause_us=None):
        """Schedule a save at virtual time `t` (µs), while the firmware runs."""
        self.clock.at(t, lambda: self.drive.save(name, text, pause_us))

    def at(self, t, fn):
        """Run `fn()` at virtual time `t` (µs)."""
        self.clock.at(t, lambda: fn() and 0)

    def blocked(self, what=None, since=0):
        """Longest busy-wait (µs) that began at or after `since`: of any kind, or of those whose
        description contains `what` ("write", "background_write", "delay_us", ...)."""
        return max([us for t, us, w in self.clock.blocks if t >= since and (what is None or what in w)], default=0)

    # ---- running firmware -------------------------------------------------------------

    def run_boot(self, path=None):
        """Run boot.py as CircuitPython does at power-up; returns what it printed."""
        path = path or os.path.join(ROOT, "boot.py")
        self.phase = "boot"
        start = len(self.console.text)
        try:
            self._exec(path, None)
        finally:
            self.phase = "code"
        return self.console.text[start:]

    def run_code(self, seconds, path=None):
        """Run code.py for `seconds` of virtual time; returns its globals (e.g. `loop`)."""
        path = path or os.path.join(ROOT, "code.py")
        self.phase = "code"
        return self._exec(path, seconds)

    def run_loop(self, loop, seconds):
        """Step an existing thruway_board.loop.Loop for `seconds` of virtual time, in the drive
        (the loop finds thruway.toml there, as code.py does on the board)."""
        self.clock.deadline = self.clock.now + int(seconds * 1_000_000)
        cwd = os.getcwd()
        try:
            os.chdir(self.drive.path)
            with contextlib.redirect_stdout(self.console):
                while True:
                    loop.step()
        except VirtualTimeUp:
            pass
        finally:
            os.chdir(cwd)
            self.clock.deadline = None

    def _exec(self, path, seconds):
        with open(path) as f:
            code = compile(f.read(), path, "exec")
        g = {"__name__": "__main__", "__file__": path}
        cwd = os.getcwd()
        if seconds is not None:
            self.clock.deadline = self.clock.now + int(seconds * 1_000_000)
        try:
            os.chdir(self.drive.path)
            with contextlib.redirect_stdout(self.console):
                exec(code, g)
        except VirtualTimeUp:
            pass
        finally:
            os.chdir(cwd)
            self.clock.deadline = None
        return g
