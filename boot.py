"""Thruway's boot.py: USB MIDI named Thruway, autoreload off; hold the panic button at power-up for maintenance mode."""

# Anything that fails here leaves CircuitPython's defaults (USB drive, serial console,
# autoreload on): the board always stays reachable. Its output goes to boot_out.txt.
try:
    from thruway_board.startup import boot

    boot()
except Exception as e:
    print("Thruway boot.py failed, CircuitPython's defaults kept:", repr(e))
