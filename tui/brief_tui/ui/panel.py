"""The side panel: analysis state, the Actors / Claims / Sources tabs, and the legend."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import MountError
from textual.widgets import ProgressBar, TabbedContent, TabPane, Tabs
from textual.widgets.data_table import RowDoesNotExist
from textual.widgets.option_list import Option

from brief_tui.library.annotations import Annotation
from brief_tui.ui.across import AcrossPane, FiguresPane
from brief_tui.ui.palette import DEFAULT_MARKS, FAMILIES, MEANING_MARKS, MEANINGS, Marks
from brief_tui.ui.safe import DataTable, Label, OptionList, Static

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Claim
    from brief_tui.briefing.dates import DatedEvent
    from brief_tui.library.store.protocol import LibraryStore as Store

SOURCE_KINDS = {
    "person": "person",
    "official": "official body",
    "intelligence": "intelligence",
    "state-media": "state media",
    "news-agency": "news agency",
    "media": "media",
    "document": "document",
    "anonymous": "anonymous",
}


def claim_excerpt(text: str, claim: Claim, limit: int = 220) -> str:
    """What is claimed: the content fragments (joined by "…"), else the sentence."""
    if claim.content:
        body = " … ".join(" ".join(text[c.start : c.end].split()) for c in claim.content)
    else:
        body = " ".join(text[claim.start : claim.end].split())
    return body if len(body) <= limit else body[: limit - 1].rstrip() + "…"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


#: the claims list shows at most this many of each kind; the rest are reached in the text
#: (a 300-page report has thousands, and a list that long helps nobody)
CLAIMS_SHOWN = 1500


def source_label(analysis: Analysis, source_id: str | None) -> str:
    """A source with its chain: "Lee Seong-kweun via National Intelligence Service"."""
    parts: list[str] = []
    seen: set[str] = set()
    src = analysis.source(source_id)
    while src is not None and src.id not in seen:
        seen.add(src.id)
        parts.append(src.name)
        src = analysis.source(src.via)
    return " via ".join(parts) if parts else "(unsourced)"


def _content_size() -> Reactive[Size]:
    """The size of a panel list's content. Textual re-lays out the whole screen when it
    changes (about 90 ms here, after every partial analysis); a panel list is 1fr high with
    a stable scrollbar gutter, so its own region never depends on it: repainting is enough."""
    return Reactive(Size(0, 0), layout=False)


class PanelList:
    """What every list of the side panel offers: its ``kind`` of item, the key of the
    selected one, and the messages it posts (handled by the reader screen)."""

    kind: str = ""

    class Chosen(Message):
        """Enter (or a click) on an item: jump to it."""

        def __init__(self, kind: str, key: str) -> None:
            super().__init__()
            self.kind = kind
            self.key = key

    class Edit(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Delete(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def selected_key(self) -> str | None:
        raise NotImplementedError


class ItemTable(PanelList, DataTable[str | Text]):
    """A row-per-item table; enter posts ``Chosen`` with the row key."""

    virtual_size = _content_size()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Jump to it", id="panel.choose"),
        Binding("j", "cursor_down", "Down", id="panel.down", show=False),
        Binding("k", "cursor_up", "Up", id="panel.up", show=False),
        Binding("g", "scroll_top", "Top", id="panel.top", show=False),
        Binding("G", "scroll_bottom", "Bottom", id="panel.bottom", show=False),
    ]

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.kind = kind

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def action_choose(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.post_message(self.Chosen(self.kind, key))

    def on_click(self, event: object) -> None:  # a click selects the row; jump on it too
        self.call_after_refresh(self.action_choose)


class NotesTable(ItemTable):
    """The reader's annotations in text order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit note", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
    ]

    def action_edit(self) -> None:
        key = self.selected_key()
        if key:
            self.post_message(self.Edit(key))

    def action_delete(self) -> None:
        key = self.selected_key()
        if key:
            self.post_message(self.Delete(key))


