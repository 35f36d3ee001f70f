"""The local store: one SQLite file holding briefings, annotations, an undo log and the
analysis cache.

Durability: WAL journal, ``synchronous=FULL`` (each commit is fsynced: ~0.35 ms here, so a
confirmed note survives a power cut as well as a killed process), every user action one
``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, made the moment it is asked for. A
``busy_timeout`` lets several processes write the same file; ``BEGIN IMMEDIATE`` takes the
write lock up front so a transaction never fails half-way on a lock.

Failures never lose annotations and never stop a briefing from opening:

- a damaged database (not SQLite, or ``PRAGMA quick_check`` not ok), opened with
  ``repair=True`` (the reader does), is salvaged: every readable row of every table is
  copied into a fresh file with the current schema, the original is renamed to
  ``<name>.corrupt-<timestamp>`` (kept, with its -wal/-shm files) and ``store.warning``
  says what was recovered and where the original is. Without ``repair`` (the read-only
  commands) nothing is moved or written: the damaged file is opened read-only and the
  warning says how to repair it. What is checked when: see :meth:`Store.open`; damage met
  later, while reading or writing, raises :class:`StoreDamaged` and has the next
  :meth:`Store.open` check the whole file again;
- a data directory or database that cannot be written (permissions, read-only file system),
  or a database written by a newer brief-tui, gives a **read-only store**:
  ``store.read_only`` is True, ``store.warning`` holds the one-line reason, reads work on
  what is there (or on an empty store if nothing can be read), and every write raises
  :class:`StoreReadOnly` carrying the same message. ``Store.open`` itself does not raise for
  these conditions;
- a write that fails names its cause (:func:`store_error`): a full disk
  (:class:`StoreFull`), a lock another process holds (:class:`StoreBusy`), a store gone
  read-only (:class:`StoreReadOnly`), damage (:class:`StoreDamaged`), an I/O error.

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
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final, Self

from brief_tui.analysis.model import CACHE_FORMAT, Analysis
from brief_tui.analysis.model import SCHEMA as ANALYSIS_SCHEMA
from brief_tui.briefing.load import Briefing, Heading, paragraph_spans
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.anchoring import CONTEXT, ReanchorReport, Selector, selector_of
from brief_tui.library.annotations import (
    GRADES,
    KINDS,
    MEANINGS,
    STATUSES,
    TARGET_TYPES,
    Annotation,
    normalise_tags,
    validate,
)
from brief_tui.library.paths import data_dir as resolve_data_dir
from brief_tui.library.paths import db_path

#: seconds a writer waits for another process's transaction before giving up
BUSY_TIMEOUT_S: Final = 10.0
#: undo actions kept in the log
UNDO_DEPTH: Final = 500
#: seconds after which :meth:`Store.open` checks the whole database file again
FULL_CHECK_EVERY_S: Final = 24 * 3600.0
#: the tables :meth:`Store.open` checks every time: the reader's own work and the library
#: (``sqlite_schema``'s check covers the free-page list too). The analysis cache and the
#: full-text index, which can be made again, are left to the full check.
PRECIOUS_TABLES: Final = (
    "sqlite_schema",
    "briefings",
    "annotations",
    "undo_log",
    "sqlite_sequence",
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "BriefingInfo",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "store_error",
]


class StoreError(Exception):
    """A store operation failed. The message is one line, fit to show a user."""


class StoreReadOnly(StoreError):
    """A write was asked of a read-only store (see ``Store.warning`` for why)."""


class StoreBusy(StoreError):
    """Another process held the database for longer than the busy timeout."""


class StoreDamaged(StoreError):
    """SQLite found the database damaged while reading or writing it. The next
    :meth:`Store.open` checks the whole file (and salvages it if it is damaged)."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: the write was not made."""


