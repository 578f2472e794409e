"""A cycle-by-cycle model of one RP2040 PIO state machine driving one pin, and a UART frame reader.

Written from the RP2040 datasheet, chapter 3 (PIO): instruction encoding (3.4), side-set and
delay (3.5.1), OSR and ISR shifting, PULL and PUSH (3.5.4, 3.4.6-7). It runs the instructions a
UART transmitter needs (JMP, OUT, PULL, MOV, SET) with one pin serving OUT, SET and side-set,
and those a counter needs (MOV with invert, IN, PUSH into a 4-deep RX FIFO), which is all the
virtual board's rp2pio needs to check that a program sends UART frames, or counts, and how fast."""

JMP, WAIT, IN, OUT, PUSH_PULL, MOV, IRQ, SET = range(8)


class PioError(ValueError):
    """A program this model does not run (or that does not send UART frames)."""


class _Machine:
    """The registers of one state machine; `store` is where OUT, SET and MOV put a value."""

    DESTINATIONS = {"SET": (0, 1, 2, 4), "OUT": (0, 1, 2, 3), "MOV": (0, 1, 2, 6, 7)}

    def __init__(self, idle_level):
        self.pin = idle_level
        self.x = 0
        self.y = 0
        self.osr = 0
        self.osr_shifted = 32  # 32: empty
        self.isr = 0
        self.isr_shifted = 0

    def store(self, what, dest, value):
        if dest not in self.DESTINATIONS[what]:
            raise PioError("%s destination %d is not modelled" % (what, dest))
        if dest == 0:
            self.pin = value & 1
        elif dest == 1:
            self.x = value
        elif dest == 2:
            self.y = value
        elif dest == 6 and what == "MOV":
            self.isr, self.isr_shifted = value, 0
        elif dest == 7 and what == "MOV":
            self.osr, self.osr_shifted = value, 0
        # SET pindirs (4) and OUT null (3): the pin is an output already; null discards.

    def jump(self, cond):
        if cond == 0:
            return True
        if cond in (1, 3):
            return (self.x if cond == 1 else self.y) == 0
        if cond == 2:
            self.x = (self.x - 1) & 0xFFFFFFFF
            return self.x != 0xFFFFFFFF
        if cond == 4:
            self.y = (self.y - 1) & 0xFFFFFFFF
            return self.y != 0xFFFFFFFF
        if cond == 5:
            return self.x != self.y
        if cond == 6:
            return self.pin == 1
        return self.osr_shifted < 32


RX_FIFO_DEPTH = 4


def run(program, data, cycles, sideset_pin_count=0, sideset_enable=False, out_shift_right=True, idle_level=1,
        in_shift_right=True, pushed=None, x=0):
    """Run `program` (16-bit words) for `cycles` cycles with the bytes of `data` waiting in the
    TX FIFO from cycle 0; return the pin level at each cycle (a list of 0/1). Each PUSH that
    finds room appends (cycle, word) to `pushed` (a list), which nothing reads meanwhile: the RX
    FIFO holds RX_FIFO_DEPTH words. `x`: the X register at the start."""
    sideset_bits = sideset_pin_count + (1 if sideset_enable else 0)
    delay_bits = 5 - sideset_bits
    if delay_bits < 0:
        raise PioError("side-set takes more than the 5 bits it has")
    fifo = list(data)
    m = _Machine(idle_level)
    m.x = x
    pc = 0
    levels = []
    delay = 0
    while len(levels) < cycles:
        if delay:
            delay -= 1
            levels.append(m.pin)
            continue
        word = program[pc]
        op, field, arg = word >> 13, (word >> 8) & 0x1F, word & 0xFF
        # Side-set acts when the instruction issues, even if it then stalls.
        if sideset_bits:
            side = field >> delay_bits
            if not sideset_enable:
                m.pin = side & 1
            elif side >> sideset_pin_count:
                m.pin = side & 1
        next_pc = (pc + 1) % len(program)
        if op == PUSH_PULL and not arg & 0x80:  # PUSH
            if_full, block = arg & 0x40, arg & 0x20
            if if_full:
                raise PioError("PUSH iffull is not modelled")
            if pushed is None:
                raise PioError("a program that pushes needs a pushed list to run")
            if len(pushed) < RX_FIFO_DEPTH:
                pushed.append((len(levels), m.isr))
                m.isr, m.isr_shifted = 0, 0
            elif block:
                levels.append(m.pin)
                continue
            # A push without room and without block does nothing (RP2040 datasheet 3.4.6.2).
        elif op == IN:
            source, count = arg >> 5, (arg & 0x1F) or 32
            value = {0: m.pin, 1: m.x, 2: m.y, 3: 0, 6: m.isr, 7: m.osr}.get(source)
            if value is None:
                raise PioError("IN source %d is not modelled" % source)
            bits = value & ((1 << count) - 1)
            if in_shift_right:
                m.isr = ((m.isr >> count) | (bits << (32 - count))) & 0xFFFFFFFF if count < 32 else bits
            else:
                m.isr = ((m.isr << count) | bits) & 0xFFFFFFFF
            m.isr_shifted = min(32, m.isr_shifted + count)
        elif op == PUSH_PULL and arg & 0x80:  # PULL
            if_empty, block = arg & 0x40, arg & 0x20
            if if_empty and m.osr_shifted < 32:
                pass
            elif fifo:
                m.osr = fifo.pop(0) * 0x01010101  # a byte write fills all four lanes of the word
                m.osr_shifted = 0
            elif block:
                levels.append(m.pin)  # stalled: the instruction issues again next cycle
                continue
            else:
                m.osr, m.osr_shifted = m.x, 0
        elif op == SET:
            m.store("SET", arg >> 5, arg & 0x1F)
        elif op == OUT:
            count = (arg & 0x1F) or 32
            if out_shift_right:
                bits = m.osr & ((1 << count) - 1)
                m.osr >>= count
            else:
                bits = (m.osr >> (32 - count)) & ((1 << count) - 1)
                m.osr = (m.osr << count) & 0xFFFFFFFF
            m.osr_shifted = min(32, m.osr_shifted + count)
            m.store("OUT", arg >> 5, bits)
        elif op == JMP:
            if m.jump(arg >> 5):
                next_pc = arg & 0x1F
        elif op == MOV:
            source, operation = arg & 7, (arg >> 3) & 3
            value = {0: m.pin, 1: m.x, 2: m.y, 3: 0, 6: m.isr, 7: m.osr}.get(source)
            if value is None or operation > 1:
                raise PioError("MOV source %d with operation %d is not modelled" % (source, operation))
            if operation == 1:  # invert
                value = ~value & 0xFFFFFFFF
            m.store("MOV", arg >> 5, value)
        else:
            raise PioError("instruction %04X (%s) is not modelled" % (word, "JMP WAIT IN OUT PUSH MOV IRQ SET".split()[op]))
        levels.append(m.pin)
        delay = field & ((1 << delay_bits) - 1)
        pc = next_pc
    return levels


