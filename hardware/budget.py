"""Current budget of the box, worked out from the circuit's values, with the limits it must stay under."""

from hardware import circuit
from thruway_board import pins as pin_map

V_3V3 = 3.3
V_5V = 5.0
R_RECEIVER = 220  # the far end's MIDI IN resistor (DIN pin 4 side)
VF_RECEIVER_MIN = 1.1  # the far end's optocoupler LED, low end: the most current
VF_LED_MIN = 1.6  # a red indicator LED, low end
OPTO_SUPPLY_MA = 5.0  # allowance per H11L1 / PC900V supply (check the part's ICC)
GPIO_TOTAL_LIMIT_MA = 50.0  # RP2040: all GPIOs together, sourced plus sunk
RAIL_LIMIT_MA = {"pico": 300.0, "feather_rp2040": 500.0}  # 3V3 regulator, external load


def loop_ma(supply_volts, resistances):
    """Current of a MIDI current loop into a receiver whose LED drops the least it can."""
    return 1000.0 * (supply_volts - VF_RECEIVER_MIN) / (sum(resistances) + R_RECEIVER)


def rows(outputs="direct"):
    """(what, count, mA each, the limit it counts against) for everything that draws current.

    A MIDI OUT loop counts twice: the 3V3 rail supplies it and the TX pin sinks it.
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
        loop = loop_ma(V_5V, (circuit.R_OUT_5V, circuit.R_OUT_5V))
        table.append(("MIDI OUT loop from the 74HCT125", n_out, loop, "VBUS"))
    table.append(("optocoupler output low, %s pull-up" % circuit.ohms(circuit.R_PULLUP), n_in, 1000.0 * V_3V3 / circuit.R_PULLUP, "3V3 rail"))
    table.append(("optocoupler supply (allowance)", n_in, OPTO_SUPPLY_MA, "3V3 rail"))
    table.append(("activity LEDs (through their GPIOs)", n_led, led, "3V3 rail"))
    return table


def totals(outputs="direct"):
    """mA drawn from each source with everything on at once (every LED lit, every output low)."""
    sums = {}
    for _, count, each, source in rows(outputs):
        sums[source] = sums.get(source, 0.0) + count * each
    return sums


def problems(outputs="direct"):
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