def _q(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# Each migration takes the schema from version i to i+1 (index i). Statements run one by one
# inside a single transaction together with the new user_version: all or nothing.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: briefings, annotations, analysis cache
    (
        """CREATE TABLE briefings (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            origin TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL,
            last_opened_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX briefings_origin ON briefings(origin)",
        f"""CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            briefing_id TEXT NOT NULL REFERENCES briefings(id),
            kind TEXT NOT NULL CHECK (kind IN ({_q(KINDS)})),
            target_type TEXT NOT NULL DEFAULT 'text' CHECK (target_type IN ({_q(TARGET_TYPES)})),
            target_id TEXT,
            start INTEGER,
            "end" INTEGER,
            exact TEXT,
            prefix TEXT,
            suffix TEXT,
            meaning TEXT CHECK (meaning IS NULL OR meaning IN ({_q(MEANINGS)})),
            note TEXT,
            tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
            grade TEXT CHECK (grade IS NULL OR grade IN ({_q(GRADES)})),
            status TEXT CHECK (status IS NULL OR status IN ({_q(STATUSES)})),
            orphan INTEGER NOT NULL DEFAULT 0 CHECK (orphan IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND start <= "end"))
        ) STRICT""",
        "CREATE INDEX annotations_briefing ON annotations(briefing_id, orphan, start)",
        """CREATE TABLE analysis_cache (
            briefing_id TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_version TEXT NOT NULL,
            analyser_version TEXT NOT NULL,
            json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (briefing_id, model_name, model_version, analyser_version)
        ) STRICT""",
    ),
    # 2: undo log, full-text search over briefings, encoding and free metadata per briefing
    (
        "ALTER TABLE briefings ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8'",
        "ALTER TABLE briefings ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'",
        """CREATE TABLE undo_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            briefing_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'update', 'delete')),
            annotation_id TEXT NOT NULL,
            before TEXT,
            description TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX undo_log_briefing ON undo_log(briefing_id, seq)",
        """CREATE VIRTUAL TABLE briefings_fts USING fts5(
            briefing_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        "INSERT INTO briefings_fts (briefing_id, title, text) "
        "SELECT id, title, text FROM briefings",
        """CREATE TRIGGER briefings_fts_insert AFTER INSERT ON briefings BEGIN
            INSERT INTO briefings_fts (briefing_id, title, text) VALUES (new.id, new.title, new.text);
        END""",  # noqa: E501  migration SQL is stored verbatim in sqlite_schema: kept as shipped
        """CREATE TRIGGER briefings_fts_delete AFTER DELETE ON briefings BEGIN
            DELETE FROM briefings_fts WHERE briefing_id = old.id;
        END""",
        """CREATE TRIGGER briefings_fts_update AFTER UPDATE OF title, text ON briefings
        WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
            DELETE FROM briefings_fts WHERE briefing_id = old.id;
            INSERT INTO briefings_fts (briefing_id, title, text) VALUES (new.id, new.title, new.text);
        END""",  # noqa: E501  migration SQL is stored verbatim in sqlite_schema: kept as shipped
    ),
    # 3: the undo log remembers which reader (Store session) made each action
    (
        "ALTER TABLE undo_log ADD COLUMN session TEXT",
        "CREATE INDEX undo_log_session ON undo_log(session, seq)",
    ),
)
SCHEMA_VERSION: Final = len(MIGRATIONS)

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


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


def _short(text: str | None, n: int = 40) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _describe(a: Annotation) -> str:
    what = a.kind
    if a.target_type != "text":
        what += f" on {a.target_type} {a.target_id}"
    if a.exact:
        what += f" “{_short(a.exact)}”"
    return what


def _cause(e: sqlite3.Error) -> str:
    """What went wrong, from SQLite's (extended) result code, else its message: ``full``,
    ``busy``, ``read-only``, ``damaged``, ``cannot open``, ``i/o`` or ``other``."""
    name = str(getattr(e, "sqlite_errorname", "") or "")
    msg = str(e).lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        m in msg for m in ("file is not a database", "malformed", "database corrupt")
    ):
        return "damaged"
    if name.startswith("SQLITE_FULL") or "database or disk is full" in msg:
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or any(
        m in msg for m in ("database is locked", "database table is locked", "database is busy")
    ):
        return "busy"
    if name.startswith("SQLITE_READONLY") or "readonly" in msg or "read-only" in msg:
        return "read-only"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in msg:
        return "cannot open"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in msg:
        return "i/o"
    return "other"


def _is_corruption(e: sqlite3.Error) -> bool:
    return _cause(e) == "damaged"


def _is_unwritable(e: sqlite3.Error) -> bool:
    return _cause(e) in ("read-only", "cannot open", "i/o")


def _unwritable_because(path: Path) -> str | None:
    """Why the database files at ``path`` cannot be written now (an immutable file, a file
    system remounted read-only, permissions), or ``None`` if they can be opened for writing.
    SQLite reports these as a bare "disk I/O error"."""
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            fd = os.open(file, os.O_WRONLY)
        except FileNotFoundError:
            continue
        except OSError as err:
            return err.strerror or str(err)
        os.close(fd)
    return None


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def store_error(e: sqlite3.Error, path: Path | None) -> StoreError:
    """The :class:`StoreError` naming the real cause of ``e`` (met on the database at
    ``path``), with a one-line message fit to show a user."""
    where = str(path) if path is not None else "the database"
    cause = _cause(e)
    if cause in ("i/o", "cannot open", "read-only") and path is not None:
        if _disk_full(path):
            cause = "full"
        elif (why := _unwritable_because(path)) is not None:
            return StoreReadOnly(f"{where} has become read-only ({why})")
    if cause == "full":
        return StoreFull(
            f"the disk holding {where} is full (or the database reached its size limit)"
        )
    if cause == "busy":
        return StoreBusy(
            f"another brief-tui (or another program) is holding {where} "
            f"for more than {BUSY_TIMEOUT_S:g} s; try again when it is done"
        )
    if cause == "read-only":
        return StoreReadOnly(f"{where} has become read-only ({e})")
    if cause == "damaged":
        _forget_full_check(path)
        return StoreDamaged(
            f"the database is damaged ({e}); brief-tui salvages it when the reader next starts"
        )
    if cause == "cannot open":
        return StoreError(f"cannot open {where} any more ({e})")
    if cause == "i/o":
        return StoreError(f"disk I/O error on {where} ({e})")
    return StoreError(f"database error: {e}")


# -- when the whole file was last checked -----------------------------------------------------
def _check_record(path: Path) -> Path:
    """The small side file remembering the last full check of the database at ``path``."""
    return path.with_name(path.name + ".checked")


def _full_check_due(path: Path) -> bool:
    """Whether :meth:`Store.open` must run the full ``PRAGMA quick_check``: no (readable)
    record of one, or it is older than :data:`FULL_CHECK_EVERY_S`, or it was of another
    file (replaced since: another inode) or of a bigger one (SQLite never shrinks the file
    without a VACUUM, which the store never runs: a shorter file was cut)."""
    try:
        record = json.loads(_check_record(path).read_text(encoding="utf-8"))
        st = path.stat()
        age = time.time() - float(record["checked_at"])
        return not (
            -60.0 <= age < FULL_CHECK_EVERY_S
            and record["dev"] == st.st_dev
            and record["ino"] == st.st_ino
            and st.st_size >= record["size"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return True


def _record_full_check(path: Path, checked_at: float) -> None:
    """Remember a full check that found the file sound (best effort: without the record
    the next open checks the whole file again)."""
    with suppress(OSError):
        st = path.stat()
        record = {"checked_at": checked_at, "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size}
        _check_record(path).write_text(json.dumps(record), encoding="utf-8")


def _forget_full_check(path: Path | None) -> None:
    """Have the next :meth:`Store.open` check the whole file."""
    if path is not None:
        with suppress(OSError):
            _check_record(path).unlink(missing_ok=True)


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


# -- salvaging a damaged database ---------------------------------------------------------------
#: the tables salvaged, in the order they are copied (the full-text index is made again from
#: the briefings by its triggers)
SALVAGED_TABLES: Final = ("briefings", "annotations", "undo_log", "analysis_cache")
#: the title of a briefing made up for notes whose briefing's row could not be read
LOST_BRIEFING_TITLE: Final = "Recovered notes (the briefing's text was in a damaged page)"
#: rowids probed one by one after stepping over a damaged stretch of a table
_PROBE_LIMIT: Final = 1 << 16


@dataclass(slots=True)
class SalvageCounts:
    """What a salvage recovered: rows copied per table, and per table the rows the damaged
    file's indexes still count (``None`` when that count could not be read either)."""

    copied: dict[str, int]
    expected: dict[str, int | None]
    lost_briefings: int = 0

    def summary(self) -> str:
        def part(table: str, noun: str) -> str:
            n, total = self.copied.get(table, 0), self.expected.get(table)
            of = f" of {total}" if total is not None and total != n else ""
            return f"{n}{of} {noun}{'' if n == 1 and not of else 's'}"

        parts = [part("annotations", "annotation"), part("briefings", "briefing")]
        for table, noun in (("undo_log", "undo step"), ("analysis_cache", "cached analysis")):
            if self.copied.get(table) or self.expected.get(table):
                parts.append(part(table, noun).replace("analysiss", "analyses"))
        text = "salvaged " + ", ".join(parts)
        if self.lost_briefings:
            text += (
                f" ({self.lost_briefings} briefing text{'s' if self.lost_briefings > 1 else ''} "
                "unreadable: its notes are kept, listed under "
                f"“{LOST_BRIEFING_TITLE}” until the document is opened again)"
            )
        return text


