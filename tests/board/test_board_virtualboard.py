"""The virtual board behaves like CircuitPython on an RP2040, in virtual time: each test states one fact."""

import ast
import os
import site

import pytest

from thruway_host.virtualboard import BYTE_US, CostModel, VirtualBoard


def _uart(vb, rx=1, tx=None, size=64):
    import busio
    import microcontroller

    return busio.UART(
        tx=None if tx is None else getattr(microcontroller.pin, "GPIO%d" % tx),
        rx=None if rx is None else getattr(microcontroller.pin, "GPIO%d" % rx),
        baudrate=31250,
        timeout=0,
        receiver_buffer_size=size,
    )


@pytest.fixture
def free(tmp_path):
    """A virtual board whose firmware calls cost no time: only the wire and busy-waits move it."""
    with VirtualBoard("pico", drive=tmp_path, cost=CostModel(0, 0, 0, 0)) as board:
        yield board


# ---- UART receive ---------------------------------------------------------------------


def test_uart_receives_a_byte_every_320_us(free):
    """At 31250 baud a byte is complete 320 µs after the one before; in_waiting counts them."""
    uart = _uart(free)
    free.din(0).send(bytes(range(10)))
    start = free.clock.now
    seen = []
    for k in range(1, 11):
        free.clock.run_to(start + k * BYTE_US - 1)
        seen.append(uart.in_waiting)
    assert seen == list(range(10))
    free.clock.run_to(start + 10 * BYTE_US)
    assert uart.in_waiting == 10


def test_uart_readinto_with_timeout_0_returns_none_at_once(free):
    """readinto with timeout=0 and nothing received returns None and takes no time."""
    uart = _uart(free)
    buf = bytearray(8)
    before = free.clock.now
    assert uart.readinto(buf) is None
    assert free.clock.now == before


def test_uart_bytes_below_the_interrupt_level_wait_in_the_fifo(free):
    """Fewer than 4 bytes stay in the hardware FIFO until the 32-bit-time timeout: readinto does
    not see them, but moves them into the buffer for the next call; in_waiting moves them first."""
    uart = _uart(free)
    buf = bytearray(8)
    free.din(0).send(b"\x90\x3c\x64")
    free.clock.advance(3 * BYTE_US + 10)
    assert uart.readinto(buf) is None  # still in the FIFO...
    assert uart.readinto(buf) == 3  # ...moved in by the call before
    free.din(0).send(b"\x80\x3c\x40")
    free.clock.advance(3 * BYTE_US + 10)
    assert uart.in_waiting == 3  # in_waiting moves them at once
    free.din(0).send(b"\xf8")
    free.clock.advance(BYTE_US + 1024)  # the receive timeout interrupt moves the lone byte
    assert uart.readinto(buf) == 4


def test_uart_loses_bytes_when_its_buffer_and_fifo_are_full(free):
    """With nobody reading, the ring buffer (receiver_buffer_size) and the 32-byte FIFO fill and
    every later byte is lost."""
    uart = _uart(free, size=64)
    free.din(0).send(bytes(200))
    free.clock.advance(200 * BYTE_US)
    buf = bytearray(256)
    got = (uart.readinto(buf) or 0) + (uart.readinto(buf) or 0)
    assert got == 64 + 32
    assert free.din(0).overrun == 200 - 96


def test_uart_write_returns_at_once_up_to_33_bytes_then_busy_waits(free):
    """write() fills the 32-byte FIFO and the shift register at once; each byte more waits a byte
    time: 34 bytes 320 µs, 64 bytes 9.92 ms, 100 bytes 21.44 ms (measured: 0.37, 9.9, 21.5 ms)."""
    uart = _uart(free, rx=None, tx=0)
    spent = []
    for n in (33, 34, 64, 100):
        free.clock.advance(200 * BYTE_US)  # the wire is idle again
        before = free.clock.now
        uart.write(bytes(n))
        spent.append(free.clock.now - before)
    assert spent == [0, 320, 31 * 320, 67 * 320]
    assert free.blocked("write") == 67 * 320


