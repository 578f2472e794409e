"""Fixtures for the board shell's tests: a virtual Pico or Feather with a temporary CIRCUITPY drive."""

import pytest

from thruway_host.virtualboard import VirtualBoard


@pytest.fixture
def vb(tmp_path):
    """A virtual Raspberry Pi Pico wired as the pin map says; its drive is tmp_path."""
    with VirtualBoard("pico", drive=tmp_path) as board:
        yield board


@pytest.fixture
def feather(tmp_path):
    """A virtual Adafruit Feather RP2040 (status light: a NeoPixel)."""
    with VirtualBoard("feather_rp2040", drive=tmp_path) as board:
        yield board
