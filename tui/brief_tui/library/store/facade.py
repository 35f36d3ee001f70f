"""The store's one face: :class:`Store`, which the UI, the CLI and the library's other
modules use. Its rooms do the work: opening and damage handling (``opening``, ``checks``,
``salvage``, ``errors``), the connection and its transactions (``connection``), the schema
(``schema``), briefings and search, annotations and undo, the analysis cache.

Durability: WAL journal, ``synchronous=FULL`` (each commit is fsynced: ~0.35 ms here, so a
confirmed note survives a power cut as well as a killed process), every user action one
``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, made the moment it is asked for. A
``busy_timeout`` lets several processes write the same file; ``BEGIN IMMEDIATE`` takes the
write lock up front so a transaction never fails half-way on a lock.

Undo: every annotation action (add, update, delete) writes a row to ``undo_log`` in the same
transaction, holding the annotation as it was before and the ``session`` of the Store that
made it (a random id per :meth:`Store.open`). :meth:`Store.undo` reverses the latest row of
its own session (optionally the latest for one briefing) and removes it: two readers on one
file never undo each other's actions. :meth:`Store.close` hands its rows over (session
NULL), and a session with nothing of its own to undo takes the latest handed-over row, so
undo still works after a restart. A reader killed without closing leaves its rows to
nobody (never undone by another reader). The log keeps the last :data:`UNDO_DEPTH` actions.

Thread safety: one connection guarded by a lock, usable from worker threads.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final, Self

from brief_tui.analysis.model import CACHE_FORMAT, Analysis
from brief_tui.analysis.model import SCHEMA as ANALYSIS_SCHEMA
from brief_tui.briefing.load import Briefing, Heading, paragraph_spans
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.anchoring import CONTEXT, ReanchorReport, Selector, selector_of
from brief_tui.library.annotations import Annotation, normalise_tags, validate
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import BUSY_TIMEOUT_S, StoreDamaged, StoreError, short
from brief_tui.library.store.opening import open_database
from brief_tui.library.store.timestamps import now_iso

#: undo actions kept in the log
UNDO_DEPTH: Final = 500

_ANN_COLUMNS: Final = (
    'id, briefing_id, kind, target_type, target_id, start, "end", exact, prefix, suffix, '
    "meaning, note, tags, grade, status, orphan, created_at, updated_at"
)
_ANN_ORDER: Final = 'orphan, start IS NULL, start, "end", created_at, id'
_UPDATABLE: Final = frozenset(
    {
        "kind",
        "target_type",
        "target_id",
        "start",
        "end",
        "meaning",
        "note",
        "tags",
        "grade",
        "status",
    }
)


@dataclass(frozen=True, slots=True)
class BriefingInfo:
    """A briefing as the library lists it (without its text)."""

    id: str
    title: str
    origin: str
    format: str
    chars: int
    added_at: str
    last_opened_at: str
    annotation_count: int


def _annotation_from_row(row: sqlite3.Row) -> Annotation:
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
    )


def _annotation_to_json(a: Annotation) -> dict[str, Any]:
    return {
        "id": a.id,
        "briefing_id": a.briefing_id,
        "kind": a.kind,
        "target_type": a.target_type,
        "target_id": a.target_id,
        "start": a.start,
        "end": a.end,
        "exact": a.exact,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "meaning": a.meaning,
        "note": a.note,
        "tags": list(a.tags),
        "grade": a.grade,
        "status": a.status,
        "orphan": a.orphan,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _annotation_from_json(d: dict[str, Any]) -> Annotation:
    return Annotation(**{**d, "tags": tuple(d.get("tags", ()))})


def _row_params(a: Annotation) -> tuple[Any, ...]:
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
    )


def _describe(a: Annotation) -> str:
    what = a.kind
    if a.target_type != "text":
        what += f" on {a.target_type} {a.target_id}"
    if a.exact:
        what += f" “{short(a.exact)}”"
    return what


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def _decode_cached(raw: str, text: str | None) -> Analysis | None:
    """A cache row's analysis (``text``: the stored briefing's, for a row without it), or
    ``None`` if the row is in no form this version reads."""
    try:
        with _collector_paused():
            d = json.loads(raw)
            if not isinstance(d, dict):
                return None
            if d.get("schema") == ANALYSIS_SCHEMA:  # written before the compact form
                return Analysis.from_json(d)
            return Analysis.from_cache(d, text)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


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


class Store:
    """One SQLite database of briefings and annotations. Open it with :meth:`Store.open`."""

    def __init__(self, db: Database) -> None:
        #: the open database the rooms work on
        self.db = db
        #: this reader's id in the undo log: its undo never reverses another's actions
        self.session = uuid.uuid4().hex

    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        *,
        check: bool = True,
        repair: bool = False,
        full_check: bool = False,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> Store:
        """Open (creating if needed) the store in ``data_dir`` (resolved by
        :func:`brief_tui.library.paths.data_dir`). ``check`` checks the database for damage;
        a damaged one is salvaged when ``repair`` is True, else opened read-only where it
        is; ``full_check`` checks the whole file whenever it was last checked;
        ``busy_timeout``: seconds a write waits for another process's transaction. Never
        raises for a damaged or unwritable database: see
        :func:`brief_tui.library.store.opening.open_database`."""
        return cls(
            open_database(
                data_dir,
                check=check,
                repair=repair,
                full_check=full_check,
                busy_timeout=busy_timeout,
            )
        )

    @property
    def path(self) -> Path | None:
        """The database file (``None`` for the empty in-memory fallback)."""
        return self.db.path

    @property
    def read_only(self) -> bool:
        """True when writes are refused; :attr:`warning` says why."""
        return self.db.read_only

    @property
    def warning(self) -> str | None:
        """One line for the user about anything that went wrong while opening, else None."""
        return self.db.warning

    def close(self) -> None:
        """Close the database, handing this reader's undo history over (see the module
        docstring) so that the next reader can undo it."""
        with self.db.lock:
            if not self.read_only:
                with suppress(sqlite3.Error):
                    self.db.conn.execute(
                        "UPDATE undo_log SET session = NULL WHERE session = ?", (self.session,)
                    )
            self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.db.read()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.db.write()

    # -- briefings ----------------------------------------------------------------------
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
        with self._write() as conn:
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
        with self._write() as conn:
            conn.execute(
                "UPDATE briefings SET last_opened_at = ? WHERE id = ?", (now_iso(), briefing_id)
            )

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        """Where the reader was in a briefing (a character offset), kept for its next
        opening."""
        with self._write() as conn:
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
        with self._read() as conn:
            row = conn.execute("SELECT meta FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return _date_from_meta(_loads_meta(row[0]).get("date")) if row else None

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        """The stored briefing with its text, format, encoding and (from its meta) author,
        date, url, headings and paragraphs."""
        with self._read() as conn:
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
        with self._read() as conn:
            row = conn.execute("SELECT meta FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return _loads_meta(row[0]) if row else {}

    def claim_counts(self) -> dict[str, int]:
        """The number of claims in the latest readable cached analysis of every analysed
        briefing (briefings never analysed are absent). Counted by SQLite, without parsing
        the analyses."""
        with self._read() as conn:
            rows = conn.execute(
                """SELECT briefing_id, json_array_length(json, '$.claims') AS n
                   FROM analysis_cache
                   WHERE json_valid(json) AND json_extract(json, '$.schema') IN (?, ?)
                     AND json_type(json, '$.claims') = 'array'
                   ORDER BY created_at""",
                (CACHE_FORMAT, ANALYSIS_SCHEMA),
            ).fetchall()
        return {str(r["briefing_id"]): int(r["n"]) for r in rows}  # the latest wins

    _INFO_SELECT: Final = """
        SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars, b.added_at,
               b.last_opened_at,
               (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id) AS annotation_count
        FROM briefings b"""

    @staticmethod
    def _info(row: sqlite3.Row) -> BriefingInfo:
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
        with self._read() as conn:
            row = conn.execute(self._INFO_SELECT + " WHERE b.id = ?", (briefing_id,)).fetchone()
        return self._info(row) if row else None

    def list_briefings(self) -> list[BriefingInfo]:
        """Every stored briefing, the most recently opened first."""
        with self._read() as conn:
            rows = conn.execute(
                self._INFO_SELECT + " ORDER BY b.last_opened_at DESC, b.id"
            ).fetchall()
        return [self._info(r) for r in rows]

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        """Briefings read from ``origin`` (a path or URL), the most recently opened first:
        the earlier versions of a file whose text changed."""
        with self._read() as conn:
            rows = conn.execute(
                self._INFO_SELECT + " WHERE b.origin = ? ORDER BY b.last_opened_at DESC, b.id",
                (origin,),
            ).fetchall()
        return [self._info(r) for r in rows]

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        """Full-text search over titles and texts (every word must occur, as a prefix)."""
        words = [w for w in query.split() if w.strip('"')]
        if not words:
            return self.list_briefings()[:limit]
        match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
        with self._read() as conn:
            rows = conn.execute(
                f"""WITH hits AS (SELECT briefing_id, min(rank) AS rank FROM briefings_fts
                                  WHERE briefings_fts MATCH ? GROUP BY briefing_id)
                    {self._INFO_SELECT} JOIN hits h ON h.briefing_id = b.id
                    ORDER BY h.rank, b.last_opened_at DESC LIMIT ?""",
                (match, limit),
            ).fetchall()
        return [self._info(r) for r in rows]

    def remove_briefing(self, briefing_id: str) -> int:
        """Remove a briefing with its annotations, undo history and cached analyses.
        Returns the number of annotations removed. Not undoable: confirm first."""
        with self._write() as conn:
            n = conn.execute(
                "DELETE FROM annotations WHERE briefing_id = ?", (briefing_id,)
            ).rowcount
            conn.execute("DELETE FROM undo_log WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM analysis_cache WHERE briefing_id = ?", (briefing_id,))
            conn.execute("DELETE FROM briefings WHERE id = ?", (briefing_id,))
        return int(n)

    # -- annotations --------------------------------------------------------------------
    def _selector_from_db(
        self, conn: sqlite3.Connection, briefing_id: str, start: int, end: int
    ) -> Selector:
        """Cut the quote and its context out of the stored text without loading it all."""
        p0 = max(0, start - CONTEXT)
        row = conn.execute(
            """SELECT length(text), substr(text, ?, ?), substr(text, ?, ?), substr(text, ?, ?)
               FROM briefings WHERE id = ?""",
            (start + 1, end - start, p0 + 1, start - p0, end + 1, CONTEXT, briefing_id),
        ).fetchone()
        if row is None:
            raise StoreError(f"unknown briefing {briefing_id[:12]}; add it before annotating it")
        if not (0 <= start <= end <= row[0]):
            raise ValueError(f"span {start}-{end} is outside a text of {row[0]} characters")
        return Selector(
            start, end, row[1] if end > start else "", row[2] if start > p0 else "", row[3] or ""
        )

    def add_annotation(
        self,
        briefing_id: str,
        kind: str,
        *,
        target_type: str = "text",
        target_id: str | None = None,
        start: int | None = None,
        end: int | None = None,
        selector: Selector | None = None,
        meaning: str | None = None,
        note: str | None = None,
        tags: Sequence[str] = (),
        grade: str | None = None,
        status: str | None = None,
    ) -> Annotation:
        """Make an annotation and commit it before returning.

        A text annotation needs ``start``/``end`` (the quote and context are cut from the
        stored briefing) or a ready ``selector``; an actor/claim/source annotation needs
        ``target_id`` and may carry a span too. Raises ``ValueError`` for bad fields,
        :class:`StoreReadOnly` on a read-only store."""
        validate(
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            meaning=meaning,
            grade=grade,
            status=status,
        )
        if (start is None) != (end is None):
            raise ValueError("give both start and end, or neither")
        if target_type == "text" and selector is None and start is None:
            raise ValueError("a text annotation needs a span (start and end) or a selector")
        tag_tuple = normalise_tags(tags)
        now = now_iso()
        with self._write() as conn:
            if selector is None and start is not None and end is not None:
                selector = self._selector_from_db(conn, briefing_id, start, end)
            a = Annotation(
                id=str(uuid.uuid4()),
                briefing_id=briefing_id,
                kind=kind,
                target_type=target_type,
                target_id=target_id,
                start=selector.start if selector else None,
                end=selector.end if selector else None,
                exact=selector.exact if selector else None,
                prefix=selector.prefix if selector else None,
                suffix=selector.suffix if selector else None,
                meaning=meaning,
                note=note if note else None,
                tags=tag_tuple,
                grade=grade,
                status=status,
                orphan=False,
                created_at=now,
                updated_at=now,
            )
            if (
                conn.execute("SELECT 1 FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
                is None
            ):
                raise StoreError(
                    f"unknown briefing {briefing_id[:12]}; add it before annotating it"
                )
            conn.execute(
                f"INSERT INTO annotations ({_ANN_COLUMNS}) VALUES ({', '.join('?' * 18)})",
                _row_params(a),
            )
            self._log(conn, "add", a, None, f"add {_describe(a)}")
        return a

    def annotation(self, annotation_id: str) -> Annotation | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_ANN_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
        return _annotation_from_row(row) if row else None

    @staticmethod
    def _get(conn: sqlite3.Connection, annotation_id: str) -> Annotation:
        row = conn.execute(
            f"SELECT {_ANN_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no annotation {annotation_id}")
        return _annotation_from_row(row)

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (kind, target_type, target_id, start/end, meaning,
        note, tags, grade, status; ``None`` clears). Committed before returning; undoable.
        Raises ``KeyError`` for an unknown id, ``TypeError`` for an unknown field."""
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        if ("start" in changes) != ("end" in changes):
            raise ValueError("change start and end together")
        with self._write() as conn:
            old = self._get(conn, annotation_id)
            fields: dict[str, Any] = {k: v for k, v in changes.items() if k not in ("start", "end")}
            if "tags" in fields:
                fields["tags"] = normalise_tags(fields["tags"])
            if "note" in fields and not fields["note"]:
                fields["note"] = None
            if "start" in changes:
                if changes["start"] is None or changes["end"] is None:
                    fields.update(start=None, end=None, exact=None, prefix=None, suffix=None)
                else:
                    sel = self._selector_from_db(
                        conn, old.briefing_id, changes["start"], changes["end"]
                    )
                    fields.update(
                        start=sel.start,
                        end=sel.end,
                        exact=sel.exact,
                        prefix=sel.prefix,
                        suffix=sel.suffix,
                        orphan=False,
                    )
            new = replace(old, **fields)
            validate(
                kind=new.kind,
                target_type=new.target_type,
                target_id=new.target_id,
                meaning=new.meaning,
                grade=new.grade,
                status=new.status,
            )
            if new.target_type == "text" and not new.has_text_anchor:
                raise ValueError("a text annotation needs a span")
            if new == old:
                return old
            new = replace(new, updated_at=now_iso())
            self._put(conn, new)
            self._log(conn, "update", new, old, f"edit {_describe(old)}")
        return new

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Delete an annotation (undoable). Returns it as it was. ``KeyError`` if unknown."""
        with self._write() as conn:
            old = self._get(conn, annotation_id)
            conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            self._log(conn, "delete", old, old, f"delete {_describe(old)}")
        return old

    def annotations(self, briefing_id: str) -> list[Annotation]:
        """A briefing's annotations in text order; without a text anchor next; orphans last."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_ANN_COLUMNS} FROM annotations "
                f"WHERE briefing_id = ? ORDER BY {_ANN_ORDER}",
                (briefing_id,),
            ).fetchall()
        return [_annotation_from_row(r) for r in rows]

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        """Annotations made on one actor, claim or source, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                f"""SELECT {_ANN_COLUMNS} FROM annotations
                    WHERE briefing_id = ? AND target_type = ? AND target_id = ?
                    ORDER BY created_at, id""",
                (briefing_id, target_type, target_id),
            ).fetchall()
        return [_annotation_from_row(r) for r in rows]

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion: most used first, then alphabetically."""
        with self._read() as conn:
            rows = conn.execute(
                """SELECT j.value AS tag, count(*) AS n
                   FROM annotations, json_each(annotations.tags) j
                   GROUP BY j.value ORDER BY n DESC, lower(j.value), j.value"""
            ).fetchall()
        return [str(r["tag"]) for r in rows]

    # -- undo ---------------------------------------------------------------------------
    def _put(self, conn: sqlite3.Connection, a: Annotation) -> None:
        conn.execute(
            f"INSERT OR REPLACE INTO annotations ({_ANN_COLUMNS}) VALUES ({', '.join('?' * 18)})",
            _row_params(a),
        )

    def _log(
        self,
        conn: sqlite3.Connection,
        action: str,
        a: Annotation,
        before: Annotation | None,
        description: str,
    ) -> None:
        conn.execute(
            """INSERT INTO undo_log
               (briefing_id, action, annotation_id, before, description, created_at, session)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                a.briefing_id,
                action,
                a.id,
                json.dumps(_annotation_to_json(before), ensure_ascii=False) if before else None,
                description,
                now_iso(),
                self.session,
            ),
        )
        conn.execute(
            "DELETE FROM undo_log WHERE seq <= (SELECT max(seq) FROM undo_log) - ?", (UNDO_DEPTH,)
        )

    def _undo_row(self, conn: sqlite3.Connection, briefing_id: str | None) -> sqlite3.Row | None:
        """The action :meth:`undo` reverses: this session's latest (of ``briefing_id`` if
        given), else the latest one a closed session handed over."""
        where = " AND briefing_id = ?" if briefing_id is not None else ""
        extra: tuple[str, ...] = (briefing_id,) if briefing_id is not None else ()
        for owner, params in (("session = ?", (self.session,)), ("session IS NULL", ())):
            row: sqlite3.Row | None = conn.execute(
                f"SELECT * FROM undo_log WHERE {owner}{where} ORDER BY seq DESC LIMIT 1",
                (*params, *extra),
            ).fetchone()
            if row is not None:
                return row
        return None

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Reverse this reader's latest annotation action (of ``briefing_id`` if given): an
        add is deleted, an edit restored, a delete brought back. Returns what was undone,
        e.g. ``"undid: delete highlight “Kim said”"``, or ``None`` when there is nothing to
        undo. Another reader's actions are never undone (see the module docstring)."""
        with self._write() as conn:
            row = self._undo_row(conn, briefing_id)
            if row is None:
                return None
            if row["action"] == "add":
                conn.execute("DELETE FROM annotations WHERE id = ?", (row["annotation_id"],))
            else:
                self._put(conn, _annotation_from_json(json.loads(row["before"])))
            conn.execute("DELETE FROM undo_log WHERE seq = ?", (row["seq"],))
            return f"undid: {row['description']}"

    def can_undo(self, briefing_id: str | None = None) -> bool:
        with self._read() as conn:
            return self._undo_row(conn, briefing_id) is not None

    # -- moving to a new version of a briefing ------------------------------------------
    def relocate_annotations(
        self,
        old_id: str,
        new_briefing: Briefing,
        place: Callable[[Selector], Selector | None],
        *,
        keep_old: bool = False,
    ) -> ReanchorReport:
        """Move the annotations of ``old_id`` to ``new_briefing`` in one transaction, with
        ``place`` giving each text anchor's new selector (``None``: orphan, old anchor kept).
        Undo history moves along, re-anchored the same way. Use
        :func:`brief_tui.library.reanchor.reanchor_all` rather than calling this directly."""
        self.add_briefing(new_briefing)
        now = now_iso()
        anchored = orphaned = 0

        def move(a: Annotation) -> Annotation:
            sel = selector_of(a)
            if sel is None:
                return replace(a, briefing_id=new_briefing.id)
            found = place(sel)
            if found is None:
                return replace(a, briefing_id=new_briefing.id, orphan=True)
            return replace(
                a,
                briefing_id=new_briefing.id,
                start=found.start,
                end=found.end,
                exact=found.exact,
                prefix=found.prefix,
                suffix=found.suffix,
                orphan=False,
            )

        with self._write() as conn:
            rows = conn.execute(
                f"SELECT {_ANN_COLUMNS} FROM annotations WHERE briefing_id = ?", (old_id,)
            ).fetchall()
            for row in rows:
                old = _annotation_from_row(row)
                new = move(old)
                if new.has_text_anchor:
                    if new.orphan:
                        orphaned += 1
                    else:
                        anchored += 1
                if new != old:
                    new = replace(new, updated_at=now)
                self._put(conn, new)
            for log in conn.execute(
                "SELECT seq, before FROM undo_log WHERE briefing_id = ?", (old_id,)
            ).fetchall():
                before = log["before"]
                if before is not None:
                    before = json.dumps(
                        _annotation_to_json(move(_annotation_from_json(json.loads(before)))),
                        ensure_ascii=False,
                    )
                conn.execute(
                    "UPDATE undo_log SET briefing_id = ?, before = ? WHERE seq = ?",
                    (new_briefing.id, before, log["seq"]),
                )
            if not keep_old:
                conn.execute("DELETE FROM analysis_cache WHERE briefing_id = ?", (old_id,))
                conn.execute("DELETE FROM briefings WHERE id = ?", (old_id,))
        return ReanchorReport(len(rows), anchored, orphaned)

    # -- analysis cache -----------------------------------------------------------------
    # A row's ``json`` is the compact private form of Analysis.to_cache (CACHE_FORMAT), the
    # briefing text left out when the briefings table holds it under the same id (the id is
    # the text's SHA-256, and a stored briefing's text never changes). Rows written before
    # that form hold Analysis.to_json() (the public schema) and are still read; a row in any
    # other form, or damaged, is a miss.
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        """The cached analysis for these exact keys, or ``None`` (also if unreadable, or
        damaged)."""
        try:
            with self._read() as conn:
                row = conn.execute(
                    """SELECT c.json, b.text FROM analysis_cache c
                       LEFT JOIN briefings b ON b.id = c.briefing_id
                       WHERE c.briefing_id = ? AND c.model_name = ? AND c.model_version = ?
                         AND c.analyser_version = ?""",
                    (briefing_id, model_name, model_version, analyser_version),
                ).fetchone()
        except StoreDamaged:
            return None  # a cache: analysing again beats failing
        return None if row is None else _decode_cached(row[0], row[1])

    def put_cached_analysis(self, analysis: Analysis) -> None:
        """Cache an analysis under its briefing id, model name/version and analyser version."""
        self.db.refuse_writes()
        with self._read() as conn:
            row = conn.execute(
                "SELECT text = ? FROM briefings WHERE id = ?",
                (analysis.text, analysis.briefing_id),
            ).fetchone()
        stored = bool(row and row[0])
        with _collector_paused():
            # ASCII (other characters escaped): a str of one byte a character to read back,
            # whatever the briefing's typography
            data = json.dumps(analysis.to_cache(with_text=not stored), separators=(",", ":"))
        with self._write() as conn:
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
            with self._read() as conn:
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
            analysis = _decode_cached(row[0], text)
            if analysis is not None:
                return analysis
        return None
