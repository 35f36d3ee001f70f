"""Copying a library into another: ``brief-tui library push`` (the local SQLite library into
a team library) and ``pull`` (back, to work without the server). Briefings, annotations
(grades are annotations) and each briefing's latest cached analysis; annotations keep their
ids, so copying twice adds nothing, and what is already there is never changed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from brief_tui.library.store.facade import Store
from brief_tui.library.store.postgres.store import PgStore
from brief_tui.library.store.protocol import LibraryStore
from brief_tui.library.store.rows import ANN_COLUMNS, row_params


@dataclass(slots=True)
class Copied:
    briefings: int = 0
    annotations: int = 0
    already: int = 0


def _briefings(src: LibraryStore, dst: LibraryStore, counts: Copied) -> list[str]:
    ids = []
    for info in reversed(src.list_briefings()):  # (the most recently opened ends on top)
        b = src.get_briefing(info.id)
        if b is None:
            continue
        if dst.briefing_info(b.id) is None:
            counts.briefings += 1
            meta = {k: v for k, v in src.briefing_meta(b.id).items() if k != "position"}
            dst.add_briefing(b, meta=meta or None)
            cached = src.latest_cached_analysis(b.id)
            if cached is not None:
                dst.put_cached_analysis(cached)
        ids.append(b.id)
    return ids


def push(src: Store, dst: PgStore) -> Copied:
    """The local library ``src`` into the team library ``dst`` (notes without an author
    become ``dst``'s analyst's)."""
    counts = Copied()
    for bid in _briefings(src, dst, counts):
        for a in src.annotations(bid):
            if dst.copy_in(replace(a, author=a.author or dst.analyst)):
                counts.annotations += 1
            else:
                counts.already += 1
    return counts


def pull(src: PgStore, dst: Store) -> Copied:
    """The team library ``src`` into the local library ``dst`` (the local library keeps
    no authors: every note pulled is there as the reader's own)."""
    counts = Copied()
    for bid in _briefings(src, dst, counts):
        notes = src.annotations(bid)
        with dst.db.write() as conn:
            for a in notes:
                done = conn.execute(
                    f"INSERT OR IGNORE INTO annotations ({ANN_COLUMNS}) "
                    f"VALUES ({', '.join('?' * 18)})",
                    row_params(a),
                ).rowcount
                if done:
                    counts.annotations += 1
                else:
                    counts.already += 1
    return counts
