"""The team library's undo log: per analyst and per reader. A store's undo reverses its own
session's actions, then those its analyst's earlier readers handed over when they closed;
never another analyst's. The log keeps the last :data:`UNDO_DEPTH` actions of each analyst."""

from __future__ import annotations

import json
from typing import Any, Final

from brief_tui.library.annotations import Annotation, annotation_from_json, annotation_to_json
from brief_tui.library.store.postgres.connection import Conn, PgHandle, notify
from brief_tui.library.store.postgres.rows import (
    ANN_UPSERT,
    pg_json,
    pg_text,
    row_params,
)

#: undo actions kept per analyst
UNDO_DEPTH: Final = 500


def log(
    store: PgHandle, conn: Conn, action: str, a: Annotation, before: Annotation | None, what: str
) -> None:
    conn.execute(
        """INSERT INTO undo_log (briefing_id, action, annotation_id, before, description,
                                 author, session, created_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s, now())""",
        (
            a.briefing_id,
            action,
            a.id,
            json.dumps(pg_json(annotation_to_json(before)), ensure_ascii=False) if before else None,
            pg_text(what),
            store.analyst,
            store.session,
        ),
    )
    trim(store, conn)
    notify(conn, a.briefing_id)


def trim(store: PgHandle, conn: Conn) -> None:
    """Keep the analyst's last :data:`UNDO_DEPTH` actions."""
    conn.execute(
        """DELETE FROM undo_log WHERE author = %s AND seq < (
               SELECT seq FROM undo_log WHERE author = %s ORDER BY seq DESC
               OFFSET %s LIMIT 1)""",
        (store.analyst, store.analyst, UNDO_DEPTH - 1),
    )


def _undo_row(store: PgHandle, conn: Conn, briefing_id: str | None) -> dict[str, Any] | None:
    where = " AND briefing_id = %s" if briefing_id is not None else ""
    extra: tuple[str, ...] = (briefing_id,) if briefing_id is not None else ()
    for owner, params in (("session = %s", (store.session,)), ("session IS NULL", ())):
        row = conn.execute(
            f"SELECT * FROM undo_log WHERE author = %s AND {owner}{where} "
            "ORDER BY seq DESC LIMIT 1 FOR UPDATE",
            (store.analyst, *params, *extra),
        ).fetchone()
        if row is not None:
            return row
    return None


def undo(store: PgHandle, briefing_id: str | None = None) -> str | None:
    """Reverse this reader's latest action (else the latest its analyst's earlier readers
    handed over); never another analyst's."""
    with store._tx() as conn:
        row = _undo_row(store, conn, briefing_id)
        if row is None:
            return None
        if row["action"] == "add":
            conn.execute("DELETE FROM annotations WHERE id = %s", (row["annotation_id"],))
        else:
            before = annotation_from_json(row["before"])
            conn.execute(ANN_UPSERT, row_params(before, store.analyst))
        conn.execute("DELETE FROM undo_log WHERE seq = %s", (row["seq"],))
        notify(conn, row["briefing_id"])
        return f"undid: {row['description']}"


def can_undo(store: PgHandle, briefing_id: str | None = None) -> bool:
    with store._tx(write=False) as conn:
        return _undo_row(store, conn, briefing_id) is not None


def hand_over(conn: Conn, session: str) -> None:
    """Give a closing reader's undo history to its analyst's next reader."""
    conn.execute("UPDATE undo_log SET session = NULL WHERE session = %s", (session,))
