"""The one pin map: which RP2040 GPIO does what, and how the Pico and the Feather RP2040 break it out."""

# Plain data only: this file is imported on the board (CircuitPython) and on the host
# (firmware, circuit, drawings, docs, checks). GPIO numbers are ints: the firmware looks a
# pin up as microcontroller.pin.GPIO<n>, never by a board-specific name.
#
# PINS: one entry per function, keyed by function name.
#   gpio   RP2040 GPIO number.
#   kind   "uart_rx" (hardware UART receive), "uart_tx" (hardware UART transmit),
#          "pio_tx" (UART transmit made by a PIO state machine), "led" (activity LED,
#          high = lit), "button" (to GND, internal pull-up, pressed reads 0).
#   uart   UART block, 0 or 1 (uart_rx and uart_tx only).
#   port   The MIDI port the function belongs to: "in1", "in2", "out1".."out4";
#          None for the panic button.
# The same GPIO numbers work on both boards; the checks in hardware/checks.py prove it.
PINS = {
    "in1": {"gpio": 1, "kind": "uart_rx", "uart": 0, "port": "in1"},
    "in2": {"gpio": 9, "kind": "uart_rx", "uart": 1, "port": "in2"},
    "out1": {"gpio": 0, "kind": "uart_tx", "uart": 0, "port": "out1"},
    "out2": {"gpio": 8, "kind": "uart_tx", "uart": 1, "port": "out2"},
    "out3": {"gpio": 6, "kind": "pio_tx", "port": "out3"},
    "out4": {"gpio": 7, "kind": "pio_tx", "port": "out4"},
    "led_in1": {"gpio": 10, "kind": "led", "port": "in1"},
    "led_in2": {"gpio": 11, "kind": "led", "port": "in2"},
    "led_out1": {"gpio": 12, "kind": "led", "port": "out1"},
    "led_out2": {"gpio": 18, "kind": "led", "port": "out2"},
    "led_out3": {"gpio": 19, "kind": "led", "port": "out3"},
    "led_out4": {"gpio": 20, "kind": "led", "port": "out4"},
    "panic": {"gpio": 26, "kind": "button", "port": None, "pull": "up", "pressed": 0},
}

# Ports in the order the firmware numbers them (0-based in code, in1/out1 in settings).
INPUTS = ("in1", "in2")
OUTPUTS = ("out1", "out2", "out3", "out4")

# GPIOs no function may take on any board: kept for a display later (I2C1 SDA/SCL).
KEEP_FREE = {2: "display I2C SDA (later)", 3: "display I2C SCL (later)"}

# The RP2040's fixed facts the checks need (RP2040 datasheet, GPIO function table).
UART_TX_PINS = {0: (0, 12, 16, 28), 1: (4, 8, 20, 24)}
UART_RX_PINS = {0: (1, 13, 17, 29), 1: (5, 9, 21, 25)}
PIO_BLOCKS = 2
PIO_STATE_MACHINES_PER_BLOCK = 4

# BOARDS: what each board breaks out and keeps for itself.
#   labels       GPIO -> label printed beside the header pin (every GPIO on the header).
#   header_pins  GPIO -> physical header pin number (the Pico numbers its pins 1-40;
#                the Feather does not, so it has none and is wired by label).
#   power        "3v3", "gnd", "vbus" -> label of the power pin used (and its number
#                in "power_pins" where the board numbers its pins).
#   reserved     GPIO -> why the board keeps it (on-board parts); never used for a function.
#   status_led   the board's own LED the firmware uses for status: GPIO and kind
#                ("led": plain LED, high = lit; "neopixel": one WS2812 pixel).
#   pio_state_machines_used  state machines the board's own parts take (the NeoPixel
#                is written through a PIO state machine).
BOARDS = {
    "pico": {
        "name": "Raspberry Pi Pico",
        "labels": {
            0: "GP0", 1: "GP1", 2: "GP2", 3: "GP3", 4: "GP4", 5: "GP5", 6: "GP6",
            7: "GP7", 8: "GP8", 9: "GP9", 10: "GP10", 11: "GP11", 12: "GP12",
            13: "GP13", 14: "GP14", 15: "GP15", 16: "GP16", 17: "GP17", 18: "GP18",
            19: "GP19", 20: "GP20", 21: "GP21", 22: "GP22", 26: "GP26", 27: "GP27",
            28: "GP28",
        },
        "header_pins": {
            0: 1, 1: 2, 2: 4, 3: 5, 4: 6, 5: 7, 6: 9, 7: 10, 8: 11, 9: 12, 10: 14,
            11: 15, 12: 16, 13: 17, 14: 19, 15: 20, 16: 21, 17: 22, 18: 24, 19: 25,
            20: 26, 21: 27, 22: 29, 26: 31, 27: 32, 28: 34,
        },
        "power": {"3v3": "3V3(OUT)", "gnd": "GND", "vbus": "VBUS"},
        "power_pins": {"3v3": 36, "gnd": 38, "vbus": 40},
        "reserved": {
            23: "SMPS power-save control",
            24: "VBUS sense",
            25: "on-board LED (status)",
            29: "VSYS/3 measurement (ADC3)",
        },
        "status_led": {"gpio": 25, "kind": "led"},
        "pio_state_machines_used": 0,
    },
    "feather_rp2040": {
        "name": "Adafruit Feather RP2040",
        "labels": {
            0: "TX", 1: "RX", 2: "SDA", 3: "SCL", 6: "D4", 7: "D5", 8: "D6", 9: "D9",
            10: "D10", 11: "D11", 12: "D12", 13: "D13", 18: "SCK", 19: "MO", 20: "MI",
            24: "D24", 25: "D25", 26: "A0", 27: "A1", 28: "A2", 29: "A3",
        },
        "header_pins": {},
        "power": {"3v3": "3.3V", "gnd": "GND", "vbus": "USB"},
        "power_pins": {},
        "reserved": {
            13: "red LED (D13)",
            16: "NeoPixel (status)",
        },
        "status_led": {"gpio": 16, "kind": "neopixel"},
        "pio_state_machines_used": 1,
    },
}
