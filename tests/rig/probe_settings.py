"""On the board (the rig's drive): the firmware's own live-reload path over every file in /rigfiles."""

# The rig runs this instead of code.py after boot. It builds the firmware exactly as code.py does
# (ports, Loop, start), then hands the loop one settings file after another through
# Loop.apply_file(), the path a file saved by the computer takes, and prints what the loop says.
import gc
import os

from thruway_board.loop import Loop
from thruway_board.ports import open_ports
from thruway_board.settingsfile import SettingsFile

loop = Loop(open_ports())
loop.start()
gc.collect()
print("rig: free after start %d" % gc.mem_free())
for name in sorted(os.listdir("/rigfiles")) + ["zz-none.toml"]:  # the last is not there
    loop.file = SettingsFile("/rigfiles/" + name, "thruway.toml")
    print("rig: file %s" % name)
    try:
        loop.seen_size, loop.seen_mtime = loop.file.stat()
        loop.apply_file()
        print("rig: light %s" % loop.mode(loop.ticks()))
    except Exception as e:  # the firmware would stop here: the test names the file
        print("rig: raised %r" % (e,))
    gc.collect()
    print("rig: end %s free %d" % (name, gc.mem_free()))
print("rig: done")
