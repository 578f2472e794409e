"""Regenerates every committed hardware file (netlists, BOMs, drawings, README tables): python -m hardware.build [--check]."""

import functools
import os
import re
import sys

from hardware import budget, checks, circuit, drawings, exports
from thruway_board import pins as pin_map

HERE = os.path.dirname(os.path.abspath(__file__))
README = "README.md"
VARIANTS = {"buffered": "", "direct": "-direct"}  # the default build has no suffix


@functools.cache
def design(board_id, outputs):
    """The built circuit for a board and output variant (built once per run; do not modify)."""
    return circuit.build(board_id, outputs)


def paths():
    """The paths (relative to hardware/) of every generated file, without building anything."""
    names = [README]
    for suffix in VARIANTS.values():
        names += ["generated/netlist-%s%s.json" % (board_id, suffix) for board_id in pin_map.BOARDS]
        names.append("generated/bom%s.csv" % suffix)
    names += ["svg/midi-in.svg", "svg/midi-out.svg", "svg/midi-out-direct.svg", "svg/din-pins.svg"]
    names += ["svg/wiring-%s.svg" % board_id for board_id in pin_map.BOARDS]
    return sorted(names)


def files():
    """Every generated file: path relative to hardware/ -> exact bytes."""
    checks.require_sound()
    out = {}
    for outputs, suffix in VARIANTS.items():
        for board_id in pin_map.BOARDS:
            built = design(board_id, outputs)
            out["generated/netlist-%s%s.json" % (board_id, suffix)] = exports.netlist_json(built).encode()
        out["generated/bom%s.csv" % suffix] = exports.bom_csv(design("pico", outputs)).encode()
    out["svg/midi-in.svg"] = drawings.midi_in()
    out["svg/midi-out.svg"] = drawings.midi_out_buffered()
    out["svg/midi-out-direct.svg"] = drawings.midi_out()
    out["svg/din-pins.svg"] = drawings.din_pins()
    for board_id in pin_map.BOARDS:
        out["svg/wiring-%s.svg" % board_id] = drawings.wiring(board_id)
    return out


# README sections between <!-- generated:NAME --> and <!-- end:NAME -->.


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _function_title(name, entry):
    if entry["kind"] == "uart_rx":
        return "%s MIDI IN, RX (UART%d)" % (name, entry["uart"])
    if entry["kind"] == "uart_tx":
        return "%s MIDI OUT, TX (UART%d)" % (name, entry["uart"])
    if entry["kind"] == "pio_tx":
        return "%s MIDI OUT, TX (PIO)" % name
    if entry["kind"] == "led":
        return "%s activity LED" % entry["port"]
    return "panic button to GND (internal pull-up, pressed = low)"


def pin_table():
    """Every function with its GPIO, Pico pin and Feather label; then power and status."""
    pico, feather = pin_map.BOARDS["pico"], pin_map.BOARDS["feather_rp2040"]
    order = list(pin_map.INPUTS + pin_map.OUTPUTS) + sorted(n for n, e in pin_map.PINS.items() if e["kind"] == "led")
    order += [name for name in sorted(pin_map.PINS) if name not in order]
    rows = []
    for name in order:
        entry = pin_map.PINS[name]
        gpio = entry["gpio"]
        rows.append(
            (_function_title(name, entry), "GP%d" % gpio, pico["header_pins"].get(gpio, "-"), feather["labels"].get(gpio, "-"))
        )
    for rail, title in (("3v3", "+3V3 rail"), ("gnd", "GND rail"), ("vbus", "5 V from USB (VBUS)")):
        rows.append(
            (title, "-", "%s (%s)" % (pico["power_pins"][rail], pico["power"][rail]), feather["power"][rail])
        )
    for board_id in ("pico", "feather_rp2040"):
        board = pin_map.BOARDS[board_id]
        led = board["status_led"]
        kind = {"led": "LED", "neopixel": "NeoPixel"}[led["kind"]]
        rows.append(("status %s on the %s (on board)" % (kind, board["name"]), "GP%d" % led["gpio"], "-", "-"))
    return _table(("Function", "GPIO", "Pico pin", "Feather label"), rows)


def reserved_table():
    """The pins each board keeps, and the ones the project keeps free."""
    rows = []
    for board_id in ("pico", "feather_rp2040"):
        board = pin_map.BOARDS[board_id]
        for gpio, why in sorted(board["reserved"].items()):
            rows.append((board["name"], "GP%d" % gpio, why))
    for gpio, why in sorted(pin_map.KEEP_FREE.items()):
        rows.append(("both", "GP%d" % gpio, "kept free: " + why))
    return _table(("Board", "GPIO", "Why it is not used"), rows)


def bom_table(outputs):
    """The BOM as a Markdown table (the same rows as the CSV)."""
    rows = [
        (r["reference"], r["quantity"], r["value"], r["part"], r["notes"])
        for r in exports.bom_rows(design("pico", outputs))
    ]
    return _table(("Reference", "Qty", "Value", "Part", "Notes"), rows)


