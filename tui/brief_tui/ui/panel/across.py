"""Across briefings: the other briefings of the library that mention an actor or source
(:class:`AcrossPane`), and the same measure given in several briefings (:class:`FiguresPane`).

Both read the store's cached analyses in a thread worker (see
:mod:`brief_tui.library.crossref`) that ends by posting what it found to its pane, and post
:class:`AcrossPane.Open` when the reader presses enter on a row, so the screen can open that
briefing at the first mention. :class:`AcrossTab` is the panel's tab holding both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message

from brief_tui.ui.safe import DataTable, Label

if TYPE_CHECKING:  # imported when a look-up runs: nothing of the store on the start-up path
    from brief_tui.library.crossref import AcrossHit, MeasureAcross
    from brief_tui.library.store.protocol import LibraryStore as Store

_TITLE_WIDTH = 48


def _short(text: str, n: int = _TITLE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


class Found(Message):
    """A look-up's outcome, posted by its worker to the pane that asked: ``result`` (None
    when it failed, with ``error``)."""

    def __init__(self, request: int, result: object, error: str = "") -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.error = error


class AcrossPane(Vertical):
    """The other briefings mentioning one actor or source, with counts."""

    class Open(Message):
        """Open ``briefing_id`` at ``offset`` (its first mention; None: the top)."""

        def __init__(self, briefing_id: str, offset: int | None) -> None:
            super().__init__()
            self.briefing_id = briefing_id
            self.offset = offset

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open there", id="across.open"),
    ]

    DEFAULT_CSS = """
    AcrossPane { height: 1fr; }
    AcrossPane > .across-header { text-style: bold; padding: 0 1; height: auto; }
    AcrossPane > DataTable { height: 1fr; }
    AcrossPane > .across-hint { color: $text-muted; padding: 0 1; height: auto; }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: the hits shown, in table order
        self.hits: list[AcrossHit] = []
        self._request = 0
        self._mounted = False
        self._name = ""
        #: a look-up asked for before the pane was mounted
        self._pending: tuple[Store, str, str, str, tuple[str, ...], str | None] | None = None

    def compose(self) -> ComposeResult:
        yield Label("Across briefings: choose an actor or a source", classes="across-header")
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table
        yield Label("", classes="across-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # the counts first: at a narrow width what is cut is the end of a title
        table.add_column("Mentions", key="mentions")
        table.add_column("Claims", key="claims")
        table.add_column("Date", key="date")
        table.add_column("Briefing", key="title")
        table.add_column("Called there", key="names")
        self._mounted = True
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.show_for(*pending[:5], actor_kind=pending[5])

    @property
    def header(self) -> Label:
        return self.query_one(".across-header", Label)

    def show_for(
        self,
        store: Store,
        briefing_id: str,
        target_kind: str,
        name: str,
        aliases: list[str] | tuple[str, ...] = (),
        *,
        actor_kind: str | None = None,
    ) -> None:
        """List the other briefings mentioning ``name`` (``target_kind``: "actor" or
        "source"; ``actor_kind``, if known, keeps a person from matching a place). Runs in a
        worker; the table fills when it is done."""
        if not self._mounted:
            self._pending = (store, briefing_id, target_kind, name, tuple(aliases), actor_kind)
            return
        self._request += 1
        self._name = name
        self.header.update(f"Across briefings: {target_kind} {name}")
        self.query_one(".across-hint", Label).update("looking…")
        self._find(self._request, store, briefing_id, name, tuple(aliases), actor_kind)

    @work(thread=True, exclusive=True, group="across", exit_on_error=False)
    def _find(
        self,
        request: int,
        store: Store,
        briefing_id: str,
        name: str,
        aliases: tuple[str, ...],
        actor_kind: str | None,
    ) -> None:
        from brief_tui.library.crossref import across
        from brief_tui.library.store import StoreError

        try:
            hits = across(store, briefing_id, name, aliases, kind=actor_kind)
        except StoreError as e:
            self.post_message(Found(request, None, str(e)))
            return
        self.post_message(Found(request, hits))

    def on_found(self, message: Found) -> None:
        message.stop()
        if message.request != self._request:
            return  # a later look-up is on its way
        if message.result is None:
            self.query_one(".across-hint", Label).update(message.error)
            return
        hits: list[AcrossHit] = message.result  # type: ignore[assignment]
        self._list(hits)

    def _list(self, hits: list[AcrossHit], again: int = 3) -> None:
        table = self.query_one(DataTable)
        if not table.size.width and again:  # a tab shown just now: sized at the next frame
            self.call_after_refresh(self._list, hits, again - 1)
            return
        name = self._name
        self.hits = hits
        table.clear()
        # the title takes what the counts and the date leave, the names the rest
        room = max(20, table.size.width - 8 - 6 - 10 - 8 - 2)
        title_width = min(_TITLE_WIDTH, max(16, room * 2 // 3))
        names_width = max(12, min(30, room - title_width))
        for hit in hits:
            mentions = Text(str(hit.mentions), justify="right")
            if not hit.analysed:
                mentions.append(" (text)", style="dim")
            table.add_row(
                mentions,
                Text(str(hit.claims), justify="right"),
                hit.date or "–",
                _short(hit.title, title_width),
                _short(", ".join(hit.names), names_width),
                key=hit.briefing_id,
            )
        n = len(hits)
        more = getattr(hits, "more", 0)
        self.query_one(".across-hint", Label).update(
            f"{name}: no other briefing mentions it"
            if not n
            else f"{n} other briefing{'s' if n != 1 else ''} · enter opens at the first mention"
            + (f" · {more:,} older ones not read" if more else "")
        )

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.hits and 0 <= table.cursor_row < len(self.hits):
            hit = self.hits[table.cursor_row]
            self.post_message(self.Open(hit.briefing_id, hit.first_offset))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


class FiguresPane(Vertical):
    """Measures (e.g. troop numbers) of one briefing that other briefings give too: every
    report side by side, grouped by origin, so that a figure repeated from one source is
    shown as one origin and not as corroboration. Enter posts :class:`AcrossPane.Open`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open there", id="figures.open"),
    ]

    DEFAULT_CSS = """
    FiguresPane { height: 1fr; }
    FiguresPane > .figures-header { text-style: bold; padding: 0 1; height: auto; }
    FiguresPane > DataTable { height: 1fr; }
    FiguresPane > .figures-hint { color: $text-muted; padding: 0 1; height: auto; }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.measures: list[MeasureAcross] = []
        #: (briefing id, offset) of each table row; None for a measure's heading row
        self.targets: list[tuple[str, int] | None] = []
        self._request = 0
        self._mounted = False
        #: a look-up asked for before the pane was mounted
        self._pending: tuple[Store, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield Label("Figures across briefings", classes="figures-header")
        table: DataTable[str | Text] = DataTable(cursor_type="row")
        yield table
        yield Label("", classes="figures-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Measure / origin", key="origin")
        table.add_column("Figure", key="figure")
        table.add_column("Source", key="source")
        table.add_column("Briefing", key="briefing")
        self._mounted = True
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.show_for(*pending)

    def show_for(self, store: Store, briefing_id: str | None = None) -> None:
        """List the measures ``briefing_id`` gives that other briefings give too (every
        measure of the library found in two briefings or more when None). In a worker."""
        if not self._mounted:
            self._pending = (store, briefing_id)
            return
        self._request += 1
        self.query_one(".figures-hint", Label).update("looking…")
        self._find(self._request, store, briefing_id)

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def _find(self, request: int, store: Store, briefing_id: str | None) -> None:
        from brief_tui.library.crossref import figures_across
        from brief_tui.library.store import StoreError

        try:
            measures = figures_across(store, briefing_id)
        except StoreError as e:
            self.post_message(Found(request, None, str(e)))
            return
        self.post_message(Found(request, measures))

    def on_found(self, message: Found) -> None:
        message.stop()
        if message.request != self._request:
            return
        if message.result is None:
            self.query_one(".figures-hint", Label).update(message.error)
            return
        measures: list[MeasureAcross] = message.result  # type: ignore[assignment]
        self.measures = measures
        self.targets = []
        table = self.query_one(DataTable)
        table.clear()
        for m in measures:
            verdict = {
                "one origin": "one origin, repeated",
                "corroborated": f"{m.independent} independent origins agree",
                "conflicting": f"{m.independent} origins differ",
            }[m.agreement]
            table.add_row(
                Text(m.unit, style="bold"),
                Text(verdict, style="yellow" if m.agreement != "corroborated" else "green"),
                "",
                Text(f"{len(m.briefing_ids)} briefings", style="dim"),
            )
            self.targets.append(None)
            for group in m.origins:
                repeats = len(group.reports)
                for i, r in enumerate(group.reports):
                    origin = Text("  " + group.origin if i == 0 else "    ″ same origin")
                    if i == 0 and repeats > 1:
                        origin.append(f" ×{repeats}", style="dim")
                    via = r.source if r.source == r.origin else f"{r.source} via {r.origin}"
                    table.add_row(
                        origin,
                        f"{r.text} ({_number(r.value)})",
                        _short(via, 36),
                        _short(r.briefing_title, 36),
                    )
                    self.targets.append((r.briefing_id, r.offset))
        self.query_one(".figures-hint", Label).update(
            "no measure of this briefing is given in another one"
            if not measures
            else "enter opens the briefing at that figure"
        )

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if 0 <= row < len(self.targets) and self.targets[row] is not None:
            bid, offset = self.targets[row]  # type: ignore[misc]
            self.post_message(AcrossPane.Open(bid, offset))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


class AcrossTab(Vertical):
    """The panel's Across tab: the briefings sharing an actor or source, and the figures."""

    DEFAULT_CSS = """
    AcrossTab { height: 1fr; }
    AcrossTab #across, AcrossTab #figures { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        # made here, not in compose: a look-up may be asked for before the tab is mounted
        self.across = AcrossPane(id="across")
        self.figures = FiguresPane(id="figures")

    def compose(self) -> ComposeResult:
        yield self.across
        yield self.figures
