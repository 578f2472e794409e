"""Maintenance mode's figures in words: loop time, free memory, bytes per port, the core's drops."""

from thruway.midi import INPUT_IDS, OUTPUT_IDS


def _nonzero(counters, words):
    """The counters that are not zero, in words (those `words` has)."""
    return ", ".join("%d %s" % (counters[k], text) for k, text in words.items() if counters.get(k))


def report(loop):
    """Lines for the serial console, from a Loop's figures and its core's counters."""
    f = loop.figures()
    free = "unknown" if f["free_memory"] is None else "%d bytes" % f["free_memory"]
    lines = [
        "loop: %d passes in %d ms, mean %d us, worst %d ms; free memory %s"
        % (f["passes"], f["window_ms"], f["mean_us"], f["worst_ms"], free),
    ]
    ins = []
    for i, name in enumerate(INPUT_IDS):
        text = "%s %d" % (name, f["bytes_in"][i])
        if i < len(f["near_full"]) and f["near_full"][i]:
            text += " (buffer nearly full %d times)" % f["near_full"][i]
        ins.append(text)
    lines.append("bytes in since power-up: " + ", ".join(ins))
    outs = ["%s %d" % (name, f["bytes_out"][o]) for o, name in enumerate(OUTPUT_IDS) if o < len(f["bytes_out"])]
    usb = "" if f["usb_connected"] else " (no computer)"
    if f["usb_discarded"]:
        usb += ", %d bytes dropped: no computer took them" % f["usb_discarded"]
    lines.append("bytes out since power-up: " + ", ".join(outs) + usb)
    from thruway_board.words import INPUT_WORDS, OUTPUT_WORDS  # only in diagnostics: their text takes memory

    stats = loop.core.stats()
    for name in INPUT_IDS:
        text = _nonzero(stats["inputs"][name], INPUT_WORDS)
        if text:
            lines.append("%s since power-up: %d messages; %s" % (name, stats["inputs"][name]["messages"], text))
    for name in OUTPUT_IDS:
        text = _nonzero(stats["outputs"][name], OUTPUT_WORDS)
        if text:
            lines.append(
                "%s since power-up: %s (deepest queue %d bytes)" % (name, text, stats["outputs"][name]["deepest_queue"])
            )
    scene = loop.core.scene_name()
    if scene is not None:
        n = sum(c["scene_switches"] for c in stats["inputs"].values())
        lines.append('scene: "%s" (%d switch%s since power-up)' % (scene, n, "" if n == 1 else "es"))
    if f["reloads"] or f["reload_errors"] or f["panics"]:
        lines.append(
            "settings applied %d times, refused %d times; panic %d times" % (f["reloads"], f["reload_errors"], f["panics"])
        )
    return lines