def budget_table(outputs):
    """Worst-case currents with their totals per source."""
    rows = [(what, count, "%.1f" % each, "%.1f" % (count * each), source) for what, count, each, source in budget.rows(outputs)]
    for source, total in sorted(budget.totals(outputs).items()):
        rows.append(("**total on %s**" % source, "", "", "**%.1f**" % total, source))
    return _table(("What", "How many", "mA each", "mA", "Counts against"), rows)


def faults_table():
    """The three output faults, each build: what carries the current, how much, against what rating."""
    rows = []
    for outputs in circuit.OUTPUT_VARIANTS:
        for fault, what, ma, limit in budget.faults(outputs):
            verdict = "within" if ma <= limit else "**%.0f x over**" % (ma / limit)
            rows.append((outputs, fault, what, "%.1f" % ma, "%.0f" % limit, verdict))
    return _table(("Outputs", "Fault", "Carried by", "mA asked", "Rated mA", "Rating"), rows)


def sections():
    """README section name -> generated Markdown."""
    return {
        "pins": pin_table(),
        "reserved": reserved_table(),
        "bom": bom_table("buffered"),
        "bom-direct": bom_table("direct"),
        "budget": budget_table("buffered"),
        "budget-direct": budget_table("direct"),
        "faults": faults_table(),
    }


# Component values in the README's prose carry a marker naming the circuit constant they show:
# "470 ohm<!--R_PULLUP-->" (a sum: "<!--R_OUT_SUPPLY+R_OUT_DATA-->"), filled in from hardware/circuit.py
# or hardware/budget.py by fill_readme. A value that is not the circuit's (another part's, a
# multimeter reading) is marked <!--ext-->. An unmarked value is an error (value_problems).
VALUE = r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)? (?:kohm|ohm|nF)"
MARKED = re.compile(r"(%s)<!--([\w+]+)-->" % VALUE)
UNMARKED = re.compile(r"%s(?!<!--)\b" % VALUE)
EXTERNAL = "ext"


def circuit_value(expression):
    """The text a value marker stands for ('R_PULLUP' -> '470 ohm'), or None if it names nothing."""
    values = []
    for name in expression.split("+"):
        for module in (circuit, budget):
            if isinstance(getattr(module, name, None), (int, str)):
                values.append(getattr(module, name))
                break
        else:
            return None
    if all(isinstance(v, int) for v in values):
        return circuit.ohms(sum(values))
    return values[0] if len(values) == 1 else None


def _prose_lines(text):
    """(line number, line) of the README outside generated sections."""
    inside = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("<!-- generated:"):
            inside = True
        elif line.startswith("<!-- end:"):
            inside = False
        elif not inside:
            yield number, line


def value_problems(text, path="hardware/README.md"):
    """Every component value in the README's prose that is unmarked, marks nothing, or disagrees with the circuit."""
    found = []
    for number, line in _prose_lines(text):
        for match in UNMARKED.finditer(line):
            found.append(
                "%s line %d: %r is written by hand: mark it <!--NAME--> with the circuit constant it shows "
                "(or <!--ext--> if it is not the circuit's)" % (path, number, match.group(0))
            )
        for match in MARKED.finditer(line):
            said, expression = match.groups()
            if expression == EXTERNAL:
                continue
            value = circuit_value(expression)
            if value is None:
                found.append("%s line %d: <!--%s--> names no constant in circuit.py or budget.py" % (path, number, expression))
            elif value != said:
                found.append(
                    "%s line %d: says %s for %s, but the circuit has %s (run python -m hardware.build)"
                    % (path, number, said, expression, value)
                )
    return found


def _fill_values(text):
    def fill(match):
        said, expression = match.groups()
        value = circuit_value(expression) if expression != EXTERNAL else None
        return "%s<!--%s-->" % (value or said, expression)

    lines = text.split("\n")
    for number, line in _prose_lines(text):
        lines[number - 1] = MARKED.sub(fill, line)
    return "\n".join(lines)


def fill_readme(text):
    """The README with every generated section replaced by its current content and every marked value refilled."""
    for name, body in sections().items():
        pattern = re.compile(r"(<!-- generated:%s -->\n).*?(<!-- end:%s -->)" % (re.escape(name), re.escape(name)), re.S)
        if not pattern.search(text):
            raise ValueError("README has no section markers for %r" % name)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return _fill_values(text)


def expected():
    """Every generated file including the README, path relative to hardware/ -> bytes."""
    out = files()
    with open(os.path.join(HERE, README), encoding="utf-8") as f:
        out[README] = fill_readme(f.read()).encode()
    return out


def stale():
    """Generated files whose committed bytes differ from a fresh build (or are missing)."""
    found = []
    for path, data in sorted(expected().items()):
        full = os.path.join(HERE, path)
        if not os.path.exists(full):
            found.append(path + " (missing)")
            continue
        with open(full, "rb") as f:
            if f.read() != data:
                found.append(path)
    return found


def main(argv):
    if "--check" in argv:
        found = stale()
        for path in found:
            print("stale: hardware/%s (run python -m hardware.build)" % path)
        return 1 if found else 0
    for path, data in sorted(expected().items()):
        full = os.path.join(HERE, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        print("wrote hardware/%s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
