"""A computer's MIDI ports for `thruway monitor` and `thruway run`: opening them, whole messages, one-line decoding."""

import mido

from thruway.midi import (
    LENGTH,
    SYSEX,
    END_OF_EXCLUSIVE,
    CLOCK,
    UNDEFINED_F9,
    UNDEFINED_FD,
)

BACKEND = "mido.backends.rtmidi"
VIRTUAL_PREFIX = "virtual:"
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


class MidiUnavailable(Exception):
    """No MIDI system to open ports with; the message says why and what to do."""


class PortNotFound(Exception):
    """A device name that matches no port, or more than one."""


# ---- the MIDI system ----------------------------------------------------------------------


class MidoSystem:
    """The computer's MIDI ports through a mido backend (python-rtmidi by default).

    Ports follow mido's port API: inputs have poll()/iter_pending()/receive(), outputs
    send(message); both close()."""

    def __init__(self, backend):
        self.backend = backend

    def input_names(self):
        return self.backend.get_input_names()

    def output_names(self):
        return self.backend.get_output_names()

    def open_input(self, name):
        if name.startswith(VIRTUAL_PREFIX):
            return self.backend.open_input(name[len(VIRTUAL_PREFIX):], virtual=True)
        return self.backend.open_input(name)

    def open_output(self, name):
        if name.startswith(VIRTUAL_PREFIX):
            return self.backend.open_output(name[len(VIRTUAL_PREFIX):], virtual=True)
        return self.backend.open_output(name)


def rtmidi_install_command():
    """The command that installs python-rtmidi into the Python running this `thruway` (Thruway is
    not on PyPI, so `pip install 'thruway[midi]'` cannot work): its pip, and the version range
    the package's `midi` extra asks for."""
    import shlex
    import sys

    wanted = "python-rtmidi"
    try:
        from importlib.metadata import requires

        for requirement in requires("thruway") or ():
            if requirement.startswith("python-rtmidi") and "extra" in requirement:
                wanted = requirement.split(";", 1)[0].strip()
    except Exception:  # no metadata (run from a bare checkout): the name alone will do
        pass
    return "%s -m pip install %s" % (shlex.quote(sys.executable), shlex.quote(wanted))


def open_system(backend=BACKEND):
    """The computer's MIDI system, or MidiUnavailable saying clearly why there is none."""
    try:
        chosen = mido.Backend(backend, load=True)
    except ImportError as e:
        raise MidiUnavailable(
            "MIDI ports need python-rtmidi, which is not installed or does not load (%s). "
            "Install it with: %s (on a 32-bit Raspberry Pi OS it builds from "
            "source: first sudo apt install libasound2-dev)" % (e, rtmidi_install_command())
        )
    system = MidoSystem(chosen)
    try:
        system.input_names()
        system.output_names()
    except Exception as e:  # rtmidi raises its own error types when the system has no MIDI
        raise MidiUnavailable(
            "no MIDI system here (%s). On Linux, MIDI ports need the ALSA sequencer: /dev/snd/seq must "
            "exist (sudo modprobe snd-seq) and be readable by you (the audio group); a container or "
            "a machine without sound has none" % (str(e).strip().rstrip(".") or type(e).__name__)
        )
    return system


def open_or_explain(command, system=None):
    """For `thruway COMMAND`: the MIDI system (or `system` when given), or None after saying
    on stderr why there is none."""
    import sys

    if system is None:
        try:
            system = open_system()
        except MidiUnavailable as e:
            print("thruway %s: %s" % (command, e), file=sys.stderr)
    return system


def list_ports(system, write=print):
    write("MIDI inputs:  " + ("; ".join(system.input_names()) or "none"))
    write("MIDI outputs: " + ("; ".join(system.output_names()) or "none"))


def find_port(word, names, kind):
    """The port name `word` means: exact, then ignoring case, then the one name containing it.

    `virtual:NAME` passes as it is (a port this program creates). PortNotFound otherwise,
    listing the ports there are."""
    if word.startswith(VIRTUAL_PREFIX):
        return word
    if word in names:
        return word
    folded = word.lower()
    same = [n for n in names if n.lower() == folded]
    if len(same) == 1:
        return same[0]
    containing = [n for n in names if folded in n.lower()]
    if len(containing) == 1:
        return containing[0]
    listing = "; ".join(repr(n) for n in names) if names else "none: is it plugged in?"
    if containing:
        raise PortNotFound("%r matches %d MIDI %s ports: %s. Give more of the name" % (word, len(containing), kind, "; ".join(repr(n) for n in containing)))
    raise PortNotFound("no MIDI %s port matches %r. The %s ports are: %s" % (kind, word, kind, listing))


# ---- whole messages -----------------------------------------------------------------------


