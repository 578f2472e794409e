"""`thruway run`: the box's core as a software merger between a computer's MIDI interfaces."""

import signal
import sys
import time

import mido

from thruway.core import Core
from thruway.midi import INPUT_IDS, OUTPUT_IDS, N_OUTPUTS, OUT_USB, TICKS_MAX
from thruway.settings import SettingsError

from thruway_host.midiports import (
    PortNotFound,
    WholeMessages,
    describe,
    find_port,
    list_ports,
    open_or_explain,
    timestamp,
)

BYTE_S = 320e-6  # a byte on a DIN wire at 31250 baud (10 bits)
USB_CHUNK = 512
IDLE_S = 0.001  # the loop sleeps this long when nothing happened
FLUSH_S = 1.0  # on the way out, time given to the outputs to send the panic


class SoftBox:
    """The core between mido ports: `inputs` {input index: port}, `outputs` {output index: port}.

    Each step reads what every input has, feeds its bytes to the core at the time they were
    read (ms, wrapping like the board's ticks), runs the timeouts and sends each output's
    messages whole. DIN outputs (out1-out4) give bytes at wire speed, one per 320 µs, as
    the box's UARTs would, so that when one is oversubscribed the core chooses what to drop;
    the result is sent to the computer's port a whole message at a time."""

    def __init__(self, settings, inputs, outputs, clock=time.monotonic, log=None):
        self.core = Core(settings)
        self.settings = settings
        self.inputs = dict(inputs)
        self.outputs = dict(outputs)
        self.clock = clock
        self.log = log  # None, or a function taking a line
        self.start = clock()
        self.wire_free = [0.0] * N_OUTPUTS  # when each DIN wire can start its next byte
        self.last_step = 0.0
        self.split = [WholeMessages() for _ in range(N_OUTPUTS)]
        self.buf = bytearray(USB_CHUNK)
        self.sent = [0] * N_OUTPUTS  # messages sent per output

    def now(self):
        return self.clock() - self.start

    def step(self):
        """One pass of the loop; True if anything came in or went out."""
        now = self.now()
        now_ms = int(now * 1000) & TICKS_MAX
        busy = False
        core = self.core
        for port, midi_in in self.inputs.items():
            for msg in midi_in.iter_pending():
                data = msg.bytes()
                core.receive(port, data, len(data), now_ms)
                busy = True
                if self.log:
                    self.log_line(now, INPUT_IDS[port], self.settings.input_names[port], "in ", data)
        core.tick(now_ms)
        for out in range(N_OUTPUTS):
            if self.pump(out, now):
                busy = True
        self.last_step = now
        return busy

    def pump(self, out, now):
        """Take what output `out` may send by `now` and send it whole; True if any."""
        core = self.core
        buf = self.buf
        data = bytearray()
        if out == OUT_USB:
            while True:
                n = core.transmit(out, buf, USB_CHUNK)
                if not n:
                    break
                data.extend(buf[:n])
        else:
            # A byte starts when the wire is free, and no earlier than the last step: the
            # loop could not have sent it before it looked.
            start = max(self.wire_free[out], self.last_step)
            while start <= now and core.transmit(out, buf, 1):
                data.append(buf[0])
                start += BYTE_S
                self.wire_free[out] = start
        if not data:
            return False
        port = self.outputs.get(out)
        for message in self.split[out].feed(data):
            if port is not None:
                port.send(mido.Message.from_bytes(message))
                self.sent[out] += 1
            if self.log:
                self.log_line(now, OUTPUT_IDS[out], self.settings.output_names[out], "out", message)
        return True

    def log_line(self, now, port_id, name, direction, data):
        label = port_id if name == port_id else "%s %s" % (port_id, name)
        self.log("%s  %s %-18s %s" % (timestamp(now), direction, label[:18], describe(data)))

    def waiting(self):
        return any(self.core.waiting(out) for out in range(N_OUTPUTS)) or any(s.message for s in self.split)

    def shutdown(self, sleep=time.sleep):
        """Panic (a Note Off for every sounding note, All Notes Off and sustain off on the
        channels used), give the outputs time to send it, then close every port."""
        self.core.panic()
        deadline = self.now() + FLUSH_S
        while self.waiting() and self.now() < deadline:
            if not self.step():
                sleep(IDLE_S)
        for port in list(self.inputs.values()) + list(self.outputs.values()):
            port.close()

    def loop(self, sleep=time.sleep):
        """Run until Ctrl-C (or SIGTERM), then shut down cleanly."""
        try:
            while True:
                if not self.step():
                    sleep(IDLE_S)
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown(sleep)

    def problems(self):
        """Counters that are not zero, a line each in words (drops, stray bytes, clock from others)."""
        from thruway_host.counters import problem_lines

        return problem_lines(self.core.stats(), self.core.settings)


