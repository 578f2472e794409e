"""The firmware names pins only through the pin map (lib/thruway_board/pins.py), and uses exactly its pins."""

import ast
import os

import pytest

from boardkit import ROOT, power_up
from thruway_board.pins import BOARDS, PINS

FIRMWARE = ["code.py", "boot.py"] + sorted(
    os.path.join("lib", "thruway_board", name)
    for name in os.listdir(os.path.join(ROOT, "lib", "thruway_board"))
    if name.endswith(".py") and name != "pins.py"
)
GPIO_HELPER = ("lib/thruway_board/ports.py", "gpio")  # the one place microcontroller.pin is read


def pin_names(source, path="<file>"):
    """Every place `source` names a pin itself: board.<anything but board_id>, microcontroller.pin
    outside ports.gpio(), a literal "GPIOn"/"GPn" string, or a `from board/microcontroller import`."""
    tree = ast.parse(source, path)
    found = []
    allowed_functions = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (path, node.name) == GPIO_HELPER:
            allowed_functions.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        where = "%s:%d" % (path, getattr(node, "lineno", 0))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "board" and node.attr != "board_id":
                found.append("%s board.%s" % (where, node.attr))
            if node.value.id == "microcontroller" and node.attr == "pin" and id(node) not in allowed_functions:
                found.append("%s microcontroller.pin" % where)
        if isinstance(node, ast.ImportFrom) and node.module in ("board", "microcontroller", "microcontroller.pin"):
            found.append("%s from %s import ..." % (where, node.module))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if (text.startswith("GPIO") or text.startswith("GP")) and text[text.rindex("P") + 1 :].isdigit():
                found.append("%s %r" % (where, node.value))
    return found


@pytest.mark.parametrize("path", FIRMWARE)
def test_firmware_names_no_pin_itself(path):
    """Each firmware file gets every pin from the pin map: no board.GPn, board.LED, "GPIO7"..."""
    with open(os.path.join(ROOT, path)) as f:
        assert pin_names(f.read(), path) == []


@pytest.mark.parametrize(
    "line",
    [
        "import board\nled = board.LED\n",
        "import board\nrx = board.GP1\n",
        "from board import NEOPIXEL\n",
        "import microcontroller\np = microcontroller.pin.GPIO7\n",
        'import microcontroller\np = getattr(microcontroller.pin, "GPIO26")\n',
    ],
)
def test_the_pin_check_catches_a_pin_named_directly(line):
    """The check above bites: each way of naming a pin outside the pin map is reported."""
    assert pin_names("import board\nx = board.board_id\n" + line, "lib/thruway_board/ports.py") != []


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_the_firmware_claims_exactly_the_pin_maps_pins(tmp_path, board):
    """Running, the firmware holds the pin map's GPIOs (and the board's status light), and no other."""
    from thruway_host.virtualboard import VirtualBoard

    with VirtualBoard(board, drive=tmp_path) as vb:
        power_up(vb, 0.1)
        held = set(vb.pins.owner)
    expected = {entry["gpio"] for entry in PINS.values()} | {BOARDS[board]["status_led"]["gpio"]}
    assert held == expected
