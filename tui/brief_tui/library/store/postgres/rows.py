"""How values cross to and from PostgreSQL: annotation rows, times, and text PostgreSQL
cannot hold (NUL characters)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from brief_tui.library.annotations import (
    Annotation,
)

ANN_COLUMNS: Final = (
    'id, briefing_id, kind, target_type, target_id, start, "end", exact, prefix, suffix, '
    "meaning, note, tags, grade, status, orphan, author, created_at, updated_at"
)
ANN_ORDER: Final = 'orphan, start IS NULL, start, "end", created_at, id'
#: INSERT … ON CONFLICT: the columns an upsert replaces (all but the id)
ANN_UPSERT: Final = (
    f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ANN_COLUMNS.split(", ")[1:])
)


def iso(value: object) -> str:
    """A time as the store gives it out: ISO 8601 in UTC with microseconds."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def pg_text(value: str) -> str:
    """``value`` as PostgreSQL can store it: a NUL (which text columns refuse) becomes
    U+FFFD, one character for one, so offsets hold."""
    return value.replace("\x00", "\ufffd")


def pg_opt(value: str | None) -> str | None:
    return None if value is None else pg_text(value)


def pg_json(value: Any) -> Any:
    """A JSON value with every string made storable (jsonb refuses ``\\u0000`` too)."""
    if isinstance(value, str):
        return pg_text(value)
    if isinstance(value, dict):
        return {pg_text(str(k)): pg_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [pg_json(v) for v in value]
    return value


def annotation_from_row(row: dict[str, Any]) -> Annotation:
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
        tags=tuple(row["tags"] or ()),
        grade=row["grade"],
        status=row["status"],
        orphan=bool(row["orphan"]),
        created_at=iso(row["created_at"]),
        updated_at=iso(row["updated_at"]),
        author=row["author"],
    )


def row_params(a: Annotation, author: str) -> tuple[Any, ...]:
    return (
        pg_text(a.id),
        a.briefing_id,
        a.kind,
        a.target_type,
        pg_opt(a.target_id),
        a.start,
        a.end,
        pg_opt(a.exact),
        pg_opt(a.prefix),
        pg_opt(a.suffix),
        a.meaning,
        pg_opt(a.note),
        [pg_text(t) for t in a.tags],
        a.grade,
        a.status,
        a.orphan,
        a.author or author,
        a.created_at,
        a.updated_at,
    )
