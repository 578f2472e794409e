"""One output's merger: a queue per source, realtime first, whole messages, bounded, drops counted."""

from thruway.midi import LENGTH, SYSEX, END_OF_EXCLUSIVE, const

# Sources of an output's messages: the three inputs, then the core itself (panic, closing F7).
N_SOURCES = const(4)
SOURCE_CORE = const(3)

QUEUE_BYTES = const(256)  # per source: 80 ms of DIN wire time
REALTIME_BYTES = const(32)
# Free bytes a queue keeps back from each class of message, so that what must not be lost
# still finds room when an oversubscribed output falls behind.
RESERVE_DROPPABLE = const(128)  # CC, pressure and pitch bend stop at half full
RESERVE_OTHER = const(24)  # notes on, programs, system common, SysEx start
RESERVE_SYSEX_END = const(1)  # the F7 that closes a SysEx always has its byte

# Drop kinds, counted per output.
DROP_DROPPABLE = const(0)  # CC, aftertouch, polytouch, pitch bend dropped by policy
DROP_NOTE_ON = const(1)
DROP_NOTE_OFF = const(2)
DROP_OTHER = const(3)  # program change, system common
DROP_SYSEX = const(4)  # a whole SysEx not started for want of room
DROP_SYSEX_CUT = const(5)  # a SysEx cut short (closed early with F7) for want of room
DROP_REALTIME = const(6)
N_DROPS = const(7)
DROP_NAMES = ("droppable", "note_on", "note_off", "other", "sysex", "sysex_cut", "realtime")


