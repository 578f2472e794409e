"""Putting Thruway on a mounted CIRCUITPY drive: what goes there, checked against the board, written safely."""

import glob
import os
import re
import shutil
import subprocess

# What `thruway install` copies from a checkout to the drive, in the order it writes them:
# the libraries first, code.py last, so that a new code.py only appears once everything it
# imports is in place. Patterns are relative to the checkout; never tests or host code. The
# libraries go as the bytecode CircuitPython's own compiler made of lib/ (mpy/lib/x is
# written as lib/x: thruway_host.mpy says why and how it is made).
MANIFEST = (
    "mpy/lib/thruway/*.mpy",
    "mpy/lib/thruway_board/*.mpy",
    "boot.py",
    "code.py",
)
COMPILED = "mpy/"  # a prefix the drive's paths do not have
# Folders on the drive that belong to Thruway alone: a file in them that the manifest no
# longer names (a module renamed or removed) is deleted, so nothing stale is imported.
OWN_FOLDERS = ("lib/thruway", "lib/thruway_board")
SETTINGS = "thruway.toml"
REQUIREMENTS = "requirements-board.txt"
OLDEST_CIRCUITPYTHON = (9, 2, 0)
TEMP_SUFFIX = ".thruway-part"  # a file being written; renamed into place once whole

_VERSION_LINE = re.compile(r"^Adafruit CircuitPython (\d+)\.(\d+)\.(\d+)(\S*) on ([^;]*);\s*(.*?)\s*$")
_PRERELEASE = re.compile(r"^-(alpha|beta|rc)", re.I)
_BUNDLE_MAJOR = re.compile(r"-(\d+)\.x-mpy-")


class InstallError(Exception):
    """A reason not to install; the message says what to do."""