class ClaimList(PanelList, OptionList):
    virtual_size = _content_size()
    kind = "claim"

    def selected_key(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(self.kind, event.option.id))

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="claims.down", show=False),
        Binding("k", "cursor_up", "Up", id="claims.up", show=False),
        Binding("g", "first", "Top", id="claims.top", show=False),
        Binding("G", "last", "Bottom", id="claims.bottom", show=False),
    ]


#: kept for the names the lists had
NotesList = NotesTable


def reader_list_bindings() -> list[tuple[str, list[Binding]]]:
    """The side panel lists' keys by section (help, the palette and the keymap check)."""

    def of(cls: type[object]) -> list[Binding]:
        return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding)]

    return [
        ("Side panel lists", of(ItemTable)),
        ("Notes tab", of(NotesTable)),
        ("Claims list", of(ClaimList)),
    ]


class PanelTabs(Vertical):
    """The side panel's tabs (mounted after the reader's first frame)."""

    DEFAULT_CSS = "PanelTabs { height: 1fr; }"

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("Actors", id="tab-actors"):
                yield ItemTable("actor", id="actors")
            with TabPane("Claims", id="tab-claims"):
                yield ClaimList(id="claims")
            with TabPane("Sources", id="tab-sources"):
                yield ItemTable("source", id="sources")
            with TabPane("Notes", id="tab-notes"):
                yield NotesTable("note", id="notes")
            with TabPane("Across", id="tab-across"):
                yield AcrossPane(id="across")
                yield FiguresPane(id="figures")
            with TabPane("Timeline", id="tab-timeline"):
                yield Label("", id="timeline-note")
                yield ItemTable("event", id="timeline")


#: seconds after a complete analysis is shown that the other tabs' lists are filled (at
#: 100k words ~100 ms: not in the frame that shows the analysis)
FILL_REST_AFTER = 0.3


