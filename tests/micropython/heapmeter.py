"""Heap measurement for scripts run under the MicroPython harness (and on a board).

    from heapmeter import allocated
    assert allocated(merger.feed, 0x90) == 0

`allocated(fn, *args)` is the number of GC-heap bytes handed out while `fn(*args)`
ran, garbage included. See README.md here ("Measuring heap") for the quirks.
"""

import gc


def allocated(fn, *args):
    # On a board: collect first so no collection falls inside the window, and keep
    # automatic collection off so freed blocks cannot make the difference shrink.
    # Under the WebAssembly harness both are no-ops while a script runs (collection
    # waits until control returns to JavaScript), so the count is the same there.
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        fn(*args)
        after = gc.mem_alloc()
    finally:
        gc.enable()
    return after - before
