"""The team library's notes room: making, changing, deleting and reading annotations (each
action one transaction, logged for undo by :mod:`.undo`, and notified to other readers),
each made by the store's analyst, who alone changes and deletes them; writes kept offline
applied once by their write id; moving notes to a new version of a briefing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Final

import psycopg

from brief_tui.briefing.load import Briefing
from brief_tui.briefing.untrusted import clean_line
from brief_tui.library.anchoring import CONTEXT, ReanchorReport, Selector, selector_of
from brief_tui.library.annotations import (
    UPDATABLE,
    Annotation,
    annotation_from_json,
    annotation_to_json,
    apply_changes,
    check_changes,
    describe,
    normalise_tags,
    validate,
)
from brief_tui.library.store.errors import NotYours, StoreError
from brief_tui.library.store.postgres.connection import Conn, PgHandle, notify
from brief_tui.library.store.postgres.rows import (
    ANN_COLUMNS,
    ANN_ORDER,
    ANN_UPSERT,
    annotation_from_row,
    pg_json,
    pg_text,
    row_params,
)
from brief_tui.library.store.postgres.undo import log, trim
from brief_tui.library.store.protocol import NoteChanges
from brief_tui.library.store.timestamps import now_iso


def _owner_check(a: Annotation, analyst: str, doing: str) -> None:
    if a.author is not None and a.author != analyst:
        raise NotYours(f"this {a.kind} is {clean_line(a.author, 60)}'s: only they can {doing} it")


def new_annotation(
    analyst: str,
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
    text: str | None = None,
) -> Annotation:
    """The annotation ``add_annotation`` would store, checked, with a new id, ``analyst``
    as author and now as its times; the quote is cut from ``text`` when given
    (else the caller cuts it on the server). Raises ``ValueError`` for bad fields."""
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
    if selector is None and start is not None and end is not None and text is not None:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}-{end} is outside a text of {len(text)} characters")
        p0 = max(0, start - CONTEXT)
        selector = Selector(start, end, text[start:end], text[p0:start], text[end : end + CONTEXT])
    now = now_iso()
    return Annotation(
        id=str(uuid.uuid4()),
        briefing_id=briefing_id,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        start=selector.start if selector else start,
        end=selector.end if selector else end,
        exact=selector.exact if selector else None,
        prefix=selector.prefix if selector else None,
        suffix=selector.suffix if selector else None,
        meaning=meaning,
        note=note if note else None,
        tags=normalise_tags(tags),
        grade=grade,
        status=status,
        created_at=now,
        updated_at=now,
        author=analyst,
    )


def _selector(conn: Conn, briefing_id: str, start: int, end: int) -> Selector:
    """Cut the quote and its context out of the stored text on the server."""
    if not 0 <= start <= end:
        raise ValueError(f"span {start}-{end} is not a span of the text")
    p0 = max(0, start - CONTEXT)
    row = conn.execute(
        """SELECT length(text) AS n, substr(text, %s, %s) AS exact,
                  substr(text, %s, %s) AS prefix, substr(text, %s, %s) AS suffix
           FROM briefings WHERE id = %s""",
        (start + 1, end - start, p0 + 1, start - p0, end + 1, CONTEXT, briefing_id),
    ).fetchone()
    if row is None:
        raise StoreError(f"unknown briefing {briefing_id[:12]}; add it before annotating it")
    if end > row["n"]:
        raise ValueError(f"span {start}-{end} is outside a text of {row['n']} characters")
    return Selector(
        start,
        end,
        row["exact"] if end > start else "",
        row["prefix"] if start > p0 else "",
        row["suffix"] or "",
    )


def insert_annotation(store: PgHandle, a: Annotation, *, write_id: str | None = None) -> Annotation:
    """Store a made annotation (its quote cut on the server if it has a span but no
    quote yet). Idempotent by its id, and by ``write_id`` (a write kept while offline,
    applied once whatever happens between its commit and the caller learning of it)."""
    with store._tx() as conn:
        if write_id is not None and not _first_time(store, conn, write_id):
            return _get(conn, a.id) or a
        if a.start is not None and a.end is not None and a.exact is None:
            sel = _selector(conn, a.briefing_id, a.start, a.end)
            a = replace(a, exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix)
        # one round trip for the statements (a busy server answers each one late): the row
        # and its undo entry in one statement, the undo log kept short, the others told
        try:
            with conn.pipeline():
                conn.execute(
                    _INSERT_LOGGED,
                    (
                        *row_params(a, store.analyst),
                        pg_text(f"add {describe(a)}"),
                        store.analyst,
                        store.session,
                    ),
                )
                trim(store, conn)
                notify(conn, a.briefing_id)
        except psycopg.errors.ForeignKeyViolation:
            raise StoreError(
                f"unknown briefing {a.briefing_id[:12]}; add it before annotating it"
            ) from None
    return a


#: a new annotation and, if it was new, its undo entry
_INSERT_LOGGED: Final = f"""
    WITH made AS (
        INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({", ".join(["%s"] * 19)})
        ON CONFLICT (id) DO NOTHING RETURNING briefing_id, id)
    INSERT INTO undo_log (briefing_id, action, annotation_id, before, description, author,
                          session, created_at)
    SELECT briefing_id, 'add', id, NULL, %s, %s, %s, now() FROM made"""


def copy_in(store: PgHandle, a: Annotation) -> bool:
    """Store an annotation made elsewhere (``library push``) as it is, with its id, its
    author (this analyst if it has none) and times; not an action to undo. False when
    the library already holds that id."""
    with store._tx() as conn:
        done = conn.execute(
            f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) "
            "ON CONFLICT (id) DO NOTHING",
            row_params(a, store.analyst),
        ).rowcount
        if done:
            notify(conn, a.briefing_id)
    return bool(done)


def push_in(store: PgHandle, a: Annotation) -> str:
    """``library push`` of one annotation (with its author): "added" when new; when the
    library holds it, "updated" if this copy was changed later and differs (the analyst's
    own only: else "theirs"), else "same". Not an action to undo."""
    with store._tx() as conn:
        old = _get(conn, a.id, lock=True)
        if old is None:
            conn.execute(
                f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)})",
                row_params(a, store.analyst),
            )
            notify(conn, a.briefing_id)
            return "added"
        fields = UPDATABLE | {"exact", "prefix", "suffix", "orphan"}
        changed = any(getattr(a, f) != getattr(old, f) for f in fields)
        if not changed or not _later(a.updated_at, old.updated_at):
            return "same"
        if old.author not in (None, store.analyst):
            return "theirs"
        conn.execute(ANN_UPSERT, row_params(replace(a, author=store.analyst), store.analyst))
        notify(conn, a.briefing_id)
        return "updated"


def _later(a: str, b: str) -> bool:
    """Whether the time ``a`` is after ``b`` (ISO 8601; an unreadable one is not)."""
    try:
        return datetime.fromisoformat(a) > datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False


def _first_time(store: PgHandle, conn: Conn, write_id: str) -> bool:
    """Record ``write_id`` as applied; False if it already was."""
    return bool(
        conn.execute(
            "INSERT INTO applied_writes (id, analyst) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
            (write_id, store.analyst),
        ).rowcount
    )


def _get(conn: Conn, annotation_id: str, *, lock: bool = False) -> Annotation | None:
    row = conn.execute(
        f"SELECT {ANN_COLUMNS} FROM annotations WHERE id = %s" + (" FOR UPDATE" if lock else ""),
        (pg_text(annotation_id),),
    ).fetchone()
    return annotation_from_row(row) if row else None


def annotation(store: PgHandle, annotation_id: str) -> Annotation | None:
    with store._tx(write=False) as conn:
        return _get(conn, annotation_id)


def apply_update(
    store: PgHandle, annotation_id: str, changes: dict[str, Any], *, write_id: str | None = None
) -> Annotation:
    """:meth:`update_annotation`, once per ``write_id`` when one is given."""
    check_changes(changes)
    with store._tx() as conn:
        old = _get(conn, annotation_id, lock=True)
        if old is None:
            raise KeyError(f"no annotation {annotation_id}")
        _owner_check(old, store.analyst, "change")
        if write_id is not None and not _first_time(store, conn, write_id):
            return old
        new = apply_changes(
            old, changes, lambda start, end: _selector(conn, old.briefing_id, start, end)
        )
        if new == old:
            return old
        new = replace(new, updated_at=now_iso())
        conn.execute(ANN_UPSERT, row_params(new, store.analyst))
        log(store, conn, "update", new, old, f"edit {describe(old)}")
    return new


def apply_delete(store: PgHandle, annotation_id: str, *, write_id: str | None = None) -> Annotation:
    """:meth:`delete_annotation`, once per ``write_id`` when one is given."""
    with store._tx() as conn:
        old = _get(conn, annotation_id, lock=True)
        if old is None:
            raise KeyError(f"no annotation {annotation_id}")
        _owner_check(old, store.analyst, "delete")
        if write_id is not None and not _first_time(store, conn, write_id):
            return old
        conn.execute("DELETE FROM annotations WHERE id = %s", (old.id,))
        log(store, conn, "delete", old, old, f"delete {describe(old)}")
    return old


def annotations_of(store: PgHandle, briefing_id: str) -> list[Annotation]:
    with store._tx(write=False) as conn:
        rows = conn.execute(
            f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = %s ORDER BY {ANN_ORDER}",
            (briefing_id,),
        ).fetchall()
    return [annotation_from_row(r) for r in rows]


def annotation_changes(store: PgHandle, briefing_id: str, since: int | None) -> NoteChanges:
    """The briefing's annotations written by transactions not yet visible at the mark
    ``since`` (or all), the ids removed since, and the next mark: the oldest transaction
    still running now (any write not read here comes from it or a later one)."""
    with store._tx(write=False) as conn:
        mark = conn.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS mark"
        ).fetchone()
        assert mark is not None
        if since is None:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = %s "
                f"ORDER BY {ANN_ORDER}",
                (briefing_id,),
            ).fetchall()
            removed = []
        else:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations "
                "WHERE briefing_id = %s AND xact >= %s::text::xid8 "
                f"ORDER BY {ANN_ORDER}",
                (briefing_id, str(since)),
            ).fetchall()
            removed = [
                r["annotation_id"]
                for r in conn.execute(
                    "SELECT annotation_id FROM annotation_removals "
                    "WHERE briefing_id = %s AND xact >= %s::text::xid8",
                    (briefing_id, str(since)),
                )
            ]
    notes = [annotation_from_row(r) for r in rows]
    return NoteChanges(notes, removed, int(mark["mark"]), since is None)


def annotations_on(
    store: PgHandle, briefing_id: str, target_type: str, target_id: str
) -> list[Annotation]:
    with store._tx(write=False) as conn:
        rows = conn.execute(
            f"""SELECT {ANN_COLUMNS} FROM annotations
                WHERE briefing_id = %s AND target_type = %s AND target_id = %s
                ORDER BY created_at, id""",
            (briefing_id, target_type, pg_text(target_id)),
        ).fetchall()
    return [annotation_from_row(r) for r in rows]


def all_tags(store: PgHandle) -> list[str]:
    with store._tx(write=False) as conn:
        rows = conn.execute(
            """SELECT t AS tag, count(*) AS n FROM annotations, unnest(tags) AS t
               GROUP BY t ORDER BY n DESC, lower(t), t"""
        ).fetchall()
    return [str(r["tag"]) for r in rows]


def relocate_annotations(
    store: PgHandle,
    old_id: str,
    new_briefing: Briefing,
    place: Callable[[Selector], Selector | None],
    *,
    keep_old: bool = False,
) -> ReanchorReport:
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

    with store._tx() as conn:
        rows = conn.execute(
            f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = %s FOR UPDATE",
            (old_id,),
        ).fetchall()
        for row in rows:
            old = annotation_from_row(row)
            new = move(old)
            if new.has_text_anchor:
                if new.orphan:
                    orphaned += 1
                else:
                    anchored += 1
            if new != old:
                new = replace(new, updated_at=now)
            conn.execute(ANN_UPSERT, row_params(new, store.analyst))
        for log in conn.execute(
            "SELECT seq, before FROM undo_log WHERE briefing_id = %s", (old_id,)
        ).fetchall():
            before = log["before"]
            if before is not None:
                before = json.dumps(
                    pg_json(annotation_to_json(move(annotation_from_json(before)))),
                    ensure_ascii=False,
                )
            conn.execute(
                "UPDATE undo_log SET briefing_id = %s, before = %s WHERE seq = %s",
                (new_briefing.id, before, log["seq"]),
            )
        if not keep_old:
            conn.execute("DELETE FROM analysis_cache WHERE briefing_id = %s", (old_id,))
            conn.execute("DELETE FROM briefings WHERE id = %s", (old_id,))
        notify(conn, new_briefing.id)
    return ReanchorReport(len(rows), anchored, orphaned)
