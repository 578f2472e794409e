"""The settings file `thruway.toml`: read, checked line by line, and turned into routes."""

from thruway.midi import (
    INPUT_IDS,
    OUTPUT_IDS,
    N_INPUTS,
    N_OUTPUTS,
    OUT_USB,
    ALL_OUTPUTS,
    TYPE_NAMES,
    T_ALL,
)
# The settings as the box runs them live in thruway.routes, so that the board can drop this
# module (and the TOML reader) once a file is read: see thruway_board.settingsfile.
from thruway.routes import (
    CLOCK_AUTO,
    CLOCK_FOLLOWS_ROUTES,
    CLOCK_INTERNAL,
    CLOCK_NONE,
    SETTINGS_FILE,
    SYSEX_TIMEOUT_MS,
    TEMPO,
    Route,
    Settings,
    SettingsError,
    default_settings,
)
# decode() lives in a module of its own, so that the board makes a file's bytes text without
# importing this one (thruway_board.settingsfile); `thruway check` finds it here too.
from thruway.text import decode  # noqa: F401

SYSEX_TIMEOUT_RANGE = (20, 5000)
NAME_LENGTH = 32

SECTIONS = ("inputs", "outputs", "clock", "route", "options", "scenes", "scene")
SCENES_KEYS = ("switch", "channel", "pass")
SCENE_KEYS = ("name", "program", "route")
ROUTE_KEYS = ("from", "to", "channels", "channel", "types", "notes", "transpose", "velocities", "velocity")
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLATS = {"DB": 1, "EB": 3, "GB": 6, "AB": 8, "BB": 10}
CURVES = ("soft", "hard")
CLOCK_KEYS = ("source", "to", "divide", "tempo", "transport")
TEMPO_RANGE = (2000, 30000)  # 20-300 BPM
DIVIDE_RANGE = (1, 16)
OPTION_KEYS = ("running_status", "sysex_timeout_ms", "active_sensing")


def load(text, filename=SETTINGS_FILE):
    """Settings from the text of a settings file, or SettingsError listing every mistake."""
    from thruway.tomlreader import parse, TomlError

    try:
        doc, lines = parse(text)
    except TomlError as e:
        raise SettingsError([e.where(filename)])
    return from_document(doc, lines, filename)


def from_document(doc, lines, filename=SETTINGS_FILE, between=None):
    """Settings from a parsed TOML document and the line of each key (see tomlreader.parse: its
    Lines, or their `tables`, plain dicts). `between`, if given, is called between sections
    and before each route is checked (the running board serves MIDI there)."""
    checker = _Checker(lines, filename)
    checker.between = between
    settings = checker.settings(doc)
    if checker.errors:
        raise SettingsError(checker.errors)
    settings.filename = filename
    return settings


