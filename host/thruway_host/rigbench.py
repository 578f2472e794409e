"""The benchmark on the rig: latency, clock jitter, losses and the loop's costs, measured on the real firmware."""

# Each traffic case boots CircuitPython on the emulated Pico with the drive `thruway install`
# makes, plays timed captures into the DIN inputs (and the computer's side of USB MIDI), and
# records every output with emulated times. The same captures go through `thruway replay`
# (thruway_host.replay: the core with no cost, each DIN output draining a byte per 320 µs):
# a message's added latency is when its first byte left the box on the rig minus when it
# leaves in the replay; a clock's jitter is how far each clock's delay strays from the median
# delay. A probe boot times the loop's passes and the core's calls on the board itself.

import json
import os
import re
import tempfile

from thruway.midi import CLOCK, IN_USB, INPUT_IDS, LENGTH, OUTPUT_IDS, OUT_USB
from thruway.settings import decode, load

from thruway_host import rig as rigmod
from thruway_host import traffic
from thruway_host.replay import Replay
from thruway_host.sim import percentile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROBE = os.path.join(ROOT, "rig", "probe_cost.py")
WINDOW_MS = 4500  # the first 4.5 s of each capture (the studio's start, 8 bars of traffic)

# The targets (docs/performance.md): added latency p99 and clock jitter p99, in ms.
TARGET_DIN_P99_MS = 0.5
TARGET_DIN_JITTER_MS = 0.2
TARGET_USB_P99_MS = 1.0
TARGET_USB_JITTER_MS = 0.3


# ---- traffic -----------------------------------------------------------------------------


def _window(events, ms=WINDOW_MS):
    return [(t, d) for t, d in events if t < ms * 1000]


def studio_traffic():
    """{input: events}: the KeyStep on in1 and the Analog Four on in2, as bundled."""
    made = traffic.studio()
    return {0: _window(made["keystep.txt"][1]), 1: _window(made["a4-sequencer.txt"][1])}


def dense_studio_traffic():
    """The studio played harder: all six A4 tracks on every sixteenth, a CC sweep at 8 a beat,
    and the KeyStep's chords (three keys at once) every beat beside its melody."""
    bpm, beats = traffic.BPM, traffic.BEATS
    steps = beats * 4
    a4 = traffic.merge(
        traffic.clock_run(bpm, beats),
        *[traffic.notes(ch, [36 + 5 * ch + (k % 4) for k in range(steps)], bpm, 4) for ch in range(6)],
        traffic.cc_sweep(4, 74, bpm, beats, 8),
    )
    chords = []
    for k in range(beats):
        t = round(k * traffic._beat_us(bpm))
        for key in (57, 60, 64):
            chords.append((t, bytes((0x95, key, 80))))
            chords.append((t + round(traffic._beat_us(bpm) * 0.6), bytes((0x85, key, 64))))
    keystep = traffic.merge(chords, traffic.notes(4, traffic.KEYSTEP_MELODY * 2, bpm, 4, velocity=90))
    return {0: _window(keystep), 1: _window(a4)}


