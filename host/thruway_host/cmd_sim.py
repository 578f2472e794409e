"""`thruway sim`: the replay with the firmware loop's timing modelled; latency, clock jitter, queues, drops."""

import json
import os
import sys

from thruway.settings import SettingsError

from thruway_host import sim as simulation
from thruway_host.captures import CaptureError
from thruway_host.counters import INPUT_WORDS, drops_in_words
from thruway_host.traffic import CAPTURES_DIR, SCENARIOS

from thruway_host.resources import root

ROOT = root()


def add_parser(sub):
    p = sub.add_parser(
        "sim",
        help="replay captures through a modelled firmware loop: latency, clock jitter, queues, drops",
        description="Replay captured inputs at wire speed through the firmware's own loop on the "
        "virtual board (or a loop modelled in the simulator), each pass charged what an RP2040 "
        "would spend (a cost per pass and per byte read), with outputs draining at wire speed. "
        "Reports per output: messages, bytes, added latency (input wire end to output wire "
        "start), clock jitter, deepest queue and drops; and the loop's CPU load. See "
        "docs/performance.md.",
    )
    p.add_argument("--scenario", choices=sorted(SCENARIOS), help="a bundled case: " + "; ".join("%s: %s" % (k, v[0]) for k, v in sorted(SCENARIOS.items())))
    p.add_argument("--settings", help="settings file (default: the scenario's, else the box's defaults)")
    p.add_argument("--in", dest="inputs", action="append", default=[], metavar="PORT=CAPTURE", help="input id or name = .bin/.syx/.txt/.mid")
    p.add_argument(
        "--cost-per-byte-us",
        type=float,
        default=simulation.DEFAULT_COST_PER_BYTE_US,
        help="µs the loop spends per input byte (default %(default)s: the RP2040-CircuitPython estimate in docs/bench-reference.json)",
    )
    p.add_argument(
        "--cost-per-iteration-us",
        type=float,
        default=simulation.DEFAULT_COST_PER_ITERATION_US,
        help="µs one loop pass costs with nothing to do (default %(default)s, from the same reference)",
    )
    p.add_argument(
        "--loop",
        choices=("firmware", "model"),
        default="firmware",
        help="firmware (default): code.py's own loop on the virtual board, each pass and byte charged the "
        "costs above; model: a loop modelled in the simulator (faster, and its DIN lead is --tx-ahead)",
    )
    p.add_argument("--tx-ahead", type=int, default=simulation.TX_AHEAD_BYTES, help="with --loop model: bytes a DIN output may hold unsent (default %(default)s)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON (units in the keys) instead of a table")
    p.add_argument("--plot", metavar="FILE.png", help="draw latency and clock-jitter distributions per output")
    p.set_defaults(func=run)


def load_case(args):
    """(title, settings, settings text or None, {input port: events}) from --scenario and/or
    --settings/--in."""
    from thruway_host.cli import read_input_captures, settings_or_default, UsageError

    title = "your captures"
    settings_path = args.settings
    specs = list(args.inputs)
    if args.scenario:
        title, scenario_settings, scenario_inputs = SCENARIOS[args.scenario]
        title = "%s: %s" % (args.scenario, title)
        settings_path = settings_path or os.path.join(ROOT, scenario_settings)
        if not specs:
            specs = ["%s=%s" % (port, os.path.join(ROOT, CAPTURES_DIR, name)) for port, name in scenario_inputs.items()]
    if not specs:
        raise UsageError("thruway sim: give --scenario NAME or at least one --in PORT=CAPTURE")
    text = None
    settings = settings_or_default(settings_path)
    if settings_path:
        with open(settings_path, encoding="utf-8") as f:
            text = f.read()
    captures = read_input_captures(specs, settings, "sim")
    if not any(data for events in captures.values() for _, data in events):
        raise CaptureError("thruway sim: the captures hold no MIDI bytes: nothing to simulate")
    return title, settings, text, captures


def check_plot_path(path):
    """Refuse, before anything runs, a plot file matplotlib cannot write by its extension
    (UsageError) or a folder that does not exist (CaptureError stands for any file problem)."""
    from thruway_host.cli import UsageError

    ext = os.path.splitext(path)[1].lower().lstrip(".")
    import matplotlib.figure

    known = matplotlib.figure.Figure().canvas.get_supported_filetypes()
    if ext not in known:
        raise UsageError("thruway sim: --plot %s: the file name must end in one of %s, such as studio.png" % (path, ", ".join("." + k for k in sorted(known))))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CaptureError("thruway sim: --plot %s: there is no folder %s" % (path, folder))


