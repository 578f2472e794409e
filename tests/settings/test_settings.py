"""The settings file: every mistake reported as FILE:LINE with what to write instead."""

import os

import pytest

from thruway.core import Core
from thruway.settings import SettingsError, decode, describe, load, suggest, CLOCK_AUTO, CLOCK_NONE, CLOCK_INTERNAL

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HEAD = '[inputs]\nin1 = "KeyStep"\nin2 = "Analog Four"\n[outputs]\nout1 = "Analog Four"\nout2 = "JU-06A"\n'
# HEAD is 6 lines: a mistake after it is on line 7 or later.


def errors_of(text):
    with pytest.raises(SettingsError) as e:
        load(text, "thruway.toml")
    return e.value.errors


@pytest.mark.parametrize(
    "body, line, fragment",
    [
        ('[[route]]\nfrom = "KeyStep"\nto = "JU06A"\n', 9, 'unknown output "JU06A": did you mean JU-06A?'),
        ('[[route]]\nfrom = "Typhon"\nto = "out1"\n', 8, 'unknown input "Typhon"'),
        ('[[route]]\nfrom = "JU-06A"\nto = "out1"\n', 8, '"JU-06A" is not an input here'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nchannels = [0]\n', 10, "channel 0 is outside 1-16"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nchannel = 17\n', 10, "channel 17 is outside 1-16"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nchannel = "5"\n', 10, "without quotes"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\ntypes = ["note"]\n', 10, 'unknown type "note": did you mean notes?'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nchanels = [1]\n', 10, "did you mean channels?"),
        ('[[route]]\nfrom = "KeyStep"\n', 7, "this route has no to"),
        ('[[route]]\nfrom = "KeyStep"\nto = []\n', 9, "to is empty"),
        ('[clock]\nsource = "Rytm"\n', 8, 'unknown input "Rytm"'),
        ("[clock]\nsource = 1\n", 8, '"auto", "internal" or "none"'),
        ('[clock]\nsorce = "auto"\n', 8, "did you mean source?"),
        ("[options]\nsysex_timeout_ms = 5\n", 8, "from 20 to 5000"),
        ('[options]\nrunning_status = ["usb"]\n', 8, "USB MIDI never uses running status"),
        ('[options]\nactive_sensing = "yes"\n', 8, "true or false"),
        ('[clock]\ndivide = { "JU-06A" = 0 }\n', 8, "whole number from 1 to 16"),
        ('[clock]\ndivide = { "JU-06A" = 1.5 }\n', 8, "whole number"),
        ('[clock]\ndivide = { "Rytm" = 2 }\n', 8, 'unknown output "Rytm"'),
        ('[clock]\ndivide = { "KeyStep" = 2 }\n', 8, '"KeyStep" is not an output here: divide takes'),
        ('[clock]\ndivide = 2\n', 8, 'divide = { "Analog Four" = 2 }'),
        ('[clock]\nsource = "internal"\ntempo = 400\n', 9, "tempo 400 is outside 20-300 BPM"),
        ('[clock]\nsource = "internal"\ntempo = 92.5\n', 9, '"92.5" in quotes'),
        ('[clock]\nsource = "internal"\ntempo = "fast"\n', 9, 'tempo = "92.5"'),
        ('[clock]\nsource = "internal"\ntempo = "92.125"\n', 9, "at most two decimals"),
        ('[clock]\nsource = "KeyStep"\ntempo = 120\n', 9, 'write source = "internal" above it'),
        ('[clock]\nsource = "internal"\ntransport = "JU-06A"\n', 9, '"JU-06A" is not an input here: transport takes'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nnotes = "B3-C1"\n', 10, 'write the lower key first, "C1-B3"'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nnotes = "H1-C3"\n', 10, 'is not a key range: notes is a key range such as notes = "C1-B3"'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nnotes = "C1-C10"\n', 10, "is not a key range"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nnotes = [36, 59]\n', 10, 'notes = "36-59"'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\ntranspose = 200\n', 10, "transpose is a number of semitones from -127 to 127"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\ntranspose = "-12"\n', 10, "transpose = -12"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nvelocity = 0\n', 10, "velocity 0 is outside 1-127"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nvelocity = "500%"\n', 10, "1% to 400%"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nvelocity = "hrad"\n', 10, "did you mean hard?"),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nvelocities = "127-100"\n', 10, 'velocities = "100-127"'),
        ('[[route]]\nfrom = "KeyStep"\nto = "out1"\nvelocities = "loud"\n', 10, "a range of velocities 1-127"),
        ('[[scene]]\nname = "Verse"\n', 7, "add [scenes] with switch ="),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 16\n', 7, "there is no [[scene]]"),
        ('[scenes]\nswitch = "KeyStep"\n[[scene]]\nname = "A"\n', 8, "needs the channel of the Program Changes"),
        ('[scenes]\nswitch = "JU-06A"\nchannel = 1\n[[scene]]\nname = "A"\n', 8, '"JU-06A" is not an input here: switch takes'),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\n[[scene]]\nprogram = 1\n', 10, "each [[scene]] needs a name"),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\n[[scene]]\nname = "A"\n[[scene]]\nname = "a"\n', 13, 'the scene name "a" is used twice'),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\n[[scene]]\nname = "A"\nprogram = 2\n[[scene]]\nname = "B"\n', 14, 'program 2 already chooses the scene "A": give this scene another, such as program = 1'),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\n[[scene]]\nname = "A"\nprogram = 0\n', 12, "1-128"),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\n[[scene]]\nname = "A"\n[[scene.route]]\nfrom = "KeyStep"\nto = "JU06A"\n', 14, "did you mean JU-06A?"),
        ('[scenes]\nswitch = "KeyStep"\nchannel = 1\npas = true\n[[scene]]\nname = "A"\n', 10, "did you mean pass?"),
        ("[route]\nfrom = 1\n", 7, "[[route]]"),
        ('[outputs2]\nx = 1\n', 7, "unknown key \"outputs2\""),
    ],
)
def test_mistake_reported_with_line_and_advice(body, line, fragment):
    """Each kind of mistake is reported as thruway.toml:LINE: what is wrong, and what to write."""
    errs = errors_of(HEAD + body)
    assert any(e.startswith("thruway.toml:%d: " % line) and fragment in e for e in errs), errs