def daw_traffic():
    """A DAW over USB at 120 BPM: clock, sixteenths on the A4's track 1, chords on track 2 and
    a cutoff sweep, each message one write of the computer."""
    bpm, beats = traffic.BPM, 8
    line = [48, None, 51, 55, None, 58, 55, None] * (beats // 2)
    chords = []
    for k in range(0, beats, 2):
        t = round(k * traffic._beat_us(bpm))
        for key in (60, 63, 67):
            chords.append((t, bytes((0x91, key, 90))))
            chords.append((t + round(traffic._beat_us(bpm) * 1.5), bytes((0x81, key, 64))))
    events = traffic.merge(
        traffic.clock_run(bpm, beats),
        traffic.notes(0, line, bpm, 4),
        chords,
        traffic.cc_sweep(0, 74, bpm, beats, 4),
    )
    return {IN_USB: events}


def full_rate(channel, count):
    """Note On/Off pairs back to back at the full wire rate (count messages)."""
    out = []
    t = 0
    for k in range(count):
        key = 20 + (k // 2) % 100
        data = bytes((0x90 | channel, key, 1 + k % 126)) if k % 2 == 0 else bytes((0x80 | channel, key, 64))
        out.append((t, data))
        t += 3 * 320
    return out


# The settings of the cases beside the shipped file: the shipped file with its clock also to the
# JU-06A (a UART output carrying clock and notes), and with the computer as clock master.
def _shipped():
    with open(os.path.join(ROOT, "thruway.toml"), encoding="utf-8") as f:
        return f.read()


def clock_to_uart_too(text):
    return re.sub(r'^to = \["Analog Rytm"\]', 'to = ["JU-06A", "Analog Rytm"]', text, count=1, flags=re.M)


def computer_as_master(text):
    text = re.sub(r'^source = "Analog Four"', 'source = "Computer"', text, count=1, flags=re.M)
    return re.sub(r'^to = \["Analog Rytm"\]', 'to = ["Analog Four", "Analog Rytm"]', text, count=1, flags=re.M)


ONE_TO_ONE = """\
[inputs]
in1 = "A"
in2 = "B"
[outputs]
out1 = "X"
out3 = "Y"
[[route]]
from = "A"
to = "X"
[[route]]
from = "B"
to = "Y"
"""

MERGED = """\
[inputs]
in1 = "A"
in2 = "B"
[outputs]
out1 = "X"
[[route]]
from = ["A", "B"]
to = "X"
"""


def cases():
    """(name, what it shows, settings text, {input: events})."""
    shipped = _shipped()
    return [
        ("studio", "the shipped thruway.toml; KeyStep on in1, Analog Four on in2 (clock to the Rytm, PIO)",
         shipped, studio_traffic()),
        ("studio, clock on a UART too", "as studio, the clock also to the JU-06A (out2, UART, with notes)",
         clock_to_uart_too(shipped), studio_traffic()),
        ("denser studio", "six A4 tracks every sixteenth, CC sweep, KeyStep chords; clock to out2 and out4",
         clock_to_uart_too(shipped), dense_studio_traffic()),
        ("computer", "a DAW over USB to the Analog Four (out1): clock, sixteenths, chords, CC sweep",
         computer_as_master(shipped), daw_traffic()),
        ("full rate, one input", "in1 at the full wire rate for 1 s, to out1",
         ONE_TO_ONE, {0: full_rate(0, 1000)}),
        ("full rate, both 1 to 1", "in1 to out1 and in2 to out3, each input at the full wire rate for 1 s",
         ONE_TO_ONE, {0: full_rate(0, 1000), 1: full_rate(1, 1000)}),
        ("full rate, 2 merged", "both inputs at the full wire rate merged into out1 (2:1 oversubscribed)",
         MERGED, {0: full_rate(0, 1000), 1: full_rate(1, 1000)}),
    ]


# ---- messages and matching ----------------------------------------------------------------


def messages(times, data):
    """Split an output's bytes (with the time each started) into messages: [(µs, bytes)].
    Realtime bytes are messages of their own wherever they fall."""
    out = []
    cur = None
    for t, b in zip(times, data):
        if b >= 0xF8:
            out.append((t, bytes((b,))))
            continue
        if b == 0xF7 and cur is not None and cur[1][0] == 0xF0:
            # The end of a SysEx closes it.
            cur[1].append(b)
            cur = None
            continue
        if b >= 0x80:
            cur = [t, bytearray((b,))]
            out.append(cur)
            if b == 0xF7 or (b >= 0xF0 and b != 0xF0 and LENGTH[b] == 1):
                cur = None
            continue
        if cur is None:
            out.append([t, bytearray((b,))])  # a byte that belongs to nothing: kept, shown as extra
            continue
        cur[1].append(b)
    return [(m[0], bytes(m[1])) for m in out]


def broken(msgs):
    """Messages that are not whole (a channel or common message of the wrong length)."""
    bad = 0
    for _, m in msgs:
        s = m[0]
        if s < 0x80 or (s < 0xF0 and len(m) != LENGTH[s]) or (s == 0xF0 and m[-1] != 0xF7):
            bad += 1
    return bad


def hanging(msgs):
    """Notes an output left sounding: Note Ons without their Note Off by the end."""
    held = {}
    for _, m in msgs:
        kind = m[0] & 0xF0
        if len(m) == 3 and kind in (0x80, 0x90) and m[0] < 0xF0:
            key = (m[0] & 0x0F, m[1])
            held[key] = held.get(key, 0) + (1 if kind == 0x90 and m[2] else -1)
    return sum(max(0, v) for v in held.values())


def match(expected, got):
    """Pair each message the rig sent with the same message of the replay, in order (a message
    of given bytes is the k-th of its kind on both). Returns (delays µs, clock delays µs,
    lost, extra)."""
    queues = {}
    for t, m in expected:
        queues.setdefault(m, []).append(t)
    taken = {}
    delays, clock, extra = [], [], 0
    for t, m in got:
        k = taken.get(m, 0)
        q = queues.get(m)
        if q is None or k >= len(q):
            extra += 1
            continue
        taken[m] = k + 1
        d = t - q[k]
        (clock if m == bytes((CLOCK,)) else delays).append(d)
    lost = sum(len(q) - taken.get(m, 0) for m, q in queues.items())
    return delays, clock, lost, extra


def stats(delays, clock):
    """Latency and clock figures in ms from delays in µs (`thruway sim`'s nearest-rank percentile)."""
    out = {"messages": len(delays) + len(clock)}
    if delays:
        out.update(p50_ms=percentile(delays, 50) / 1000, p99_ms=percentile(delays, 99) / 1000, max_ms=max(delays) / 1000)
    if clock:
        med = percentile(clock, 50)
        dev = [abs(c - med) for c in clock]
        out.update(clock_delay_p50_ms=med / 1000, clock_delay_min_ms=min(clock) / 1000, clock_delay_max_ms=max(clock) / 1000,
                   clock_jitter_p99_ms=percentile(dev, 99) / 1000, clock_jitter_max_ms=max(dev) / 1000)
        if not delays:
            out.update(p50_ms=med / 1000, p99_ms=percentile(clock, 99) / 1000, max_ms=max(clock) / 1000)
    return out


def replay_messages(settings, captures):
    """Per output, the replay's messages [(µs, bytes)] (zero cost)."""
    rp = Replay(settings)
    sent = rp.run(captures)
    return [messages([t for t, _ in s], [b for _, b in s]) for s in sent]


# ---- running ------------------------------------------------------------------------------


def run_case(rig, folder, name, settings_text, captures, max_s=60):
    """Boot with settings_text, play the captures, compare with the replay: a dict per output."""
    settings = load(decode(settings_text.encode()))
    feeds = []
    for port, events in sorted(captures.items()):
        if port == IN_USB:
            feeds.append(rigmod.usb_feed([(t / 1000, d) for t, d in events]))
        else:
            feeds.append(rigmod.timed_feed(INPUT_IDS[port], [(t / 1000, d) for t, d in events]))
    drive = rigmod.stage_drive(os.path.join(folder, re.sub(r"\W+", "-", name)), settings=settings_text)
    report = rigmod.run(rig, drive, feeds=feeds, max_s=max_s, timeout_s=1800)
    if not report.ok:
        raise RuntimeError("%s: the rig run failed: %s\n%s" % (name, report.error, report.console[-1500:]))
    expected = replay_messages(settings, captures)
    outputs = {}
    for o, port in enumerate(OUTPUT_IDS):
        starts, _ = report.output_times(port)
        got = messages(starts, report.output(port))
        if not got and not expected[o]:
            continue
        delays, clock, lost, extra = match(expected[o], got)
        row = stats(delays, clock)
        row.update(lost=lost, extra=extra, name=settings.output_names[o] if o < len(settings.output_names) else port,
                   sent=len(got), expected=len(expected[o]), broken=broken(got), hanging=hanging(got))
        outputs[port] = row
    overruns = {}
    for feed in report.data.get("feeds", []):
        st = feed.get("uartStats")
        if st is not None:
            overruns[feed["target"]] = st.get("rxOverrun", 0)
    return {"outputs": outputs, "uart_overruns": overruns, "emulated_s": report.data.get("emulatedS"),
            "wall_s": report.data.get("wallS")}


# The box as clock master (issue 12): its own clock at 120 BPM to the Rytm (PIO, clock only)
# and the Typhon (UART, with the Analog Four's notes), while the KeyStep plays the JU-06A.
MASTER_SETTINGS = b"""\
# The box is the clock master at 120 BPM while both DIN inputs play.
[inputs]
in1 = "KeyStep"
in2 = "Analog Four"

[outputs]
out2 = "JU-06A"
out3 = "Typhon"
out4 = "Analog Rytm"

[clock]
source = "internal"      # the box is the master
tempo = 120              # BPM: a clock every 20.833 ms
to = ["Analog Rytm", "Typhon"]

[[route]]
from = "KeyStep"
to = "JU-06A"
channels = 5

[[route]]
from = "Analog Four"
to = "Typhon"
channels = 6
types = ["notes", "cc", "pitchbend"]
"""
MASTER_RUN_S = 2.5
MASTER_NOTE_EVERY_MS = 10
MASTER_WINDOW_MS = (200, 2200)  # clocks counted while notes pass, away from the run's ends
MASTER_OUTPUTS = ("out4", "out3")


def notes_every(status, key0, every_ms, until_ms, offset_ms):
    """Note On / Note Off pairs on `status`'s channel, a message every `every_ms`: [(ms, bytes)]."""
    out = []
    k = 0
    while offset_ms + k * every_ms < until_ms:
        key = key0 + (k // 2) % 24
        msg = bytes((status, key, 20 + k % 100)) if k % 2 == 0 else bytes((status - 0x10, key, 64))
        out.append((offset_ms + k * every_ms, msg))
        k += 1
    return out


def master_traffic():
    """The KeyStep on in1 (channel 5) and the Analog Four on in2 (channel 6), a message every
    10 ms each, 5 ms apart: {input: [(ms, bytes)]}."""
    until = MASTER_WINDOW_MS[1] + 100
    return {0: notes_every(0x94, 48, MASTER_NOTE_EVERY_MS, until, 0), 1: notes_every(0x95, 36, MASTER_NOTE_EVERY_MS, until, 5)}


def run_master(rig, folder):
    """Boot with MASTER_SETTINGS and play master_traffic(): the rig's Report."""
    drive = rigmod.stage_drive(os.path.join(folder, "master"), settings=MASTER_SETTINGS)
    feeds = [rigmod.timed_feed(INPUT_IDS[port], events) for port, events in sorted(master_traffic().items())]
    report = rigmod.run(rig, drive, feeds=feeds, max_s=MASTER_RUN_S)
    if not report.ok:
        raise RuntimeError("the box as master: the rig run failed: %s\n%s" % (report.error, report.console[-1500:]))
    return report


def master_clocks(report, port):
    """When each clock byte on `port` started on the wire (µs), inside MASTER_WINDOW_MS."""
    starts = report.output_times(port)[0]
    lo, hi = MASTER_WINDOW_MS[0] * 1000, MASTER_WINDOW_MS[1] * 1000
    return [t for b, t in zip(report.output(port), starts) if b == CLOCK and lo <= t < hi]


def master_clock(rig, folder):
    """The box's own clock's period and jitter on each output it goes to (rig.clock_figures)."""
    report = run_master(rig, folder)
    return {port: rigmod.clock_figures(master_clocks(report, port), bpm=120) for port in MASTER_OUTPUTS}


def apply_hold(rig, folder):
    """A saved file applied while MIDI plays (rig.apply_hold: the shipped file, saved again with
    the KeyStep's Typhon route sent to the JU-06A): how long MIDI was held, in ms."""
    shipped = _shipped()
    saved = shipped.replace('to = "Typhon"', 'to = "JU-06A"', 1)
    got = rigmod.apply_hold(rig, shipped, saved, folder=os.path.join(folder, "hold"))
    return {"hold_ms": got["hold_ms"], "typical_ms": got["typical_ms"], "applied": got["applied_ms"] is not None,
            "clocks_in": got["clocks_in"], "clocks_out": got["clocks_out"]}


def probe_costs(rig, folder):
    """The probe boot: the loop's and the core's costs on the board, in µs, and the free heap."""
    with open(PROBE, encoding="utf-8") as f:
        probe = f.read()
    a4 = traffic.studio()["a4-sequencer.txt"][1]
    extra = {"probe_cost.py": probe, "bench_in.bin": b"".join(d for _, d in a4)}
    drive = rigmod.stage_drive(os.path.join(folder, "probe"), settings=_shipped(), extra=extra)
    report = rigmod.run(rig, drive, code_file="probe_cost.py", ready=r"probe_cost.py output",
                        until_console=r"bench: done|Traceback|Error", captures=(), max_s=300, timeout_s=1800)
    figures = {}
    for name, value in re.findall(r"bench: (\w+) (-?\d+)", report.console):
        if name.endswith("_ns"):
            figures[name[:-3] + "_us"] = int(value) / 1000
        else:
            figures[name] = int(value)
    if "done" not in report.console or not figures:
        raise RuntimeError("the cost probe did not finish:\n" + report.console[-1500:])
    return figures


def run(rig=None, only=None):
    """Every case and the probe; returns the results as a dict (JSON-ready)."""
    rig = rig or rigmod.find()
    if not rig.ready:
        return {"skipped": rig.why_not}
    result = {"firmware": os.path.basename(rig.firmware), "version": rig.version, "xip_miss_cycles": rigmod.XIP_MISS_CYCLES,
              "cases": {}}
    with tempfile.TemporaryDirectory(prefix="thruway-rigbench-") as tmp:
        if only is None or "probe" in only:
            result["costs"] = probe_costs(rig, tmp)
        if only is None or "apply" in only:
            result["apply_hold"] = apply_hold(rig, tmp)
        if only is None or "master" in only:
            result["master_clock"] = master_clock(rig, tmp)
        for name, what, settings_text, captures in cases():
            if only is not None and name not in only:
                continue
            row = run_case(rig, tmp, name, settings_text, captures)
            row["what"] = what
            result["cases"][name] = row
    return result


def targets(result):
    """Each target of issue "Fast enough on the chip" against the rig's figures: met or not."""
    cases = result["cases"]
    rows = []

    def worst(case, key, ports):
        vals = [row[key] for port, row in cases.get(case, {}).get("outputs", {}).items() if port in ports and key in row]
        return max(vals) if vals else None

    din = ("out1", "out2", "out3", "out4")
    for case in ("studio", "studio, clock on a UART too", "denser studio"):
        if case not in cases:
            continue
        p99 = worst(case, "p99_ms", din)
        jit = worst(case, "clock_jitter_p99_ms", din)
        lost = sum(row["lost"] for row in cases[case]["outputs"].values())
        rows.append(("%s: worst DIN output's added latency p99 (ms)" % case, p99, "< %.1f" % TARGET_DIN_P99_MS, p99 is not None and p99 < TARGET_DIN_P99_MS))
        if jit is not None:
            rows.append(("%s: clock jitter p99, worst DIN output (ms)" % case, jit, "< %.1f" % TARGET_DIN_JITTER_MS, jit < TARGET_DIN_JITTER_MS))
        rows.append(("%s: messages lost" % case, lost, "== 0", lost == 0))
    if "computer" in cases:
        p99 = worst("computer", "p99_ms", din)
        jit = worst("computer", "clock_jitter_p99_ms", din)
        lost = sum(row["lost"] for row in cases["computer"]["outputs"].values())
        rows.append(("computer (USB in): added latency p99 (ms)", p99, "< %.1f" % TARGET_USB_P99_MS, p99 is not None and p99 < TARGET_USB_P99_MS))
        rows.append(("computer (USB in): clock jitter p99 (ms)", jit, "< %.1f" % TARGET_USB_JITTER_MS, jit is not None and jit < TARGET_USB_JITTER_MS))
        rows.append(("computer (USB in): messages lost", lost, "== 0", lost == 0))
    if "full rate, one input" in cases:
        case = cases["full rate, one input"]
        lost = sum(row["lost"] for row in case["outputs"].values()) + sum(case["uart_overruns"].values())
        rows.append(("full rate, one input: messages lost (by the box or at the UART)", lost, "== 0", lost == 0))
        row = case["outputs"].get("out1", {})
        if "p50_ms" in row:
            grows = row["max_ms"] - row["p50_ms"]
            rows.append(("full rate, one input: how much the delay grows (max - p50, ms)", grows, "< 1", grows < 1))
    if "full rate, both 1 to 1" in cases:
        case = cases["full rate, both 1 to 1"]
        over = sum(case["uart_overruns"].values())
        rows.append(("full rate, both 1 to 1: bytes lost at the UARTs (the merge policy's drops are counted apart)", over, "== 0", over == 0))
    if "full rate, 2 merged" in cases:
        case = cases["full rate, 2 merged"]
        over = sum(case["uart_overruns"].values())
        bad = sum(row["broken"] + row["hanging"] for row in case["outputs"].values())
        rows.append(("full rate, 2 merged: bytes lost at the UARTs", over, "== 0", over == 0))
        rows.append(("full rate, 2 merged: broken messages and hanging notes on the output", bad, "== 0", bad == 0))
    master = result.get("master_clock")
    if master:
        for port, fig in sorted(master.items()):
            rows.append(("the box as master at 120 BPM, notes passing: %s period error (ms)" % port, abs(fig["period_error_ms"]),
                         "< %.1f" % TARGET_DIN_JITTER_MS, abs(fig["period_error_ms"]) < TARGET_DIN_JITTER_MS))
            rows.append(("the box as master at 120 BPM, notes passing: %s clock jitter p99 (ms)" % port, fig["jitter_p99_ms"],
                         "< %.1f" % TARGET_DIN_JITTER_MS, fig["jitter_p99_ms"] < TARGET_DIN_JITTER_MS))
    hold = result.get("apply_hold")
    if hold:
        rows.append(("a saved settings file applied while MIDI plays: the longest MIDI is held (ms)", hold["hold_ms"], "<= 20",
                     hold["hold_ms"] <= 20))
        lost = max(0, hold["clocks_in"] - hold["clocks_out"])  # clocks_in: those due out before the end
        rows.append(("...clock bytes lost meanwhile", lost, "== 0", lost == 0))
    costs = result.get("costs", {})
    if "housekeeping_us" in costs:
        worst_job = max(costs["settings_stat_us"], costs["leds_us"], costs["usb_check_us"]) + costs["core_tick_us"]
        rows.append(("housekeeping: the longest pass's share (core tick + its slowest job, ms)", worst_job / 1000, "<= 0.5", worst_job <= 500))
    return [{"target": t, "figure": f, "limit": limit, "met": met} for t, f, limit, met in rows]


def sim_costs(costs):
    """`thruway sim`'s two costs from the probe's figures: a pass with nothing to do, and per
    byte read a third of a note message's way into the core and out to its 2 outputs."""
    return round(costs["note_message_in_and_out_of_core_us"] / 3, 1), round(costs["idle_pass_us"], 1)


def sim_versus_rig(result, simulation=None):
    """`thruway sim` with the rig's costs against the rig itself, on the same traffic: the
    studio case's p50 and p99 per output, both ways (ms)."""
    from thruway_host.simfirmware import FirmwareSim
    from thruway_host.sim import LoopModel

    costs = result.get("costs")
    case = result["cases"].get("studio")
    if not costs or not case:
        return None
    text = _shipped()
    settings = load(decode(text.encode()))
    model = LoopModel(*sim_costs(costs))
    report = FirmwareSim(settings, text, model).run(studio_traffic()).report()
    rows = []
    for port, row in case["outputs"].items():
        sim = report["outputs"].get(port)
        if not sim or not sim.get("messages") or sim.get("latency_p50_us") is None:
            continue
        rows.append({"output": port, "rig_p50_ms": row["p50_ms"], "rig_p99_ms": row["p99_ms"],
                     "sim_p50_ms": sim["latency_p50_us"] / 1000, "sim_p99_ms": sim["latency_p99_us"] / 1000})
    return rows


def costs_markdown(result):
    c = result["costs"]
    return "\n".join([
        "| on the board (CircuitPython %s, the rig) | µs |" % result["version"],
        "|---|---|",
        "| a loop pass with nothing to do | %.0f |" % c["idle_pass_us"],
        "| a note message into the core (routed to 2 outputs) | %.0f |" % c["receive_note_message_us"],
        "| ...into the core and out of it again (2 transmits) | %.0f |" % c["note_message_in_and_out_of_core_us"],
        "| a clock byte into the core and out to its output | %.0f |" % c["clock_in_and_out_of_core_us"],
        "| a transmit with nothing waiting | %.0f |" % c["transmit_nothing_us"],
        "| the core per byte of the Analog Four's stream, 1 / 3 / 32 bytes a call | %.0f / %.0f / %.0f |"
        % (c["core_byte_chunk1_us"], c["core_byte_chunk3_us"], c["core_byte_chunk32_us"]),
        "| core.tick (every 4 ms) | %.0f |" % c["core_tick_us"],
        "| settings file stat / LEDs / USB presence (each in its own housekeeping pass) | %.0f / %.0f / %.0f |"
        % (c["settings_stat_us"], c["leds_us"], c["usb_check_us"]),
        "| ticks_ms() / UART in_waiting / readinto (empty), each with its loop's 5 µs | %.0f / %.0f / %.0f |"
        % (c["ticks_ms_us"], c["in_waiting_us"], c["readinto_empty_us"]),
        "| heap free after start, studio file (bytes) | %d |" % c["free_after_start"],
    ] + ([
        "| a read of the microsecond counter (PIO) / its heap (bytes) / its count over 100 ticks_ms | %.0f / %d / %d |"
        % (c["micros_read_us"], c["micros_heap"], c["micros_per_100_ms"]),
    ] if "micros_read_us" in c else []))


def markdown(result):
    """The rig's figures for docs/performance.md."""
    lines = ["The real firmware: %s on the rig (rp2040js, XIP cache model %d cycles a miss)." % (result["firmware"], result["xip_miss_cycles"]), ""]
    if result.get("costs"):
        lines += [costs_markdown(result), ""]
    lines += [table(result), ""]
    if result.get("targets"):
        lines += ["| target (on the rig) | figure | limit | |", "|---|---|---|---|"]
        for t in result["targets"]:
            fig = t["figure"]
            lines.append("| %s | %s | %s | %s |" % (t["target"], "-" if fig is None else ("%.2f" % fig if isinstance(fig, float) else fig),
                                                   t["limit"], "met" if t["met"] else "**missed**"))
        lines.append("")
    if result.get("sim_versus_rig"):
        lines += ["`thruway sim` with these costs against the rig, the studio case (ms):", "",
                  "| output | rig p50 / p99 | sim p50 / p99 |", "|---|---|---|"]
        for r in result["sim_versus_rig"]:
            lines.append("| %s | %.2f / %.2f | %.2f / %.2f |" % (r["output"], r["rig_p50_ms"], r["rig_p99_ms"], r["sim_p50_ms"], r["sim_p99_ms"]))
        lines.append("")
    return "\n".join(lines)


def table(result):
    """The latency table, in Markdown."""
    lines = ["| case | output | messages | latency p50 / p99 / max (ms) | clock jitter p99 (ms) | lost | extra |",
             "|---|---|---|---|---|---|---|"]
    for name, case in result.get("cases", {}).items():
        for port, row in case["outputs"].items():
            lat = "%.2f / %.2f / %.2f" % (row["p50_ms"], row["p99_ms"], row["max_ms"]) if "p50_ms" in row else ""
            jit = "%.2f" % row["clock_jitter_p99_ms"] if "clock_jitter_p99_ms" in row else ""
            lines.append("| %s | %s (%s) | %d | %s | %s | %d | %d |" % (name, port, row["name"], row["messages"], lat, jit,
                                                                  row["lost"], row["extra"]))
        over = {k: v for k, v in case.get("uart_overruns", {}).items() if v}
        if over:
            lines.append("| %s | UART overruns | | %s | | | |" % (name, ", ".join("%s %d" % kv for kv in over.items())))
    return "\n".join(lines)


def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(prog="python -m thruway_host.rigbench", description=__doc__)
    ap.add_argument("--only", action="append", help="a case, or 'probe', 'apply' or 'master', to run; repeatable")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    result = run(only=args.only)
    if "skipped" in result:
        print("rig: skipped, %s" % result["skipped"])
        return 0
    result["targets"] = targets(result)
    print(markdown(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
