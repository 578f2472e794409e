"""Current budget and output faults of the box, worked out from the circuit's values, with the limits they must stay under."""

from hardware import circuit
from thruway_board import pins as pin_map

V_3V3 = 3.3
V_5V = 5.0  # USB VBUS, nominal (USB 2.0 allows 4.75-5.25 V at the host's socket)
R_RECEIVER = 220  # the far end's MIDI IN resistor (DIN pin 4 side)
VF_RECEIVER_MIN = 1.1  # the far end's optocoupler LED, low end: the most current
VF_LED_MIN = 1.6  # a red indicator LED, low end
OPTO_SUPPLY_MA = 5.0  # allowance per H11L1 / PC900V supply (check the part's ICC)
GPIO_TOTAL_LIMIT_MA = 50.0  # RP2040: all GPIOs together, sourced plus sunk
GPIO_PAD_RATED_MA = 4.0  # RP2040: a pad's default drive strength, the current its levels are given at
BUFFER_RATED_MA = 24.0  # 74LVC07A: low-level output current at VCC 3 V, per output
BUFFER_GND_LIMIT_MA = 100.0  # 74LVC07A: absolute maximum through its GND pin, all outputs together
RAIL_LIMIT_MA = {"pico": 300.0, "feather_rp2040": 500.0}  # 3V3 regulator, external load
# Another device's MIDI OUT, as the faults meet it: the classic 5 V transmitter (CA-033).
OTHER_OUT_VOLTS = 5.0
OTHER_OUT_OHMS = 220


def loop_ma(supply_volts, resistances):
    """Current of a MIDI current loop into a receiver whose LED drops the least it can."""
    return 1000.0 * (supply_volts - VF_RECEIVER_MIN) / (sum(resistances) + R_RECEIVER)


def rows(outputs="buffered"):
    """(what, count, mA each, the limit it counts against) for everything that draws current.

    A direct MIDI OUT loop counts twice: the 3V3 rail supplies it and the TX pin sinks it.
    """
    n_out, n_in = len(pin_map.OUTPUTS), len(pin_map.INPUTS)
    n_led = sum(1 for entry in pin_map.PINS.values() if entry["kind"] == "led")
    led = 1000.0 * (V_3V3 - VF_LED_MIN) / circuit.R_LED
    table = [("activity LED (%s)" % circuit.ohms(circuit.R_LED), n_led, led, "GPIO pins")]
    if outputs == "direct":
        loop = loop_ma(V_3V3, (circuit.R_OUT_SUPPLY, circuit.R_OUT_DATA))
        table.append(("MIDI OUT loop, TX low (sunk by the GPIO)", n_out, loop, "GPIO pins"))
        table.append(("MIDI OUT loop, through the %s resistor" % circuit.ohms(circuit.R_OUT_SUPPLY), n_out, loop, "3V3 rail"))
    else:
        pull_up = 1000.0 * V_3V3 / circuit.R_BUFFER_PULLUP
        table.append(("buffer input pull-up, TX low (sunk by the GPIO)", n_out, pull_up, "GPIO pins"))
        table.append(("buffer input pull-up (%s)" % circuit.ohms(circuit.R_BUFFER_PULLUP), n_out, pull_up, "3V3 rail"))
        loop = loop_ma(V_5V, (circuit.R_OUT_5V, circuit.R_OUT_5V))
        table.append(("MIDI OUT loop, sunk by the %s" % circuit.BUFFER, n_out, loop, "VBUS"))
    table.append(("optocoupler output low, %s pull-up" % circuit.ohms(circuit.R_PULLUP), n_in, 1000.0 * V_3V3 / circuit.R_PULLUP, "3V3 rail"))
    table.append(("optocoupler supply (allowance)", n_in, OPTO_SUPPLY_MA, "VBUS"))
    table.append(("activity LEDs (through their GPIOs)", n_led, led, "3V3 rail"))
    return table


