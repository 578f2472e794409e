"""Import every module of the `thruway` core package and print each one's name.

Written for MicroPython (run it with `--path lib`): it finds the modules with
os.listdir, imports them all even when one fails, prints `ok NAME` or `FAILED NAME`
plus the traceback, and exits 1 if any failed. A core module that MicroPython
cannot even import therefore fails CI.
"""

import os
import sys

import thruway

PACKAGE = "thruway"


def package_dir(module):
    path = module.__file__
    return path[: path.rfind("/")] if "/" in path else "."


def is_dir(path):
    return os.stat(path)[0] & 0o170000 == 0o040000


def module_names(directory, prefix):
    """Dotted names of the modules and subpackages under `directory`, sorted."""
    names = []
    for entry in sorted(os.listdir(directory)):
        full = directory + "/" + entry
        if entry.endswith(".py"):
            if entry != "__init__.py":
                names.append(prefix + "." + entry[:-3])
        elif is_dir(full) and "__init__.py" in os.listdir(full):
            names.append(prefix + "." + entry)
            names.extend(module_names(full, prefix + "." + entry))
    return names


def main():
    failed = 0
    print("ok", PACKAGE)
    for name in module_names(package_dir(thruway), PACKAGE):
        try:
            __import__(name)
        except Exception as e:  # report every module, not only the first broken one
            failed += 1
            print("FAILED", name)
            print("--- while importing", name, file=sys.stderr)
            sys.print_exception(e, sys.stderr)
        else:
            print("ok", name)
    if failed:
        print(failed, "module(s) failed to import under", sys.implementation.name, file=sys.stderr)
        sys.exit(1)


main()
