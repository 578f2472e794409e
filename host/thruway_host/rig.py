"""The rig: the real CircuitPython firmware on an emulated RP2040, with Thruway's drive, fed and recorded."""

# The firmware and the RP2040 bootrom are not in the repository. They are found from
# CIRCUITPYTHON_FIRMWARE (a .uf2 or .bin for raspberry_pi_pico) and RP2040_BOOTROM (a raw 16 KiB
# .bin, or rp2040js's demo/bootrom.ts), or else in the cache folder THRUWAY_RIG_CACHE (default
# ~/.cache/thruway-rig): the newest circuitpython-<version>-raspberry_pi_pico.uf2 (or .bin) and
# bootrom_b1.bin (or bootrom.ts). docs/rig.md says how to get them. The emulator itself is
# rig/run.mjs over rp2040js (npm, pinned in package.json); the drive image is made with
# mkfs.fat and mcopy (Debian: dosfstools, mtools).

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time

from thruway_host.install import Installer, source_root
from thruway_host.replay import BYTE_US, arrivals

CACHE_ENV = "THRUWAY_RIG_CACHE"
FIRMWARE_ENV = "CIRCUITPYTHON_FIRMWARE"
BOOTROM_ENV = "RP2040_BOOTROM"
SYMS_ENV = "CIRCUITPYTHON_SYMS"
BOARD_ID = "raspberry_pi_pico"
XIP_MISS_CYCLES = 56  # the flash cache model that puts the emulator within a few % of a real Pico

# CircuitPython writes the terminal's title (ESC ] 0; ... ESC \\) and clears lines (ESC [ 2K):
# not part of what the firmware says.
_TERMINAL = re.compile(r"\x1b\][^\x1b]*\x1b\\|\x1b\[[0-9;]*[A-Za-z]")
_FIRMWARE_NAME = re.compile(r"^circuitpython-(\d+)\.(\d+)\.(\d+)-" + BOARD_ID + r"\.(uf2|bin)$")

# GPIOs of the pin map the rig drives and records (thruway_board.pins).
UART_OF_INPUT = {"in1": "uart0", "in2": "uart1"}
CAPTURE_OF_OUTPUT = {"out1": "uart0", "out2": "uart1", "out3": "gp6", "out4": "gp7", "usb": "usb"}
PANIC_GPIO = 26


def cache_dir():
    return os.environ.get(CACHE_ENV) or os.path.join(os.path.expanduser("~"), ".cache", "thruway-rig")


def _version_key(name):
    m = _FIRMWARE_NAME.match(name)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4) == "uf2") if m else None


def firmwares(folder=None):
    """Every CircuitPython firmware for the Pico in the cache: [(version text, path)], newest first."""
    folder = folder or cache_dir()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = {}
    for name in names:
        key = _version_key(name)
        if key is not None:
            version = "%d.%d.%d" % key[:3]
            # the .uf2 (what users download) over a .bin of the same version
            if version not in found or key[3]:
                found[version] = (key, os.path.join(folder, name))
    return [(v, p) for v, (k, p) in sorted(found.items(), key=lambda kv: kv[1][0], reverse=True)]


class Rig:
    """A firmware and a bootrom that were found; `why_not` says what is missing instead."""

    def __init__(self, firmware=None, bootrom=None, version=None, why_not=None, syms=None):
        self.firmware = firmware
        self.bootrom = bootrom
        self.version = version
        self.why_not = why_not
        self.syms = syms
        self.root = source_root()

    @property
    def ready(self):
        return self.why_not is None

    def env(self):
        env = dict(os.environ)
        env[FIRMWARE_ENV] = self.firmware
        env[BOOTROM_ENV] = self.bootrom
        if self.syms:
            env[SYMS_ENV] = self.syms
        return env


def find(version=None):
    """The rig for `version` (None: the firmware named by CIRCUITPYTHON_FIRMWARE, or the newest in the cache)."""
    folder = cache_dir()
    firmware = os.environ.get(FIRMWARE_ENV)
    found_version = None
    if firmware and version is None:
        if not os.path.isfile(firmware):
            return Rig(why_not="%s names %s, which is not a file" % (FIRMWARE_ENV, firmware))
        m = re.search(r"(\d+\.\d+\.\d+)", os.path.basename(firmware))
        found_version = m.group(1) if m else "unknown"
    else:
        candidates = [(v, p) for v, p in firmwares(folder) if version is None or v == version]
        if not candidates:
            want = "CircuitPython %s" % version if version else "CircuitPython"
            return Rig(why_not="no %s firmware for the Pico in %s (or %s): see docs/rig.md" % (want, folder, FIRMWARE_ENV))
        found_version, firmware = candidates[0]
    bootrom = os.environ.get(BOOTROM_ENV)
    if not bootrom:
        for name in ("bootrom_b1.bin", "bootrom.ts"):
            if os.path.isfile(os.path.join(folder, name)):
                bootrom = os.path.join(folder, name)
                break
    if not bootrom or not os.path.isfile(bootrom):
        return Rig(why_not="no RP2040 bootrom (%s, or bootrom_b1.bin in %s): see docs/rig.md" % (BOOTROM_ENV, folder))
    root = source_root()
    if not os.path.isdir(os.path.join(root, "node_modules", "rp2040js")):
        return Rig(why_not="rp2040js is not installed: run make setup")
    for tool in ("mkfs.fat", "mcopy"):
        if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
            return Rig(why_not="%s is missing (Debian: apt install dosfstools mtools)" % tool)
    syms = os.environ.get(SYMS_ENV) or os.path.splitext(firmware)[0] + ".syms.txt"
    return Rig(firmware, bootrom, found_version, syms=syms if os.path.isfile(syms) else None)


