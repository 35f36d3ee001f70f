"""The side panel: the analysis state, the tabs, and the legend.

Each tab is a widget of its own (actors.py, claims.py, …), built and mounted the first time
it is shown: at start only the Actors list is. A tab's list is drawn from the panel's
:class:`PanelData`; when the data change, the tab in view is drawn again at once and the
others when they are next shown."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.widget import MountError, Widget
from textual.widgets import ProgressBar

from brief_tui.ui.palette import DEFAULT_MARKS, FAMILIES, MEANING_MARKS, MEANINGS, Marks
from brief_tui.ui.panel.across import AcrossPane, AcrossTab, FiguresPane
from brief_tui.ui.panel.actors import ActorList
from brief_tui.ui.panel.base import PanelData, graded
from brief_tui.ui.panel.claims import ClaimList
from brief_tui.ui.panel.detail import DetailTab
from brief_tui.ui.panel.lines import LineList
from brief_tui.ui.panel.notes import NotesList
from brief_tui.ui.panel.sources import SourceList, narrowed_sources
from brief_tui.ui.panel.timeline import TimelineTab
from brief_tui.ui.safe import Label, Static

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis
    from brief_tui.briefing.dates import DatedEvent
    from brief_tui.library.annotations import Annotation
    from brief_tui.library.store.protocol import LibraryStore as Store

#: the tabs in order: id, title, the widget that shows it
TABS: tuple[tuple[str, str, Callable[[], Widget]], ...] = (
    ("tab-actors", "Actors", lambda: ActorList(id="actors")),
    ("tab-claims", "Claims", lambda: DetailTab(ClaimList(id="claims"))),
    ("tab-sources", "Sources", lambda: DetailTab(SourceList(id="sources"))),
    ("tab-notes", "Notes", lambda: DetailTab(NotesList(id="notes"))),
    ("tab-across", "Across", AcrossTab),
    ("tab-timeline", "Timeline", TimelineTab),
)
FIRST_TAB = TABS[0][0]
#: where the tab strip cuts titles off (single angle quotes)
CUT_LEFT, CUT_RIGHT = "\u2039", "\u203a"

#: what each list is drawn from: it is drawn again when one of these changed
DEPENDS = {
    "tab-actors": {"analysis"},
    "tab-claims": {"analysis", "grades", "marks", "narrow"},
    "tab-sources": {"analysis", "grades", "narrow"},
    "tab-notes": {"analysis", "annotations", "marks"},
}


def reader_list_bindings() -> list[tuple[str, list[Binding]]]:
    """The side panel lists' keys by section (help, the palette and the keymap check)."""

    def of(cls: type[object]) -> list[Binding]:
        return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding)]

    return [
        ("Side panel lists", of(LineList)),
        ("Claims tab", of(ClaimList)),
        ("Sources tab", of(SourceList)),
        ("Notes tab", of(NotesList)),
        ("Claim and note detail", of(DetailTab)),
        ("Across tab", [*of(AcrossPane), *of(FiguresPane)]),
    ]


class TabStrip(Widget):
    """The tabs' titles on one line, the one in view standing out; a click shows a tab.
    (One widget: Textual's TabbedContent is some fifteen, mounted on the way to the
    analysed panel.)"""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-strip--active"}
    DEFAULT_CSS = """
    TabStrip { height: 1; padding: 0 1; color: $text-muted; }
    TabStrip > .tab-strip--active { color: $text; text-style: bold underline; }
    SidePanel:focus-within TabStrip > .tab-strip--active { color: $accent; }
    """

    active: reactive[str] = reactive(FIRST_TAB)

    def __init__(self, choose: Callable[[str], None]) -> None:
        super().__init__()
        self._choose = choose
        #: (first cell, end cell, tab) of each title as drawn
        self._spans: list[tuple[int, int, str]] = []
        #: what a tab's title adds (a filtered list: "3/15", shown of all)
        self.notes: dict[str, str] = {}

    def set_notes(self, notes: dict[str, str]) -> None:
        if notes != self.notes:
            self.notes = notes
            self.refresh()

    def render(self) -> Text:
        shown = self.get_component_rich_style("tab-strip--active", partial=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        spans = []
        for tab, title, _ in TABS:
            start = text.cell_len
            note = self.notes.get(tab)
            label = f" {title} {note} " if note else f" {title} "
            text.append(label, style=shown if tab == self.active else "")
            spans.append((start, text.cell_len, tab))
        # too narrow for every title (80 columns): the part holding the tab in view, with
        # an angle quote where titles are cut off (the titles are ASCII: a cell a character)
        room = self.content_region.width
        left, right = 0, len(text)
        if 0 < room < len(text):
            start, end = next((a, b) for a, b, t in spans if t == self.active)
            for left in [a for a, _, _ in spans]:
                right = left + room - (left > 0)
                if right < len(text):
                    right -= 1
                if (left <= start and end <= right) or right - left < end - start:
                    break
            shift = left - (left > 0)
            text = Text.assemble(
                CUT_LEFT if left else "", text[left:right], CUT_RIGHT * (right < len(text)), end=""
            )
            spans = [(a - shift, b - shift, t) for a, b, t in spans]
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)
        if at is None:
            return
        for start, end, tab in self._spans:
            if start <= at.x < end:
                self._choose(tab)