class SidePanel(Vertical):
    DEFAULT_CSS = """
    SidePanel { width: 42%; min-width: 36; border-left: solid $primary-muted; }
    SidePanel:focus-within { border-left: thick $accent; }
    SidePanel:focus-within Tabs .underline--bar { color: $accent; }
    SidePanel #state { height: auto; width: 100%; padding: 0 1; color: $text-muted; }
    SidePanel #progress { padding: 0 1; }
    SidePanel #legend {
        height: auto; max-height: 6; padding: 0 1; border-top: solid $primary-muted;
    }
    SidePanel.-short #legend { display: none; }
    SidePanel.-short #state { max-height: 2; }
    SidePanel TabbedContent { height: 1fr; }
    SidePanel DataTable, SidePanel OptionList { height: 1fr; scrollbar-gutter: stable; }
    SidePanel #across, SidePanel #figures { height: 1fr; }
    SidePanel #timeline-note { padding: 0 1; height: auto; width: 100%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.analysis: Analysis | None = None
        self.annotations: list[Annotation] = []
        self._state_message = ""
        self.marks: Marks = DEFAULT_MARKS
        self._stale: set[str] = set()
        self._complete = False
        #: an Across look-up asked for before the tabs were mounted
        self._across: tuple[object, ...] | None = None
        #: True once the tabs and the legend are mounted (after the reader's first frame)
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Label("Waiting to analyse…", id="state")
        yield ProgressBar(total=100, show_eta=False, id="progress")

    async def mount_body(self) -> None:
        """Mount the tabs and the legend: some forty widgets, about 200 ms of the first
        frame, so the reader mounts them just after it."""
        if self.ready:
            return
        try:
            await self.mount(PanelTabs(), Static(self.legend(self.marks), id="legend"))
            self._add_columns()
            # tab goes from the article straight to the list: tabs change with [ and ]
            for strip in self.query(Tabs):
                strip.can_focus = False
        except (MountError, NoMatches):  # the reader was closed before its first frame settled
            return
        self.ready = True
        self._fill_notes()
        if self.analysis is not None:  # it came first (from the cache)
            self.show(self.analysis, complete=self._complete)

    def _add_columns(self) -> None:
        actors = self.query_one("#actors", ItemTable)
        actors.add_column("#", key="count")
        actors.add_column("Kind", key="kind")
        actors.add_column("Actor", key="name")
        sources = self.query_one("#sources", ItemTable)
        sources.add_column("Claims", key="count")
        sources.add_column("Grade", key="grade")
        sources.add_column("Kind", key="kind")
        sources.add_column("Source", key="name")
        timeline = self.query_one("#timeline", ItemTable)
        timeline.add_column("When", key="when")
        timeline.add_column("Said as", key="mention")
        timeline.add_column("Sentence", key="sentence")
        notes = self.query_one("#notes", NotesTable)
        notes.add_column("Mark", key="mark")
        notes.add_column("Where", key="where")
        notes.add_column("Note / tags", key="note")

    def legend(self, marks: Marks | None = None) -> Text:
        """Every kind of mark with a sample in its own style and, for entities, the text
        attribute that tells it apart without colour."""
        m = marks or DEFAULT_MARKS
        text = Text("Entities: ", style="bold")
        for fam in FAMILIES:
            text.append(fam.title, style=m.entities[fam.key])
            text.append(f" ({fam.attrs})  ", style="dim")
        text.append("\n")
        text.append("hedge", style=m.hedge)
        text.append(" (italic overline)  ", style="dim")
        text.append("claim cue", style=m.cue)
        text.append("  ")
        text.append(" search ", style=m.search)
        text.append("  ")
        text.append(" selected ", style=m.focus)
        for meaning in MEANINGS:
            text.append("  ")
            text.append(f" {MEANING_MARKS[meaning]} {meaning} ", style=m.meanings[meaning])
        return text

    def focus_list(self) -> None:
        """Focus the list of the tab in view (its first focusable widget)."""
        try:
            tabs = self.query_one("#tabs", TabbedContent)
            pane = tabs.get_pane(tabs.active)
        except (NoMatches, ValueError):
            return
        for widget in pane.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def set_marks(self, marks: Marks) -> None:
        self.marks = marks
        if not self.ready:
            return  # the legend is drawn in these marks when it is mounted
        self.query_one("#legend", Static).update(self.legend(marks))
        self._fill_notes()

    # ------------------------------------------------------------------ state
    def set_state(
        self,
        message: str,
        fraction: float | None = None,
        *,
        error: bool = False,
        short: str | None = None,
    ) -> None:
        """The state line; ``short`` replaces ``message`` where the message would be cut
        (a short terminal leaves it two lines)."""
        label = self.query_one("#state", Label)
        # the label is as wide as the panel: a message on one line, replacing one on one
        # line (the progress of the analysis), keeps its size and needs no re-layout
        room = label.content_region.width
        lines = 2 if self.has_class("-short") else 6
        if short is not None and room and len(message) > room * lines - room // 3:
            message = short
        one_line = 0 < len(message) <= room and 0 < len(self._state_message) <= room
        self._state_message = message
        label.update(Text(message, style="bold red" if error else ""), layout=not one_line)
        bar = self.query_one("#progress", ProgressBar)
        if fraction is None:
            bar.display = False
        else:
            bar.display = True
            bar.update(progress=round(fraction * 100))

    # ------------------------------------------------------------------ content
    def show(self, analysis: Analysis, *, complete: bool = True) -> None:
        """Show an analysis. Only the visible tab is filled now; the others when they are
        opened, or a moment after a complete analysis is on screen (a large report's lists
        cost real time to build)."""
        self.analysis = analysis
        self._complete = complete
        self._stale = {"tab-actors", "tab-claims", "tab-sources"}
        if self.ready:
            self._fill_active()
            if complete:
                self.set_timer(FILL_REST_AFTER, self.fill_rest)

    def _fill_active(self) -> None:
        if self.analysis is None:
            return
        active = self.query_one("#tabs", TabbedContent).active
        if active not in self._stale:
            return
        self._stale.discard(active)
        {
            "tab-actors": self._fill_actors,
            "tab-claims": self._fill_claims,
            "tab-sources": self._fill_sources,
        }[active](self.analysis)

    class TabShown(Message):
        """A tab of the panel came into view."""

        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._fill_active()
        if event.pane.id:
            self.post_message(self.TabShown(event.pane.id))

    @property
    def active_tab(self) -> str:
        """The id of the tab in view ("" before the tabs are mounted)."""
        if not self.ready:
            return ""
        try:
            return self.query_one("#tabs", TabbedContent).active
        except NoMatches:
            return ""

    def show_tab(self, tab: str) -> None:
        if self.ready:
            self.query_one("#tabs", TabbedContent).active = tab

    def step_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab."""
        if not self.ready:
            return  # the panel's tabs are mounted just after the first frame
        tabs = self.query_one("#tabs", TabbedContent)
        panes = [p.id for p in tabs.query(TabPane) if p.id]
        if panes:
            at = panes.index(tabs.active) if tabs.active in panes else 0
            tabs.active = panes[(at + step) % len(panes)]

    def select(self, tab: str, key: str, *, focus: bool = False) -> None:
        """Show ``tab`` with the item ``key`` selected in its list."""
        if not self.ready:
            return
        self.show_tab(tab)
        self._fill_active()
        for lst in self.query(ItemTable):
            if lst.id == tab.removeprefix("tab-"):
                with contextlib.suppress(RowDoesNotExist):
                    lst.move_cursor(row=lst.get_row_index(key))
                if focus:
                    lst.focus()

    def show_across(
        self,
        store: Store,
        briefing_id: str,
        kind: str,
        name: str,
        aliases: list[str],
        *,
        actor_kind: str | None,
    ) -> None:
        """The other briefings mentioning an actor or a source, in the Across tab."""
        if not self.ready:
            return
        self.query_one(AcrossPane).show_for(
            store, briefing_id, kind, name, aliases, actor_kind=actor_kind
        )

    def show_figures(self, store: Store, briefing_id: str) -> None:
        if self.ready:
            self.query_one(FiguresPane).show_for(store, briefing_id)

    @property
    def lists_filled(self) -> bool:
        """Whether every list shows the current analysis (the ones not in view are filled
        a moment after it is complete, or when their tab is opened)."""
        return self.ready and not self._stale

    def fill_rest(self) -> None:
        """Fill the tabs not shown yet (once the analysis is complete)."""
        if self.analysis is None or not self.ready:
            return
        fills = {
            "tab-actors": self._fill_actors,
            "tab-claims": self._fill_claims,
            "tab-sources": self._fill_sources,
        }
        try:
            for tab in sorted(self._stale):
                fills[tab](self.analysis)
        except NoMatches:  # a timer that fired while the reader was closing: nothing to fill
            return
        self._stale = set()

    def _keep_cursor(self, table: ItemTable, fill: Callable[[], None]) -> None:
        row = table.cursor_row
        fill()
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def _fill_actors(self, analysis: Analysis) -> None:
        table = self.query_one("#actors", ItemTable)

        def fill() -> None:
            table.clear()
            for actor in sorted(analysis.actors, key=lambda a: (-len(a.mentions), a.name.lower())):
                name = Text(actor.name)
                others = [a for a in actor.aliases if a != actor.name]
                if others:
                    name.append(" (" + ", ".join(others[:3]) + ")", style="dim")
                table.add_row(
                    Text(str(len(actor.mentions)), justify="right"), actor.kind, name, key=actor.id
                )

        self._keep_cursor(table, fill)

    def _fill_sources(self, analysis: Analysis) -> None:
        table = self.query_one("#sources", ItemTable)
        counts: dict[str, int] = {}
        for c in analysis.claims:
            if c.source:
                counts[c.source] = counts.get(c.source, 0) + 1

        def fill() -> None:
            table.clear()
            order = sorted(analysis.sources, key=lambda s: (-counts.get(s.id, 0), s.name.lower()))
            for src in order:
                name = Text(src.name)
                if src.via:
                    name.append(f" via {source_label(analysis, src.via)}", style="italic")
                if src.descriptor:
                    name.append(f", {src.descriptor}", style="dim")
                kind = SOURCE_KINDS.get(src.kind, src.kind)
                table.add_row(
                    Text(str(counts.get(src.id, 0)), justify="right"),
                    Text(self.grade_of("source", src.id), style="bold"),
                    kind,
                    name,
                    key=src.id,
                )

        self._keep_cursor(table, fill)

    def _fill_claims(self, analysis: Analysis) -> None:
        olist = self.query_one("#claims", ClaimList)
        highlighted = olist.highlighted
        options: list[Option | None] = []
        sourced = [c for c in analysis.claims if c.source]
        unsourced = [c for c in analysis.claims if not c.source]
        more_sourced = max(0, len(sourced) - CLAIMS_SHOWN)
        more_unsourced = max(0, len(unsourced) - CLAIMS_SHOWN)
        sourced, unsourced = sourced[:CLAIMS_SHOWN], unsourced[:CLAIMS_SHOWN]
        for i, claim in enumerate(sourced):
            if i:
                options.append(None)
            prompt = Text()
            grade = self.grade_of("claim", claim.id)
            if grade:
                prompt.append(f"[{grade}] ", style="bold reverse")
            prompt.append(source_label(analysis, claim.source), style="bold")
            if claim.cue:
                prompt.append(f"  {claim.cue.text}", style="italic")
            if claim.kind != "speech":
                prompt.append(f"  ({claim.kind})", style="dim")  # stance, belief, evidence…
            if claim.hedges:
                prompt.append(
                    "  ~" + ", ".join(h.text for h in claim.hedges[:3]), style=self.marks.hedge
                )
            prompt.append("\n")
            prompt.append(claim_excerpt(analysis.text, claim), style="")
            options.append(Option(prompt, id=claim.id))
        if more_sourced:
            options.append(
                Option(
                    Text(
                        f"…and {more_sourced} more sourced claims: f filters the text", style="dim"
                    ),
                    id="__more_sourced__",
                    disabled=True,
                )
            )
        if unsourced:
            options.append(None)
            total = len(unsourced) + more_unsourced
            options.append(
                Option(
                    Text(f"Unsourced statements ({total}): the author's own", style="dim"),
                    id="__unsourced__",
                    disabled=True,
                )
            )
            for claim in unsourced:
                options.append(None)
                prompt = Text()
                grade = self.grade_of("claim", claim.id)
                if grade:
                    prompt.append(f"[{grade}] ", style="bold reverse")
                prompt.append("(unsourced)", style="dim")
                if claim.hedges:
                    prompt.append(
                        "  ~" + ", ".join(h.text for h in claim.hedges[:3]), style=self.marks.hedge
                    )
                prompt.append("\n")
                prompt.append(claim_excerpt(analysis.text, claim))
                options.append(Option(prompt, id=claim.id))
            if more_unsourced:
                options.append(
                    Option(
                        Text(f"…and {more_unsourced} more: f filters the text", style="dim"),
                        id="__more_unsourced__",
                        disabled=True,
                    )
                )
        olist.clear_options()
        olist.add_options(options)
        if highlighted is not None and olist.option_count:
            olist.highlighted = min(highlighted, olist.option_count - 1)

    # ------------------------------------------------------------------ annotations
    def grade_of(self, target_type: str, target_id: str) -> str:
        """The latest grade and status the reader gave this claim or source, as shown."""
        grade = status = None
        for a in self.annotations:
            if a.target_type == target_type and a.target_id == target_id:
                grade = a.grade or grade
                status = a.status or status
        return " · ".join(x for x in (grade, status) if x)

    @staticmethod
    def _graded(annotations: list[Annotation]) -> dict[tuple[str, str], str]:
        """What :meth:`grade_of` shows, for every claim and source the reader graded."""
        shown: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        for a in annotations:
            if a.target_type in ("claim", "source") and a.target_id and (a.grade or a.status):
                grade, status = shown.get((a.target_type, a.target_id), (None, None))
                shown[(a.target_type, a.target_id)] = (a.grade or grade, a.status or status)
        return {k: " · ".join(x for x in v if x) for k, v in shown.items()}

    def set_annotations(self, annotations: list[Annotation]) -> None:
        before = self._graded(self.annotations)
        self.annotations = annotations
        if not self.ready:
            return  # listed when the tabs are mounted
        self._fill_notes()
        if self.analysis is not None and self._graded(annotations) != before:
            # the grades shown in the lists changed (lists not filled yet show them when
            # they are)
            if "tab-claims" not in self._stale:
                self._fill_claims(self.analysis)
            if "tab-sources" not in self._stale:
                self._fill_sources(self.analysis)

    def describe_target(self, a: Annotation, limit: int = 28) -> str:
        if a.target_type == "text":
            quote = a.exact or ""
        else:
            name = a.target_id or ""
            if self.analysis is not None:
                if a.target_type == "actor" and (actor := self.analysis.actor(a.target_id)):
                    name = actor.name
                elif a.target_type == "source" and (src := self.analysis.source(a.target_id)):
                    name = src.name
                elif a.target_type == "claim":
                    claim = next((c for c in self.analysis.claims if c.id == a.target_id), None)
                    if claim:
                        name = claim_excerpt(self.analysis.text, claim, 60)
            quote = f"{a.target_type}: {name}"
        quote = " ".join(quote.split())
        return quote if len(quote) <= limit else quote[: limit - 1] + "…"

    def _fill_notes(self) -> None:
        if not self.ready:
            return
        table = self.query_one("#notes", NotesTable)

        def fill() -> None:
            table.clear()
            for a in self.annotations:
                mark = Text()
                if a.orphan:
                    mark.append("orphan ", style=self.marks.orphan)
                if a.meaning:
                    mark.append(
                        f"{MEANING_MARKS[a.meaning]} {a.meaning}",
                        style=self.marks.meanings[a.meaning],
                    )
                elif a.grade or a.status:
                    mark.append(" · ".join(x for x in (a.grade, a.status) if x), style="bold")
                else:
                    mark.append(a.kind)
                body = Text()
                if a.note:
                    first = a.note.strip().splitlines()[0] if a.note.strip() else ""
                    body.append(first[:60])
                if a.tags:
                    body.append(
                        ("  " if a.note else "") + " ".join("#" + t for t in a.tags), style="cyan"
                    )
                where = Text(
                    self.describe_target(a), style="italic" if a.target_type == "text" else ""
                )
                table.add_row(mark, where, body, key=a.id)

        self._keep_cursor(table, fill)

    def timeline_note(self, message: str) -> None:
        self.query_one("#timeline-note", Label).update(Text(message, style="dim"))

    def show_timeline(self, events: list[DatedEvent], text: str, dated: bool) -> None:
        """Dated events in date order; each row's key is "start:end" of its sentence."""
        self.query_one("#timeline-note", Label).update(
            Text(
                f"{len(events)} dated mention{'' if len(events) == 1 else 's'}, in date order."
                if dated
                else "This briefing carries no date, so relative dates (“Tuesday”, “in June”) "
                "cannot be placed; only dates written in full are listed. Give one with "
                "--date YYYY-MM-DD.",
                style="dim",
            )
        )
        table = self.query_one("#timeline", ItemTable)
        table.clear()
        seen: set[str] = set()
        for ev in events:
            key = f"{ev.sentence_start}:{ev.sentence_end}:{ev.start}"
            if key in seen:
                continue
            seen.add(key)
            sentence = " ".join(text[ev.sentence_start : ev.sentence_end].split())
            if len(sentence) > 90:
                sentence = sentence[:89] + "…"
            table.add_row(ev.label, ev.text, sentence, key=key)

    def claim_count(self) -> int:
        return len(self.analysis.claims) if self.analysis else 0
