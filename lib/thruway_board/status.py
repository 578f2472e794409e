"""The status light (the board's own LED or NeoPixel): its patterns and colours, written only on change."""

import digitalio
import neopixel_write

from thruway.midi import const

# What the status light says, most urgent last.
RUNNING = const(0)  # steady on (NeoPixel: green)
MAINTENANCE = const(1)  # slow blink, 0.5 s on, 0.5 s off (NeoPixel: blue)
SETTINGS_ERROR = const(2)  # three short blinks a second (NeoPixel: red)
PANIC = const(3)  # fast flicker for half a second after the panic button (NeoPixel: white)
LOOP = const(4)  # two long blinks a second: the loop guard stopped routes (NeoPixel: yellow)

SLOT_MS = const(50)  # a pattern is 20 slots of 50 ms: one second
SLOTS = const(20)
# Bit k lit in slot k.
PATTERNS = (
    (1 << SLOTS) - 1,  # RUNNING
    (1 << 10) - 1,  # MAINTENANCE
    (1 << 0) | (1 << 2) | (1 << 4),  # SETTINGS_ERROR
    0x55555,  # PANIC
    0xF + (0xF << 10),  # LOOP
)
# NeoPixel colours, in the order the pixel takes them (green, red, blue), kept dim.
COLOURS = (
    bytes((24, 0, 0)),  # RUNNING: green
    bytes((0, 0, 32)),  # MAINTENANCE: blue
    bytes((0, 40, 0)),  # SETTINGS_ERROR: red
    bytes((24, 24, 24)),  # PANIC: white
    bytes((24, 32, 0)),  # LOOP: yellow
)
DARK = bytes(3)
PANIC_MS = const(500)


def lit(mode, now):
    """Whether the light is on at tick `now` in `mode`."""
    return bool((PATTERNS[mode] >> ((now // SLOT_MS) % SLOTS)) & 1)


class LedStatus:
    """A plain LED, high = lit (the Pico's GP25)."""

    def __init__(self, pin):
        self.io = digitalio.DigitalInOut(pin)
        self.io.switch_to_output(value=False)
        self.on = False
        self.mode = RUNNING

    def show(self, mode, now):
        on = lit(mode, now)
        if on != self.on:
            self.on = on
            self.io.value = on

    def deinit(self):
        self.io.deinit()


class PixelStatus:
    """One WS2812 pixel (the Feather's NeoPixel on GP16). neopixel_write takes a few tens of
    microseconds and more, so the pixel is written only when its colour changes."""

    def __init__(self, pin):
        self.io = digitalio.DigitalInOut(pin)
        self.io.switch_to_output(value=False)
        self.colour = None  # type: bytes | None
        self.show(RUNNING, 0)

    def show(self, mode, now):
        colour = COLOURS[mode] if lit(mode, now) else DARK
        if colour is not self.colour:
            self.colour = colour
            neopixel_write.neopixel_write(self.io, colour)

    def deinit(self):
        neopixel_write.neopixel_write(self.io, DARK)
        self.io.deinit()


def open_status(entry, gpio):
    """The status light of a board entry of the pin map (`status_led`), or None."""
    if entry["kind"] == "led":
        return LedStatus(gpio(entry["gpio"]))
    if entry["kind"] == "neopixel":
        return PixelStatus(gpio(entry["gpio"]))
    return None
