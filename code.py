"""Thruway on the board: open the ports from the pin map, load thruway.toml, say so, run the loop."""

import gc

import supervisor

from thruway_board.loop import Loop
from thruway_board.ports import open_ports

# boot.py turns autoreload off; it stays on only in maintenance mode (panic button held at power-up).
loop = Loop(open_ports(), maintenance=supervisor.runtime.autoreload)
loop.start()  # reads thruway.toml and prints the start-up line
gc.collect()
loop.run()
