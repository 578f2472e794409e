"""`thruway monitor`: what the box sends and receives on its USB MIDI port, decoded and timestamped, a line a message."""

import sys
import time

from thruway.midi import CLOCK, START, CONTINUE, STOP

from thruway_host.midiports import (
    ClockRate,
    PortNotFound,
    describe,
    find_port,
    list_ports,
    open_or_explain,
    timestamp,
)

FROM_BOX = "box >"
TO_BOX = "> box"
VIRTUAL_NAME = "Thruway monitor"
# How the box's USB MIDI port is recognised when --port is not given: the first of these
# words that exactly one port name contains.
BOX_WORDS = ("thruway", "circuitpython", "pico", "feather rp2040")


def find_box(names, word=None):
    """The name of the box's port among `names`: `word` if given (see find_port), else the
    one port whose name holds Thruway's name, or else CircuitPython's or the board's."""
    if word:
        return find_port(word, names, "USB")
    for key in BOX_WORDS:
        found = [n for n in names if key in n.lower()]
        if len(found) == 1:
            return found[0]
        if found:
            raise PortNotFound("%d ports look like the box: %s. Choose one with --port" % (len(found), "; ".join(repr(n) for n in found)))
    listing = "; ".join(repr(n) for n in names) if names else "none"
    raise PortNotFound("no MIDI port looks like the box (is it plugged in over USB?). The ports are: %s. Name it with --port" % listing)


class Monitor:
    """Reads the box's USB input (what the box sends) and the sources forwarded to the box
    (what it receives), and writes a line per message: time, direction, words, bytes.

    Clock is shown as a tempo once a second unless `show_clock`; Start, Stop and Continue
    always have their line."""

    def __init__(self, from_box, to_box=None, sources=(), clock=time.monotonic, write=print, show_clock=False):
        self.from_box = from_box
        self.to_box = to_box
        self.sources = list(sources)  # input ports whose messages go to the box
        self.clock = clock
        self.write = write
        self.show_clock = show_clock
        self.start = clock()
        self.rates = {FROM_BOX: ClockRate(), TO_BOX: ClockRate()}
        self.counts = {FROM_BOX: 0, TO_BOX: 0}

    def poll(self):
        """Handle every message waiting; return how many there were."""
        n = 0
        for msg in self.from_box.iter_pending():
            self.show(FROM_BOX, msg.bytes())
            n += 1
        for port in self.sources:
            for msg in port.iter_pending():
                if self.to_box is not None:
                    self.to_box.send(msg)
                self.show(TO_BOX, msg.bytes())
                n += 1
        return n

    def show(self, direction, data):
        now = self.clock() - self.start
        self.counts[direction] += 1
        status = data[0] if data else 0
        if status == CLOCK and not self.show_clock:
            bpm = self.rates[direction].tick(now)
            if bpm is not None:
                self.write("%s  %s  clock    %.1f BPM" % (timestamp(now), direction, bpm))
            return
        if status in (START, CONTINUE, STOP):
            self.rates[direction].stop()
        self.write("%s  %s  %-44s %s" % (timestamp(now), direction, describe(data), bytes(data).hex(" ")))

    def loop(self, sleep=time.sleep):
        """Run until Ctrl-C; returns the exit status."""
        try:
            while True:
                if not self.poll():
                    sleep(0.001)
        except KeyboardInterrupt:
            self.write("stopped: %d messages from the box, %d to it" % (self.counts[FROM_BOX], self.counts[TO_BOX]))
        return 0


def add_parser(subparsers):
    p = subparsers.add_parser(
        "monitor",
        help="show what the box sends and receives over USB, decoded and timestamped",
        description="Open the box's USB MIDI port and print each message it sends (%s), and each message "
        "forwarded to it from --from devices or the virtual port (%s), one line a message with the "
        "time in seconds. Needs python-rtmidi (the command to install it is printed when it is missing). Ctrl-C stops." % (FROM_BOX, TO_BOX),
    )
    p.add_argument("--port", help="the box's MIDI port name, or part of it (default: the port named Thruway or CircuitPython)")
    p.add_argument("--from", dest="sources", action="append", default=[], metavar="DEVICE", help="a computer MIDI input (a keyboard) to forward to the box and show")
    p.add_argument("--virtual", action="store_true", help="also open a virtual port '%s' for a DAW to send to the box through (macOS, Linux)" % VIRTUAL_NAME)
    p.add_argument("--clock", action="store_true", help="show every clock byte (default: the tempo once a second)")
    p.add_argument("--list", action="store_true", help="list the computer's MIDI ports and exit")
    p.set_defaults(func=run)


def run(args, system=None, sleep=time.sleep):
    system = open_or_explain("monitor", system)
    if system is None:
        return 1
    if args.list:
        list_ports(system)
        return 0
    opened = []
    try:
        box_in = system.open_input(find_box(system.input_names(), args.port))
        opened.append(box_in)
        to_box = None
        sources = []
        if args.sources or args.virtual:
            to_box = system.open_output(find_box(system.output_names(), args.port))
            opened.append(to_box)
            for word in args.sources:
                sources.append(system.open_input(find_port(word, system.input_names(), "input")))
                opened.append(sources[-1])
            if args.virtual:
                sources.append(system.open_input("virtual:" + VIRTUAL_NAME))
                opened.append(sources[-1])
    except Exception as e:  # unknown names, and whatever the MIDI system says when a port will not open
        print("thruway monitor: %s" % e, file=sys.stderr)
        for port in opened:
            port.close()
        return 1
    print("monitoring %s (Ctrl-C stops)" % box_in.name)
    try:
        return Monitor(box_in, to_box, sources, show_clock=args.clock).loop(sleep)
    finally:
        for port in opened:
            port.close()
