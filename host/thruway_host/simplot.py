"""`thruway sim --plot`: latency and clock-jitter distributions per output, drawn with matplotlib."""

import matplotlib

matplotlib.use("Agg")  # files only: no display needed

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

LATENCY_TARGET_MS = 1.5  # docs/performance.md: default studio, p99
JITTER_TARGET_MS = 0.5


def _cdf(values):
    xs = sorted(v / 1000 for v in values)
    n = len(xs)
    return xs, [100 * (k + 1) / n for k in range(n)]


def _p(values, q):
    xs = sorted(values)
    return xs[max(0, -(-q * len(xs) // 100) - 1)] / 1000


def _ms_axis(ax, values, linear_below):
    """A log (or, with zeros, symlog) time axis when the values span a wide range, in plain ms."""
    positive = [v for v in values if v > 0]
    if not positive or max(positive) <= 30 * linear_below:
        return
    if len(positive) < len(values):
        ax.set_xscale("symlog", linthresh=linear_below, linscale=0.5)
    else:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "%g" % x))


def plot(result, report, path):
    """Write a PNG: on the left each output's latency distribution, on the right each clock's
    jitter, as the share of messages at or under a time (a dot marks p99), with the targets."""
    dists = result.distributions()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6.2), constrained_layout=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    spread = []
    jitter_all = []
    for k, (port_id, (latencies, jitters)) in enumerate(dists.items()):
        name = report["outputs"][port_id]["name"]
        label = port_id if name == port_id else "%s (%s)" % (port_id, name)
        color = colors[k % len(colors)]
        if latencies:
            xs, ys = _cdf(latencies)
            p99 = _p(latencies, 99)
            left.step(xs, ys, where="post", color=color, label="%s: p50 %.2f, p99 %.2f ms" % (label, _p(latencies, 50), p99))
            left.plot([p99], [99], "o", color=color)
            spread.extend([xs[0], xs[-1]])
        if jitters:
            xs, ys = _cdf(jitters)
            p99 = _p(jitters, 99)
            right.step(xs, ys, where="post", color=color, label="%s: p99 %.2f, max %.2f ms" % (label, p99, xs[-1]))
            right.plot([p99], [99], "o", color=color)
            jitter_all.extend([xs[0], xs[-1]])
    _ms_axis(left, spread, 0.1)
    _ms_axis(right, jitter_all, 0.1)
    left.axvline(LATENCY_TARGET_MS, color="0.4", linestyle="--", linewidth=1, label="target, default studio: p99 < %.1f ms" % LATENCY_TARGET_MS)
    left.set_title("Added latency per message (input wire end to output wire start)")
    left.set_xlabel("latency (ms)")
    left.set_ylabel("messages at or under it (%)")
    right.axvline(JITTER_TARGET_MS, color="0.4", linestyle="--", linewidth=1, label="target: p99 < %.1f ms" % JITTER_TARGET_MS)
    right.set_title("Clock jitter (each clock's delay minus the least delay)")
    right.set_xlabel("jitter (ms)")
    if not any(j for _, j in dists.values()):
        right.text(0.5, 0.5, "no clock on any output", transform=right.transAxes, ha="center", color="0.4")
    for ax in (left, right):
        ax.set_ylim(0, 101)
        ax.grid(True, which="both", alpha=0.3)
        ax.axhline(99, color="0.7", linewidth=0.8)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    m = report["model"]
    fig.suptitle(
        "thruway sim, %s  (%.0f µs a loop pass + %.0f µs a byte; CPU %.1f%%)"
        % (report.get("case", ""), m["cost_per_iteration_us"], m["cost_per_byte_us"], report["loop"]["cpu_load_pct"]),
        fontsize=11,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)
