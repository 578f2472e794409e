"""New settings applied while MIDI flows: the old routing, whole, until the new tables replace it, and every note gets its Note Off."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from midicheck import decode, note_balance  # noqa: E402
from thruway.core import Core  # noqa: E402
from thruway.midi import N_OUTPUTS  # noqa: E402
from thruway.settings import load  # noqa: E402

HEAD = '[inputs]\nin1 = "Keys"\nin2 = "Pads"\n[outputs]\nout1 = "Synth A"\nout2 = "Synth B"\nout3 = "Drums"\n'
OLD = HEAD + '[[route]]\nfrom = "Keys"\nto = "Synth A"\n[[route]]\nfrom = "Pads"\nto = "Drums"\n'
# Channel 1 of the Keys moves from Synth A to Synth B, transposed; the pads' notes change channel.
NEW = (HEAD + '[[route]]\nfrom = "Keys"\nto = "Synth A"\nchannels = 2\n'
       '[[route]]\nfrom = "Keys"\nto = "Synth B"\nchannels = 1\ntranspose = 12\n'
       '[[route]]\nfrom = "Pads"\nto = "Drums"\nchannel = 11\n')


class Player:
    """Plays into a core and takes what every output sends, as the board's loop does between
    the pieces of applying a file: a Note On on in1 and on in2 at each call, each released
    three calls later."""

    def __init__(self, core):
        self.core = core
        self.sent = [bytearray() for _ in range(N_OUTPUTS)]
        self.buf = bytearray(256)
        self.calls = 0
        self.now = 0
        self.on = []  # (port, status, key) not yet released, oldest first

    def play(self, port, data):
        self.core.receive(port, bytes(data), len(data), self.now)

    def drain(self):
        for o in range(N_OUTPUTS):
            while True:
                n = self.core.transmit(o, self.buf, len(self.buf))
                if not n:
                    break
                self.sent[o].extend(self.buf[:n])

    def between(self):
        self.calls += 1
        self.now += 1
        key = 24 + self.calls % 80
        for port, status in ((0, 0x90), (1, 0x99)):
            self.play(port, (status, key, 100))
            self.on.append((port, status, key))
        while len(self.on) > 6:
            port, status, key = self.on.pop(0)
            self.play(port, (status & 0x0F | 0x80, key, 64))
        self.drain()

    def release_all(self):
        for port, status, key in self.on:
            self.play(port, (status & 0x0F | 0x80, key, 64))
        self.on = []
        self.drain()


def test_notes_received_while_the_new_tables_are_made_keep_the_old_routing_and_get_their_note_offs():
    """While Core.apply makes the new tables, calling `between` every few statuses, the notes the
    core receives there go by the old routing alone; at the swap, the notes still sounding whose
    route changed get their Note Off where they went, and the later key releases send nothing
    more there. Every Note On on every output gets exactly one Note Off, and notes after the
    swap take the new routing."""
    core = Core(load(OLD))
    player = Player(core)
    owed = core.apply(load(NEW), between=player.between)
    during = [bytes(s) for s in player.sent]
    assert player.calls >= 2 * 28  # two inputs' tables, a call every 4 of their 112 statuses
    # The old routing, whole: every Note On and Note Off received went to Synth A or to the
    # Drums on channel 1, as it came, and nothing to Synth B.
    assert during[1] == b"" and during[3] == b"" and during[4] == b""
    _, synth_a = decode(during[0])
    _, drums = decode(during[2])
    assert len(synth_a) == len(drums) == 2 * player.calls - 3  # each input's Note Ons, all but 3 released
    assert all(m.channel == 0 for m in synth_a) and all(m.channel == 9 for m in drums)
    # What was sounding at the swap got its Note Off there (the pads' too: their channel changed).
    sounding = len(player.on)
    assert len(owed) == sounding == 6
    # From now on, the new routing.
    player.release_all()
    for key in (60, 62):
        player.play(0, (0x90, key, 90))
        player.play(0, (0x80, key, 0))
    player.drain()
    for o in range(N_OUTPUTS):
        _, messages = decode(bytes(player.sent[o]))
        assert all(v == 0 for v in note_balance(messages).values()), o
    _, synth_b = decode(bytes(player.sent[1]))
    assert [(m.type, m.note) for m in synth_b] == [("note_on", 72), ("note_off", 72), ("note_on", 74), ("note_off", 74)]
    # Synth A got the 3 Note Offs owed at the swap, and nothing of the key releases after it.
    assert len(decode(bytes(player.sent[0]))[1]) == len(synth_a) + 3
