"""Schematic drawings (schemdraw, native SVG backend) of MIDI IN, MIDI OUT and each board's wiring."""

import schemdraw
import schemdraw.elements as elm

from hardware import circuit
from thruway_board import pins as pin_map

schemdraw.use("svg")

OHM = "\N{OHM SIGN}"
FONT = 11


def ohms(value):
    """220 -> '220 Ω', 1000 -> '1 kΩ'."""
    return circuit.ohms(value).replace(" kohm", " k" + OHM).replace(" ohm", " " + OHM)


def where(gpio, board_id):
    """Where a GPIO is on a board's header: 'pin 2' on the Pico, 'RX' on the Feather."""
    board = pin_map.BOARDS[board_id]
    if gpio in board["header_pins"]:
        return "pin %d" % board["header_pins"][gpio]
    return board["labels"][gpio]


def port_pins_text(ports):
    """One line per port: 'out1: GP0 (UART0), Pico pin 1, Feather TX'."""
    lines = []
    for port in ports:
        entry = pin_map.PINS[port]
        how = "UART%d" % entry["uart"] if "uart" in entry else "PIO"
        lines.append(
            "%s: GP%d (%s), Pico %s, Feather %s"
            % (port, entry["gpio"], how, where(entry["gpio"], "pico"), where(entry["gpio"], "feather_rp2040"))
        )
    return "\n".join(lines)


def _drawing():
    drawing = schemdraw.Drawing(show=False)
    drawing.config(fontsize=FONT, unit=2.5, margin=0.8)
    return drawing


def _svg(drawing):
    return drawing.get_imagedata("svg")


def _jack(drawing, title, pins, side, anchor, at):
    """A DIN-5 socket as a box with the used pins (numbers, bottom first) on one side, one pin placed at a point."""
    return drawing.add(
        elm.Ic(
            pins=[elm.IcPin(pin=num, side=side, anchorname="p" + num) for num in pins],
            size=(2.2, 1.2 * len(pins) + 0.6),
            label=title,
            lsize=FONT,
        )
        .anchor(anchor)
        .at(at)
    )


def midi_in():
    """One MIDI IN: DIN -> 220 Ω -> H11L1 LED with a reversed 1N4148; Schmitt output pulled up -> UART RX."""
    d = _drawing()
    opto = d.add(
        elm.Ic(
            pins=[
                elm.IcPin(name="A", pin="1", side="left", slot="3/3", anchorname="a"),
                elm.IcPin(name="K", pin="2", side="left", slot="2/3", anchorname="k"),
                elm.IcPin(name="NC", pin="3", side="left", slot="1/3", anchorname="nc"),
                elm.IcPin(name="VO", pin="4", side="right", slot="2/3", anchorname="vo"),
                elm.IcPin(name="GND", pin="5", side="bottom", anchorname="gnd"),
                elm.IcPin(name="VCC", pin="6", side="top", anchorname="vcc"),
            ],
            size=(3.2, 3.6),
            label="H11L1",
            lsize=FONT,
        ).at((0, 0))
    )
    jack = _jack(d, "MIDI IN\nDIN-5\nfemale", ("5", "4"), "right", "p4", (opto.a[0] - 9, opto.a[1]))
    d.add(elm.Line().at(jack.p4).right(0.8))
    d.add(elm.Resistor().right(3).label(ohms(circuit.R_IN)))
    node_a = d.add(elm.Dot())
    d.add(elm.Line().to(opto.a))
    d.add(elm.Line().at(jack.p5).tox(node_a.center))
    node_k = d.add(elm.Dot())
    d.add(elm.Line().right(1.2))
    d.add(elm.Line().toy(opto.k))
    d.add(elm.Line().to(opto.k))
    d.add(elm.Diode().at(node_k.center).to(node_a.center).label("1N4148", loc="bottom", ofst=0.1))
    d.add(elm.NoConnect().at(opto.nc))
    d.add(elm.Label().at((jack.p5[0] - 2.2, jack.p5[1] - 1.6)).label("pins 1, 2, 3 and shield\nnot connected", halign="left"))
    # Supply and decoupling above, ground below, output to the right.
    d.add(elm.Line().at(opto.vcc).up(1))
    top = d.add(elm.Dot())
    d.add(elm.Vdd().label("+3V3"))
    d.add(elm.Capacitor().at(top.center).right(2.2).label(circuit.C_DECOUPLE))
    d.add(elm.Line().down(0.5))
    d.add(elm.Ground())
    d.add(elm.Ground().at(opto.gnd))
    d.add(elm.Line().at(opto.vo).right(3.5))
    pull = d.add(elm.Dot())
    d.add(elm.Resistor().up(3.5).label(ohms(circuit.R_PULLUP), loc="bottom"))
    d.add(elm.Vdd().label("+3V3"))
    d.add(elm.Line().at(pull.center).right(1.5))
    d.add(elm.Dot(open=True).label("to UART RX", loc="right"))
    d.add(elm.Label().at((opto.vo[0] + 0.3, opto.gnd[1])).label(port_pins_text(pin_map.INPUTS), halign="left"))
    d.add(elm.Label().at((opto.vo[0] + 0.3, opto.gnd[1] - 1.0)).label("PC900V: same pins, same parts", halign="left"))
    return _svg(d)