def test_name_used_twice():
    """A name used twice among the inputs (or among the outputs) is refused, at its second use."""
    errs = errors_of('[inputs]\nin1 = "Synth"\nin2 = "synth"\n')
    assert errs == ['thruway.toml:3: the name "synth" is used twice in [inputs] (also for in1): give each port its own name']


def test_name_used_twice_is_reported_at_its_later_line_whatever_the_order():
    """The later line is the second use, whichever port it names: the message does not depend on
    the order a board's dict keeps (a board's dict keeps none), so the box and `thruway check` agree."""
    errs = errors_of('[outputs]\nout3 = "Rytm"\nout1 = "A4"\nusb = "rytm"\nout2 = "a4"\n')
    assert errs == [
        'thruway.toml:4: the name "rytm" is used twice in [outputs] (also for out3): give each port its own name',
        'thruway.toml:5: the name "a4" is used twice in [outputs] (also for out1): give each port its own name',
    ]
    errs = errors_of('inputs = { in2 = "Synth", in1 = "synth" }\n')
    assert errs == ['thruway.toml:1: the name "Synth" is used twice in [inputs] (also for in1): give each port its own name']


def test_unknown_keys_are_reported_in_the_order_of_the_file():
    """Several unknown keys come out in the file's order (by line, then by name on one line)."""
    errs = errors_of('[options]\nzz = 1\naa = 2\n[clock]\nsorce = "in1"\nb = 1\na = 2\n')
    assert [e.split(":")[1] for e in errs] == ["5", "6", "7", "2", "3"]
    errs = errors_of("clock = { b = 1, a = 2 }\n")
    assert [e.split("key ")[1].split(" ")[0] for e in errs] == ['"a"', '"b"']


