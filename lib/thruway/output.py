"""One output's merger: a queue per source, realtime first, whole messages, bounded, drops counted."""

from thruway.midi import LENGTH, SYSEX, END_OF_EXCLUSIVE, N_OUTPUTS, const

# Sources of an output's messages: the three inputs, then the core itself (panic).
N_SOURCES = const(4)
SOURCE_CORE = const(3)

QUEUE_BYTES = const(256)  # per source and output: 80 ms of DIN wire time
QUEUE_MASK = const(255)
REALTIME_BYTES = const(32)
REALTIME_MASK = const(31)
# Free bytes a queue keeps back from each class of message, so that what must not be lost
# still finds room when an oversubscribed output falls behind.
RESERVE_DROPPABLE = const(128)  # CC, pressure and pitch bend stop at half full
RESERVE_OTHER = const(24)  # notes on, programs, system common, SysEx start
RESERVE_SYSEX_END = const(1)  # the F7 that closes a SysEx always has its byte
# Besides these, every queue keeps back the room its owed Note Offs need (Queues.owed), up to
# OWED_MOST bytes: while no more than 32 strikes of keys (and pedals down) sound from one input
# on one output, their Note Offs (and pedal ups) always find room. More notes than that still
# pass (a queue kept for more would leave too little room for anything else: a DAW's or a
# drum machine's Note Ons would be refused on an empty output); their Note Offs then share
# the room kept for 32.
OWED_MOST = const(96)

# Drop kinds, counted per output.
DROP_DROPPABLE = const(0)  # CC, aftertouch, polytouch, pitch bend dropped by policy
DROP_NOTE_ON = const(1)
DROP_NOTE_OFF = const(2)  # a Note Off or pedal up whose room was kept: never happens
DROP_OTHER = const(3)  # program change, system common
DROP_SYSEX = const(4)  # a whole SysEx not started for want of room
DROP_SYSEX_CUT = const(5)  # a SysEx cut short (closed early with F7) for want of room
DROP_REALTIME = const(6)
DROP_PEDAL_MODE = const(7)  # pedal up with no pedal down passed, channel mode (CC 120-127)
N_DROPS = const(8)
DROP_NAMES = ("droppable", "note_on", "note_off", "other", "sysex", "sysex_cut", "realtime", "pedal_up_or_mode")


class Queues:
    """Every output's queues in flat arrays, so that the core's hot path can fill them with a
    few index operations. Queue q = output * N_SOURCES + source holds bytes
    buf[q * QUEUE_BYTES ...], a ring from head[q], count[q] bytes long."""

    def __init__(self):
        n = N_OUTPUTS * N_SOURCES
        self.buf = bytearray(n * QUEUE_BYTES)
        self.head = [0] * n
        self.count = [0] * n
        self.deepest = [0] * N_OUTPUTS  # most bytes ever waiting in one queue of an output
        self.rt = bytearray(N_OUTPUTS * REALTIME_BYTES)  # realtime rings, one per output
        self.rt_head = [0] * N_OUTPUTS
        self.rt_count = [0] * N_OUTPUTS
        # Per queue, the bytes of the Note Offs (and pedal ups) it owes: 3 for each message
        # the core will send there when a key (or the pedal) whose Note On passed is released.
        # Nothing else may take this room, so those always go out.
        self.owed = [0] * n
        # Bit per output with anything queued, so that the shell asks only those for bytes.
        self.pending = 0
        # Bit per output with realtime waiting, so that the shell serves those first.
        self.realtime = 0