class Output:
    """Merges messages from several sources onto one wire without ever interleaving two.

    Messages enter whole (SysEx byte by byte) into the queue of their source; `transmit` hands
    the wire up to `room` bytes, realtime first. A DIN output may stop mid-message and resume;
    a `whole` (USB) output only ever hands out whole messages."""

    def __init__(self, index, whole):
        self.index = index
        self.whole = whole
        self.running_status = False
        self.buf = bytearray(N_SOURCES * QUEUE_BYTES)
        self.head = [0] * N_SOURCES  # next byte to send, offset within the source's queue
        self.count = [0] * N_SOURCES
        self.deepest = 0  # most bytes ever waiting in one source's queue
        self.rt = bytearray(REALTIME_BYTES)
        self.rt_head = 0
        self.rt_count = 0
        self.current = -1  # source whose message is on the wire, -1 between messages
        self.left = 0  # bytes of that message still to send; -1 inside a SysEx
        self.next_source = 0
        self.last_status = 0  # for running status on the wire
        self.drops = [0] * N_DROPS
        self.sent = 0  # bytes handed to the wire
        self.channels_used = 0  # bit per channel that has carried a channel message

    # ---- filling ----------------------------------------------------------------------

    def free(self, source):
        return QUEUE_BYTES - self.count[source]

    def put3(self, source, status, d1, d2, length, reserve):
        """Queue a whole message of 1-3 bytes if it leaves `reserve` bytes free; True if queued."""
        count = self.count[source]
        if QUEUE_BYTES - count - length < reserve:
            return False
        buf = self.buf
        base = source * QUEUE_BYTES
        i = (self.head[source] + count) % QUEUE_BYTES
        buf[base + i] = status
        if length > 1:
            i = (i + 1) % QUEUE_BYTES
            buf[base + i] = d1
            if length > 2:
                i = (i + 1) % QUEUE_BYTES
                buf[base + i] = d2
        count += length
        self.count[source] = count
        if count > self.deepest:
            self.deepest = count
        if status < 0xF0:
            self.channels_used |= 1 << (status & 0x0F)
        return True

    def put_byte(self, source, byte, reserve):
        """Queue one byte of a SysEx if it leaves `reserve` bytes free; True if queued."""
        count = self.count[source]
        if QUEUE_BYTES - count - 1 < reserve:
            return False
        self.buf[source * QUEUE_BYTES + (self.head[source] + count) % QUEUE_BYTES] = byte
        count += 1
        self.count[source] = count
        if count > self.deepest:
            self.deepest = count
        return True

    def put_realtime(self, byte):
        if self.rt_count == REALTIME_BYTES:
            self.drops[DROP_REALTIME] += 1
            return
        self.rt[(self.rt_head + self.rt_count) % REALTIME_BYTES] = byte
        self.rt_count += 1

    def waiting(self):
        """Bytes waiting to go out on this output."""
        return self.rt_count + self.count[0] + self.count[1] + self.count[2] + self.count[3]

    def clear(self):
        """Forget everything queued (used when no one listens, e.g. USB with no computer)."""
        for s in range(N_SOURCES):
            self.head[s] = 0
            self.count[s] = 0
        self.rt_count = 0
        self.current = -1
        self.left = 0
        self.last_status = 0

    def silence_pending(self):
        """Turn every Note On still waiting in a queue into a Note Off (velocity 0), for panic:
        nothing queued before the panic may start a note after it."""
        buf = self.buf
        for source in range(N_SOURCES):
            base = source * QUEUE_BYTES
            i = 0
            count = self.count[source]
            if source == self.current:
                if self.left < 0:
                    continue  # a SysEx is on the wire: what follows it is not yet known
                i = self.left
            while i < count:
                status = buf[base + (self.head[source] + i) % QUEUE_BYTES]
                if status == SYSEX:
                    while i < count and buf[base + (self.head[source] + i) % QUEUE_BYTES] != END_OF_EXCLUSIVE:
                        i += 1
                    i += 1
                    continue
                if (status & 0xF0) == 0x90 and i + 2 < count:
                    buf[base + (self.head[source] + i + 2) % QUEUE_BYTES] = 0
                i += LENGTH[status] or 1

    # ---- draining ---------------------------------------------------------------------

    def transmit(self, out, room):
        """Write up to `room` bytes for the wire into `out` (from index 0); return how many."""
        n = 0
        buf = self.buf
        whole = self.whole
        while n < room:
            # Realtime may go between any two bytes on a DIN wire. A USB stream carries whole
            # messages, and its SysEx packets cannot hold a realtime byte: there it waits for
            # the message boundary.
            if self.rt_count and not (whole and self.current >= 0):
                out[n] = self.rt[self.rt_head]
                self.rt_head = (self.rt_head + 1) % REALTIME_BYTES
                self.rt_count -= 1
                n += 1
                continue
            source = self.current
            if source < 0:
                source = self._next_message(room - n)
                if source < 0:
                    break
                base = source * QUEUE_BYTES
                status = buf[base + self.head[source]]
                if status == SYSEX:
                    self.left = -1
                    self.last_status = 0
                else:
                    self.left = LENGTH[status]
                    if status >= 0xF0:
                        # System common cancels running status on the wire too.
                        self.last_status = 0
                    elif self.running_status and status == self.last_status:
                        # Running status: the receiver still holds this status byte.
                        self.head[source] = (self.head[source] + 1) % QUEUE_BYTES
                        self.count[source] -= 1
                        self.left -= 1
                    else:
                        self.last_status = status
                self.current = source
            base = source * QUEUE_BYTES
            head = self.head[source]
            count = self.count[source]
            if self.left < 0:
                # Inside a SysEx: pass what has arrived, up to and including its F7.
                if count == 0:
                    break
                take = room - n
                if take > count:
                    take = count
                k = 0
                while k < take:
                    b = buf[base + head]
                    head = (head + 1) % QUEUE_BYTES
                    out[n] = b
                    n += 1
                    k += 1
                    if b == END_OF_EXCLUSIVE:
                        self.current = -1
                        self.next_source = (source + 1) % N_SOURCES
                        break
                self.head[source] = head
                self.count[source] = count - k
            else:
                take = self.left
                if take > room - n:
                    take = room - n
                for _ in range(take):
                    out[n] = buf[base + head]
                    head = (head + 1) % QUEUE_BYTES
                    n += 1
                self.head[source] = head
                self.count[source] = count - take
                self.left -= take
                if self.left == 0:
                    self.current = -1
                    self.next_source = (source + 1) % N_SOURCES
        self.sent += n
        return n

    def _next_message(self, room):
        """The source whose message goes next (round robin), or -1 if none can go now."""
        s = self.next_source
        for _ in range(N_SOURCES):
            if self.count[s]:
                if self.whole:
                    status = self.buf[s * QUEUE_BYTES + self.head[s]]
                    if status != SYSEX and LENGTH[status] > room:
                        # A USB output writes whole messages only: wait for room.
                        return -1
                return s
            s = (s + 1) % N_SOURCES
        return -1
