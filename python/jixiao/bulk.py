"""Helpers for work over whole sheets and folders of workbooks."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic records.

    Reference counting still frees everything; only the periodic cycle search,
    which rescans every live container each time a generation fills, is held off.
    On the way out, what was made meanwhile is moved to the oldest generation without a
    scan (freeze, then unfreeze): left in the youngest, the first allocation after the
    pause scanned all of it at once (4 s after reading a million rows). It is still
    collected, as any long-lived object is. Where the program froze objects itself, they
    are left frozen and this step is skipped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
