"""The library: every briefing ever opened, most recently opened first.

The rows come from the database a window at a time (:class:`WindowTable`): sorting (``s``
cycles last opened / added / title, ``r`` reverses) and the title filter (``f``) are done by
SQLite, so a library of 100,000 briefings costs a screenful. ``/`` searches titles and texts
(FTS5): a page of hits, each with a line of its text around the match; enter on a hit opens
the briefing at the match. ``D`` removes a briefing after a confirmation that says how many
annotations go with it; q or escape closes (dismissed with ``None``). The store is read in
thread workers, which post what they read back to the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input

from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.listing import listing_window, local_time
from brief_tui.library.store import LibraryStore as Store
from brief_tui.library.store import SearchHit, StoreError
from brief_tui.ui.library_table import PAGE, TableColumn, WindowTable
from brief_tui.ui.panel.base import PanelList, plural
from brief_tui.ui.panel.lines import LineList, Row
from brief_tui.ui.safe import Label, Static
from brief_tui.ui.session import LIVE_READ_GAP_S

#: the orders ``s`` steps through: store order, as the status line says it
ORDERS: tuple[tuple[str, str], ...] = (
    ("opened", "last opened"),
    ("added", "added"),
    ("title", "title"),
)
#: search hits read at once
HITS_PAGE = 50
#: the key of the line that reads the next page of hits
MORE = "\x00more"
#: the keys the status line names, as many as fit
HINTS = ("enter opens", "/ searches", "f filters", "s sorts", "r reverses", "D removes", "q closes")
#: what breaks or pads a line, made a space each (a snippet is one line)
_SPACES = str.maketrans("\n\t\u2028\u2029", "    ")


def _claims(row: dict[str, Any]) -> Text:
    value = row.get("claims")
    return Text("–", style="dim") if value is None else Text(str(value))


def _date(row: dict[str, Any]) -> str | Text:
    return str(row["date"]) if row.get("date") else Text("–", style="dim")


def _opened(row: dict[str, Any]) -> str:
    value = row.get("last_opened")
    return local_time(str(value)) if value else ""


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("title", "Title", 0, cell=lambda r: str(r.get("title") or "")),
    TableColumn("source", "Source", 22, cell=lambda r: str(r.get("source") or ""), narrow=110),
    TableColumn("date", "Date", 10, cell=_date),
    TableColumn("claims", "Claims", 6, "right", cell=_claims),
    TableColumn("annotations", "Notes", 5, "right", cell=lambda r: str(r.get("annotations") or 0)),
    TableColumn("last_opened", "Last opened", 16, cell=_opened),
)


@dataclass(frozen=True, slots=True)
class Choice:
    """The briefing to open, and where (a character offset: a search hit's match)."""

    briefing_id: str
    offset: int | None = None


class Windowed(Message):
    """How many rows there are and the page holding the cursor (at row ``start``), for
    the table's next generation."""

    def __init__(self, total: int, rows: list[dict[str, Any]], start: int, cursor: int) -> None:
        super().__init__()
        self.total = total
        self.rows = rows
        self.start = start
        self.cursor = cursor


class Paged(Message):
    def __init__(self, offset: int, rows: list[dict[str, Any]], generation: int) -> None:
        super().__init__()
        self.offset = offset
        self.rows = rows
        self.generation = generation


class Found(Message):
    """A page of search hits for ``query`` starting at hit ``offset``."""

    def __init__(self, query: str, offset: int, hits: list[SearchHit]) -> None:
        super().__init__()
        self.query = query
        self.offset = offset
        self.hits = hits


class Failed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class HitList(LineList):
    """Search hits: the title, then the line of text around the match (matched words
    marked), a blank line between hits."""

    kind = "hit"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open at the match", id="library.open_hit"),
    ]


