"""When the garbage collector may walk the whole heap: between keys, not during them.

A full (generation 2) collection walks every object that can hold a reference: with the
language model and a big briefing's analysis loaded that is hundreds of thousands of
objects, and Textual's strips make cyclic garbage on every frame (a strip caches itself).
Left to its own thresholds, Python ran a full collection every dozen keys and each froze
the reader for 100-250 ms (measured with ``gc.callbacks`` in the benchmark's key run).

So, while an app runs:
- the young generations are collected as usual (they are small: a few milliseconds);
- full collections are not started by allocation counts but by :meth:`HeapKeeper.tick`,
  once the reader has been idle for a moment, or after many young collections without an
  idle moment (a reader holding a key down still gets their memory back);
- objects that live as long as the process (Textual's own) are frozen once after start-up
  (``gc.freeze``), so a full collection skips them;
- so is an analysis read from the cache (:func:`kept`): hundreds of thousands of objects
  made at once, none of them garbage, which the next young collection would otherwise walk
  all at once (and the next middle one again), on the reader's way to showing them.

Before that, from the command line to the first frame, the collector does not run at all
(:func:`hold`): start-up builds tens of thousands of long-lived objects (modules, classes,
styles) and leaves little garbage (about 1,300 objects on the sample), so the collections
an import-heavy start triggers find nothing and cost ~10 % of it (40 ms).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: seconds without input before a pending full collection runs
IDLE = 0.4
#: young (generation 1) collections after which a full collection is pending ...
PENDING = 10
#: ... and after which it runs even without an idle moment
OVERDUE = 400
#: a threshold the generation-2 count never reaches: full collections are ours to start
NEVER = 1_000_000_000


#: whether :func:`hold` turned the collector off until the first frame
_held = False
#: :func:`kept` blocks running (in worker threads), and whether the collector goes back on
#: when the last one ends
_keeping = 0
_resume = False
_lock = threading.Lock()


def hold() -> None:
    """No collections until the reader's first frame (:meth:`HeapKeeper.start`)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


class HeapKeeper:
    def __init__(self) -> None:
        self._saved: tuple[int, ...] | None = None
        self.last_input = time.monotonic()
        self.collections = 0

    @property
    def started(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle = self._saved[0], self._saved[1]
            gc.set_threshold(young, middle, NEVER)
        global _held, _resume
        with _lock:
            if _held:
                _held = False
                if _keeping:  # (a cached analysis being read: on when it is kept)
                    _resume = True
                else:
                    gc.enable()

    def stop(self) -> None:
        """Give the interpreter its own thresholds back, and what was frozen back to the
        collector (tests run many apps in one process)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            gc.unfreeze()
            self._saved = None

    def touched(self) -> None:
        """The reader pressed a key or moved the mouse."""
        self.last_input = time.monotonic()

    def tick(self) -> bool:
        """Run a full collection if one is pending and the reader is idle, or overdue.
        Returns whether it ran."""
        if self._saved is None or not gc.isenabled():
            return False
        pending = gc.get_count()[2]
        idle = time.monotonic() - self.last_input >= IDLE
        if (pending >= PENDING and idle) or pending >= OVERDUE:
            gc.collect()
            self.collections += 1
            return True
        return False


def settle() -> None:
    """Freeze what is alive now (once, after start-up: Textual's own objects live as long
    as the process). Frozen objects are never walked again; ones later freed by reference
    counting are still freed. No collection first: it would cost the first frames tens of
    milliseconds for the little garbage start-up leaves."""
    gc.freeze()


@contextmanager
def kept() -> Iterator[None]:
    """Make long-lived objects without cycles (an analysis read from the cache): no
    collection while they are made, and what was made is frozen after, so that no
    collection walks it. Objects frozen are still freed when their last reference goes
    (another briefing's analysis replaces this one). Garbage with cycles that another
    thread made meanwhile is frozen too, and kept: a few frames' worth, once per opening."""
    global _keeping, _resume
    with _lock:
        if not _keeping:
            _resume = gc.isenabled()
        _keeping += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            gc.freeze()
            _keeping -= 1
            if not _keeping and _resume:
                gc.enable()