def _readable_rows(
    src: sqlite3.Connection, table: str, columns: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that SQLite can still read, in rowid order (the rowid first):
    a scan that meets damage steps over it (further and further until a read succeeds),
    then tries the rowids it stepped over one by one."""
    cols = ", ".join(f'"{c}"' for c in columns)
    scan = f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid"
    one = f"SELECT rowid, {cols} FROM {table} WHERE rowid = ?"
    pos = -(1 << 63)
    while True:
        try:
            for row in src.execute(scan, (pos,)):
                pos = row[0]
                yield tuple(row)
            return
        except sqlite3.DatabaseError:
            pass
        if pos == (1 << 63) - 1:
            return
        base = max(pos, 0)
        step = 1
        nxt: Any = None
        while step <= 1 << 40:
            try:
                nxt = src.execute(
                    f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1",
                    (base + step,),
                ).fetchone()
                break
            except sqlite3.DatabaseError:
                step *= 2
        else:
            return  # nothing past the damage can be reached
        if step <= _PROBE_LIMIT:
            for rowid in range(base + 1, base + step + 1):
                try:
                    row = src.execute(one, (rowid,)).fetchone()
                except sqlite3.DatabaseError:
                    continue
                if row is not None:
                    yield tuple(row)
        if nxt is None:
            return
        pos = base + step


def _salvage_into(src_path: Path, dst_path: Path) -> SalvageCounts:
    """Copy what can be read of the database at ``src_path`` (opened read-only: it is not
    changed) into a new database at ``dst_path`` with the current schema, row by row."""
    dst_path.unlink(missing_ok=True)
    for extra in ("-journal", "-wal", "-shm"):
        dst_path.with_name(dst_path.name + extra).unlink(missing_ok=True)
    dst = sqlite3.connect(dst_path, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys = OFF")  # notes are kept even if their briefing is not
        Store._migrate(dst)
        counts = SalvageCounts({}, {})
        try:
            src = sqlite3.connect(
                f"{src_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
        except sqlite3.Error:
            src = None
        if src is not None:
            try:
                _copy_readable(src, dst, counts)
            finally:
                src.close()
        dst.execute("PRAGMA integrity_check").fetchone()
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    fd = os.open(dst_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return counts


def _copy_readable(src: sqlite3.Connection, dst: sqlite3.Connection, counts: SalvageCounts) -> None:
    dst.execute("BEGIN IMMEDIATE")
    for table in SALVAGED_TABLES:
        counts.copied[table] = 0
        try:  # (the schema itself may be unreadable: then nothing can be found)
            src_cols = [str(r[1]) for r in src.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError:
            src_cols = []
        try:  # what the damaged file's smallest index still counts
            counts.expected[table] = int(src.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.DatabaseError:
            counts.expected[table] = None
        dst_cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
        columns = [c for c in dst_cols if c in src_cols]
        if not columns:
            continue
        names = ", ".join(f'"{c}"' for c in columns)
        insert = (
            f"INSERT OR IGNORE INTO {table} (rowid, {names}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))})"
        )
        for row in _readable_rows(src, table, columns):
            try:
                dst.execute("SAVEPOINT row")
                cur = dst.execute(insert, row)
                dst.execute("RELEASE row")
            except sqlite3.Error:  # a row the damage made invalid (types, CHECKs)
                dst.execute("ROLLBACK TO row")
                dst.execute("RELEASE row")
                continue
            counts.copied[table] += cur.rowcount
    # notes whose briefing could not be read: a stand-in briefing keeps them listed (as
    # orphans, their quotes kept) until the document is opened again
    lost = [
        r[0]
        for r in dst.execute(
            "SELECT DISTINCT briefing_id FROM annotations "
            "WHERE briefing_id NOT IN (SELECT id FROM briefings)"
        )
    ]
    now = _now()
    for briefing_id in lost:
        dst.execute(
            """INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,
                                      meta)
               VALUES (?, ?, '', 'text', '', ?, ?, '{"lost_text": true}')""",
            (briefing_id, LOST_BRIEFING_TITLE, now, now),
        )
        dst.execute("UPDATE annotations SET orphan = 1 WHERE briefing_id = ?", (briefing_id,))
    counts.lost_briefings = len(lost)
    dst.execute("COMMIT")


class _Corrupt(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _Unwritable(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _TooNew(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class _Full(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Store:
    """One SQLite database of briefings and annotations. Open it with :meth:`Store.open`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None,
        *,
        read_only: bool = False,
        warning: str | None = None,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        #: this reader's id in the undo log: its undo never reverses another's actions
        self.session = uuid.uuid4().hex
        #: the database file (``None`` for the empty in-memory fallback)
        self.path = path
        #: True when writes are refused; ``warning`` says why
        self.read_only = read_only
        #: one line for the user about anything that went wrong while opening, else None
        self.warning = warning

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        *,
        check: bool = True,
        repair: bool = False,
        full_check: bool = False,
    ) -> Store:
        """Open (creating if needed) the store in ``data_dir`` (resolved by
        :func:`brief_tui.library.paths.data_dir`). ``check`` checks the database for damage.
        A damaged one is salvaged into a new file when ``repair`` is True (the reader and
        ``brief-tui library repair``); otherwise (the read-only commands) it is left where
        it is, opened read-only, and the warning says how to repair it. ``full_check``
        checks the whole file whenever it was last checked.

        Never raises for a damaged or unwritable database: see the module docstring.

        What ``check`` checks. A full ``PRAGMA quick_check`` reads every page of the file,
        and the file grows with the library: the analysis cache alone is megabytes per long
        briefing. It was most of the time an open took. So:

        - every open runs ``PRAGMA quick_check(<table>)`` on the tables holding the reader's
          own work and the library (:data:`PRECIOUS_TABLES`): the structure of their
          b-trees and indexes (not the rows' CHECK constraints), and (with ``sqlite_schema``)
          the schema and the list of free pages, from which new rows take their pages. A
          file that is not SQLite at all fails here too. It reads only those pages (mostly
          the briefings' texts): a fraction of a millisecond for a 100k-word briefing, and
          about half a millisecond a thousand annotations;
        - the full check runs instead when the side file ``<database>.checked`` does not
          vouch for a full check of this very file (same inode, not shorter) less than
          :data:`FULL_CHECK_EVERY_S` ago: on the first open, once a day, after the file was
          replaced or cut short, and after SQLite reported damage during a session
          (:class:`StoreDamaged` deletes the record).

        Why not "check fully only when the file changed since the last check" (size or
        mtime): every session writes (opening a briefing records when it was opened), so the
        file has always changed; and an mtime cannot tell a write just after ours from ours.
        What the every-open check leaves to the full one is damage confined to the pages of
        the analysis cache or the full-text index (or to pages no table uses), which can be
        made again: reading a damaged cached analysis is a miss, and any error SQLite meets
        there is a :class:`StoreDamaged`, after which the next open checks everything (and
        sets a damaged file aside)."""
        directory = resolve_data_dir(data_dir)
        path = db_path(directory)
        if full_check:
            _forget_full_check(path)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            reason = e.strerror or str(e)
            if path.exists():
                return cls._open_read_only(
                    path, f"cannot write the data directory {directory} ({reason})"
                )
            return cls._empty_read_only(
                f"cannot create the data directory {directory} ({reason}); "
                "annotations will not be saved"
            )
        if not os.access(directory, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            what = (
                "database" if path.exists() and os.access(directory, os.W_OK) else "data directory"
            )
            where = path if what == "database" else directory
            reason = f"the {what} {where} is read-only"
            if path.exists():
                return cls._open_read_only(path, reason)
            return cls._empty_read_only(f"{reason}; annotations will not be saved")
        try:
            try:
                conn = cls._connect_rw(path, check=check)
            except sqlite3.OperationalError as e:
                if _cause(e) != "busy":
                    raise
                # another process held the file beyond the busy timeout: try once more
                conn = cls._connect_rw(path, check=check)
        except _Corrupt as c:
            if not repair:
                return cls._open_damaged(path, c.detail)
            return cls._salvage(path, c.detail)
        except _Full as f:
            return cls._open_read_only(
                path, f"the disk holding {directory} is full ({f.detail})", fresh_ok=True
            )
        except _Unwritable as u:
            return cls._open_read_only(path, f"the database {path} cannot be written ({u.detail})")
        except _TooNew as t:
            return cls._open_read_only(
                path,
                f"the database was written by a newer brief-tui (schema {t.version}, "
                f"this one knows {SCHEMA_VERSION})",
            )
        except sqlite3.Error as e:
            if _cause(e) == "busy":
                return cls._open_read_only(
                    path,
                    f"another brief-tui (or another program) is holding {path}",
                    fresh_ok=True,
                )
            return cls._open_read_only(path, f"the database {path} could not be opened ({e})")
        return cls(conn, path)

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")

    @classmethod
    def _connect_rw(cls, path: Path, *, check: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            cls._configure(conn)
            try:
                checked_at = cls._check(conn, path) if check else None
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise _Unwritable(f"cannot switch to WAL journal (got {mode})")
                conn.execute("PRAGMA synchronous = FULL")
                cls._migrate(conn)
                if checked_at is not None:
                    _record_full_check(path, checked_at)
            except sqlite3.DatabaseError as e:
                if _is_corruption(e):
                    raise _Corrupt(str(e)) from None
                if _cause(e) == "full":
                    raise _Full(str(e)) from None
                if _is_unwritable(e):
                    raise _Unwritable(str(e)) from None
                raise
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _check(conn: sqlite3.Connection, path: Path) -> float | None:
        """Check the database for damage (see :meth:`open`); raise :class:`_Corrupt` if it
        is. Returns the time of a full check, ``None`` after the every-open one."""
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        started = time.time()
        if _full_check_due(path):
            rows = conn.execute("PRAGMA quick_check").fetchall()
            full: float | None = started
        else:
            # The structure only: quick_check also evaluates every row's CHECK constraints,
            # which made it ten times slower on the annotations (6 ms a thousand); they are
            # the store's own rules, enforced on every write, not signs of damage.
            rows = []
            conn.execute("PRAGMA ignore_check_constraints = ON")
            try:
                for table in PRECIOUS_TABLES:
                    if table == "sqlite_schema" or table in tables:
                        rows += conn.execute(f"PRAGMA quick_check({table})").fetchall()
            finally:
                conn.execute("PRAGMA ignore_check_constraints = OFF")
            full = None
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        if problems or not rows:
            raise _Corrupt(_short(problems[0], 80) if problems else "quick_check failed")
        return full

    @staticmethod
    def _migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _TooNew(version)
        if version >= upto:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the lock
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for i in range(version, upto):
                for statement in MIGRATIONS[i]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {i + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _move_aside(path: Path) -> Path | None:
        _forget_full_check(path)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        try:
            os.replace(path, target)
        except OSError:
            return None
        for extra in ("-wal", "-shm"):
            side = path.with_name(path.name + extra)
            if side.exists():
                with suppress(OSError):
                    os.replace(side, target.with_name(target.name + extra))
        return target

    @classmethod
    def _open_damaged(cls, path: Path, detail: str) -> Store:
        """A damaged database opened read-only where it is (nothing moved or written): what
        can be read is shown, and the warning says how to salvage it."""
        _forget_full_check(path)
        message = (
            f"the database {path} is damaged ({_short(detail, 80)}); nothing was changed. "
            "Open the reader (brief-tui) or run `brief-tui library repair` to salvage it"
        )
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            cls._configure(conn)
        except sqlite3.Error:
            return cls._empty_read_only(message)
        return cls(conn, path, read_only=True, warning=message)

    @classmethod
    def _salvage(cls, path: Path, detail: str) -> Store:
        """Copy every readable row of the damaged database at ``path`` into a new file with
        the current schema, keep the original beside it, and open the new one."""
        tmp = path.with_name(path.name + ".salvage")
        sides = [path.with_name(path.name + extra) for extra in ("-wal", "-shm")]
        made = [side for side in sides if not side.exists()]
        try:
            counts = _salvage_into(path, tmp)
        except (OSError, sqlite3.Error) as e:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            damaged = cls._open_damaged(path, detail)
            damaged.warning = (
                f"the database {path} is damaged ({_short(detail, 80)}) and could not be "
                f"salvaged ({e}); nothing was changed, annotations will not be saved"
            )
            return damaged
        for side in made:  # (empty ones the read-only reading made)
            with suppress(OSError):
                if side.name.endswith("-shm") or side.stat().st_size == 0:
                    side.unlink()
        moved = cls._move_aside(path)
        if moved is None:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            damaged = cls._open_damaged(path, detail)
            damaged.warning = (
                f"the database {path} is damaged ({_short(detail, 80)}) and cannot be moved "
                "aside; annotations will not be saved"
            )
            return damaged
        os.replace(tmp, path)
        warning = (
            f"the database was damaged ({_short(detail, 80)}); {counts.summary()} into a new "
            f"one; the original is kept as {moved}"
        )
        try:
            conn = cls._connect_rw(path, check=False)
        except (_Corrupt, _Unwritable, _TooNew, _Full, sqlite3.Error) as e:
            return cls._empty_read_only(
                f"{warning}, but opening it failed ({e}); annotations will not be saved"
            )
        return cls(conn, path, warning=warning)

    @classmethod
    def _open_read_only(cls, path: Path, reason: str, *, fresh_ok: bool = False) -> Store:
        """The database opened read-only for ``reason``. ``fresh_ok``: a database not made
        yet (or not upgraded) is not a problem of its own, ``reason`` says all."""
        message = f"{reason}; opened read-only, annotations will not be saved"
        uri = path.resolve().as_uri()
        for params in ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(
                    f"{uri}?{params}", uri=True, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error:
                continue
            try:
                cls._configure(conn)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    conn.close()
                    if fresh_ok or version == 0:
                        return cls._empty_read_only(f"{reason}; annotations will not be saved")
                    return cls._empty_read_only(
                        f"{reason}, and its schema (version {version}) needs an upgrade that "
                        "could not be written; annotations will not be saved"
                    )
                conn.execute("SELECT count(*) FROM annotations").fetchone()
            except sqlite3.Error:
                conn.close()
                continue
            return cls(conn, path, read_only=True, warning=message)
        if fresh_ok:
            return cls._empty_read_only(f"{reason}; annotations will not be saved")
        return cls._empty_read_only(
            f"{reason}, and it cannot be read either; annotations will not be saved"
        )

    @classmethod
    def _empty_read_only(cls, message: str) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        cls._configure(conn)
        cls._migrate(conn)
        return cls(conn, None, read_only=True, warning=message)

    def close(self) -> None:
        """Close the database, handing this reader's undo history over (see the module
        docstring) so that the next reader can undo it."""
        with self._lock:
            if not self.read_only:
                with suppress(sqlite3.Error):
                    self._conn.execute(
                        "UPDATE undo_log SET session = NULL WHERE session = ?", (self.session,)
                    )
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # -- transactions -------------------------------------------------------------------
    def _error(self, e: sqlite3.Error) -> StoreError:
        """The StoreError to raise for ``e``; damage also has the next open check it all."""
        return store_error(e, self.path)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as e:
                raise self._error(e) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreReadOnly(self.warning or "the store is read-only")
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._error(e) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):  # (SQLite may have rolled back already)
                        conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.IntegrityError):
                    raise StoreError(f"refused by the database: {e}") from None
                if isinstance(e, sqlite3.Error):
                    raise self._error(e) from None
                raise

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
        now = _now()
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
                "UPDATE briefings SET last_opened_at = ? WHERE id = ?", (_now(), briefing_id)
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

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        """Every stored briefing in :meth:`list_briefings`' order, with its meta and the
        number of claims in its latest readable cached analysis (None when never analysed:
        as :meth:`claim_counts`), read row by row through one cursor so that memory stays
        flat however large the library. Holds the store's lock until it is exhausted or
        closed: for a command line or a worker, never the UI thread."""
        with self._read() as conn:
            cursor = conn.execute(
                """SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars,
                          b.added_at, b.last_opened_at, b.meta,
                          (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id)
                              AS annotation_count,
                          (SELECT json_array_length(c.json, '$.claims') FROM analysis_cache c
                           WHERE c.briefing_id = b.id AND json_valid(c.json)
                             AND json_extract(c.json, '$.schema') IN (?, ?)
                             AND json_type(c.json, '$.claims') = 'array'
                           ORDER BY c.created_at DESC LIMIT 1) AS claims
                   FROM briefings b ORDER BY b.last_opened_at DESC, b.id""",
                (CACHE_FORMAT, ANALYSIS_SCHEMA),
            )
            try:
                for row in cursor:
                    claims = row["claims"]
                    yield (
                        self._info(row),
                        _loads_meta(row["meta"]),
                        None if claims is None else int(claims),
                    )
            finally:
                cursor.close()

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
        now = _now()
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
            new = replace(new, updated_at=_now())
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
                _now(),
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
        :func:`brief_tui.library.anchoring.reanchor_all` rather than calling this directly."""
        self.add_briefing(new_briefing)
        now = _now()
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
        if self.read_only:
            raise StoreReadOnly(self.warning or "the store is read-only")
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
                    _now(),
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
