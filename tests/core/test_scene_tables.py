"""Scenes on a small heap: what scenes have in common is one object, and a switch finds its room made at load."""

import os

from thruway.core import Core
from thruway.midi import N_INPUTS, NOTE_ON
from thruway.routes import NO_FORMS, Tables
from thruway.settings import decode, load

HERE = os.path.dirname(os.path.abspath(__file__))
KEYSTEP, A4, USB = 0, 1, 2


def every_feature():
    with open(os.path.join(HERE, "every-feature-scenes.toml"), "rb") as f:
        return load(decode(f.read()))


def test_scenes_share_the_tables_they_have_in_common():
    """The board holds every scene's tables at once: an input whose routes are the same in two
    scenes has one table for both, and where the KeyStep's scenes differ (channel 7) only those
    statuses have forms of their own. An input that changes no note has the one shared table
    of empty forms."""
    settings = every_feature()
    Core(settings)
    split, layer = settings.scene_tables
    for port in (A4, USB):
        assert layer.channel[port] is split.channel[port]
        assert layer.form[port] is split.form[port] is NO_FORMS
    # The KeyStep's channel 7 reaches both synths in both scenes (the same pairs: one table);
    # the scenes differ in what they do to its notes and polyphonic aftertouch.
    assert layer.channel[KEYSTEP] is split.channel[KEYSTEP]
    own = [s for s in range(0x80, 0xF0) if layer.form[KEYSTEP][s - 0x80] is not split.form[KEYSTEP][s - 0x80]]
    assert ["%02X" % s for s in own] == ["96", "A6"]


def test_shared_tables_route_as_tables_of_their_own():
    """Sharing changes nothing a message does: each scene's tables made after another's give
    every input, status and output the same pairs, and each pair the same change of key and
    velocity, as the scene's tables made alone."""
    settings = every_feature()
    first = Tables(settings.routes + settings.scenes[0][2])
    for _, _, routes in settings.scenes:
        alone = Tables(settings.routes + routes)
        shared = Tables(settings.routes + routes, like=first)
        assert shared.layers == alone.layers
        for port in range(N_INPUTS):
            for i in range(112):
                assert shared.channel[port][i] == alone.channel[port][i]
                pairs = alone.channel[port][i]
                for k in range(0, len(pairs), 2):
                    for key in range(128):
                        for velocity in (0, 1, 64, 99, 100, 127):
                            assert shared.key(shared.form[port][i], k, key, velocity) == \
                                alone.key(alone.form[port][i], k, key, velocity)


def test_velocity_layers_take_their_room_at_load_for_their_input_only():
    """A scene with velocity layers needs, per input, the velocity each held key was struck at:
    that room is taken when the file is loaded (not at a Program Change in the middle of a
    song), and only for the inputs whose routes have layers (the KeyStep's here)."""
    settings = every_feature()
    core = Core(settings)
    assert core.scene_name() == "Split"
    struck = list(core.struck)
    assert struck[KEYSTEP] is not None and struck[A4] is None and struck[USB] is None
    core.receive(A4, bytes((0xC8, 1)), 2, 0)  # program 2 on the A4's auto channel: "Layer"
    assert core.scene_name() == "Layer"
    assert all(a is b for a, b in zip(core.struck, struck))
    # ...where each key the KeyStep strikes keeps its velocity, for its Note Off's way.
    core.receive(KEYSTEP, bytes((NOTE_ON | 6, 60, 50)), 3, 1)
    assert core.struck[KEYSTEP][(6 << 7) | 60] == 50
