"""Full garbage collections run between keys, not in the middle of them (ui/heap.py)."""

from __future__ import annotations

import gc
import time

from brief_tui.ui import heap
from brief_tui.ui.heap import HeapKeeper
from tests.conftest import SAMPLE
from tests.uihelpers import make_app


def _pend_full_collection(n: int) -> None:
    """Each collection of generation 1 counts towards a full one."""
    for _ in range(n):
        gc.collect(1)


def test_full_collection_waits_for_an_idle_moment() -> None:
    keeper = HeapKeeper()
    saved = gc.get_threshold()
    keeper.start()
    try:
        assert gc.get_threshold() == (saved[0], saved[1], heap.NEVER)
        _pend_full_collection(heap.PENDING)
        keeper.touched()  # the reader just pressed a key
        assert keeper.tick() is False
        keeper.last_input = time.monotonic() - heap.IDLE - 0.1
        assert keeper.tick() is True and keeper.collections == 1
        assert gc.get_count()[2] == 0
        assert keeper.tick() is False  # nothing pending any more
        # a reader who never stops pressing keys still gets the memory back
        _pend_full_collection(heap.OVERDUE)
        keeper.touched()
        assert keeper.tick() is True and keeper.collections == 2
    finally:
        keeper.stop()
    assert gc.get_threshold() == saved


async def test_reader_takes_full_collections_over_and_gives_them_back() -> None:
    saved = gc.get_threshold()
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.heap.started
        assert gc.get_threshold()[2] == heap.NEVER
        await pilot.press("j")
        assert time.monotonic() - app.heap.last_input < 1.0
    assert gc.get_threshold() == saved


class _Record:
    """A long-lived object without cycles (as an analysis's records are)."""

    __slots__ = ("__weakref__", "n")

    def __init__(self, n: int) -> None:
        self.n = n


def test_what_is_made_inside_kept_is_frozen_and_still_freed() -> None:
    import weakref

    assert gc.isenabled()
    before = gc.get_freeze_count()
    try:
        with heap.kept():
            assert not gc.isenabled()  # no collection while they are made
            made = [_Record(i) for i in range(10_000)]
        assert gc.isenabled()
        # frozen: no later collection walks them
        assert gc.get_freeze_count() >= before + 10_000
        first = weakref.ref(made[0])
        del made
        assert first() is None  # freed by their last reference all the same
    finally:
        gc.unfreeze()


def test_the_first_frame_turns_the_collector_on_only_after_kept() -> None:
    """The reader's first frame (HeapKeeper.start) may come while a worker reads a cached
    analysis inside kept(): the collector stays off until that is done."""
    keeper = HeapKeeper()
    heap.hold()
    try:
        assert not gc.isenabled()
        with heap.kept():
            keeper.start()
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        keeper.stop()
        gc.enable()
        gc.unfreeze()
