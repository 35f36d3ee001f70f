"""The library listing: each briefing as a JSON-ready row (the library screen's rows and
``brief-tui library --json``). Light on purpose: the library screen, drawn first at launch,
imports only this, not the analysis that Across needs.

No Textual here.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from brief_tui.library.store.protocol import BriefingInfo, LibraryStore

__all__ = ["iter_listing", "library_listing", "listing_window", "local_time"]


def _display_source(origin: str, meta: dict[str, Any]) -> str:
    url = meta.get("url") if isinstance(meta.get("url"), str) else ""
    if url or "://" in origin:
        host = urlsplit(url or origin).hostname or ""
        if host:
            return host.removeprefix("www.")
    author = meta.get("author")
    if isinstance(author, str) and author:
        return author
    if origin == "<stdin>":
        return "standard input"
    return origin.rsplit("/", 1)[-1] or origin


def library_listing(store: LibraryStore) -> list[dict[str, Any]]:
    """Every briefing of the library, the most recently opened first, as JSON-ready dicts:
    id, title, source (a short name: the site, author or file name), origin (path or URL),
    format, date (ISO or null), author, url, claims (null when never analysed),
    annotations, last_opened, added."""
    return list(iter_listing(store))


def _listing_row(info: BriefingInfo, meta: dict[str, Any], claims: int | None) -> dict[str, Any]:
    date = meta.get("date")
    return {
        "id": info.id,
        "title": info.title,
        "source": _display_source(info.origin, meta),
        "origin": info.origin,
        "format": info.format,
        "date": date if isinstance(date, str) and date else None,
        "author": meta.get("author") or None,
        "url": meta.get("url") or None,
        "chars": info.chars,
        "claims": claims,
        "annotations": info.annotation_count,
        "last_opened": info.last_opened_at,
        "added": info.added_at,
    }


def listing_window(
    store: LibraryStore,
    *,
    sort: str = "opened",
    descending: bool = True,
    title_filter: str = "",
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One window of :func:`library_listing` (rows ``offset`` to ``offset + limit`` in the
    order ``sort``), read by the database's window: the cost is the window's, not the
    library's."""
    infos = store.list_window(
        sort=sort, descending=descending, title_filter=title_filter, limit=limit, offset=offset
    )
    counts = store.claim_counts([i.id for i in infos]) if infos else {}
    return [_listing_row(i, store.briefing_meta(i.id), counts.get(i.id)) for i in infos]


def iter_listing(store: LibraryStore) -> Generator[dict[str, Any], None, None]:
    """:func:`library_listing` one row at a time, read through one cursor
    (:meth:`Store.iter_listing`): memory stays flat however large the library. Close it
    (or exhaust it) to release the store."""
    rows = store.iter_listing()
    try:
        for info, meta, claims in rows:
            yield _listing_row(info, meta, claims)
    finally:
        rows.close()


def local_time(iso: str) -> str:
    """A stored UTC timestamp as local "YYYY-MM-DD HH:MM" (the input back if unreadable)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
