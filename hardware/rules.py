"""What ERC cannot see: part pinouts against their datasheets, board tables against a second source, and the netlist's polarity and wiring rules."""

import os
import re
import sys

from hardware import circuit, datasheets
from thruway_board import pins as pin_map


# --- part pinouts -----------------------------------------------------------------------


def part_problems(pinouts=None):
    """Each part defined in circuit.PINOUTS has the datasheet's pin at every number, typed as the datasheet says."""
    pinouts = circuit.PINOUTS if pinouts is None else pinouts
    found = []
    for part, sheet in sorted(datasheets.PARTS.items()):
        names = [datasheets.NAME_IN_CIRCUIT.get(n, n) for n in sheet["pins"].split()]
        supply = {datasheets.NAME_IN_CIRCUIT.get(n, n) for n in sheet["supply"].split()}
        open_collector = set(sheet["open_collector"].split())
        defined = {num: (name, kind) for num, name, kind in pinouts[part]}
        for num, want in enumerate(names, 1):
            if num not in defined:
                found.append("%s: pin %d (%s) is missing from circuit.PINOUTS" % (part, num, want))
                continue
            name, kind = defined[num]
            if name != want:
                where = [n for n, (other, _) in defined.items() if other == want]
                found.append(
                    "%s: circuit.py names pin %d %s, but the datasheet's pin %d is %s%s (%s)"
                    % (part, num, name, num, want, " (circuit.py puts it on pin %d)" % where[0] if where else "",
                       sheet["source"])
                )
            elif want in supply and kind != "PWRIN":
                found.append("%s: pin %d (%s) is a supply pin and must be typed PWRIN, not %s" % (part, num, name, kind))
            elif want in open_collector and kind != "OPENCOLL":
                found.append("%s: pin %d (%s) is an open-collector output and must be typed OPENCOLL, not %s" % (part, num, name, kind))
        if len(defined) != len(names):
            found.append("%s: circuit.PINOUTS has %d pins, the datasheet %d" % (part, len(defined), len(names)))
    return found


# --- board pinouts against a second source -----------------------------------------------


def stub_pins(stub_id, path=None):
    """{name: GPIO number} from circuitpython-stubs' board module for a board (None if not installed)."""
    if path is None:
        for entry in sys.path:
            candidate = os.path.join(entry, "board_definitions", stub_id, "__init__.pyi")
            if os.path.exists(candidate):
                path = candidate
                break
        else:
            return None
    names = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = re.match(r"(\w+): microcontroller\.Pin\s+#\s+GPIO(\d+)\s*$", line)
            if match:
                names[match.group(1)] = int(match.group(2))
    return names


def board_source_problems(boards=None, stubs=None):
    """pins.py's boards agree with an independent source: the Pico's datasheet rows, each board's CircuitPython names.

    stubs: board id -> {name: GPIO} to use instead of the installed circuitpython-stubs.
    """
    boards = pin_map.BOARDS if boards is None else boards
    found = []
    header = datasheets.pico_header()
    pico = boards["pico"]
    for gpio, number in sorted(pico["header_pins"].items()):
        printed = header.get(number)
        if printed != "GP%d" % gpio:
            right = [n for n, name in header.items() if name == "GP%d" % gpio]
            found.append(
                "pico: pins.py puts GP%d on header pin %d, but the Pico datasheet's pin %d is %s (GP%d is pin %s)"
                % (gpio, number, number, printed, gpio, right[0] if right else "not on the header")
            )
    for rail, number in sorted(pico["power_pins"].items()):
        if header.get(number) != pico["power"][rail]:
            found.append(
                "pico: pins.py puts %s on header pin %d, but the Pico datasheet's pin %d is %s"
                % (pico["power"][rail], number, number, header.get(number))
            )
    for board_id, stub_id in sorted(datasheets.STUB_BOARD_IDS.items()):
        names = (stubs or {}).get(board_id) or stub_pins(stub_id)
        if names is None:
            found.append("%s: circuitpython-stubs is not installed: cannot check its labels (pip install circuitpython-stubs)" % board_id)
            continue
        for gpio, label in sorted(boards[board_id]["labels"].items()):
            name = datasheets.FEATHER_SILKSCREEN.get(label, label) if board_id == "feather_rp2040" else label
            if names.get(name) != gpio:
                others = sorted(n for n, g in names.items() if g == gpio)
                found.append(
                    "%s: pins.py labels GP%d %s, but CircuitPython's board module for %s has %s = %s (GP%d is %s)"
                    % (board_id, gpio, label, stub_id, name,
                       "GPIO%d" % names[name] if name in names else "nothing", gpio, " or ".join(others) or "unnamed")
                )
    return found


