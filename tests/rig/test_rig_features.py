"""On the real firmware: splits, transpose, velocity, clock division, scenes, the loop guard and the box's own clock."""

import re

import pytest

import rigfiles
from midicheck import decode, sounding_after
from thruway.midi import OUTPUT_IDS
from thruway.settings import decode as decode_settings, load
from thruway_host import rig as rigmod
from thruway_host import rigbench
from thruway_host.replay import Replay

MIN_FREE = 64 * 1024  # the heap the firmware keeps free with the settings loaded

# ---- one boot with every feature: maintenance mode, then MIDI through it ------------------

KEYSTEP_CH1 = 0x90  # KeyStep channel 1: the A4's track 1 in every scene
KEYSTEP_CH7 = 0x96  # KeyStep channel 7: split (scene "Split") or layered (scene "Layer")
A4_FX = 0x94  # the A4's FX track, channel 5: the JU-06A and the computer in every scene
SCENE_PROGRAM_CHANGE = bytes((0xC8, 1))  # the A4's auto channel 9, program 2: scene "Layer"
B3, C4 = 59, 60  # the split point: B3 and below to the Typhon, C4 and up to the JU-06A
HELD = 48  # C3, held on the Typhon across the scene switch
MASTER_CLOCK_MS = [310 + 20 * k for k in range(12)]  # the A4's clocks after its Start
ECHO_FROM_MS = 1300  # from here the A4 echoes (its MIDI thru on) what the box sends it
ECHOES = 10
ECHO_DELAY_MS = 5  # the A4's echo: 5 ms after the box's Note On reached it


def keystep_events():
    """The KeyStep: the split's edges in scene "Split", a note held across the switch to
    "Layer", a hard and a soft note there; then channel 1 notes that the A4 will echo."""
    events = [
        (100, bytes((KEYSTEP_CH7, B3, 64))),
        (130, bytes((KEYSTEP_CH7, C4, 40))),
        (160, bytes((KEYSTEP_CH1, 36, 100))),
        (200, bytes((KEYSTEP_CH7 - 0x10, C4, 64))),
        (220, bytes((KEYSTEP_CH1 - 0x10, 36, 64))),
        (240, bytes((KEYSTEP_CH7 - 0x10, B3, 64))),
        (260, bytes((KEYSTEP_CH7, HELD, 64))),  # held while the A4 switches scene at 700
        (900, bytes((KEYSTEP_CH7 - 0x10, HELD, 64))),
        (1000, bytes((KEYSTEP_CH7, C4, 110))),  # hard: both synths
        (1030, bytes((KEYSTEP_CH7, 62, 50))),  # soft: the Typhon only
        (1100, bytes((KEYSTEP_CH7 - 0x10, C4, 64))),
        (1130, bytes((KEYSTEP_CH7 - 0x10, 62, 64))),
    ]
    for k in range(ECHOES):
        t = ECHO_FROM_MS + 30 * k
        events += [(t, bytes((KEYSTEP_CH1, 40 + k, 90))), (t + 15, bytes((KEYSTEP_CH1 - 0x10, 40 + k, 64)))]
    return events


def a4_events():
    """The A4: Start, twelve clocks, an FX track note, the Program Change to scene "Layer",
    Stop; then its echo of every KeyStep channel 1 message the box sends it."""
    events = [(300, b"\xfa")] + [(t, b"\xf8") for t in MASTER_CLOCK_MS]
    events += [(560, bytes((A4_FX, 64, 80))), (600, bytes((A4_FX - 0x10, 64, 0))), (700, SCENE_PROGRAM_CHANGE)]
    events.append((1200, b"\xfc"))
    for t, msg in keystep_events():
        if t >= ECHO_FROM_MS:
            events.append((t + ECHO_DELAY_MS, msg))
    return events


def replayed(settings_bytes, inputs):
    """What `thruway replay` computes on the host for the same timed input: {output: bytes}."""
    replay = Replay(load(decode_settings(settings_bytes)))
    sent = replay.run({port: [(ms * 1000, data) for ms, data in events] for port, events in inputs.items()})
    return {name: bytes(b for _, b in sent[o]) for o, name in enumerate(OUTPUT_IDS)}


def channel_messages(data):
    """The channel and system common messages an output sent, in hex (realtime bytes aside)."""
    return [m.hex() for m in decode(data)[1]]


