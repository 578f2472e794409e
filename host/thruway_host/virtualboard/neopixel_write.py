"""Fake `neopixel_write` for the virtual board: records each pixel colour written, costs its wire time."""

_vb = None

_RESET_US = 300  # the pixel latches after 300 µs low; the next write waits for it


def neopixel_write(digitalinout, buf):
    """Write `buf` (GRB bytes) to the pixels on `digitalinout`'s pin: 1.25 µs a bit."""
    n = digitalinout._n
    if n is None:
        raise ValueError("Object has been deinitialized and can no longer be used. Create a new object.")
    clock = _vb.clock
    ready = _vb.neopixel_ready.get(n, 0)
    clock.block_until(ready, "neopixel_write (latch)")
    data = bytes(buf)
    _vb.pixels[n].append((clock.now, data))
    clock.block_until(clock.now + len(data) * 8 * 125 // 100, "neopixel_write")
    _vb.neopixel_ready[n] = clock.now + _RESET_US
