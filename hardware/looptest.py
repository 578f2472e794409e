"""Bench test run on the built box: a MIDI cable from one OUT to one IN, a pattern sent and compared; LEDs; button."""

# On the board: copy this file to the CIRCUITPY drive (next to code.py). It reads the pin map
# from lib/thruway_board/pins.py, which the firmware install puts there. out3/out4 are PIO
# outputs and need adafruit_pio_uart (circup install adafruit_pio_uart). In the REPL (Ctrl-C
# stops code.py and frees the pins):
#     import looptest
#     looptest.run("out1", "in1")
#     looptest.leds()
#     looptest.button()

from thruway_board.pins import PINS

BAUD = 31250
# Note On C4, Note Off C4, then a non-commercial SysEx (7D) whose data bytes flip every bit.
PATTERN = bytes((0x90, 0x3C, 0x64, 0x80, 0x3C, 0x00, 0xF0, 0x7D, 0x55, 0x2A, 0x7F, 0x00, 0xF7))
ROUND_WAIT = 0.1  # seconds to wait for one pattern: 13 bytes take 4.2 ms at 31250 baud


def hexdump(data):
    return " ".join("%02X" % b for b in data)


def check(send, receive, now, rounds=8):
    """Send PATTERN `rounds` times and compare what comes back; return a one-line verdict.

    send has write(bytes); receive has readinto(buffer) returning a count (or None for none);
    now() returns seconds. On the board these are a UART, a UART and time.monotonic.
    """
    buf = bytearray(64)
    good = 0
    first_bad = None
    for _ in range(rounds):
        send.write(PATTERN)
        got = bytearray()
        deadline = now() + ROUND_WAIT
        while len(got) < len(PATTERN) and now() < deadline:
            count = receive.readinto(buf) or 0
            got.extend(buf[:count])
        if bytes(got) == PATTERN:
            good += 1
        elif first_bad is None:
            first_bad = bytes(got)
    if good == rounds:
        return "OK: %d/%d patterns came back intact" % (good, rounds)
    if good == 0 and not first_bad:
        return "FAIL: nothing came back (cable in the right jacks? OUT resistors, optocoupler, pull-up, RX wire)"
    return "FAIL: %d/%d intact; sent %s, got %s" % (good, rounds, hexdump(PATTERN), hexdump(first_bad))


def _pin(gpio):
    import microcontroller

    return getattr(microcontroller.pin, "GPIO%d" % gpio)


def open_pair(out_name, in_name):
    """Open the sending and receiving ports for a cable from out_name to in_name; returns (send, receive, to_close)."""
    import busio

    out, into = PINS[out_name], PINS[in_name]
    if out["kind"] == "uart_tx" and out["uart"] == into["uart"]:
        both = busio.UART(
            tx=_pin(out["gpio"]), rx=_pin(into["gpio"]), baudrate=BAUD, timeout=0, receiver_buffer_size=512
        )
        return both, both, (both,)
    receive = busio.UART(tx=None, rx=_pin(into["gpio"]), baudrate=BAUD, timeout=0, receiver_buffer_size=512)
    if out["kind"] == "uart_tx":
        send = busio.UART(tx=_pin(out["gpio"]), rx=None, baudrate=BAUD)
    else:
        import adafruit_pio_uart

        send = adafruit_pio_uart.UART(tx=_pin(out["gpio"]), baudrate=BAUD)
    return send, receive, (send, receive)


def run(out_name, in_name, rounds=8):
    """Test one cable from out_name (out1..out4) to in_name (in1, in2) and print the verdict."""
    import time

    send, receive, to_close = open_pair(out_name, in_name)
    try:
        verdict = check(send, receive, time.monotonic, rounds)
    finally:
        for port in to_close:
            port.deinit()
    print("%s -> %s: %s" % (out_name, in_name, verdict))
    return verdict


def leds(seconds=0.5):
    """Light each activity LED in turn, printing which one should be lit."""
    import digitalio
    import time

    for name in sorted(PINS):
        if PINS[name]["kind"] != "led":
            continue
        led = digitalio.DigitalInOut(_pin(PINS[name]["gpio"]))
        led.switch_to_output(value=True)
        print("lit:", name)
        time.sleep(seconds)
        led.deinit()


def button(seconds=10):
    """Print the panic button's state each time it changes, for a few seconds."""
    import digitalio
    import time

    entry = PINS["panic"]
    key = digitalio.DigitalInOut(_pin(entry["gpio"]))
    key.switch_to_input(pull=digitalio.Pull.UP)
    last = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pressed = key.value == entry["pressed"]
        if pressed != last:
            print("panic:", "pressed" if pressed else "released")
            last = pressed
    key.deinit()