def read_frames(levels, bit):
    """The bytes in a pin trace of 8N1 UART frames with `bit` cycles a bit: [(start cycle, byte)].
    Raises PioError on a frame whose stop bit is low."""
    frames = []
    t = 1
    while t < len(levels):
        if levels[t - 1] == 1 and levels[t] == 0:
            if t + 10 * bit > len(levels):
                break
            mid = t + bit // 2
            if levels[mid] != 0:
                t += 1
                continue
            value = 0
            for k in range(8):
                value |= levels[mid + (k + 1) * bit] << k
            if levels[mid + 9 * bit] != 1:
                raise PioError("no stop bit after the frame starting at cycle %d" % t)
            frames.append((t, value))
            t = mid + 9 * bit
        t += 1
    return frames


def uart_timing(program, sideset_pin_count=0, sideset_enable=False, out_shift_right=True):
    """Run `program` as a UART transmitter: (cycles a bit, cycles from a byte's arrival in the
    FIFO to its start bit). Raises PioError unless it sends the bytes given, as 8N1 frames,
    least significant bit first, back to back, with the line idle high."""
    kwargs = dict(sideset_pin_count=sideset_pin_count, sideset_enable=sideset_enable, out_shift_right=out_shift_right)
    idle = run(program, b"", 64, **kwargs)
    if set(idle) != {1}:
        raise PioError("the line is not idle high with nothing to send")
    probe = run(program, b"\x55", 400, **kwargs)  # start bit, then 1: the start bit's length is one bit
    if 0 not in probe:
        raise PioError("the program sends nothing")
    start = probe.index(0)
    bit = probe.index(1, start) - start
    test = bytes((0x55, 0x00, 0xFF, 0x90, 0x3C, 0x7F, 0xF8))
    levels = run(program, test, (len(test) + 2) * 10 * bit + start, **kwargs)
    frames = read_frames(levels, bit)
    if [v for _, v in frames] != list(test):
        raise PioError("the program does not send UART frames: sent %s, read %s" % (test.hex(), bytes(v for _, v in frames).hex()))
    gaps = {b[0] - a[0] for a, b in zip(frames, frames[1:])}
    if gaps != {10 * bit}:
        raise PioError("frames are not back to back at 10 bits (%s)" % sorted(gaps))
    return bit, start


def counter_rate(program, in_shift_right=True, cycles=200):
    """Run `program` as a free-running counter read from its RX FIFO, started with X set so
    that its count is near the top: (cycles a count, the count's bits). Raises PioError unless
    it pushes a count that goes up by one every so many cycles and wraps to 0 after 2**bits - 1."""
    for bits in range(1, 33):
        top = (1 << bits) - 2
        pushed = []
        run(program, b"", cycles, in_shift_right=in_shift_right, pushed=pushed, idle_level=0, x=~top & 0xFFFFFFFF)
        gaps = {b[0] - a[0] for a, b in zip(pushed, pushed[1:])}
        if [v for _, v in pushed] == [top, top + 1, 0, 1] and len(gaps) == 1:
            return gaps.pop(), bits
    raise PioError("the program does not push a count going up by one and wrapping to 0")
