"""Captured MIDI streams: raw bytes, timed text and Standard MIDI Files, read into timed events."""

import os

from thruway.midi import LENGTH

# A capture is a list of (time in µs, bytes) events, in time order.


class CaptureError(Exception):
    """A capture that cannot be read; the message names the file (and line)."""


def read_capture(path, warnings=None):
    """The events of a capture file, chosen by its extension (.bin/.syx, .txt, .mid); lines
    of a .txt that are likely mistakes are added to `warnings` (a list) as `FILE:LINE: ...`."""
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in (".bin", ".syx"):
            with open(path, "rb") as f:
                data = f.read()
            return [(0, data)] if data else []
        if ext == ".txt":
            with open(path, encoding="utf-8") as f:
                return parse_timed_text(f.read(), path, warnings)
        if ext in (".mid", ".midi", ".smf"):
            return read_midi_file(path)
    except OSError as e:
        raise CaptureError("%s: cannot read it: %s" % (path, e.strerror or e))
    except UnicodeDecodeError:
        raise CaptureError("%s: a .txt capture must be text (UTF-8); raw bytes go in a .bin file" % path)
    raise CaptureError(
        "%s: unknown capture type %r: use .bin or .syx (raw bytes), .txt (timed hex) or .mid (Standard MIDI File)"
        % (path, ext or "(none)")
    )


def parse_timed_text(text, name="capture", warnings=None):
    """Events from timed text: one per line, `<milliseconds> <hex bytes>`, `#` comments. A line
    that reads as a whole message with no time before it (`90 3C 64`: 90 ms, then two stray
    data bytes) is added to `warnings` when a list is given."""
    events = []
    last = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        words = body.split()
        try:
            ms = float(words[0])
        except ValueError:
            raise CaptureError("%s:%d: %r is not a time: each line starts with milliseconds, such as 12.5 90 3C 64" % (name, lineno, words[0]))
        if ms < 0 or ms != ms or ms == float("inf"):
            raise CaptureError("%s:%d: the time %s must be 0 or more milliseconds" % (name, lineno, words[0]))
        t = int(round(ms * 1000))
        if t < last:
            raise CaptureError("%s:%d: time %s goes back: lines must be in time order" % (name, lineno, words[0]))
        last = t
        data = bytearray()
        for word in words[1:]:
            if len(word) != 2:
                raise CaptureError("%s:%d: %r is not a hex byte: write bytes as two hex digits, such as 90 3C 64" % (name, lineno, word))
            try:
                data.append(int(word, 16))
            except ValueError:
                raise CaptureError("%s:%d: %r is not a hex byte: write bytes as two hex digits, such as 90 3C 64" % (name, lineno, word))
        if not data:
            raise CaptureError("%s:%d: no bytes after the time" % (name, lineno))
        if warnings is not None and _looks_untimed(words):
            warnings.append(
                "%s:%d: warning: %s has no time: it reads as %s ms, then %s; write the time first, such as 0 %s"
                % (name, lineno, body, words[0], " ".join(words[1:]), body)
            )
        events.append((t, bytes(data)))
    return events


def _looks_untimed(words):
    """Whether a line's words are a whole channel or system message with its status byte where
    the time should be, and a data byte after it (a real time would be followed by a status)."""
    first = words[0]
    if len(first) != 2:
        return False
    try:
        status = int(first, 16)
        after = int(words[1], 16)
    except ValueError:
        return False
    if status < 0x80 or status in (0xF0, 0xF7) or after >= 0x80:
        return False
    return LENGTH[status] == len(words)


def read_midi_file(path):
    """Events from a Standard MIDI File, every track merged, at the file's own tempo."""
    import mido

    try:
        mid = mido.MidiFile(path)
    except (OSError, EOFError, ValueError, KeyError, IndexError) as e:
        raise CaptureError("%s: not a readable Standard MIDI File: %s" % (path, e))
    events = []
    seconds = 0.0
    for msg in mid:  # mido merges the tracks and turns ticks into seconds at each tempo
        seconds += msg.time
        if msg.is_meta:
            continue
        events.append((int(round(seconds * 1e6)), bytes(msg.bytes())))
    return events


def format_timed_text(timed, annotate=True, sources=None, names=None):
    """Timed text for a list of (µs, byte) that an output sent: a line per message, realtime
    bytes on lines of their own, in the exact order sent (readable back by parse_timed_text).
    With `sources` (per byte, the input it came from: -1 realtime, -2 the box itself) and
    `names` (per input), each message's comment says which input it came from."""
    from thruway.midi import LENGTH

    lines = []
    status = 0  # running status on the wire
    owed = 0  # data bytes the message on the wire still needs
    i = 0
    n = len(timed)
    while i < n:
        t, b = timed[i]
        first = i
        group = [b]
        i += 1
        note = None
        if b >= 0xF8:
            pass
        elif b == 0xF0 or (b < 0x80 and status == 0xF0):
            # SysEx (or the rest of one cut by realtime): up to its F7.
            while i < n and (timed[i][1] < 0x80 or timed[i][1] == 0xF7):
                group.append(timed[i][1])
                i += 1
                if group[-1] == 0xF7:
                    break
            status = 0 if group[-1] == 0xF7 else 0xF0
            if b < 0x80:
                note = "more of the SysEx"
            elif status:
                note = "start of a SysEx, cut by realtime"
        else:
            if b >= 0x80:
                status = b if b != 0xF7 else 0
                owed = LENGTH[b] - 1 if b != 0xF7 else 0
                if b >= 0xF0:
                    status = 0
            elif owed == 0 and status:
                owed = LENGTH[status] - 1
                note = "running status: " + (describe_bytes([status] + [x for _, x in timed[i - 1 : i - 1 + owed]]) or "")
            else:
                note = "rest of a message cut by realtime"
            want = owed - (0 if b >= 0x80 else 1)
            while want > 0 and i < n and timed[i][1] < 0x80:
                group.append(timed[i][1])
                i += 1
                want -= 1
            owed = want
        text = "%.3f %s" % (t / 1000.0, " ".join("%02X" % x for x in group))
        if annotate:
            if note is None:
                note = describe_bytes(group) if (group[0] >= 0xF8 or owed == 0) else "start of a message cut by realtime"
            if sources is not None and names is not None and group[0] < 0xF8:
                src = sources[first]
                note = ("from %s: " % names[src] if src >= 0 else "from the box: " if src == -2 else "") + (note or "")
            if note:
                text = "%-28s # %s" % (text, note)
        lines.append(text)
    return "\n".join(lines) + ("\n" if lines else "")


def describe_bytes(group):
    """A short reading of a whole message in the words `thruway monitor` uses (channels 1-16,
    notes as C4 (60)), via mido."""
    import mido

    from thruway_host.midiports import describe

    try:
        mido.Message.from_bytes(group)
    except (ValueError, TypeError):
        return "incomplete message"
    return " ".join(describe(group).split())
