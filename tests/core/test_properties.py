"""Property tests: whatever arrives on the inputs, the outputs carry whole, valid MIDI in order."""

import os
import sys

from hypothesis import given, settings as hsettings, strategies as st, HealthCheck

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from midicheck import decode, note_balance, voices_after  # noqa: E402
from thruway.core import Core  # noqa: E402
from thruway.midi import N_INPUTS, N_OUTPUTS, OUTPUT_IDS  # noqa: E402
from thruway.output import DROP_NOTE_OFF  # noqa: E402
from thruway.routes import Route  # noqa: E402
from thruway.settings import Settings, CLOCK_AUTO, CLOCK_NONE  # noqa: E402

PROFILE = hsettings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

@st.composite
def route(draw):
    """A route, sometimes with a key range, a transpose that may push keys outside 0-127, a
    velocity range or a velocity curve."""
    r = Route(
        draw(st.integers(0, N_INPUTS - 1)),
        draw(st.integers(1, 31)),
        channels=draw(st.integers(1, 0xFFFF)),
        channel=draw(st.integers(-1, 15)),
        types=draw(st.integers(1, 255)),
    )
    if draw(st.booleans()):
        r.low = draw(st.sampled_from([0, 1, 60, 61, 62, 126]))
        r.high = draw(st.integers(r.low, 127))
        r.transpose = draw(st.sampled_from([0, 0, 1, -1, 12, -12, 64, -64, 127, -127]))
        r.soft = draw(st.sampled_from([1, 1, 64, 100]))
        r.hard = draw(st.sampled_from([127, 127, 100, 64]))
        r.velocity = draw(st.sampled_from([None, bytes([100] * 128), bytes(range(128))]))
    return r


route = route()


@st.composite
def any_settings(draw):
    s = Settings()
    s.routes = draw(st.lists(route, max_size=6))
    s.clock_source = draw(st.sampled_from([CLOCK_AUTO, CLOCK_NONE, 0, 1, 2]))
    s.clock_outputs = draw(st.sampled_from([-1, 0, 1, 3, 16, 31]))
    s.running_status = draw(st.integers(0, 15))
    s.active_sensing = draw(st.booleans())
    if draw(st.booleans()):
        # Scenes, switched by Program Changes 0-2 on one input's channel 1-4.
        s.scenes = [["scene %d" % i, i, draw(st.lists(route, max_size=3))] for i in range(draw(st.integers(1, 3)))]
        s.scene_input = draw(st.integers(0, N_INPUTS - 1))
        s.scene_channel = draw(st.integers(0, 3))
        s.scene_pass = draw(st.booleans())
    return s


def channel_message(draw_status, data):
    return st.tuples(draw_status, data, data).map(lambda t: bytes([t[0], t[1], t[2]][: 3 if t[0] < 0xC0 or t[0] >= 0xE0 else 2]))


byte = st.integers(0, 255)
data = st.integers(0, 127)
status = st.integers(0x80, 0xEF)
midiish = st.one_of(
    channel_message(status, data),
    st.lists(data, max_size=4).map(bytes),  # running status or stray data
    st.sampled_from([b"\xf8", b"\xfa", b"\xfb", b"\xfc", b"\xfe", b"\xff", b"\xf9", b"\xfd", b"\xf6", b"\xf4", b"\xf5"]),
    st.tuples(data, data).map(lambda t: bytes([0xF2, t[0], t[1]])),
    st.lists(data, max_size=40).map(lambda d: b"\xf0" + bytes(d) + b"\xf7"),
    st.lists(data, max_size=10).map(lambda d: b"\xf0" + bytes(d)),  # SysEx ended by anything
    st.lists(byte, max_size=8).map(bytes),  # garbage
)

# One step of the box's life: bytes on an input, an output taking some bytes, or time passing.
step = st.one_of(
    st.tuples(st.just("in"), st.integers(0, N_INPUTS - 1), st.lists(midiish, max_size=6).map(b"".join)),
    st.tuples(st.just("out"), st.integers(0, N_OUTPUTS - 1), st.integers(1, 64)),
    st.tuples(st.just("tick"), st.integers(0, 600), st.just(0)),
)