def run(args):
    try:
        if args.plot:
            check_plot_path(args.plot)
        title, settings, text, captures = load_case(args)
        model = simulation.LoopModel(args.cost_per_byte_us, args.cost_per_iteration_us, tx_ahead=args.tx_ahead)
    except SettingsError as e:
        for line in e.errors:
            print(line, file=sys.stderr)
        return 1
    except CaptureError as e:
        print(e, file=sys.stderr)
        return 1
    except ValueError as e:
        print("thruway sim: %s" % e, file=sys.stderr)
        return 2
    quiet_us = max(simulation.QUIET_US, 1000 * (settings.sysex_timeout_ms + 1000))
    captures, cut = simulation.shorten_quiet(captures, quiet_us)
    if cut:
        print(
            "thruway sim: %d stretch%s of silence longer than %d s shortened to that (the box only waits)"
            % (cut, "" if cut == 1 else "es", quiet_us // 1_000_000),
            file=sys.stderr,
        )
    if args.loop == "firmware":
        from thruway_host.simfirmware import FirmwareSim

        result = FirmwareSim(settings, text, model).run(captures)
    else:
        result = simulation.Sim(settings, model).run(captures)
    report = result.report()
    report["case"] = title
    if args.plot:
        from thruway_host.simplot import plot

        try:
            plot(result, report, args.plot)
        except OSError as e:
            print("thruway sim: cannot write the plot %s: %s" % (args.plot, e.strerror or e), file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in table(report):
            print(line)
        if args.plot:
            print("plot: %s" % args.plot)
    return 0


def _ms(us):
    return "-" if us is None else "%.2f" % (us / 1000)


def table(report):
    """The report as lines of text: a row per output that carried anything."""
    m = report["model"]
    loop = report["loop"]
    loop_name = "the firmware's loop on the virtual board" if m["loop"] == "firmware" else "the modelled loop"
    lines = [
        "thruway sim: %s" % report["case"],
        "%s: %.1f µs a pass + %.1f µs per input byte read; DIN outputs hold at most %d bytes unsent"
        % (loop_name, m["cost_per_iteration_us"], m["cost_per_byte_us"], m["tx_ahead_bytes"]),
        "",
        "%-22s %8s %7s  %-20s  %-13s %6s  %s" % ("output", "messages", "bytes", "latency ms p50/p99/max", "clock jitter", "deepest", "dropped"),
        "%-22s %8s %7s  %-20s  %-13s %6s" % ("", "", "", "(in end -> out start)", "ms p99/max", "queue"),
    ]
    for port_id, o in report["outputs"].items():
        if not o["messages"] and not any(o["dropped_messages"].values()):
            continue
        name = port_id if o["name"] == port_id else "%s (%s)" % (port_id, o["name"])
        drops = drops_in_words(o["dropped_messages"])
        jitter = "-" if not o["clock_messages"] else "%s/%s" % (_ms(o["clock_jitter_p99_us"]), _ms(o["clock_jitter_max_us"]))
        lines.append(
            "%-22s %8d %7d  %-20s  %-13s %6d  %s"
            % (
                name[:22],
                o["messages"],
                o["bytes"],
                "%s/%s/%s" % (_ms(o["latency_p50_us"]), _ms(o["latency_p99_us"]), _ms(o["latency_max_us"])),
                jitter,
                o["deepest_queue_bytes"],
                drops,
            )
        )
    lines.append("")
    lines.append(
        "loop: %.1f%% CPU for the traffic's bytes over %.0f ms; %d passes, the longest %.0f µs; at most %d bytes waited to be read"
        % (loop["cpu_load_pct"], report["traffic_ms"], loop["iterations"], loop["busiest_iteration_us"], loop["rx_backlog_max_bytes"])
    )
    for port_id, i in report["inputs"].items():
        if i["lost_bytes"] or i["counters"]:
            extra = ", ".join("%d %s" % (v, INPUT_WORDS.get(k, k)) for k, v in i["counters"].items())
            if i["lost_bytes"]:
                extra = "lost %d bytes (receive buffer full)" % i["lost_bytes"] + (", " + extra if extra else "")
            lines.append("%s in: %s" % (port_id, extra))
    return lines