def _out_jack(d, at_pin4):
    """A MIDI OUT socket whose pin 4 sits at a given point; pin 2 and shield to ground (pin 5 left to the caller)."""
    jack = _jack(d, "MIDI OUT\nDIN-5\nfemale", ("S", "2", "5", "4"), "left", "p4", at_pin4)
    d.add(elm.Line().at(jack.p2).left(1.2))
    node = d.add(elm.Dot())
    corner = d.add(elm.Line().at(jack.pS).left(1.2))
    d.add(elm.Line().at(node.center).to(corner.end))
    d.add(elm.Ground().at(corner.end))
    d.add(elm.Label().at((jack.pS[0] + 0.2, jack.pS[1] - 1.4)).label("pins 1 and 3\nnot connected", halign="left"))
    return jack


def midi_out():
    """One MIDI OUT at 3.3 V: +3V3 -> 33 Ω -> DIN pin 4, TX -> 10 Ω -> DIN pin 5, pin 2 and shield to ground."""
    d = _drawing()
    jack = _out_jack(d, (7.5, 0))
    d.add(elm.Vdd().at((0, 0)).label("+3V3"))
    d.add(elm.Line().at((0, 0)).right(1))
    d.add(elm.Resistor().right(3.5).label(ohms(circuit.R_OUT_SUPPLY) + " 0.5 W"))
    d.add(elm.Line().to(jack.p4))
    d.add(elm.Dot(open=True).at((0, jack.p5[1])).label("from TX", loc="left"))
    d.add(elm.Line().right(1))
    d.add(elm.Resistor().right(3.5).label(ohms(circuit.R_OUT_DATA)))
    d.add(elm.Line().to(jack.p5))
    d.add(elm.Label().at((-2.5, jack.pS[1] - 1.2)).label(port_pins_text(pin_map.OUTPUTS), halign="left", valign="top"))
    return _svg(d)


def midi_out_buffered():
    """The robust MIDI OUT: TX -> one 74HCT125 gate powered from VBUS -> 220 Ω -> DIN pin 5; VBUS -> 220 Ω -> pin 4."""
    d = _drawing()
    gate = d.add(
        elm.Ic(
            pins=[
                elm.IcPin(name="A", pin="2", side="left", anchorname="a"),
                elm.IcPin(name="Y", pin="3", side="right", anchorname="y"),
                elm.IcPin(name="OE", pin="1", side="bottom", invert=True, slot="1/2", anchorname="oe"),
                elm.IcPin(name="GND", pin="7", side="bottom", slot="2/2", anchorname="gnd"),
                elm.IcPin(name="VCC", pin="14", side="top", anchorname="vcc"),
            ],
            size=(3.0, 2.4),
            label="74HCT125\n(one gate)",
            lsize=FONT,
        )
        .anchor("y")
        .at((0, 0))
    )
    jack = _out_jack(d, (gate.y[0] + 6, gate.vcc[1] + 1.2))
    tx = d.add(elm.Line().at(gate.a).left(2))
    d.add(elm.Dot(open=True).label("from TX", loc="left"))
    d.add(elm.Ground().at(gate.oe))
    d.add(elm.Ground().at(gate.gnd))
    d.add(elm.Line().at(gate.vcc).up(1.2))
    vcc = d.add(elm.Dot())
    d.add(elm.Vdd().label("VBUS (5 V)"))
    d.add(elm.Capacitor().at(vcc.center).left(2.2).label(circuit.C_DECOUPLE, loc="bottom"))
    d.add(elm.Line().down(0.5))
    d.add(elm.Ground())
    d.add(elm.Line().at(vcc.center).tox(gate.y))
    d.add(elm.Resistor().right(3.5).label(ohms(circuit.R_OUT_5V)))
    d.add(elm.Line().to(jack.p4))
    d.add(elm.Line().at(gate.y).toy(jack.p5))
    d.add(elm.Resistor().right(3.5).label(ohms(circuit.R_OUT_5V)))
    d.add(elm.Line().to(jack.p5))
    gates = "; ".join(
        "%s %dA/%dY" % (port, number, number) for number, port in enumerate(pin_map.OUTPUTS, 1)
    )
    d.add(
        elm.Label()
        .at((tx.end[0], gate.gnd[1] - 2.2))
        .label("gates: " + gates + "\nOE pins 1, 4, 10, 13 to ground; VCC pin 14, GND pin 7", halign="left", valign="top")
    )
    return _svg(d)


