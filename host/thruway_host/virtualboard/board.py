"""Fake `board` for the virtual board: board_id and the board's own pin names (the firmware uses none)."""

# The names come from the pin map's board table (the labels printed on the board) plus LED
# and NEOPIXEL; CircuitPython's real board modules have a few more.

_vb = None
board_id = None


def _install(vb):
    global _vb, board_id
    _vb = vb
    board_id = vb.board_id
    table = vb.board_table
    names = {}
    for gpio, label in table["labels"].items():
        names[label] = gpio
    status = table["status_led"]
    names["NEOPIXEL" if status["kind"] == "neopixel" else "LED"] = status["gpio"]
    if status["kind"] == "neopixel":
        names["LED"] = 13
    g = globals()
    for name, gpio in names.items():
        g[name] = vb.pins.pins[gpio]