def test_uart_bytes_leave_back_to_back(free):
    """Bytes written together start 320 µs apart on the wire."""
    uart = _uart(free, rx=None, tx=0)
    uart.write(b"\x90\x3c\x64")
    free.clock.advance(2000)
    times = [t for t, _ in free.wire(0)]
    assert [b - a for a, b in zip(times, times[1:])] == [320, 320]
    assert free.out_bytes(0) == b"\x90\x3c\x64"


def test_uart_pins_follow_the_rp2040_rules(free):
    """UART RX only on GP1/5/9/13/... of its block, one busio.UART per block, one owner per pin."""
    import busio
    import digitalio
    import microcontroller

    with pytest.raises(ValueError, match="Invalid pins"):
        busio.UART(rx=microcontroller.pin.GPIO2, baudrate=31250)
    with pytest.raises(ValueError, match="Invalid pins"):
        busio.UART(tx=microcontroller.pin.GPIO0, rx=microcontroller.pin.GPIO9, baudrate=31250)
    _uart(free, rx=1)
    with pytest.raises(ValueError, match="in use"):
        busio.UART(tx=microcontroller.pin.GPIO12, baudrate=31250)  # UART0 again
    with pytest.raises(ValueError, match="GPIO1 in use"):
        digitalio.DigitalInOut(microcontroller.pin.GPIO1)


# ---- PIO transmitter ------------------------------------------------------------------


def _sm(vb, gpio=6):
    import microcontroller
    import rp2pio

    from thruway_board.ports import open_pio_out

    assert rp2pio.StateMachine  # the fake module is the one installed
    return open_pio_out(gpio), getattr(microcontroller.pin, "GPIO%d" % gpio)


def test_pio_background_write_returns_at_once_and_sends_at_wire_speed(free):
    """background_write hands a buffer to DMA and returns; the bytes leave 320 µs apart, each
    start bit one bit (32 µs) after the state machine pulls the byte."""
    sm, _ = _sm(free)
    before = free.clock.now
    sm.background_write(once=bytearray(b"\x90\x3c\x64"))
    assert free.clock.now == before
    free.clock.advance(2000)
    wire = free.wire(2)
    assert bytes(b for _, b in wire) == b"\x90\x3c\x64"
    assert [t - before for t, _ in wire] == [32, 352, 672]


def test_pio_pending_write_and_blocking(free):
    """pending_write is 1 while the very first buffer is being moved into the 8-byte FIFO; later,
    a buffer given while another is still being moved is pending until it starts. A
    background_write while anything is pending blocks until it has started."""
    sm, _ = _sm(free)
    sm.background_write(once=bytearray(12))  # pulled at once, then a byte every 320 µs
    assert sm.pending_write == 1  # 12 bytes, FIFO 8: 3 still in the buffer
    free.clock.advance(4 * BYTE_US)  # 5 pulled, 7 in the FIFO, the buffer moved whole
    assert sm.pending_write == 0
    sm.background_write(once=bytearray(16))  # the DMA was idle: starts at once, 1 byte fits
    assert sm.pending_write == 0
    sm.background_write(once=bytearray(4))  # 15 bytes of the one before still to move
    assert sm.pending_write == 1
    before = free.clock.now
    sm.background_write(once=bytearray(1))  # waits for 15 more pulls, 320 µs apart
    assert free.clock.now - before == 15 * BYTE_US
    assert free.blocked("background_write") == 15 * BYTE_US


def test_pio_dma_reads_the_buffer_while_it_sends(free):
    """DMA reads a buffer as it goes: changing a buffer before its bytes have left changes what
    is sent (why the firmware alternates two buffers)."""
    sm, _ = _sm(free)
    buf = bytearray(range(16))
    sm.background_write(once=buf)
    buf[15] = 0x7F  # byte 15 is not in the FIFO yet
    buf[0] = 0x7E  # byte 0 already is
    free.clock.advance(20 * BYTE_US)
    sent = free.out_bytes(2)
    assert sent[0] == 0 and sent[15] == 0x7F


