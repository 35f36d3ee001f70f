"""The store's one face: :class:`Store`, which the UI, the CLI and the library's other
modules use. Its rooms do the work: opening and damage handling (``opening``, ``checks``,
``salvage``, ``errors``), the connection and its transactions (``connection``), the schema
(``schema``), briefings and search (``briefings``), annotations and undo (``notes``, ``undo``,
``rows``), the analysis cache (``cache``). :mod:`.protocol` is the interface it implements.

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

import uuid
from collections.abc import Callable, Generator, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Self

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import ReanchorReport, Selector
from brief_tui.library.annotations import Annotation
from brief_tui.library.store.briefings import Briefings
from brief_tui.library.store.cache import AnalysisCache
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import BUSY_TIMEOUT_S
from brief_tui.library.store.notes import Notes
from brief_tui.library.store.opening import open_database
from brief_tui.library.store.protocol import (
    BriefingInfo,
    Candidates,
    LibraryStore,
    NoteChanges,
    SearchHit,
)
from brief_tui.library.store.undo import UndoLog


class Store(LibraryStore):
    """One SQLite database of briefings and annotations (a :class:`LibraryStore`). Open it
    with :meth:`Store.open`."""

    def __init__(self, db: Database) -> None:
        #: the open database the rooms work on
        self.db = db
        #: this reader's id in the undo log: its undo never reverses another's actions
        self.session = uuid.uuid4().hex
        self._briefings = Briefings(db)
        self._undo = UndoLog(db, self.session)
        self._notes = Notes(db, self._undo)
        self._cache = AnalysisCache(db)

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

    @property
    def analyst(self) -> str | None:
        """None: the local library is one reader's (its annotations have no author)."""
        return None

    def listen(self, callback: Callable[[str], None]) -> bool:
        """False: the local library does not tell of other readers' changes."""
        del callback
        return False

    def close(self) -> None:
        """Close the database, handing this reader's undo history over (see the module
        docstring) so that the next reader can undo it."""
        with self.db.lock:
            self._undo.hand_over()
            self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    # -- briefings and search ----------------------------------------------------------------
    def add_briefing(
        self, briefing: Briefing, *, meta: dict[str, Any] | None = None
    ) -> BriefingInfo:
        return self._briefings.add_briefing(briefing, meta=meta)

    def touch_briefing(self, briefing_id: str) -> None:
        return self._briefings.touch_briefing(briefing_id)

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        return self._briefings.set_reading_position(briefing_id, offset)

    def reading_position(self, briefing_id: str) -> int | None:
        return self._briefings.reading_position(briefing_id)

    def briefing_date(self, briefing_id: str) -> date | None:
        return self._briefings.briefing_date(briefing_id)

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        return self._briefings.get_briefing(briefing_id)

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]:
        return self._briefings.briefing_meta(briefing_id)

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None:
        return self._briefings.briefing_info(briefing_id)

    def list_briefings(self) -> list[BriefingInfo]:
        return self._briefings.list_briefings()

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        return self._briefings.list_window(
            sort=sort, descending=descending, title_filter=title_filter, limit=limit, offset=offset
        )

    def count_briefings(self, *, title_filter: str = "") -> int:
        return self._briefings.count_briefings(title_filter=title_filter)

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        return self._briefings.search_page(query, limit=limit, offset=offset)

    def first_match(self, briefing_id: str, query: str) -> int | None:
        return self._briefings.first_match(briefing_id, query)

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        return self._briefings.iter_listing()

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        return self._briefings.briefings_from_origin(origin)

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        return self._briefings.search_briefings(query, limit=limit)

    def remove_briefing(self, briefing_id: str) -> int:
        return self._briefings.remove_briefing(briefing_id)

    # -- annotations and undo ----------------------------------------------------------------
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
        return self._notes.add_annotation(
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
        )

    def annotation(self, annotation_id: str) -> Annotation | None:
        return self._notes.annotation(annotation_id)

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        return self._notes.update_annotation(annotation_id, **changes)

    def delete_annotation(self, annotation_id: str) -> Annotation:
        return self._notes.delete_annotation(annotation_id)

    def annotations(self, briefing_id: str) -> list[Annotation]:
        return self._notes.annotations(briefing_id)

    def annotation_changes(self, briefing_id: str, since: int | None = None) -> NoteChanges:
        """Every annotation (the local library does not tell changes apart)."""
        del since
        return NoteChanges(self._notes.annotations(briefing_id), [], None, True)

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        return self._notes.annotations_on(briefing_id, target_type, target_id)

    def all_tags(self) -> list[str]:
        return self._notes.all_tags()

    def undo(self, briefing_id: str | None = None) -> str | None:
        return self._undo.undo(briefing_id)

    def can_undo(self, briefing_id: str | None = None) -> bool:
        return self._undo.can_undo(briefing_id)

    def relocate_annotations(
        self,
        old_id: str,
        new_briefing: Briefing,
        place: Callable[[Selector], Selector | None],
        *,
        keep_old: bool = False,
    ) -> ReanchorReport:
        self._briefings.add_briefing(new_briefing)
        return self._notes.relocate_annotations(old_id, new_briefing, place, keep_old=keep_old)

    # -- the analysis cache ------------------------------------------------------------------
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        return self._cache.get_cached_analysis(
            briefing_id, model_name, model_version, analyser_version
        )

    def put_cached_analysis(self, analysis: Analysis) -> None:
        return self._cache.put_cached_analysis(analysis)

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        return self._cache.latest_cached_analysis(briefing_id)

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates | None:
        return self._cache.across_candidates(keys, limit=limit)

    def index_across(self, briefing_id: str, keys: Iterable[str]) -> None:
        self._cache.index_across(briefing_id, keys)

    def unanalysed_naming(
        self, forms: Sequence[str], *, limit: int
    ) -> list[tuple[BriefingInfo, str | None]] | None:
        return self._cache.unanalysed_naming(forms, limit=limit)

    def claim_counts(self, ids: Sequence[str] | None = None) -> dict[str, int]:
        return self._cache.claim_counts(ids)
