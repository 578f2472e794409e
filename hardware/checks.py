"""Checks that a pin map follows the RP2040's rules and fits both boards; each returns a list of problems."""

from thruway_board import pins as pin_map

KINDS = ("uart_rx", "uart_tx", "pio_tx", "led", "button")
# Functions the firmware expects: one data pin per port, one LED per port, the panic button.
REQUIRED = pin_map.INPUTS + pin_map.OUTPUTS + tuple("led_" + p for p in pin_map.INPUTS + pin_map.OUTPUTS) + ("panic",)
GPIO_COUNT = 30


def gp(gpio):
    """How people write a GPIO: GP9."""
    return "GP%d" % gpio


def gp_list(gpios):
    """'GP4, GP8, GP20, GP24'."""
    return ", ".join(gp(g) for g in gpios)


def _direction(kind):
    return "RX" if kind == "uart_rx" else "TX"


def entry_problems(pins):
    """Every required function is there, with a known kind, a GPIO that exists and a UART block where needed."""
    problems = ["missing %s: the firmware needs it" % name for name in REQUIRED if name not in pins]
    for name, entry in sorted(pins.items()):
        kind = entry.get("kind")
        gpio = entry.get("gpio")
        if kind not in KINDS:
            problems.append("%s: unknown kind %r (one of %s)" % (name, kind, ", ".join(KINDS)))
        if not isinstance(gpio, int) or not 0 <= gpio < GPIO_COUNT:
            problems.append("%s: GPIO %r does not exist (the RP2040 has GP0-GP29)" % (name, gpio))
        if kind in ("uart_rx", "uart_tx") and entry.get("uart") not in pin_map.UART_TX_PINS:
            problems.append("%s: UART block %r does not exist (0 or 1)" % (name, entry.get("uart")))
        if kind not in ("uart_rx", "uart_tx") and "uart" in entry:
            problems.append("%s: a %s pin has no UART block" % (name, kind))
    return problems


def _valid(pins):
    """The entries whose GPIO and kind are sound enough for the rules below."""
    return {
        name: e
        for name, e in pins.items()
        if e.get("kind") in KINDS and isinstance(e.get("gpio"), int) and 0 <= e["gpio"] < GPIO_COUNT
        and (e["kind"] not in ("uart_rx", "uart_tx") or e.get("uart") in pin_map.UART_TX_PINS)
    }


def uart_problems(pins):
    """Each UART pin sits on a GPIO its block can use, and each block has at most one RX and one TX."""
    problems = []
    taken = {}
    for name, entry in sorted(_valid(pins).items()):
        kind = entry["kind"]
        if kind not in ("uart_rx", "uart_tx"):
            continue
        block, gpio, way = entry["uart"], entry["gpio"], _direction(kind)
        allowed = (pin_map.UART_RX_PINS if kind == "uart_rx" else pin_map.UART_TX_PINS)[block]
        if gpio not in allowed:
            problems.append(
                "%s %s on %s: UART%d %s can only use %s" % (name, way, gp(gpio), block, way, gp_list(allowed))
            )
        other = taken.setdefault((block, way), name)
        if other != name:
            problems.append(
                "%s and %s both use UART%d %s: a UART block has one %s pin; move one to the other block or to PIO"
                % (other, name, block, way, way)
            )
    return problems


def duplicate_problems(pins):
    """No GPIO does two things, and none takes a pin kept free for later."""
    problems = []
    users = {}
    for name, entry in sorted(_valid(pins).items()):
        users.setdefault(entry["gpio"], []).append(name)
    for gpio, names in sorted(users.items()):
        if len(names) > 1:
            problems.append("%s used twice: %s" % (gp(gpio), " and ".join(names)))
        if gpio in pin_map.KEEP_FREE:
            problems.append("%s on %s: that pin is kept free for the %s" % (names[0], gp(gpio), pin_map.KEEP_FREE[gpio]))
    return problems


def board_problems(pins, board_id, board):
    """On this board every function's GPIO is on the header and none is one the board reserves."""
    problems = []
    for name, entry in sorted(_valid(pins).items()):
        gpio = entry["gpio"]
        if gpio in board["reserved"]:
            problems.append(
                "%s: %s on %s, which the board reserves (%s)" % (board_id, name, gp(gpio), board["reserved"][gpio])
            )
        elif gpio not in board["labels"]:
            problems.append("%s: %s on %s, which the board does not break out on its header" % (board_id, name, gp(gpio)))
    return problems


def pio_problems(pins, board_id, board):
    """PIO outputs fit in the state machines the board leaves free."""
    wanted = sorted(name for name, e in _valid(pins).items() if e["kind"] == "pio_tx")
    total = pin_map.PIO_BLOCKS * pin_map.PIO_STATE_MACHINES_PER_BLOCK
    free = total - board["pio_state_machines_used"]
    if len(wanted) <= free:
        return []
    return [
        "%s: %d PIO outputs (%s) but only %d of %d PIO state machines are free"
        % (board_id, len(wanted), ", ".join(wanted), free, total)
    ]


def board_table_problems(board_id, board):
    """A board's own table is consistent: header pin numbers unique, status LED reserved."""
    problems = []
    numbers = list(board["header_pins"].values()) + list(board["power_pins"].values())
    if len(set(numbers)) != len(numbers):
        problems.append("%s: a header pin number is given twice" % board_id)
    if board["header_pins"] and set(board["header_pins"]) != set(board["labels"]):
        problems.append("%s: header_pins and labels list different GPIOs" % board_id)
    if board["status_led"]["gpio"] not in board["reserved"]:
        problems.append("%s: the status LED %s is not in reserved" % (board_id, gp(board["status_led"]["gpio"])))
    return problems


def problems(pins=None, boards=None):
    """Every problem with a pin map on every board; an empty list means it is sound."""
    pins = pin_map.PINS if pins is None else pins
    boards = pin_map.BOARDS if boards is None else boards
    found = entry_problems(pins) + uart_problems(pins) + duplicate_problems(pins)
    for board_id, board in sorted(boards.items()):
        found += board_table_problems(board_id, board)
        found += board_problems(pins, board_id, board)
        found += pio_problems(pins, board_id, board)
    return found


class PinMapError(ValueError):
    """A pin map that breaks the rules; the message lists every problem."""


def require_sound(pins=None, boards=None):
    """Raise PinMapError listing every problem, so nothing gets built from a broken map."""
    found = problems(pins, boards)
    if found:
        raise PinMapError("the pin map breaks %d rule(s):\n  %s" % (len(found), "\n  ".join(found)))


def report(found, what):
    """Print each problem and a count line; the exit status for a command-line check (1 if any)."""
    for line in found:
        print(line)
    print("%s: %d problem(s)" % (what, len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    import sys

    sys.exit(report(problems(), "pin map"))