def source_root():
    """The checkout this command runs from (host/thruway_host/ is two folders below it)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---- the board ---------------------------------------------------------------------------


class Board:
    """What boot_out.txt says about the board: CircuitPython version, board id, chip."""

    def __init__(self, version, prerelease, text, board_id, description):
        self.version = version  # (major, minor, patch)
        self.prerelease = prerelease  # "-beta.1" etc., "" for a release (or a later build)
        self.text = text  # the version as the board wrote it, e.g. "9.2.1"
        self.board_id = board_id
        self.description = description  # "Raspberry Pi Pico with rp2040"

    def older_than(self, oldest):
        """A pre-release of a version (9.2.0-beta.1) comes before that version."""
        if self.version != tuple(oldest):
            return self.version < tuple(oldest)
        return bool(_PRERELEASE.match(self.prerelease))


def parse_boot_out(text):
    """The Board described by the text of boot_out.txt, or InstallError.

    CircuitPython writes it at every start; its first line reads
    `Adafruit CircuitPython 9.2.1 on 2024-11-20; Raspberry Pi Pico with rp2040`, and a later
    line `Board ID:raspberry_pi_pico`."""
    lines = text.splitlines()
    match = _VERSION_LINE.match(lines[0].strip()) if lines else None
    if not match:
        raise InstallError(
            "boot_out.txt does not start with \"Adafruit CircuitPython X.Y.Z on ...\": "
            "is this a CIRCUITPY drive? (press reset on the board and try again)"
        )
    board_id = ""
    for line in lines[1:]:
        if line.startswith("Board ID:"):
            board_id = line.split(":", 1)[1].strip()
    version = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    text_version = "%d.%d.%d%s" % (version + (match.group(4),))
    return Board(version, match.group(4), text_version, board_id, match.group(6))


def read_board(drive):
    path = os.path.join(drive, "boot_out.txt")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        raise InstallError(
            "%s has no boot_out.txt: that is not a CIRCUITPY drive. Plug the box in, wait for the "
            "CIRCUITPY drive to appear and give its folder (e.g. /media/$USER/CIRCUITPY, /Volumes/CIRCUITPY, E:\\)" % drive
        )
    except OSError as e:
        raise InstallError("%s: cannot read it: %s" % (path, e.strerror or e))
    return parse_boot_out(text)


def check_board(board):
    """InstallError when the board is not an RP2040 or its CircuitPython is older than the
    oldest supported; else a list of warnings (none today)."""
    if board.older_than(OLDEST_CIRCUITPYTHON):
        oldest = "%d.%d.%d" % OLDEST_CIRCUITPYTHON
        raise InstallError(
            "the board runs CircuitPython %s; Thruway needs %s or newer (10.x recommended). "
            "Update it: https://circuitpython.org/board/%s/ (hold BOOTSEL while plugging in, "
            "then copy the .uf2 onto the RPI-RP2 drive), then run thruway install again"
            % (board.text, oldest, board.board_id or "raspberry_pi_pico")
        )
    if "rp2040" not in board.description.lower():
        # The pin map, the PIO transmitter of out3/out4 and the timings are the RP2040's; an
        # RP2350 (Pico 2) or an ESP32 would need their own, not yet written.
        raise InstallError(
            "this board (%s) is not an RP2040: Thruway runs on the Raspberry Pi Pico and the Feather "
            "RP2040 only (its pin map and PIO transmitter are the RP2040's), so nothing was written"
            % (board.description or board.board_id)
        )
    return []


# ---- the plan ----------------------------------------------------------------------------


class Step:
    """One thing install does: `action` is new, update, same, remove or library."""

    def __init__(self, action, target, source=None, note=""):
        self.action = action
        self.target = target  # path on the drive, relative, with / separators
        self.source = source  # absolute path of the file to copy, or None
        self.note = note

    def __repr__(self):
        return "Step(%r, %r)" % (self.action, self.target)


def manifest_files(root):
    """(relative path, absolute path) of every file the manifest names, in writing order,
    and the patterns that matched nothing."""
    files = []
    missing = []
    for pattern in MANIFEST:
        found = sorted(glob.glob(os.path.join(root, pattern)))
        found = [p for p in found if os.path.isfile(p)]
        if not found:
            missing.append(pattern)
        for path in found:
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if rel.startswith(COMPILED):
                rel = rel[len(COMPILED) :]
            files.append((rel, path))
    return files, missing


def _same(source, target):
    try:
        if os.path.getsize(source) != os.path.getsize(target):
            return False
        with open(source, "rb") as a, open(target, "rb") as b:
            return a.read() == b.read()
    except OSError:
        return False


def _on_drive(drive, rel):
    return os.path.join(drive, *rel.split("/"))


def plan_copies(drive, files):
    """Steps for (relative path, source) files: only what differs from the drive is written."""
    steps = []
    for rel, path in files:
        target = _on_drive(drive, rel)
        if not os.path.exists(target):
            steps.append(Step("new", rel, path))
        elif _same(path, target):
            steps.append(Step("same", rel, path))
        else:
            steps.append(Step("update", rel, path))
    return steps


def plan_removals(drive, wanted):
    """Steps deleting files in Thruway's own folders on the drive that are not `wanted`."""
    removals = []
    for folder in OWN_FOLDERS:
        on_drive = _on_drive(drive, folder)
        if not os.path.isdir(on_drive):
            continue
        for name in sorted(os.listdir(on_drive)):
            rel = folder + "/" + name
            if rel in wanted or name.startswith("._") or not os.path.isfile(os.path.join(on_drive, name)):
                continue
            note = "left by an interrupted install" if name.endswith(TEMP_SUFFIX) else "no longer part of Thruway"
            removals.append(Step("remove", rel, note=note))
    return removals


# ---- CircuitPython libraries ---------------------------------------------------------------


