"""Thruway's pure MIDI core: bytes and times in, bytes out; runs on CPython, CircuitPython and MicroPython."""

__version__ = "0.1.0"
