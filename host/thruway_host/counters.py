"""The core's counters in plain words, for every listing that prints them (docs/guide.md explains each)."""

# Per input: what each counter counts, worded to follow its number ("3 stray data bytes ...").
INPUT_WORDS = {
    "stray": "data bytes that belonged to no message (dropped)",
    "undefined": "undefined bytes (F4, F5, F9, FD and their data: ignored)",
    "incomplete": "messages cut short by the next one (dropped)",
    "sysex_unterminated": "SysEx ended by another message instead of F7 (closed with F7)",
    "sysex_timeout": "SysEx left open, closed after the timeout",
    "orphan_note_off": "Note Offs for a note that was not sounding (dropped)",
    "clock_dropped": "clock or transport messages from an input that is not the clock source (dropped)",
    "sensing_dropped": "Active Sensing bytes (filtered)",
    "reset_dropped": "System Reset bytes (filtered)",
    "sensing_lost": "times the input stopped its Active Sensing, as if unplugged (its notes were ended)",
    "strikes_ended": "notes ended early, a key struck a ninth time before its release",
}

# Per output, the drops: what was not sent, and why.
OUTPUT_WORDS = {
    "dropped_droppable": "CC, pressure or pitch bend messages dropped (the output was too busy)",
    "dropped_note_on": "Note Ons dropped (the output was too busy)",
    "dropped_note_off": "Note Offs dropped (this should never happen: please report it)",
    "dropped_other": "program changes or system messages dropped (the output was too busy)",
    "dropped_sysex": "SysEx messages not sent (the output was too busy)",
    "dropped_sysex_cut": "SysEx messages cut short and closed with F7 (the output was too busy)",
    "dropped_realtime": "clock or transport bytes dropped (the output was too busy)",
    "dropped_pedal_up_or_mode": "pedal ups or All Notes Off (and other channel mode messages) dropped (the output was too busy)",
}


def problem_lines(stats, settings=None):
    """A line for each counter that is not zero, in words: `in1 (KeyStep): 3 data bytes that
    belonged to no message (dropped)`. Ports are named by the settings when they name them."""
    lines = []
    for kind, words in (("inputs", INPUT_WORDS), ("outputs", OUTPUT_WORDS)):
        names = None if settings is None else (settings.input_names if kind == "inputs" else settings.output_names)
        for index, (port, counters) in enumerate(stats[kind].items()):
            title = port if names is None or names[index] == port else "%s (%s)" % (port, names[index])
            for key, value in counters.items():
                if value and key in words:
                    lines.append("%s: %d %s" % (title, value, words[key]))
    return lines


def drops_in_words(dropped):
    """A sim table's drops cell: {kind: n} (kinds without the dropped_ prefix) as short words."""
    return ", ".join("%d %s" % (n, OUTPUT_WORDS["dropped_" + kind].split(" (")[0].replace(" dropped", "")) for kind, n in dropped.items() if n) or "none"
