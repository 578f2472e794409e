"""Each wiring mistake ERC cannot see (a reversed part, a wrong pin number, a swapped board label) fails a rule that names it."""

import copy

import pytest

from hardware import build, circuit, datasheets, exports, rules
from thruway_board import pins as pin_map


def netlist(outputs="buffered", board_id="pico"):
    """A fresh copy of a built variant's netlist data, safe to break."""
    return copy.deepcopy(exports.netlist(build.design(board_id, outputs)))


def ref(data, value, index=0):
    return [r for r, v in data["parts"].items() if v == value][index]


def _find(data, pin):
    for net, labels in data["nets"].items():
        for label in labels:
            if label.split(" ")[0] == pin:
                return net, label
    for label in data["unconnected"]:
        if label.split(" ")[0] == pin:
            return None, label
    raise KeyError(pin)


def _place(data, net, label):
    (data["unconnected"] if net is None else data["nets"][net]).append(label)


def _remove(data, net, label):
    (data["unconnected"] if net is None else data["nets"][net]).remove(label)


def swap(data, first, second):
    """Exchange two pins' connections, as a part soldered the wrong way round does."""
    net1, label1 = _find(data, first)
    net2, label2 = _find(data, second)
    _remove(data, net1, label1)
    _remove(data, net2, label2)
    _place(data, net2, label1)
    _place(data, net1, label2)
    return data


def move(data, pin, net):
    """Move one pin to another net (None: leave it unconnected)."""
    old, label = _find(data, pin)
    _remove(data, old, label)
    _place(data, net, label)
    return data


@pytest.mark.parametrize("outputs", circuit.OUTPUT_VARIANTS)
@pytest.mark.parametrize("board_id", sorted(pin_map.BOARDS))
def test_the_real_circuit_follows_every_rule(board_id, outputs):
    """Both boards, both output builds: optocouplers, diodes, pull-ups, jacks, buffer and LEDs all the right way round."""
    assert rules.netlist_problems(netlist(outputs, board_id)) == []


def test_real_parts_and_boards_match_their_second_sources():
    """circuit.PINOUTS matches the datasheets' pinouts; pins.py's boards match the Pico datasheet and CircuitPython's board modules."""
    assert rules.part_problems() == []
    assert rules.board_source_problems() == []


def test_optocoupler_anode_and_cathode_swapped():
    """Mutation: the H11L1 fitted with its LED reversed (pins 1 and 2 exchanged)."""
    data = netlist()
    u = ref(data, "H11L1")
    found = rules.netlist_problems(swap(data, u + ":1", u + ":2"))
    assert "%s (H11L1): anode and cathode swapped: DIN pin 4's resistor must reach pin 1 (anode) and DIN pin 5 pin 2 (cathode)" % u in found


def test_protection_diode_turned_round():
    """Mutation: the 1N4148 with its band on the wrong side (it would short the LED's forward current)."""
    data = netlist()
    d, u = ref(data, "1N4148"), ref(data, "H11L1")
    found = rules.netlist_problems(swap(data, d + ":1", d + ":2"))
    assert found == [
        "%s (1N4148) across %s is the wrong way round: its cathode (band) goes to the optocoupler's anode (pin 1), "
        "its anode to the cathode (pin 2)" % (d, u)
    ]


def test_pull_up_to_ground():
    """Mutation: the optocoupler output's 470 ohm taken to GND instead of +3V3."""
    data = netlist()
    u = ref(data, "H11L1")
    pull_up = [r for r, other in rules.Netlist(data).through_resistor(rules.Netlist(data).net(u, "VO"))][0]
    found = rules.netlist_problems(move(data, pull_up + ":2", "GND"))
    assert found == [
        "%s (H11L1): the output pull-up %s goes to GND, not +3V3: the RX pin would never see a high" % (u, pull_up)
    ]


@pytest.mark.parametrize("index", range(6))
def test_led_reversed(index):
    """Mutation: any one of the six activity LEDs soldered the wrong way round."""
    data = netlist()
    d = ref(data, "LED 3 mm", index)
    found = rules.netlist_problems(swap(data, d + ":1", d + ":2"))
    assert found == [
        "%s (LED) is reversed: its cathode (short leg, flat side) goes to GND, its anode to the resistor" % d
    ]


def test_h11l1_vcc_and_output_pin_numbers_swapped(monkeypatch):
    """Mutation: the H11L1's part definition with VCC on pin 4 and VO on pin 6; the datasheet table catches it."""
    swapped = [(4 if n == 6 else 6 if n == 4 else n, name, kind) for n, name, kind in circuit.PINOUTS["H11L1"]]
    monkeypatch.setitem(circuit.PINOUTS, "H11L1", sorted(swapped))
    found = rules.part_problems()
    source = datasheets.PARTS["H11L1"]["source"]
    assert found == [
        "H11L1: circuit.py names pin 4 VCC, but the datasheet's pin 4 is VO (circuit.py puts it on pin 6) (%s)" % source,
        "H11L1: circuit.py names pin 6 VO, but the datasheet's pin 6 is VCC (circuit.py puts it on pin 4) (%s)" % source,
    ]
    # The built netlist shows the wrong numbers too: VCC's net would land on the package's output pin.
    labels = exports.netlist(circuit.build("pico"))["nets"]["VBUS"]
    assert "U1:4 (VCC)" in labels