@pytest.fixture(scope="module")
def features(rig, rig_tmp):
    """One boot of the every-feature file with the panic button held (maintenance mode), then the
    KeyStep on DIN IN 1 and the A4 on DIN IN 2 from the moment it says its free memory."""
    drive = rigmod.stage_drive(str(rig_tmp / "drive-features"), settings=rigfiles.every_feature())
    feeds = [rigmod.timed_feed("in1", keystep_events()), rigmod.timed_feed("in2", a4_events())]
    report = rigmod.run(rig, drive, feeds=feeds, pins=[(rigmod.PANIC_GPIO, 0, None)],
                        ready=r"Free memory after start: \d+ bytes", tail_ms=300, max_s=4)
    assert report.ok, report.error + report.console[-1500:]
    return report


@pytest.fixture(scope="module")
def host(features):
    return replayed(rigfiles.every_feature(), {0: keystep_events(), 1: a4_events()})


def test_every_feature_loads_in_a_scene_with_64_kb_free(features):
    """A file with every feature (splits, transpose, velocity, clock division, scenes) loads on
    the board: the start-up line and maintenance mode name the first scene, and at least 64 KB
    of the heap are free after start."""
    lines = features.lines_after("Thruway ")
    assert re.match(r'Thruway \S+ on Raspberry Pi Pico: thruway.toml loaded, 5 routes, scene "Split" \(1 of 2\)$',
                    lines[0]), lines
    assert '  now in scene "Split" (1 of 2)' in lines, lines
    assert "  clock to Analog Rytm: every 2nd clock (1/2 speed)" in lines, lines
    free = int(re.search(r"Free memory after start: (\d+) bytes", features.console).group(1))
    print("rig: every-feature file, free memory after start: %d bytes" % free)
    assert free >= MIN_FREE, "only %d bytes free after start" % free


def test_every_output_carries_what_thruway_replay_computes(features, host):
    """The board's outputs carry the same bytes, in the same order, as `thruway replay`
    (thruway_host.replay) computes on the host for the same timed input: the split, transpose,
    velocity, scene switch, divided clock and loop guard all behave on the board as on the host."""
    for name in OUTPUT_IDS:
        assert features.output(name).hex(" ") == host[name].hex(" "), name
    for feed in features.data["feeds"]:
        if feed["target"].startswith("uart"):
            assert feed["uartStats"]["rxOverrun"] == 0, feed


def test_the_split_sends_low_keys_to_the_typhon_transposed_and_high_keys_to_the_ju06a(features):
    """Scene "Split": KeyStep channel 7 B3 and below go to the Typhon on channel 6, two octaves
    down; C4 and up to the JU-06A on channel 5 as played, its velocity on the "soft" curve (louder
    than played, never 0); channel 1 goes to the A4 only."""
    typhon = channel_messages(features.output("out3"))
    ju06a = channel_messages(features.output("out2"))
    assert typhon[:2] == ["95 %02X 40" % (B3 - 24), "85 %02X 40" % (B3 - 24)], typhon
    assert ju06a[0].startswith("94 %02X " % C4) and 40 < int(ju06a[0][-2:], 16) <= 127, ju06a
    assert ju06a[1] == "84 %02X 40" % C4, ju06a
    assert all(" %02X " % B3 not in m for m in ju06a) and all(" %02X " % C4 not in m for m in typhon[:4]), (ju06a, typhon)
    assert channel_messages(features.output("out1"))[:2] == ["90 24 64", "80 24 40"]


def test_a_program_change_switches_scene_and_ends_the_held_note(features):
    """The A4's Program Change on its auto channel switches to scene "Layer" and goes no further;
    the Typhon's note held across the switch gets its Note Off, transposed as its Note On was,
    at the switch; after it the Typhon plays every key as played and the JU-06A only the hard
    one, at 70% velocity. No output is left with a note sounding."""
    typhon = channel_messages(features.output("out3"))
    held = "95 %02X 40" % (HELD - 24)
    assert typhon[2:6] == [held, "85 %02X 40" % (HELD - 24), "95 3C 6E", "95 3E 32"], typhon
    ju06a = channel_messages(features.output("out2"))
    assert "94 3C 4D" in ju06a and not any(m.startswith("94 3E") for m in ju06a), ju06a  # 110 * 70% = 77
    for name in OUTPUT_IDS:
        assert SCENE_PROGRAM_CHANGE.hex(" ").upper() not in channel_messages(features.output(name)), name
        assert not sounding_after(decode(features.output(name))[1]), name


