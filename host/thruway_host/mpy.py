"""The board's bytecode: lib/thruway*/ compiled to .mpy by CircuitPython's own mpy-cross, kept under mpy/."""

# Why .mpy: importing .py makes the board compile it, with a parse tree on the heap beside the
# bytecode; Thruway's modules as source took 2.8 s to import and fragmented the heap so that the
# settings reader could not be compiled when a file was read (docs/firmware.md, "Memory"). As
# .mpy the same imports take about 0.3 s and leave only the bytecode. The .mpy files are
# committed, so that `thruway install` needs no compiler; `make mpy` remakes them after a change
# to lib/, and tests/install/test_mpy.py fails while one is stale.
#
# CircuitPython's .mpy (format 6.3, magic "C") differ from MicroPython's; 9.2.x and 10.x read
# the same format. mpy-cross comes with CircuitPython (docs/rig.md says where the rig finds it):
# CIRCUITPYTHON_MPY_CROSS names it, else the newest mpy-cross-<version> in the rig's cache folder.

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

from thruway_host.install import source_root

MPY_CROSS_ENV = "CIRCUITPYTHON_MPY_CROSS"
SOURCES = ("lib/thruway/*.py", "lib/thruway_board/*.py")
MPY_FOLDER = "mpy"  # mpy/lib/thruway/x.mpy is installed as lib/thruway/x.mpy
MAGIC = b"C\x06"  # CircuitPython's .mpy, format version 6
_NAME = re.compile(r"^mpy-cross-(\d+)\.(\d+)\.(\d+)$")


def find_mpy_cross():
    """The path of CircuitPython's mpy-cross, or None."""
    named = os.environ.get(MPY_CROSS_ENV)
    if named:
        return named if os.path.isfile(named) else None
    from thruway_host.rig import cache_dir

    folder = cache_dir()
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    found = sorted((tuple(int(x) for x in m.groups()), n) for n in names for m in [_NAME.match(n)] if m)
    return os.path.join(folder, found[-1][1]) if found else None


def targets(root=None):
    """(source .py, committed .mpy, name embedded in the bytecode) for every module of the board."""
    root = root or source_root()
    found = []
    for pattern in SOURCES:
        for src in sorted(glob.glob(os.path.join(root, pattern))):
            rel = os.path.relpath(src, root).replace(os.sep, "/")  # lib/thruway/core.py
            mpy = os.path.join(root, MPY_FOLDER, *rel[:-3].split("/")) + ".mpy"
            found.append((src, mpy, rel[len("lib/") :]))
    return found


def compile_one(mpy_cross, src, out, name):
    """Compile `src` to `out`; raises RuntimeError with mpy-cross's message on a failure."""
    proc = subprocess.run([mpy_cross, "-s", name, "-o", out, src], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("mpy-cross failed on %s: %s" % (name, (proc.stderr or proc.stdout).strip()))


def stale(mpy_cross, root=None):
    """The committed .mpy that a fresh compile would change (or that are missing), and the
    .mpy files with no source left."""
    root = root or source_root()
    wrong = []
    with tempfile.TemporaryDirectory() as tmp:
        for src, mpy, name in targets(root):
            fresh = os.path.join(tmp, "x.mpy")
            compile_one(mpy_cross, src, fresh, name)
            with open(fresh, "rb") as f:
                want = f.read()
            try:
                with open(mpy, "rb") as f:
                    have = f.read()
            except OSError:
                have = None
            if have != want:
                wrong.append(os.path.relpath(mpy, root))
    return wrong + orphans(root)


def orphans(root=None):
    """Committed .mpy whose source is gone."""
    root = root or source_root()
    wanted = set(mpy for _, mpy, _ in targets(root))
    found = glob.glob(os.path.join(root, MPY_FOLDER, "lib", "*", "*.mpy"))
    return sorted(os.path.relpath(p, root) for p in found if p not in wanted)


def build(mpy_cross, root=None, say=print):
    """Compile every module; remove .mpy whose source is gone. Returns the files changed."""
    root = root or source_root()
    changed = []
    for src, mpy, name in targets(root):
        os.makedirs(os.path.dirname(mpy), exist_ok=True)
        old = open(mpy, "rb").read() if os.path.exists(mpy) else None
        compile_one(mpy_cross, src, mpy, name)
        if open(mpy, "rb").read() != old:
            changed.append(os.path.relpath(mpy, root))
            say("wrote " + os.path.relpath(mpy, root))
    for rel in orphans(root):
        os.remove(os.path.join(root, rel))
        changed.append(rel)
        say("removed " + rel)
    return changed


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m thruway_host.mpy", description=__doc__)
    p.add_argument("--check", action="store_true", help="only say which .mpy are stale; exit 1 if any")
    args = p.parse_args(argv)
    mpy_cross = find_mpy_cross()
    if mpy_cross is None:
        print("no CircuitPython mpy-cross: set %s or put mpy-cross-<version> in the rig's cache (docs/rig.md)" % MPY_CROSS_ENV,
              file=sys.stderr)
        return 1
    try:
        if args.check:
            wrong = stale(mpy_cross)
            for rel in wrong:
                print("stale: " + rel)
            return 1 if wrong else 0
        build(mpy_cross)
    except (OSError, RuntimeError) as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
