"""The team library as this computer knows it while the server is away: the briefings
opened (this session's and the journal's), the notes last read from the server with the
journal's changes over them, and the reads :class:`~.offline.TeamLibrary` answers from those
(listing, search, positions, undo of what was not sent yet)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import Any

from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import CONTEXT
from brief_tui.library.annotations import Annotation, annotation_from_json, normalise_tags
from brief_tui.library.store.briefings import match_offset
from brief_tui.library.store.postgres.journal import Journal
from brief_tui.library.store.protocol import BriefingInfo
from brief_tui.library.store.timestamps import now_iso


class OfflineView:
    """Reads from the journal and the briefings seen, for ``analyst``."""

    def __init__(self, journal: Journal, analyst: str) -> None:
        self.journal = journal
        self.analyst = analyst
        #: briefings seen this session (their text cuts quotes while offline)
        self.texts: dict[str, Briefing] = {}

    # -- briefings ---------------------------------------------------------------------------
    def briefing(self, briefing_id: str) -> Briefing | None:
        return self.texts.get(briefing_id) or self.journal.briefing(briefing_id)

    def info(self, b: Briefing) -> BriefingInfo:
        now = now_iso()
        return BriefingInfo(
            b.id, b.title, b.origin, b.format, len(b.text), now, now, len(self.notes(b.id))
        )

    def listing(self) -> list[BriefingInfo]:
        known = {b.id: b for b in self.journal.briefings()} | self.texts
        return [self.info(b) for b in known.values()]

    def reading_position(self, briefing_id: str) -> int | None:
        for row in reversed(self.journal.pending(self.analyst, briefing_id)):
            if row["op"] == "position":
                return int(json.loads(row["payload"])["offset"])
        return None

    def list_window(
        self, *, sort: str, descending: bool, title_filter: str, limit: int, offset: int
    ) -> list[BriefingInfo]:
        """The briefings known here, in the order asked."""
        known = [i for i in self.listing() if title_filter.casefold() in i.title.casefold()]
        key = {"opened": "last_opened_at", "added": "added_at", "title": "title"}.get(sort)
        if key is None:
            raise ValueError(f"unknown order {sort!r}")
        known.sort(key=lambda i: (str(getattr(i, key)).casefold(), i.id), reverse=descending)
        return known[max(0, offset) : max(0, offset) + max(0, limit)]

    def count(self, title_filter: str) -> int:
        return sum(1 for i in self.listing() if title_filter.casefold() in i.title.casefold())

    def first_match(self, briefing_id: str, query: str) -> int | None:
        b = self.briefing(briefing_id)
        return None if b is None else match_offset(b.text, query)

    def search(self, query: str, limit: int) -> list[BriefingInfo]:
        words = [w.casefold() for w in query.split()]
        out = []
        for info in self.listing():
            b = self.briefing(info.id)
            hay = (info.title + " " + (b.text if b else "")).casefold()
            if all(w in hay for w in words):
                out.append(info)
        return out[:limit]

    # -- annotations -------------------------------------------------------------------------
    def notes(self, briefing_id: str) -> list[Annotation]:
        """The notes last read from the server with the journal's changes over them."""
        notes = {a.id: a for a in self.journal.notes_seen(briefing_id)}
        for row in self.journal.pending(self.analyst, briefing_id):
            p = json.loads(row["payload"])
            if row["op"] == "add":
                a = annotation_from_json(p["annotation"])
                notes[a.id] = a
            elif row["op"] == "update" and p["id"] in notes:
                notes[p["id"]] = self.changed(notes[p["id"]], p["changes"], p.get("updated_at"))
            elif row["op"] == "delete":
                notes.pop(p["id"], None)
        return sorted(notes.values(), key=Annotation.sort_key)

    def changed(
        self, a: Annotation, changes: dict[str, Any], updated_at: str | None = None
    ) -> Annotation:
        """``a`` with ``changes`` made (the quote cut from the text known here)."""
        fields = {k: v for k, v in changes.items() if k not in ("start", "end")}
        if "tags" in fields:
            fields["tags"] = normalise_tags(fields["tags"])
        if "note" in fields and not fields["note"]:
            fields["note"] = None
        if "start" in changes:
            start, end = changes["start"], changes["end"]
            b = self.briefing(a.briefing_id)
            if start is None or b is None:
                fields.update(start=start, end=end, exact=None, prefix=None, suffix=None)
            else:
                p0 = max(0, start - CONTEXT)
                fields.update(
                    start=start,
                    end=end,
                    exact=b.text[start:end],
                    prefix=b.text[p0:start],
                    suffix=b.text[end : end + CONTEXT],
                )
        return replace(a, **fields, updated_at=updated_at or now_iso())

    def annotation(self, annotation_id: str) -> Annotation | None:
        for b in {row["briefing_id"] for row in self.journal.pending(self.analyst)} | set(
            self.texts
        ):
            for a in self.notes(b):
                if a.id == annotation_id:
                    return a
        return None

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        return sorted(
            (
                a
                for a in self.notes(briefing_id)
                if a.target_type == target_type and a.target_id == target_id
            ),
            key=lambda a: (a.created_at, a.id),
        )

    def last_pending(self, session: str, briefing_id: str | None) -> sqlite3.Row | None:
        """The latest change of ``session`` not sent yet (what undo takes back offline)."""
        rows = [
            r
            for r in self.journal.pending(self.analyst, briefing_id)
            if r["session"] == session and r["op"] in ("add", "update", "delete")
        ]
        return rows[-1] if rows else None
