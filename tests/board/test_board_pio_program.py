"""The PIO UART transmit program: the four shipped words are the documented source, and they send MIDI's frames."""

import adafruit_pioasm

from thruway_host.virtualboard import pio

SOURCE = """
.program thruway_uart_tx
.side_set 1 opt
    pull block    side 1 [7]
    set x, 7      side 0 [7]
bitloop:
    out pins, 1
    jmp x-- bitloop      [6]
"""


def _program():
    from thruway_board import ports

    return list(ports.UART_TX_PROGRAM)


def test_the_shipped_words_are_what_pioasm_assembles(vb):
    """lib/thruway_board/ports.py carries the program as four hand-assembled words: adafruit_pioasm
    assembles the source written beside them into the same words and side-set settings."""
    program = adafruit_pioasm.Program(SOURCE)
    assert list(program.assembled) == _program()
    assert program.pio_kwargs == {"sideset_enable": True, "sideset_pin_count": 1}


def test_the_program_sends_8n1_frames_at_31250_baud(vb):
    """Run cycle by cycle at 8 x 31250 Hz: the line idles high; each byte is a start bit, 8 data
    bits least significant first and a stop bit, 32 µs a bit, back to back 320 µs apart."""
    program = _program()
    bit, start = pio.uart_timing(program, sideset_pin_count=1, sideset_enable=True)
    assert bit == 8 and 8 * 1_000_000 // (8 * 31250) == 32
    data = bytes((0x90, 0x3C, 0x64, 0xF8, 0x00, 0xFF))
    levels = pio.run(program, data, 8 * 10 * (len(data) + 1), sideset_pin_count=1, sideset_enable=True)
    frames = pio.read_frames(levels, bit)
    assert bytes(v for _, v in frames) == data
    assert [b[0] - a[0] for a, b in zip(frames, frames[1:])] == [80] * (len(data) - 1)
    assert levels[: frames[0][0]] == [1] * frames[0][0]  # idle high before the first start bit
    # 0x90 = 1001 0000: after the start bit, bits 0-3 low, bit 4 high, bits 5-6 low, bit 7 high.
    first = frames[0][0]
    assert [levels[first + 4 + 8 * k] for k in range(10)] == [0, 0, 0, 0, 0, 1, 0, 0, 1, 1]
