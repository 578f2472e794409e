"""Schematic drawings (schemdraw, native SVG backend) of MIDI IN, MIDI OUT and each board's wiring."""

import schemdraw
import schemdraw.elements as elm
from schemdraw.segments import SegmentCircle

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
    """One MIDI IN: DIN -> 220 Ω -> H11L1 LED with a reversed 1N4148; H11L1 on VBUS, its output pulled up to +3V3 -> UART RX."""
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
    d.add(elm.Vdd().label("VBUS (5 V)"))
    d.add(elm.Capacitor().at(top.center).right(3.0).label(circuit.C_DECOUPLE, loc="bottom"))
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
    d.add(
        elm.Label()
        .at((jack.pS[0] + 0.2, jack.pS[1] - 1.4))
        .label("pins 1 and 3\nnot connected;\nshield S to GND:\noptional (CA-033)", halign="left", valign="top")
    )
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
    """The default MIDI OUT: TX (pulled up) -> one 74LVC07A gate on +3V3 -> open drain -> 220 Ω -> DIN pin 5; VBUS -> 220 Ω -> pin 4."""
    d = _drawing()
    gate = d.add(
        elm.Ic(
            pins=[
                elm.IcPin(name="1A", pin="1", side="left", anchorname="a"),
                elm.IcPin(name="1Y", pin="2", side="right", anchorname="y"),
                elm.IcPin(name="GND", pin="7", side="bottom", anchorname="gnd"),
                elm.IcPin(name="VCC", pin="14", side="top", anchorname="vcc"),
            ],
            size=(4.4, 2.4),
            label="%s\n(one gate,\nopen drain)" % circuit.BUFFER,
            lsize=FONT,
        )
        .anchor("y")
        .at((0, 0))
    )
    jack = _out_jack(d, (gate.y[0] + 7, gate.vcc[1] + 2.4))
    # Input: the TX pin, held high by the pull-up whenever the firmware lets go of it.
    d.add(elm.Line().at(gate.a).left(1.5))
    node = d.add(elm.Dot())
    d.add(elm.Resistor().up(2.5).label(ohms(circuit.R_BUFFER_PULLUP), loc="bottom"))
    d.add(elm.Vdd().label("+3V3"))
    tx = d.add(elm.Line().at(node.center).left(1.5))
    d.add(elm.Dot(open=True).label("from TX", loc="left"))
    d.add(elm.Ground().at(gate.gnd))
    d.add(elm.Line().at(gate.vcc).up(0.8))
    vcc = d.add(elm.Dot())
    d.add(elm.Vdd().label("+3V3"))
    d.add(elm.Capacitor().at(vcc.center).right(2.2).label(circuit.C_DECOUPLE))
    d.add(elm.Line().down(0.5))
    d.add(elm.Ground())
    # The current loop runs from VBUS, so the far end sees the classic 5 V transmitter.
    d.add(elm.Vdd().at((gate.y[0] + 1.0, jack.p4[1])).label("VBUS (5 V)"))
    d.add(elm.Resistor().at((gate.y[0] + 1.0, jack.p4[1])).right(3.5).label(ohms(circuit.R_OUT_5V)))
    d.add(elm.Line().to(jack.p4))
    d.add(elm.Line().at(gate.y).right(1.0))
    d.add(elm.Line().toy(jack.p5))
    d.add(elm.Resistor().right(3.5).label(ohms(circuit.R_OUT_5V)))
    d.add(elm.Line().to(jack.p5))
    gates = "; ".join("%s %dA/%dY" % (port, number, number) for number, port in enumerate(pin_map.OUTPUTS, 1))
    spare = ", ".join("%dA" % g for g in range(len(pin_map.OUTPUTS) + 1, circuit.BUFFER_GATES + 1))
    d.add(
        elm.Label()
        .at((tx.end[0] - 2.5, gate.gnd[1] - 1.6))
        .label(
            "gates: %s\nspare inputs %s to +3V3; VCC pin 14, GND pin 7" % (gates, spare),
            halign="left",
            valign="top",
        )
    )
    return _svg(d)


# A DIN-5 180° socket: five pins on a circle, 45° apart, pin 2 in the middle of the arc. Seen
# from the front (where the plug goes in) with pin 2 at the top, they run 1, 4, 2, 5, 3 from
# left to right; from the solder side the order is mirrored. Angles in degrees, 0 = right.
DIN_FRONT_ANGLES = {"1": 180, "4": 135, "2": 90, "5": 45, "3": 0}


class _Ring(elm.Element):
    """An unfilled circle: the socket's outline."""

    def __init__(self, radius, **kwargs):
        super().__init__(**kwargs)
        self.segments.append(SegmentCircle((0, 0), radius, fill=False))


def din_pins():
    """The DIN-5 socket's pin positions from the front and from the solder side, with what each pin carries."""
    import math

    d = _drawing()
    roles = {"IN": {"4": "to " + ohms(circuit.R_IN), "5": "to H11L1 pin 2"}, "OUT": {"4": "supply", "5": "data", "2": "GND"}}
    for column, (title, mirror) in enumerate((("front (plug side)", False), ("solder side (back)", True))):
        cx = column * 9.0
        d.add(_Ring(2.6).at((cx, 0)))
        for pin, angle in DIN_FRONT_ANGLES.items():
            a = math.radians(180 - angle if mirror else angle)
            x, y = cx + 1.6 * math.cos(a), 1.6 * math.sin(a) - 0.4
            d.add(elm.Dot(radius=0.22).at((x, y)))
            d.add(elm.Label().at((x + 0.55 * math.cos(a), y + 0.55 * math.sin(a))).label(pin, fontsize=FONT + 1))
        d.add(elm.Label().at((cx, -3.3)).label(title, fontsize=FONT + 1))
    d.add(
        elm.Label()
        .at((-2.6, -4.4))
        .label(
            "MIDI IN: pin 4 %s, pin 5 %s; nothing else.\nMIDI OUT: pin 4 %s, pin 5 %s, pin 2 %s.\n"
            "Pins 4 and 5 sit either side of pin 2: from the solder side\nthey swap places. The moulded numbers are small: check them."
            % (roles["IN"]["4"], roles["IN"]["5"], roles["OUT"]["4"], roles["OUT"]["5"], roles["OUT"]["2"]),
            halign="left",
            valign="top",
        )
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
    rails = {"3v3": "+3V3 rail", "gnd": "GND rail", "vbus": "VBUS (5 V) rail"}
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
            d.add(elm.Resistor().right(2.5).label(ohms(circuit.R_BUTTON), fontsize=FONT - 1))
            node = d.add(elm.Dot())
            d.add(elm.Button().right(2).label("panic", fontsize=FONT - 1))
            d.add(elm.Ground().right())
            d.add(elm.Capacitor().at(node.center).down(1.6).label(circuit.C_BUTTON, loc="bottom", fontsize=FONT - 1))
            d.add(elm.Ground())
            continue
        d.add(elm.Ground().right())
    bottom = getattr(part, left[-1][0])
    if board["header_pins"]:
        note = "Outside the box: Pico header pin numbers. Inside: the RP2040 GPIO."
    else:
        note = "Inside the box: the label printed on the Feather, then the RP2040 GPIO."
    d.add(elm.Label().at((bottom[0] + 1, bottom[1] - 1.6)).label(note, halign="left"))
    return _svg(d)
