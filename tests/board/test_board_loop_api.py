"""The loop as an object, for tools such as `thruway sim`: built on the virtual board, stepped, measured."""

from boardkit import MS


def test_the_loop_can_be_built_stepped_and_measured(vb):
    """Loop(open_ports()) on the virtual board: start() prints the start-up line through `say`,
    step() is one pass and costs virtual time, figures() counts passes, bytes in and out."""
    from thruway_board.loop import Loop
    from thruway_board.ports import open_ports

    said = []
    loop = Loop(open_ports(), settings_path=vb.drive.file("thruway.toml"), say=said.append)
    loop.start()
    assert said and said[0].startswith("Thruway ")
    vb.din(0).send(b"\x90\x3c\x64", at=vb.clock.now + 1 * MS)
    before = vb.clock.now
    passes = 0
    while vb.clock.now < before + 20 * MS:
        loop.step()
        passes += 1
    f = loop.figures()
    assert f["passes"] == passes and f["bytes_in"][0] == 3 and f["bytes_out"][:4] == [3, 3, 3, 3]
    assert vb.out_bytes(0) == b"\x90\x3c\x64"


def test_a_wrapped_core_transmit_is_used_once_rebound(vb):
    """The output drivers keep core.transmit as a bound method; after wrapping it, bind_outputs()
    makes them call the wrapper."""
    from thruway_board.loop import Loop
    from thruway_board.ports import open_ports

    loop = Loop(open_ports(), settings_path=vb.drive.file("thruway.toml"), say=lambda line: None)
    loop.start()
    seen = []
    real = loop.core.transmit

    def traced(out, buf, room):
        n = real(out, buf, room)
        seen.append((out, n))
        return n

    loop.core.transmit = traced
    loop.bind_outputs()
    vb.din(0).send(b"\x90\x3c\x64", at=vb.clock.now + 1 * MS)
    vb.run_loop(loop, 0.01)
    assert {out for out, n in seen if n} == {0, 1, 2, 3, 4}


def test_realtime_at_the_head_of_a_read_goes_out_before_the_rest_is_routed(vb):
    """A read that starts with a clock (the A4 sends the beat's clock, then its notes): the
    clock goes into the core and out to its output before the notes behind it are routed, and
    the notes still arrive whole; a read that is realtime alone takes the usual way."""
    from thruway_board.loop import Loop
    from thruway_board.ports import open_ports

    loop = Loop(open_ports(), settings_path=vb.drive.file("thruway.toml"), say=lambda line: None)
    loop.start()
    calls = []
    receive = loop.core.receive
    transmit = loop.core.transmit

    def traced_receive(port, buf, n, now, start=0):
        calls.append(("receive", bytes(buf[start:n])))
        return receive(port, buf, n, now, start)

    def traced_transmit(out, buf, room):
        n = transmit(out, buf, room)
        if n:
            calls.append(("out%d" % (out + 1), bytes(buf[:n])))
        return n

    loop.core.receive = traced_receive
    loop.core.transmit = traced_transmit
    loop.bind_outputs()
    beat = b"\xf8\x90\x3c\x64\x90\x40\x64"
    vb.din(0).send(beat, at=vb.clock.now + 1 * MS)
    vb.din(0).send(b"\xf8", at=vb.clock.now + 10 * MS)
    before = vb.clock.now
    while vb.clock.now < before + 30 * MS:
        loop.step()
    reads = [c for c in calls if c[0] == "receive"]
    assert b"".join(data for _, data in reads) == beat + b"\xf8"
    first = calls.index(("receive", b"\xf8"))
    rytm = calls.index(("out4", b"\xf8"))
    notes_in = [k for k, c in enumerate(calls) if c[0] == "receive" and b"\x90" in c[1]]
    assert first < rytm < notes_in[0], calls
    assert vb.out_bytes(0) == vb.out_bytes(3) == beat + b"\xf8"  # the default routing: in1 to every output
