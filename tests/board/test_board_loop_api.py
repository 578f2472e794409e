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
