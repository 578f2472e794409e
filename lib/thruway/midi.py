"""MIDI 1.0 facts as data: status bytes, message lengths, message types and port numbers."""

MYPY = False  # true for type checkers only (mypy reads it so): nothing of typing runs on the board
if MYPY:
    from typing import TypeVar

    Value = TypeVar("Value")

try:
    from micropython import const  # the other core modules import it from here
except ImportError:

    def const(expr):  # type: (Value) -> Value
        """MicroPython's compile-time constant, as a plain value elsewhere."""
        return expr


# Channel voice status bytes (high nibble; the low nibble is the channel, 0-based).
NOTE_OFF = const(0x80)
NOTE_ON = const(0x90)
POLYTOUCH = const(0xA0)
CONTROL_CHANGE = const(0xB0)
PROGRAM_CHANGE = const(0xC0)
AFTERTOUCH = const(0xD0)
PITCHBEND = const(0xE0)

# System common.
SYSEX = const(0xF0)
MTC_QUARTER_FRAME = const(0xF1)
SONG_POSITION = const(0xF2)
SONG_SELECT = const(0xF3)
UNDEFINED_F4 = const(0xF4)
UNDEFINED_F5 = const(0xF5)
TUNE_REQUEST = const(0xF6)
END_OF_EXCLUSIVE = const(0xF7)

# System realtime.
CLOCK = const(0xF8)
UNDEFINED_F9 = const(0xF9)
START = const(0xFA)
CONTINUE = const(0xFB)
STOP = const(0xFC)
UNDEFINED_FD = const(0xFD)
ACTIVE_SENSING = const(0xFE)
RESET = const(0xFF)

CC_SUSTAIN = const(64)
CC_ALL_NOTES_OFF = const(123)

# Whole-message length by status byte (status included); 0 where the byte starts no sized message
# (data bytes, SysEx start, the undefined and realtime bytes, a lone End of Exclusive).
LENGTH = bytes(
    [0] * 0x80
    + [3] * 0x40  # 80-BF: note off, note on, polytouch, control change
    + [2] * 0x20  # C0-DF: program change, aftertouch
    + [3] * 0x10  # E0-EF: pitch bend
    + [0, 2, 3, 2, 0, 0, 1, 0]  # F0-F7
    + [1] * 8  # F8-FF: realtime
)

# Message types a route can pass, as bits, and the words people write for them.
T_NOTES = const(0x01)
T_POLYTOUCH = const(0x02)
T_CC = const(0x04)
T_PROGRAM = const(0x08)
T_AFTERTOUCH = const(0x10)
T_PITCHBEND = const(0x20)
T_SYSEX = const(0x40)
T_COMMON = const(0x80)
T_ALL = const(0xFF)

TYPE_NAMES = (
    ("notes", T_NOTES),
    ("polytouch", T_POLYTOUCH),
    ("cc", T_CC),
    ("program", T_PROGRAM),
    ("aftertouch", T_AFTERTOUCH),
    ("pitchbend", T_PITCHBEND),
    ("sysex", T_SYSEX),
    ("common", T_COMMON),
)

# Type bit of each channel voice kind, indexed by (status >> 4) - 8.
CHANNEL_TYPE = bytes([T_NOTES, T_NOTES, T_POLYTOUCH, T_CC, T_PROGRAM, T_AFTERTOUCH, T_PITCHBEND])

# Ports, 0-based inside. Inputs: two DIN and USB; outputs: four DIN and USB.
IN1 = const(0)
IN2 = const(1)
IN_USB = const(2)
N_INPUTS = const(3)
INPUT_IDS = ("in1", "in2", "usb")

OUT1 = const(0)
OUT2 = const(1)
OUT3 = const(2)
OUT4 = const(3)
OUT_USB = const(4)
N_OUTPUTS = const(5)
OUTPUT_IDS = ("out1", "out2", "out3", "out4", "usb")
ALL_OUTPUTS = const(0x1F)

# Milliseconds wrap like CircuitPython's supervisor.ticks_ms(): period 2**29.
TICKS_PERIOD = const(1 << 29)
TICKS_MAX = const((1 << 29) - 1)
TICKS_HALF = const(1 << 28)


def ticks_diff(later, earlier):
    """Signed difference later - earlier of two wrapping millisecond ticks."""
    return ((later - earlier + TICKS_HALF) & TICKS_MAX) - TICKS_HALF


def type_names(mask):
    """The words for a type bit mask, in the documented order."""
    return [name for name, bit in TYPE_NAMES if mask & bit]
