"""`thruway check`'s warnings: settings the box accepts that the guide calls mistakes."""

from thruway.midi import INPUT_IDS, N_OUTPUTS, OUTPUT_IDS
from thruway.settings import CLOCK_FOLLOWS_ROUTES, CLOCK_NONE
from thruway.tomlreader import parse
from thruway_board.settingsfile import SETTINGS_MOST_BYTES


def settings_warnings(settings, text, size, path):
    """`FILE:LINE: warning: ...` lines for what runs but is likely a mistake: a route or the
    clock sent back to the instrument it comes from, `to` with no clock to send, a file larger
    than the board is known to hold."""
    _, lines = parse(text.replace("\r\n", "\n").replace("\r", "\n"))
    found = []

    def warn(line, message):
        found.append("%s:%d: warning: %s" % (path, line, message))

    for route in settings.routes:
        for o in range(N_OUTPUTS):
            if (route.outputs >> o) & 1 and _same_instrument(settings, route.source, o):
                warn(
                    route.line,
                    "this route sends %s's messages back to %s (%s and %s): the instrument hears itself, "
                    "and one that echoes its input loops; route it to another output"
                    % (_name(settings, route.source), _name(settings, route.source), INPUT_IDS[route.source], OUTPUT_IDS[o]),
                )
    source = settings.clock_source
    if 0 <= source < len(INPUT_IDS) and settings.clock_outputs != CLOCK_FOLLOWS_ROUTES:
        for o in range(N_OUTPUTS):
            if (settings.clock_outputs >> o) & 1 and _same_instrument(settings, source, o):
                warn(
                    lines.get(("clock", "to"), lines.get(("clock", "source"), 1)),
                    "the clock goes back to %s, which it comes from (%s): take %s out of [clock] to"
                    % (_name(settings, source), OUTPUT_IDS[o], _quote(settings.output_names[o])),
                )
    if source == CLOCK_NONE and ("clock", "to") in lines:
        warn(lines[("clock", "to")], 'to does nothing with source = "none": no clock passes; remove it or name a source')
    if size > SETTINGS_MOST_BYTES:
        warn(1, "the file is %d bytes, more than the %d the board is known to hold: it may not load there; shorten comments or routes" % (size, SETTINGS_MOST_BYTES))
    return found


def _same_instrument(settings, port, out):
    """An input and an output given the same name (not their ids): one instrument's in and out."""
    name = settings.input_names[port]
    return name != INPUT_IDS[port] and name.strip().lower() == settings.output_names[out].strip().lower()


def _name(settings, port):
    return settings.input_names[port]


def _quote(name):
    return '"%s"' % name
