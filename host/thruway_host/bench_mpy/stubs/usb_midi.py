"""Stub `usb_midi` for timing the firmware loop: no ports (the loop bench makes its own)."""


class PortIn:
    pass


class PortOut:
    pass


ports = ()
