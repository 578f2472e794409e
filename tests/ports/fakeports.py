"""Explicit fake MIDI ports built on mido's own port classes, a fake clock, and a fake MIDI system."""

import mido
from mido.ports import BaseInput, BaseOutput


class FakeClock:
    """time.monotonic stand-in: seconds, moved on by hand."""

    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


class FakeInput(BaseInput):
    """An input port whose messages the test puts in with feed(); mido's BaseInput gives it
    poll(), iter_pending() and receive() exactly as a real port has them."""

    def feed(self, *messages):
        for m in messages:
            self._messages.append(m if isinstance(m, mido.Message) else mido.Message.from_bytes(bytes(m)))


class FakeOutput(BaseOutput):
    """An output port that keeps what was sent, with the clock's time when it was."""

    def _open(self, clock=None, **kwargs):
        self.clock = clock
        self.sent = []  # (time, mido.Message)

    def _send(self, message):
        self.sent.append((self.clock() if self.clock else 0.0, message))

    def messages(self):
        return [m for _, m in self.sent]

    def hexes(self):
        return [m.hex() for _, m in self.sent]


class FakeSystem:
    """A computer's MIDI ports by name, with the interface of midiports.MidoSystem."""

    def __init__(self, inputs=(), outputs=(), clock=None):
        self.clock = clock
        self.inputs = {name: FakeInput(name) for name in inputs}
        self.outputs = {name: FakeOutput(name, clock=clock) for name in outputs}

    def input_names(self):
        return [n for n in self.inputs if not n.startswith("virtual:")]

    def output_names(self):
        return [n for n in self.outputs if not n.startswith("virtual:")]

    def open_input(self, name):
        if name.startswith("virtual:") and name not in self.inputs:
            self.inputs[name] = FakeInput(name)
        if name not in self.inputs:
            raise OSError("unknown port %r" % name)
        return self.inputs[name]

    def open_output(self, name):
        if name.startswith("virtual:") and name not in self.outputs:
            self.outputs[name] = FakeOutput(name, clock=self.clock)
        if name not in self.outputs:
            raise OSError("unknown port %r" % name)
        return self.outputs[name]
