"""The Thruway circuit as SKiDL code: parts defined inline, nets named from the pin map, ERC read back."""

import contextlib
import functools
import io
import logging
import os
import sys
import tempfile

from hardware import checks
from thruway_board import pins as pin_map

# Component values (resistors in ohms). The buffered outputs (the default) are CA-033's 5 V
# transmitter: 220 ohm from 5 V to DIN pin 4, 220 ohm from an open-drain driver to pin 5.
# The direct outputs are its 3.3 V values: 33 ohm from +3V3, 10 ohm from the TX pin.
R_IN = 220  # DIN pin 4 -> optocoupler LED
R_PULLUP = 470  # optocoupler output -> +3V3
R_OUT_SUPPLY = 33  # direct: +3V3 -> DIN pin 4
R_OUT_DATA = 10  # direct: TX -> DIN pin 5
R_OUT_5V = 220  # buffered: VBUS -> DIN pin 4 and open drain -> DIN pin 5
R_BUFFER_PULLUP = 10000  # buffered: each buffer input to +3V3, so a stopped firmware leaves the line idle
R_LED = 1000
R_BUTTON = 1000  # GPIO -> panic button: limits what a static spark on the button can push into the pad
C_DECOUPLE = "100 nF"
C_BUTTON = "100 nF"  # across the panic button: with R_BUTTON, keeps spikes on its wires off the pad

# The first is the default build (files without a suffix); see hardware/README.md for why.
OUTPUT_VARIANTS = ("buffered", "direct")
BUFFER = "74LVC07A"
BUFFER_GATES = 6

# Part pinouts: (number, name, SKiDL pin type). hardware/datasheets.py has the same pins as
# typed from each datasheet in another shape, and hardware/rules.py compares the two.
PINOUTS = {
    "H11L1": [
        (1, "A", "PASSIVE"),
        (2, "K", "PASSIVE"),
        (3, "NC", "NOCONNECT"),
        (4, "VO", "OPENCOLL"),
        (5, "GND", "PWRIN"),
        (6, "VCC", "PWRIN"),
    ],
    # Hex buffer, open-drain outputs: gate g has input gA and output gY.
    "74LVC07A": [
        (1, "1A", "INPUT"), (2, "1Y", "OPENCOLL"), (3, "2A", "INPUT"), (4, "2Y", "OPENCOLL"),
        (5, "3A", "INPUT"), (6, "3Y", "OPENCOLL"), (7, "GND", "PWRIN"), (8, "4Y", "OPENCOLL"),
        (9, "4A", "INPUT"), (10, "5Y", "OPENCOLL"), (11, "5A", "INPUT"), (12, "6Y", "OPENCOLL"),
        (13, "6A", "INPUT"), (14, "VCC", "PWRIN"),
    ],
    # Two-lead parts numbered as KiCad numbers them: a diode's pin 1 is its cathode (the band).
    "D": [(1, "K", "PASSIVE"), (2, "A", "PASSIVE")],
    "LED": [(1, "K", "PASSIVE"), (2, "A", "PASSIVE")],
}

# What the firmware makes of each pin kind, as a SKiDL pin type name.
PIN_TYPE_OF_KIND = {"uart_rx": "INPUT", "uart_tx": "OUTPUT", "pio_tx": "OUTPUT", "led": "OUTPUT", "button": "INPUT"}


