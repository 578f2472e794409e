"""Thruway on the board: open the ports from the pin map, load thruway.toml, say so, run the loop."""

import sys

if sys.implementation.name == "circuitpython" or __name__ == "__main__":
    import gc

    import supervisor

    from thruway_board.loop import Loop
    from thruway_board.ports import open_ports

    # boot.py turns autoreload off; it stays on only in maintenance mode (panic button held at power-up).
    loop = Loop(open_ports(), maintenance=supervisor.runtime.autoreload)
    loop.start()  # reads thruway.toml and prints the start-up line
    gc.collect()
    loop.run()
else:
    # On a computer, `python -m pytest` (or pdb) run from the repository root finds this file
    # when it imports Python's own `code` module: stand in for that module.
    import sysconfig

    _stdlib_code = sysconfig.get_paths()["stdlib"] + "/code.py"
    with open(_stdlib_code) as _f:
        exec(compile(_f.read(), _stdlib_code, "exec"))
