"""The analysis cache: a briefing's analysis kept by (briefing id, model name and version,
analyser version), so that a briefing opened again is shown analysed without running spaCy.

A row's ``json`` is the compact private form of Analysis.to_cache (CACHE_FORMAT) written
part by part (analysis.cache_row, CACHE_ROW: a part is decoded when first read), the
briefing text left out when the briefings table holds it under the same id (the id is
the text's SHA-256, and a stored briefing's text never changes). Rows written before hold
that form as one object, or Analysis.to_json() (the public schema), and are still read; a
row in any other form, or damaged, is a miss.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from brief_tui.analysis.cache_row import (
    CACHE_ROW,
    cache_row,
    collector_paused,
    decode_cached,
)
from brief_tui.analysis.model import CACHE_FORMAT, Analysis
from brief_tui.analysis.model import SCHEMA as ANALYSIS_SCHEMA
from brief_tui.library.store.briefings import Briefings
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import StoreDamaged
from brief_tui.library.store.protocol import BriefingInfo, Candidates
from brief_tui.library.store.timestamps import now_iso


class AnalysisCache:
    """The ``analysis_cache`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._all_indexed = False

    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        """The cached analysis for these exact keys, or ``None`` (also if unreadable, or
        damaged)."""
        try:
            with self.db.read() as conn:
                row = conn.execute(
                    """SELECT c.json, b.text FROM analysis_cache c
                       LEFT JOIN briefings b ON b.id = c.briefing_id
                       WHERE c.briefing_id = ? AND c.model_name = ? AND c.model_version = ?
                         AND c.analyser_version = ?""",
                    (briefing_id, model_name, model_version, analyser_version),
                ).fetchone()
        except StoreDamaged:
            return None  # a cache: analysing again beats failing
        return None if row is None else decode_cached(row[0], row[1])

    def put_cached_analysis(self, analysis: Analysis) -> None:
        """Cache an analysis under its briefing id, model name/version and analyser version."""
        self.db.refuse_writes()
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT text = ? FROM briefings WHERE id = ?",
                (analysis.text, analysis.briefing_id),
            ).fetchone()
        stored = bool(row and row[0])
        with collector_paused():
            # ASCII (other characters escaped): a str of one byte a character to read back,
            # whatever the briefing's typography
            data = cache_row(analysis.to_cache(with_text=not stored))
        # (imported here: the names' rules are the analysis's, not needed to open a library)
        from brief_tui.library.names import index_keys

        keys = index_keys(analysis)
        with self.db.write() as conn:
            self._index(conn, analysis.briefing_id, keys)
            conn.execute(
                """INSERT OR REPLACE INTO analysis_cache
                   (briefing_id, model_name, model_version, analyser_version, json, created_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (
                    analysis.briefing_id,
                    analysis.model_name,
                    analysis.model_version,
                    analysis.analyser_version,
                    data,
                    now_iso(),
                ),
            )

    @staticmethod
    def _index(conn: sqlite3.Connection, briefing_id: str, keys: Iterable[str]) -> None:
        conn.execute("DELETE FROM across_keys WHERE briefing_id = ?", (briefing_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO across_keys (key, briefing_id) VALUES (?, ?)",
            ((k, briefing_id) for k in keys),
        )
        conn.execute(
            "INSERT OR IGNORE INTO across_indexed (briefing_id) VALUES (?)", (briefing_id,)
        )

    def index_across(self, briefing_id: str, keys: Iterable[str]) -> None:
        """Index the latest cached analysis of a briefing under ``keys`` (one cached before
        the index existed)."""
        self.db.refuse_writes()
        with self.db.write() as conn:
            self._index(conn, briefing_id, keys)

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates:
        """The briefings whose indexed analysis holds any of ``keys``, the most recently
        opened first (at most ``limit``; ``more``: how many beyond), each with its date and
        latest analysis, read in one query; and the analysed briefings not indexed yet."""
        wanted = json.dumps(list(keys))
        columns = Briefings.INFO_SELECT.replace("FROM briefings b", "").rstrip()
        with self.db.read() as conn:
            rows = conn.execute(
                f"""WITH w AS MATERIALIZED (
                        SELECT b.id FROM briefings b
                        WHERE b.id IN (SELECT briefing_id FROM across_keys
                                       WHERE key IN (SELECT value FROM json_each(?)))
                        ORDER BY b.last_opened_at DESC, b.id LIMIT ?)
                    {columns}, json_extract(b.meta, '$.date') AS date, b.text,
                           (SELECT c.json FROM analysis_cache c WHERE c.briefing_id = b.id
                            ORDER BY c.created_at DESC LIMIT 1) AS cached
                    FROM briefings b JOIN w ON w.id = b.id
                    ORDER BY b.last_opened_at DESC, b.id""",
                (wanted, max(0, limit) + 1),
            ).fetchall()
            # analyses cached before the index existed (an analysis put since is indexed
            # with it): looked for until none is left, once per store
            unindexed = (
                []
                if self._all_indexed
                else conn.execute(
                    """SELECT DISTINCT briefing_id FROM analysis_cache
                       WHERE briefing_id NOT IN (SELECT briefing_id FROM across_indexed)"""
                ).fetchall()
            )
            self._all_indexed = not unindexed
            more = 0
            if len(rows) > limit:
                rows = rows[:limit]
                more = (
                    conn.execute(
                        """SELECT count(DISTINCT briefing_id) FROM across_keys
                       WHERE key IN (SELECT value FROM json_each(?))""",
                        (wanted,),
                    ).fetchone()[0]
                    - limit
                )
        found: list[tuple[BriefingInfo, str | None, Analysis | None]] = []
        for r in rows:
            analysis = decode_cached(r["cached"], r["text"]) if r["cached"] else None
            if analysis is None:  # the newest unreadable: an older one may do
                analysis = self.latest_cached_analysis(r["id"])
            date = r["date"] if isinstance(r["date"], str) else None
            found.append((Briefings.info(r), date, analysis))
        return Candidates(found, max(0, more), [r[0] for r in unindexed])

    def unanalysed_naming(
        self, forms: Sequence[str], *, limit: int
    ) -> list[tuple[BriefingInfo, str | None]]:
        """Briefings never analysed whose title or text holds one of ``forms`` as words (any
        case: a superset of a case-sensitive search), at most ``limit``, with their dates."""
        phrases = [f for f in (" ".join(f.split()) for f in forms) if f]
        if not phrases:
            return []
        match = " OR ".join('"' + p.replace('"', '""') + '"' for p in phrases)
        columns = Briefings.INFO_SELECT.replace("FROM briefings b", "").rstrip()
        with self.db.read() as conn:
            # a library whose every briefing is analysed (and indexed): nothing to search
            # (the full-text index would list every briefing naming a common name)
            total = conn.execute("SELECT count(*) FROM briefings").fetchone()[0]
            if total == conn.execute("SELECT count(*) FROM across_indexed").fetchone()[0]:
                return []
            rows = conn.execute(
                f"""WITH w AS MATERIALIZED (
                        SELECT f.briefing_id AS id FROM briefings_fts f
                        WHERE briefings_fts MATCH ?
                          AND f.briefing_id NOT IN (SELECT briefing_id FROM across_indexed)
                          AND f.briefing_id NOT IN (SELECT briefing_id FROM analysis_cache)
                        LIMIT ?)
                    {columns}, json_extract(b.meta, '$.date') AS date
                    FROM briefings b JOIN w ON w.id = b.id""",
                (match, max(0, limit)),
            ).fetchall()
        return [
            (Briefings.info(r), r["date"] if isinstance(r["date"], str) else None) for r in rows
        ]

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        """The most recent readable cached analysis of a briefing, whatever the model (for
        export and the library's cross-references); ``None`` if none (or damaged)."""
        try:
            with self.db.read() as conn:
                rows = conn.execute(
                    "SELECT json FROM analysis_cache WHERE briefing_id = ? "
                    "ORDER BY created_at DESC",
                    (briefing_id,),
                ).fetchall()
                stored = (
                    conn.execute(
                        "SELECT text FROM briefings WHERE id = ?", (briefing_id,)
                    ).fetchone()
                    if rows
                    else None
                )
        except StoreDamaged:
            return None
        text = stored[0] if stored else None
        for row in rows:
            analysis = decode_cached(row[0], text)
            if analysis is not None:
                return analysis
        return None

    def claim_counts(self, ids: Sequence[str] | None = None) -> dict[str, int]:
        """The number of claims in the latest readable cached analysis of every analysed
        briefing (briefings never analysed are absent), or of ``ids`` only. Counted by
        SQLite, without parsing the analyses."""
        some = "" if ids is None else " AND briefing_id IN (SELECT value FROM json_each(?))"
        with self.db.read() as conn:
            rows = conn.execute(
                f"""SELECT briefing_id, json_array_length(json, '$.claims') AS n
                    FROM analysis_cache
                    WHERE json_valid(json) AND json_extract(json, '$.schema') IN (?, ?, ?)
                      AND json_type(json, '$.claims') = 'array'{some}
                    ORDER BY created_at""",
                (CACHE_ROW, CACHE_FORMAT, ANALYSIS_SCHEMA)
                + (() if ids is None else (json.dumps(list(ids)),)),
            ).fetchall()
        return {str(r["briefing_id"]): int(r["n"]) for r in rows}  # the latest wins
