"""Thruway on the board: load thruway.toml, open the ports from the pin map, say so, run the loop."""

import gc

import supervisor

from thruway_board.loop import Loop
from thruway_board.ports import open_ports
from thruway_board.settingsfile import SettingsFile

# The settings file is read before the ports and the core take their share of the heap: a large
# file's reading needs room in one piece.
settings_file = SettingsFile()
first = (settings_file, settings_file.stat(), settings_file.read())
gc.collect()
# boot.py turns autoreload off; it stays on only in maintenance mode (panic button held at power-up).
loop = Loop(open_ports(), maintenance=supervisor.runtime.autoreload, first=first, restart=supervisor.reload)
del first
loop.start()  # prints the start-up line
gc.collect()
loop.run()