def play(core, steps):
    """Run the steps; returns what each output sent, drained to the end."""
    sent = [bytearray() for _ in range(N_OUTPUTS)]
    buf = bytearray(4096)
    now = 0
    for kind, a, b in steps:
        if kind == "in":
            core.receive(a, b, len(b), now)
        elif kind == "out":
            n = core.transmit(a, buf, b)
            assert 0 <= n <= b
            sent[a].extend(buf[:n])
        else:
            now = (now + a) & ((1 << 29) - 1)
            core.tick(now)
    core.tick(now + 10000)
    for o in range(N_OUTPUTS):
        while True:
            n = core.transmit(o, buf, len(buf))
            if not n:
                break
            sent[o].extend(buf[:n])
    return sent


@PROFILE
@given(any_settings(), st.lists(step, max_size=60))
def test_garbage_never_breaks_an_output(s, steps):
    """Random and garbage bytes on all inputs at once never raise, and every output is whole,
    valid MIDI: no message cut, none interleaved with another, running status only where on."""
    core = Core(s)
    sent = play(core, steps)
    for o in range(N_OUTPUTS):
        decode(bytes(sent[o]), running_status=core.outputs[o].running_status)
    core.stats()


@PROFILE
@given(any_settings(), st.lists(step, max_size=40), st.lists(byte, max_size=64))
def test_settings_change_and_panic_keep_outputs_valid(s, steps, more):
    """Applying new settings and panic in the middle of traffic keep every output valid MIDI."""
    core = Core(s)
    half = len(steps) // 2
    first = play(core, steps[:half])
    s2 = Settings()
    s2.running_status = s.running_status
    owed = core.apply(s2)
    for out, msg in owed:
        assert msg[0] & 0xF0 == 0x80
    core.receive(0, bytes(more), len(more), 0)
    core.panic()
    second = play(core, steps[half:])
    for o in range(N_OUTPUTS):
        decode(bytes(first[o] + second[o]), running_status=core.outputs[o].running_status)


@st.composite
def ordered_traffic(draw):
    """Each input sends CC number 20+input with values counting up: order is visible."""
    steps = []
    seq = [0] * N_INPUTS
    for _ in range(draw(st.integers(0, 80))):
        kind = draw(st.sampled_from(["in", "in", "out", "rt"]))
        if kind == "in":
            port = draw(st.integers(0, N_INPUTS - 1))
            ch = draw(st.integers(0, 15))
            if seq[port] < 127:
                seq[port] += 1
                msg = bytes([0xB0 | ch, 20 + port, seq[port]])
                if draw(st.booleans()):
                    cut = draw(st.integers(1, 2))
                    msg = msg[:cut] + b"\xf8" + msg[cut:]
                steps.append(("in", port, msg))
        elif kind == "rt":
            steps.append(("in", draw(st.integers(0, N_INPUTS - 1)), b"\xf8"))
        else:
            steps.append(("out", draw(st.integers(0, N_OUTPUTS - 1)), draw(st.integers(1, 8))))
    return steps


@PROFILE
@given(any_settings(), ordered_traffic())
def test_each_input_keeps_its_order(s, steps):
    """On every output, each input's messages come in the order they arrived (some may be
    filtered or dropped, none reordered or repeated)."""
    s.running_status = 0
    core = Core(s)
    sent = play(core, steps)
    for o in range(N_OUTPUTS):
        _, messages = decode(bytes(sent[o]))
        last = {}
        for m in messages:
            key = (m.control, m.channel)
            assert m.value > last.get(key, 0), "%s: %s out of order" % (OUTPUT_IDS[o], m)
            last[key] = m.value


@PROFILE
@given(
    st.integers(0, N_INPUTS - 1),
    st.integers(0, 31),
    st.lists(st.tuples(st.integers(0, N_INPUTS - 1), st.sampled_from([0xF8, 0xFA, 0xFB, 0xFC])), max_size=80),
    st.lists(route, max_size=4),
)
def test_clock_comes_from_the_source_to_the_outputs_in_to(source, to, beats, routes):
    """Clock and transport reach exactly the outputs in `to`, and only from the clock source."""
    s = Settings()
    s.routes = routes
    s.clock_source = source
    s.clock_outputs = to
    core = Core(s)
    buf = bytearray(64)
    sent = [bytearray() for _ in range(N_OUTPUTS)]
    from_source = bytearray()
    for port, b in beats:
        core.receive(port, bytes([b]), 1, 0)
        if port == source:
            from_source.append(b)
        for o in range(N_OUTPUTS):
            n = core.transmit(o, buf, 64)
            sent[o].extend(buf[:n])
    for o in range(N_OUTPUTS):
        expected = from_source if (to >> o) & 1 else bytearray()
        assert sent[o] == expected, OUTPUT_IDS[o]
    dropped = sum(c["clock_dropped"] for c in core.stats()["inputs"].values())
    assert dropped == len(beats) - len(from_source)


