"""The local store: one SQLite file holding briefings, annotations, an undo log and the
analysis cache, behind one face, :class:`Store`."""

from __future__ import annotations

from brief_tui.library.store.checks import FULL_CHECK_EVERY_S, PRECIOUS_TABLES
from brief_tui.library.store.errors import (
    BUSY_TIMEOUT_S,
    NotYours,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
    store_error,
)
from brief_tui.library.store.facade import Store
from brief_tui.library.store.protocol import SORTS, BriefingInfo, LibraryStore, SearchHit
from brief_tui.library.store.salvage import LOST_BRIEFING_TITLE, SALVAGED_TABLES, SalvageCounts
from brief_tui.library.store.schema import MIGRATIONS, SCHEMA_VERSION
from brief_tui.library.store.undo import UNDO_DEPTH

__all__ = [
    "BUSY_TIMEOUT_S",
    "FULL_CHECK_EVERY_S",
    "LOST_BRIEFING_TITLE",
    "MIGRATIONS",
    "PRECIOUS_TABLES",
    "SALVAGED_TABLES",
    "SCHEMA_VERSION",
    "SORTS",
    "UNDO_DEPTH",
    "BriefingInfo",
    "LibraryStore",
    "NotYours",
    "SalvageCounts",
    "SearchHit",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "StoreUnavailable",
    "store_error",
]