# --- the netlist: polarity and the circuits that matter ------------------------------------


class Netlist:
    """exports.netlist() data indexed by pin: which net each pin is on, and pins found by name."""

    def __init__(self, data):
        self.data = data
        self.net_of = {}  # "U1:4" -> net name, or None if unconnected
        self.pin_names = {}  # "U1:4" -> "VO"
        self.members = {}  # net -> ["U1:4", ...]
        for net, labels in data["nets"].items():
            for label in labels:
                self._add(label, net)
        for label in data["unconnected"]:
            self._add(label, None)

    def _add(self, label, net):
        pin, _, rest = label.partition(" ")
        self.net_of[pin] = net
        self.pin_names[pin] = rest[1:-1] if rest else pin.split(":")[1]
        if net is not None:
            self.members.setdefault(net, []).append(pin)

    def refs(self, value):
        """References of the parts with that value, in order."""
        return [ref for ref, v in self.data["parts"].items() if v == value]

    def pin(self, ref, name):
        """'U1:4' for the pin of part ref named name."""
        for pin, pin_name in self.pin_names.items():
            if pin.split(":")[0] == ref and pin_name == name:
                return pin
        raise KeyError("%s has no pin %s" % (ref, name))

    def net(self, ref, name):
        return self.net_of[self.pin(ref, name)]

    def on(self, net):
        return self.members.get(net, []) if net is not None else []

    def through_resistor(self, net):
        """(resistor ref, net at its other end) for each resistor with a lead on net."""
        out = []
        for pin in self.on(net):
            ref, num = pin.split(":")
            if ref.startswith("R"):
                out.append((ref, self.net_of["%s:%s" % (ref, "2" if num == "1" else "1")]))
        return out

    def has(self, net, prefix, pin_number=None):
        """Pins on net of parts whose ref starts with prefix (and, if given, with that pin number)."""
        return [p for p in self.on(net) if p.startswith(prefix) and (pin_number is None or p.split(":")[1] == pin_number)]


def _midi_in_problems(nl):
    found = []
    for u in nl.refs("H11L1"):
        anode, cathode = nl.net(u, "A"), nl.net(u, "K")
        via = {net: [r for r, other in nl.through_resistor(net) if nl.has(other, "J", "4")] for net in (anode, cathode)}
        if not via[anode]:
            if via[cathode] or nl.has(anode, "J", "5"):
                found.append(
                    "%s (H11L1): anode and cathode swapped: DIN pin 4's resistor must reach pin 1 (anode) "
                    "and DIN pin 5 pin 2 (cathode)" % u
                )
            else:
                found.append("%s (H11L1): pin 1 (anode) does not reach DIN pin 4 through a resistor" % u)
        elif not nl.has(cathode, "J", "5"):
            found.append("%s (H11L1): pin 2 (cathode) is not wired to DIN pin 5" % u)
        diodes = [p.split(":")[0] for p in nl.has(anode, "D") + nl.has(cathode, "D")]
        for d in sorted(set(diodes)):
            if (nl.net(d, "K"), nl.net(d, "A")) != (anode, cathode):
                found.append(
                    "%s (1N4148) across %s is the wrong way round: its cathode (band) goes to the optocoupler's "
                    "anode (pin 1), its anode to the cathode (pin 2)" % (d, u)
                )
        if not diodes:
            found.append("%s (H11L1): no 1N4148 across its LED" % u)
        output = nl.net(u, "VO")
        pull_ups = nl.through_resistor(output)
        if not any(other == "+3V3" for _, other in pull_ups):
            found.append(
                "%s (H11L1): the output pull-up %s goes to %s, not +3V3: the RX pin would never see a high"
                % (u, " ".join(r for r, _ in pull_ups) or "(none)", " ".join(str(o) for _, o in pull_ups) or "nothing")
            )
        if not nl.has(output, "A"):
            found.append("%s (H11L1): the output (pin 4) does not reach the board's RX pin" % u)
        if nl.net(u, "VCC") not in ("VBUS", "+3V3"):
            found.append("%s (H11L1): VCC (pin 6) is on %s, not a supply rail" % (u, nl.net(u, "VCC")))
        if nl.net(u, "GND") != "GND":
            found.append("%s (H11L1): GND (pin 5) is on %s" % (u, nl.net(u, "GND")))
    return found


