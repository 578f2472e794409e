"""On the board (the rig's drive, instead of code.py): what the firmware's calls and passes cost."""

# Each figure is the time of many repetitions by supervisor.ticks_ms, divided: "bench: NAME VALUE"
# lines, read by host/thruway_host/rigbench.py. bench_in.bin holds the bytes of the bundled
# studio traffic for in2 (the Analog Four), fed to the core as the loop would feed it.

import gc

import supervisor

from thruway_board.loop import Loop
from thruway_board.ports import open_ports
from thruway_board.settingsfile import SettingsFile

settings_file = SettingsFile()
first = (settings_file, settings_file.stat(), settings_file.read())
gc.collect()
loop = Loop(open_ports(), first=first, say=lambda line: None)
del first
loop.start()
gc.collect()
ticks = supervisor.ticks_ms
print("bench: free_after_start %d" % gc.mem_free())


def report(name, started, count, per=1000):
    """Print the µs (x1000: ns) each of `count` repetitions took since tick `started`."""
    print("bench: %s %d" % (name, (ticks() - started) * 1000 * per // count))


N = 1000
empty = 0
t = ticks()
for _ in range(N):
    pass
report("empty_loop_ns", t, N)

step = loop.step
t = ticks()
for _ in range(N):
    step()
report("idle_pass_ns", t, N)
now = ticks()

core = loop.core
now = ticks()
t = ticks()
for _ in range(N):
    core.tick(now)
report("core_tick_ns", t, N)

t = ticks()
for _ in range(N // 10):
    loop.housekeeping(ticks())
report("housekeeping_ns", t, N // 10)

t = ticks()
for _ in range(N // 10):
    loop.file.stat()
report("settings_stat_ns", t, N // 10)

t = ticks()
for _ in range(N // 10):
    loop.show(now)
report("leds_ns", t, N // 10)

t = ticks()
for _ in range(N // 10):
    loop.check_usb()
report("usb_check_ns", t, N // 10)

t = ticks()
for _ in range(N):
    ticks()
report("ticks_ms_ns", t, N)

# The microsecond counter (opened here: the shipped file follows the Analog Four's clock).
gc.collect()
before = gc.mem_free()
micros = loop.ports.microsecond_clock()
gc.collect()
print("bench: micros_heap %d" % (before - gc.mem_free()))
if micros is not None:
    t = ticks()
    for _ in range(N):
        micros()
    report("micros_read_ns", t, N)
    a = micros()
    t = ticks()
    while ticks() - t < 100:
        pass
    print("bench: micros_per_100_ms %d" % ((micros() - a) & 0x1FFFFFFF))

uart = loop.inputs[0]
t = ticks()
for _ in range(N):
    uart.in_waiting
report("in_waiting_ns", t, N)

one = bytearray(1)
t = ticks()
for _ in range(N):
    uart.readinto(one)
report("readinto_empty_ns", t, N)

# One note message through the core (in2 channel 5: the Analog Four's FX track, routed to the
# JU-06A and to the computer by the shipped file), then out of it.
on = bytearray(b"\x95\x3c\x40")
off = bytearray(b"\x85\x3c\x40")
msg = bytearray(8)
receive = core.receive
transmit = core.transmit
t = ticks()
for _ in range(N // 2):
    receive(1, on, 3, now)
    receive(1, off, 3, now)
report("receive_note_message_ns", t, N)
for o in range(5):
    core.outputs[o].clear()
t = ticks()
for _ in range(N // 2):
    receive(1, on, 3, now)
    transmit(1, msg, 8)
    transmit(4, msg, 8)
    receive(1, off, 3, now)
    transmit(1, msg, 8)
    transmit(4, msg, 8)
report("note_message_in_and_out_of_core_ns", t, N)
t = ticks()
for _ in range(N):
    transmit(1, msg, 8)
report("transmit_nothing_ns", t, N)
clock = bytearray(b"\xf8")
t = ticks()
for _ in range(N):
    receive(1, clock, 1, now)
    transmit(3, msg, 8)
report("clock_in_and_out_of_core_ns", t, N)
for o in range(5):
    core.outputs[o].clear()

# The core, byte by byte and in chunks, with every output drained into memory (no wire).
with open("/bench_in.bin", "rb") as f:
    stream = f.read()
data = bytearray(stream)
del stream
gc.collect()
size = len(data)
out = bytearray(64)
transmit = core.transmit
receive = core.receive
outs = range(5)


def drain():
    for o in outs:
        while transmit(o, out, 64):
            pass


for chunk in (1, 3, 32):
    view = memoryview(data)
    bufs = [bytearray(view[k:k + chunk]) for k in range(0, size, chunk)]
    gc.collect()
    t = ticks()
    for buf in bufs:
        receive(1, buf, len(buf), now)
        drain()
    report("core_byte_chunk%d_ns" % chunk, t, size)
    del bufs, view
    gc.collect()

print("bench: done")
