"""The team library when its server is away: :class:`TeamLibrary` stands in front of a
:class:`PgStore` and keeps working when the server is down or unreachable.

While the server cannot be reached, what the analyst writes (annotations made, changed or
deleted; briefings opened; reading positions) goes into a journal, a small SQLite file in the
local data dir (``team-journal.sqlite3``), committed before the call returns; the reads give
the notes last read from the server with the journal's changes over them. A thread tries the
server again every few seconds; when it answers, the journal is sent in order, each write
once: every write has an id the server records in the same transaction (``applied_writes``),
so a write whose confirmation was lost is skipped when sent again. A write the server
refuses (another analyst removed the briefing, say) is kept in the journal's ``refused``
table and said in :attr:`TeamLibrary.warning`: nothing is dropped silently.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Generator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Self

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import ReanchorReport, Selector
from brief_tui.library.annotations import Annotation, annotation_to_json
from brief_tui.library.paths import data_dir as resolve_data_dir
from brief_tui.library.store.briefings import _meta_of
from brief_tui.library.store.errors import NotYours, StoreUnavailable
from brief_tui.library.store.postgres.connection import redacted
from brief_tui.library.store.postgres.journal import (
    JOURNAL_NAME,
    Journal,
    briefing_to_json,
)
from brief_tui.library.store.postgres.local import OfflineView
from brief_tui.library.store.postgres.notes import new_annotation
from brief_tui.library.store.postgres.store import PgStore
from brief_tui.library.store.postgres.sync import RETRY_S, ServerLink
from brief_tui.library.store.protocol import (
    BriefingInfo,
    LibraryStore,
    NoteChanges,
    SearchHit,
    WithoutAcrossIndex,
)


class TeamLibrary(WithoutAcrossIndex, LibraryStore):
    """A team library that keeps working while its server is away (see the module
    docstring). Its rooms: the journal (``journal``), the link to the server
    (``sync``), the offline reads (``local``)."""

    def __init__(
        self,
        url: str,
        analyst: str,
        journal: Journal,
        pg: PgStore | None,
        *,
        retry_s: float = RETRY_S,
        why: str | None = None,
    ) -> None:
        self.url = url
        self._analyst = analyst
        self.journal = journal
        self.session = uuid.uuid4().hex
        self._refused_before = journal.refused()
        #: the server, and the journal's way to it
        self.link = ServerLink(url, analyst, journal, pg, retry_s=retry_s)
        #: what the reads answer from while the server is away
        self.local = OfflineView(journal, analyst)
        #: the notes last read of each briefing (kept up by annotation_changes' answers)
        self._known: dict[str, dict[str, Annotation]] = {}
        if pg is None or why is not None:
            self.link.went_down(why or "unreachable")
        else:
            self.flush()

    # -- state -------------------------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self.link.online

    @property
    def analyst(self) -> str:
        return self._analyst

    @property
    def pg(self) -> PgStore | None:
        """The server's store (None until it has been reached once)."""
        return self.link.pg

    @property
    def path(self) -> Path | None:
        return self.journal.path  # (drafts are kept beside it, in the local data dir)

    @property
    def read_only(self) -> bool:
        return self.pg.read_only if self.pg is not None else False

    @property
    def warning(self) -> str | None:
        parts = []
        if self.link.down is not None:
            parts.append(
                f"{redacted(self.url)} cannot be reached ({self.link.down}): working offline, "
                "your notes are kept on this computer and sent when it is back"
            )
        elif self.pg is not None and self.pg.warning:
            parts.append(self.pg.warning)
        refused = self.journal.refused() - self._refused_before
        if refused:
            parts.append(
                f"{refused} change{'s' if refused != 1 else ''} made offline refused by the "
                f"server (kept in {self.journal.path})"
            )
        return "; ".join(parts) or None

    def pending_count(self) -> int:
        return len(self.journal.pending(self.analyst))

    def flush(self) -> bool:
        """Send the journal's writes in order; True when all went (or were refused)."""
        return self.link.flush()

    def _try(self, call: Callable[[PgStore], Any]) -> tuple[bool, Any]:
        """(True, result) of a write from the server (after the journal's earlier writes),
        or (False, None) when it is away."""
        return self.link.try_(call)

    def _read(self, call: Callable[[PgStore], Any]) -> tuple[bool, Any]:
        """:meth:`_try` for a read: it does not wait for writes (a long read of a briefing's
        notes would otherwise hold up the reader's saves)."""
        return self.link.try_(call, write=False)

    def close(self) -> None:
        self.link.close()
        self.journal.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- briefings ---------------------------------------------------------------------------
    def add_briefing(
        self, briefing: Briefing, *, meta: dict[str, Any] | None = None
    ) -> BriefingInfo:
        self.local.texts[briefing.id] = briefing
        ok, info = self._try(lambda pg: pg.add_briefing(briefing, meta=meta))
        if ok:
            return info  # type: ignore[no-any-return]
        self.journal.remember_briefing(briefing)
        data = briefing_to_json(briefing)
        if meta:
            data["meta"] = {**data["meta"], **meta}
        self.journal.add(
            self.analyst, self.session, "briefing", briefing.id, None, {"briefing": data}
        )
        return self.local.info(briefing)

    def touch_briefing(self, briefing_id: str) -> None:
        self._try(lambda pg: pg.touch_briefing(briefing_id))  # (offline: not worth keeping)

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        ok, _ = self._try(lambda pg: pg.set_reading_position(briefing_id, offset))
        if not ok:
            self.journal.add(
                self.analyst,
                self.session,
                "position",
                briefing_id,
                None,
                {"briefing_id": briefing_id, "offset": int(offset)},
            )

    def reading_position(self, briefing_id: str) -> int | None:
        ok, pos = self._read(lambda pg: pg.reading_position(briefing_id))
        if ok:
            return pos  # type: ignore[no-any-return]
        return self.local.reading_position(briefing_id)

    def briefing_date(self, briefing_id: str) -> date | None:
        ok, d = self._read(lambda pg: pg.briefing_date(briefing_id))
        if ok:
            return d  # type: ignore[no-any-return]
        b = self.local.briefing(briefing_id)
        return b.date if b else None

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        ok, b = self._read(lambda pg: pg.get_briefing(briefing_id))
        return b if ok else self.local.briefing(briefing_id)

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]:
        ok, m = self._read(lambda pg: pg.briefing_meta(briefing_id))
        if ok:
            return m  # type: ignore[no-any-return]
        b = self.local.briefing(briefing_id)
        return _meta_of(b) if b else {}

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None:
        ok, info = self._read(lambda pg: pg.briefing_info(briefing_id))
        if ok:
            return info  # type: ignore[no-any-return]
        b = self.local.briefing(briefing_id)
        return self.local.info(b) if b else None

    def list_briefings(self) -> list[BriefingInfo]:
        ok, infos = self._read(lambda pg: pg.list_briefings())
        return infos if ok else self.local.listing()

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        ok, infos = self._read(
            lambda pg: pg.list_window(
                sort=sort,
                descending=descending,
                title_filter=title_filter,
                limit=limit,
                offset=offset,
            )
        )
        if ok:
            return infos  # type: ignore[no-any-return]
        return self.local.list_window(
            sort=sort, descending=descending, title_filter=title_filter, limit=limit, offset=offset
        )

    def count_briefings(self, *, title_filter: str = "") -> int:
        ok, n = self._read(lambda pg: pg.count_briefings(title_filter=title_filter))
        if ok:
            return int(n)
        return self.local.count(title_filter)

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        ok, hits = self._read(lambda pg: pg.search_page(query, limit=limit, offset=offset))
        if ok:
            return hits  # type: ignore[no-any-return]
        found = self.search_briefings(query, limit=max(0, offset) + max(0, limit))
        return [SearchHit(info, "") for info in found[max(0, offset) :]]

    def first_match(self, briefing_id: str, query: str) -> int | None:
        ok, at = self._read(lambda pg: pg.first_match(briefing_id, query))
        if ok:
            return at  # type: ignore[no-any-return]
        return self.local.first_match(briefing_id, query)

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        if self.online and self.pg is not None:
            yield from self.pg.iter_listing()
            return
        for info in self.local.listing():
            yield info, self.briefing_meta(info.id), None

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        ok, infos = self._read(lambda pg: pg.briefings_from_origin(origin))
        if ok:
            return infos  # type: ignore[no-any-return]
        return [i for i in self.local.listing() if i.origin == origin]

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        ok, infos = self._read(lambda pg: pg.search_briefings(query, limit=limit))
        if ok:
            return infos  # type: ignore[no-any-return]
        return self.local.search(query, limit)

    def remove_briefing(self, briefing_id: str) -> int:
        ok, n = self._try(lambda pg: pg.remove_briefing(briefing_id))
        if not ok:
            raise StoreUnavailable(
                f"{redacted(self.url)} cannot be reached: a briefing is removed only online"
            )
        return n  # type: ignore[no-any-return]

    # -- annotations -------------------------------------------------------------------------
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
        # made here, with its id, before the server is asked: a confirmation lost on the
        # way and the write sent again later is the same row (idempotent by its id)
        local = self.local.briefing(briefing_id)
        made = new_annotation(
            self.analyst,
            briefing_id,
            kind,
            target_type=target_type,
            target_id=target_id,
            start=start,
            end=end,
            selector=selector,
            meaning=meaning,
            note=note,
            tags=tags,
            grade=grade,
            status=status,
            text=local.text if local else None,
        )
        ok, a = self._try(lambda pg: pg.insert_annotation(made))
        if ok:
            return a  # type: ignore[no-any-return]
        self.journal.add(
            self.analyst,
            self.session,
            "add",
            briefing_id,
            made.id,
            {"annotation": annotation_to_json(made)},
        )
        return made

    def annotation(self, annotation_id: str) -> Annotation | None:
        ok, a = self._read(lambda pg: pg.annotation(annotation_id))
        return a if ok else self.local.annotation(annotation_id)

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        ok, a = self._try(lambda pg: pg.update_annotation(annotation_id, **changes))
        if ok:
            return a  # type: ignore[no-any-return]
        old = self.local.annotation(annotation_id)
        if old is None:
            raise KeyError(f"no annotation {annotation_id}")
        if old.author not in (None, self.analyst):
            raise NotYours(f"this {old.kind} is {old.author}'s: only they can change it")
        new = self.local.changed(old, changes)
        self.journal.add(
            self.analyst,
            self.session,
            "update",
            old.briefing_id,
            old.id,
            {"id": old.id, "changes": changes, "updated_at": new.updated_at},
        )
        return new

    def delete_annotation(self, annotation_id: str) -> Annotation:
        ok, a = self._try(lambda pg: pg.delete_annotation(annotation_id))
        if ok:
            return a  # type: ignore[no-any-return]
        old = self.local.annotation(annotation_id)
        if old is None:
            raise KeyError(f"no annotation {annotation_id}")
        if old.author not in (None, self.analyst):
            raise NotYours(f"this {old.kind} is {old.author}'s: only they can delete it")
        self.journal.add(
            self.analyst, self.session, "delete", old.briefing_id, old.id, {"id": old.id}
        )
        return old

    def annotations(self, briefing_id: str) -> list[Annotation]:
        ok, notes = self._read(lambda pg: pg.annotations(briefing_id))
        if ok:
            self._known[briefing_id] = {a.id: a for a in notes}
            self.journal.remember_notes(briefing_id, notes)
            return notes  # type: ignore[no-any-return]
        return self.local.notes(briefing_id)

    def annotation_changes(self, briefing_id: str, since: int | None = None) -> NoteChanges:
        """Online: the server's changes since the mark (a complete read is remembered for
        offline reading). Offline: every note, as :meth:`annotations` gives them."""
        ok, changes = self._read(lambda pg: pg.annotation_changes(briefing_id, since))
        if not ok:
            return NoteChanges(self.local.notes(briefing_id), [], None, True)
        assert isinstance(changes, NoteChanges)
        # what is remembered for offline reading follows the changes too
        known = self._known.get(briefing_id)
        if changes.complete:
            known = self._known[briefing_id] = {a.id: a for a in changes.notes}
        elif known is not None:
            for gone in changes.removed:
                known.pop(gone, None)
            known.update((a.id, a) for a in changes.notes)
        else:
            return changes
        self.journal.remember_notes(briefing_id, sorted(known.values(), key=_in_order))
        return changes

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        ok, notes = self._read(lambda pg: pg.annotations_on(briefing_id, target_type, target_id))
        if ok:
            return notes  # type: ignore[no-any-return]
        return self.local.annotations_on(briefing_id, target_type, target_id)

    def all_tags(self) -> list[str]:
        ok, tags = self._read(lambda pg: pg.all_tags())
        return tags if ok else []

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Online: the server's undo. Offline: the latest change not sent yet is taken back
        from the journal."""
        ok, msg = self._try(lambda pg: pg.undo(briefing_id))
        if ok:
            return msg  # type: ignore[no-any-return]
        row = self.local.last_pending(self.session, briefing_id)
        if row is None:
            return None
        with self.journal.tx() as c:
            c.execute("DELETE FROM pending WHERE seq = ?", (row["seq"],))
        return f"undid: {row['op']} (not sent yet)"

    def can_undo(self, briefing_id: str | None = None) -> bool:
        ok, can = self._read(lambda pg: pg.can_undo(briefing_id))
        return bool(can) if ok else self.local.last_pending(self.session, briefing_id) is not None

    def relocate_annotations(
        self,
        old_id: str,
        new_briefing: Briefing,
        place: Callable[[Selector], Selector | None],
        *,
        keep_old: bool = False,
    ) -> ReanchorReport:
        ok, report = self._try(
            lambda pg: pg.relocate_annotations(old_id, new_briefing, place, keep_old=keep_old)
        )
        if not ok:
            raise StoreUnavailable(
                f"{redacted(self.url)} cannot be reached: notes are moved to a changed text "
                "when it is back"
            )
        return report  # type: ignore[no-any-return]

    # -- the analysis cache: a cache, skipped while offline ------------------------------------
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        ok, an = self._read(
            lambda pg: pg.get_cached_analysis(
                briefing_id, model_name, model_version, analyser_version
            )
        )
        return an if ok else None

    def put_cached_analysis(self, analysis: Analysis) -> None:
        self._try(lambda pg: pg.put_cached_analysis(analysis))

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        ok, an = self._read(lambda pg: pg.latest_cached_analysis(briefing_id))
        return an if ok else None

    def claim_counts(self, ids: Sequence[str] | None = None) -> dict[str, int]:
        ok, counts = self._read(lambda pg: pg.claim_counts(ids))
        return counts if ok else {}

    # -- live --------------------------------------------------------------------------------
    def listen(self, callback: Callable[[str], None]) -> bool:
        """Other readers' changes, as :meth:`PgStore.listen` (also when the journal's
        writes reach the server). False while the server has never been reached."""
        self.link.on_sent = callback
        if self.pg is None:
            return False
        self.pg.listen(callback)
        return True


def _in_order(a: Annotation) -> tuple[int, int, int, int, str, str]:
    return a.sort_key()


def open_team_library(
    url: str,
    *,
    analyst: str,
    data_dir: str | Path | None = None,
    offline: bool = True,
    retry_s: float = RETRY_S,
) -> LibraryStore:
    """The team library at ``url`` as ``analyst``: a :class:`TeamLibrary` (journal in the
    local data dir) when ``offline``, else the bare :class:`PgStore` (raising
    :class:`StoreUnavailable` when the server cannot be reached)."""
    if not offline:
        return PgStore.open(url, analyst=analyst)
    journal = Journal(resolve_data_dir(data_dir) / JOURNAL_NAME, redacted(url))
    try:
        pg: PgStore | None = PgStore.open(url, analyst=analyst)
        why = None
    except StoreUnavailable as e:
        pg, why = None, str(e).split("(", 1)[-1].rstrip(")") or "unreachable"
    return TeamLibrary(url, analyst, journal, pg, retry_s=retry_s, why=why)
