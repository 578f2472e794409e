"""Fake `usb_midi` for the virtual board: one PortIn and one PortOut (cable 0), names set in boot.py."""

_vb = None
ports = ()


class PortIn:
    """Receives MIDI from the computer."""

    def __init__(self):
        raise TypeError("cannot create 'usb_midi.PortIn' instances")

    def read(self, nbytes=None):
        data = _vb.usb.read(128 if nbytes is None else nbytes)
        _vb.charge("usb.read", len(data))
        return data

    def readinto(self, buf, nbytes=None):
        n = len(buf) if nbytes is None else min(nbytes, len(buf))
        data = _vb.usb.read(n)
        buf[: len(data)] = data
        _vb.charge("usb.readinto", len(data))
        return len(data)


class PortOut:
    """Sends MIDI to the computer; never blocks."""

    def __init__(self):
        raise TypeError("cannot create 'usb_midi.PortOut' instances")

    def write(self, buf):
        n = _vb.usb.write(bytes(buf))
        _vb.charge("usb.write", n)
        return n


def _boot_only(what):
    if _vb.phase != "boot":
        raise RuntimeError("Cannot change USB devices now")
    _vb.usb_calls.append(what)


def enable():
    _boot_only(("usb_midi.enable",))
    _vb.usb_midi_enabled = True


def disable():
    _boot_only(("usb_midi.disable",))
    _vb.usb_midi_enabled = False


def set_names(*, streaming_interface_name=None, audio_control_interface_name=None, in_jack_name=None, out_jack_name=None):
    """Must be called in boot.py to have any effect (outside it, it does nothing)."""
    names = dict(
        streaming_interface_name=streaming_interface_name,
        audio_control_interface_name=audio_control_interface_name,
        in_jack_name=in_jack_name,
        out_jack_name=out_jack_name,
    )
    for key, value in names.items():
        if value is not None and (len(value) > 126 or not all(32 <= ord(c) < 127 for c in value)):
            raise ValueError("%s must be ASCII, at most 126 characters" % key)
    if _vb.phase == "boot":
        _vb.usb_calls.append(("usb_midi.set_names", names))
        _vb.usb_names.update((k, v) for k, v in names.items() if v is not None)


def _install(vb):
    global _vb, ports
    _vb = vb
    port_in = object.__new__(PortIn)
    port_out = object.__new__(PortOut)
    ports = (port_in, port_out) if vb.usb_midi_enabled else ()