# ---- the drive ---------------------------------------------------------------------------

BOOT_OUT = "Adafruit CircuitPython %s on 2026-01-01; Raspberry Pi Pico with rp2040\nBoard ID:%s\n"


def stage_drive(folder, settings=None, version="10.2.1", extra=None):
    """Fill `folder` as `thruway install` fills a CIRCUITPY drive, with `settings` (text or bytes)
    as thruway.toml (None: no settings file), and `extra` {name: text or bytes} beside it."""
    os.makedirs(folder, exist_ok=True)
    boot_out = os.path.join(folder, "boot_out.txt")
    with open(boot_out, "w") as f:
        f.write(BOOT_OUT % (version, BOARD_ID))
    said = []
    status = Installer(folder, use_circup=False, say=said.append).install()
    if status != 0:
        raise RuntimeError("thruway install onto the rig's drive failed:\n" + "\n".join(said))
    os.remove(boot_out)  # the firmware writes its own
    target = os.path.join(folder, "thruway.toml")
    if os.path.exists(target):
        os.remove(target)
    if settings is not None:
        with open(target, "wb") as f:
            f.write(settings.encode() if isinstance(settings, str) else settings)
    for name, content in (extra or {}).items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
    return folder


# ---- feeds -------------------------------------------------------------------------------


def din_feed(port, messages, start_us=0, gap_us=0):
    """A DIN input's feed: `messages` (bytes each) sent one after the other from `start_us`, each
    byte's stop bit ending BYTE_US after the one before, `gap_us` of silence between messages."""
    out, times = [], []
    t = start_us
    for msg in messages:
        for b in msg:
            t += BYTE_US
            out.append(b)
            times.append(t)
        t += gap_us
    return {"target": UART_OF_INPUT[port], "bytes": out, "timesUs": times}


def timed_feed(port, events):
    """A DIN input's feed from timed events [(ms, bytes)], timed on the wire as `thruway replay`
    times a .txt capture (an event's bytes back to back; one due while the wire is busy waits)."""
    got = arrivals([(int(round(ms * 1000)), data) for ms, data in events], 0)
    return {"target": UART_OF_INPUT[port], "bytes": [b[0] for _, _, b in got], "timesUs": [t for t, _, _ in got]}


def usb_feed(events):
    """MIDI from the computer: [(ms, bytes)], each one write to the board's MIDI port."""
    return {"target": "usb", "events": [{"atMs": ms, "bytes": list(data)} for ms, data in events]}


# ---- figures -----------------------------------------------------------------------------

CLOCKS_PER_QUARTER = 24  # MIDI clock: 24 a quarter note


def clock_figures(start_us_list, bpm=120):
    """A clock's timing from when each of its bytes started on the wire (µs, as
    Report.output_times gives them): the mean period, its error from the nominal 60000 / (24 *
    bpm) ms (20.833 ms at 120 BPM), and the jitter p99: the nearest-rank 99th percentile of each
    period's distance from the median period. Also each period's worst error from the nominal."""
    times = list(start_us_list)
    if len(times) < 2:
        raise ValueError("clock_figures needs at least two clocks, got %d" % len(times))
    periods = [(b - a) / 1000 for a, b in zip(times, times[1:])]
    nominal = 60000 / (CLOCKS_PER_QUARTER * bpm)
    ordered = sorted(periods)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    spread = sorted(abs(p - median) for p in periods)
    mean = sum(periods) / len(periods)
    return {
        "clocks": len(times),
        "period_nominal_ms": nominal,
        "period_mean_ms": mean,
        "period_median_ms": median,
        "period_error_ms": mean - nominal,
        "period_error_max_ms": max(abs(p - nominal) for p in periods),
        "jitter_p99_ms": spread[max(1, math.ceil(0.99 * len(spread))) - 1],
    }


# ---- running -----------------------------------------------------------------------------