class PanelTabs(Vertical):
    """The tab strip and the tabs' widgets below it; ``active`` is the tab in view (setting
    it tells the panel at once, so that the tab's widget exists as soon as it is asked for)."""

    DEFAULT_CSS = """
    PanelTabs { height: 1fr; }
    PanelTabs > #tab-body { height: 1fr; }
    """

    def __init__(self, first: Widget, on_switch: Callable[[str], None]) -> None:
        super().__init__(id="tabs")
        self._active = FIRST_TAB
        self._on_switch = on_switch
        self.strip = TabStrip(self._set)
        self.body = Vertical(first, id="tab-body")

    def compose(self) -> ComposeResult:
        yield self.strip
        yield self.body

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, tab: str) -> None:
        self._set(tab)

    def _set(self, tab: str) -> None:
        if tab == self._active or tab not in {t for t, _, _ in TABS}:
            return
        self._active = tab
        self.strip.active = tab
        self._on_switch(tab)


class SidePanel(Vertical):
    DEFAULT_CSS = """
    SidePanel { width: 42%; min-width: 36; border-left: solid $primary-muted; }
    SidePanel:focus-within { border-left: thick $accent; }
    SidePanel #state { height: auto; width: 100%; padding: 0 1; color: $text-muted; }
    SidePanel #progress { padding: 0 1; }
    SidePanel #legend {
        height: auto; max-height: 6; padding: 0 1; border-top: solid $primary-muted;
    }
    SidePanel.-short #legend { display: none; }
    SidePanel.-short #state { max-height: 2; }
    """

    class TabShown(Message):
        """A tab of the panel came into view."""

        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = PanelData()
        self._state_message = ""
        #: the tabs' widgets built so far, by tab id
        self._built: dict[str, Widget] = {}
        #: built tabs whose lists show older data than the panel's
        self._stale: set[str] = set()
        #: an Across look-up asked for before its tab was built
        self._across: tuple[Store, str, str, str, list[str], str | None] | None = None
        #: True once the tabs and the legend are mounted (after the reader's first frame)
        self.ready = False
        #: what the tabs' titles add, as last shown
        self._notes: dict[str, str] = {}
        self._mounting = False

    # ------------------------------------------------------------------ what it shows
    @property
    def analysis(self) -> Analysis | None:
        return self.data.analysis

    @property
    def annotations(self) -> list[Annotation]:
        return self.data.annotations

    @property
    def marks(self) -> Marks:
        return self.data.marks

    def compose(self) -> ComposeResult:
        yield Label("Waiting to analyse…", id="state")
        yield ProgressBar(total=100, show_eta=False, id="progress")

    async def mount_body(self) -> None:
        """Mount the tabs (the first one's list only) and the legend, just after the
        reader's first frame (or with a cached analysis, read at once). Once, if asked
        twice meanwhile."""
        if self.ready or self._mounting:
            return
        self._mounting = True
        first = self._build(FIRST_TAB)
        try:
            await self.mount(
                PanelTabs(first, self._switched), Static(self.legend(self.marks), id="legend")
            )
        except (MountError, NoMatches):  # the reader was closed before its first frame settled
            self._mounting = False
            return
        self.ready = True

    def _build(self, tab: str) -> Widget:
        """The widget of ``tab``, made and filled with the panel's data."""
        make = next(m for t, _, m in TABS if t == tab)
        widget = self._built[tab] = make()
        if tab == "tab-across" and self._across is not None:
            store, briefing_id, kind, name, aliases, actor_kind = self._across
            self._across = None
            assert isinstance(widget, AcrossTab)
            widget.across.show_for(store, briefing_id, kind, name, aliases, actor_kind=actor_kind)
        self._draw(tab)
        return widget

    def _switched(self, tab: str) -> None:
        """The tab in view changed: its widget is built now if it was not, or drawn again
        if the data changed while it was hidden; the others are hidden."""
        for other, widget in self._built.items():
            widget.display = other == tab
        if tab not in self._built:
            try:
                body = self.query_one(PanelTabs).body
            except NoMatches:
                return
            widget = self._build(tab)
            body.mount(widget)
            if isinstance(widget, DetailTab):
                widget.mount_parts()
        elif tab in self._stale:
            self._draw(tab)
        self.post_message(self.TabShown(tab))

    def _draw(self, tab: str) -> None:
        self._stale.discard(tab)
        widget = self.list_of(tab)
        if isinstance(widget, ActorList | ClaimList | SourceList | NotesList):
            widget.show_data(self.data)
        self._titles()

    def _changed(self, *what: str) -> None:
        """The data changed: the tab in view is drawn again now, the others when shown."""
        active = self.active_tab or FIRST_TAB
        for tab in self._built:
            if DEPENDS.get(tab, set()) & set(what):
                if tab == active:
                    self._draw(tab)
                else:
                    self._stale.add(tab)
        self._titles()

    def _titles(self) -> None:
        """The tabs' titles say when their lists are filtered: "Claims 3/15"."""
        data, notes = self.data, {}
        analysis = data.analysis
        if analysis is not None and data.claims_filtered:
            notes["tab-claims"] = f"{len(data.shown_claims())}/{len(analysis.claims)}"
        if analysis is not None and data.claim_view.grouped:
            notes["tab-claims"] = " ".join(x for x in (notes.get("tab-claims"), "by source") if x)
        if analysis is not None and data.narrow is not None:
            notes["tab-sources"] = f"{len(narrowed_sources(data))}/{len(analysis.sources)}"
        if notes != self._notes:  # (no look-up in the usual case: nothing filtered)
            with contextlib.suppress(NoMatches):
                self.query_one(TabStrip).set_notes(notes)
                self._notes = notes

    def on_claim_list_filter_changed(self, event: ClaimList.FilterChanged) -> None:
        event.stop()
        self._titles()

    def on_source_list_show_claims(self, event: SourceList.ShowClaims) -> None:
        """The Claims tab with only this source's claims (its other filters kept)."""
        event.stop()
        self.data.claim_view.source = event.source_id
        self._stale.add("tab-claims")
        self.show_tab("tab-claims")
        if "tab-claims" in self._stale:  # built before and shown already: drawn now
            self._draw("tab-claims")
        self.focus_list()

    def set_narrow(self, spans: list[tuple[int, int]] | None, label: str = "") -> None:
        """The reading filter (f) narrows the Claims and Sources lists to the passages it
        keeps (None: it was cleared)."""
        if spans is None and self.data.narrow is None:
            return
        self.data.set_narrow(spans, label)
        self._changed("narrow")

    # ------------------------------------------------------------------ the legend and marks
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

    def set_marks(self, marks: Marks) -> None:
        self.data.marks = marks
        if not self.ready:
            return  # the legend is drawn in these marks when it is mounted
        self.query_one("#legend", Static).update(self.legend(marks))
        self._changed("marks")

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

    def show_summary(self, analysis: Analysis, *, cached: bool) -> None:
        """The state line of a complete analysis: its sourcing profile in one line."""
        sourced = sum(1 for c in analysis.claims if c.source)
        line = analysis.profile.get("line") or (
            f"{len(analysis.claims)} claims: {sourced} sourced; {len(analysis.sources)} sources"
        )
        origin = " · from the cache" if cached else ""
        self.set_state(
            f"{len(analysis.actors)} actors · {line}  ({analysis.model_name} "
            f"{analysis.model_version}{origin})",
            short=f"{len(analysis.actors)} actors · {len(analysis.claims)} claims, "
            f"{sourced} sourced · {len(analysis.sources)} sources",
        )

    # ------------------------------------------------------------------ content
    def show(self, analysis: Analysis, *, complete: bool = True) -> None:
        """Show an analysis: in the tab in view now, in the others when they are shown."""
        del complete  # every list is drawn from the latest analysis when it is shown
        self.data.analysis = analysis
        self._changed("analysis")

    def set_annotations(self, annotations: list[Annotation], analyst: str | None = None) -> None:
        """Show these annotations; ``analyst``: the reader's name in a shared library."""
        data = self.data
        before = graded(data.annotations, data.analyst), data.team_grades(), data.analyst
        data.annotations, data.analyst = annotations, analyst
        if (graded(annotations, analyst), data.team_grades(), analyst) != before:
            self._changed("annotations", "grades")
        else:
            self._changed("annotations")

    @property
    def lists_filled(self) -> bool:
        """Whether the list in view shows the current data (the others are drawn when
        they are shown)."""
        return self.ready and (self.active_tab or FIRST_TAB) not in self._stale

    def grade_of(self, target_type: str, target_id: str) -> str:
        return self.data.grade_of(target_type, target_id)

    def describe_target(self, a: Annotation, limit: int = 28) -> str:
        return self.data.describe_target(a, limit)

    def claim_count(self) -> int:
        return len(self.data.analysis.claims) if self.data.analysis else 0

    # ------------------------------------------------------------------ tabs
    @property
    def active_tab(self) -> str:
        """The id of the tab in view ("" before the tabs are mounted)."""
        if not self.ready:
            return ""
        try:
            return self.query_one(PanelTabs).active
        except NoMatches:
            return ""

    def tab_widget(self, tab: str) -> Widget | None:
        """The widget of ``tab`` if it was built (shown once)."""
        return self._built.get(tab)

    def list_of(self, tab: str) -> LineList | None:
        """The list of ``tab`` if it was built (in a :class:`DetailTab` or alone)."""
        widget = self._built.get(tab)
        if isinstance(widget, DetailTab):
            return widget.list
        return widget if isinstance(widget, LineList) else None

    def show_tab(self, tab: str) -> None:
        if self.ready:
            self.query_one(PanelTabs).active = tab

    def step_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab."""
        if not self.ready:
            return  # the panel's tabs are mounted just after the first frame
        ids = [t for t, _, _ in TABS]
        active = self.active_tab
        at = ids.index(active) if active in ids else 0
        self.show_tab(ids[(at + step) % len(ids)])

    def focus_list(self, again: bool = True) -> None:
        """Focus the list of the tab in view (its first focusable widget; a tab built just
        now has its widgets a moment later)."""
        widget = self._built.get(self.active_tab)
        if widget is None:
            return
        for node in [widget, *widget.query("*")]:
            if node.focusable:
                node.focus()
                return
        if again:
            self.call_after_refresh(self.focus_list, False)

    def select(self, tab: str, key: str, *, focus: bool = False) -> None:
        """Show ``tab`` with the item ``key`` selected in its list."""
        if not self.ready:
            return
        self.show_tab(tab)
        widget = self.list_of(tab)
        if widget is not None:
            if widget.holds(key):
                widget.move_cursor(row=widget.get_row_index(key))
            if focus:
                widget.focus()

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
        """The other briefings mentioning an actor or a source, in the Across tab (looked up
        when the tab is first shown if it was not yet)."""
        widget = self._built.get("tab-across")
        if isinstance(widget, AcrossTab):
            widget.across.show_for(store, briefing_id, kind, name, aliases, actor_kind=actor_kind)
        else:
            self._across = (store, briefing_id, kind, name, aliases, actor_kind)

    def show_figures(self, store: Store, briefing_id: str) -> None:
        widget = self._built.get("tab-across")
        if isinstance(widget, AcrossTab):
            widget.figures.show_for(store, briefing_id)

    def timeline_note(self, message: str) -> None:
        widget = self._built.get("tab-timeline")
        if isinstance(widget, TimelineTab):
            widget.set_note(message)

    def show_timeline(self, events: list[DatedEvent], text: str, dated: bool) -> None:
        """Dated events in date order; each row's key is "start:end:at" of its sentence."""
        widget = self._built.get("tab-timeline")
        if isinstance(widget, TimelineTab):
            widget.show(events, text, dated)