class _Messages(logging.Handler):
    """Keeps SKiDL's warnings and errors so the caller can read them (SKiDL itself exits 0)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append((record.levelname, record.getMessage().strip()))

    def take(self):
        taken, self.records = self.records, []
        return taken


@functools.cache
def load_skidl():
    """Import SKiDL once: its start-up chatter swallowed, its log files kept out of the repo.

    SKiDL opens <script>.log and <script>.erc in the working directory when imported and warns
    that no KiCad library is configured (we define every part inline, so none is needed). Import
    it in a scratch directory, remove those files, and route its messages to a collector.
    """
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                import skidl
                from skidl import logger as skidl_logger
            skidl_logger.stop_log_file_output()
        finally:
            os.chdir(here)
    messages = _Messages()
    for log in (skidl_logger.rt_logger, skidl_logger.erc_logger):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        log.addHandler(messages)
        log.propagate = False
    _fast_creation_traces(skidl)
    return skidl, messages


def _fast_creation_traces(skidl):
    """Record where each part and net was made without reading source files.

    SKiDL notes the caller's file and line for every part and net through inspect.stack(),
    which reads every source file on the stack and made a build take most of a second under
    pytest. This walks the frames instead and returns the same (file, line) list.
    """
    import skidl.circuit
    import skidl.node

    skidl_dir = os.path.dirname(os.path.abspath(skidl.__file__))

    def trace():
        frames = []
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith(skidl_dir):
                frames.append((os.path.abspath(filename), str(frame.f_lineno)))
            frame = frame.f_back
        frames.reverse()
        return frames

    skidl.circuit.get_skidl_trace = trace
    skidl.node.get_skidl_trace = trace


class Design:
    """One built circuit: the SKiDL circuit plus what the BOM and netlist need to know about it."""

    def __init__(self, board_id, outputs, pins):
        self.board_id = board_id
        self.outputs = outputs
        self.pins = pins
        self.circuit = None
        self.parts = {}  # ref -> SKiDL part
        self.bom = {}  # ref -> (value, part, notes)
        self.nets = {}  # name -> SKiDL net
        self.build_messages = []
        self._counts = {}

    def add(self, template, prefix, value, part, notes=""):
        """Place one part from a template with the next free reference for its prefix."""
        number = self._counts.get(prefix, 0) + 1
        self._counts[prefix] = number
        ref = "%s%d" % (prefix, number)
        placed = template(ref=ref, tag=ref, value=value)
        self.parts[ref] = placed
        self.bom[ref] = (value, part, notes)
        return placed

    def net(self, name):
        """The net of that name, made on first use."""
        if name not in self.nets:
            skidl, _ = load_skidl()
            self.nets[name] = skidl.Net(name, circuit=self.circuit)
        return self.nets[name]

    def connect(self, name, *pins):
        """Connect pins to the named net."""
        net = self.net(name)
        net += pins
        return net


def _templates(skidl):
    """Every part the box uses, defined inline (no KiCad library)."""
    Pin, Part = skidl.Pin, skidl.Part
    kind = Pin.types

    def template(name, prefix, pins):
        return Part(
            tool=skidl.SKIDL,
            name=name,
            ref_prefix=prefix,
            dest=skidl.TEMPLATE,
            pins=[Pin(num=str(num), name=pin_name, func=func) for num, pin_name, func in pins],
        )

    def typed(name):
        return [(num, pin_name, getattr(kind, func)) for num, pin_name, func in PINOUTS[name]]

    two = [(1, "1", kind.PASSIVE), (2, "2", kind.PASSIVE)]
    return {
        "R": template("R", "R", two),
        "C": template("C", "C", two),
        "SW": template("SW_Push", "SW", two),
        "D": template("D", "D", typed("D")),
        "LED": template("LED", "D", typed("LED")),
        "DIN": template("DIN-5", "J", [(n, str(n), kind.PASSIVE) for n in range(1, 6)] + [("S", "SHIELD", kind.PASSIVE)]),
        "H11L1": template("H11L1", "U", typed("H11L1")),
        BUFFER: template(BUFFER, "U", typed(BUFFER)),
    }


def _board_template(skidl, board_id, pins):
    """The board as a part: every GPIO on its header (typed by what the firmware makes of it) and its power pins."""
    board = pin_map.BOARDS[board_id]
    kind = skidl.Pin.types
    used = {entry["gpio"]: PIN_TYPE_OF_KIND[entry["kind"]] for entry in pins.values()}
    board_pins = []
    for gpio, label in sorted(board["labels"].items()):
        num = board["header_pins"].get(gpio, label)
        board_pins.append(skidl.Pin(num=str(num), name=label, func=getattr(kind, used.get(gpio, "BIDIR"))))
    for rail, label in sorted(board["power"].items()):
        num = board["power_pins"].get(rail, label)
        board_pins.append(skidl.Pin(num=str(num), name=label, func=kind.PWROUT))
    return skidl.Part(tool=skidl.SKIDL, name=board["name"], ref_prefix="A", dest=skidl.TEMPLATE, pins=board_pins)


def ohms(value):
    """220 -> '220 ohm', 1000 -> '1 kohm'."""
    return "%d kohm" % (value // 1000) if value >= 1000 and value % 1000 == 0 else "%d ohm" % value


def net_name(function, pins):
    """Net name of a function's GPIO line, e.g. IN1_RX_GP1."""
    entry = pins[function]
    role = {"uart_rx": "RX", "uart_tx": "TX", "pio_tx": "TX"}.get(entry["kind"], "")
    return "%s%s_GP%d" % (function.upper(), "_" + role if role else "", entry["gpio"])


