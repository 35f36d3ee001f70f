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