class WholeMessages:
    """Splits an output's byte stream into whole messages, for ports that take messages.

    The core's DIN outputs may put a realtime byte (clock, start...) between the bytes of a
    message and may use running status. A computer's port takes each message whole: here a
    realtime byte comes out at once as its own message, running status is written out in
    full and a SysEx comes out when its F7 arrives."""

    def __init__(self):
        self.status = 0  # running status (channel messages), 0: none
        self.need = 0  # bytes the message in progress has in all
        self.message = bytearray()
        self.in_sysex = False
        self.stray = 0  # data bytes that belong to no message (never from the core)

    def feed(self, data):
        """The whole messages completed by `data`, as a list of bytes objects."""
        out = []
        for b in data:
            if b >= CLOCK:
                if b not in (UNDEFINED_F9, UNDEFINED_FD):
                    out.append(bytes((b,)))
            elif b == SYSEX:
                self.in_sysex = True
                self.status = 0
                self.message = bytearray((b,))
            elif b == END_OF_EXCLUSIVE:
                if self.in_sysex:
                    self.message.append(b)
                    out.append(bytes(self.message))
                    self.in_sysex = False
                self.message = bytearray()
                self.status = 0
            elif b & 0x80:
                self.in_sysex = False
                self.need = LENGTH[b]
                self.status = b if b < 0xF0 else 0
                self.message = bytearray((b,))
                if self.need == 1:
                    out.append(bytes(self.message))
                    self.message = bytearray()
            elif self.in_sysex:
                self.message.append(b)
            elif self.message:
                self.message.append(b)
                if len(self.message) == self.need:
                    out.append(bytes(self.message))
                    self.message = bytearray()
            elif self.status:
                # Running status: a data byte after a whole channel message starts another.
                self.need = LENGTH[self.status]
                self.message = bytearray((self.status, b))
                if self.need == 2:
                    out.append(bytes(self.message))
                    self.message = bytearray()
            else:
                self.stray += 1
        return out


# ---- one line a message -------------------------------------------------------------------


def note_name(note):
    """60 -> 'C4' (middle C is C4)."""
    return "%s%d" % (NOTE_NAMES[note % 12], note // 12 - 1)


def describe(data):
    """A whole message in words, channels 1-16, decoded by mido: 'note on  ch 5  C4 (60) vel 100'."""
    try:
        msg = mido.Message.from_bytes(bytes(data))
    except ValueError:
        return "not a MIDI message: " + bytes(data).hex(" ")
    t = msg.type
    if hasattr(msg, "channel"):
        ch = "ch %-2d" % (msg.channel + 1)
        if t == "note_on" and msg.velocity == 0:
            return "note off %s %s (%d) (note on, velocity 0)" % (ch, note_name(msg.note), msg.note)
        if t in ("note_on", "note_off"):
            return "%s %s %s (%d) vel %d" % (t.replace("_", " ").ljust(8), ch, note_name(msg.note), msg.note, msg.velocity)
        if t == "polytouch":
            return "poly touch %s %s (%d) %d" % (ch, note_name(msg.note), msg.note, msg.value)
        if t == "control_change":
            return "cc       %s %d = %d" % (ch, msg.control, msg.value)
        if t == "program_change":
            return "program  %s %d" % (ch, msg.program)
        if t == "aftertouch":
            return "aftertouch %s %d" % (ch, msg.value)
        if t == "pitchwheel":
            return "pitch bend %s %+d" % (ch, msg.pitch)
    if t == "sysex":
        shown = bytes(data[:12]).hex(" ")
        more = " ..." if len(data) > 12 else ""
        return "sysex    %d bytes: %s%s" % (len(data), shown, more)
    if t == "songpos":
        return "song position %d (sixteenths)" % msg.pos
    if t == "song_select":
        return "song select %d" % msg.song
    if t == "quarter_frame":
        return "MTC quarter frame %d:%d" % (msg.frame_type, msg.frame_value)
    return t.replace("_", " ")


def timestamp(seconds):
    """Seconds since the start, to the millisecond: '   12.345'."""
    return "%9.3f" % seconds


class ClockRate:
    """Tempo from clock bytes (24 a quarter note), reported at most once a second, so a
    monitor shows clock as a tempo instead of 48 lines a second. A doubled clock reads as
    twice the tempo."""

    PER_QUARTER = 24

    def __init__(self, every=1.0):
        self.every = every
        self.first = None
        self.count = 0

    def tick(self, now):
        """Count a clock at `now` (seconds); a tempo in BPM when one is due, else None."""
        if self.first is None:
            self.first = now
            self.count = 0
            return None
        self.count += 1
        span = now - self.first
        if span < self.every:
            return None
        bpm = 60.0 * self.count / (self.PER_QUARTER * span)
        self.first = now
        self.count = 0
        return bpm

    def stop(self):
        self.first = None
        self.count = 0