def _midi_in(design, parts, port, gpio_pin):
    """DIN -> 220 ohm -> H11L1 LED (1N4148 reversed across it); Schmitt output pulled up to 3V3 -> RX.

    The H11L1 runs from VBUS (5 V), in the middle of its 3-16 V allowed supply range, rather
    than at 3.3 V, a few tenths above its floor. Its output is open collector, so the pull-up to
    +3V3 alone sets the RX pin's high level: the RX pin never sees more than 3.3 V.
    """
    up = port.upper()
    jack = design.add(parts["DIN"], "J", "DIN-5 180deg female", "MIDI IN jack, panel mount", "pins 1, 2, 3 and shield unconnected")
    r_in = design.add(parts["R"], "R", ohms(R_IN), "resistor 1/4 W 5%", "DIN pin 4 to optocoupler anode")
    diode = design.add(parts["D"], "D", "1N4148", "small-signal diode", "reversed across the optocoupler LED")
    opto = design.add(
        parts["H11L1"], "U", "H11L1", "optocoupler, Schmitt output, DIP-6", "or PC900V (same pins); in a DIP-6 socket"
    )
    r_up = design.add(parts["R"], "R", ohms(R_PULLUP), "resistor 1/4 W 5%", "optocoupler output pull-up to 3V3")
    cap = design.add(parts["C"], "C", C_DECOUPLE, "ceramic capacitor 50 V", "across optocoupler pins 6 and 5")
    design.connect(up + "_DIN4", jack["4"], r_in[1])
    design.connect(up + "_OPTO_A", r_in[2], opto["A"], diode["K"])
    design.connect(up + "_DIN5", jack["5"], opto["K"], diode["A"])
    design.connect(net_name(port, design.pins), opto["VO"], r_up[1], gpio_pin)
    design.connect("+3V3", r_up[2])
    design.connect("VBUS", opto["VCC"], cap[1])
    design.connect("GND", opto["GND"], cap[2])
    design.circuit.NC += jack["1"], jack["2"], jack["3"], jack["S"], opto["NC"]


def _midi_out_jack(design, parts, port, supply_net, data_net, ohms_supply, ohms_data, rating):
    """The jack end of a MIDI OUT: supply -> R -> DIN pin 4, data -> R -> DIN pin 5, pin 2 and shield to GND."""
    up = port.upper()
    jack = design.add(parts["DIN"], "J", "DIN-5 180deg female", "MIDI OUT jack, panel mount", "pins 1 and 3 unconnected")
    r_supply = design.add(parts["R"], "R", ohms(ohms_supply), rating, "supply to DIN pin 4")
    r_data = design.add(parts["R"], "R", ohms(ohms_data), "resistor 1/4 W 5%", "data to DIN pin 5")
    design.connect(supply_net, r_supply[1])
    design.connect(up + "_DIN4", r_supply[2], jack["4"])
    data_net += r_data[1]
    design.connect(up + "_DIN5", r_data[2], jack["5"])
    design.connect("GND", jack["2"], jack["S"])
    design.circuit.NC += jack["1"], jack["3"]


def _led(design, parts, function, gpio_pin):
    """GPIO -> 1 kohm -> LED -> GND."""
    resistor = design.add(parts["R"], "R", ohms(R_LED), "resistor 1/4 W 5%", "activity LED series resistor")
    led = design.add(
        parts["LED"], "D", "LED 3 mm", "indicator LED: red, yellow or green", "long leg (anode) to the resistor"
    )
    design.connect(net_name(function, design.pins), gpio_pin, resistor[1])
    design.connect(function.upper() + "_A", resistor[2], led["A"])
    design.connect("GND", led["K"])


def _panic(design, parts, gpio_pin):
    """GPIO -> 1 kohm -> button to GND, 100 nF across the button."""
    resistor = design.add(parts["R"], "R", ohms(R_BUTTON), "resistor 1/4 W 5%", "panic button series resistor")
    cap = design.add(parts["C"], "C", C_BUTTON, "ceramic capacitor 50 V", "across the panic button")
    button = design.add(parts["SW"], "SW", "push button", "momentary, normally open", "panic: all notes off")
    design.connect(net_name("panic", design.pins), gpio_pin, resistor[1])
    design.connect("PANIC_SW", resistor[2], button[1], cap[1])
    design.connect("GND", button[2], cap[2])


