"""Scenes on the virtual board: the start-up line and maintenance mode name the scene the box is in."""

from boardkit import MS, notes, power_up

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
