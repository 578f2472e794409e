"""USB MIDI with and without a computer: never blocks, never sends half a message, keeps nothing for no one."""

from boardkit import MS, messages, notes, power_up

S = 1_000_000


def test_with_no_computer_the_din_outputs_work_and_nothing_waits_for_usb(vb):
    """Powered from a USB charger (no computer): DIN traffic flows, nothing is written to USB and
    the core keeps no queue for it; when a computer arrives it gets new messages only."""
    vb.usb.connected = False
    t0 = vb.clock.now
    for k in range(20):
        vb.din(0).send(bytes((0x90, 40 + k, 100)), at=t0 + 100 * MS + k * 20 * MS)
    vb.at(t0 + 1 * S, lambda: setattr(vb.usb, "connected", True))
    vb.din(0).send(b"\x90\x7f\x7f", at=t0 + 1500 * MS)
    loop = power_up(vb, 2.0)
    assert len(notes(vb.out_bytes(0))) == 21
    assert vb.usb.taken == 3 and notes(vb.usb_bytes()) == [("note_on", 1, 127)]
    assert loop.core.waiting(4) == 0


def test_a_computer_that_does_not_listen_gets_nothing_stale(vb):
    """Attached but with no application reading: the USB buffer fills, the writes never block,
    what is left is dropped after 250 ms (counted); once it listens it gets whole, new messages."""
    vb.usb.listening = False
    t0 = vb.clock.now
    for k in range(200):  # 600 bytes over 2 s: far more than the 128-byte USB buffer
        vb.din(0).send(bytes((0x90, k % 128, 100)), at=t0 + 100 * MS + k * 10 * MS)
    vb.at(t0 + 3 * S, lambda: setattr(vb.usb, "listening", True))
    vb.din(0).send(b"\xb0\x07\x40", at=t0 + 3500 * MS)
    loop = power_up(vb, 4.0)
    assert vb.blocked("usb") == 0
    got = vb.usb_bytes()
    _, msgs = messages(got)  # whole, valid MIDI
    assert msgs[-1].type == "control_change"
    assert len(msgs) - 1 == 32  # only what fitted the buffer before anyone listened
    assert loop.usb_out.discarded > 0
    assert loop.core.stats()["outputs"]["usb"]["dropped_note_on"] == 0
