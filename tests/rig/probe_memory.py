"""On the board (the rig's drive): heap used by each import code.py makes, and by the settings, with times."""

import gc
import sys

import supervisor

gc.collect()
print("rig: mem start free %d used %d" % (gc.mem_free(), gc.mem_alloc()))
for name in ("thruway.midi", "thruway.output", "thruway.routes", "thruway.core", "thruway_board.pins",
             "thruway_board.status", "thruway_board.ports", "thruway_board.settingsfile", "thruway_board.loop",
             "thruway.tomlreader", "thruway.settings"):
    used = gc.mem_alloc()
    t = supervisor.ticks_ms()
    __import__(name)
    t = supervisor.ticks_ms() - t
    gc.collect()
    print("rig: mem %s used %d ms %d" % (name, gc.mem_alloc() - used, t))
from thruway_board.loop import Loop
from thruway_board.ports import open_ports
from thruway_board.settingsfile import forget_reader

forget_reader()
gc.collect()
used = gc.mem_alloc()
loop = Loop(open_ports())
gc.collect()
print("rig: mem ports+loop used %d" % (gc.mem_alloc() - used))
used = gc.mem_alloc()
t = supervisor.ticks_ms()
loop.start()
t = supervisor.ticks_ms() - t
gc.collect()
print("rig: mem start() used %d ms %d" % (gc.mem_alloc() - used, t))
print("rig: modules %s" % " ".join(sorted(k for k in sys.modules if k.startswith("thruway"))))
print("rig: mem after start free %d used %d" % (gc.mem_free(), gc.mem_alloc()))
print("rig: done")
