"""The team library's analysis cache: as the local one (:mod:`brief_tui.library.store.cache`),
kept on the server so that a briefing one analyst analysed opens analysed for the others. A
cache: a server away is a miss, not an error."""

from __future__ import annotations

from collections.abc import Sequence

from brief_tui.analysis.cache_row import cache_row, collector_paused, decode_cached
from brief_tui.analysis.model import Analysis
from brief_tui.library.store.errors import StoreUnavailable
from brief_tui.library.store.postgres.connection import PgHandle
from brief_tui.library.store.postgres.rows import pg_text


def get_cached_analysis(
    store: PgHandle, briefing_id: str, model_name: str, model_version: str, analyser_version: str
) -> Analysis | None:
    try:
        with store._tx(write=False) as conn:
            row = conn.execute(
                """SELECT c.data, b.text FROM analysis_cache c
                   LEFT JOIN briefings b ON b.id = c.briefing_id
                   WHERE c.briefing_id = %s AND c.model_name = %s AND c.model_version = %s
                     AND c.analyser_version = %s""",
                (briefing_id, model_name, model_version, analyser_version),
            ).fetchone()
    except StoreUnavailable:
        return None  # a cache: analysing again beats failing
    return None if row is None else _decode(row["data"], row["text"])


def put_cached_analysis(store: PgHandle, analysis: Analysis) -> None:
    with store._tx() as conn:
        row = conn.execute(
            "SELECT text = %s AS same FROM briefings WHERE id = %s",
            (pg_text(analysis.text), analysis.briefing_id),
        ).fetchone()
        stored = bool(row and row["same"])
        with collector_paused():
            data = cache_row(analysis.to_cache(with_text=not stored)).encode("ascii")
        conn.execute(
            """INSERT INTO analysis_cache (briefing_id, model_name, model_version,
                                           analyser_version, data, claims, created_at)
               VALUES (%s, %s, %s, %s, %s, %s, now())
               ON CONFLICT (briefing_id, model_name, model_version, analyser_version)
               DO UPDATE SET data = excluded.data, claims = excluded.claims,
                             created_at = excluded.created_at""",
            (
                analysis.briefing_id,
                analysis.model_name,
                analysis.model_version,
                analysis.analyser_version,
                data,
                len(analysis.claims),
            ),
        )


def latest_cached_analysis(store: PgHandle, briefing_id: str) -> Analysis | None:
    try:
        with store._tx(write=False) as conn:
            rows = conn.execute(
                "SELECT data FROM analysis_cache WHERE briefing_id = %s ORDER BY created_at DESC",
                (briefing_id,),
            ).fetchall()
            text_row = (
                conn.execute("SELECT text FROM briefings WHERE id = %s", (briefing_id,)).fetchone()
                if rows
                else None
            )
    except StoreUnavailable:
        return None
    text = text_row["text"] if text_row else None
    for row in rows:
        analysis = _decode(row["data"], text)
        if analysis is not None:
            return analysis
    return None


def claim_counts(store: PgHandle, ids: Sequence[str] | None = None) -> dict[str, int]:
    some = "" if ids is None else " AND briefing_id = ANY(%s)"
    with store._tx(write=False) as conn:
        rows = conn.execute(
            f"""SELECT DISTINCT ON (briefing_id) briefing_id, claims FROM analysis_cache
                WHERE claims IS NOT NULL{some} ORDER BY briefing_id, created_at DESC""",
            () if ids is None else (list(ids),),
        ).fetchall()
    return {str(r["briefing_id"]): int(r["claims"]) for r in rows}


def _decode(data: bytes | memoryview, text: str | None) -> Analysis | None:
    try:
        raw = bytes(data).decode("ascii")
    except UnicodeDecodeError:
        return None
    return decode_cached(raw, text)
