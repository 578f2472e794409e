"""What boot.py does: name the USB MIDI port, turn autoreload off, or choose maintenance mode."""

# boot.py runs once at power-up or reset, before USB is set up: the only moment when USB
# names can change. Whatever fails here, the board keeps CircuitPython's defaults (drive,
# serial console, autoreload on) and stays reachable: nothing here touches `storage`.

import digitalio
import microcontroller
import supervisor
import usb_midi

from thruway import __version__
from thruway_board.pins import PINS
from thruway_board.ports import gpio

USB_NAME = "Thruway"
HOLD_SAMPLES = 5  # the button must read pressed this many times, 5 ms apart
SAMPLE_US = 5000


def button_held(pins=PINS):
    """Whether the panic button is held now (read a few times: a bounce is not a hold)."""
    entry = pins["panic"]
    key = digitalio.DigitalInOut(gpio(entry["gpio"]))
    try:
        key.switch_to_input(pull=digitalio.Pull.UP if entry.get("pull", "up") == "up" else digitalio.Pull.DOWN)
        microcontroller.delay_us(SAMPLE_US)  # let the pull-up charge the wire
        for _ in range(HOLD_SAMPLES):
            if key.value != bool(entry["pressed"]):
                return False
            microcontroller.delay_us(SAMPLE_US)
        return True
    finally:
        key.deinit()


def boot(say=print):
    """Set USB names and autoreload; returns True for maintenance mode (button held)."""
    try:
        maintenance = button_held()
    except Exception as e:  # a pin problem must not stop the rest
        say("Thruway boot: the panic button could not be read (%s): normal mode" % e)
        maintenance = False
    try:
        usb_midi.enable()
        supervisor.set_usb_identification(manufacturer=USB_NAME, product=USB_NAME)
        # circuitpython-stubs 10.3 declares set_names with a `self`; the module function has none.
        usb_midi.set_names(  # type: ignore[call-arg]
            streaming_interface_name=USB_NAME,
            audio_control_interface_name=USB_NAME,
            in_jack_name=USB_NAME,
            out_jack_name=USB_NAME,
        )
        # code.py reads this back: autoreload on means maintenance mode.
        supervisor.runtime.autoreload = maintenance
    except Exception as e:
        supervisor.runtime.autoreload = True
        say("Thruway boot: %s; CircuitPython's defaults kept (maintenance mode)" % e)
        return True
    if maintenance:
        say("Thruway %s boot: maintenance mode (panic button held): autoreload on, diagnostics on" % __version__)
    else:
        say("Thruway %s boot: USB MIDI named %s, autoreload off" % (__version__, USB_NAME))
    return maintenance