def test_settings_error_is_an_exception_with_every_line():
    """SettingsError calls super().__init__ (the boards have no Exception.__init__): str() holds
    every message, one a line, and `errors` the list."""
    e = SettingsError(["a:1: x", "a:2: y"])
    assert str(e) == "a:1: x\na:2: y" and e.errors == ["a:1: x", "a:2: y"]


def test_decode_reads_utf8_bytes_and_names_the_first_line_that_is_not():
    """The file's bytes are UTF-8; a file saved as Latin-1 is refused at its first non-UTF-8 line,
    counted with CR, LF and CR LF line ends alike."""
    assert decode("[inputs]\nin1 = \"Grüße ♫\"\n".encode()) == "[inputs]\nin1 = \"Grüße ♫\"\n"
    for end in (b"\n", b"\r\n", b"\r"):
        data = end.join([b"[inputs]", b"# ok", "in1 = \"Grüße\"".encode(), "in2 = \"Grüße\"".encode("latin-1"), b""])
        with pytest.raises(SettingsError) as e:
            decode(data, "thruway.toml")
        assert e.value.errors == ["thruway.toml:4: this line is not UTF-8 text: save the file as plain text (UTF-8)"]


def test_line_ends_of_any_kind_give_the_same_settings_and_lines():
    """CR LF (Windows) and CR alone (an old Mac) read as LF does: same routes, same error lines."""
    good = HEAD + '[[route]]\nfrom = "KeyStep"\nto = "JU-06A"\n'
    bad = HEAD + '[[route]]\nfrom = "KeyStep"\nto = "JU06A"\n'
    for end in ("\r\n", "\r"):
        assert describe(load(good.replace("\n", end))) == describe(load(good))
        assert errors_of(bad.replace("\n", end)) == errors_of(bad)


def test_same_name_for_an_input_and_an_output_is_fine():
    """One device on an input and an output (the Analog Four) keeps one name: from/to tell them apart."""
    s = load(HEAD + '[[route]]\nfrom = "Analog Four"\nto = "Analog Four"\n')
    assert s.routes[0].source == 1 and s.routes[0].outputs == 1


def test_a_port_cannot_take_another_ports_id():
    """A port named like another port's id would be ambiguous: refused."""
    errs = errors_of('[inputs]\nin1 = "in2"\n')
    assert "the id of another port" in errs[0]


def test_every_error_is_reported_not_just_the_first():
    """All the mistakes in a file are reported at once, each on its own line."""
    errs = errors_of(HEAD + '[[route]]\nfrom = "x"\nto = "y"\nchannels = [99]\n')
    assert [e.split(":")[1] for e in errs] == ["8", "9", "10"]


def test_syntax_error_has_a_line():
    """A TOML syntax error comes with its line number too."""
    errs = errors_of(HEAD + "[[route]]\nfrom = KeyStep\n")
    assert len(errs) == 1 and errs[0].startswith("thruway.toml:8: ")


def test_broken_settings_never_replace_good_ones():
    """A broken file raises before anything reaches the core: the running routing is untouched."""
    good = load(HEAD + '[[route]]\nfrom = "KeyStep"\nto = "JU-06A"\n')
    core = Core(good)
    with pytest.raises(SettingsError):
        core.apply(load(HEAD + '[[route]]\nfrom = "KeyStep"\nto = "nowhere"\n'))
    core.receive(0, b"\x90\x3c\x64", 3, 0)
    buf = bytearray(8)
    assert core.transmit(1, buf, 8) == 3


def test_defaults():
    """No [[route]]: the plain merger; no [clock]: auto, clock goes where the routes go."""
    s = load("")
    assert s.clock_source == CLOCK_AUTO
    assert len(s.routes) == 3
    assert load('[clock]\nsource = "none"\n').clock_source == CLOCK_NONE


def test_ports_by_id_or_name_any_case():
    """Routes may name ports by id or by the name given, in any case."""
    a = load(HEAD + '[[route]]\nfrom = "keystep"\nto = ["OUT2", "analog four"]\n')
    assert a.routes[0].source == 0 and a.routes[0].outputs == 0b11