def hit_row(hit: SearchHit) -> Row:
    info = hit.info
    head = Text(clean_line(info.title) or "(untitled)", style="bold", end="")
    head.append(f"  · {local_time(info.last_opened_at)}", style="dim")
    # one character for one (clean_line would fold runs of spaces): the marks still hold
    one_line = clean_text(hit.snippet).translate(_SPACES)
    snippet = Text(one_line, end="")
    for s, e in hit.marks:
        snippet.stylize("reverse", s, e)
    return Row(info.id, (head, snippet), gap=True)


class LibraryScreen(Screen[Choice | None]):
    """The library of briefings. Dismissed with the briefing to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("f", "filter", "Filter titles", id="library.filter"),
        Binding("s", "sort", "Sort", id="library.sort"),
        Binding("r", "reverse", "Reverse", id="library.reverse", show=False),
        Binding("D", "remove", "Remove", id="library.remove"),
        Binding("q", "close", "Close", id="library.close"),
        Binding("escape", "back", "Clear search / close", id="library.back", show=False),
    ]

    DEFAULT_CSS = """
    LibraryScreen { layout: vertical; }
    LibraryScreen #library-title { text-style: bold; padding: 0 1; height: 1; }
    LibraryScreen #library-status { color: $text-muted; padding: 0 1; height: 1; }
    LibraryScreen Input { display: none; margin: 0 1; }
    LibraryScreen Input.-shown { display: block; }
    LibraryScreen #library-table { height: 1fr; }
    LibraryScreen #library-hits { height: 1fr; display: none; }
    LibraryScreen.-searching #library-hits { display: block; }
    LibraryScreen.-searching #library-table { display: none; }
    LibraryScreen #library-empty { padding: 1 2; color: $text-muted; display: none; }
    LibraryScreen #library-empty.-shown { display: block; }
    """

    def __init__(
        self,
        store: Store,
        *,
        at_once: bool = False,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.store = store
        #: read the first rows on mounting, not in a worker (a local library opened first:
        #: its first frame then holds the rows; a few milliseconds at 100,000 briefings)
        self.at_once = at_once
        #: a read of the window after other readers' changes is waiting for its timer
        self._reread_due = False
        #: the order (a key of ORDERS) and its direction
        self.sort = "opened"
        self.descending = True
        #: the piece every title shown holds ("" for all)
        self.title_filter = ""
        #: the active full-text search ("" for none) and its hits so far
        self.query_text = ""
        self.hits: list[SearchHit] = []

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Library", id="library-title")
            yield Input(placeholder="search titles and texts (esc clears)", id="library-search")
            yield Input(placeholder="titles holding… (esc clears)", id="library-filter")
            yield WindowTable(COLUMNS, id="library-table")
            yield HitList(id="library-hits")
            yield Static("", id="library-empty")
            yield Label("", id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()
        if self.store.warning:
            self.notify(self.store.warning, severity="warning", timeout=10)
        if self.at_once:
            self._first_window()
        else:
            self.reload()

    def library_changed(self) -> None:
        """Another reader changed the (team) library: the window is read again, counts and
        rows, once for all the changes heard within LIVE_READ_GAP_S (twenty analysts
        writing at once make one read, not twenty)."""
        if self._reread_due:
            return
        self._reread_due = True

        def reread() -> None:
            self._reread_due = False
            self.reload()

        self.set_timer(LIVE_READ_GAP_S, reread)

    def _first_window(self) -> None:
        try:
            total = self.store.count_briefings()
            rows = self._read(0, self.sort, self.descending, "")
        except StoreError:
            self.reload()  # (the worker says what went wrong)
            return
        self.on_windowed(Windowed(total, rows, 0, 0))

    @property
    def table(self) -> WindowTable:
        return self.query_one("#library-table", WindowTable)

    @property
    def hit_list(self) -> HitList:
        return self.query_one("#library-hits", HitList)

    # -- the window -------------------------------------------------------------------
    def reload(self, cursor: int | None = None) -> None:
        """Count and read the first rows again (in a worker) in the current order and
        filter; the cursor goes to row ``cursor`` (else stays on its row number)."""
        at = self.table.cursor_row if cursor is None else cursor
        self._window(self.sort, self.descending, self.title_filter, at)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _window(self, sort: str, descending: bool, title_filter: str, cursor: int) -> None:
        try:
            total = self.store.count_briefings(title_filter=title_filter)
            cursor = max(0, min(cursor, total - 1))
            start = cursor - cursor % PAGE
            rows = self._read(start, sort, descending, title_filter)
        except StoreError as e:
            self.post_message(Failed(str(e)))
            return
        self.post_message(Windowed(total, rows, start, cursor))

    def _read(self, offset: int, sort: str, descending: bool, title_filter: str) -> list[Any]:
        return listing_window(
            self.store,
            sort=sort,
            descending=descending,
            title_filter=title_filter,
            limit=PAGE,
            offset=offset,
        )

    def on_windowed(self, message: Windowed) -> None:
        self.table.reset(message.total, message.rows, start=message.start, cursor=message.cursor)
        self._show_state()

    @on(WindowTable.Wanted)
    def _page_wanted(self, event: WindowTable.Wanted) -> None:
        event.stop()
        self._page(event.offset, event.generation, self.sort, self.descending, self.title_filter)

    @work(thread=True, group="library-page", exit_on_error=False)
    def _page(
        self, offset: int, generation: int, sort: str, descending: bool, title_filter: str
    ) -> None:
        try:
            rows = self._read(offset, sort, descending, title_filter)
        except StoreError as e:
            self.post_message(Failed(str(e)))
            return
        self.post_message(Paged(offset, rows, generation))

    def on_paged(self, message: Paged) -> None:
        self.table.add_page(message.offset, message.rows, message.generation)

    def on_failed(self, message: Failed) -> None:
        self.notify(message.error, severity="error")

    # -- search -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library-search", exit_on_error=False)
    def _search(self, query: str, offset: int) -> None:
        try:
            hits = self.store.search_page(query, limit=HITS_PAGE, offset=offset)
        except StoreError as e:
            self.post_message(Failed(str(e)))
            return
        self.post_message(Found(query, offset, hits))

    def on_found(self, message: Found) -> None:
        if message.query != self.query_text:  # a later search is on its way
            return
        self.hits = (self.hits[: message.offset] if message.offset else []) + message.hits
        rows = [hit_row(h) for h in self.hits]
        if len(message.hits) == HITS_PAGE:
            rows.append(Row(MORE, (Text("more hits… (enter)", style="italic", end=""),), True))
        hits = self.hit_list
        at = hits.cursor_row if message.offset else 0
        hits.set_rows(rows)
        hits.move_cursor(row=at)
        self._show_state()

    # -- what the screen says -----------------------------------------------------------
    def _show_state(self) -> None:
        searching = bool(self.query_text.strip())
        self.set_class(searching, "-searching")
        empty = self.query_one("#library-empty", Static)
        if searching:
            n = len(self.hits)
            found = plural(n, "briefing") if n % HITS_PAGE else f"{n}+ briefings"
            what = f"{found if n else 'No briefing'} matching “{self.query_text}”"
            nothing = not n
            empty.update(f"No briefing matches “{self.query_text}”.")
        else:
            n = self.table.total
            label = dict(ORDERS)[self.sort]
            what = f"{n:,} briefing{'s' if n != 1 else ''} · by {label}"
            what += " ↓" if self.descending else " ↑"
            if self.title_filter:
                what += f" · titles holding “{self.title_filter}”"
            nothing = not n
            empty.update(
                f"No title holds “{self.title_filter}”."
                if self.title_filter
                else "The library is empty."
            )
        empty.set_class(nothing, "-shown")
        # the keys that fit (whole: at 80 columns the line was cut in the middle of one)
        room = self.size.width - 2
        for hint in ("enter opens at the match", "esc clears") if searching else HINTS:
            if cell_len(what) + 3 + cell_len(hint) > room:
                break
            what += f" · {hint}"
        self.query_one("#library-status", Label).update(what)

    def on_resize(self) -> None:
        self._show_state()

    # -- actions ----------------------------------------------------------------------
    def action_open(self) -> None:
        if self.query_text.strip():
            self.hit_list.action_choose()
            return
        row = self.table.selected()
        if row is not None:
            self.dismiss(Choice(str(row["id"])))

    @on(WindowTable.Chosen)
    def _row_chosen(self, event: WindowTable.Chosen) -> None:
        event.stop()
        self.dismiss(Choice(str(event.row["id"])))

    @on(PanelList.Chosen)
    def _hit_chosen(self, event: PanelList.Chosen) -> None:
        event.stop()
        if event.key == MORE:
            self._search(self.query_text, len(self.hits))
            return
        try:
            at = self.store.first_match(event.key, self.query_text)
        except StoreError as e:
            self.notify(str(e), severity="error")
            return
        self.dismiss(Choice(event.key, at))

    def _ask(self, which: str) -> None:
        box = self.query_one(f"#library-{which}", Input)
        other = self.query_one(f"#library-{'filter' if which == 'search' else 'search'}", Input)
        if other.value:
            other.value = ""
        other.remove_class("-shown")
        box.add_class("-shown")
        box.focus()

    def action_search(self) -> None:
        self._ask("search")

    def action_filter(self) -> None:
        self._ask("filter")

    def action_sort(self) -> None:
        keys = [k for k, _ in ORDERS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.descending = self.sort != "title"
        self.reload(cursor=0)

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.reload(cursor=0)

    @on(Input.Changed, "#library-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.hits = []
        if event.value.strip():
            self._search(event.value, 0)
        else:
            self.hit_list.set_rows([])
            self._show_state()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.title_filter = event.value.strip()
        self.reload(cursor=0)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        (self.hit_list if self.query_text.strip() else self.table).focus()

    def _clear_inputs(self) -> None:
        for box in self.query(Input):
            box.remove_class("-shown")
            if box.value:
                box.value = ""  # Input.Changed reads the library again
        self.table.focus()

    def action_back(self) -> None:
        """escape: clear the search or filter if there is one (or has the focus), else
        close."""
        if any(box.has_focus or box.value for box in self.query(Input)):
            self._clear_inputs()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def _selected(self) -> tuple[str, str, int] | None:
        """The id, title and number of annotations of the briefing under the cursor."""
        if self.query_text.strip():
            key = self.hit_list.selected_key()
            hit = next((h for h in self.hits if h.info.id == key), None)
            if hit is None:
                return None
            return hit.info.id, hit.info.title, hit.info.annotation_count
        row = self.table.selected()
        if row is None:
            return None
        return str(row["id"]), str(row.get("title") or ""), int(row.get("annotations") or 0)

    def action_remove(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        bid, title, n = chosen
        if n == 0:
            ask = "Remove this briefing from the library? It has no annotations."
        else:
            ask = f"Remove this briefing and its {plural(n, 'annotation')}?"
        title = " ".join(title.split())
        title = title if len(title) <= 64 else title[:63] + "…"

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(bid, title)

        from brief_tui.ui.dialogs import ConfirmDialog  # (not needed for the first frame)

        self.app.push_screen(ConfirmDialog(f"{ask}\n“{title}”"), done)

    def _remove(self, briefing_id: str, title: str) -> None:
        try:
            n = self.store.remove_briefing(briefing_id)
        except StoreError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(f"Removed “{title}” and {plural(n, 'annotation')}.")
        if self.query_text.strip():
            self.hits = []
            self._search(self.query_text, 0)
        self.reload()  # the cursor stays on its row number: the next briefing
