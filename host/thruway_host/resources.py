"""Where the files the commands need beside the code are: the firmware's entry points, the studio's settings, the bundled captures."""

import os
import sys

# What `thruway sim` (the virtual board, the scenarios) reads besides the Python packages. A
# checkout has them at its root; `pip install .` puts them in <prefix>/share/thruway
# (pyproject.toml's data-files), as the same tree.
FILES = ("code.py", "boot.py", "thruway.toml", os.path.join("examples", "captures"))


def root():
    """The folder holding FILES: the checkout this code runs from, else the installed copy."""
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for folder in (checkout, os.path.join(sys.prefix, "share", "thruway")):
        if all(os.path.exists(os.path.join(folder, name)) for name in FILES):
            return folder
    return checkout