class Report:
    """What one run recorded: the console (with times), every output's bytes with times."""

    def __init__(self, data):
        self.data = data
        self.ok = data.get("ok", False)
        self.error = data.get("error")
        self.console = _TERMINAL.sub("", data.get("console", ""))
        self.console_log = data.get("consoleLog", [])
        self.captures = data.get("captures", {})

    def output(self, port):
        """The bytes an output sent (out1..out4, usb)."""
        return bytes(self.captures.get(CAPTURE_OF_OUTPUT[port], {}).get("bytes", []))

    def output_times(self, port):
        cap = self.captures.get(CAPTURE_OF_OUTPUT[port], {})
        return cap.get("startUs", []), cap.get("endUs", [])

    def lines(self):
        """The console's lines (the boot's and ours), without the harness's."""
        return [line.rstrip("\r") for line in self.console.split("\n")]

    def lines_after(self, start):
        """Console lines from the first that contains `start` on."""
        lines = self.lines()
        for i, line in enumerate(lines):
            if start in line:
                return lines[i:]
        return []


def run(rig, drive, **options):
    """Boot the firmware with `drive` as CIRCUITPY, play the scenario (`options`: see start()),
    return a Report."""
    return start(rig, drive, **options).report()


def start(rig, drive, feeds=(), saves=(), pins=(), captures=("uart0", "uart1", "gp6", "gp7", "usb"), code_file=None,
          ready=r"Thruway .* on ", until_console=None, tail_ms=300, max_s=30, xip=XIP_MISS_CYCLES, pulls=True,
          flash_timing=False, watch=(), settle_ms=50, timeout_s=900):
    """Boot the firmware with `drive` as CIRCUITPY and play the scenario, in the background: the
    emulator starts now, Running.report() waits for its Report (at most `timeout_s` from now)."""
    scenario = {
        "drive": drive,
        "codeFile": code_file,
        "ready": ready,
        "xip": xip,
        "pulls": pulls,
        "flashTiming": flash_timing,
        "pins": [{"gpio": g, "level": lv, "atMs": at} for g, lv, at in pins],
        "feeds": list(feeds),
        "saves": [{"atMs": at, "name": name, "path": path} for at, name, path in saves],
        "captures": list(captures),
        "tailMs": tail_ms,
        "untilConsole": until_console,
        "maxS": max_s,
        "watch": list(watch),
        "settleMs": settle_ms,
    }
    return Running(rig, scenario, timeout_s)


