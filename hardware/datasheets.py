"""Pinouts typed from the parts' and boards' datasheets, in their own shape, for rules.py to hold the circuit and pin map against."""

# Each part: its pin names in pin-number order (pin 1 first), as the datasheet prints them,
# the pins it calls supply or open-collector/open-drain outputs, and where it says so.
PARTS = {
    "H11L1": {
        "pins": "ANODE CATHODE NC VO GND VCC",
        "supply": "VCC GND",
        "open_collector": "VO",
        "source": "onsemi H11L1M, H11L2M, H11L3M datasheet (publication H11L3M/D), schematic and package outline",
    },
    "74LVC07A": {
        "pins": "1A 1Y 2A 2Y 3A 3Y GND 4Y 4A 5Y 5A 6Y 6A VCC",
        "supply": "VCC GND",
        "open_collector": "1Y 2Y 3Y 4Y 5Y 6Y",
        "source": "Texas Instruments SN74LVC07A datasheet (SCAS595), pin configuration and functions",
    },
}
# The datasheets spell out what the circuit abbreviates.
NAME_IN_CIRCUIT = {"ANODE": "A", "CATHODE": "K"}

# The Raspberry Pi Pico's 40 header pins as its datasheet's pinout figure shows them, USB at
# the top: the left row from pin 1 down to pin 20, the right row from pin 40 down to pin 21.
# Source: Raspberry Pi Pico datasheet, "Pinout", and Pico-R3-A4-Pinout.pdf.
PICO_LEFT_ROW = "GP0 GP1 GND GP2 GP3 GP4 GP5 GND GP6 GP7 GP8 GP9 GND GP10 GP11 GP12 GP13 GND GP14 GP15"
PICO_RIGHT_ROW = (
    "VBUS VSYS GND 3V3_EN 3V3(OUT) ADC_VREF GP28 AGND GP27 GP26 RUN GP22 GND GP21 GP20 GP19 GP18 GND GP17 GP16"
)

# A DIN-5 180 degree female socket, pin 2 at the top, left to right: seen from the front (the
# plug side) and from the solder side. Sources: sput.nl's connector tables and Oakley Sound's
# TM3030 build guide (the socket from the back).
DIN_FRONT = "1 4 2 5 3"
DIN_SOLDER_SIDE = "3 5 2 4 1"

# The Feather RP2040's silkscreen prints MO and MI where CircuitPython's board module says
# MOSI and MISO (Adafruit's Feather RP2040 pinout).
FEATHER_SILKSCREEN = {"MO": "MOSI", "MI": "MISO", "USB": "VBUS", "3.3V": "3V3"}
# CircuitPython's board module for each board (circuitpython-stubs, board_definitions/<id>).
STUB_BOARD_IDS = {"pico": "raspberry_pi_pico", "feather_rp2040": "adafruit_feather_rp2040"}


def pico_header():
    """Header pin number -> name, from the two rows above."""
    left = PICO_LEFT_ROW.split()
    right = PICO_RIGHT_ROW.split()
    numbers = {n + 1: name for n, name in enumerate(left)}
    numbers.update({40 - n: name for n, name in enumerate(right)})
    return numbers
