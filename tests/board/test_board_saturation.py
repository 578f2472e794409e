"""Both DIN inputs saturated for ten virtual seconds: no input byte lost, no write ever blocks the loop."""

import time

from boardkit import MS, busy_fraction, messages, traffic
from thruway_host.virtualboard import BYTE_US

SECONDS = 10
N = 3125 * SECONDS  # bytes a DIN input carries in ten seconds, back to back


def test_two_saturated_inputs_for_ten_seconds(vb):
    """Ten virtual seconds of both inputs at full speed, merged to every output (2:1 oversubscribed):
    every input byte is read (none lost in a UART), no write blocks the loop at all (the bound
    is one byte time), every DIN output is kept busy, and every output is whole, valid MIDI
    (what does not fit is dropped by the merger's policy and counted, not by the hardware).
    supervisor.ticks_ms wraps at 2**29 two seconds in: nothing notices."""
    vb.run_boot()
    code_start = vb.clock.now
    t0 = code_start + 100 * MS
    end_a = vb.din(0).send(traffic(11, N), at=t0)
    end_b = vb.din(1).send(traffic(12, N, channel=1), at=t0)
    started = time.perf_counter()
    loop = vb.run_code(SECONDS + 0.5)["loop"]
    host_seconds = time.perf_counter() - started
    assert code_start < 65_000_000 < min(end_a, end_b)  # the first wrap, 65 s after power-on
    for i in range(2):
        assert vb.din(i).overrun == 0
        assert vb.din(i).read == N
    assert loop.bytes_in[:2] == [N, N]
    assert vb.blocked(since=code_start) <= BYTE_US  # (a NeoPixel or a status LED write would count)
    assert vb.blocked("write", since=code_start) == 0
    for o in range(4):
        assert busy_fraction(vb.wire(o), t0 + 10 * MS, min(end_a, end_b)) > 0.97
        messages(vb.out_bytes(o))
    messages(vb.usb_bytes())
    drops = loop.core.stats()["outputs"]["out1"]
    assert drops["dropped_note_off"] == 0 and drops["dropped_droppable"] > 0
    passes = vb.cost.charged["ticks_ms"]  # the loop reads the clock once a pass
    print(
        "saturated 10 s: %d passes, mean %d us (virtual); host %.2f s, %.1f us a pass"
        % (passes, (vb.clock.now - code_start) // passes, host_seconds, host_seconds * 1e6 / passes)
    )
    assert host_seconds < 20
