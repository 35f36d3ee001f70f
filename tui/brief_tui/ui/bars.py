"""The reader's two bars: the search box (shown by ``/``) and the status line."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from brief_tui.ui.article import ArticleView
from brief_tui.ui.safe import Static


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel search", id="search.cancel")
    ]

    def action_cancel(self) -> None:
        self.value = ""
        self.display = False
        self.screen.query_one(ArticleView).focus()


class StatusLine(Static):
    """One line: the title, where the view is, the search, the focus, the analysis."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.line = ""

    def show(self, parts: list[str]) -> None:
        line = " │ ".join(parts)
        if line != self.line:  # an unchanged line costs no layout
            self.line = line
            self.update(line, layout=False)  # one line, always as wide: no re-layout
