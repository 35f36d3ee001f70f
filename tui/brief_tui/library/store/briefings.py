"""The briefings room: storing briefings (their text, title, origin and metadata), listing
them, full-text search over them, and removing them."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Generator
from datetime import date
from typing import Any, Final

from brief_tui.analysis.cache_row import CACHE_ROW
from brief_tui.analysis.model import CACHE_FORMAT
from brief_tui.analysis.model import SCHEMA as ANALYSIS_SCHEMA
from brief_tui.briefing.load import Briefing, Heading, paragraph_spans
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.store.connection import Database
from brief_tui.library.store.protocol import SORTS, BriefingInfo, SearchHit
from brief_tui.library.store.timestamps import now_iso


# -- a briefing's metadata in the ``meta`` column --------------------------------------------
def _meta_of(b: Briefing) -> dict[str, Any]:
    """What a Briefing knows beyond its columns, as JSON values (empty fields left out)."""
    out: dict[str, Any] = {}
    if b.author:
        out["author"] = b.author
    if b.date is not None:
        out["date"] = b.date.isoformat()
    if b.url:
        out["url"] = b.url
    if b.headings:
        out["headings"] = [[h.level, h.start, h.end, h.text] for h in b.headings]
    if b.paragraphs and b.paragraphs != paragraph_spans(b.text):
        out["paragraphs"] = [[s, e] for s, e in b.paragraphs]
    return out


def _loads_meta(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return dict(value) if isinstance(value, dict) else {}


def _date_from_meta(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _paragraphs_from_meta(meta: dict[str, Any], text: str) -> tuple[tuple[int, int], ...]:
    raw = meta.get("paragraphs")
    if isinstance(raw, list):
        try:
            spans = tuple((int(s), int(e)) for s, e in raw)
        except (TypeError, ValueError):
            spans = ()
        if spans and all(0 <= s <= e <= len(text) for s, e in spans):
            return spans
    return paragraph_spans(text)


def _headings_from_meta(meta: dict[str, Any], text: str) -> tuple[Heading, ...]:
    raw = meta.get("headings")
    if not isinstance(raw, list):
        return ()
    out: list[Heading] = []
    for item in raw:
        try:
            level, start, end, title = item
            h = Heading(int(level), int(start), int(end), str(title))
        except (TypeError, ValueError):
            return ()
        if not 0 <= h.start <= h.end <= len(text):
            return ()
        out.append(h)
    return tuple(out)


class Briefings:
    """The ``briefings`` table and its full-text index."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_briefing(
        self, briefing: Briefing, *, meta: dict[str, Any] | None = None
    ) -> BriefingInfo:
        """Store a briefing (or, if its id is known, update its title/origin/format/encoding)
        and mark it opened now.

        The briefing's author, date, url, headings (and its paragraphs when a format handler
        made them differently from :func:`paragraph_spans`) are kept in the ``meta`` column,
        so that :meth:`get_briefing` gives them back. ``meta`` adds free keys of the caller's
        (its "author"/"date"/"url" win over the briefing's); without ``meta`` the keys stored
        before are kept, updated by what the briefing itself knows."""
        now = now_iso()
        own = _meta_of(briefing)
        with self.db.write() as conn:
            row = conn.execute("SELECT meta FROM briefings WHERE id = ?", (briefing.id,)).fetchone()
            base = _loads_meta(row[0]) if row else {}
            if base.pop("lost_text", None):
                self._restore_lost_text(conn, briefing)
            merged = {**base, **own} if meta is None else {**own, **meta}
            conn.execute(
                """INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,
                                          encoding, meta)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET
                       title = excluded.title,
                       origin = excluded.origin,
                       format = excluded.format,
                       encoding = excluded.encoding,
                       last_opened_at = excluded.last_opened_at,
                       meta = excluded.meta""",
                (
                    briefing.id,
                    briefing.title,
                    briefing.origin,
                    briefing.format,
                    briefing.text,
                    now,
                    now,
                    briefing.encoding,
                    json.dumps(merged, ensure_ascii=False, sort_keys=True),
                ),
            )
        info = self.briefing_info(briefing.id)
        assert info is not None
        return info

    @staticmethod
    def _restore_lost_text(conn: sqlite3.Connection, briefing: Briefing) -> None:
        """The stand-in a salvage made for a briefing whose row was unreadable gets its text
        back (the same id: the same text), and its notes whose quote is there again are no
        longer orphans."""
        conn.execute("UPDATE briefings SET text = ? WHERE id = ?", (briefing.text, briefing.id))
        conn.execute(
            """UPDATE annotations SET orphan = 0
               WHERE briefing_id = ? AND orphan = 1 AND start IS NOT NULL
                 AND substr(?, start + 1, "end" - start) = exact""",
            (briefing.id, briefing.text),
        )

    def touch_briefing(self, briefing_id: str) -> None:
        """Mark a stored briefing opened now."""
        with self.db.write() as conn:
            conn.execute(
                "UPDATE briefings SET last_opened_at = ? WHERE id = ?", (now_iso(), briefing_id)
            )

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        """Where the reader was in a briefing (a character offset), kept for its next
        opening."""
        with self.db.write() as conn:
            conn.execute(
                "UPDATE briefings SET meta = json_set(meta, '$.position', ?) WHERE id = ?",
                (int(offset), briefing_id),
            )

    def reading_position(self, briefing_id: str) -> int | None:
        position = self.briefing_meta(briefing_id).get("position")
        return position if isinstance(position, int) and position >= 0 else None

    def briefing_date(self, briefing_id: str) -> date | None:
        """The date stored with a briefing (given with --date or read before), without
        reading its text."""
        with self.db.read() as conn:
            row = conn.execute("SELECT meta FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return _date_from_meta(_loads_meta(row[0]).get("date")) if row else None

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        """The stored briefing with its text, format, encoding and (from its meta) author,
        date, url, headings and paragraphs."""
        with self.db.read() as conn:
            row = conn.execute(
                """SELECT id, title, origin, format, text, encoding, meta
                   FROM briefings WHERE id = ?""",
                (briefing_id,),
            ).fetchone()
        if row is None:
            return None
        # the database is untrusted too (an older version or another program wrote it):
        # what is shown is cleaned as a document is, the text one character for one so that
        # offsets hold; the origin stays as it is (it is the path to read the file again)
        text: str = clean_text(row["text"])
        meta = _loads_meta(row["meta"])
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

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]:
        with self.db.read() as conn:
            row = conn.execute("SELECT meta FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return _loads_meta(row[0]) if row else {}

    INFO_SELECT: Final = """
        SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars, b.added_at,
               b.last_opened_at,
               (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id) AS annotation_count
        FROM briefings b"""

    @staticmethod
    def info(row: sqlite3.Row) -> BriefingInfo:
        return BriefingInfo(
            id=row["id"],
            title=row["title"],
            origin=row["origin"],
            format=row["format"],
            chars=row["chars"],
            added_at=row["added_at"],
            last_opened_at=row["last_opened_at"],
            annotation_count=row["annotation_count"],
        )

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None:
        with self.db.read() as conn:
            row = conn.execute(self.INFO_SELECT + " WHERE b.id = ?", (briefing_id,)).fetchone()
        return self.info(row) if row else None

    def list_briefings(self) -> list[BriefingInfo]:
        """Every stored briefing, the most recently opened first."""
        with self.db.read() as conn:
            rows = conn.execute(
                self.INFO_SELECT + " ORDER BY b.last_opened_at DESC, b.id"
            ).fetchall()
        return [self.info(r) for r in rows]

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        """Every stored briefing in :meth:`list_briefings`' order, with its meta and the
        number of claims in its latest readable cached analysis (None when never analysed:
        as ``claim_counts``), read row by row through one cursor so that memory stays flat
        however large the library. Holds the store's lock until it is exhausted or closed:
        for a command line or a worker, never the UI thread."""
        with self.db.read() as conn:
            cursor = conn.execute(
                """SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars,
                          b.added_at, b.last_opened_at, b.meta,
                          (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id)
                              AS annotation_count,
                          (SELECT json_array_length(c.json, '$.claims') FROM analysis_cache c
                           WHERE c.briefing_id = b.id AND json_valid(c.json)
                             AND json_extract(c.json, '$.schema') IN (?, ?, ?)
                             AND json_type(c.json, '$.claims') = 'array'
                           ORDER BY c.created_at DESC LIMIT 1) AS claims
                   FROM briefings b ORDER BY b.last_opened_at DESC, b.id""",
                (CACHE_ROW, CACHE_FORMAT, ANALYSIS_SCHEMA),
            )
            try:
                for row in cursor:
                    claims = row["claims"]
                    yield (
                        self.info(row),
                        _loads_meta(row["meta"]),
                        None if claims is None else int(claims),
                    )
            finally:
                cursor.close()

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        """Briefings read from ``origin`` (a path or URL), the most recently opened first:
        the earlier versions of a file whose text changed."""
        with self.db.read() as conn:
            rows = conn.execute(
                self.INFO_SELECT + " WHERE b.origin = ? ORDER BY b.last_opened_at DESC, b.id",
                (origin,),
            ).fetchall()
        return [self.info(r) for r in rows]

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        """Full-text search over titles and texts (every word must occur, as a prefix)."""
        match = _fts_query(query)
        if match is None:
            return self.list_briefings()[:limit]
        with self.db.read() as conn:
            rows = conn.execute(
                f"""WITH hits AS (SELECT briefing_id, min(rank) AS rank FROM briefings_fts
                                  WHERE briefings_fts MATCH ? GROUP BY briefing_id)
                    {self.INFO_SELECT} JOIN hits h ON h.briefing_id = b.id
                    ORDER BY h.rank, b.last_opened_at DESC LIMIT ?""",
                (match, limit),
            ).fetchall()
        return [self.info(r) for r in rows]

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        """One window of the library, sorted and filtered by SQLite (an index per order:
        a window of 100,000 briefings reads only its own rows)."""
        column = SORTS.get(sort)
        if column is None:
            raise ValueError(f"unknown order {sort!r} (one of {', '.join(SORTS)})")
        direction = "DESC" if descending else "ASC"
        order = f"{column} {direction}, b.id {direction}"
        where, args = self._title_filter(title_filter)
        with self.db.read() as conn:
            # the window's ids from the index first: the rows skipped by OFFSET are not read
            # (their text's length would be)
            rows = conn.execute(
                f"""WITH w AS MATERIALIZED (SELECT b.id FROM briefings b{where} ORDER BY {order}
                               LIMIT ? OFFSET ?)
                    {self.INFO_SELECT} JOIN w ON w.id = b.id ORDER BY {order}""",
                (*args, max(0, limit), max(0, offset)),
            ).fetchall()
        return [self.info(r) for r in rows]

    def count_briefings(self, *, title_filter: str = "") -> int:
        where, args = self._title_filter(title_filter)
        with self.db.read() as conn:
            return int(conn.execute(f"SELECT count(*) FROM briefings b{where}", args).fetchone()[0])

    @staticmethod
    def _title_filter(piece: str) -> tuple[str, tuple[str, ...]]:
        piece = piece.strip()
        if not piece:
            return "", ()
        return " WHERE b.title LIKE ? ESCAPE '\\'", (like_pattern(piece),)

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """One page of full-text search hits (every word must occur, as a prefix), best
        first, each with a line of its text around the match (FTS5's snippet)."""
        match = _fts_query(query)
        if match is None:
            return []
        with self.db.read() as conn:
            # ranking every hit of a common word costs ~0.4 s at 100,000 briefings: past
            # RANKED_UP_TO hits, the newest come first instead (cheap: FTS5's rowid order)
            many = conn.execute(
                "SELECT count(*) FROM (SELECT rowid FROM briefings_fts"
                " WHERE briefings_fts MATCH ? LIMIT ?)",
                (match, RANKED_UP_TO + 1),
            ).fetchone()[0]
            key, direction = ("rank", "ASC") if many <= RANKED_UP_TO else ("rowid", "DESC")
            rows = conn.execute(
                f"""WITH hits AS MATERIALIZED (
                        SELECT briefing_id, {key} AS k,
                               snippet(briefings_fts, 2, char(2), char(3), '…', 12) AS snip
                        FROM briefings_fts WHERE briefings_fts MATCH ?
                        ORDER BY {key} {direction} LIMIT ? OFFSET ?)
                    {self.INFO_SELECT.replace("SELECT b.id", "SELECT h.snip, b.id", 1)}
                    JOIN hits h ON h.briefing_id = b.id
                    ORDER BY h.k {direction}""",
                (match, max(0, limit), max(0, offset)),
            ).fetchall()
        return [SearchHit(self.info(r), *_snippet(r["snip"] or "")) for r in rows]

    def first_match(self, briefing_id: str, query: str) -> int | None:
        if not query.split():
            return None
        with self.db.read() as conn:
            row = conn.execute("SELECT text FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return None if row is None else match_offset(row[0], query)

    def remove_briefing(self, briefing_id: str) -> int:
        """Remove a briefing with its annotations, undo history and cached analyses.
        Returns the number of annotations removed. Not undoable: confirm first."""
        with self.db.write() as conn:
            n = conn.execute(
                "DELETE FROM annotations WHERE briefing_id = ?", (briefing_id,)
            ).rowcount
            conn.execute("DELETE FROM undo_log WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM analysis_cache WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM across_keys WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM across_indexed WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM briefings WHERE id = ?", (briefing_id,))
        return int(n)


#: full-text hits ranked by relevance up to this many; more are listed newest first
RANKED_UP_TO: Final = 1000


def like_pattern(piece: str) -> str:
    """A LIKE pattern matching ``piece`` anywhere, its own ``%``, ``_`` and ``\\`` taken
    literally (with ``ESCAPE '\\'``)."""
    escaped = piece.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def match_offset(text: str, query: str) -> int | None:
    """Where the first word of a search query is in ``text`` as a full-text search matched
    it (the start of a word, any case), None when it is not there."""
    words = [w.strip('"') for w in query.split() if w.strip('"')]
    if not words:
        return None
    found = re.search(r"\b" + re.escape(words[0]), text, re.IGNORECASE)
    return found.start() if found else None


def _fts_query(query: str) -> str | None:
    """An FTS5 query in which every word must occur, as a prefix; each word quoted, so that
    nothing the user types is read as FTS5 syntax. None when there is no word."""
    words = [w for w in query.split() if w.strip('"')]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _snippet(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """FTS5's snippet with its match markers (STX, ETX) turned into spans of one clean line."""
    text: list[str] = []
    marks: list[tuple[int, int]] = []
    start = -1
    length = 0
    for part in re.split("([\x02\x03])", raw):
        if part == "\x02":
            start = length
        elif part == "\x03":
            if start >= 0:
                marks.append((start, length))
            start = -1
        elif part:
            # one for one, so that the marks still hold; line breaks become spaces
            piece = clean_text(part).replace("\n", " ").replace("\t", " ")
            text.append(piece)
            length += len(piece)
    return "".join(text), tuple(marks)
