"""The library's rows drawn line by line (Textual's Line API) from windows the database
hands out: the table knows how many rows there are, holds a few pages of them, and asks
for a page (:class:`WindowTable.Wanted`) when a line it has not got comes into view. A
library of 100,000 briefings costs a screenful of rows, whatever the row shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from brief_tui.briefing.untrusted import clean_line
from brief_tui.ui.panel.base import content_size
from brief_tui.ui.panel.lines import rows_css, text_strip

#: rows fetched at once
PAGE = 100
#: pages held (the rest are fetched again when they come back into view)
PAGES_HELD = 12


@dataclass(frozen=True, slots=True)
class TableColumn:
    key: str
    label: str
    #: cells wide (0: what the other columns leave)
    width: int
    align: str = "left"
    #: a row's value as the cell shows it
    cell: Callable[[dict[str, Any]], str | Text] = lambda row: ""
    #: left out of a table narrower than this (the title keeps room to be read at 80 columns)
    narrow: int = 0


class WindowTable(ScrollView, can_focus=True):
    """``total`` rows of dicts, held by pages; rows not yet read are drawn as "…"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Down", id="library.down", show=False),
        Binding("k,up", "cursor(-1)", "Up", id="library.up", show=False),
        Binding("g,home", "edge(0)", "First", id="library.first", show=False),
        Binding("G,end", "edge(1)", "Last", id="library.last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="library.page_down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", id="library.page_up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "window-table--cursor",
        "window-table--header",
        "window-table--odd",
        "window-table--missing",
    }

    DEFAULT_CSS = rows_css(
        "WindowTable", "window-table", "& > .window-table--missing { color: $text-muted; }"
    )

    virtual_size = content_size()

    class Wanted(Message):
        """The page starting at row ``offset`` is needed (of the table's ``generation``)."""

        def __init__(self, table: WindowTable, offset: int, generation: int) -> None:
            super().__init__()
            self.table = table
            self.offset = offset
            self.generation = generation

    class Chosen(Message):
        """Enter (or a click) on a row that has been read."""

        def __init__(self, row: dict[str, Any]) -> None:
            super().__init__()
            self.row = row

    def __init__(self, columns: Sequence[TableColumn], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.total = 0
        #: bumped when the rows change (another order, filter, a removal): late pages of an
        #: earlier generation are dropped
        self.generation = 0
        self._pages: LRUCache[int, list[dict[str, Any]]] = LRUCache(PAGES_HELD)
        self._asked: set[int] = set()
        self._cursor = 0
        self._styles: tuple[Style, ...] | None = None

    # ------------------------------------------------------------------ rows
    def reset(
        self, total: int, rows: list[dict[str, Any]], *, start: int = 0, cursor: int = 0
    ) -> None:
        """A new set of rows: ``total`` of them, the page at ``start`` already read."""
        self.generation += 1
        self.total = max(0, total)
        self._pages.clear()
        self._asked.clear()
        self._pages.set(start, rows)
        self._cursor = max(0, min(cursor, self.total - 1))
        self.virtual_size = Size(self.size.width, self.total + 1)
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    def add_page(self, offset: int, rows: list[dict[str, Any]], generation: int) -> None:
        """A page read for ``generation`` (dropped when the rows changed since)."""
        if generation != self.generation:
            return
        self._asked.discard(offset)
        self._pages.set(offset, rows)
        self.refresh()

    def row(self, index: int) -> dict[str, Any] | None:
        """Row ``index`` if it has been read (else it is asked for)."""
        if not 0 <= index < self.total:
            return None
        start = index - index % PAGE
        page = self._pages.get(start)
        if page is None:
            if start not in self._asked:
                self._asked.add(start)
                self.post_message(self.Wanted(self, start, self.generation))
            return None
        return page[index - start] if index - start < len(page) else None

    @property
    def rows_held(self) -> int:
        """How many rows the table holds now (a few pages, however many there are)."""
        return sum(len(self._pages.get(k) or ()) for k in list(self._pages.keys()))

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_count(self) -> int:
        return self.total

    def selected(self) -> dict[str, Any] | None:
        return self.row(self._cursor) if self.total else None

    # ------------------------------------------------------------------ drawing
    def _get_styles(self) -> tuple[Style, ...]:
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("window-table--cursor", partial=True),
                self.get_component_rich_style("window-table--header", partial=True),
                self.get_component_rich_style("window-table--odd", partial=True),
                self.get_component_rich_style("window-table--missing", partial=True),
            )
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def on_focus(self) -> None:
        self._styles = None
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base, cursor, header, odd, missing = self._get_styles()
        columns = self._shown(width)
        if y == 0:
            cells = [Text(c.label, style=header, end="") for c in columns]
            return self._strip(self._line(columns, cells, width), base, width)
        index = int(self.scroll_offset.y) + y - 1
        if not 0 <= index < self.total:
            return Strip.blank(width, base)
        style = base + odd if index % 2 else base
        if index == self._cursor:
            style = style + cursor
        row = self.row(index)
        if row is None:
            return self._strip(Text("…", style=missing, end=""), style, width)
        cells = [self._cell(c, row) for c in columns]
        return self._strip(self._line(columns, cells, width), style, width)

    @staticmethod
    def _cell(column: TableColumn, row: dict[str, Any]) -> Text:
        value = column.cell(row)
        if isinstance(value, Text):
            return Text(clean_line(value.plain), style=value.style, end="")
        return Text(clean_line(value), end="")

    def _shown(self, width: int) -> tuple[TableColumn, ...]:
        return tuple(c for c in self.columns if c.narrow <= width)

    @staticmethod
    def _line(columns: Sequence[TableColumn], cells: Sequence[Text], width: int) -> Text:
        fixed = sum(c.width + 1 for c in columns if c.width)
        line = Text(end="")
        for col, cell in zip(columns, cells, strict=True):
            room = col.width or max(1, width - fixed - 1)
            if cell.cell_len > room:
                cell.truncate(room, overflow="ellipsis")
            cell.align(col.align, room)  # type: ignore[arg-type]
            line.append_text(cell)
            line.append(" ")
        return line

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        return text_strip(self.app.console, text, style, width)

    # ------------------------------------------------------------------ the cursor
    def move_cursor(self, row: int) -> None:
        if not self.total:
            return
        self._cursor = max(0, min(row, self.total - 1))
        self.refresh()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self._cursor + step)

    def action_edge(self, end: int) -> None:
        self.move_cursor(self.total - 1 if end else 0)

    def action_page(self, n: int) -> None:
        self.move_cursor(self._cursor + n * max(1, self.scrollable_content_region.height - 2))

    def choose(self) -> None:
        row = self.selected()
        if row is not None:
            self.post_message(self.Chosen(row))

    def on_click(self, event: events.Click) -> None:
        """A click chooses the row under it (as enter does)."""
        index = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.total:
            self.move_cursor(index)
            self.choose()
