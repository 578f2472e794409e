"""The pin map follows the RP2040's rules on both boards, and every broken copy is caught with a clear message."""

import ast
import copy
import os


from hardware import checks
from thruway_board import pins as pin_map

PINS_FILE = pin_map.__file__


def broken(**changes):
    """A deep copy of the real pin map with some entries' fields replaced: broken(out2={"gpio": 21})."""
    pins = copy.deepcopy(pin_map.PINS)
    for name, fields in changes.items():
        pins.setdefault(name, {}).update(fields)
    return pins


def test_real_pin_map_passes():
    """The committed pin map breaks no rule on either board."""
    assert checks.problems() == []


def test_uart_tx_on_a_pin_its_block_cannot_use():
    """A UART TX must sit on one of its block's TX pins (UART1 TX: GP4, GP8, GP20, GP24)."""
    found = checks.problems(broken(out2={"gpio": 21}))
    assert "out2 TX on GP21: UART1 TX can only use GP4, GP8, GP20, GP24" in found


def test_uart_rx_on_a_pin_its_block_cannot_use():
    """A UART RX must sit on one of its block's RX pins (UART0 RX: GP1, GP13, GP17, GP29)."""
    found = checks.problems(broken(in1={"gpio": 27}))
    assert "in1 RX on GP27: UART0 RX can only use GP1, GP13, GP17, GP29" in found


def test_uart_pin_declared_on_the_wrong_block():
    """GP9 is a UART1 RX pin: declaring it UART0 is caught, and so is UART0 then having two RX pins."""
    found = checks.problems(broken(in2={"uart": 0}))
    assert "in2 RX on GP9: UART0 RX can only use GP1, GP13, GP17, GP29" in found
    assert any(p.startswith("in1 and in2 both use UART0 RX") for p in found)


def test_one_tx_per_uart_block():
    """A UART block has one TX pin: a third hardware-UART output on UART0 is refused."""
    found = checks.problems(broken(out3={"gpio": 28, "kind": "uart_tx", "uart": 0}))
    assert (
        "out1 and out3 both use UART0 TX: a UART block has one TX pin; move one to the other block or to PIO" in found
    )


def test_two_functions_on_one_pin():
    """No GPIO does two things."""
    found = checks.problems(broken(led_out4={"gpio": 19}))
    assert "GP19 used twice: led_out3 and led_out4" in found


def test_pico_reserved_pin():
    """GP25 is the Pico's on-board LED: no function may take it."""
    found = checks.problems(broken(led_out1={"gpio": 25}))
    assert "pico: led_out1 on GP25, which the board reserves (on-board LED (status))" in found


def test_feather_reserved_pin():
    """GP13 is the Feather's red LED: broken out as D13, but reserved."""
    found = checks.problems(broken(led_out1={"gpio": 13}))
    assert "feather_rp2040: led_out1 on GP13, which the board reserves (red LED (D13))" in found


def test_pin_not_on_the_header():
    """Every pin must be on both boards' headers: the Feather has no header pin for GP4."""
    found = checks.problems(broken(out3={"gpio": 4}))
    assert found == ["feather_rp2040: out3 on GP4, which the board does not break out on its header"]


def test_pins_kept_free_for_the_display():
    """GP2 and GP3 stay free for a display later."""
    found = checks.problems(broken(led_in1={"gpio": 2}))
    assert found == ["led_in1 on GP2: that pin is kept free for the display I2C SDA (later)"]


def test_pio_outputs_fit_the_free_state_machines():
    """2 PIO blocks x 4 state machines; the Feather's NeoPixel takes one, so 8 PIO outputs only fit the Pico."""
    extra = {"out%d" % n: {"gpio": gpio, "kind": "pio_tx", "port": "out%d" % n} for n, gpio in
             zip(range(5, 11), (14, 15, 17, 21, 22, 27))}
    found = checks.problems(broken(**extra))
    assert (
        "feather_rp2040: 8 PIO outputs (out10, out3, out4, out5, out6, out7, out8, out9) "
        "but only 7 of 8 PIO state machines are free" in found
    )
    assert not any(p.startswith("pico: ") and "PIO" in p for p in found)


def test_missing_function_and_bad_entries():
    """The firmware needs every port, LED and the panic button; kinds and GPIO numbers must be real."""
    pins = broken(led_in2={"kind": "lamp"}, panic={"gpio": 30})
    del pins["out4"]
    found = checks.problems(pins)
    assert "missing out4: the firmware needs it" in found
    assert "led_in2: unknown kind 'lamp' (one of uart_rx, uart_tx, pio_tx, led, button)" in found
    assert "panic: GPIO 30 does not exist (the RP2040 has GP0-GP29)" in found


def test_firmware_contract():
    """What the firmware reads: RX pin and UART block of each input, TX pin and kind of each output,
    an LED per port, the panic button (pull-up, pressed = 0) and a status LED per board."""
    for port in pin_map.INPUTS:
        assert pin_map.PINS[port]["kind"] == "uart_rx" and pin_map.PINS[port]["uart"] in (0, 1)
    for port in pin_map.OUTPUTS:
        assert pin_map.PINS[port]["kind"] in ("uart_tx", "pio_tx")
    for port in pin_map.INPUTS + pin_map.OUTPUTS:
        assert pin_map.PINS["led_" + port] == {"gpio": pin_map.PINS["led_" + port]["gpio"], "kind": "led", "port": port}
    assert pin_map.PINS["panic"]["pull"] == "up" and pin_map.PINS["panic"]["pressed"] == 0
    for board in pin_map.BOARDS.values():
        assert board["status_led"]["kind"] in ("led", "neopixel")


def test_every_pico_header_pin_accounted_for_once():
    """The Pico's 40 pins: 26 GPIOs, 3V3(OUT) 36, VBUS 40, eight grounds (33 is AGND), RUN, ADC_VREF, 3V3_EN, VSYS."""
    pico = pin_map.BOARDS["pico"]
    others = {3, 8, 13, 18, 23, 28, 33, 38, 30, 35, 37, 39}
    numbers = list(pico["header_pins"].values()) + list(pico["power_pins"].values())
    assert sorted(numbers + sorted(others - {38})) == list(range(1, 41))


def test_pin_map_is_plain_data():
    """pins.py must import on CircuitPython: a one-line docstring, no imports, only literal assignments."""
    with open(PINS_FILE, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    docstring = ast.get_docstring(tree)
    assert docstring and "\n" not in docstring
    for node in tree.body[1:]:
        assert isinstance(node, ast.Assign), "line %d is not a plain assignment" % node.lineno
        ast.literal_eval(node.value)
    assert os.path.basename(PINS_FILE) == "pins.py"


def test_pin_map_reads_the_same_under_micropython(micropython):
    """On a MicroPython-family interpreter the pin map imports and gives the firmware the same numbers as CPython."""
    out = micropython("tests/hardware/mp_read_pins.py", paths=("lib",))
    want = ["%s %d %d" % (p, pin_map.PINS[p]["gpio"], pin_map.PINS[p]["uart"]) for p in pin_map.INPUTS]
    want += ["%s %d %s" % (p, pin_map.PINS[p]["gpio"], pin_map.PINS[p]["kind"]) for p in pin_map.OUTPUTS]
    want += ["%s %d %s" % (b, pin_map.BOARDS[b]["status_led"]["gpio"], pin_map.BOARDS[b]["status_led"]["kind"])
             for b in ("pico", "feather_rp2040")]
    assert out.splitlines() == want
