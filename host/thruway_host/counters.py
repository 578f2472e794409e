"""The core's counters in plain words in the thruway command's listings (docs/guide.md explains each)."""

from thruway_board.words import INPUT_WORDS, OUTPUT_WORDS  # one place for the board and the host


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