def totals(outputs="buffered"):
    """mA drawn from each source with everything on at once (every LED lit, every output low)."""
    sums = {}
    for _, count, each, source in rows(outputs):
        sums[source] = sums.get(source, 0.0) + count * each
    return sums


def problems(outputs="buffered"):
    """Every limit the worst case breaks; an empty list means the budget holds."""
    found = []
    sums = totals(outputs)
    gpio = sums.get("GPIO pins", 0.0)
    if gpio > GPIO_TOTAL_LIMIT_MA:
        found.append("GPIO current %.1f mA is over the RP2040's %.0f mA for all GPIOs together" % (gpio, GPIO_TOTAL_LIMIT_MA))
    for board_id, limit in sorted(RAIL_LIMIT_MA.items()):
        rail = sums.get("3V3 rail", 0.0)
        if rail > limit:
            found.append("%s: 3V3 load %.1f mA is over the board's %.0f mA" % (board_id, rail, limit))
    return found


# The three faults an output must survive (issue 13): a cable that shorts pin 5 to pin 2 or the
# shield, a Thruway OUT plugged into another device's OUT, a cable that shorts pins 4 and 5.
FAULTS = ("pin 5 shorted to ground", "plugged into another device's MIDI OUT", "pins 4 and 5 shorted")


def faults(outputs="buffered"):
    """(fault, what carries it, mA asked of it, the rating it is held to) for one output, worst case.

    Direct: the TX pad drives the 10 ohm itself, so a short puts the 3.3 V rail (or the other
    device's 5 V) across tens of ohms and the pad's own driver is all that limits the current.
    Buffered: the open-drain output only ever sinks, through the 220 ohm, from at most 5 V; while
    the line is idle it is off and 5 V tolerant, so nothing flows.
    """
    if outputs == "direct":
        pad = "TX pad (%.0f mA drive)" % GPIO_PAD_RATED_MA
        short_to_ground = 1000.0 * V_3V3 / circuit.R_OUT_DATA
        # Their driver high (5 V through 220 ohm) while our TX sends a 0: the pad sinks it all.
        into_out = 1000.0 * OTHER_OUT_VOLTS / (OTHER_OUT_OHMS + circuit.R_OUT_DATA)
        shorted = 1000.0 * V_3V3 / (circuit.R_OUT_SUPPLY + circuit.R_OUT_DATA)
        return [
            (FAULTS[0], pad + ", line idle high", short_to_ground, GPIO_PAD_RATED_MA),
            (FAULTS[1], pad + ", sending a 0", into_out, GPIO_PAD_RATED_MA),
            (FAULTS[2], pad + ", sending a 0", shorted, GPIO_PAD_RATED_MA),
        ]
    out = "%s output" % circuit.BUFFER
    into_out = 1000.0 * OTHER_OUT_VOLTS / (OTHER_OUT_OHMS + circuit.R_OUT_5V)
    shorted = 1000.0 * V_5V / (2 * circuit.R_OUT_5V)
    return [
        (FAULTS[0], out + ", line idle (off)", 0.0, BUFFER_RATED_MA),
        (FAULTS[1], out + ", sending a 0", into_out, BUFFER_RATED_MA),
        (FAULTS[2], out + ", sending a 0", shorted, BUFFER_RATED_MA),
    ]


def fault_problems(outputs="buffered"):
    """Every fault whose current is over the rating of what carries it; empty means the outputs survive by design."""
    found = [
        "%s outputs, %s: %.1f mA through the %s, over its %.0f mA" % (outputs, fault, ma, what.split(",")[0], limit)
        for fault, what, ma, limit in faults(outputs)
        if ma > limit
    ]
    if outputs == "buffered":
        worst = max(ma for _, _, ma, _ in faults(outputs)) * len(pin_map.OUTPUTS)
        if worst > BUFFER_GND_LIMIT_MA:
            found.append(
                "buffered outputs, every output faulted at once: %.1f mA through the %s's GND pin, over its %.0f mA"
                % (worst, circuit.BUFFER, BUFFER_GND_LIMIT_MA)
            )
    return found
