"""The team library: the same :class:`LibraryStore` on a PostgreSQL server several analysts
share, through psycopg 3 and its connection pool.

Every call is one transaction, committed before it returns. Each annotation records its
author (the analyst this store was opened for) and when; an analyst changes and deletes
only their own (:class:`NotYours` otherwise). Undo is per analyst and per reader: a store's
undo reverses its own session's actions, then those its analyst's earlier readers handed
over when they closed. Reading positions are each analyst's own. Search is PostgreSQL's
text search (English stemming, web-search syntax: "a phrase", or, -word; the words match as
prefixes). Each annotation action notifies the channel :data:`CHANNEL` with the briefing's id,
so that other readers can show it at once.

:class:`PgStore` is the one face; its rooms do the work: the pool and its transactions
(``connection``), briefings and search (``briefings``, ``windows``), annotations (``notes``)
and their undo (``undo``), the analysis cache (``cache``), other readers' changes
(``listening``).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any, Self

from psycopg_pool import ConnectionPool

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import ReanchorReport, Selector
from brief_tui.library.annotations import Annotation
from brief_tui.library.store.errors import StoreError
from brief_tui.library.store.postgres import briefings, cache, notes, undo, windows
from brief_tui.library.store.postgres.connection import (
    CHANNEL,
    CONNECT_TIMEOUT_S,
    Conn,
    open_pool,
    redacted,
    transaction,
)
from brief_tui.library.store.postgres.listening import start_listener
from brief_tui.library.store.postgres.notes import new_annotation
from brief_tui.library.store.postgres.schema import schema_version
from brief_tui.library.store.protocol import (
    BriefingInfo,
    LibraryStore,
    NoteChanges,
    SearchHit,
    WithoutAcrossIndex,
)

# (the names other modules import from here)
__all__ = ["CHANNEL", "PgStore", "new_annotation", "redacted"]


class PgStore(WithoutAcrossIndex, LibraryStore):
    """A team library on PostgreSQL (a :class:`LibraryStore`). Open it with
    :meth:`PgStore.open`."""

    def __init__(self, pool: ConnectionPool[Any], url: str, analyst: str) -> None:
        self.pool = pool
        self.url = url
        self._analyst = analyst
        #: this reader's id in the undo log
        self.session = uuid.uuid4().hex
        self._warning: str | None = None
        self._read_only = False
        self._closed = False
        self._listener: threading.Thread | None = None
        self._stop_listening = threading.Event()

    @classmethod
    def open(
        cls,
        url: str,
        *,
        analyst: str,
        pool_size: int = 4,
        timeout: float = CONNECT_TIMEOUT_S,
    ) -> PgStore:
        """Connect (the pool's first connection at once), migrating the schema if needed.
        Raises :class:`StoreUnavailable` when the server cannot be reached; a database made
        by a newer brief-tui opens read-only with a :attr:`warning`."""
        pool, too_new = open_pool(url, pool_size=pool_size, timeout=timeout)
        store = cls(pool, url, analyst)
        if too_new is not None:
            store._read_only, store._warning = True, too_new
        return store

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Conn]:
        """One transaction on a pooled connection; psycopg's errors leave as StoreErrors."""
        refused = None
        if write and self._read_only:
            refused = self._warning or "the team library is read-only"
        with transaction(self.pool, self.url, refused=refused) as conn:
            yield conn

    @property
    def path(self) -> Path | None:
        return None

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def warning(self) -> str | None:
        return self._warning

    @property
    def analyst(self) -> str:
        """The analyst whose annotations this store makes (and may change)."""
        return self._analyst

    @property
    def schema_version(self) -> int:
        with self._tx(write=False) as conn:
            return schema_version(conn)

    def close(self) -> None:
        """Hand this reader's undo history over to the analyst's next reader, stop
        listening, close the pool."""
        if self._closed:
            return
        self._closed = True
        self._stop_listening.set()
        if not self._read_only:
            with suppress(StoreError), self._tx() as conn:
                undo.hand_over(conn, self.session)
        self.pool.close(timeout=2)
        if self._listener is not None:
            self._listener.join(timeout=3)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- briefings and search ----------------------------------------------------------------
    def add_briefing(
        self, briefing: Briefing, *, meta: dict[str, Any] | None = None
    ) -> BriefingInfo:
        return briefings.add_briefing(self, briefing, meta=meta)

    def touch_briefing(self, briefing_id: str) -> None:
        briefings.touch_briefing(self, briefing_id)

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        briefings.set_reading_position(self, briefing_id, offset)

    def reading_position(self, briefing_id: str) -> int | None:
        return briefings.reading_position(self, briefing_id)

    def briefing_date(self, briefing_id: str) -> date | None:
        return briefings.briefing_date(self, briefing_id)

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        return briefings.get_briefing(self, briefing_id)

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]:
        return briefings.briefing_meta(self, briefing_id)

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None:
        return briefings.briefing_info(self, briefing_id)

    def list_briefings(self) -> list[BriefingInfo]:
        return briefings.list_briefings(self)

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        return windows.list_window(
            self,
            sort=sort,
            descending=descending,
            title_filter=title_filter,
            limit=limit,
            offset=offset,
        )

    def count_briefings(self, *, title_filter: str = "") -> int:
        return windows.count_briefings(self, title_filter=title_filter)

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        return windows.search_page(self, query, limit=limit, offset=offset)

    def first_match(self, briefing_id: str, query: str) -> int | None:
        return windows.first_match(self, briefing_id, query)

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        return windows.iter_listing(self)

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        return briefings.briefings_from_origin(self, origin)

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        """PostgreSQL's text search over titles and texts: web-search syntax ("a phrase",
        or, -word), English stemming, every word matching as a prefix; titles rank first."""
        return briefings.search_briefings(self, query, limit=limit)

    def remove_briefing(self, briefing_id: str) -> int:
        """Remove a briefing with its annotations, undo history and cached analyses; refused
        (:class:`NotYours`) while it holds other analysts' annotations."""
        return briefings.remove_briefing(self, briefing_id)

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
        a = new_annotation(
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
        )
        return notes.insert_annotation(self, a)

    def insert_annotation(self, a: Annotation, *, write_id: str | None = None) -> Annotation:
        """Store a made annotation (its quote cut on the server if it has a span but no
        quote yet). Idempotent by its id, and by ``write_id`` (a write kept while offline,
        applied once whatever happens between its commit and the caller learning of it)."""
        return notes.insert_annotation(self, a, write_id=write_id)

    def copy_in(self, a: Annotation) -> bool:
        """Store an annotation made elsewhere (``library push``) as it is, with its id, its
        author (this analyst if it has none) and times; not an action to undo. False when
        the library already holds that id."""
        return notes.copy_in(self, a)

    def push_in(self, a: Annotation) -> str:
        """``library push`` of one annotation: "added", "updated" (the analyst's own, changed
        in the copy later), "theirs" (another analyst's: left as it is) or "same"."""
        return notes.push_in(self, a)

    def annotation(self, annotation_id: str) -> Annotation | None:
        return notes.annotation(self, annotation_id)

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        return notes.apply_update(self, annotation_id, changes)

    def apply_update(
        self, annotation_id: str, changes: dict[str, Any], *, write_id: str | None = None
    ) -> Annotation:
        """:meth:`update_annotation`, once per ``write_id`` when one is given."""
        return notes.apply_update(self, annotation_id, changes, write_id=write_id)

    def delete_annotation(self, annotation_id: str) -> Annotation:
        return notes.apply_delete(self, annotation_id)

    def apply_delete(self, annotation_id: str, *, write_id: str | None = None) -> Annotation:
        """:meth:`delete_annotation`, once per ``write_id`` when one is given."""
        return notes.apply_delete(self, annotation_id, write_id=write_id)

    def annotations(self, briefing_id: str) -> list[Annotation]:
        return notes.annotations_of(self, briefing_id)

    def annotation_changes(self, briefing_id: str, since: int | None = None) -> NoteChanges:
        """What changed since the mark ``since``: each row and removal carries the
        transaction that wrote it; the mark is the oldest transaction running at the read."""
        return notes.annotation_changes(self, briefing_id, since)

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        return notes.annotations_on(self, briefing_id, target_type, target_id)

    def all_tags(self) -> list[str]:
        return notes.all_tags(self)

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Reverse this reader's latest action (else the latest its analyst's earlier readers
        handed over); never another analyst's."""
        return undo.undo(self, briefing_id)

    def can_undo(self, briefing_id: str | None = None) -> bool:
        return undo.can_undo(self, briefing_id)

    def relocate_annotations(
        self,
        old_id: str,
        new_briefing: Briefing,
        place: Callable[[Selector], Selector | None],
        *,
        keep_old: bool = False,
    ) -> ReanchorReport:
        briefings.add_briefing(self, new_briefing)
        return notes.relocate_annotations(self, old_id, new_briefing, place, keep_old=keep_old)

    # -- the analysis cache ------------------------------------------------------------------
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        return cache.get_cached_analysis(
            self, briefing_id, model_name, model_version, analyser_version
        )

    def put_cached_analysis(self, analysis: Analysis) -> None:
        cache.put_cached_analysis(self, analysis)

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        return cache.latest_cached_analysis(self, briefing_id)

    def claim_counts(self, ids: Sequence[str] | None = None) -> dict[str, int]:
        return cache.claim_counts(self, ids)

    # -- live: other readers' changes ----------------------------------------------------------
    def listen(self, callback: Callable[[str], None]) -> bool:
        """Call ``callback(briefing_id)`` (in a thread of the store's) whenever any reader
        changes the annotations of a briefing in this library, until :meth:`close`. A lost
        connection is made again (changes meanwhile are not replayed: read again)."""
        if self._listener is not None:
            raise RuntimeError("already listening")
        self._listener = start_listener(self.url, self._stop_listening, callback)
        return True
