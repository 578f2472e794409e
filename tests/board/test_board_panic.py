"""The panic button: a short press silences every output; bounces and a button held from power-up do not."""

from boardkit import MS, messages, power_up

S = 1_000_000


def _panic_messages(data):
    _, msgs = messages(data)
    return [(m.type, m.channel + 1, getattr(m, "note", None) or getattr(m, "control", None), getattr(m, "value", None)) for m in msgs]


def test_a_press_ends_every_sounding_note_on_every_output(vb):
    """A short press sends a Note Off for each sounding note, then All Notes Off (CC 123) and
    sustain off (CC 64 = 0) on each channel the routing sends an output (all 16 with the
    default routing), on every output."""
    t0 = vb.clock.now
    vb.din(0).send(b"\x90\x3c\x64\x90\x40\x64", at=t0 + 100 * MS)  # two notes held on channel 1
    vb.din(1).send(b"\x93\x24\x50", at=t0 + 100 * MS)  # one on channel 4
    vb.at(t0 + 1 * S, vb.press)
    vb.at(t0 + 1 * S + 80 * MS, vb.release)
    loop = power_up(vb, 1.5)
    assert loop.panics == 1
    for o in range(4):
        after = _panic_messages(vb.out_bytes(o))[3:]
        assert sorted(m for m in after if m[0] == "note_off") == [("note_off", 1, 60, None), ("note_off", 1, 64, None), ("note_off", 4, 36, None)]
        ccs = sorted(m for m in after if m[0] == "control_change")
        assert ccs == sorted(("control_change", ch, cc, 0) for ch in range(1, 17) for cc in (64, 123))
    assert loop.core.sounding(0) == []
    press = [t for t, b in vb.wire(0) if b == 0x80][0]
    assert press - (t0 + 1 * S) < 30 * MS  # debounced: 3 samples 4 ms apart, then the wire


def test_a_bounce_is_not_a_press_and_a_hold_panics_once(vb):
    """A 5 ms contact bounce does nothing; holding the button two seconds panics once."""
    t0 = vb.clock.now
    vb.din(0).send(b"\x90\x3c\x64", at=t0 + 100 * MS)
    vb.at(t0 + 500 * MS, vb.press)
    vb.at(t0 + 505 * MS, vb.release)
    vb.at(t0 + 1 * S, vb.press)
    vb.at(t0 + 3 * S, vb.release)
    loop = power_up(vb, 3.5)
    assert loop.panics == 1
    offs = [t for t, b in vb.wire(0) if b == 0x80]
    assert len(offs) == 1 and offs[0] > t0 + 1 * S


def test_the_button_held_at_power_up_is_maintenance_mode_not_a_panic(vb):
    """Holding the button while the board starts chooses maintenance mode; code.py starts with it
    still held and does not panic."""
    vb.press()
    vb.run_boot()
    loop = vb.run_code(1.0)["loop"]
    vb.release()
    assert loop.maintenance and vb.autoreload
    assert loop.panics == 0
