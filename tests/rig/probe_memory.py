"""On the board (the rig's drive): heap used by each import code.py makes, and by the settings, with times."""

import gc

import supervisor

gc.collect()
print("rig: mem start free %d used %d" % (gc.mem_free(), gc.mem_alloc()))
for name in ("thruway.midi", "thruway.output", "thruway.routes", "thruway.settings", "thruway.core", "thruway.tomlreader",
             "thruway_board.pins", "thruway_board.status", "thruway_board.ports", "thruway_board.settingsfile",
             "thruway_board.loop"):
    used = gc.mem_alloc()
    t = supervisor.ticks_ms()
    __import__(name)
    t = supervisor.ticks_ms() - t
    gc.collect()
    print("rig: mem %s used %d ms %d free %d" % (name, gc.mem_alloc() - used, t, gc.mem_free()))
from thruway_board.loop import Loop
from thruway_board.ports import open_ports

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
print("rig: mem after start free %d used %d" % (gc.mem_free(), gc.mem_alloc()))
print("rig: done")
