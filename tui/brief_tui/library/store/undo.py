"""The undo log: every annotation action writes a row in the same transaction, holding the
annotation as it was before and the session (one per :meth:`Store.open`) that made it.
:meth:`UndoLog.undo` reverses this session's latest row, else the latest one a closed session
handed over (:meth:`UndoLog.hand_over`); two readers on one file never undo each other's
actions, and a reader killed without closing leaves its rows to nobody."""

from __future__ import annotations

import json
import sqlite3
from contextlib import suppress
from typing import Final

from brief_tui.library.annotations import Annotation, annotation_from_json, annotation_to_json
from brief_tui.library.store.connection import Database
from brief_tui.library.store.rows import (
    put,
)
from brief_tui.library.store.timestamps import now_iso

#: undo actions kept in the log
UNDO_DEPTH: Final = 500


class UndoLog:
    """One session's view of ``undo_log``."""

    def __init__(self, db: Database, session: str) -> None:
        self.db = db
        self.session = session

    def log(
        self,
        conn: sqlite3.Connection,
        action: str,
        a: Annotation,
        before: Annotation | None,
        description: str,
    ) -> None:
        """Log ``action`` on ``a`` (``before``: the annotation as it was) in the caller's
        transaction; only the last :data:`UNDO_DEPTH` actions are kept."""
        conn.execute(
            """INSERT INTO undo_log
               (briefing_id, action, annotation_id, before, description, created_at, session)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                a.briefing_id,
                action,
                a.id,
                json.dumps(annotation_to_json(before), ensure_ascii=False) if before else None,
                description,
                now_iso(),
                self.session,
            ),
        )
        conn.execute(
            "DELETE FROM undo_log WHERE seq <= (SELECT max(seq) FROM undo_log) - ?", (UNDO_DEPTH,)
        )

    def _row(self, conn: sqlite3.Connection, briefing_id: str | None) -> sqlite3.Row | None:
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
        with self.db.write() as conn:
            row = self._row(conn, briefing_id)
            if row is None:
                return None
            if row["action"] == "add":
                conn.execute("DELETE FROM annotations WHERE id = ?", (row["annotation_id"],))
            else:
                put(conn, annotation_from_json(json.loads(row["before"])))
            conn.execute("DELETE FROM undo_log WHERE seq = ?", (row["seq"],))
            return f"undid: {row['description']}"

    def can_undo(self, briefing_id: str | None = None) -> bool:
        with self.db.read() as conn:
            return self._row(conn, briefing_id) is not None

    def hand_over(self) -> None:
        """Leave this session's actions to the next reader (done when the store closes)."""
        if not self.db.read_only:
            with self.db.lock, suppress(sqlite3.Error):
                self.db.conn.execute(
                    "UPDATE undo_log SET session = NULL WHERE session = ?", (self.session,)
                )
