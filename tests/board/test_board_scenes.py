"""Scenes and the loop guard on the virtual board: the console and the status light say what the box is doing."""

from boardkit import MS, more, notes, power_up

S = 1000 * MS

SCENES = """
[inputs]
in2 = "Analog Four"
[outputs]
out2 = "JU-06A"
[scenes]
switch = "Analog Four"
channel = 9
[[scene]]
name = "Verse"
[[scene.route]]
from = "Analog Four"
to = "JU-06A"
channels = 5
[[scene]]
name = "Chorus"
[[scene.route]]
from = "Analog Four"
to = "JU-06A"
channels = 6
"""


def test_start_up_line_names_the_scene(vb):
    """With scenes, the start-up line says which scene the box starts in, and of how many."""
    vb.save("thruway.toml", SCENES, pause_us=0)
    power_up(vb, 0.3)
    assert 'thruway.toml loaded, 0 routes, scene "Verse" (1 of 2)' in vb.console.text


def test_maintenance_mode_names_the_scene_and_its_switches(vb):
    """In maintenance mode the routing is printed with the scene the box is in, and each
    report names the scene it is in now, after a Program Change switched it."""
    vb.save("thruway.toml", SCENES, pause_us=0)
    vb.din(1).send(b"\xc8\x01", at=vb.clock.now + 1 * S)  # program 2 on channel 9: the Chorus
    vb.din(1).send(b"\x95\x3c\x64", at=vb.clock.now + 1 * S + 10 * MS)  # the Chorus plays channel 6
    power_up(vb, 6.0, hold_panic=True)
    text = vb.console.text
    assert '  now in scene "Verse" (1 of 2)' in text
    assert 'scene: "Chorus" (1 switch since power-up)' in text
    assert notes(vb.out_bytes(1)) == [("note_on", 6, 60)]


ECHO = """
[inputs]
in1 = "KeyStep"
in2 = "Synth"
[outputs]
out1 = "Synth"
[[route]]
from = "KeyStep"
to = "Synth"
"""


def test_a_feedback_loop_is_stopped_shown_and_told(vb):
    """The loop guard on the board: a synth that echoes the KeyStep's notes back (its soft thru
    on) has its routes stopped; the status light shows two long blinks a second and the
    console says which instrument echoes and what to do."""
    vb.save("thruway.toml", ECHO, pause_us=0)
    start = vb.clock.now + 200 * MS
    for n in range(10):
        note = bytes((0x90, 0x3C + n, 0x64))
        vb.din(0).send(note, at=start + n * 100 * MS)
        vb.din(1).send(note, at=start + n * 100 * MS + 5 * MS)  # the echo, 5 ms later
    power_up(vb, 3.5)
    assert "Thruway: out1 (Synth) sends back on in2 what the box sends it (its MIDI thru or echo is on)" in vb.console.text
    sent = [n for kind, _, n in notes(vb.out_bytes(0)) if kind == "note_on"]
    assert len(sent) == 8  # the ninth and tenth keys no longer reach the synth
    status = [level for t, level in vb.status_history() if t > vb.clock.now - 1 * S]
    assert status.count(1) in (2, 3)  # two blinks a second (a third may begin at the window's edge)


INTERNAL = """
[inputs]
in1 = "KeyStep"
[outputs]
out4 = "Analog Rytm"
out2 = "JU-06A"
[clock]
source = "internal"
tempo = 120
to = ["Analog Rytm"]
[[route]]
from = "KeyStep"
to = "JU-06A"
"""


def test_the_box_as_clock_master_keeps_time_while_notes_pass(vb):
    """The box's own clock at 120 BPM through the real loop, with the KeyStep playing: over
    four seconds the tempo is exact to 0.1 % and no clock strays from the tempo's grid by 0.2 ms
    or more: the loop times it by the microsecond counter on a PIO state machine, and waits
    for a clock due sooner than a pass takes rather than send it a pass late."""
    vb.save("thruway.toml", INTERNAL, pause_us=0)
    start = vb.clock.now + 500 * MS
    for n in range(80):
        vb.din(0).send(bytes((0x90, 0x30 + n % 24, 0x64, 0x80, 0x30 + n % 24, 0x40)), at=start + n * 50 * MS)
    power_up(vb, 5.0)
    clocks = [t for t, b in vb.wire(3) if b == 0xF8 and t > start]
    assert len(clocks) > 150
    period = (clocks[-1] - clocks[0]) / (len(clocks) - 1)
    assert abs(period - 20833.3) < 21  # µs: 0.1 %
    worst = max(abs(t - (clocks[0] + k * 20833.3)) for k, t in enumerate(clocks))
    assert worst < 200, worst
    assert len([b for _, b in vb.wire(1) if b == 0x90]) == 80  # the notes passed all the while


def test_without_a_free_state_machine_the_box_clock_keeps_whole_milliseconds(vb):
    """With no PIO state machine left for the microsecond counter (a board whose other uses
    took them), the box still starts and clocks at 120 BPM by ticks_ms: the tempo exact to
    0.1 %, its clocks up to a millisecond off the grid but never 1.5 ms (the core counts whole
    milliseconds then)."""
    vb.board_table = dict(vb.board_table, pio_state_machines_used=6)  # two left: out3 and out4
    vb.save("thruway.toml", INTERNAL, pause_us=0)
    start = vb.clock.now + 500 * MS
    loop = power_up(vb, 3.0)
    assert loop.micros is None
    clocks = [t for t, b in vb.wire(3) if b == 0xF8 and t > start]
    assert len(clocks) > 100
    period = (clocks[-1] - clocks[0]) / (len(clocks) - 1)
    assert abs(period - 20833.3) < 21
    worst = max(abs(t - (clocks[0] + k * 20833.3)) for k, t in enumerate(clocks))
    assert 200 < worst < 1500, worst


def test_the_counter_starts_when_a_saved_file_makes_the_box_the_master(vb):
    """A file without the box's own clock leaves the microsecond counter's state machine
    unopened (it costs heap, and nothing needs it); a file saved later with `source =
    "internal"` opens it as the file is applied, and from then the clock keeps to its grid
    within 0.2 ms."""
    vb.save("thruway.toml", INTERNAL.replace('source = "internal"\ntempo = 120\n', 'source = "in1"\n'), pause_us=0)
    loop = power_up(vb, 1.0)
    assert loop.micros is None and loop.ports.microseconds is None
    vb.save_at(vb.clock.now + 100 * MS, "thruway.toml", INTERNAL, pause_us=0)
    more(vb, loop, 4.0)
    assert loop.micros is not None
    applied = [t for t, line in vb.console.lines if "thruway.toml applied" in line]
    assert applied, vb.console.text
    clocks = [t for t, b in vb.wire(3) if b == 0xF8 and t > applied[0] + 100 * MS]
    assert len(clocks) > 100
    worst = max(abs(t - (clocks[0] + k * 20833.3)) for k, t in enumerate(clocks))
    assert worst < 200, worst
