"""`thruway install DRIVE`: put the firmware, the core, its libraries and the default settings on a CIRCUITPY drive."""

import sys

from thruway_host.install import REQUIREMENTS, InstallError, Installer


def add_parser(subparsers):
    p = subparsers.add_parser(
        "install",
        help="put Thruway on a mounted CIRCUITPY drive (keeps your thruway.toml)",
        description="Copy code.py, boot.py and lib/ to the box's CIRCUITPY drive (only what changed, each file "
        "written whole), install the CircuitPython libraries listed in %s, and write the default "
        "thruway.toml if there is none. An existing thruway.toml is never overwritten: it is checked." % REQUIREMENTS,
    )
    p.add_argument("drive", metavar="DRIVE", help="the mounted drive, e.g. /media/$USER/CIRCUITPY, /Volumes/CIRCUITPY or E:\\")
    p.add_argument("--dry-run", action="store_true", help="show what would be done, write nothing")
    p.add_argument(
        "--bundle",
        metavar="DIR",
        help="an unpacked Adafruit CircuitPython library bundle (the <N>.x-mpy one matching the board) to copy "
        "the libraries from, instead of circup (no network needed)",
    )
    p.add_argument("--no-circup", action="store_true", help="never run circup: print the command instead")
    p.add_argument("--source", metavar="DIR", help="the Thruway checkout to install from (default: this one)")
    p.set_defaults(func=run)


def run(args):
    installer = Installer(
        args.drive,
        root=args.source,
        bundle=args.bundle,
        use_circup=not args.no_circup,
        dry_run=args.dry_run,
    )
    try:
        return installer.install()
    except InstallError as e:
        print("thruway install: %s" % e, file=sys.stderr)
        return 1
