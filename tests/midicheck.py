"""mido as the independent decoder: proof that a byte stream an output sent is whole, valid MIDI."""

import mido

REALTIME_FIRST = 0xF8


def decode(data, running_status=False):
    """Decode an output's bytes with mido into (realtime messages, other messages).

    Raises AssertionError unless every byte belongs to a whole, valid message: realtime bytes
    may stand anywhere (MIDI allows them between any two bytes), everything else must decode
    into messages that re-encode to exactly the bytes sent, in order. mido's parser has no
    running status and no realtime inside channel messages, so those two are taken out first
    (running status only where the output was set to use it)."""
    realtime = []
    rest = bytearray()
    for b in data:
        if b >= REALTIME_FIRST:
            realtime.append(mido.Message.from_bytes([b]))
        else:
            rest.append(b)
    if running_status:
        rest = expand_running_status(rest)
    parser = mido.Parser()
    parser.feed(bytes(rest))
    messages = list(parser)
    encoded = bytearray()
    for m in messages:
        encoded.extend(m.bytes())
    assert encoded == rest, "not whole valid MIDI: sent %s, mido read %s" % (rest.hex(" "), encoded.hex(" "))
    return realtime, messages


def expand_running_status(data):
    """The same stream with every status byte written out (for a decoder without running status)."""
    out = bytearray()
    status = 0
    need = 0
    have = 0
    for b in data:
        if b >= 0x80:
            out.append(b)
            status = b if b < 0xF0 else 0
            need = (2 if b < 0xC0 or b >= 0xE0 else 1) if b < 0xF0 else 0
            have = 0
            continue
        if status and have == need:
            out.append(status)
            have = 0
        out.append(b)
        have += 1
    return out


def sounding_after(messages):
    """Notes left sounding by a stream of mido messages (Note On velocity 0 ends a note)."""
    on = set()
    for m in messages:
        if m.type == "note_on" and m.velocity:
            on.add((m.channel, m.note))
        elif m.type in ("note_on", "note_off"):
            on.discard((m.channel, m.note))
        elif m.type == "control_change" and m.control == 123:
            on = set(k for k in on if k[0] != m.channel)
    return on


def voices_after(messages):
    """Voices left sounding on a synth that gives every Note On a voice of its own and ends one
    voice per Note Off (All Notes Off ends the channel's): {(channel, note): voices}."""
    voices = {}
    for m in messages:
        key = (getattr(m, "channel", -1), getattr(m, "note", -1))
        if m.type == "note_on" and m.velocity:
            voices[key] = voices.get(key, 0) + 1
        elif m.type in ("note_on", "note_off") and voices.get(key):
            voices[key] -= 1
            if not voices[key]:
                del voices[key]
        elif m.type == "control_change" and m.control == 123:
            voices = dict((k, v) for k, v in voices.items() if k[0] != m.channel)
    return voices


def note_balance(messages):
    """Per (channel, note), Note Offs minus Note Ons in a stream of mido messages."""
    balance = {}
    for m in messages:
        if m.type in ("note_on", "note_off"):
            step = 1 if m.type == "note_off" or not m.velocity else -1
            balance[(m.channel, m.note)] = balance.get((m.channel, m.note), 0) + step
    return balance