@st.composite
def playing(draw, keys=4, steps_max=60):
    """A player pressing and releasing keys on the inputs, often striking a key again before
    letting go of it, while settings change and outputs drain."""
    steps = []
    down = {}  # (port, channel, note): strikes not yet released
    for _ in range(draw(st.integers(0, steps_max))):
        kind = draw(st.sampled_from(["on", "on", "off", "off", "out", "apply", "panic", "rt", "program"]))
        port = draw(st.integers(0, N_INPUTS - 1))
        if kind == "on":
            # Keys near middle C, and at both ends, where a transpose pushes them out of 0-127.
            ch, note = draw(st.integers(0, 3)), draw(st.sampled_from([0, 1, 126, 127] + list(range(60, 60 + keys))))
            if down.get((port, ch, note), 0) < 8:  # the box counts up to eight strikes a key
                steps.append(("in", port, bytes([0x90 | ch, note, draw(st.integers(1, 127))])))
                down[(port, ch, note)] = down.get((port, ch, note), 0) + 1
        elif kind == "off" and down:
            port, ch, note = draw(st.sampled_from(sorted(down)))
            zero = draw(st.booleans())
            steps.append(("in", port, bytes([(0x90 if zero else 0x80) | ch, note, 0])))
            down[(port, ch, note)] -= 1
            if not down[(port, ch, note)]:
                del down[(port, ch, note)]
        elif kind == "out":
            steps.append(("out", draw(st.integers(0, N_OUTPUTS - 1)), draw(st.integers(1, 16))))
        elif kind == "apply":
            steps.append(("apply", draw(any_settings()), 0))
        elif kind == "panic":
            steps.append(("panic", 0, 0))
        elif kind == "program":  # a scene switch, where the settings have scenes
            steps.append(("in", port, bytes([0xC0 | draw(st.integers(0, 3)), draw(st.integers(0, 2))])))
        elif kind == "rt":
            steps.append(("in", port, b"\xf0\x7d\x01" if draw(st.booleans()) else b"\xf7"))
    # The player lets go of every strike still down.
    for (port, ch, note), strikes in sorted(down.items()):
        for _ in range(strikes):
            steps.append(("in", port, bytes([0x80 | ch, note, 0])))
    return steps


def perform(core, steps, running_status):
    """Run a player's steps, drain every output; returns each output's mido messages."""
    sent = [bytearray() for _ in range(N_OUTPUTS)]
    buf = bytearray(4096)
    for kind, a, b in steps:
        if kind == "in":
            core.receive(a, b, len(b), 0)
        elif kind == "out":
            n = core.transmit(a, buf, b)
            sent[a].extend(buf[:n])
        elif kind == "apply":
            core.apply(a)
            running_status |= a.running_status
        else:
            core.panic()
        assert_room_owed_is_what_sounds(core)
    now = 0
    while True:  # any SysEx left open is closed by its timeout, releases run to their end
        now += 10000
        core.tick(now)
        taken = 0
        for o in range(N_OUTPUTS):
            n = core.transmit(o, buf, len(buf))
            sent[o].extend(buf[:n])
            taken += n
        if not taken and not core.waits_on_time():
            break
    return [decode(bytes(sent[o]), running_status=bool((running_status >> o) & 1))[1] for o in range(N_OUTPUTS)]


def assert_room_owed_is_what_sounds(core):
    """The room each queue keeps for Note Offs is what its held notes and pedals owe, and it
    fits in the queue with what is already there."""
    kept = list(core.queues.owed)
    core._recount_owed()
    assert kept == core.queues.owed
    for q, owed in enumerate(kept):
        assert core.queues.count[q] + owed <= 256, q


@PROFILE
@given(any_settings(), playing())
def test_no_note_left_hanging(s, steps):
    """Once the player has let go of every key, however often each was struck before its
    release, no output has a note sounding, even on a synth that gives each Note On a voice of
    its own, whatever the settings changes, scene switches (splits, transposes and velocity layers
    among them) and panics in between; no Note Off is dropped."""
    core = Core(s)
    outputs = perform(core, steps, s.running_status)
    for o, messages in enumerate(outputs):
        assert not voices_after(messages), "%s left %s sounding" % (OUTPUT_IDS[o], voices_after(messages))
        assert core.outputs[o].drops[DROP_NOTE_OFF] == 0, OUTPUT_IDS[o]
        assert core.sounding(o) == []


