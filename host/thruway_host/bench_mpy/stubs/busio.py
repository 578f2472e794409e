"""Stub `busio` for timing the firmware loop: the loop bench builds its own UARTs, so UART is never opened."""


class UART:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the loop bench makes its own UARTs (loopbench.Uart)")