class Running:
    """One emulator run under way (start()): report() waits for it, stop() ends it unread."""

    def __init__(self, rig, scenario, timeout_s):
        self.tmp = tempfile.mkdtemp(prefix="thruway-rig-")
        self.deadline = time.monotonic() + timeout_s
        self.rep_path = os.path.join(self.tmp, "report.json")
        sc_path = os.path.join(self.tmp, "scenario.json")
        with open(sc_path, "w") as f:
            json.dump(scenario, f)
        self.out = open(os.path.join(self.tmp, "output.txt"), "w+")
        self.proc = subprocess.Popen(["node", os.path.join(rig.root, "rig", "run.mjs"), sc_path, self.rep_path],
                                     cwd=rig.root, env=rig.env(), stdout=self.out, stderr=subprocess.STDOUT, text=True)

    def report(self):
        try:
            try:
                code = self.proc.wait(timeout=max(0, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
            if code != 0 or not os.path.exists(self.rep_path):
                self.out.seek(0)
                raise RuntimeError("the rig failed (exit %d):\n%s" % (code, self.out.read()[-3000:]))
            with open(self.rep_path) as f:
                return Report(json.load(f))
        finally:
            self.stop()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---- a saved settings file applied while MIDI flows ----------------------------------------

CLOCK_BYTE = 0xF8
HOLD_CLOCK_FROM = "in2"  # the shipped thruway.toml's [clock]: source in2 ("Analog Four") ...
HOLD_CLOCK_TO = "out4"  # ... to out4 ("Analog Rytm") only
HOLD_SAVE_MS = 200  # when the computer saves the file, after the start-up line


def clock_delays(report, period_ms, port_out=HOLD_CLOCK_TO):
    """Each clock byte fed one every `period_ms` (clock_feed_times), against the same byte leaving
    `port_out`: [(µs it arrived, µs its delay to its first bit out)], in order (clock bytes are
    never dropped, so the k-th out is the k-th in)."""
    starts, _ = report.output_times(port_out)
    out = [t for b, t in zip(report.output(port_out), starts) if b == CLOCK_BYTE]
    return [(a, o - a) for a, o in zip(clock_feed_times(period_ms, len(out)), out)]


def clock_feed_times(period_ms, count, start_ms=0):
    """The µs each of `count` clock bytes, one every `period_ms` from `start_ms`, has fully arrived."""
    return [int(round((start_ms + k * period_ms) * 1000)) + BYTE_US for k in range(count)]


APPLIED = r"thruway\.toml (not )?applied"  # what the console says once a saved file is read
HOLD_SETTLE_MS = 400  # the run goes on this long after that


def apply_hold(rig, settings_text, saved_text, period_ms=5, notes_every_ms=40, folder=None, flash_timing=False,
               watch=(), max_s=20):
    """How long a saved settings file holds MIDI while the running box reads and applies it.

    The box starts with `settings_text` (it must route in2's clock to out4, as the shipped
    thruway.toml does); the computer saves `saved_text` HOLD_SAVE_MS after the start-up line.
    A clock byte arrives on in2 every `period_ms`, and on in1 a Note On / Note Off pair on
    channel 1 every `notes_every_ms`, until HOLD_SETTLE_MS after the console says the file was
    applied (or not). Returns a dict: "hold_ms", the longest delay of a clock byte from in2 to
    out4 (from its arrival to its first bit out: the longest the box held MIDI, to within
    `period_ms`); "typical_ms", the median delay; "clocks_in", the clock bytes that arrived up
    to 50 ms before the end; "clocks_out"; "applied_ms", when the console said it applied the
    file (ms after the start; None if it did not); "end_ms"; "lines", the console's lines from
    the start-up line on; "notes", the in1 messages fed as [(ms, bytes)]; "delays", [(µs
    arrived, µs delay)] per clock byte; "report", the rig's Report. `watch`: firmware
    functions to time (rig.run)."""
    import tempfile as _tempfile

    own = None
    if folder is None:
        own = folder = _tempfile.mkdtemp(prefix="thruway-hold-")
    try:
        made = apply_hold_boot(settings_text, saved_text, folder, period_ms, notes_every_ms, flash_timing, watch, max_s)
        report = run(rig, **made)
    finally:
        if own is not None:
            shutil.rmtree(own, ignore_errors=True)
    return apply_hold_figures(report, period_ms, notes_every_ms, max_s)


def apply_hold_boot(settings_text, saved_text, folder, period_ms=5, notes_every_ms=40, flash_timing=False, watch=(),
                    max_s=20):
    """apply_hold()'s boot, made in `folder`: start()'s keyword arguments."""
    drive = stage_drive(os.path.join(folder, "drive"), settings=settings_text)
    saved = os.path.join(folder, "saved.toml")
    with open(saved, "wb") as f:
        f.write(saved_text.encode() if isinstance(saved_text, str) else saved_text)
    count = int(max_s * 1000 // period_ms)
    clock = {"target": UART_OF_INPUT[HOLD_CLOCK_FROM], "bytes": [CLOCK_BYTE] * count,
             "timesUs": clock_feed_times(period_ms, count)}
    feeds = [clock, timed_feed("in1", hold_notes(notes_every_ms, max_s))]
    return dict(drive=drive, feeds=feeds, saves=[(HOLD_SAVE_MS, "thruway.toml", saved)], until_console=APPLIED,
                settle_ms=HOLD_SETTLE_MS, max_s=max_s, flash_timing=flash_timing, watch=watch)


def hold_notes(notes_every_ms, max_s):
    """apply_hold()'s notes on in1: [(ms, bytes)]."""
    traffic_ms = max_s * 1000
    notes = []
    t = notes_every_ms / 2
    key = 36
    while t + notes_every_ms / 2 < traffic_ms:
        notes.append((t, bytes((0x90, key, 100))))
        notes.append((t + notes_every_ms / 2, bytes((0x80, key, 64))))
        key = 36 + (key - 35) % 48
        t += notes_every_ms
    return notes


def apply_hold_figures(report, period_ms=5, notes_every_ms=40, max_s=20):
    """apply_hold()'s figures from the Report of apply_hold_boot()'s run (the same arguments)."""
    count = int(max_s * 1000 // period_ms)
    notes = hold_notes(notes_every_ms, max_s)
    end_ms = report.data.get("emulatedS", 0) * 1000
    delays = clock_delays(report, period_ms)
    got = sorted(d for _, d in delays)
    applied = [t for t, text in report.console_log if re.search(r" applied, \d+ route", text)]
    return {
        "hold_ms": got[-1] / 1000 if got else None,
        "typical_ms": got[len(got) // 2] / 1000 if got else None,
        "clocks_in": len([a for a in clock_feed_times(period_ms, count) if a <= (end_ms - 50) * 1000]),
        "clocks_out": len(got),
        "applied_ms": applied[0] / 1000 if applied else None,
        "end_ms": end_ms,
        "lines": report.lines_after("Thruway "),
        "notes": [(ms, data) for ms, data in notes if ms <= end_ms],
        "delays": delays,
        "report": report,
    }