def test_pio_refuses_programs_it_does_not_model(free):
    """The virtual rp2pio runs only UART transmit programs (checked cycle by cycle)."""
    import array

    import microcontroller
    import rp2pio

    with pytest.raises(NotImplementedError, match="UART"):
        rp2pio.StateMachine(
            array.array("H", [0x9FA0, 0xF727, 0x6001, 0x0641]),  # 7 cycles a bit in the loop, 8 in the start bit
            frequency=250_000,
            first_out_pin=microcontroller.pin.GPIO6,
            first_sideset_pin=microcontroller.pin.GPIO6,
            initial_out_pin_state=1,
            initial_out_pin_direction=1,
            sideset_pin_count=1,
            sideset_enable=True,
        )


# ---- USB MIDI -------------------------------------------------------------------------


def _usb():
    import usb_midi

    port_in = [p for p in usb_midi.ports if isinstance(p, usb_midi.PortIn)][0]
    port_out = [p for p in usb_midi.ports if isinstance(p, usb_midi.PortOut)][0]
    return port_in, port_out


def test_usb_write_with_no_computer_takes_nothing(free):
    """With no computer attached PortOut.write takes nothing and returns 0 at once."""
    free.usb.connected = False
    _, out = _usb()
    assert out.write(b"\x90\x3c\x64") == 0
    assert free.clock.now == free.clock.now


def test_usb_write_into_a_full_buffer_takes_whole_packets(free):
    """When the computer does not read, the 128-byte packet FIFO fills: write takes whole
    messages (a 3-byte message is one 4-byte packet) and leaves the rest."""
    free.usb.listening = False
    _, out = _usb()
    assert out.write(bytes((0x90, 0x3C, 0x64)) * 40) == 32 * 3
    assert out.write(b"\x80\x3c\x40") == 0


def test_usb_packets_reach_the_computer_as_the_same_bytes(free):
    """Messages, a SysEx and realtime bytes written to PortOut arrive unchanged, a frame (1 ms) later."""
    _, out = _usb()
    data = b"\x90\x3c\x64\xc0\x05\xf0\x7d\x01\x02\x03\x04\xf7\xf8\xb0\x40\x00"
    assert out.write(data) == len(data)
    assert free.usb_bytes() == b""
    free.clock.advance(1000)
    assert free.usb_bytes() == data


def test_usb_readinto_returns_what_the_computer_sent(free):
    """PortIn.readinto returns 0 with nothing sent, then the bytes the computer sent."""
    port_in, _ = _usb()
    buf = bytearray(64)
    assert port_in.readinto(buf) == 0
    free.usb.host_send(b"\x91\x40\x50")
    free.clock.advance(1000)
    assert port_in.readinto(buf) == 3 and buf[:3] == b"\x91\x40\x50"


# ---- supervisor, boot-only calls, missing attributes ---------------------------------------


def test_ticks_ms_wraps_at_2_29_about_65_s_after_power_on(tmp_path):
    """supervisor.ticks_ms counts milliseconds from near 2**29 and wraps about 65 s after power-on."""
    with VirtualBoard("pico", drive=tmp_path, uptime_s=64.9, cost=CostModel(0, 0, 0, 0)) as board:
        import supervisor

        before = supervisor.ticks_ms()
        board.clock.advance(200_000)
        after = supervisor.ticks_ms()
    assert before == (1 << 29) - 100 and after == 100


def test_usb_setup_calls_work_only_in_boot(free):
    """set_usb_identification and usb_midi.enable raise outside boot.py; set_names does nothing there."""
    import supervisor
    import usb_midi

    with pytest.raises(RuntimeError):
        supervisor.set_usb_identification(product="x")
    with pytest.raises(RuntimeError):
        usb_midi.enable()
    usb_midi.set_names(streaming_interface_name="x")
    assert free.usb_names == {}


