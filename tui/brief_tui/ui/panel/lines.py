"""A list of the side panel drawn line by line (Textual's Line API, as the article is):
rows of cells in columns, or rows of wrapped text, with a cursor row and the keys every list
of the panel shares. Only the lines on screen are drawn, so a list of thousands of rows costs
its rows' data and nothing more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from brief_tui.briefing.untrusted import clean_line, is_clean
from brief_tui.ui.panel.base import PanelList, content_size
from brief_tui.ui.wrap import wrap_paragraph

#: a column other than the last is at most this wide (the last takes what is left)
MAX_COLUMN = 24
#: the room the last column keeps (a source's name, a note): the others are cut to leave it
LAST_COLUMN = 16


def words(value: object, style: str | Style = "") -> Text:
    """Words from anywhere (a document, the store) as one line of text, never markup."""
    return Text(clean_line(str(value)), style=style, end="")


def fitted(widths: Sequence[int], width: int) -> list[int]:
    """Column widths (but the last's) cut, the widest first, so that the last column keeps
    LAST_COLUMN cells (or half the list) of ``width``: in a narrow panel the team's grades
    and long analyst names took every cell, and a source's name or a note was not shown."""
    out = list(widths)
    room = width - len(out) - min(LAST_COLUMN, width // 2)
    while out and sum(out) > room and max(out) > 3:
        widest = out.index(max(out))
        out[widest] -= 1
    return out


def rows_css(widget: str, prefix: str, extra: str = "") -> str:
    """The look every line-drawn list shares (the panel's lists, the library's table): a
    header, striped rows, a cursor that stands out while the list has the focus."""
    return f"""
    {widget} {{
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .{prefix}--header {{ text-style: bold; color: $text-accent; }}
        & > .{prefix}--odd {{ background: $surface-lighten-1 20%; }}
        & > .{prefix}--cursor {{
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }}
        &:focus > .{prefix}--cursor {{
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }}
        {extra}
    }}
    """


def text_strip(
    console: Console, text: Text, style: Style, width: int, over: Style | None = None
) -> Strip:
    """``text`` drawn over ``style`` (and under ``over``) as a line of ``width`` cells."""
    segments = list(Segment.apply_style(text.render(console), style, over))
    return Strip(segments).extend_cell_length(width, style).crop(0, width)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    align: str = "left"


@dataclass(slots=True)
class Row:
    """One item: ``key`` None for a line that cannot be chosen (a heading, a "…and N
    more"); ``cells`` one per column, or (a list without columns) one text per wrapped part;
    ``gap`` a blank line before it."""

    key: str | None
    cells: tuple[Text, ...]
    gap: bool = False


def _safe(text: Text) -> Text:
    """The last guard before the terminal: a text holding a control is drawn cleaned."""
    if is_clean(text.plain) and "\n" not in text.plain:
        return text
    return Text(clean_line(text.plain), style=text.style, end="")


class LineList(PanelList, ScrollView, can_focus=True):
    """A list of rows drawn by ``render_line``; ``COLUMNS`` makes it a table with a header."""

    COLUMNS: ClassVar[tuple[Column, ...]] = ()

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns drawn now (a list may show more in some libraries)."""
        return self.COLUMNS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Jump to it", id="panel.choose"),
        Binding("j,down", "cursor_down", "Down", id="panel.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="panel.up", show=False),
        Binding("g,home", "first", "Top", id="panel.top", show=False),
        Binding("G,end", "last", "Bottom", id="panel.bottom", show=False),
        Binding("pagedown", "page(1)", "Page down", id="panel.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="panel.page_up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--cursor",
        "line-list--header",
        "line-list--odd",
    }

    DEFAULT_CSS = rows_css("LineList", "line-list")

    virtual_size = content_size()

    def __init__(self, kind: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        if kind:
            self.kind = kind
        self.rows: list[Row] = []
        self._keys: dict[str, int] = {}
        self._cursor = 0
        #: (row, part, start, end) of every line at ``_width``; row -1: a blank line
        self._lines: list[tuple[int, int, int, int]] = []
        #: the first line of each row
        self._first: list[int] = []
        self._width = -1
        self._widths: list[int] = []
        #: the same, narrowed to leave the last column room at the current width
        self._fitted: list[int] = []
        self._strips: LRUCache[int, Strip] = LRUCache(256)
        self._styles: tuple[Style, Style, Style, Style] | None = None
        #: the cursor's row is brought into view once the list has a size
        self._scroll_pending = False
        #: told the selected item's detail whenever the selection or the rows change
        self.on_select: Callable[[Text | None], None] | None = None
        self._measure()

    # ------------------------------------------------------------------ rows
    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show these rows; the cursor stays on the row number it was on."""
        self.rows = list(rows)
        self._keys = {r.key: i for i, r in enumerate(self.rows) if r.key is not None}
        self._measure()
        self._width = -1  # laid out again at the next draw
        self._cursor = self._selectable(min(self._cursor, max(0, len(self.rows) - 1)), 1)
        self._layout()
        self.refresh()
        self._selected()

    def detail(self, key: str) -> Text | None:
        """The item ``key`` shown whole (lists with a detail area say how)."""
        del key
        return None

    def _selected(self) -> None:
        if self.on_select is not None:
            key = self.selected_key()
            self.on_select(self.detail(key) if key is not None else None)

    def _measure(self) -> None:
        """The columns' widths (but the last's): their widest cell, at most MAX_COLUMN."""
        self._widths = [
            min(
                MAX_COLUMN,
                max(
                    cell_len(col.label),
                    max((r.cells[i].cell_len for r in self.rows if len(r.cells) > i), default=0),
                ),
            )
            for i, col in enumerate(self.columns[:-1])
        ]
        self._fitted = fitted(self._widths, self._width) if self._width > 0 else self._widths

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def holds(self, key: str) -> bool:
        return key in self._keys

    def get_row_index(self, key: str) -> int:
        """The row of the item ``key`` (KeyError when the list does not hold it)."""
        return self._keys[key]

    def row_key(self, row: int) -> str | None:
        return self.rows[row].key

    def row_text(self, row: int) -> str:
        """A row's words, its cells or parts joined by two spaces (as tests read them)."""
        return "  ".join(c.plain for c in self.rows[row].cells)

    def get_column_index(self, column: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == column)

    def get_cell(self, key: str, column: str) -> Text:
        return self.rows[self._keys[key]].cells[self.get_column_index(column)]

    def get_cell_at(self, coordinate: tuple[int, int]) -> Text:
        row, col = coordinate
        return self.rows[row].cells[col]

    def selected_key(self) -> str | None:
        if not self.rows:
            return None
        return self.rows[self._cursor].key

    # ------------------------------------------------------------------ layout
    @property
    def _header(self) -> int:
        return 1 if self.columns else 0

    def _layout(self) -> None:
        """Lines for the current width (a table's rows are one line each, cut; text rows
        wrap)."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._fitted = fitted(self._widths, width)
        self._strips.clear()
        lines: list[tuple[int, int, int, int]] = []
        first: list[int] = []
        table = bool(self.columns)
        for r, row in enumerate(self.rows):
            if row.gap:
                lines.append((-1, 0, 0, 0))
            first.append(len(lines))
            if table:
                lines.append((r, 0, 0, 0))
                continue
            for p, part in enumerate(row.cells):
                plain = part.plain
                if len(plain) <= width and cell_len(plain) <= width:
                    lines.append((r, p, 0, len(plain)))
                else:
                    lines.extend(
                        (r, p, s, e) for s, e in wrap_paragraph(plain, 0, len(plain), width)
                    )
        self._lines, self._first = lines, first
        self.virtual_size = Size(width, len(lines) + self._header)
        if self._scroll_pending:
            self._scroll_pending = False
            self._scroll_to_cursor()

    def on_resize(self) -> None:
        self._layout()
        self.refresh()

    def on_mount(self) -> None:
        self._layout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def on_focus(self) -> None:
        self._styles = None
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    # ------------------------------------------------------------------ drawing
    def _get_styles(self) -> tuple[Style, Style, Style, Style]:
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("line-list--cursor", partial=True),
                self.get_component_rich_style("line-list--header", partial=True),
                self.get_component_rich_style("line-list--odd", partial=True),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = max(0, self._width)
        base, cursor, header, odd = self._get_styles()
        if self._header and y == 0:
            cells = [Text(c.label, style=header, end="") for c in self.columns]
            return self._strip(self._table_line(cells), base, width)
        index = int(self.scroll_offset.y) + y - self._header
        strip = self._strips.get(index)
        if strip is not None:
            return strip
        if not 0 <= index < len(self._lines) or self._lines[index][0] < 0:
            return Strip.blank(width, base)
        r, p, s, e = self._lines[index]
        row = self.rows[r]
        if self.columns:
            text = self._table_line(row.cells)
        else:
            part = _safe(row.cells[p])
            text = part if (s, e) == (0, len(part.plain)) else part[s:e]
        style = base
        if self._header and r % 2:
            style = base + odd
        over = None
        if r == self._cursor and row.key is not None:
            style = style + cursor
            # the cursor's colours over the row's own (a hedge's colour on the cursor's
            # background was hard to read); bold, italic and the rest stay
            over = Style(color=cursor.color, bgcolor=cursor.bgcolor)
        strip = self._strip(text, style, width, over)
        self._strips.set(index, strip)
        return strip

    def _strip(self, text: Text, style: Style, width: int, over: Style | None = None) -> Strip:
        return text_strip(self.app.console, text, style, width, over)

    def _table_line(self, cells: Sequence[Text]) -> Text:
        line = Text(end="")
        last = len(self.columns) - 1
        for i, col in enumerate(self.columns):
            cell = _safe(cells[i]) if i < len(cells) else Text()
            if i < last:
                cell = cell.copy()
                if cell.cell_len > self._fitted[i]:
                    cell.truncate(self._fitted[i], overflow="ellipsis")
                cell.align(col.align, self._fitted[i])  # type: ignore[arg-type]
                line.append_text(cell)
                line.append(" ")
            else:
                room = max(1, self._width - line.cell_len)
                if cell.cell_len > room:
                    cell = cell.copy()
                    cell.truncate(room, overflow="ellipsis")
                line.append_text(cell)
        return line

    # ------------------------------------------------------------------ the cursor
    def _selectable(self, row: int, step: int) -> int:
        """``row`` if it can be chosen, else the nearest that can in ``step``'s direction
        (then the other way)."""
        n = len(self.rows)
        for direction in (step, -step):
            i = row
            while 0 <= i < n:
                if self.rows[i].key is not None:
                    return i
                i += direction
        return max(0, min(row, n - 1))

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (or the nearest row that can be chosen)."""
        if not self.rows:
            return
        step = 1 if row >= self._cursor else -1
        old, self._cursor = (
            self._cursor,
            self._selectable(max(0, min(row, len(self.rows) - 1)), step),
        )
        if old != self._cursor:
            self._strips.clear()
            self.refresh()
            self._selected()
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if self._width <= 0 or not self._first:
            self._scroll_pending = True
            return
        first = self._first[self._cursor]
        nxt = self._cursor + 1
        last = (self._first[nxt] if nxt < len(self._first) else len(self._lines)) - 1
        height = max(1, self.scrollable_content_region.height - self._header)
        top = int(self.scroll_offset.y)
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=min(first, last - height + 1), animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        if self._cursor + 1 < len(self.rows):
            self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        if self._cursor > 0:
            self.move_cursor(row=self._cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_page(self, n: int) -> None:
        if not self._first:
            return
        height = max(1, self.scrollable_content_region.height - self._header - 1)
        target = self._first[self._cursor] + n * height
        row = max(0, min(len(self.rows) - 1, self._row_at_line(target)))
        self.move_cursor(row=row)

    def _row_at_line(self, line: int) -> int:
        from bisect import bisect_right

        return bisect_right(self._first, line) - 1

    def action_choose(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.post_message(self.Chosen(self.kind, key))

    def on_click(self, event: events.Click) -> None:
        """A click chooses the row under it (as enter does)."""
        line = int(self.scroll_offset.y) + event.y - self._header
        if not 0 <= line < len(self._lines) or self._lines[line][0] < 0:
            return
        row = self._lines[line][0]
        if self.rows[row].key is None:
            return
        self.move_cursor(row=row, scroll=False)
        self.action_choose()
