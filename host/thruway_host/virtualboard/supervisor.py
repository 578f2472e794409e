"""Fake `supervisor` for the virtual board: ticks_ms from the virtual clock, runtime, USB identification."""

_vb = None

_TICKS_PERIOD = 1 << 29
# CircuitPython starts ticks_ms so that it first wraps about 65 s after power-on.
_TICKS_AT_POWER_ON = _TICKS_PERIOD - 65_000


def ticks_ms():
    """Milliseconds, wrapping at 2**29; reading it costs the loop's per-pass CPU time (CostModel)."""
    t = (_TICKS_AT_POWER_ON + _vb.clock.now // 1000) % _TICKS_PERIOD
    _vb.charge("ticks_ms")
    return t


class RunReason:
    STARTUP = "STARTUP"
    AUTO_RELOAD = "AUTO_RELOAD"
    SUPERVISOR_RELOAD = "SUPERVISOR_RELOAD"
    REPL_RELOAD = "REPL_RELOAD"


class Runtime:
    """supervisor.runtime: USB and serial presence from the virtual board, autoreload kept."""

    def __init__(self):
        raise TypeError("cannot create 'supervisor.Runtime' instances")

    @property
    def usb_connected(self):
        _vb.charge("supervisor.runtime")
        return _vb.usb.connected

    @property
    def serial_connected(self):
        _vb.charge("supervisor.runtime")
        return _vb.usb.connected and _vb.usb.serial_open

    @property
    def serial_bytes_available(self):
        return 0

    @property
    def run_reason(self):
        return RunReason.STARTUP

    @property
    def autoreload(self):
        return _vb.autoreload

    @autoreload.setter
    def autoreload(self, value):
        _vb.autoreload = bool(value)


runtime = None


def set_usb_identification(manufacturer=None, product=None, vid=-1, pid=-1):
    if _vb.phase != "boot":
        raise RuntimeError("Cannot change USB devices now")
    for value in (manufacturer, product):
        if value is not None and len(value) > 126:
            raise ValueError("strings must be at most 126 characters")
    _vb.usb_calls.append(("supervisor.set_usb_identification", dict(manufacturer=manufacturer, product=product, vid=vid, pid=pid)))
    _vb.usb_identification = dict(manufacturer=manufacturer, product=product, vid=vid, pid=pid)


def reload():
    raise NotImplementedError("the virtual board does not reload; run code.py again instead")


def get_previous_traceback():
    return None


def _install(vb):
    global _vb, runtime
    _vb = vb
    runtime = object.__new__(Runtime)
