"""The library by windows on PostgreSQL: the same calls as the SQLite store's (a window in
three orders with a title filter, counting, a page of full-text hits with snippets, where a
hit's match is, the whole listing streamed through a server-side cursor)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Final

from brief_tui.library.store.briefings import _snippet, like_pattern, match_offset
from brief_tui.library.store.postgres.briefings import INFO_SELECT, LEXEME, info_of
from brief_tui.library.store.postgres.connection import PgHandle
from brief_tui.library.store.postgres.rows import pg_text
from brief_tui.library.store.postgres.schema import TS_CONFIG
from brief_tui.library.store.protocol import SORTS, BriefingInfo, SearchHit

#: each order of SORTS as PostgreSQL writes it
PG_SORTS: Final = {
    "opened": "b.last_opened_at",
    "added": "b.added_at",
    "title": "lower(b.title)",
}
assert set(PG_SORTS) == set(SORTS)

#: the query as a tsquery in which every word matches as a prefix (as the SQLite store does)
_PREFIX_QUERY: Final = f"""
    WITH w AS (SELECT websearch_to_tsquery('{TS_CONFIG}', %s) AS q)
    SELECT CASE WHEN numnode(q) = 0 THEN NULL
                ELSE regexp_replace(q::text, %s, '\\&:*', 'g')::tsquery END AS q FROM w"""


def _title_filter(piece: str) -> tuple[str, tuple[str, ...]]:
    piece = piece.strip()
    if not piece:
        return "", ()
    return " WHERE b.title ILIKE %s ESCAPE '\\'", (pg_text(like_pattern(piece)),)


def list_window(
    store: PgHandle,
    *,
    sort: str,
    descending: bool,
    title_filter: str,
    limit: int,
    offset: int,
) -> list[BriefingInfo]:
    column = PG_SORTS.get(sort)
    if column is None:
        raise ValueError(f"unknown order {sort!r} (one of {', '.join(SORTS)})")
    direction = "DESC" if descending else "ASC"
    order = f"{column} {direction}, b.id {direction}"
    where, args = _title_filter(title_filter)
    with store._tx(write=False) as conn:
        rows = conn.execute(
            f"""WITH w AS MATERIALIZED (SELECT b.id FROM briefings b{where} ORDER BY {order}
                                         LIMIT %s OFFSET %s)
                {INFO_SELECT} JOIN w ON w.id = b.id ORDER BY {order}""",
            (*args, max(0, limit), max(0, offset)),
        ).fetchall()
    return [info_of(r) for r in rows]


def count_briefings(store: PgHandle, *, title_filter: str) -> int:
    where, args = _title_filter(title_filter)
    with store._tx(write=False) as conn:
        row = conn.execute(f"SELECT count(*) AS n FROM briefings b{where}", args).fetchone()
    return int(row["n"]) if row else 0


def search_page(store: PgHandle, query: str, *, limit: int, offset: int) -> list[SearchHit]:
    """PostgreSQL's text search, best first, each hit with ts_headline's fragment (read from
    the first 300,000 characters, as the search vector is)."""
    if not query.split():
        return []
    with store._tx(write=False) as conn:
        q = conn.execute(_PREFIX_QUERY, (pg_text(query), LEXEME)).fetchone()
        if q is None or q["q"] is None:
            return []
        columns = INFO_SELECT.replace("FROM briefings b", "").rstrip()
        rows = conn.execute(
            f"""WITH hits AS MATERIALIZED (
                    SELECT b.id, ts_rank_cd(b.search, %(q)s::tsquery) AS r FROM briefings b
                    WHERE b.search @@ %(q)s::tsquery
                    ORDER BY r DESC, b.last_opened_at DESC, b.id
                    LIMIT %(limit)s OFFSET %(offset)s)
                {columns}, h.r,
                       ts_headline('{TS_CONFIG}', left(b.text, 300000), %(q)s::tsquery,
                           'StartSel=' || chr(2) || ', StopSel=' || chr(3) ||
                           ', MaxWords=18, MinWords=8, MaxFragments=1') AS snip
                FROM briefings b JOIN hits h ON h.id = b.id
                ORDER BY h.r DESC, b.last_opened_at DESC, b.id""",
            {"q": q["q"], "limit": max(0, limit), "offset": max(0, offset)},
        ).fetchall()
    return [SearchHit(info_of(r), *_snippet(r["snip"] or "")) for r in rows]


def first_match(store: PgHandle, briefing_id: str, query: str) -> int | None:
    if not query.split():
        return None
    with store._tx(write=False) as conn:
        row = conn.execute("SELECT text FROM briefings WHERE id = %s", (briefing_id,)).fetchone()
    return None if row is None else match_offset(row["text"], query)


def iter_listing(
    store: PgHandle,
) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
    """Every briefing, the most recently opened first, through a server-side cursor: the
    client holds a batch at a time."""
    with store._tx(write=False) as conn, conn.cursor(name="brief_tui_listing") as cur:
        cur.itersize = 500
        columns = INFO_SELECT.replace("FROM briefings b", "").rstrip()
        cur.execute(
            f"""{columns}, b.meta,
                       (SELECT c.claims FROM analysis_cache c
                        WHERE c.briefing_id = b.id AND c.claims IS NOT NULL
                        ORDER BY c.created_at DESC LIMIT 1) AS claims
                FROM briefings b ORDER BY b.last_opened_at DESC, b.id"""
        )
        for row in cur:
            meta = row["meta"] if isinstance(row["meta"], dict) else {}
            claims = row["claims"]
            yield info_of(row), dict(meta), None if claims is None else int(claims)
