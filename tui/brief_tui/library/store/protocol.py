"""The store's interface: what the UI, the CLI and the library's other modules (export,
cross-references, re-anchoring) ask of a store, so that another backend (PostgreSQL, say) can
stand behind them. :class:`~brief_tui.library.store.Store` (SQLite) is the one there is.

Every call is one transaction, committed before it returns; failures raise
:class:`~brief_tui.library.store.errors.StoreError` (or a subclass) with a one-line message.
Opening is the backend's own business (``Store.open``): it never raises for a damaged or
unwritable store, it gives a read-only one whose :attr:`~LibraryStore.warning` says why."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, Self

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import ReanchorReport, Selector
from brief_tui.library.annotations import Annotation

#: the orders a window of the library can be listed in: column of the briefings table
SORTS: dict[str, str] = {
    "opened": "b.last_opened_at",
    "added": "b.added_at",
    "title": "b.title COLLATE NOCASE",
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A briefing found by full-text search, with a line of its text around the match;
    ``marks`` are (start, end) of the matched words in ``snippet``."""

    info: BriefingInfo
    snippet: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Candidates:
    """The briefings a look-up across the library reads: those whose indexed analysis
    holds a key (the most recently opened first; ``more`` left out past the limit), and
    the analysed ones not indexed yet (index them, then ask again)."""

    #: each briefing with its date and latest readable cached analysis
    found: list[tuple[BriefingInfo, str | None, Analysis | None]]
    more: int
    unindexed: list[str]


@dataclass(frozen=True, slots=True)
class NoteChanges:
    """What :meth:`LibraryStore.annotation_changes` answers: the annotations changed since
    the mark asked about (``complete``: every annotation of the briefing instead), the ids
    of those removed since, and the mark to ask about next time (None: the store cannot
    tell changes apart: ask for everything again)."""

    notes: list[Annotation]
    removed: list[str]
    mark: int | None
    complete: bool


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


