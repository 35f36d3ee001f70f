"""The team library on PostgreSQL: :class:`PgStore`, the same :class:`LibraryStore` as the
local SQLite one, shared by several analysts. Needs the ``team`` extra (psycopg 3)."""

from __future__ import annotations

from brief_tui.library.store.postgres.schema import MIGRATIONS, SCHEMA_VERSION
from brief_tui.library.store.postgres.store import CHANNEL, PgStore, redacted

__all__ = ["CHANNEL", "MIGRATIONS", "SCHEMA_VERSION", "PgStore", "redacted"]
