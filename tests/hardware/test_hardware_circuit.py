"""The circuit passes SKiDL's ERC, follows the MIDI wiring rules, and ERC catches a wiring fault."""

import copy
import re

import pytest

from hardware import build, circuit, exports
from thruway_board import pins as pin_map

BOARDS = sorted(pin_map.BOARDS)


@pytest.mark.parametrize("outputs", circuit.OUTPUT_VARIANTS)
@pytest.mark.parametrize("board_id", BOARDS)
def test_erc_clean(board_id, outputs):
    """ERC on the real circuit, each board and output variant: no errors, no warnings, nothing said while building."""
    design = build.design(board_id, outputs)
    assert design.build_messages == []
    errors, warnings = circuit.erc(design)
    assert errors == [], "\n".join(errors)
    assert warnings == [], "\n".join(warnings)


def test_two_outputs_tied_together_is_an_erc_error():
    """Two driven outputs on one net is a conflict: tie out1's TX to out2's in a copy and ERC must say so."""
    design = circuit.build("pico", "direct")
    out1, out2 = circuit.net_name("out1", pin_map.PINS), circuit.net_name("out2", pin_map.PINS)
    tied = design.nets[out1]
    tied += design.nets[out2]
    errors, warnings = circuit.erc(design)
    # SKiDL keeps either name for the merged net, and may name the two pins in either order.
    assert len(errors) == 1
    assert re.fullmatch(
        r"Pin conflict on net (OUT1_TX_GP0|OUT2_TX_GP8), OUTPUT pin (1/GP0|11/GP8) of Raspberry Pi Pico/A1 <==> "
        r"OUTPUT pin (1/GP0|11/GP8) of Raspberry Pi Pico/A1 \(OUTPUT connected to OUTPUT\)",
        errors[0],
    )
    assert "1/GP0" in errors[0] and "11/GP8" in errors[0]
    assert len(warnings) == 1 and warnings[0].startswith("Merging two named nets")


def test_an_unconnected_pin_is_an_erc_warning():
    """ERC really looks at every pin: lift the in1 pull-up's output end and it reports the loose pin."""
    design = circuit.build("pico")
    rx = design.nets[circuit.net_name("in1", pin_map.PINS)]
    pull_up = next(p for p in rx.pins if p.part.ref.startswith("R"))
    pull_up.disconnect()
    errors, warnings = circuit.erc(design)
    assert errors == []
    assert warnings == ["Unconnected pin: PASSIVE pin %s/%s of R/%s." % (pull_up.num, pull_up.name, pull_up.part.ref)]


def test_nets_follow_the_pin_map():
    """Nets are named from the pin map and land on the header pin of the GPIO it names."""
    pins = copy.deepcopy(pin_map.PINS)
    pins["out3"]["gpio"] = 27
    netlist = exports.netlist(circuit.build("pico", pins=pins))
    assert "A1:32 (GP27)" in netlist["nets"]["OUT3_TX_GP27"]
    assert "OUT3_TX_GP6" not in netlist["nets"]
    assert "A1:9 (GP6)" in netlist["unconnected"]


def _jack_pins(netlist, ref):
    where = {}
    for name, pins in netlist["nets"].items():
        for pin in pins:
            if pin.startswith(ref + ":"):
                where[pin.split(":")[1].split(" ")[0]] = name
    for pin in netlist["unconnected"]:
        if pin.startswith(ref + ":"):
            where[pin.split(":")[1].split(" ")[0]] = None
    return where


def test_midi_in_jacks_are_isolated():
    """A MIDI IN jack uses pins 4 and 5 only: pins 1, 2, 3 and the shield connect to nothing."""
    netlist = exports.netlist(build.design("pico", "direct"))
    for port in pin_map.INPUTS:
        ref = next(r for r, pins in [(r, _jack_pins(netlist, r)) for r in netlist["parts"] if r.startswith("J")]
                   if pins["4"] == port.upper() + "_DIN4")
        pins = _jack_pins(netlist, ref)
        assert pins == {"1": None, "2": None, "3": None, "S": None, "4": port.upper() + "_DIN4", "5": port.upper() + "_DIN5"}


@pytest.mark.parametrize("outputs", circuit.OUTPUT_VARIANTS)
def test_midi_out_jacks_ground_pin_2_and_shield(outputs):
    """A MIDI OUT jack: pin 4 from the supply resistor, pin 5 from the data resistor, pin 2 and shield to GND."""
    netlist = exports.netlist(build.design("pico", outputs))
    jacks = [r for r in netlist["parts"] if r.startswith("J")]
    outs = [_jack_pins(netlist, r) for r in jacks if _jack_pins(netlist, r)["2"] == "GND"]
    assert sorted(p["4"] for p in outs) == ["%s_DIN4" % o.upper() for o in pin_map.OUTPUTS]
    for pins in outs:
        assert pins["S"] == "GND" and pins["1"] is None and pins["3"] is None


def test_outputs_use_the_ca033_values():
    """Direct outputs: CA-033's 3.3 V values, 33 ohm (0.5 W) to pin 4 and 10 ohm to pin 5. Buffered: its 5 V pair,
    220 ohm both, plus one 10 kohm pull-up per buffer input."""
    direct = exports.bom_rows(build.design("pico", "direct"))
    assert {"value": "33 ohm", "part": "resistor 0.5 W 5%", "quantity": 4}.items() <= next(
        r for r in direct if r["value"] == "33 ohm").items()
    assert next(r for r in direct if r["value"] == "10 ohm")["quantity"] == 4
    buffered = exports.bom_rows(build.design("pico", "buffered"))
    assert sum(r["quantity"] for r in buffered if r["value"] == "220 ohm") == 2 + 8
    assert next(r for r in buffered if r["value"] == "10 kohm")["quantity"] == 4
    assert not any(r["value"] in ("33 ohm", "10 ohm") for r in buffered)


def test_buffered_build_is_the_default():
    """circuit.build() with no variant is the protected build; its files carry no suffix."""
    assert circuit.build("pico").outputs == "buffered"
    assert build.VARIANTS["buffered"] == ""


def test_typed_pins_let_erc_see_a_tx_wire_on_an_optocoupler_output():
    """Typed pins: the H11L1's output is OPENCOLL, the TX pin OUTPUT, so a TX wire landed on an optocoupler's
    output (RX and TX wires mixed up) is an ERC pin conflict, not a silent merge of two passive nets."""
    design = circuit.build("pico")
    opto = next(ref for ref, (value, _, _) in design.bom.items() if value == "H11L1")
    design.nets[circuit.net_name("out1", pin_map.PINS)] += design.parts[opto]["VO"]
    errors, _ = circuit.erc(design)
    assert len(errors) == 1
    assert "OUTPUT pin 1/GP0 of Raspberry Pi Pico/A1" in errors[0]
    assert "OPEN-COLLECTOR pin 4/VO of H11L1/%s" % opto in errors[0]
    # SKiDL names the two pins in either order.
    assert errors[0].endswith(("(OUTPUT connected to OPEN-COLLECTOR)", "(OPEN-COLLECTOR connected to OUTPUT)"))


def test_typed_pins_let_erc_see_an_unpowered_chip():
    """Typed pins: an H11L1 whose VCC (POWER-IN) is left off its rail is reported by name."""
    design = circuit.build("pico")
    opto = next(ref for ref, (value, _, _) in design.bom.items() if value == "H11L1")
    design.parts[opto]["VCC"].disconnect()
    assert circuit.erc(design) == ([], ["Unconnected pin: POWER-IN pin 6/VCC of H11L1/%s." % opto])
