"""The core's counters in plain words, for the serial console's diagnostics and the thruway command (docs/guide.md explains each)."""

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
    "out_of_range": "notes transposed outside 0-127 (not sent)",
    "scene_switches": "Program Changes that switched scene",
    "loop_stopped": "times the box's own notes came back here (the routes to that instrument were stopped)",
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
