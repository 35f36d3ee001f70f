"""The annotations room: making, changing, deleting and reading the reader's annotations
(each action one transaction, logged for undo), and moving them to a new version of a
briefing with the places re-anchoring found."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import CONTEXT, ReanchorReport, Selector, selector_of
from brief_tui.library.annotations import (
    Annotation,
    annotation_from_json,
    annotation_to_json,
    apply_changes,
    check_changes,
    describe,
    normalise_tags,
    validate,
)
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import StoreError
from brief_tui.library.store.rows import (
    ANN_COLUMNS,
    ANN_ORDER,
    ANN_VALUES,
    annotation_from_row,
    get,
    put,
    row_params,
)
from brief_tui.library.store.timestamps import now_iso
from brief_tui.library.store.undo import UndoLog


class Notes:
    """The ``annotations`` table (and, with each action, the undo log)."""

    def __init__(self, db: Database, undo: UndoLog) -> None:
        self.db = db
        self.undo = undo

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
        with self.db.write() as conn:
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
                f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({ANN_VALUES})",
                row_params(a),
            )
            self.undo.log(conn, "add", a, None, f"add {describe(a)}")
        return a

    def annotation(self, annotation_id: str) -> Annotation | None:
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
        return annotation_from_row(row) if row else None

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (kind, target_type, target_id, start/end, meaning,
        note, tags, grade, status; ``None`` clears). Committed before returning; undoable.
        Raises ``KeyError`` for an unknown id, ``TypeError`` for an unknown field."""
        check_changes(changes)
        with self.db.write() as conn:
            old = get(conn, annotation_id)
            new = apply_changes(
                old,
                changes,
                lambda start, end: self._selector_from_db(conn, old.briefing_id, start, end),
            )
            if new == old:
                return old
            new = replace(new, updated_at=now_iso())
            put(conn, new)
            self.undo.log(conn, "update", new, old, f"edit {describe(old)}")
        return new

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Delete an annotation (undoable). Returns it as it was. ``KeyError`` if unknown."""
        with self.db.write() as conn:
            old = get(conn, annotation_id)
            conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            self.undo.log(conn, "delete", old, old, f"delete {describe(old)}")
        return old

    def annotations(self, briefing_id: str) -> list[Annotation]:
        """A briefing's annotations in text order; without a text anchor next; orphans last."""
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = ? ORDER BY {ANN_ORDER}",
                (briefing_id,),
            ).fetchall()
        return [annotation_from_row(r) for r in rows]

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        """Annotations made on one actor, claim or source, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                f"""SELECT {ANN_COLUMNS} FROM annotations
                    WHERE briefing_id = ? AND target_type = ? AND target_id = ?
                    ORDER BY created_at, id""",
                (briefing_id, target_type, target_id),
            ).fetchall()
        return [annotation_from_row(r) for r in rows]

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion: most used first, then alphabetically."""
        with self.db.read() as conn:
            rows = conn.execute(
                """SELECT j.value AS tag, count(*) AS n
                   FROM annotations, json_each(annotations.tags) j
                   GROUP BY j.value ORDER BY n DESC, lower(j.value), j.value"""
            ).fetchall()
        return [str(r["tag"]) for r in rows]

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

        with self.db.write() as conn:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = ?", (old_id,)
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
                put(conn, new)
            for log in conn.execute(
                "SELECT seq, before FROM undo_log WHERE briefing_id = ?", (old_id,)
            ).fetchall():
                before = log["before"]
                if before is not None:
                    before = json.dumps(
                        annotation_to_json(move(annotation_from_json(json.loads(before)))),
                        ensure_ascii=False,
                    )
                conn.execute(
                    "UPDATE undo_log SET briefing_id = ?, before = ? WHERE seq = ?",
                    (new_briefing.id, before, log["seq"]),
                )
            if not keep_old:
                conn.execute("DELETE FROM analysis_cache WHERE briefing_id = ?", (old_id,))
                conn.execute("DELETE FROM across_keys WHERE briefing_id = ?", (old_id,))
                conn.execute("DELETE FROM across_indexed WHERE briefing_id = ?", (old_id,))
                conn.execute("DELETE FROM briefings WHERE id = ?", (old_id,))
        return ReanchorReport(len(rows), anchored, orphaned)
