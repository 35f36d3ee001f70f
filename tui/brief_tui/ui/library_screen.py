"""The library: every briefing ever opened, most recently opened first.

``/`` filters by a full-text search (SQLite FTS5) over titles and texts, enter opens (the
screen is dismissed with the briefing's id; the app opens it), ``D`` removes a briefing
after a confirmation that says how many annotations go with it, q or escape closes
(dismissed with ``None``). Reading the store runs in a thread worker, which posts what it
read (:class:`Listed`) back to the screen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input

from brief_tui.library.crossref import library_listing, local_time
from brief_tui.library.store import LibraryStore as Store
from brief_tui.library.store import StoreError
from brief_tui.ui.dialogs import ConfirmDialog
from brief_tui.ui.safe import DataTable, Label, Static

#: column label, key in a :func:`library_listing` row
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("Source", "source"),
    ("Date", "date"),
    ("Claims", "claims"),
    ("Notes", "annotations"),
    ("Last opened", "last_opened"),
)
TITLE_WIDTH = 60


class Listed(Message):
    """The library as read by the worker for ``query`` (``rows`` None: it could not be read,
    ``error`` says why); the cursor goes to ``select``."""

    def __init__(
        self, rows: list[dict[str, Any]] | None, query: str, select: str | None, error: str = ""
    ) -> None:
        super().__init__()
        self.rows = rows
        self.query = query
        self.select = select
        self.error = error


def _cell(key: str, row: dict[str, Any]) -> str | Text:
    value = row.get(key)
    if key == "title":
        title = str(value or "")
        return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"
    if key == "claims":
        return Text("–", style="dim") if value is None else Text(str(value), justify="right")
    if key == "annotations":
        return Text(str(value or 0), justify="right")
    if key == "last_opened":
        return local_time(str(value)) if value else ""
    if key == "date":
        return str(value) if value else Text("–", style="dim")
    return str(value or "")


class LibraryScreen(Screen[str | None]):
    """The library of briefings. Dismissed with the id of the briefing to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("D", "remove", "Remove", id="library.remove"),
        Binding("j", "cursor(1)", "Down", id="library.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="library.up", show=False),
        Binding("g", "cursor_edge(0)", "First", id="library.first", show=False),
        Binding("G", "cursor_edge(1)", "Last", id="library.last", show=False),
        Binding("q", "close", "Close", id="library.close"),
        Binding("escape", "back", "Clear search / close", id="library.back", show=False),
    ]

    DEFAULT_CSS = """
    LibraryScreen { layout: vertical; }
    LibraryScreen #library-title { text-style: bold; padding: 0 1; height: 1; }
    LibraryScreen #library-status { color: $text-muted; padding: 0 1; height: 1; }
    LibraryScreen #library-search { display: none; margin: 0 1; }
    LibraryScreen #library-search.-shown { display: block; }
    LibraryScreen #library-table { height: 1fr; }
    LibraryScreen #library-empty { padding: 1 2; color: $text-muted; display: none; }
    LibraryScreen #library-empty.-shown { display: block; }
    """

    def __init__(self, store: Store, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.store = store
        #: the rows shown, in order (library_listing dicts)
        self.rows: list[dict[str, Any]] = []
        #: the active full-text filter ("" for none)
        self.query_text = ""

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Library", id="library-title")
            yield Input(placeholder="search titles and texts (esc clears)", id="library-search")
            table: DataTable[str | Text] = DataTable(
                id="library-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static("", id="library-empty")
            yield Label("", id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#library-table", DataTable)
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        table.focus()
        if self.store.warning:
            self.notify(self.store.warning, severity="warning", timeout=10)
        self.reload()

    # -- loading ----------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read the library again (in a worker), keeping the filter; then put the cursor on
        ``select`` (a briefing id) or on the row it was on."""
        self._load(self.query_text, select or self.selected_id)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _load(self, query: str, select: str | None) -> None:
        try:
            rows = library_listing(self.store)
            if query.strip():
                hits = {i.id for i in self.store.search_briefings(query, limit=10_000)}
                rows = [r for r in rows if r["id"] in hits]
        except StoreError as e:
            self.post_message(Listed(None, query, select, str(e)))
            return
        self.post_message(Listed(rows, query, select))

    def on_listed(self, message: Listed) -> None:
        if message.rows is None:
            self.notify(message.error, severity="error")
            return
        self._show(message.rows, message.query, message.select)

    def _show(self, rows: list[dict[str, Any]], query: str, select: str | None) -> None:
        if query != self.query_text:  # a later search is on its way
            return
        self.rows = rows
        table = self.query_one("#library-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(_cell(key, row) for _, key in COLUMNS), key=row["id"])
        ids = [r["id"] for r in rows]
        if select in ids:
            table.move_cursor(row=ids.index(select))
        empty = self.query_one("#library-empty", Static)
        if not rows:
            empty.update(
                f"No briefing matches “{query}”." if query.strip() else "The library is empty."
            )
        empty.set_class(not rows, "-shown")
        n = len(rows)
        what = f"{n} briefing{'s' if n != 1 else ''}"
        if query.strip():
            what += f" matching “{query}”"
        self.query_one("#library-status", Label).update(
            what + " · enter opens · / searches · D removes · q closes"
        )

    # -- selection --------------------------------------------------------------------
    @property
    def selected_id(self) -> str | None:
        table = self.query_one("#library-table", DataTable)
        if not self.rows or table.row_count == 0:
            return None
        row = table.cursor_row
        if 0 <= row < len(self.rows):
            return str(self.rows[row]["id"])
        return None

    def _selected_row(self) -> dict[str, Any] | None:
        bid = self.selected_id
        return next((r for r in self.rows if r["id"] == bid), None)

    # -- actions ----------------------------------------------------------------------
    def action_open(self) -> None:
        bid = self.selected_id
        if bid is not None:
            self.dismiss(bid)

    @on(DataTable.RowSelected, "#library-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.dismiss(str(event.row_key.value))

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#library-table", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_cursor_edge(self, end: int) -> None:
        table = self.query_one("#library-table", DataTable)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1 if end else 0)

    def action_search(self) -> None:
        search = self.query_one("#library-search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#library-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._load(event.value, self.selected_id)

    @on(Input.Submitted, "#library-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#library-table", DataTable).focus()

    def clear_search(self) -> None:
        search = self.query_one("#library-search", Input)
        search.remove_class("-shown")
        self.query_one("#library-table", DataTable).focus()
        if search.value:
            search.value = ""  # Input.Changed reloads the whole library

    def action_back(self) -> None:
        """escape: clear the search if there is one (or it has the focus), else close."""
        search = self.query_one("#library-search", Input)
        if search.has_focus or self.query_text or search.value:
            self.clear_search()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_remove(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        n = int(row.get("annotations") or 0)
        if n == 0:
            ask = "Remove this briefing from the library? It has no annotations."
        else:
            ask = f"Remove this briefing and its {n} annotation{'s' if n != 1 else ''}?"
        title = " ".join(str(row.get("title") or "").split())
        title = title if len(title) <= 64 else title[:63] + "…"
        question = f"{ask}\n“{title}”"
        bid = str(row["id"])

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(bid)

        self.app.push_screen(ConfirmDialog(question), done)

    def _remove(self, briefing_id: str) -> None:
        ids = [r["id"] for r in self.rows]
        try:
            n = self.store.remove_briefing(briefing_id)
        except StoreError as e:
            self.notify(str(e), severity="error")
            return
        title = next((r["title"] for r in self.rows if r["id"] == briefing_id), briefing_id[:12])
        self.notify(f"Removed “{title}” and {n} annotation{'s' if n != 1 else ''}.")
        i = ids.index(briefing_id) if briefing_id in ids else 0
        rest = [x for x in ids if x != briefing_id]
        self.reload(select=rest[min(i, len(rest) - 1)] if rest else None)
