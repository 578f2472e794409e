"""Stub `board` for timing the firmware loop outside a board (bench_mpy/loopbench.py)."""

board_id = "raspberry_pi_pico"
