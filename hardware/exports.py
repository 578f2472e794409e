"""Turns a built design into the committed files: a sorted JSON netlist and the BOM as CSV."""

import csv
import io
import json
import re

BOM_COLUMNS = ("reference", "value", "part", "quantity", "notes")


def natural(text):
    """Sort key that puts R2 before R10 and pin 4 before pin 31."""
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", str(text))]


def pin_label(pin):
    """'U1:4 (VO)' or, where name and number agree, 'R1:2'."""
    label = "%s:%s" % (pin.part.ref, pin.num)
    return label if pin.name == pin.num else "%s (%s)" % (label, pin.name)


def _pin_key(pin):
    return natural(pin.part.ref) + [" "] + natural(pin.num)


def netlist(design):
    """The design as plain data: parts with their values, nets with their pins, unconnected pins; all sorted."""
    design.circuit.merge_net_names()
    nets = {}
    unconnected = []
    for net in design.circuit.nets:
        pins = sorted(net.pins, key=_pin_key)
        if not pins:
            continue
        if net is design.circuit.NC:
            unconnected += pins
        else:
            nets.setdefault(net.name, []).extend(pins)
    return {
        "board": design.board_id,
        "outputs": design.outputs,
        "parts": {ref: design.parts[ref].value for ref in sorted(design.parts, key=natural)},
        "nets": {name: [pin_label(p) for p in sorted(nets[name], key=_pin_key)] for name in sorted(nets, key=natural)},
        "unconnected": [pin_label(p) for p in sorted(unconnected, key=_pin_key)],
    }


def netlist_json(design):
    """The netlist as the exact text committed to the repo."""
    return json.dumps(netlist(design), indent=1, ensure_ascii=True) + "\n"


def bom_rows(design):
    """One row per distinct (value, part, notes): references, value, part, quantity, notes."""
    groups = {}
    for ref in sorted(design.bom, key=natural):
        groups.setdefault(design.bom[ref], []).append(ref)
    rows = [
        {"reference": " ".join(refs), "value": value, "part": part, "quantity": len(refs), "notes": notes}
        for (value, part, notes), refs in groups.items()
    ]
    return sorted(rows, key=lambda row: natural(row["reference"]))


def bom_csv(design):
    """The BOM as the exact CSV text committed to the repo."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BOM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(bom_rows(design))
    return out.getvalue()