def read_requirements(path):
    """Library names from a requirements file, as circup reads them: one a line, `#`
    comments, anything after a version specifier (==, >=, ~=, ;) ignored, names lowercased."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip().lower()
            if not line:
                continue
            name = re.split(r"[<>=~!\[;\s]", line, 1)[0].strip()
            if name and name not in names:
                names.append(name)
    return names


def module_name(requirement):
    """The module a requirement names: `adafruit_midi` as is, the PyPI name
    `adafruit-circuitpython-midi` as adafruit_midi."""
    name = requirement
    if name.startswith("adafruit-circuitpython-"):
        name = "adafruit_" + name[len("adafruit-circuitpython-"):]
    return name.replace("-", "_")


def library_on_drive(drive, module):
    lib = os.path.join(drive, "lib")
    return any(os.path.exists(os.path.join(lib, module + ext)) for ext in ("", ".mpy", ".py"))


def bundle_lib(bundle):
    """The lib/ folder of an unpacked Adafruit bundle: BUNDLE/lib, or BUNDLE/<one folder>/lib."""
    if os.path.isdir(os.path.join(bundle, "lib")):
        return os.path.join(bundle, "lib")
    inner = [d for d in sorted(os.listdir(bundle)) if os.path.isdir(os.path.join(bundle, d, "lib"))]
    if len(inner) == 1:
        return os.path.join(bundle, inner[0], "lib")
    raise InstallError(
        "%s is not an unpacked CircuitPython library bundle: it has no lib/ folder "
        "(unzip adafruit-circuitpython-bundle-<N>.x-mpy-<date>.zip and give its folder)" % bundle
    )


def check_bundle_version(bundle, lib, board):
    """A bundle named ...-<N>.x-mpy-... holds .mpy files for CircuitPython N only."""
    match = _BUNDLE_MAJOR.search(os.path.basename(os.path.dirname(lib))) or _BUNDLE_MAJOR.search(
        os.path.basename(os.path.abspath(bundle))
    )
    if match and int(match.group(1)) != board.version[0]:
        raise InstallError(
            "the bundle %s is for CircuitPython %s.x but the board runs %s: its .mpy files would not load. "
            "Use the %d.x bundle" % (bundle, match.group(1), board.text, board.version[0])
        )


def plan_bundle(bundle, board, modules, drive):
    """Steps copying each module (a .mpy or .py file, or a package folder) from a bundle."""
    lib = bundle_lib(bundle)
    check_bundle_version(bundle, lib, board)
    files = []
    missing = []
    for module in modules:
        folder = os.path.join(lib, module)
        if os.path.isdir(folder):
            for dirpath, _, names in sorted(os.walk(folder)):
                for name in sorted(names):
                    path = os.path.join(dirpath, name)
                    files.append(("lib/" + os.path.relpath(path, lib).replace(os.sep, "/"), path))
            continue
        for ext in (".mpy", ".py"):
            path = os.path.join(lib, module + ext)
            if os.path.isfile(path):
                files.append(("lib/" + module + ext, path))
                break
        else:
            missing.append(module)
    if missing:
        raise InstallError("the bundle %s has no %s: is it the Adafruit CircuitPython bundle?" % (bundle, ", ".join(missing)))
    return plan_copies(drive, files)


def circup_command(drive, requirements):
    """The circup command that installs the libraries: --path is an option of circup itself,
    so it comes before the `install` subcommand."""
    return ["circup", "--path", drive, "install", "-r", requirements]


# ---- writing -----------------------------------------------------------------------------


def write_whole(source, target):
    """Copy `source` to `target` so that `target` is always either the old file or the new
    one: write a temporary file beside it, flush it to the drive, then rename it over."""
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    temp = target + TEMP_SUFFIX
    with open(source, "rb") as src, open(temp, "wb") as dst:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(temp, target)


def write_text_whole(text, target):
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    temp = target + TEMP_SUFFIX
    with open(temp, "w", encoding="utf-8", newline="\n") as dst:
        dst.write(text)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(temp, target)


def _stale_temps(drive, steps):
    """Temporary files an interrupted install left in the folders this one writes to."""
    folders = sorted({os.path.dirname(s.target) for s in steps if s.source})
    found = []
    for folder in folders:
        on_drive = _on_drive(drive, folder) if folder else drive
        if not os.path.isdir(on_drive):
            continue
        for name in sorted(os.listdir(on_drive)):
            rel = (folder + "/" if folder else "") + name
            if name.endswith(TEMP_SUFFIX) and not any(s.target == rel for s in steps):
                found.append(Step("remove", rel, note="left by an interrupted install"))
    return found


class Installer:
    """Plans and carries out an install; everything it says goes through `say`."""

    def __init__(self, drive, root=None, bundle=None, use_circup=True, dry_run=False, say=print, run=subprocess.run, which=shutil.which):
        self.drive = drive
        self.root = root or source_root()
        self.bundle = bundle
        self.use_circup = use_circup
        self.dry_run = dry_run
        self.say = say
        self.run = run
        self.which = which

    def install(self):
        """Carry out the install; returns the exit status (0 done, 1 refused or failed)."""
        if not os.path.isdir(self.drive):
            raise InstallError("%s is not a folder: give the CIRCUITPY drive's folder" % self.drive)
        board = read_board(self.drive)
        warnings = check_board(board)
        self.say(
            "%s %s: CircuitPython %s on %s"
            % ("Plan for" if self.dry_run else "Installing Thruway on", self.drive, board.text, board.board_id or board.description)
        )
        for w in warnings:
            self.say("warning: " + w)
        files, missing = manifest_files(self.root)
        if missing:
            raise InstallError(
                "%s has no %s: the firmware is not in this checkout (run thruway install from a complete checkout)"
                % (self.root, " or ".join(missing))
            )
        lib_steps, lib_note = self.plan_libraries(board)
        # Stale modules go first (a lib/thruway/x.mpy left behind must not shadow a new x.py),
        # then the libraries, then Thruway's files in manifest order: code.py last.
        steps = lib_steps + plan_copies(self.drive, files)
        removals = plan_removals(self.drive, set(rel for rel, _ in files))
        steps = removals + _stale_temps(self.drive, removals + steps) + steps
        settings_step = self.plan_settings()
        counts = {}
        for step in steps:
            counts[step.action] = counts.get(step.action, 0) + 1
        for step in steps + [settings_step]:
            if step.action != "same":
                self.say("  %-7s %s%s" % (step.action, step.target, (" (" + step.note + ")") if step.note else ""))
        if counts.get("same"):
            self.say("  same    %d file%s already up to date" % (counts["same"], "" if counts["same"] == 1 else "s"))
        if lib_note:
            self.say(lib_note)
        self.check_space(steps + [settings_step])
        if self.dry_run:
            self.say("dry run: nothing was written")
            return 0
        if not self.run_circup(board):
            self.say("nothing was written: the new firmware would not start without its libraries")
            return 1
        try:
            self.carry_out(steps, settings_step)
        except OSError as e:
            raise InstallError(
                "writing to %s failed: %s. If the drive is read-only, the firmware has taken the drive for "
                "itself: see docs/firmware.md for how to give it back to the computer" % (self.drive, e.strerror or e)
            )
        changed = sum(counts.get(a, 0) for a in ("new", "update", "remove")) + (settings_step.action == "new")
        self.say(
            "done: %d written, %d removed, %d unchanged. %s"
            % (
                counts.get("new", 0) + counts.get("update", 0) + (1 if settings_step.action == "new" else 0),
                counts.get("remove", 0),
                counts.get("same", 0),
                "Eject the drive, then press reset (or unplug and plug the box) to start the new firmware."
                if changed
                else "Nothing to do: the box already runs this version.",
            )
        )
        if self.settings_errors:
            # The firmware is on, but the box will keep its last good settings (or the default
            # merger) until the musician's file is fixed: say so with the exit status.
            self.say("thruway.toml on the drive has errors (above): the box will not use it until they are fixed")
            return 1
        return 0

    def check_space(self, steps):
        """InstallError when the drive cannot hold what is to be written (a Pico's drive is
        about 1 MB). A file is written beside the one it replaces, so both fit at once."""
        grow = 0
        biggest = 0
        for step in steps:
            if step.action in ("new", "update") and step.source:
                size = os.path.getsize(step.source)
                biggest = max(biggest, size)
                target = _on_drive(self.drive, step.target)
                grow += size - (os.path.getsize(target) if step.action == "update" else 0)
            elif step.action == "remove":
                grow -= os.path.getsize(_on_drive(self.drive, step.target))
        free = shutil.disk_usage(self.drive).free
        if max(grow, 0) + biggest > free:
            raise InstallError(
                "the drive has %d kB free and this install needs %d kB: delete files you do not need "
                "from it (old projects in lib/, .mpy libraries no longer used) and try again"
                % (free // 1024, (max(grow, 0) + biggest + 1023) // 1024)
            )

    def plan_libraries(self, board):
        """Steps copying libraries from a bundle, or none with a note on how they are installed."""
        self.requirements = os.path.join(self.root, REQUIREMENTS)
        self.circup_needed = False
        if not os.path.isfile(self.requirements):
            return [], "libraries: %s not found in %s: no CircuitPython libraries to install" % (REQUIREMENTS, self.root)
        modules = [module_name(r) for r in read_requirements(self.requirements)]
        if not modules:
            return [], "libraries: %s lists none: the firmware needs no CircuitPython libraries" % REQUIREMENTS
        if self.bundle:
            return plan_bundle(self.bundle, board, modules, self.drive), "libraries: %s, from the bundle %s" % (", ".join(modules), self.bundle)
        absent = [m for m in modules if not library_on_drive(self.drive, m)]
        if not absent:
            return [], "libraries: %s already on the drive (circup update upgrades them)" % ", ".join(modules)
        self.circup_needed = True
        return [], "libraries: %s to install with circup" % ", ".join(absent)

    def plan_settings(self):
        self.settings_errors = 0  # mistakes found in the musician's kept thruway.toml
        target = os.path.join(self.drive, SETTINGS)
        if not os.path.exists(target):
            return Step("new", SETTINGS, os.path.join(self.root, SETTINGS), "the default settings: the studio's")
        from thruway.settings import SettingsError
        from thruway_host.cli import read_settings

        try:
            read_settings(target)
        except SettingsError as e:
            for line in e.errors:
                self.say("  " + line)
            self.settings_errors = len(e.errors)
            return Step(
                "keep",
                SETTINGS,
                note="your settings, kept as they are: %d error%s above; fix them, then run thruway check %s" % (len(e.errors), "" if len(e.errors) == 1 else "s", target),
            )
        return Step("keep", SETTINGS, note="your settings, kept as they are: checked, ok")

    def carry_out(self, steps, settings_step):
        for step in steps:
            target = _on_drive(self.drive, step.target)
            if step.action == "remove":
                os.remove(target)
            elif step.action in ("new", "update"):
                write_whole(step.source, target)
        if settings_step.action == "new":
            write_whole(settings_step.source, _on_drive(self.drive, settings_step.target))
        if hasattr(os, "sync"):
            os.sync()  # all of it on the drive before anyone pulls the cable

    def run_circup(self, board):
        """Install the missing libraries with circup, or say the exact command to run.
        True when the libraries are there (or none are needed)."""
        if not self.circup_needed:
            return True
        command = circup_command(self.drive, self.requirements)
        shown = " ".join(_quote(c) for c in command)
        if not self.use_circup or self.which("circup") is None:
            why = "--no-circup given" if not self.use_circup else "circup is not installed (pip install circup)"
            self.say("libraries: not installed (%s). Run:\n  %s\nor unzip the CircuitPython %d.x bundle and run thruway install %s --bundle FOLDER"
                     % (why, shown, board.version[0], _quote(self.drive)))
            return False
        self.say("libraries: running " + shown)
        result = self.run(command)
        if result.returncode != 0:
            self.say("libraries: circup failed (exit %d; it downloads the bundle from GitHub). Run it again when online:\n  %s" % (result.returncode, shown))
            return False
        return True


def _quote(text):
    return '"%s"' % text if (" " in text or not text) else text
