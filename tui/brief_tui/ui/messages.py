"""What the reader's workers tell the reader screen. A worker never touches a widget: it
posts one of these (``post_message`` is safe from any thread) and the screen's handlers
update what is shown, on the UI thread, in the order they were posted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.notifications import SeverityLevel

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis
    from brief_tui.briefing import Briefing
    from brief_tui.briefing.dates import DatedEvent
    from brief_tui.library.annotations import Annotation
    from brief_tui.library.store.protocol import LibraryStore as Store


class SessionMessage(Message):
    """A message about one briefing's session (``briefing_id``: a late message about a
    briefing no longer shown is dropped)."""

    def __init__(self, briefing_id: str) -> None:
        super().__init__()
        self.briefing_id = briefing_id


class StoreOpened(SessionMessage):
    """The library's store is open (``library_first``: show the library before the text)."""

    def __init__(self, briefing_id: str, store: Store, *, library_first: bool = False) -> None:
        super().__init__(briefing_id)
        self.store = store
        self.library_first = library_first


class StoreReadOnly(SessionMessage):
    """The store can be read but not written: notes are not saved."""

    def __init__(self, briefing_id: str, reason: str) -> None:
        super().__init__(briefing_id)
        self.reason = reason


class BriefingRemembered(SessionMessage):
    """The briefing is in the library; ``briefing`` may carry a date remembered from before."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(briefing.id)
        self.briefing = briefing


class PositionKnown(SessionMessage):
    """Where the reader was in this briefing last time."""

    def __init__(self, briefing_id: str, offset: int) -> None:
        super().__init__(briefing_id)
        self.offset = offset


class NotesChanged(SessionMessage):
    """What the store holds for the briefing now (read in a worker)."""

    def __init__(self, briefing_id: str, annotations: list[Annotation]) -> None:
        super().__init__(briefing_id)
        self.annotations = annotations


class LibraryChanged(SessionMessage):
    """A reader (another analyst's, or this one's) changed the annotations of a briefing in
    a shared library (posted from the store's listening thread); "": any briefing may have
    (the store listens again after a lost connection)."""


class AnalysisProgress(SessionMessage):
    """The analysis state changed: ``state`` for the panel's state line, ``fraction`` done
    (None: no bar); ``analysis`` the partial result so far, if there is one."""

    def __init__(
        self,
        briefing_id: str,
        state: str = "",
        fraction: float | None = 0.0,
        analysis: Analysis | None = None,
    ) -> None:
        super().__init__(briefing_id)
        self.state = state
        self.fraction = fraction
        self.analysis = analysis


class AnalysisReady(SessionMessage):
    """The complete analysis; ``source`` is "cache" or "spacy"."""

    def __init__(self, briefing_id: str, analysis: Analysis, source: str) -> None:
        super().__init__(briefing_id)
        self.analysis = analysis
        self.source = source


class ModelMissing(SessionMessage):
    """No language model could be loaded: ``message`` says how to install one."""

    def __init__(self, briefing_id: str, message: str) -> None:
        super().__init__(briefing_id)
        self.message = message


class TimelineReady(SessionMessage):
    """The Timeline tab's dated events (found when the tab is first shown)."""

    def __init__(self, briefing_id: str, events: list[DatedEvent], text: str, dated: bool) -> None:
        super().__init__(briefing_id)
        self.events = events
        self.text = text
        self.dated = dated


class Notice(Message):
    """A notification for the reader, raised in a worker."""

    def __init__(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        super().__init__()
        self.message = message
        self.title = title
        self.severity: SeverityLevel = severity
        self.timeout = timeout


class SaveFinished(Message):
    """A store write made in a worker has ended (posted from the worker thread)."""

    def __init__(
        self, token: int, result: Any, error: str | None, annotations: list[Annotation] | None
    ) -> None:
        super().__init__()
        self.token = token
        self.result = result
        #: the one-line reason it failed, or None
        self.error = error
        #: what the store holds for the briefing after the write (None: could not be read)
        self.annotations = annotations