def _destination(function, entry):
    """What a board pin on the left of the wiring drawing connects to."""
    how = "UART%d" % entry["uart"] if "uart" in entry else "PIO"
    if entry["kind"] == "uart_rx":
        return "%s (%s) from MIDI IN" % (function, how)
    return "%s (%s) to MIDI OUT" % (function, how)


def wiring(board_id):
    """The board with every pin the box uses: data lines to the MIDI circuits, LEDs, panic button, power."""
    board = pin_map.BOARDS[board_id]
    left = [(rail, board["power"][rail]) for rail in ("3v3", "gnd", "vbus")]
    left += [(port, pin_map.PINS[port]) for port in pin_map.INPUTS + pin_map.OUTPUTS]
    right = [(name, entry) for name, entry in sorted(pin_map.PINS.items()) if entry["kind"] == "led"]
    right += [("panic", pin_map.PINS["panic"])]

    def ic_pin(name, what, side, index, count):
        if isinstance(what, str):
            rail_pin = board["power_pins"].get(name)
            inside, outside = what, "" if rail_pin is None else str(rail_pin)
        else:
            inside, outside = "GP%d" % what["gpio"], where(what["gpio"], board_id).replace("pin ", "")
            if outside == board["labels"][what["gpio"]] and outside != inside:
                inside = "%s GP%d" % (outside, what["gpio"])
                outside = ""
        return elm.IcPin(name=inside, pin=outside, side=side, slot="%d/%d" % (count - index, count), anchorname=name)

    pins = [ic_pin(n, w, "left", i, len(left)) for i, (n, w) in enumerate(left)]
    pins += [ic_pin(n, w, "right", i, len(right)) for i, (n, w) in enumerate(right)]
    d = _drawing()
    part = d.add(elm.Ic(pins=pins, size=(5, 1.6 * len(left)), pinspacing=1.6))
    top = getattr(part, left[0][0])
    d.add(elm.Label().at((top[0] + 3, top[1] + 1.4)).label(board["name"], fontsize=FONT + 3))
    rails = {"3v3": "+3V3 rail", "gnd": "GND rail", "vbus": "VBUS (buffered outputs)"}
    for name, what in left:
        anchor = getattr(part, name)
        text = rails[name] if isinstance(what, str) else _destination(name, what)
        d.add(elm.Line().at(anchor).left(1.0))
        d.add(elm.Dot(open=True).label(text, loc="left"))
    for name, entry in right:
        anchor = getattr(part, name)
        d.add(elm.Line().at(anchor).right(0.6))
        if entry["kind"] == "led":
            d.add(elm.Resistor().right(2.5).label(ohms(circuit.R_LED), fontsize=FONT - 1))
            d.add(elm.LED().right(2).label(entry["port"], fontsize=FONT - 1))
        else:
            d.add(elm.Line().right(1.0))
            d.add(elm.Button().right(2.5).label("panic", fontsize=FONT - 1))
        d.add(elm.Ground().right())
    bottom = getattr(part, left[-1][0])
    if board["header_pins"]:
        note = "Outside the box: Pico header pin numbers. Inside: the RP2040 GPIO."
    else:
        note = "Inside the box: the label printed on the Feather, then the RP2040 GPIO."
    d.add(elm.Label().at((bottom[0] + 1, bottom[1] - 1.6)).label(note, halign="left"))
    return _svg(d)
