"""The local store: one SQLite file holding briefings, annotations, an undo log and the
analysis cache, behind one face, :class:`Store`."""

from __future__ import annotations

from brief_tui.library.store.facade import (
    BUSY_TIMEOUT_S,
    FULL_CHECK_EVERY_S,
    LOST_BRIEFING_TITLE,
    MIGRATIONS,
    PRECIOUS_TABLES,
    SALVAGED_TABLES,
    SCHEMA_VERSION,
    UNDO_DEPTH,
    BriefingInfo,
    SalvageCounts,
    Store,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    store_error,
)

__all__ = [
    "BUSY_TIMEOUT_S",
    "FULL_CHECK_EVERY_S",
    "LOST_BRIEFING_TITLE",
    "MIGRATIONS",
    "PRECIOUS_TABLES",
    "SALVAGED_TABLES",
    "SCHEMA_VERSION",
    "UNDO_DEPTH",
    "BriefingInfo",
    "SalvageCounts",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "store_error",
]
