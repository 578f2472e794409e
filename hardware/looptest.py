"""Bench test run on the built box: a MIDI cable from one OUT to one IN, a pattern sent and compared; LEDs; button."""

# On the board: copy this file to the CIRCUITPY drive (next to code.py). It opens the ports
# the way the firmware does, through lib/thruway_board (which thruway install puts there):
# out1/out2 on busio.UART, out3/out4 on the firmware's own PIO UART transmitter
# (thruway_board.ports.open_pio_out), so it tests what the box runs. In the REPL (Ctrl-C
# stops code.py and frees the pins):
#     import looptest
#     looptest.run("out1", "in1")       # a cable from OUT 1 to IN 1
#     looptest.send("out1")             # notes out of OUT 1 for another MIDI device
#     looptest.listen("in1")            # what another MIDI device sends to IN 1
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


def open_out(name):
    """The firmware's own transmitter for an output: the UART block's busio.UART, or the PIO state machine."""
    import busio
    from thruway_board import ports

    out = PINS[name]
    if out["kind"] == "pio_tx":
        return ports.open_pio_out(out["gpio"])
    return busio.UART(tx=ports.gpio(out["gpio"]), rx=None, baudrate=ports.BAUD)


def open_in(name):
    """An input's UART receiver, opened as the firmware opens it (no timeout, the firmware's buffer)."""
    import busio
    from thruway_board import ports

    return busio.UART(
        tx=None, rx=ports.gpio(PINS[name]["gpio"]), baudrate=ports.BAUD, timeout=0, receiver_buffer_size=ports.RX_BUFFER
    )


def open_pair(out_name, in_name):
    """Open the sending and receiving ports for a cable from out_name to in_name; returns (send, receive, to_close)."""
    import busio
    from thruway_board import ports

    out, into = PINS[out_name], PINS[in_name]
    if out["kind"] == "uart_tx" and out["uart"] == into["uart"]:
        both = busio.UART(
            tx=ports.gpio(out["gpio"]),
            rx=ports.gpio(into["gpio"]),
            baudrate=ports.BAUD,
            timeout=0,
            receiver_buffer_size=ports.RX_BUFFER,
        )
        return both, both, (both,)
    receive = open_in(in_name)
    send = open_out(out_name)
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


def send(out_name, seconds=10):
    """Play middle C on channel 1 out of out_name once a second, for another MIDI device to hear or show."""
    import time

    port = open_out(out_name)
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            port.write(PATTERN[:3])
            time.sleep(0.5)
            port.write(PATTERN[3:6])
            time.sleep(0.5)
    finally:
        port.deinit()
    print("%s: sent Note On / Note Off C4 on channel 1 every second" % out_name)


def listen(in_name, seconds=10):
    """Print, as hex, every byte another MIDI device sends into in_name (Active Sensing FE and clock F8 left out)."""
    import time

    port = open_in(in_name)
    buf = bytearray(64)
    heard = 0
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            count = port.readinto(buf) or 0
            shown = bytes(b for b in buf[:count] if b not in (0xF8, 0xFE))
            if shown:
                heard += len(shown)
                print("%s: %s" % (in_name, hexdump(shown)))
    finally:
        port.deinit()
    print("%s: %d byte(s) heard" % (in_name, heard))
    return heard


def leds(seconds=0.5):
    """Light each activity LED in turn, printing which one should be lit."""
    import digitalio
    import time

    from thruway_board.ports import gpio

    for name in sorted(PINS):
        if PINS[name]["kind"] != "led":
            continue
        led = digitalio.DigitalInOut(gpio(PINS[name]["gpio"]))
        led.switch_to_output(value=True)
        print("lit:", name)
        time.sleep(seconds)
        led.deinit()


def button(seconds=10):
    """Print the panic button's state each time it changes, for a few seconds."""
    import digitalio
    import time

    from thruway_board.ports import gpio

    entry = PINS["panic"]
    key = digitalio.DigitalInOut(gpio(entry["gpio"]))
    key.switch_to_input(pull=digitalio.Pull.UP)
    last = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pressed = key.value == entry["pressed"]
        if pressed != last:
            print("panic:", "pressed" if pressed else "released")
            last = pressed
    key.deinit()