def test_attributes_the_real_modules_lack_raise_attribute_error(free):
    """No Mock: a misspelt or removed API raises AttributeError, as on the board."""
    import busio
    import supervisor
    import usb_midi

    uart = _uart(free)
    with pytest.raises(AttributeError):
        uart.readintoo(bytearray(1))
    with pytest.raises(AttributeError):
        busio.Uart  # noqa: B018
    with pytest.raises(AttributeError):
        supervisor.disable_autoreload()  # gone since CircuitPython 8: runtime.autoreload
    with pytest.raises(AttributeError):
        usb_midi.ports[1].flush()


def _stub_names(module):
    """Public names of a circuitpython-stubs module and of its classes (from its .pyi)."""
    for base in site.getsitepackages():
        path = os.path.join(base, module + "-stubs", "__init__.pyi")
        if os.path.exists(path):
            break
    else:
        pytest.fail("circuitpython-stubs is not installed (pip install -e '.[dev]')")
    with open(path) as f:
        tree = ast.parse(f.read())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.ClassDef)):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    members.update(t.id for t in item.targets if isinstance(t, ast.Name))
            names[node.name] = members
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = None
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names[t.id] = None
    return names


@pytest.mark.parametrize("module", ["busio", "digitalio", "rp2pio", "usb_midi", "supervisor", "storage", "neopixel_write", "microcontroller"])
def test_fakes_offer_only_what_circuitpython_has(free, module):
    """Every public name of a fake module, and of its classes, is in circuitpython-stubs: the fakes
    invent no API (microcontroller.pin, missing from the stubs, is the one known exception)."""
    stub = _stub_names(module)
    fake = free.modules[module]
    extra = []
    for name in dir(fake):
        if name.startswith("_") or name in ("annotations",):
            continue
        value = getattr(fake, name)
        if getattr(value, "__module__", module) not in (module, None) and not isinstance(value, type):
            continue  # an imported helper module
        if name not in stub:
            if (module, name) == ("microcontroller", "pin"):
                continue
            extra.append(name)
            continue
        if isinstance(value, type) and stub[name] is not None:
            for member in vars(value):
                if not member.startswith("_") and member not in stub[name]:
                    extra.append("%s.%s" % (name, member))
    assert extra == []


# ---- the flash and the cost model ----------------------------------------------------------


def test_saving_a_file_stalls_the_chip_and_loses_bytes_past_the_fifo(free):
    """While the flash is written interrupts are off: a saturated input keeps 32 bytes in the
    hardware FIFO and loses the rest of the pause; a pause under 32 byte times loses nothing."""
    uart = _uart(free, size=2048)
    free.din(0).send(bytes(400))
    free.clock.advance(10 * BYTE_US)
    free.save("thruway.toml", "# short pause\n", pause_us=5000)
    free.clock.advance(50 * BYTE_US)
    assert free.din(0).overrun == 0
    free.save("thruway.toml", "# long pause\n", pause_us=30_000)
    free.clock.advance(400 * BYTE_US)
    buf = bytearray(2048)
    while uart.readinto(buf):
        pass
    lost = free.din(0).overrun
    arrived = 30_000 // BYTE_US  # 93 or 94 bytes arrive during the pause; the FIFO keeps 32 less
    assert arrived - 32 <= lost <= arrived + 1 - 32 + 3  # (it may hold up to 3 already)
    assert free.din(0).read + lost == 400


def test_cost_model_charges_the_firmware_calls(tmp_path):
    """Each firmware call spends the CPU time the cost model gives it: a pass, a byte read."""
    with VirtualBoard("pico", drive=tmp_path, cost=CostModel(pass_us=100, call_us=5, in_byte_us=50, out_byte_us=7)) as board:
        import supervisor

        uart = _uart(board)
        t = board.clock.now
        supervisor.ticks_ms()
        assert board.clock.now - t == 100
        board.din(0).send(b"\x90\x3c\x64")
        board.clock.advance(3 * BYTE_US + 10)
        t = board.clock.now
        assert uart.readinto(bytearray(8)) is None
        assert uart.readinto(bytearray(8)) == 3
        assert board.clock.now - t == 5 + (5 + 3 * 50)