class Output:
    """Merges messages from several sources onto one wire without ever interleaving two.

    Messages enter whole (SysEx byte by byte) into the queue of their source; `transmit` hands
    the wire up to `room` bytes, realtime first. A DIN output may stop mid-message and resume;
    a `whole` (USB) output only ever hands out whole messages."""

    def __init__(self, queues, index, whole):
        self.queues = queues
        self.index = index
        self.q0 = index * N_SOURCES
        self.whole = whole
        self.running_status = False
        self.current = -1  # source whose message is on the wire, -1 between messages
        self.source = -1  # source of the last message started (for listings: which input)
        self.left = 0  # bytes of that message still to send; -1 inside a SysEx
        self.next_source = 0
        self.last_status = 0  # for running status on the wire
        self.drops = [0] * N_DROPS
        self.sent = 0  # bytes handed to the wire
        self.channels_used = 0  # bit per channel the routing has sent this output
        # The queues' arrays, held here too, in one tuple (one attribute: instances are kept small).
        self.arrays = (queues.buf, queues.head, queues.count, queues.rt_count)

    # ---- filling (the core's hot path writes the queues itself; these serve the rest) ----

    def put3(self, source, status, d1, d2, length, reserve):
        """Queue a whole message of 1-3 bytes if it leaves `reserve` bytes free besides the room
        owed to Note Offs; True if queued."""
        qs = self.queues
        q = self.q0 + source
        count = qs.count[q]
        owed = qs.owed[q]
        if owed > OWED_MOST:
            owed = OWED_MOST
        if QUEUE_BYTES - count - length - owed < reserve:
            return False
        return self._put(q, count, status, d1, d2, length)

    def put_owed(self, source, status, d1, d2):
        """Queue a Note Off (or pedal up) whose room was kept for it; True if queued (always,
        unless the room it was owed was never kept)."""
        qs = self.queues
        q = self.q0 + source
        count = qs.count[q]
        if QUEUE_BYTES - count < 3:
            return False
        return self._put(q, count, status, d1, d2, 3)

    def _put(self, q, count, status, d1, d2, length):
        qs = self.queues
        buf = qs.buf
        base = q * QUEUE_BYTES
        i = qs.head[q] + count
        buf[base + (i & QUEUE_MASK)] = status
        if length > 1:
            buf[base + ((i + 1) & QUEUE_MASK)] = d1
            if length > 2:
                buf[base + ((i + 2) & QUEUE_MASK)] = d2
        count += length
        qs.count[q] = count
        qs.pending |= 1 << self.index
        if count > qs.deepest[self.index]:
            qs.deepest[self.index] = count
        return True

    def put_byte(self, source, byte, reserve):
        """Queue one byte of a SysEx if it leaves `reserve` bytes free; True if queued."""
        return self.put3(source, byte, 0, 0, 1, reserve)

    def put_realtime(self, byte):
        qs = self.queues
        o = self.index
        count = qs.rt_count[o]
        if count == REALTIME_BYTES:
            self.drops[DROP_REALTIME] += 1
            return
        qs.rt[o * REALTIME_BYTES + ((qs.rt_head[o] + count) & REALTIME_MASK)] = byte
        qs.rt_count[o] = count + 1
        qs.pending |= 1 << o
        qs.realtime |= 1 << o

    def waiting(self):
        """Bytes waiting to go out on this output."""
        qs = self.queues
        q = self.q0
        return qs.rt_count[self.index] + qs.count[q] + qs.count[q + 1] + qs.count[q + 2] + qs.count[q + 3]

    def deepest(self):
        return self.queues.deepest[self.index]

    def clear(self):
        """Forget everything queued (used when no one listens, e.g. USB with no computer)."""
        qs = self.queues
        for q in range(self.q0, self.q0 + N_SOURCES):
            qs.head[q] = 0
            qs.count[q] = 0
        qs.rt_count[self.index] = 0
        qs.pending &= ~(1 << self.index)
        qs.realtime &= ~(1 << self.index)
        self.current = -1
        self.left = 0
        self.last_status = 0

    def silence_pending(self):
        """Turn every Note On still waiting in a queue into a Note Off (velocity 0), for panic:
        nothing queued before the panic may start a note after it."""
        qs = self.queues
        buf = qs.buf
        for source in range(N_SOURCES):
            q = self.q0 + source
            base = q * QUEUE_BYTES
            head = qs.head[q]
            count = qs.count[q]
            i = 0
            if source == self.current:
                if self.left < 0:
                    continue  # a SysEx is on the wire: what follows it is not yet known
                i = self.left
            while i < count:
                status = buf[base + ((head + i) & QUEUE_MASK)]
                if status == SYSEX:
                    while i < count and buf[base + ((head + i) & QUEUE_MASK)] != END_OF_EXCLUSIVE:
                        i += 1
                    i += 1
                    continue
                if (status & 0xF0) == 0x90 and i + 2 < count:
                    buf[base + ((head + i + 2) & QUEUE_MASK)] = 0
                i += LENGTH[status] or 1

    # ---- draining ---------------------------------------------------------------------

    def transmit(self, out, room):
        """Write up to `room` bytes for the wire into `out` (from index 0); return how many."""
        # The board runs this for every message an output sends: the common case (one whole
        # channel message waiting, no realtime) takes the fewest steps, and the queues' arrays
        # are held by this object so that each is one lookup.
        o = self.index
        buf, heads, counts, rt_counts = self.arrays
        current = self.current
        n = 0
        if rt_counts[o] and (current < 0 or not self.whole):
            # Realtime goes first, between any two bytes on a DIN wire (a USB output's waits
            # for the message on its way to end: USB-MIDI packets carry whole messages).
            n = self._realtime_out(out, room)
            if n == room:
                self.sent += n
                return n
        q0 = self.q0
        left = self.left
        while n < room:
            if current < 0:
                if rt_counts[o]:
                    # A USB output's realtime waited for this message boundary.
                    n += self._realtime_out(out, room, n)
                    if n == room:
                        break
                # Between messages: the next source with a message, taking turns.
                s = self.next_source
                if not counts[q0 + s]:
                    s = (s + 1) & 3
                    if not counts[q0 + s]:
                        s = (s + 1) & 3
                        if not counts[q0 + s]:
                            s = (s + 1) & 3
                            if not counts[q0 + s]:
                                if not rt_counts[o]:
                                    # Every queue of this output is empty: the shell need
                                    # not ask it again.
                                    self.queues.pending &= ~(1 << o)
                                break
                current = s
                self.source = s
                q = q0 + s
                status = buf[q * QUEUE_BYTES + heads[q]]
                if status == SYSEX:
                    left = -1
                    self.last_status = 0
                else:
                    left = LENGTH[status]
                    if left > room - n and self.whole:
                        # A USB output writes whole messages only: wait for room.
                        current = -1
                        break
                    if status >= 0xF0:
                        # System common cancels running status on the wire too.
                        self.last_status = 0
                    elif status == self.last_status and self.running_status:
                        # Running status: the receiver still holds this status byte.
                        heads[q] = (heads[q] + 1) & QUEUE_MASK
                        counts[q] -= 1
                        left -= 1
                    else:
                        self.last_status = status
            q = q0 + current
            base = q * QUEUE_BYTES
            head = heads[q]
            count = counts[q]
            if left < 0:
                # Inside a SysEx: pass what has arrived, up to and including its F7.
                if count == 0:
                    if not rt_counts[o] and not (counts[q0] or counts[q0 + 1] or counts[q0 + 2] or counts[q0 + 3]):
                        # Nothing to send until more of the SysEx arrives (which marks it again).
                        self.queues.pending &= ~(1 << o)
                    break
                take = room - n
                if take > count:
                    take = count
                k = 0
                while k < take:
                    b = buf[base + head]
                    head = (head + 1) & QUEUE_MASK
                    out[n] = b
                    n += 1
                    k += 1
                    if b == END_OF_EXCLUSIVE:
                        self.next_source = (current + 1) & 3
                        current = -1
                        break
                heads[q] = head
                counts[q] = count - k
                continue
            take = room - n
            if take > left:
                take = left
            out[n] = buf[base + head]
            if take > 1:
                out[n + 1] = buf[base + ((head + 1) & QUEUE_MASK)]
                if take > 2:
                    out[n + 2] = buf[base + ((head + 2) & QUEUE_MASK)]
            n += take
            heads[q] = (head + take) & QUEUE_MASK
            counts[q] = count - take
            left -= take
            if left == 0:
                self.next_source = (current + 1) & 3
                current = -1
        self.current = current
        self.left = left
        self.sent += n
        return n

    def _realtime_out(self, out, room, n=0):
        """Move waiting realtime bytes into out[n:] (up to room); return how many."""
        qs = self.queues
        o = self.index
        rt = qs.rt
        base = o * REALTIME_BYTES
        head = qs.rt_head[o]
        count = qs.rt_count[o]
        start = n
        while count and n < room:
            out[n] = rt[base + head]
            head = (head + 1) & REALTIME_MASK
            count -= 1
            n += 1
        qs.rt_head[o] = head
        qs.rt_count[o] = count
        if not count:
            qs.realtime &= ~(1 << o)
        return n - start
