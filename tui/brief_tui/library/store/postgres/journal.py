"""The team library's journal: a small SQLite file in the local data dir that keeps, while
the server cannot be reached, the writes waiting for it (``pending``, each with the id the
server records when it applies it), the writes it refused (``refused``), and what was last
read from it (``seen`` notes, ``briefings`` opened)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from brief_tui.briefing.load import Briefing
from brief_tui.library.annotations import Annotation, annotation_from_json, annotation_to_json
from brief_tui.library.store.briefings import _meta_of
from brief_tui.library.store.errors import BUSY_TIMEOUT_S, switch_to_wal
from brief_tui.library.store.timestamps import now_iso

#: the journal's file in the local data dir
JOURNAL_NAME: Final = "team-journal.sqlite3"
#: seconds between two writes of the notes last read (those read meanwhile wait, and only
#: the latest of each briefing is written; a read offline writes what waits at once)
REMEMBER_EVERY_S: Final = 2.0

_JOURNAL_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS pending (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        library TEXT NOT NULL, analyst TEXT NOT NULL, session TEXT NOT NULL,
        write_id TEXT NOT NULL UNIQUE, op TEXT NOT NULL, briefing_id TEXT NOT NULL,
        annotation_id TEXT, payload TEXT NOT NULL, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS refused (
        write_id TEXT PRIMARY KEY, library TEXT NOT NULL, op TEXT NOT NULL,
        payload TEXT NOT NULL, reason TEXT NOT NULL, refused_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS seen (
        library TEXT NOT NULL, briefing_id TEXT NOT NULL, annotations TEXT NOT NULL,
        PRIMARY KEY (library, briefing_id))""",
    """CREATE TABLE IF NOT EXISTS briefings (
        briefing_id TEXT PRIMARY KEY, json TEXT NOT NULL)""",
)


def briefing_to_json(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.id,
        "title": b.title,
        "text": b.text,
        "origin": b.origin,
        "format": b.format,
        "encoding": b.encoding,
        "meta": _meta_of(b),
    }


def briefing_from_json(d: dict[str, Any]) -> Briefing:
    from brief_tui.briefing.load import briefing_from_text

    b = briefing_from_text(d["text"], d["origin"], fmt=d["format"])
    return replace(b, title=d["title"], encoding=d["encoding"])


class Journal:
    """The local SQLite file of writes waiting for the server, and of what was last read."""

    def __init__(self, path: Path, library: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        #: the library (its address without a password) the rows belong to
        self.library = library
        self.lock = threading.RLock()
        #: notes read from the server waiting to be kept in ``seen``, by briefing
        self._to_remember: dict[str, list[Annotation]] = {}
        self._remember_lock = threading.Lock()
        self._seen_lock = threading.Lock()
        self._remembering = False
        # The wait for a lock is set before anything else: two readers started at once both
        # switch the new file to WAL and create its tables, and the second must wait, not fail.
        self.conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        switch_to_wal(self.conn)
        self.conn.execute("PRAGMA synchronous = FULL")
        for statement in _JOURNAL_SCHEMA:
            self.conn.execute(statement)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def add(
        self,
        analyst: str,
        session: str,
        op: str,
        briefing_id: str,
        annotation_id: str | None,
        payload: dict[str, Any],
    ) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO pending (library, analyst, session, write_id, op, briefing_id,
                                        annotation_id, payload, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    self.library,
                    analyst,
                    session,
                    str(uuid.uuid4()),
                    op,
                    briefing_id,
                    annotation_id,
                    json.dumps(payload, ensure_ascii=False),
                    now_iso(),
                ),
            )

    def pending(self, analyst: str, briefing_id: str | None = None) -> list[sqlite3.Row]:
        where = " AND briefing_id = ?" if briefing_id is not None else ""
        with self.lock:
            return self.conn.execute(
                f"SELECT * FROM pending WHERE library = ? AND analyst = ?{where} ORDER BY seq",
                (self.library, analyst, *(() if briefing_id is None else (briefing_id,))),
            ).fetchall()

    def remember_briefing(self, b: Briefing) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO briefings (briefing_id, json) VALUES (?, ?)",
                (b.id, json.dumps(briefing_to_json(b), ensure_ascii=False)),
            )

    def briefing(self, briefing_id: str) -> Briefing | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT json FROM briefings WHERE briefing_id = ?", (briefing_id,)
            ).fetchone()
        return briefing_from_json(json.loads(row[0])) if row else None

    def briefings(self) -> list[Briefing]:
        with self.lock:
            rows = self.conn.execute("SELECT json FROM briefings").fetchall()
        return [briefing_from_json(json.loads(r[0])) for r in rows]

    def remember_notes(self, briefing_id: str, notes: Sequence[Annotation]) -> None:
        """Keep the notes last read of a briefing (shown while the server is away). Written
        by a thread of its own, the latest read of each briefing only: a reader reading
        again and again while others write does not wait for the disk each time."""
        with self._remember_lock:
            self._to_remember[briefing_id] = list(notes)
            if self._remembering:
                return
            self._remembering = True
        threading.Thread(target=self._write_remembered, name="brief-tui-seen", daemon=True).start()

    def _write_remembered(self) -> None:
        try:
            while self._write_one_remembered():
                time.sleep(REMEMBER_EVERY_S)  # (reads meanwhile: only the latest is written)
        finally:
            with self._remember_lock:
                self._remembering = False
            if self._to_remember:  # (one left by a race with the flag: written now)
                self._write_remembered_now()

    def _write_one_remembered(self) -> bool:
        """Write one briefing's latest notes read, if one waits; whether one did. (Taken
        and written under one lock: a newer read is never overwritten by an older one.)"""
        with self._seen_lock:
            with self._remember_lock:
                if not self._to_remember:
                    return False
                briefing_id, notes = self._to_remember.popitem()
            data = json.dumps([annotation_to_json(a) for a in notes], ensure_ascii=False)
            try:
                with self.tx() as c:
                    c.execute(
                        "INSERT OR REPLACE INTO seen (library, briefing_id, annotations) "
                        "VALUES (?, ?, ?)",
                        (self.library, briefing_id, data),
                    )
            except (sqlite3.Error, OSError):
                pass  # (a cache of what was shown: the next read keeps it again)
        return True

    def _write_remembered_now(self) -> None:
        while self._write_one_remembered():
            pass

    def notes_seen(self, briefing_id: str) -> list[Annotation]:
        self._write_remembered_now()
        with self.lock:
            row = self.conn.execute(
                "SELECT annotations FROM seen WHERE library = ? AND briefing_id = ?",
                (self.library, briefing_id),
            ).fetchone()
        return [annotation_from_json(d) for d in json.loads(row[0])] if row else []

    def refused(self) -> int:
        with self.lock:
            row = self.conn.execute(
                "SELECT count(*) FROM refused WHERE library = ?", (self.library,)
            ).fetchone()
        return int(row[0])

    def close(self) -> None:
        self._write_remembered_now()
        with self.lock:
            self.conn.close()
