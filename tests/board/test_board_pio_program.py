"""The PIO UART transmit program: the four shipped words are the documented source, and they send MIDI's frames."""

import adafruit_pioasm
import pytest

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


COUNTER_SOURCE = """
.program thruway_microseconds
    mov y, ~x
    mov isr, null
    in y, 29
    push noblock
    jmp x-- 0
"""


def test_the_microsecond_counter_is_what_pioasm_assembles(vb):
    """lib/thruway_board/ports.py carries the microsecond counter as five hand-assembled words:
    adafruit_pioasm assembles the source written beside them into the same words."""
    from thruway_board import ports

    assert list(adafruit_pioasm.Program(COUNTER_SOURCE).assembled) == list(ports.MICROSECOND_PROGRAM)


def test_the_counter_counts_microseconds_in_29_bits(vb):
    """Run cycle by cycle, reading its RX FIFO from the left (in_shift_right=False, as
    ports.open_microseconds starts it): it pushes a count one higher every 5 cycles, which at
    MICROSECOND_HZ (5 MHz, a whole divider of the RP2040's 125 MHz) is one a microsecond, and
    wraps to 0 after 2**29 - 1 like supervisor.ticks_ms. Shifted in from the right it would
    push the count into the word's top bits: refused."""
    from thruway_board import ports

    program = list(ports.MICROSECOND_PROGRAM)
    cycles, bits = pio.counter_rate(program, in_shift_right=False)
    assert (cycles, bits) == (5, 29)
    assert ports.MICROSECOND_HZ // cycles == 1_000_000 and 125_000_000 % ports.MICROSECOND_HZ == 0
    with pytest.raises(pio.PioError):
        pio.counter_rate(program, in_shift_right=True)