class LibraryStore(Protocol):
    """A library of briefings, the reader's annotations with their undo history, and the
    analysis cache."""

    @property
    def path(self) -> Path | None:
        """The store's file, if it has one (drafts are kept beside it)."""

    @property
    def read_only(self) -> bool:
        """True when writes are refused (each raises ``StoreReadOnly``)."""

    @property
    def warning(self) -> str | None:
        """One line for the user about anything that went wrong while opening, else None."""

    @property
    def analyst(self) -> str | None:
        """Whose annotations this store makes in a shared library (each analyst changes
        only their own); None in a library of one reader's (the local one)."""

    def close(self) -> None:
        """Close the store (this reader's undo history stays undoable by the next one)."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    # -- briefings and search ----------------------------------------------------------------
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

    def touch_briefing(self, briefing_id: str) -> None:
        """Mark a stored briefing opened now."""

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        """Where the reader was in a briefing (a character offset), kept for its next
        opening."""

    def reading_position(self, briefing_id: str) -> int | None: ...

    def briefing_date(self, briefing_id: str) -> date | None:
        """The date stored with a briefing (given with --date or read before), without
        reading its text."""

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        """The stored briefing with its text, format, encoding and (from its meta) author,
        date, url, headings and paragraphs."""

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]: ...

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None: ...

    def list_briefings(self) -> list[BriefingInfo]:
        """Every stored briefing, the most recently opened first."""

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        """One window of the library (``limit`` rows from ``offset``), sorted by ``sort``
        (a key of SORTS) and filtered by a piece of the title, by the database."""

    def count_briefings(self, *, title_filter: str = "") -> int:
        """How many briefings (whose title holds ``title_filter``)."""

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """One page of full-text search hits, best first, each with a snippet."""

    def first_match(self, briefing_id: str, query: str) -> int | None:
        """The offset in the briefing's text of the first word of ``query`` found there (to
        open a search hit at it), None when none is."""

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        """Every briefing in ``list_briefings``' order with its meta and the claim count of
        its latest cached analysis (None when never analysed), one at a time: memory stays
        flat however large the library (for a command line or a worker)."""

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        """Briefings read from ``origin`` (a path or URL), the most recently opened first:
        the earlier versions of a file whose text changed."""

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        """Full-text search over titles and texts (every word must occur, as a prefix)."""

    def remove_briefing(self, briefing_id: str) -> int:
        """Remove a briefing with its annotations, undo history and cached analyses.
        Returns the number of annotations removed. Not undoable: confirm first."""

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
        """Make an annotation and commit it before returning.

        A text annotation needs ``start``/``end`` (the quote and context are cut from the
        stored briefing) or a ready ``selector``; an actor/claim/source annotation needs
        ``target_id`` and may carry a span too. Raises ``ValueError`` for bad fields,
        :class:`StoreReadOnly` on a read-only store."""

    def annotation(self, annotation_id: str) -> Annotation | None: ...

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        """Change fields of an annotation (kind, target_type, target_id, start/end, meaning,
        note, tags, grade, status; ``None`` clears). Committed before returning; undoable.
        Raises ``KeyError`` for an unknown id, ``TypeError`` for an unknown field."""

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Delete an annotation (undoable). Returns it as it was. ``KeyError`` if unknown."""

    def annotations(self, briefing_id: str) -> list[Annotation]:
        """A briefing's annotations in text order; without a text anchor next; orphans last."""

    def annotation_changes(self, briefing_id: str, since: int | None = None) -> NoteChanges:
        """A briefing's annotations changed since ``since`` (a mark from an earlier answer;
        None: all of them), for a reader following other readers' changes without reading
        every note each time. A store that cannot tell answers every annotation."""

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        """Annotations made on one actor, claim or source, oldest first."""

    def all_tags(self) -> list[str]:
        """Every tag in use, for completion: most used first, then alphabetically."""

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Reverse this reader's latest annotation action (of ``briefing_id`` if given): an
        add is deleted, an edit restored, a delete brought back. Returns what was undone,
        e.g. ``"undid: delete highlight “Kim said”"``, or ``None`` when there is nothing to
        undo. Another reader's actions are never undone (see the module docstring)."""

    def can_undo(self, briefing_id: str | None = None) -> bool: ...

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

    # -- the analysis cache ------------------------------------------------------------------
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        """The cached analysis for these exact keys, or ``None`` (also if unreadable, or
        damaged)."""

    def put_cached_analysis(self, analysis: Analysis) -> None:
        """Cache an analysis under its briefing id, model name/version and analyser version."""

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        """The most recent readable cached analysis of a briefing, whatever the model (for
        export and the library's cross-references); ``None`` if none (or damaged)."""

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates | None:
        """The briefings whose latest cached analysis names one of ``keys`` (see
        :func:`brief_tui.library.names.index_keys`); None when this store keeps no such
        index (every analysed briefing is then read)."""

    def index_across(self, briefing_id: str, keys: Iterable[str]) -> None:
        """Index a briefing's latest cached analysis under ``keys`` (a no-op without an
        index)."""

    def unanalysed_naming(
        self, forms: Sequence[str], *, limit: int
    ) -> list[tuple[BriefingInfo, str | None]] | None:
        """Briefings never analysed whose text may hold one of ``forms`` (a superset), at
        most ``limit``, with their dates; None when the store cannot say (read them all)."""

    def claim_counts(self, ids: Sequence[str] | None = None) -> dict[str, int]:
        """The number of claims in the latest readable cached analysis of every analysed
        briefing (briefings never analysed are absent), or of the briefings ``ids`` only (a
        window of the library). Counted by the database, without parsing the analyses."""

    # -- live --------------------------------------------------------------------------------
    def listen(self, callback: Callable[[str], None]) -> bool:
        """Call ``callback(briefing_id)`` (in a thread of the store's) whenever any reader
        changes a briefing's annotations, until :meth:`close`. False when this library
        cannot tell (the local one: one reader's)."""


class WithoutAcrossIndex:
    """What a store that keeps no index of the names its analyses hold (a team library's)
    answers: Across and Figures then read every analysed briefing."""

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates | None:
        return None

    def index_across(self, briefing_id: str, keys: Iterable[str]) -> None:
        pass

    def unanalysed_naming(
        self, forms: Sequence[str], *, limit: int
    ) -> list[tuple[BriefingInfo, str | None]] | None:
        return None
