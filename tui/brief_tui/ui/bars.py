"""The reader's two bars: the search box (shown by ``/``) and the status line."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
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


#: the fewest characters of the title the status line shows (else it shows none)
MIN_TITLE = 12


class StatusLine(Static):
    """One line: the title, where the view is, the search, the focus, the analysis."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.line = ""
        self.parts: list[str] = []

    def show(self, parts: list[str]) -> None:
        """``parts[0]`` is the title: where the line is too long for the terminal (80
        columns), the title gives up its room first, so that what the reader is doing
        (a selection, a filter, the search) stays in view."""
        self.parts = parts
        line = " │ ".join(parts)
        room = self.content_region.width
        # measured in cells: a CJK title takes two a character
        if 0 < room < cell_len(line) and len(parts) > 1:
            rest = " │ ".join(parts[1:])
            keep = room - cell_len(rest) - len(" │ ")
            title = parts[0]
            if keep >= MIN_TITLE:
                cut = set_cell_size(title, keep - 1).rstrip()
                line = f"{cut}… │ {rest}" if cell_len(title) > keep else line
            else:
                line = rest
        if line != self.line:  # an unchanged line costs no layout
            self.line = line
            self.update(line, layout=False)  # one line, always as wide: no re-layout

    def on_resize(self) -> None:
        self.show(self.parts)
