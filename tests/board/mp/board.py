"""MicroPython stand-in for CircuitPython's `board` (allocation test only): a Pico."""

board_id = "raspberry_pi_pico"