def _midi_out_problems(nl, outputs):
    found = []
    supply = "VBUS" if outputs == "buffered" else "+3V3"
    jacks = [ref for ref in nl.refs("DIN-5 180deg female") if nl.net_of["%s:2" % ref] == "GND"]
    if len(jacks) != len(pin_map.OUTPUTS):
        found.append("%d MIDI OUT jacks with pin 2 on GND; the box has %d outputs" % (len(jacks), len(pin_map.OUTPUTS)))
    for j in jacks:
        pin4, pin5 = nl.net_of[j + ":4"], nl.net_of[j + ":5"]
        to4 = [other for _, other in nl.through_resistor(pin4)]
        to5 = [other for _, other in nl.through_resistor(pin5)]
        if supply not in to4:
            if supply in to5:
                found.append("%s (MIDI OUT): DIN pins 4 and 5 swapped: pin 4 takes the supply resistor, pin 5 the data" % j)
            else:
                found.append("%s (MIDI OUT): DIN pin 4 must reach %s through its resistor, reaches %s" % (j, supply, to4))
            continue
        if outputs == "buffered":
            drivers = [p for other in to5 for p in nl.has(other, "U") if nl.pin_names[p].endswith("Y")]
            if not drivers:
                found.append("%s (MIDI OUT): DIN pin 5's resistor must come from a %s output" % (j, circuit.BUFFER))
        elif not any(nl.has(other, "A") for other in to5):
            found.append("%s (MIDI OUT): DIN pin 5's resistor must come from the board's TX pin" % j)
    return found


def _buffer_problems(nl):
    found = []
    for u in nl.refs(circuit.BUFFER):
        if nl.net(u, "VCC") != "+3V3":
            found.append(
                "%s (%s): VCC (pin 14) is on %s, not +3V3: its inputs must read the 3.3 V TX levels"
                % (u, circuit.BUFFER, nl.net(u, "VCC"))
            )
        if nl.net(u, "GND") != "GND":
            found.append("%s (%s): GND (pin 7) is on %s" % (u, circuit.BUFFER, nl.net(u, "GND")))
        for gate in range(1, circuit.BUFFER_GATES + 1):
            a = nl.net(u, "%dA" % gate)
            pin = nl.pin(u, "%dA" % gate).split(":")[1]
            if a in ("+3V3", "GND"):
                continue  # a spare gate, held
            if a is None or not nl.has(a, "A"):
                found.append("%s (%s): input %dA (pin %s) floats: tie a spare input to +3V3" % (u, circuit.BUFFER, gate, pin))
                continue
            pull = nl.through_resistor(a)
            if not any(other == "+3V3" for _, other in pull):
                found.append(
                    "%s (%s): input %dA (pin %s) has no pull-up to +3V3 (%s): with the firmware stopped the "
                    "GPIO lets go, the input drifts low and the output sends a continuous break"
                    % (u, circuit.BUFFER, gate, pin, ", ".join("%s to %s" % (r, o) for r, o in pull) or "none")
                )
    return found


def _led_problems(nl):
    found = []
    for d in nl.refs("LED 3 mm"):
        cathode, anode = nl.net(d, "K"), nl.net(d, "A")
        if cathode != "GND":
            if anode == "GND":
                found.append("%s (LED) is reversed: its cathode (short leg, flat side) goes to GND, its anode to the resistor" % d)
            else:
                found.append("%s (LED): cathode on %s, not GND" % (d, cathode))
        elif not nl.through_resistor(anode):
            found.append("%s (LED): its anode has no series resistor" % d)
    return found


def netlist_problems(data):
    """Polarity and wiring rules on a netlist (exports.netlist() data); empty means it follows them."""
    nl = Netlist(data)
    found = _midi_in_problems(nl) + _midi_out_problems(nl, data["outputs"]) + _led_problems(nl)
    if data["outputs"] == "buffered":
        found += _buffer_problems(nl)
    return found


def problems():
    """Every rule here, on the real parts, boards and every built variant."""
    from hardware import exports

    found = part_problems() + board_source_problems()
    for outputs in circuit.OUTPUT_VARIANTS:
        for board_id in sorted(pin_map.BOARDS):
            data = exports.netlist(circuit.build(board_id, outputs))
            found += ["%s %s: %s" % (board_id, outputs, p) for p in netlist_problems(data)]
    return found


if __name__ == "__main__":
    from hardware import checks

    sys.exit(checks.report(problems(), "hardware rules"))