def _buffer(design, parts):
    """The 74LVC07A: powered from +3V3 (so 3.3 V TX levels are valid highs), decoupled."""
    buffer = design.add(
        parts[BUFFER], "U", BUFFER, "hex buffer, open-drain outputs, DIP-14", "powered from 3V3; in a DIP-14 socket"
    )
    cap = design.add(parts["C"], "C", C_DECOUPLE, "ceramic capacitor 50 V", "across 74LVC07A pins 14 and 7")
    design.connect("+3V3", buffer["VCC"], cap[1])
    design.connect("GND", buffer["GND"], cap[2])
    return buffer


def build(board_id="pico", outputs=OUTPUT_VARIANTS[0], pins=None):
    """Build the whole box for one board as a fresh SKiDL circuit (pins: a pin map, default the real one)."""
    if outputs not in OUTPUT_VARIANTS:
        raise ValueError("outputs must be one of %s" % ", ".join(OUTPUT_VARIANTS))
    pins = pin_map.PINS if pins is None else pins
    checks.require_sound(pins)
    skidl, messages = load_skidl()
    design = Design(board_id, outputs, pins)
    messages.take()
    with skidl.Circuit() as circuit:
        circuit.no_files = True
        design.circuit = circuit
        parts = _templates(skidl)
        board = pin_map.BOARDS[board_id]
        board_part = design.add(_board_template(skidl, board_id, pins), "A", board["name"], "RP2040 board")
        # One BOM for both boards: the builder picks either.
        either = " or ".join(b["name"] for b in pin_map.BOARDS.values())
        design.bom[board_part.ref] = (either, "RP2040 board", "either one; wire it by its pin table")
        power = board["power"]

        def gpio(function):
            return board_part[board["labels"][pins[function]["gpio"]]]

        design.connect("+3V3", board_part[power["3v3"]])
        design.connect("GND", board_part[power["gnd"]])
        design.connect("VBUS", board_part[power["vbus"]])
        for port in pin_map.INPUTS:
            _midi_in(design, parts, port, gpio(port))
        buffer = _buffer(design, parts) if outputs == "buffered" else None
        for gate, port in enumerate(pin_map.OUTPUTS, 1):
            tx_net = design.connect(net_name(port, pins), gpio(port))
            if buffer is not None:
                pull_up = design.add(
                    parts["R"], "R", ohms(R_BUFFER_PULLUP), "resistor 1/4 W 5%", "buffer input pull-up to 3V3"
                )
                tx_net += buffer["%dA" % gate], pull_up[1]
                design.connect("+3V3", pull_up[2])
                data_net = design.connect("%s_BUF" % port.upper(), buffer["%dY" % gate])
                _midi_out_jack(design, parts, port, "VBUS", data_net, R_OUT_5V, R_OUT_5V, "resistor 1/4 W 5%")
            else:
                _midi_out_jack(design, parts, port, "+3V3", tx_net, R_OUT_SUPPLY, R_OUT_DATA, "resistor 0.5 W 5%")
        if buffer is not None:
            # Spare gates: input held high (output off), output left open.
            for gate in range(len(pin_map.OUTPUTS) + 1, BUFFER_GATES + 1):
                design.connect("+3V3", buffer["%dA" % gate])
                design.circuit.NC += buffer["%dY" % gate]
        for function, entry in sorted(pins.items()):
            if entry["kind"] == "led":
                _led(design, parts, function, gpio(function))
        _panic(design, parts, gpio("panic"))
        used = {entry["gpio"] for entry in pins.values()}
        for number, label in sorted(board["labels"].items()):
            if number not in used:
                design.circuit.NC += board_part[label]
    design.build_messages = messages.take()
    return design


def erc(design):
    """Run SKiDL's ERC on a design; return (errors, warnings) as lists of messages.

    SKiDL reports but exits 0 whatever it finds, so callers must look at these lists.
    """
    skidl, messages = load_skidl()
    messages.take()
    with design.circuit:
        design.circuit.ERC()
    found = messages.take()
    errors = [text for level, text in found if level == "ERROR"]
    warnings = [text for level, text in found if level == "WARNING"]
    counted = skidl.erc_logger.error.count
    if counted != len(errors):
        raise RuntimeError("SKiDL counted %d ERC errors but reported %d" % (counted, len(errors)))
    return errors, warnings