class _Checker:
    def __init__(self, lines, filename):
        # Per table path, {key: line}: plain dicts (the board drops the reader, whose Lines
        # class would keep every function of the TOML reader alive, before the check).
        self.tables = getattr(lines, "tables", lines)
        self.filename = filename
        self.errors = []
        self.between = None

    def error(self, path, message):
        line = 0
        while path:
            line = self.line(path)
            if line:
                break
            path = path[:-1]
        self.errors.append("%s:%d: %s" % (self.filename, line or 1, message))

    def in_order(self, table, path):
        """The keys of `table` in the order the file gives them (by line, then by name): a
        board's dict has no order of its own, and the messages must not depend on it."""
        return sorted(table, key=lambda key: (self.line(path + (key,)), key))

    def line(self, path):
        """The line of key path `path` (0: not in the file)."""
        table = self.tables.get(path[:-1])
        return 0 if table is None else table.get(path[-1], 0)

    def unknown_keys(self, table, path, allowed, where):
        for key in self.in_order(table, path):
            if key not in allowed:
                hint = suggest(key, allowed)
                if hint:
                    msg = "unknown key %s in %s: did you mean %s?" % (_q(key), where, hint)
                else:
                    msg = "unknown key %s in %s: the keys are %s" % (_q(key), where, ", ".join(allowed))
                self.error(path + (key,), msg)

    def settings(self, doc):
        s = Settings()
        self.unknown_keys(doc, (), SECTIONS, "the settings (sections are [inputs], [outputs], [clock], [[route]], [options], [scenes], [[scene]])")
        for key in self.in_order(doc, ()):
            value = doc[key]
            if key == "route" or key == "scene":
                if not isinstance(value, list):
                    self.error((key,), "%s must be written as [[%s]] tables, one per %s" % (key, key, key))
            elif key in SECTIONS and not isinstance(value, dict):
                self.error((key,), "%s must be a table: write [%s] on a line of its own, then its keys" % (key, key))
        self.pause()
        s.input_names = self.names(doc.get("inputs"), "inputs", INPUT_IDS)
        s.output_names = self.names(doc.get("outputs"), "outputs", OUTPUT_IDS)
        self.pause()
        self.inputs = _port_lookup(INPUT_IDS, s.input_names)
        self.outputs = _port_lookup(OUTPUT_IDS, s.output_names)
        self.input_names = s.input_names
        self.output_names = s.output_names
        clock = doc.get("clock")
        if isinstance(clock, dict):
            self.clock(clock, s)
        self.pause()
        options = doc.get("options")
        if isinstance(options, dict):
            self.options(options, s)
        routes = doc.get("route")
        if isinstance(routes, list):
            for i, route in enumerate(routes):
                if isinstance(route, dict):
                    s.routes.extend(self.route(route, ("route", i)))
        elif routes is None and not isinstance(doc.get("scene"), list):
            s.routes = default_settings().routes
        self.scenes(doc, s)
        return s

    def scenes(self, doc, s):
        """[scenes] switch, channel, pass and the [[scene]] tables: name, program, [[scene.route]]."""
        scenes = doc.get("scene")
        head = doc.get("scenes")
        if not isinstance(scenes, list):
            if isinstance(head, dict):
                self.error(("scenes",), "[scenes] says how to switch scenes, but there is no [[scene]]: add one, or remove [scenes]")
            return
        if not isinstance(head, dict) or "switch" not in head:
            self.error(("scene", 0), 'scenes are switched by a Program Change: add [scenes] with switch = %s and channel = 16' % _q(self.input_names[0]))
            head = {}
        self.unknown_keys(head, ("scenes",), SCENES_KEYS, "[scenes]")
        if "switch" in head:
            s.scene_input = self.port(head["switch"], ("scenes", "switch"), self.inputs, self.outputs, "input", self.input_names, INPUT_IDS)
        if "channel" not in head:
            if "switch" in head:
                self.error(("scenes", "switch"), "[scenes] needs the channel of the Program Changes that switch scenes: channel = 16")
        else:
            s.scene_channel = self.channel_number(head["channel"], ("scenes", "channel"), "channel")
        if "pass" in head:
            if not isinstance(head["pass"], bool):
                self.error(("scenes", "pass"), "pass is true (the Program Change also goes on, by the routes) or false")
            else:
                s.scene_pass = head["pass"]
        names = {}  # type: dict
        programs = {}  # type: dict
        for i, scene in enumerate(scenes):
            path = ("scene", i)
            if not isinstance(scene, dict):
                continue
            self.unknown_keys(scene, path, SCENE_KEYS, "[[scene]]")
            name = scene.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(path, 'each [[scene]] needs a name in quotes: name = "Song %d"' % (i + 1))
                name = "scene %d" % (i + 1)
            name = name.strip()
            if name.lower() in names:
                self.error(path + ("name",), "the scene name %s is used twice (also on line %d): give each scene its own name" % (_q(name), names[name.lower()]))
            names[name.lower()] = self.line(path + ("name",))
            program = i
            if "program" in scene:
                value = scene["program"]
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 128:
                    self.error(path + ("program",), "program is the Program Change number that chooses this scene, 1-128: program = %d" % (i + 1))
                else:
                    program = value - 1
            if program in programs:
                free = 0
                while free in programs or free == program:
                    free += 1
                self.error(
                    path + ("program" if "program" in scene else "name",),
                    "program %d already chooses the scene %s: give this scene another, such as program = %d"
                    % (program + 1, _q(programs[program]), free + 1),
                )
            programs[program] = name
            routes = []
            value = scene.get("route", [])
            if not isinstance(value, list):
                self.error(path + ("route",), "a scene's routes are written as [[scene.route]] tables, one per route")
                value = []
            for j, route in enumerate(value):
                if isinstance(route, dict):
                    routes.extend(self.route(route, path + ("route", j)))
            s.scenes.append([name, program, routes])

    def names(self, table, section, ids):
        names = list(ids)
        if not isinstance(table, dict):
            return names
        self.unknown_keys(table, (section,), ids, "[%s] (ports are %s)" % (section, ", ".join(ids)))
        seen = {}  # type: dict
        for key in self.in_order(table, (section,)):
            if key not in ids:
                continue
            value = table[key]
            path = (section, key)
            if not isinstance(value, str) or not value.strip():
                self.error(path, "%s needs a name in quotes, such as %s = \"KeyStep\"" % (key, key))
                continue
            name = value.strip()
            if len(name) > NAME_LENGTH:
                self.error(path, "the name for %s is longer than %d characters: shorten it" % (key, NAME_LENGTH))
                continue
            folded = name.lower()
            if folded in ids and folded != key:
                self.error(path, "%s cannot be named %s, the id of another port: choose another name" % (key, _q(name)))
                continue
            if folded in seen:
                self.error(
                    path,
                    "the name %s is used twice in [%s] (also for %s): give each port its own name"
                    % (_q(name), section, seen[folded]),
                )
                continue
            seen[folded] = key
            names[ids.index(key)] = name
        return names

    def port(self, value, path, lookup, other, kind, names, ids, what=None):
        """The index of the port `value` names, or -1 (with an error reported)."""
        if not isinstance(value, str):
            self.error(path, "a port is written in quotes, by id or name: %s" % _choices(ids, names))
            return -1
        folded = value.strip().lower()
        if folded in lookup:
            return lookup[folded]
        if folded in other:
            self.error(path, "%s is not an %s here: %s takes %s" % (_q(value), kind, what or path[-1], _choices(ids, names)))
            return -1
        hint = suggest(value, list(ids) + [n for n in names if n not in ids])
        msg = "unknown %s %s: write one of %s" % (kind, _q(value), _choices(ids, names))
        if hint:
            msg = "unknown %s %s: did you mean %s? (%s)" % (kind, _q(value), hint, _choices(ids, names))
        self.error(path, msg)
        return -1

    def port_list(self, value, path, inputs):
        """A mask of the ports named by a string or a list of strings."""
        if inputs:
            lookup, other, kind, names, ids = self.inputs, self.outputs, "input", self.input_names, INPUT_IDS  # type: dict, dict, str, list, tuple
        else:
            lookup, other, kind, names, ids = self.outputs, self.inputs, "output", self.output_names, OUTPUT_IDS
        items = value if isinstance(value, list) else [value]
        if not items:
            self.error(path, "%s is empty: name at least one %s, such as %s" % (path[-1], kind, _q(names[0])))
        mask = 0
        for item in items:
            index = self.port(item, path, lookup, other, kind, names, ids)
            if index >= 0:
                mask |= 1 << index
        return mask

    def channel_number(self, value, path, what):
        if isinstance(value, list) and what == "channel":
            first = value[0] if value and isinstance(value[0], int) and not isinstance(value[0], bool) else 1
            self.error(
                path,
                "channel takes one channel, the one the route rewrites to, not a list: write channel = %d"
                " (channels = [...] chooses which channels pass)" % first,
            )
            return -1
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, "%s takes channel numbers 1-16 without quotes, such as %s = 5" % (what, what))
            return -1
        if value < 1 or value > 16:
            self.error(path, "channel %d is outside 1-16: MIDI channels are numbered 1 to 16" % value)
            return -1
        return value - 1

    def clock(self, clock, s):
        self.unknown_keys(clock, ("clock",), CLOCK_KEYS, "[clock]")
        if "source" in clock:
            source = clock["source"]
            path = ("clock", "source")
            folded = source.strip().lower() if isinstance(source, str) else None
            if folded == "auto":
                s.clock_source = CLOCK_AUTO
            elif folded == "none":
                s.clock_source = CLOCK_NONE
            elif folded == "internal":
                s.clock_source = CLOCK_INTERNAL
            elif folded is None:
                self.error(
                    path, "source is an input in quotes, \"auto\", \"internal\" or \"none\": %s" % _choices(INPUT_IDS, self.input_names)
                )
            else:
                index = self.port(source, path, self.inputs, self.outputs, "input", self.input_names, INPUT_IDS)
                if index >= 0:
                    s.clock_source = index
        if "to" in clock:
            s.clock_outputs = self.port_list(clock["to"], ("clock", "to"), False)
        if "divide" in clock:
            self.divide(clock["divide"], s)
        for key in ("tempo", "transport"):
            if key in clock and s.clock_source != CLOCK_INTERNAL:
                self.error(("clock", key), '%s is for the box\'s own clock: write source = "internal" above it, or remove %s' % (key, key))
        if s.clock_source != CLOCK_INTERNAL:
            return
        if "tempo" in clock:
            s.tempo = self.tempo(clock["tempo"], ("clock", "tempo"))
        if "transport" in clock:
            value = clock["transport"]
            s.transport = self.port(value, ("clock", "transport"), self.inputs, self.outputs, "input", self.input_names, INPUT_IDS)

    def tempo(self, value, path):
        """tempo = 120, or "92.5" in quotes (the box's reader takes no decimal numbers): BPM."""
        advice = 'tempo is 20-300 BPM: tempo = 120, or with decimals in quotes, tempo = "92.5"'
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        whole, _, frac = text.partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
            self.error(path, advice + " (at most two decimals)")
            return TEMPO
        hundredths = int(whole) * 100 + (int((frac + "00")[:2]) if frac else 0)
        low, high = TEMPO_RANGE
        if not low <= hundredths <= high:
            self.error(path, "tempo %s is outside 20-300 BPM: %s" % (text, advice))
            return TEMPO
        return hundredths

    def divide(self, table, s):
        """[clock] divide = { "Analog Rytm" = 2 }: an output gets every Nth clock."""
        path = ("clock", "divide")
        low, high = DIVIDE_RANGE
        if not isinstance(table, dict) or not table:
            self.error(path, "divide names outputs and how much to slow their clock: divide = { %s = 2 }" % _q(self.output_names[0]))
            return
        divide = bytearray([1] * N_OUTPUTS)
        for key in self.in_order(table, path):
            value = table[key]
            index = self.port(key, path + (key,), self.outputs, self.inputs, "output", self.output_names, OUTPUT_IDS, "divide")
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.error(
                    path + (key,),
                    "divide takes a whole number from %d to %d (2: half time, every second clock): %s = 2" % (low, high, _q(key)),
                )
            elif index >= 0:
                divide[index] = value
        s.clock_divide = divide

    def options(self, options, s):
        self.unknown_keys(options, ("options",), OPTION_KEYS, "[options]")
        if "running_status" in options:
            value = options["running_status"]
            path = ("options", "running_status")
            if isinstance(value, bool):
                s.running_status = (ALL_OUTPUTS & ~(1 << OUT_USB)) if value else 0
            else:
                mask = self.port_list(value, path, False)
                if mask & (1 << OUT_USB):
                    self.error(path, "USB MIDI never uses running status: name DIN outputs only (out1-out4)")
                s.running_status = mask & ~(1 << OUT_USB)
        if "sysex_timeout_ms" in options:
            value = options["sysex_timeout_ms"]
            low, high = SYSEX_TIMEOUT_RANGE
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.error(
                    ("options", "sysex_timeout_ms"),
                    "sysex_timeout_ms is a whole number of milliseconds from %d to %d, such as sysex_timeout_ms = %d"
                    % (low, high, SYSEX_TIMEOUT_MS),
                )
            else:
                s.sysex_timeout_ms = value
        if "active_sensing" in options:
            value = options["active_sensing"]
            if not isinstance(value, bool):
                self.error(("options", "active_sensing"), "active_sensing is true or false, without quotes")
            else:
                s.active_sensing = value

    def pause(self):
        """Call from_document's `between`, if it has one."""
        if self.between is not None:
            self.between()

    def route(self, route, path):
        self.pause()
        self.unknown_keys(route, path, ROUTE_KEYS, "[[route]]")
        errors = len(self.errors)
        for key in ("from", "to"):
            if key not in route:
                self.error(path, "this route has no %s: add a line such as %s = %s" % (key, key, _q(
                    self.input_names[0] if key == "from" else self.output_names[0])))
        sources = self.port_list(route["from"], path + ("from",), True) if "from" in route else 0
        outputs = self.port_list(route["to"], path + ("to",), False) if "to" in route else 0
        channels = 0xFFFF
        if "channels" in route:
            value = route["channels"]
            items = value if isinstance(value, list) else [value]
            if not items:
                self.error(path + ("channels",), "channels is empty: list channels 1-16, such as channels = [1, 2]")
            channels = 0
            for item in items:
                ch = self.channel_number(item, path + ("channels",), "channels")
                if ch >= 0:
                    channels |= 1 << ch
        channel = -1
        if "channel" in route:
            channel = self.channel_number(route["channel"], path + ("channel",), "channel")
        types = T_ALL
        if "types" in route:
            value = route["types"]
            items = value if isinstance(value, list) else [value]
            words = [name for name, _ in TYPE_NAMES]
            if not items:
                self.error(path + ("types",), "types is empty: list some of %s" % ", ".join(words))
            types = 0
            for item in items:
                if not isinstance(item, str):
                    self.error(path + ("types",), "types are words in quotes: %s" % ", ".join(words))
                    continue
                folded = item.strip().lower()
                bit = 0
                for name, b in TYPE_NAMES:
                    if name == folded:
                        bit = b
                if bit:
                    types |= bit
                else:
                    hint = suggest(folded, words)
                    self.error(
                        path + ("types",),
                        "unknown type %s: %s" % (_q(item), ("did you mean %s?" % hint) if hint else "write one of " + ", ".join(words)),
                    )
        low, high = 0, 127
        if "notes" in route:
            low, high = self.key_range(route["notes"], path + ("notes",))
        transpose = 0
        if "transpose" in route:
            value = route["transpose"]
            if isinstance(value, bool) or not isinstance(value, int) or not -127 <= value <= 127:
                self.error(path + ("transpose",), "transpose is a number of semitones from -127 to 127, such as transpose = -12 (an octave down)")
            else:
                transpose = value
        soft, hard = 1, 127
        if "velocities" in route:
            soft, hard = self.velocity_range(route["velocities"], path + ("velocities",))
        curve = None
        if "velocity" in route:
            curve = self.velocity_curve(route["velocity"], path + ("velocity",))
        if len(self.errors) > errors:
            return []
        line = self.line(path)
        routes = []
        for src in range(N_INPUTS):
            if (sources >> src) & 1:
                r = Route(src, outputs, channels, channel, types, line, low, high, transpose, soft, hard, curve)
                if curve is not None:
                    r.velocity_text = str(route["velocity"]).strip().lower()  # for describe()
                routes.append(r)
        return routes

    def key_range(self, value, path):
        """notes = "C1-B3" (or "36-59", "C4", 60): the keys a route passes, lowest to highest."""
        advice = 'notes is a key range such as notes = "C1-B3" (middle C is C4), or numbers 0-127: notes = "36-59"'
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, str):
            text = value.strip()
        else:
            self.error(path, advice)
            return 0, 127
        # The dash between two keys follows a digit (the dash in C-1 follows a letter).
        dash = text.find("-", 1)
        while dash > 0 and not text[dash - 1].isdigit():
            dash = text.find("-", dash + 1)
        words = (text[:dash], text[dash + 1 :]) if dash > 0 else (text, text)
        keys = [note_number(w) for w in words]
        if keys[0] < 0 or keys[1] < 0:
            self.error(path, "%s is not a key range: %s" % (_q(text), advice))
            return 0, 127
        if keys[0] > keys[1]:
            self.error(path, "%s runs from high to low: write the lower key first, %s" % (
                _q(text), _q("%s-%s" % (note_name(keys[1]), note_name(keys[0])))))
            return 0, 127
        return keys[0], keys[1]

    def velocity_range(self, value, path):
        """velocities = "100-127": the Note On velocities a route passes."""
        advice = 'velocities is a range of velocities 1-127 such as velocities = "100-127" (played hard)'
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        parts = text.split("-")
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        if len(parts) != 2 or not parts[0].strip().isdigit() or not parts[1].strip().isdigit():
            self.error(path, advice)
            return 1, 127
        soft, hard = int(parts[0]), int(parts[1])
        if not 1 <= soft <= hard <= 127:
            self.error(path, "%s: %s, the lower first" % (_q(text), advice))
            return 1, 127
        return soft, hard

    def velocity_curve(self, value, path):
        """velocity = 100 (fixed), "50%" (scaled), "soft" or "hard" (curves): 128 bytes, v -> v'."""
        advice = ('velocity is a fixed velocity 1-127 (velocity = 100), a scale in percent (velocity = "80%")'
                  ' or a curve, "soft" or "hard"')
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 127:
                self.error(path, "velocity %d is outside 1-127: %s" % (value, advice))
                return None
            return bytes([value] * 128)
        if not isinstance(value, str):
            self.error(path, advice)
            return None
        text = value.strip().lower()
        if text.endswith("%") and text[:-1].strip().isdigit():
            percent = int(text[:-1])
            if not 1 <= percent <= 400:
                self.error(path, "a velocity scale is 1%% to 400%%: %s" % advice)
                return None
            # Scaling never makes a velocity 0 (a Note Off) or above 127.
            return bytes([max(1, min(127, (v * percent + 50) // 100)) for v in range(128)])
        if text in CURVES:
            # soft: quiet playing sounds louder (v' = 127 * sqrt(v / 127)); hard: the opposite (v^2).
            if text == "soft":
                return bytes([max(1, min(127, _isqrt(v * 127))) for v in range(128)])
            return bytes([max(1, (v * v + 63) // 127) for v in range(128)])
        hint = suggest(text, CURVES)
        self.error(path, "unknown velocity %s: %s" % (_q(value), ("did you mean %s?" % hint) if hint else advice))
        return None


def tempo_words(hundredths):
    """120, 92.5 or 92.25: a tempo in hundredths of a BPM as people write it."""
    text = "%d.%02d" % (hundredths // 100, hundredths % 100)
    return text.rstrip("0").rstrip(".")


def note_number(word):
    """The MIDI key of a note name (C4 = 60, C#4 or Db4, down to C-1 = 0) or number; -1 if none."""
    word = word.strip()
    if word.isdigit():
        n = int(word)
        return n if n <= 127 else -1
    upper = word.upper()
    i = 2 if len(upper) > 1 and upper[1] in "#B" and not upper[1:].lstrip("-").isdigit() else 1
    name = upper[:i]
    if name in _FLATS:
        pitch = _FLATS[name]
    elif name in NOTE_NAMES:
        pitch = NOTE_NAMES.index(name)
    else:
        return -1
    octave = upper[i:]
    if not octave.lstrip("-").isdigit() or octave.count("-") > 1 or (octave.startswith("-") is False and "-" in octave):
        return -1
    n = (int(octave) + 1) * 12 + pitch
    return n if 0 <= n <= 127 else -1


def note_name(n):
    return "%s%d" % (NOTE_NAMES[n % 12], n // 12 - 1)


def _isqrt(n):
    r = 0
    while (r + 1) * (r + 1) <= n:
        r += 1
    return r


def _port_lookup(ids, names):
    lookup = {}
    for i in range(len(ids)):
        lookup[ids[i]] = i
        lookup[names[i].lower()] = i
    return lookup


def _choices(ids, names):
    parts = []
    for i in range(len(ids)):
        if names[i] != ids[i]:
            parts.append("%s (%s)" % (ids[i], _q(names[i])))
        else:
            parts.append(ids[i])
    return ", ".join(parts)


def _q(text):
    return '"%s"' % text


def suggest(word, choices):
    """The choice nearest to a misspelt `word` (at most 2 edits, or a difference of case), or None."""
    word = str(word).lower()
    best = None
    best_distance = 3
    for choice in choices:
        d = _distance(word, choice.lower())
        if d < best_distance:
            best = choice
            best_distance = d
    if best is not None and best_distance > 0 and best_distance >= len(word):
        return None
    return best


def _distance(a, b):
    """Edit distance (insert, delete, change, swap of neighbours) between two short strings."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2 = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2 = prev
        prev = row
    return prev[len(b)]


def _route_words(settings, routes):
    """A line per route, in plain words."""
    from thruway.midi import type_names

    inputs = settings.input_names
    outputs = settings.output_names
    lines = []
    for r in routes:
        chans = _channel_words(r.channels)
        left = inputs[r.source] + ("" if chans == "all channels" else " " + chans)
        targets = ", ".join(outputs[o] for o in range(N_OUTPUTS) if (r.outputs >> o) & 1)
        right = targets + (" ch %d" % (r.channel + 1) if r.channel >= 0 else "")
        types = "all messages" if r.types == T_ALL else ", ".join(type_names(r.types))
        if r.low or r.high < 127:
            left += " " + (note_name(r.low) if r.low == r.high else "%s-%s" % (note_name(r.low), note_name(r.high)))
        if r.transpose:
            types += "; transpose %+d" % r.transpose
        if r.soft > 1 or r.hard < 127:
            types += "; velocities %d-%d" % (r.soft, r.hard)
        if r.velocity is not None:
            types += "; velocity %s" % getattr(r, "velocity_text", "changed")
        lines.append("%s -> %s (%s)" % (left, right, types))
    return lines


def describe(settings):
    """The routing in plain words, a line each, as `thruway check` prints it."""
    inputs = settings.input_names
    outputs = settings.output_names
    lines = _route_words(settings, settings.routes)
    for name, program, routes in settings.scenes:
        lines.append("scene %s (program %d):" % (_q(name), program + 1))
        lines.extend("  " + line for line in _route_words(settings, routes))
    if settings.scenes:
        lines.append(
            "scenes switched by: %s ch %d program changes%s"
            % (inputs[settings.scene_input], settings.scene_channel + 1, ", also passed on" if settings.scene_pass else "")
        )
    if not settings.routes and not settings.scenes:
        lines.append("no routes: nothing passes")
    if settings.clock_source == CLOCK_NONE:
        lines.append("clock: none passes")
    else:
        if settings.clock_source == CLOCK_AUTO:
            src = "auto (the input that last sent Start)"
        elif settings.clock_source == CLOCK_INTERNAL:
            src = "the box at %s BPM" % tempo_words(settings.tempo)
            if settings.transport >= 0:
                src += " (started and stopped by %s)" % inputs[settings.transport]
        else:
            src = inputs[settings.clock_source]
        if settings.clock_outputs == CLOCK_FOLLOWS_ROUTES:
            to = "every output" if settings.clock_source == CLOCK_INTERNAL else "where its routes go"
        else:
            to = ", ".join(outputs[o] for o in range(N_OUTPUTS) if (settings.clock_outputs >> o) & 1) or "no output"
        lines.append("clock and transport: %s -> %s" % (src, to))
        divide = settings.clock_divide
        if divide:
            for o in range(N_OUTPUTS):
                if divide[o] > 1:
                    lines.append("clock to %s: every %s clock (1/%d speed)" % (outputs[o], _ORDINALS[divide[o]], divide[o]))
    if settings.running_status:
        lines.append("running status on: " + ", ".join(outputs[o] for o in range(N_OUTPUTS) if (settings.running_status >> o) & 1))
    lines.append("active sensing: %s" % ("passed (first input to send it)" if settings.active_sensing else "filtered"))
    return lines


_ORDINALS = ("", "", "2nd", "3rd") + tuple("%dth" % n for n in range(4, 17))


def _channel_words(mask):
    if mask == 0xFFFF:
        return "all channels"
    chans = [c + 1 for c in range(16) if (mask >> c) & 1]
    runs = []
    i = 0
    while i < len(chans):
        j = i
        while j + 1 < len(chans) and chans[j + 1] == chans[j] + 1:
            j += 1
        runs.append(str(chans[i]) if i == j else "%d-%d" % (chans[i], chans[j]))
        i = j + 1
    return "ch " + ",".join(runs)
