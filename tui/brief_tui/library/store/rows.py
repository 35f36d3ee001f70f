"""How an annotation is kept: its row in ``annotations`` and its JSON form in ``undo_log``."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Final

from brief_tui.library.annotations import (
    Annotation,
)

ANN_COLUMNS: Final = (
    'id, briefing_id, kind, target_type, target_id, start, "end", exact, prefix, suffix, '
    "meaning, note, tags, grade, status, orphan, created_at, updated_at, author"
)
#: one placeholder per column of ANN_COLUMNS
ANN_VALUES: Final = ", ".join(["?"] * (ANN_COLUMNS.count(",") + 1))
ANN_ORDER: Final = 'orphan, start IS NULL, start, "end", created_at, id'


def annotation_from_row(row: sqlite3.Row) -> Annotation:
    return Annotation(
        id=row["id"],
        briefing_id=row["briefing_id"],
        kind=row["kind"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        start=row["start"],
        end=row["end"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        meaning=row["meaning"],
        note=row["note"],
        tags=tuple(json.loads(row["tags"])),
        grade=row["grade"],
        status=row["status"],
        orphan=bool(row["orphan"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        author=row["author"],
    )


def row_params(a: Annotation) -> tuple[Any, ...]:
    return (
        a.id,
        a.briefing_id,
        a.kind,
        a.target_type,
        a.target_id,
        a.start,
        a.end,
        a.exact,
        a.prefix,
        a.suffix,
        a.meaning,
        a.note,
        json.dumps(list(a.tags), ensure_ascii=False),
        a.grade,
        a.status,
        int(a.orphan),
        a.created_at,
        a.updated_at,
        a.author,
    )


def put(conn: sqlite3.Connection, a: Annotation) -> None:
    """Write ``a`` (inserted, or replacing the row with its id)."""
    conn.execute(
        f"INSERT OR REPLACE INTO annotations ({ANN_COLUMNS}) VALUES ({ANN_VALUES})",
        row_params(a),
    )


def get(conn: sqlite3.Connection, annotation_id: str) -> Annotation:
    """The annotation with this id; ``KeyError`` if there is none."""
    row = conn.execute(
        f"SELECT {ANN_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
    ).fetchone()
    if row is None:
        raise KeyError(f"no annotation {annotation_id}")
    return annotation_from_row(row)
