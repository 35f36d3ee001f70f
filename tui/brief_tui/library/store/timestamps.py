"""The store's one clock format."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """Now, in UTC, as the store writes times (ISO 8601 with microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
