"""The team library's briefings room: adding and reading briefings, reading positions
(each analyst's own), listing, text search, removing (refused while other analysts' notes
are on it). The library by windows and pages is :mod:`.windows`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Final

from brief_tui.briefing.load import Briefing
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.store.briefings import (
    _date_from_meta,
    _headings_from_meta,
    _meta_of,
    _paragraphs_from_meta,
)
from brief_tui.library.store.errors import NotYours
from brief_tui.library.store.postgres.connection import Conn, PgHandle, notify
from brief_tui.library.store.postgres.rows import iso, pg_json, pg_text
from brief_tui.library.store.postgres.schema import TS_CONFIG
from brief_tui.library.store.protocol import BriefingInfo
from brief_tui.library.store.timestamps import now_iso

#: every lexeme of PostgreSQL's parse of a web-search query, made a prefix match
LEXEME: Final = r"'(?:[^']|'')*'"


def add_briefing(
    store: PgHandle, briefing: Briefing, *, meta: dict[str, Any] | None = None
) -> BriefingInfo:
    now = now_iso()
    own = _meta_of(briefing)
    with store._tx() as conn:
        row = conn.execute(
            "SELECT meta FROM briefings WHERE id = %s FOR UPDATE", (briefing.id,)
        ).fetchone()
        base = dict(row["meta"]) if row and isinstance(row["meta"], dict) else {}
        merged = pg_json({**base, **own} if meta is None else {**own, **meta})
        inserted = (
            row is None
            and conn.execute(
                """INSERT INTO briefings (id, title, origin, format, text, encoding, meta,
                                          added_at, last_opened_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (id) DO NOTHING""",
                (
                    briefing.id,
                    pg_text(briefing.title),
                    pg_text(briefing.origin),
                    briefing.format,
                    pg_text(briefing.text),
                    briefing.encoding,
                    json.dumps(merged, ensure_ascii=False),
                    now,
                    now,
                ),
            ).rowcount
        )
        if inserted:  # (the other readers' library screens show it)
            notify(conn, briefing.id)
        else:  # (another reader may have just added it: updated then)
            conn.execute(
                """UPDATE briefings SET title = %s, origin = %s, format = %s, encoding = %s,
                          last_opened_at = %s, meta = %s WHERE id = %s""",
                (
                    pg_text(briefing.title),
                    pg_text(briefing.origin),
                    briefing.format,
                    briefing.encoding,
                    now,
                    json.dumps(merged, ensure_ascii=False),
                    briefing.id,
                ),
            )
        info = info_one(conn, briefing.id)
    assert info is not None
    return info


def touch_briefing(store: PgHandle, briefing_id: str) -> None:
    with store._tx() as conn:
        conn.execute(
            "UPDATE briefings SET last_opened_at = %s WHERE id = %s", (now_iso(), briefing_id)
        )


def set_reading_position(store: PgHandle, briefing_id: str, offset: int) -> None:
    with store._tx() as conn:
        conn.execute(
            """INSERT INTO reading_positions (analyst, briefing_id, position)
               SELECT %s, id, %s FROM briefings WHERE id = %s
               ON CONFLICT (analyst, briefing_id) DO UPDATE SET position = excluded.position""",
            (store.analyst, max(0, int(offset)), briefing_id),
        )


def reading_position(store: PgHandle, briefing_id: str) -> int | None:
    with store._tx(write=False) as conn:
        row = conn.execute(
            "SELECT position FROM reading_positions WHERE analyst = %s AND briefing_id = %s",
            (store.analyst, briefing_id),
        ).fetchone()
    return int(row["position"]) if row else None


def briefing_date(store: PgHandle, briefing_id: str) -> date | None:
    with store._tx(write=False) as conn:
        row = conn.execute(
            "SELECT meta->>'date' AS d FROM briefings WHERE id = %s", (briefing_id,)
        ).fetchone()
    return _date_from_meta(row["d"]) if row else None


def get_briefing(store: PgHandle, briefing_id: str) -> Briefing | None:
    with store._tx(write=False) as conn:
        row = conn.execute(
            "SELECT id, title, origin, format, text, encoding, meta FROM briefings WHERE id = %s",
            (briefing_id,),
        ).fetchone()
    if row is None:
        return None
    # the server is shared: what it holds is untrusted as a document is
    text = clean_text(row["text"])
    meta = row["meta"] if isinstance(row["meta"], dict) else {}
    return Briefing(
        id=row["id"],
        title=clean_line(row["title"]),
        text=text,
        origin=row["origin"],
        paragraphs=_paragraphs_from_meta(meta, text),
        format=row["format"],
        encoding=row["encoding"],
        author=clean_line(str(meta.get("author") or "")),
        date=_date_from_meta(meta.get("date")),
        url=clean_line(str(meta.get("url") or "")),
        headings=_headings_from_meta(meta, text),
    )


def briefing_meta(store: PgHandle, briefing_id: str) -> dict[str, Any]:
    with store._tx(write=False) as conn:
        row = conn.execute("SELECT meta FROM briefings WHERE id = %s", (briefing_id,)).fetchone()
    return dict(row["meta"]) if row and isinstance(row["meta"], dict) else {}


#: the columns of a BriefingInfo
INFO_SELECT: Final = """
    SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars, b.added_at,
           b.last_opened_at,
           (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id) AS annotation_count
    FROM briefings b"""


def info_of(row: dict[str, Any]) -> BriefingInfo:
    return BriefingInfo(
        id=row["id"],
        title=row["title"],
        origin=row["origin"],
        format=row["format"],
        chars=int(row["chars"]),
        added_at=iso(row["added_at"]),
        last_opened_at=iso(row["last_opened_at"]),
        annotation_count=int(row["annotation_count"]),
    )


def info_one(conn: Conn, briefing_id: str) -> BriefingInfo | None:
    row = conn.execute(INFO_SELECT + " WHERE b.id = %s", (briefing_id,)).fetchone()
    return info_of(row) if row else None


def briefing_info(store: PgHandle, briefing_id: str) -> BriefingInfo | None:
    with store._tx(write=False) as conn:
        return info_one(conn, briefing_id)


def list_briefings(store: PgHandle) -> list[BriefingInfo]:
    with store._tx(write=False) as conn:
        rows = conn.execute(INFO_SELECT + " ORDER BY b.last_opened_at DESC, b.id").fetchall()
    return [info_of(r) for r in rows]


def briefings_from_origin(store: PgHandle, origin: str) -> list[BriefingInfo]:
    with store._tx(write=False) as conn:
        rows = conn.execute(
            INFO_SELECT + " WHERE b.origin = %s ORDER BY b.last_opened_at DESC, b.id",
            (pg_text(origin),),
        ).fetchall()
    return [info_of(r) for r in rows]


def search_briefings(store: PgHandle, query: str, *, limit: int = 100) -> list[BriefingInfo]:
    """PostgreSQL's text search over titles and texts: web-search syntax ("a phrase",
    or, -word), English stemming, every word matching as a prefix; titles rank first."""
    if not query.split():
        return list_briefings(store)[:limit]
    with store._tx(write=False) as conn:
        rows = conn.execute(
            f"""WITH w AS (SELECT websearch_to_tsquery('{TS_CONFIG}', %s) AS q),
                     p AS (SELECT CASE WHEN numnode(q) = 0 THEN NULL
                                  ELSE regexp_replace(q::text, %s, '\\&:*', 'g')::tsquery
                                  END AS q FROM w)
                {INFO_SELECT}, p
                WHERE b.search @@ p.q
                ORDER BY ts_rank_cd(b.search, p.q) DESC, b.last_opened_at DESC, b.id
                LIMIT %s""",
            (pg_text(query), LEXEME, limit),
        ).fetchall()
    return [info_of(r) for r in rows]


def remove_briefing(store: PgHandle, briefing_id: str) -> int:
    """Remove a briefing with its annotations, undo history and cached analyses; refused
    (:class:`NotYours`) while it holds other analysts' annotations."""
    with store._tx() as conn:
        others = conn.execute(
            "SELECT DISTINCT author FROM annotations WHERE briefing_id = %s AND author <> %s "
            "ORDER BY author",
            (briefing_id, store.analyst),
        ).fetchall()
        if others:
            names = ", ".join(clean_line(r["author"], 40) for r in others[:3])
            raise NotYours(f"the briefing holds notes of other analysts ({names}): not removed")
        n = conn.execute("DELETE FROM annotations WHERE briefing_id = %s", (briefing_id,)).rowcount
        conn.execute("DELETE FROM undo_log WHERE briefing_id = %s", (briefing_id,))
        conn.execute("DELETE FROM analysis_cache WHERE briefing_id = %s", (briefing_id,))
        conn.execute("DELETE FROM briefings WHERE id = %s", (briefing_id,))
        notify(conn, briefing_id)
    return int(n)
