"""On the board (the rig's drive): the firmware's own settings reading over every file in /rigfiles."""

# The rig runs this instead of code.py after boot. Each file is read as code.py reads
# thruway.toml at power-up (SettingsFile.read, with the heap whole; a file saved while the box
# runs that finds no room is read again that way after a restart), then applied to a core.
# It prints what the firmware would say of the file.
import gc
import os

from thruway.core import Core
from thruway_board.settingsfile import SettingsFile

print("rig: ready")
for name in sorted(os.listdir("/rigfiles")) + ["zz-none.toml"]:  # the last is not there
    print("rig: file %s" % name)
    try:
        f = SettingsFile("/rigfiles/" + name, "thruway.toml")
        f.stat()
        settings, errors = f.read()
        for line in errors:
            print("  " + line)
        if settings is not None:
            core = Core(settings, collect=gc.collect)  # as the firmware's Loop makes its core
            print("rig: applied %d routes" % len(settings.routes))
            core = None
        settings = None
    except Exception as e:  # the firmware would stop here: the test names the file
        print("rig: raised %r" % (e,))
    gc.collect()
    print("rig: end %s free %d" % (name, gc.mem_free()))
print("rig: done")
