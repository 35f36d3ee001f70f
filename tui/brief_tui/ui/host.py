"""What the reader screen offers the collaborators it owns (the Annotator, the Reading
controller): a Protocol, so that they are typed against the screen without importing it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.message import Message
from textual.notifications import SeverityLevel

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding

    from brief_tui.analysis.model import Analysis
    from brief_tui.briefing import Briefing
    from brief_tui.library.annotations import Annotation
    from brief_tui.library.store.protocol import LibraryStore as Store
    from brief_tui.ui.article import ArticleView
    from brief_tui.ui.palette import Marks
    from brief_tui.ui.panel import SidePanel


@dataclass(frozen=True, slots=True)
class ReadingFilter:
    """What the text is filtered to: ``kind`` (see reading.FILTER_KINDS), its target."""

    kind: str
    target: str | None = None
    label: str = ""


class ReaderHost(Protocol):
    """The reader screen, as its collaborators see it."""

    #: the status line's focus part ("actor X: 3 mentions", "selection: 40 characters")
    focus_label: str

    @property
    def app(self) -> App[object]: ...
    @property
    def briefing(self) -> Briefing: ...
    @property
    def analysis(self) -> Analysis | None: ...
    @property
    def store(self) -> Store | None: ...
    @property
    def marks(self) -> Marks: ...
    @property
    def annotations(self) -> list[Annotation]: ...
    @property
    def selection(self) -> tuple[int, int] | None: ...
    @property
    def read_only_reason(self) -> str | None: ...
    @property
    def data_dir(self) -> Path | None: ...
    @property
    def export_dir(self) -> Path | None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None: ...
    def post_message(self, message: Message) -> bool: ...
    def article(self) -> ArticleView | None: ...
    def panel(self) -> SidePanel | None: ...
    def update_status(self) -> None: ...
    def jump_to_actor(self, actor_id: str, *, at: int | None = None) -> None: ...
    def jump_to_source(self, source_id: str) -> None: ...
    def cites(self, source_id: str | None, origin: str | None) -> bool: ...


@runtime_checkable
class CommandsHost(Protocol):
    """The reader screen, as the command palette's provider sees it."""

    @property
    def analysis(self) -> Analysis | None: ...

    def all_bindings(self) -> list[tuple[str, list[Binding]]]: ...
    def panel(self) -> SidePanel | None: ...
    def run_article_action(self, action: str) -> None: ...
    def set_filter(self, flt: ReadingFilter | None) -> None: ...
    def jump_to_actor(self, actor_id: str, *, at: int | None = None) -> None: ...
    def jump_to_source(self, source_id: str) -> None: ...
    def grade_source(self, source_id: str) -> None: ...