def test_the_rytm_gets_every_second_clock_from_start(features):
    """The Rytm at half time: after the A4's Start it gets the 1st, 3rd, 5th... of the A4's
    clocks (the count starts at Start, so its downbeat is the A4's), each as that clock comes."""
    rytm = features.output("out4")
    assert rytm == b"\xfa" + b"\xf8" * (len(MASTER_CLOCK_MS) // 2) + b"\xfc", rytm.hex(" ")
    starts = features.output_times("out4")[0][1:-1]
    for k, start in enumerate(starts):
        arrived = (MASTER_CLOCK_MS[2 * k] * 1000 + rigmod.BYTE_US)  # the clock's stop bit is in
        assert arrived <= start < MASTER_CLOCK_MS[2 * k + 1] * 1000, (k, start, MASTER_CLOCK_MS)


def test_the_loop_guard_stops_the_route_to_an_instrument_that_echoes(features):
    """The A4 echoing back what the box sends it (on the input of the same name): after eight
    echoes in a row the box stops its routes to the A4, says so on the console, and the A4 gets
    no more; nothing is left sounding there."""
    assert re.search(r"Thruway: out1 \(Analog Four\) sends back on in2 what the box sends it", features.console), \
        features.console[-1500:]
    a4 = channel_messages(features.output("out1"))
    ons = [m for m in a4 if m.startswith("90 ") and m != "90 24 64"]
    assert 8 <= len(ons) < ECHOES, a4
    assert not sounding_after(decode(features.output("out1"))[1]), a4


# ---- the box as clock master, while notes pass ------------------------------------------

@pytest.fixture(scope="module")
def internal(rig, rig_tmp):
    """The box as master at 120 BPM (clock to the Rytm and the Typhon) while the KeyStep plays
    the JU-06A and the A4's notes go to the Typhon, a message every 10 ms on each input: the
    scenario `make bench` measures too (thruway_host.rigbench.run_master)."""
    traffic = rigbench.master_traffic()
    return rigbench.run_master(rig, str(rig_tmp)), traffic[0], traffic[1]


def test_the_box_clocks_at_its_tempo_while_notes_pass(internal):
    """`source = "internal"` at 120 BPM: the Rytm and the Typhon get the box's clock, one every
    20.833 ms, the count over two seconds right within one, while both DIN inputs play; on
    both, the mean period within 0.2 ms of 20.833 ms and the jitter p99 under 0.2 ms (the
    loop times the clock by the microsecond counter on a PIO state machine)."""
    report = internal[0]
    span_ms = rigbench.MASTER_WINDOW_MS[1] - rigbench.MASTER_WINDOW_MS[0]
    expected = span_ms * 24 * 120 / 60000
    for port in rigbench.MASTER_OUTPUTS:
        inside = rigbench.master_clocks(report, port)
        assert abs(len(inside) - expected) <= 1, (port, len(inside), expected)
        figures = rigmod.clock_figures(inside, bpm=120)
        print("rig: internal clock on %s: %d clocks, period mean %.4f ms (error %+.4f ms, worst %.3f ms), "
              "jitter p99 %.3f ms" % (port, figures["clocks"], figures["period_mean_ms"], figures["period_error_ms"],
                                     figures["period_error_max_ms"], figures["jitter_p99_ms"]))
        assert abs(figures["period_error_ms"]) < 0.2, (port, figures)
        assert figures["jitter_p99_ms"] < 0.2, (port, figures)
    assert set(report.output("out4")) == {0xF8}, "the Rytm gets the box's clock and nothing else"


def test_notes_pass_whole_beside_the_box_clock(internal):
    """Beside the box's own clock, every note from both DIN inputs arrives whole, in order, on
    its synth; clock bytes stand only between messages' bytes as MIDI allows."""
    report, keystep, a4 = internal
    assert channel_messages(report.output("out2")) == [m.hex(" ").upper() for _, m in keystep]
    assert channel_messages(report.output("out3")) == [m.hex(" ").upper() for _, m in a4]
    assert set(report.output("out2")) & {0xF8} == set(), "the JU-06A gets no clock"