def resolve(word, ids, names, kind):
    """The index of the port `word` names: an id (in1, out2, usb) or the settings' name."""
    folded = word.strip().lower()
    for i, port_id in enumerate(ids):
        if folded in (port_id, names[i].lower()):
            return i
    choices = ", ".join(port_id + ("" if names[i] == port_id else " (%s)" % names[i]) for i, port_id in enumerate(ids))
    raise PortNotFound("unknown %s %r: use one of %s" % (kind, word, choices))


def plan_ports(specs, ids, names, kind, device_names):
    """{index: device name} from PORT=DEVICE specs; PortNotFound on a mistake."""
    chosen = {}
    for spec in specs:
        if "=" not in spec:
            flag = "--in" if kind == "input" else "--out"
            raise PortNotFound('%s takes PORT=DEVICE, such as %s %s="USB MIDI Interface"' % (flag, flag, ids[0]))
        word, device = spec.split("=", 1)
        index = resolve(word, ids, names, kind)
        if index in chosen:
            raise PortNotFound("%s %s is given twice" % (kind, ids[index]))
        name = find_port(device, device_names, kind)
        if name in chosen.values():
            raise PortNotFound("the %s device %r is given twice: each device on one port only" % (kind, name))
        chosen[index] = name
    return chosen


def add_parser(subparsers):
    p = subparsers.add_parser(
        "run",
        help="run the box's core between this computer's MIDI ports (a software Thruway)",
        description="Route a computer's MIDI interfaces through the same core as the box: --in and --out "
        "connect the box's ports (in1, in2, usb; out1-out4, usb; or the names the settings give them) "
        "to the computer's MIDI devices (a name or part of it; virtual:NAME opens a virtual port). "
        "Needs python-rtmidi (the command to install it is printed when it is missing). Ctrl-C stops and sends panic.",
    )
    p.add_argument("--settings", help="settings file (default: the box's defaults, a plain merger)")
    p.add_argument("--in", dest="inputs", action="append", default=[], metavar="PORT=DEVICE", help="an input of the box = a computer MIDI input")
    p.add_argument("--out", dest="outputs", action="append", default=[], metavar="PORT=DEVICE", help="an output of the box = a computer MIDI output")
    p.add_argument("--verbose", action="store_true", help="print every message in and out")
    p.add_argument("--list", action="store_true", help="list the computer's MIDI ports and exit")
    p.set_defaults(func=run)


def run(args, system=None, sleep=time.sleep):
    from thruway_host.cli import print_errors, settings_or_default

    try:
        settings = settings_or_default(args.settings)
    except SettingsError as e:
        print_errors(e)
        return 1
    system = open_or_explain("run", system)
    if system is None:
        return 1
    if args.list:
        list_ports(system)
        return 0
    if not args.inputs or not args.outputs:
        print("thruway run: give at least one --in PORT=DEVICE and one --out PORT=DEVICE (thruway run --list shows the devices)", file=sys.stderr)
        return 1
    opened = []
    try:
        ins = plan_ports(args.inputs, INPUT_IDS, settings.input_names, "input", system.input_names())
        outs = plan_ports(args.outputs, OUTPUT_IDS, settings.output_names, "output", system.output_names())
        inputs = {}
        for index, name in ins.items():
            inputs[index] = system.open_input(name)
            opened.append(inputs[index])
        outputs = {}
        for index, name in outs.items():
            outputs[index] = system.open_output(name)
            opened.append(outputs[index])
    except Exception as e:  # unknown names, and whatever the MIDI system says when a port will not open
        print("thruway run: %s" % e, file=sys.stderr)
        for port in opened:
            port.close()
        return 1
    for index, port in sorted(inputs.items()):
        print("%s (%s) <- %s" % (INPUT_IDS[index], settings.input_names[index], port.name))
    for index, port in sorted(outputs.items()):
        print("%s (%s) -> %s" % (OUTPUT_IDS[index], settings.output_names[index], port.name))
    print("running (Ctrl-C stops and sends panic)")
    box = SoftBox(settings, inputs, outputs, log=print if args.verbose else None)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        box.loop(sleep)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print("stopped: panic sent; %d messages sent" % sum(box.sent))
    for line in box.problems():
        print("  " + line)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
