"""Run every golden file through the core and print one line each; runs on MicroPython too.

Usage: run_golden.py DIR [SEED ...]. Prints `ok NAME` or `FAIL NAME: why`, then a count line;
exits 1 if any file failed."""

import sys

import golden


def main(argv):
    folder = argv[1]
    seeds = [int(a) for a in argv[2:]] or [1]
    import os

    names = sorted(n for n in os.listdir(folder) if n.endswith(".golden"))
    failed = 0
    for name in names:
        with open(folder + "/" + name) as f:
            g = golden.parse(f.read(), name)
        failures = []
        for seed in seeds:
            failures.extend(golden.check(g, seed))
        if failures:
            failed += 1
            print("FAIL " + name + ": " + "; ".join(failures))
        else:
            print("ok " + name)
    print("golden files: %d ok, %d failing" % (len(names) - failed, failed))
    if failed:
        sys.exit(1)


main(sys.argv)
