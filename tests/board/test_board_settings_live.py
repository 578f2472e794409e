"""A saved thruway.toml is applied by the running loop: no reload, no silence, no stuck notes; a bad one changes nothing but the light."""

import os

from boardkit import MS, notes, power_up, traffic

TO_OUT1 = '[[route]]\nfrom = "in1"\nto = "out1"\n'
TO_OUT2 = '[[route]]\nfrom = "in1"\nto = "out2"\n'
CLOCK_ROUTE = '\n[[route]]\nfrom = "in2"\nto = "out3"\n'
BROKEN = '# a typo on line 4\n[[route]]\nfrom = "in1"\nto = "out9"\n'
S = 1_000_000


def _applied_at(vb, text):
    return [t for t, line in vb.console.lines if text in line]


def test_a_saved_file_is_applied_live_with_the_note_offs_owed(vb):
    """Editing the route of a sounding note sends its Note Off where the note went, at once; later
    notes take the new route; the same loop runs on (no reload) and a clock passing through
    another route is never interrupted."""
    vb.save("thruway.toml", TO_OUT1 + CLOCK_ROUTE, pause_us=0)
    t0 = vb.clock.now
    vb.din(0).send(b"\x90\x3c\x64", at=t0 + 200 * MS)  # C4 on, routed to out1
    for k in range(300):  # a clock on in2, every 10 ms for 3 s
        vb.din(1).send(b"\xf8", at=t0 + 100 * MS + k * 10 * MS)
    vb.save_at(t0 + 1 * S, "thruway.toml", TO_OUT2 + CLOCK_ROUTE)  # C4 still held
    vb.din(0).send(b"\x90\x3e\x64", at=t0 + 2 * S)  # D4 on: the new route
    vb.din(0).send(b"\x80\x3c\x40\x80\x3e\x40", at=t0 + 2500 * MS)  # both released
    loop = power_up(vb, 3.2)
    assert notes(vb.out_bytes(0)) == [("note_on", 1, 60), ("note_off", 1, 60)]
    assert notes(vb.out_bytes(1)) == [("note_on", 1, 62), ("note_off", 1, 62)]
    off_at = [t for t, b in vb.wire(0) if b == 0x80][0]
    assert t0 + 1 * S < off_at < t0 + 2 * S  # sent when the file was applied, not at the key release
    assert loop.reloads == 1 and loop.reload_errors == 0
    assert len(_applied_at(vb, "thruway.toml applied, 2 routes; 1 Note Off sent")) == 1
    clock = [t for t, b in vb.wire(2) if b == 0xF8]
    assert len(clock) == 300
    assert max(b - a for a, b in zip(clock, clock[1:])) < 10 * MS + vb.drive.pause_us


def test_a_file_with_errors_leaves_the_routing_and_says_why(vb):
    """A saved file with a mistake is not applied: notes keep their route, the console prints the
    error with its line number, and the status LED blinks three times a second until the file
    is fixed."""
    vb.save("thruway.toml", TO_OUT1, pause_us=0)
    t0 = vb.clock.now
    vb.save_at(t0 + 1 * S, "thruway.toml", BROKEN)
    vb.din(0).send(b"\x90\x3c\x64", at=t0 + 2 * S)
    vb.save_at(t0 + 4 * S, "thruway.toml", TO_OUT2)
    loop = power_up(vb, 5.5)
    # The note kept its route through the bad file; the good one ended it where it went.
    assert notes(vb.out_bytes(0)) == [("note_on", 1, 60), ("note_off", 1, 60)]
    assert [t for t, b in vb.wire(0) if b == 0x80][0] > t0 + 4 * S
    assert notes(vb.out_bytes(1)) == []
    assert "thruway.toml not applied, the routing stays as it was:" in vb.console.text
    assert '  thruway.toml:4: unknown output "out9": did you mean out1?' in vb.console.text
    assert loop.reload_errors == 1 and loop.reloads == 1
    status = vb.status_history()  # the Pico's LED on GP25: (time, level)

    def flashes(start, end):
        return sum(1 for t, level in status if start <= t < end and level == 1)

    assert flashes(t0 + 2 * S, t0 + 3 * S) == 3  # the error pattern
    assert flashes(t0 + 5 * S, t0 + 5500 * MS) == 0 and status[-1][1] == 1  # fixed: steady on


def test_an_error_is_printed_again_when_a_serial_terminal_opens(vb):
    """The musician who opens the serial console after the light started blinking still reads why."""
    vb.save("thruway.toml", BROKEN, pause_us=0)
    vb.at(vb.clock.now + 1 * S, lambda: setattr(vb.usb, "serial_open", True))
    power_up(vb, 1.5)
    lines = [line for _, line in vb.console.lines if "thruway.toml:4:" in line]
    assert len(lines) == 2  # at start-up, and when the terminal opened
    assert "has 1 error; running the default routing until it is fixed" in vb.console.text


def test_no_file_means_the_default_routing(vb):
    """Deleting thruway.toml while running applies the default routing (every input everywhere)."""
    vb.save("thruway.toml", TO_OUT1, pause_us=0)
    t0 = vb.clock.now
    vb.save_at(t0 + 1 * S, "thruway.toml", None)
    vb.din(0).send(b"\x90\x3c\x64", at=t0 + 2500 * MS)
    power_up(vb, 3.0)
    for o in range(4):
        assert notes(vb.out_bytes(o)) == [("note_on", 1, 60)]


def test_the_file_is_not_read_while_bytes_are_waiting(vb):
    """A file saved while both inputs are saturated is applied only once no byte waits anywhere."""
    t0 = vb.clock.now
    busy_until = vb.din(0).send(traffic(1, 3125 * 2), at=t0 + 100 * MS)
    vb.din(1).send(traffic(2, 3125 * 2), at=t0 + 100 * MS)
    vb.save_at(t0 + 500 * MS, "thruway.toml", TO_OUT1)
    loop = power_up(vb, 3.5)
    assert loop.reloads == 1
    applied = _applied_at(vb, "thruway.toml applied")
    assert len(applied) == 1 and applied[0] > busy_until


def test_the_file_is_polled_at_most_twice_a_second(vb, monkeypatch):
    """The loop looks at the settings file (os.stat) no more than twice a second."""
    calls = []
    real_stat = os.stat

    def counting_stat(path, *args, **kwargs):
        if str(path).endswith("thruway.toml"):
            calls.append(vb.clock.now)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    power_up(vb, 5.0)
    assert 8 <= len(calls) <= 11  # start-up, then every 500 ms
    assert min(b - a for a, b in zip(calls, calls[1:])) >= 499 * MS  # ticks_ms counts whole ms