@PROFILE
@given(any_settings(), playing(keys=2, steps_max=80))
def test_every_strike_gets_its_note_off(s, steps):
    """With no settings change and no panic, each output gets exactly as many Note Offs as Note
    Ons for every channel and note, keys struck again before their release included."""
    steps = [step for step in steps if step[0] in ("in", "out")]
    core = Core(s)
    outputs = perform(core, steps, s.running_status)
    for o, messages in enumerate(outputs):
        unbalanced = dict((k, v) for k, v in note_balance(messages).items() if v)
        assert not unbalanced, "%s: Note Offs minus Note Ons %s" % (OUTPUT_IDS[o], unbalanced)


@PROFILE
@given(any_settings(), st.lists(midiish, min_size=1, max_size=40), playing(keys=2, steps_max=80))
def test_note_offs_find_room_on_a_full_output(s, garbage, steps):
    """An output that falls far behind (CC, pedals, programs, SysEx and garbage with no notes
    in it pouring in with the player's keys, the wire taking a few bytes now and then) drops
    what it must, but never a Note Off whose Note On it passed: once every key is let go,
    nothing sounds."""
    core = Core(s)
    flood = b"\xb0" + bytes(b for b in b"".join(garbage) * 40 if not 0x80 <= b <= 0x9F)
    mixed = []
    for step in steps:
        if step[0] != "panic":
            mixed.append(step)
        if step[0] == "in":
            mixed.append(("in", step[1], flood))
    outputs = perform(core, mixed, s.running_status)
    for o, messages in enumerate(outputs):
        assert core.outputs[o].drops[DROP_NOTE_OFF] == 0, OUTPUT_IDS[o]
        assert not voices_after(messages), "%s left %s sounding" % (OUTPUT_IDS[o], voices_after(messages))


def test_counters_wrap_before_they_need_the_heap():
    """Counters wrap at 2**29 so they stay small ints on the board, however long it runs: tick
    checks one input's or one output's counters every WRAP_CHECK_MS (a short tick each time),
    so every counter is checked within N_INPUTS + N_OUTPUTS checks."""
    from thruway.core import WRAP_CHECK_MS

    core = Core(Settings())
    core.counters[0] = (1 << 29) + 5
    core.outputs[1].drops[0] = (1 << 29) + 1
    core.outputs[2].sent = (1 << 29) + 2
    core.tick(WRAP_CHECK_MS - 1)
    assert core.counters[0] == (1 << 29) + 5  # not yet time for a check
    now = 0
    for _ in range(N_INPUTS + N_OUTPUTS):
        now += WRAP_CHECK_MS
        core.tick(now)
    assert (core.counters[0], core.outputs[1].drops[0], core.outputs[2].sent) == (5, 1, 2)


@PROFILE
@given(any_settings(), st.lists(step, max_size=40))
def test_pending_marks_every_output_with_bytes_waiting(s, steps):
    """The core's pending mask has the bit of every output with bytes waiting, so a shell that
    asks only those outputs for bytes never leaves one behind."""
    core = Core(s)
    buf = bytearray(64)
    for kind, a, b in steps:
        if kind == "in":
            core.receive(a, b, len(b), 0)
        elif kind == "out":
            core.transmit(a, buf, b)
        for o in range(N_OUTPUTS):
            if core.waiting(o):
                assert (core.queues.pending >> o) & 1, OUTPUT_IDS[o]
    for o in range(N_OUTPUTS):
        while core.transmit(o, buf, 64):
            pass
        if not core.waiting(o):
            assert not (core.queues.pending >> o) & 1, OUTPUT_IDS[o]


@PROFILE
@given(any_settings(), st.lists(step, max_size=40), st.data())
def test_a_read_taken_in_two_parts_is_the_same_read(s, steps, data):
    """receive(port, buf, n, now, start) takes buf[start:n]: a read given to the core as
    buf[:k] and then from k (the loop's realtime first) leaves every output, every counter and
    every held note as the whole read would."""
    whole = Core(s)
    split = Core(s)
    for kind, a, b in steps:
        if kind != "in":
            continue
        k = data.draw(st.integers(0, len(b)))
        whole.receive(a, b, len(b), 0)
        split.receive(a, b, k, 0)
        split.receive(a, b, len(b), 0, k)
    assert play(whole, []) == play(split, [])
    assert whole.stats() == split.stats()
