"""Fake `microcontroller` for the virtual board: the RP2040's pins as microcontroller.pin.GPIOn, cpu, reset."""

# Loaded afresh for each VirtualBoard, which sets _vb and calls _install(). Only names the
# real module has are public: anything else raises AttributeError, as on the board.

from thruway_host.virtualboard.devices import Pin

_vb = None


class _PinModule:
    """microcontroller.pin: GPIO0 ... GPIO29 (the RP2040's; CircuitPython lists them all)."""


pin = _PinModule()


class Processor:
    """microcontroller.cpu: the fixed facts of an RP2040 at its default clock."""

    frequency = 125_000_000
    temperature = 27.0
    voltage = 3.3
    uid = bytearray(8)
    reset_reason = None


cpu = Processor()


class RunMode:
    NORMAL = object()
    SAFE_MODE = object()
    UF2 = object()
    BOOTLOADER = object()


class ResetReason:
    POWER_ON = object()
    SOFTWARE = object()


def delay_us(delay):
    """Busy-waits `delay` µs."""
    _vb.clock.block_until(_vb.clock.now + int(delay), "microcontroller.delay_us")


def reset():
    raise NotImplementedError("the virtual board does not reset; run code.py again instead")


def on_next_reset(run_mode):
    _vb.next_run_mode = run_mode


def _install(vb):
    global _vb
    _vb = vb
    for n, p in enumerate(vb.pins.pins):
        setattr(pin, "GPIO%d" % n, p)


