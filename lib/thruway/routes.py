"""Routing compiled from the settings into lookup tables: per input and status byte, where it goes."""

from thruway.midi import (
    N_INPUTS,
    N_OUTPUTS,
    CHANNEL_TYPE,
    T_SYSEX,
    T_COMMON,
)


class Route:
    """One route as the settings wrote it, ports and channels 0-based.

    `outputs` and `channels` are bit masks; `channel` is the rewrite (-1: keep); `types` is a
    mask of the message-type bits of midi.TYPE_NAMES. Notes (and their polyphonic aftertouch)
    pass only from key `low` to `high`, moved by `transpose` semitones; a Note On passes only
    with a velocity from `soft` to `hard`, then takes velocity[v] if `velocity` (a 128-byte
    curve) is given."""

    def __init__(self, source, outputs, channels=0xFFFF, channel=-1, types=0xFF, line=0,
                 low=0, high=127, transpose=0, soft=1, hard=127, velocity=None):
        self.source = source
        self.outputs = outputs
        self.channels = channels
        self.channel = channel
        self.types = types
        self.line = line
        self.low = low
        self.high = high
        self.transpose = transpose
        self.soft = soft
        self.hard = hard
        self.velocity = velocity
        self.velocity_text = ""  # the curve's name as the settings wrote it, for describe()


class Tables:
    """Flat lookup tables: routing a message is an index and a short loop.

    channel[input][status - 0x80] is a bytes of (output, rewritten status) pairs; sysex[input],
    common[input] and reach[input] are output bit masks (reach: every output a route from that
    input names)."""

    def __init__(self, routes):
        empty = b""
        self.channel = []
        self.sysex = [0] * N_INPUTS
        self.common = [0] * N_INPUTS
        self.reach = [0] * N_INPUTS
        self.out_channels = [0] * N_OUTPUTS  # per output, the channels routes can send it
        for source in range(N_INPUTS):
            pairs = [[] for _ in range(112)]  # type: list
            for route in routes:
                if route.source != source:
                    continue
                self.reach[source] |= route.outputs
                if route.types & T_SYSEX:
                    self.sysex[source] |= route.outputs
                if route.types & T_COMMON:
                    self.common[source] |= route.outputs
                for status in range(0x80, 0xF0):
                    ch = status & 0x0F
                    if not (route.types & CHANNEL_TYPE[(status >> 4) - 8]):
                        continue
                    if not (route.channels >> ch) & 1:
                        continue
                    new_status = status if route.channel < 0 else (status & 0xF0) | route.channel
                    entry = pairs[status - 0x80]
                    for out in range(N_OUTPUTS):
                        # Two routes giving an output the same message send it once.
                        if (route.outputs >> out) & 1 and not _has_pair(entry, out, new_status):
                            entry.append(out)
                            entry.append(new_status)
                            self.out_channels[out] |= 1 << (new_status & 0x0F)
            self.channel.append([bytes(p) if p else empty for p in pairs])

    def rewrites(self, source, status, out):
        """The statuses a message `status` from `source` becomes on output `out` (sorted)."""
        pairs = self.channel[source][status - 0x80]
        return sorted(pairs[i + 1] for i in range(0, len(pairs), 2) if pairs[i] == out)


def _has_pair(entry, out, status):
    for i in range(0, len(entry), 2):
        if entry[i] == out and entry[i + 1] == status:
            return True
    return False
