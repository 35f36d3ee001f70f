"""The analysis cache: a briefing's analysis kept by (briefing id, model name and version,
analyser version), so that a briefing opened again is shown analysed without running spaCy.

A row's ``json`` is the compact private form of Analysis.to_cache (CACHE_FORMAT), the
briefing text left out when the briefings table holds it under the same id (the id is
the text's SHA-256, and a stored briefing's text never changes). Rows written before
that form hold Analysis.to_json() (the public schema) and are still read; a row in any
other form, or damaged, is a miss.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager

from brief_tui.analysis.model import CACHE_FORMAT, Analysis
from brief_tui.analysis.model import SCHEMA as ANALYSIS_SCHEMA
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import StoreDamaged
from brief_tui.library.store.timestamps import now_iso


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around reading (or writing) a cached analysis:
    that makes some 200,000 containers, none of them garbage, and the allocations alone
    started collections that walked the whole heap again and again (half of the time a read
    took). Threads overlapping here leave it on; one that was already off is left alone."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def decode_cached(raw: str, text: str | None) -> Analysis | None:
    """A cache row's analysis (``text``: the stored briefing's, for a row without it), or
    ``None`` if the row is in no form this version reads."""
    try:
        with collector_paused():
            d = json.loads(raw)
            if not isinstance(d, dict):
                return None
            if d.get("schema") == ANALYSIS_SCHEMA:  # written before the compact form
                return Analysis.from_json(d)
            return Analysis.from_cache(d, text)
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None


class AnalysisCache:
    """The ``analysis_cache`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

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
            data = json.dumps(analysis.to_cache(with_text=not stored), separators=(",", ":"))
        with self.db.write() as conn:
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

    def claim_counts(self) -> dict[str, int]:
        """The number of claims in the latest readable cached analysis of every analysed
        briefing (briefings never analysed are absent). Counted by SQLite, without parsing
        the analyses."""
        with self.db.read() as conn:
            rows = conn.execute(
                """SELECT briefing_id, json_array_length(json, '$.claims') AS n
                   FROM analysis_cache
                   WHERE json_valid(json) AND json_extract(json, '$.schema') IN (?, ?)
                     AND json_type(json, '$.claims') = 'array'
                   ORDER BY created_at""",
                (CACHE_FORMAT, ANALYSIS_SCHEMA),
            ).fetchall()
        return {str(r["briefing_id"]): int(r["n"]) for r in rows}  # the latest wins
