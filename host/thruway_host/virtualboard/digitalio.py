"""Fake `digitalio` for the virtual board: DigitalInOut on a claimed pin, outputs recorded, inputs read."""

_vb = None


class Direction:
    INPUT = "INPUT"
    OUTPUT = "OUTPUT"


class Pull:
    UP = "UP"
    DOWN = "DOWN"


class DriveMode:
    PUSH_PULL = "PUSH_PULL"
    OPEN_DRAIN = "OPEN_DRAIN"


class DigitalInOut:
    """A GPIO as a digital input or output. Reading an input costs a call (CostModel)."""

    def __init__(self, pin):
        self._n = _vb.pins.claim(pin, "digitalio")
        self._direction = Direction.INPUT
        self._pull = None
        self._value = False
        self._drive_mode = DriveMode.PUSH_PULL

    def _check(self):
        if self._n is None:
            raise ValueError("Object has been deinitialized and can no longer be used. Create a new object.")

    def deinit(self):
        if self._n is not None:
            _vb.pins.release(self._n)
            self._n = None

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.deinit()

    def switch_to_output(self, value=False, drive_mode=DriveMode.PUSH_PULL):
        self._check()
        self._direction = Direction.OUTPUT
        self._drive_mode = drive_mode
        self._pull = None
        _vb.pins.pull.pop(self._n, None)
        self._value = bool(value)
        _vb.pins.drive(self._n, int(self._value))

    def switch_to_input(self, pull=None):
        self._check()
        self._direction = Direction.INPUT
        self.pull = pull

    @property
    def direction(self):
        self._check()
        return self._direction

    @direction.setter
    def direction(self, value):
        if value == Direction.OUTPUT:
            self.switch_to_output()
        else:
            self.switch_to_input()

    @property
    def value(self):
        self._check()
        _vb.charge("digitalio.value")
        if self._direction == Direction.OUTPUT:
            return self._value
        return bool(_vb.pins.level(self._n))

    @value.setter
    def value(self, value):
        self._check()
        if self._direction != Direction.OUTPUT:
            raise AttributeError("Cannot set value when direction is input.")
        _vb.charge("digitalio.value")
        self._value = bool(value)
        _vb.pins.drive(self._n, int(self._value))

    @property
    def pull(self):
        self._check()
        return self._pull

    @pull.setter
    def pull(self, value):
        self._check()
        if self._direction == Direction.OUTPUT:
            raise AttributeError("Pull not used when direction is output.")
        if value not in (None, Pull.UP, Pull.DOWN):
            raise ValueError("pull must be a digitalio.Pull")
        self._pull = value
        if value is None:
            _vb.pins.pull.pop(self._n, None)
        else:
            _vb.pins.pull[self._n] = "up" if value == Pull.UP else "down"

    @property
    def drive_mode(self):
        self._check()
        return self._drive_mode

    @drive_mode.setter
    def drive_mode(self, value):
        self._check()
        self._drive_mode = value
