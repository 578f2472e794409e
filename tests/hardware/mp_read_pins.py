"""Run under MicroPython by test_hardware_pinmap: the pin map imports and reads as the firmware will read it."""

from thruway_board import pins

for port in pins.INPUTS:
    print(port, pins.PINS[port]["gpio"], pins.PINS[port]["uart"])
for port in pins.OUTPUTS:
    print(port, pins.PINS[port]["gpio"], pins.PINS[port]["kind"])
for board_id in ("pico", "feather_rp2040"):
    print(board_id, pins.BOARDS[board_id]["status_led"]["gpio"], pins.BOARDS[board_id]["status_led"]["kind"])
