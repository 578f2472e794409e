"""Stub `rp2pio` for timing the firmware loop: the loop bench builds its own state machines."""


class StateMachine:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the loop bench makes its own state machines (loopbench.StateMachine)")
