"""Copying a library into another: ``brief-tui library push`` (the local SQLite library into
a team library) and ``pull`` (back, to work without the server). Briefings, annotations
(grades are annotations) with their authors, and each briefing's latest cached analysis.
Annotations keep their ids: one already there is changed only when the copy being sent was
changed later (push: and only the analyst's own), so copying twice adds and changes nothing.
Nothing is deleted by a copy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from brief_tui.library.store.facade import Store
from brief_tui.library.store.postgres.store import PgStore
from brief_tui.library.store.protocol import LibraryStore
from brief_tui.library.store.rows import ANN_COLUMNS, ANN_VALUES, row_params


@dataclass(slots=True)
class Copied:
    briefings: int = 0
    annotations: int = 0
    #: annotations already there, changed since: updated to the later version
    updated: int = 0
    already: int = 0
    #: (push) other analysts' annotations changed in the local copy: left as the team has them
    theirs: int = 0


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
    become ``dst``'s analyst's; the analyst's notes changed locally since are updated)."""
    counts = Copied()
    for bid in _briefings(src, dst, counts):
        for a in src.annotations(bid):
            outcome = dst.push_in(replace(a, author=a.author or dst.analyst))
            if outcome == "added":
                counts.annotations += 1
            elif outcome == "updated":
                counts.updated += 1
            elif outcome == "theirs":
                counts.theirs += 1
            else:
                counts.already += 1
    return counts


#: a pulled annotation: inserted, or replacing the local row when the team's is later
_PULL: Final = (
    f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({ANN_VALUES}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ANN_COLUMNS.split(", ")[1:])
    + " WHERE julianday(excluded.updated_at) > julianday(annotations.updated_at)"
)


def pull(src: PgStore, dst: Store) -> Copied:
    """The team library ``src`` into the local library ``dst``, with every annotation's
    author; one changed on the server since the last pull replaces the local copy."""
    counts = Copied()
    for bid in _briefings(src, dst, counts):
        notes = src.annotations(bid)
        with dst.db.write() as conn:
            for a in notes:
                had = conn.execute("SELECT 1 FROM annotations WHERE id = ?", (a.id,)).fetchone()
                done = conn.execute(_PULL, row_params(a)).rowcount
                if not had:
                    counts.annotations += 1
                elif done:
                    counts.updated += 1
                else:
                    counts.already += 1
    return counts