def test_h11l1_output_typed_as_a_plain_pin(monkeypatch):
    """Typed pins: the open-collector output must stay typed OPENCOLL (ERC relies on it to allow the pull-up)."""
    retyped = [(n, name, "PASSIVE" if name == "VO" else kind) for n, name, kind in circuit.PINOUTS["H11L1"]]
    monkeypatch.setitem(circuit.PINOUTS, "H11L1", retyped)
    assert rules.part_problems() == ["H11L1: pin 4 (VO) is an open-collector output and must be typed OPENCOLL, not PASSIVE"]


def test_buffer_input_pull_up_to_ground():
    """Mutation: a 74LVC07A input's pull-up taken to GND: with the firmware stopped that output sends a break."""
    data = netlist()
    nl = rules.Netlist(data)
    u = ref(data, circuit.BUFFER)
    pull_up = nl.through_resistor(nl.net(u, "1A"))[0][0]
    found = rules.netlist_problems(move(data, pull_up + ":2", "GND"))
    assert found == [
        "%s (74LVC07A): input 1A (pin 1) has no pull-up to +3V3 (%s to GND): with the firmware stopped the GPIO "
        "lets go, the input drifts low and the output sends a continuous break" % (u, pull_up)
    ]


def test_buffer_powered_from_vbus_or_spare_input_floating():
    """Mutations: the 74LVC07A's VCC on VBUS (3.3 V TX no longer a valid high), a spare gate's input left open."""
    data = netlist()
    u = ref(data, circuit.BUFFER)
    found = rules.netlist_problems(move(move(data, u + ":14", "VBUS"), u + ":11", None))
    assert found == [
        "%s (74LVC07A): VCC (pin 14) is on VBUS, not +3V3: its inputs must read the 3.3 V TX levels" % u,
        "%s (74LVC07A): input 5A (pin 11) floats: tie a spare input to +3V3" % u,
    ]


@pytest.mark.parametrize("outputs", circuit.OUTPUT_VARIANTS)
def test_out_jack_wired_mirror_image(outputs):
    """Mutation: an OUT jack's pins 4 and 5 swapped (a socket wired from the wrong side)."""
    data = netlist(outputs)
    j = [r for r in data["parts"] if r.startswith("J")][2]  # the first OUT jack
    found = rules.netlist_problems(swap(data, j + ":4", j + ":5"))
    assert found == ["%s (MIDI OUT): DIN pins 4 and 5 swapped: pin 4 takes the supply resistor, pin 5 the data" % j]


def test_two_pico_header_numbers_swapped():
    """Mutation: GP6 and GP7 given each other's Pico header pins in pins.py; the datasheet's rows disagree."""
    boards = copy.deepcopy(pin_map.BOARDS)
    header = boards["pico"]["header_pins"]
    header[6], header[7] = header[7], header[6]
    found = rules.board_source_problems(boards)
    assert found == [
        "pico: pins.py puts GP6 on header pin 10, but the Pico datasheet's pin 10 is GP7 (GP6 is pin 9)",
        "pico: pins.py puts GP7 on header pin 9, but the Pico datasheet's pin 9 is GP6 (GP7 is pin 10)",
    ]


def test_feather_d4_and_d5_labels_swapped():
    """Mutation: the Feather's D4 and D5 labels exchanged in pins.py; CircuitPython's board module disagrees."""
    boards = copy.deepcopy(pin_map.BOARDS)
    labels = boards["feather_rp2040"]["labels"]
    labels[6], labels[7] = labels[7], labels[6]
    found = rules.board_source_problems(boards)
    stub = "adafruit_feather_rp2040"
    assert found == [
        "feather_rp2040: pins.py labels GP6 D5, but CircuitPython's board module for %s has D5 = GPIO7 (GP6 is D4)" % stub,
        "feather_rp2040: pins.py labels GP7 D4, but CircuitPython's board module for %s has D4 = GPIO6 (GP7 is D5)" % stub,
    ]


def test_the_stub_reader_reads_the_board_modules():
    """The second source is really read: the installed stubs name the Pico's GP25 LED and the Feather's NEOPIXEL GPIO16."""
    assert rules.stub_pins("raspberry_pi_pico")["LED"] == 25
    assert rules.stub_pins("adafruit_feather_rp2040")["NEOPIXEL"] == 16
    assert rules.stub_pins("adafruit_feather_rp2040")["D4"] == 6


def test_pico_datasheet_rows_cover_all_forty_pins():
    """The typed Pico rows give 40 distinct numbers, 26 GPIOs and the power pins pins.py uses."""
    header = datasheets.pico_header()
    assert sorted(header) == list(range(1, 41))
    assert sum(1 for name in header.values() if name.startswith("GP")) == 26
    assert (header[36], header[38], header[40]) == ("3V3(OUT)", "GND", "VBUS")
