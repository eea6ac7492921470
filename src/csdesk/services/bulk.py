"""Work over 100,000 accounts outside the database: the cyclic collector paused while it runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk step allocates millions of objects.

    Building 100,000 snapshot rows allocates several hundred thousand dicts and lists that all
    stay alive until the write; each automatic full collection walks all of them again, which
    costs about 40 % on top of the work itself. Nothing here makes reference cycles, and the
    collector is switched back on (if it was on) when the block ends.

    Yields:
        Nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