def test_describe_in_plain_words():
    """describe() says the routing the way a musician reads it."""
    s = load(HEAD + '[[route]]\nfrom = "KeyStep"\nto = "JU-06A"\nchannels = 5\nchannel = 1\ntypes = ["notes", "cc"]\n')
    assert describe(s)[0] == "KeyStep ch 5 -> JU-06A ch 1 (notes, cc)"


def test_describe_clock_division():
    """describe() names each divided output and how much slower its clock runs."""
    s = load(HEAD + '[clock]\nsource = "Analog Four"\nto = ["JU-06A"]\ndivide = { "JU-06A" = 2 }\n')
    assert list(s.clock_divide) == [1, 2, 1, 1, 1]
    assert "clock to JU-06A: every 2nd clock (1/2 speed)" in describe(s)


def test_internal_clock_settings():
    """source = "internal" takes a tempo (whole, or with decimals in quotes) and a transport input;
    describe() says so, and the clock goes to every output unless `to` says otherwise."""
    s = load(HEAD + '[clock]\nsource = "internal"\ntempo = "92.5"\ntransport = "KeyStep"\n')
    assert (s.clock_source, s.tempo, s.transport) == (CLOCK_INTERNAL, 9250, 0)
    assert "clock and transport: the box at 92.5 BPM (started and stopped by KeyStep) -> every output" in describe(s)
    assert load(HEAD + '[clock]\nsource = "internal"\n').tempo == 12000


def test_split_transpose_and_velocity_in_words():
    """A route's key range (by name or number, C4 = 60), transpose and velocity are read and
    described the way a musician writes them."""
    s = load(HEAD + '[[route]]\nfrom = "KeyStep"\nto = "JU-06A"\nnotes = "C#1-Bb3"\ntranspose = 12\n'
             'velocities = "100-127"\nvelocity = "80%"\n[[route]]\nfrom = "KeyStep"\nto = "out1"\nnotes = "60"\n')
    a, b = s.routes
    assert (a.low, a.high, a.transpose, a.soft, a.hard) == (25, 58, 12, 100, 127)
    assert a.velocity[1] == 1 and a.velocity[100] == 80 and a.velocity[127] == 102
    assert (b.low, b.high) == (60, 60)
    assert describe(s)[:2] == [
        "KeyStep C#1-A#3 -> JU-06A (all messages; transpose +12; velocities 100-127; velocity 80%)",
        "KeyStep C4 -> Analog Four (all messages)",
    ]


def test_scenes_in_words():
    """Scenes are read with their names, programs and routes, beside the routes of every
    scene, and described with what switches them."""
    s = load(HEAD + '[scenes]\nswitch = "Analog Four"\nchannel = 9\n[[route]]\nfrom = "KeyStep"\nto = "out1"\n'
             '[[scene]]\nname = "Verse"\n[[scene.route]]\nfrom = "KeyStep"\nto = "JU-06A"\nchannels = 5\n'
             '[[scene]]\nname = "Chorus"\nprogram = 5\n')
    assert [(name, program, len(routes)) for name, program, routes in s.scenes] == [("Verse", 0, 1), ("Chorus", 4, 0)]
    assert (s.scene_input, s.scene_channel, s.scene_pass) == (1, 8, False)
    assert describe(s)[:5] == [
        "KeyStep -> Analog Four (all messages)",
        'scene "Verse" (program 1):',
        "  KeyStep ch 5 -> JU-06A (all messages)",
        'scene "Chorus" (program 5):',
        "scenes switched by: Analog Four ch 9 program changes",
    ]


def test_suggest_spots_small_slips():
    """'did you mean' finds a choice one or two edits away, and stays quiet otherwise."""
    assert suggest("chanel", ["channel", "channels"]) == "channel"
    assert suggest("tpyes", ["types"]) == "types"
    assert suggest("zzz", ["from", "to"]) is None


def test_the_shipped_settings_file_is_valid():
    """The studio settings file in the repository loads without error."""
    with open(os.path.join(ROOT, "thruway.toml")) as f:
        s = load(f.read())
    assert len(s.routes) == 7
