"""The reader screen: one briefing, the article on the left and the analysis beside it.

It lays the briefing out, holds the reader's key actions, owns an :class:`Annotator` (the
reader's marks), a :class:`Reading` controller (filters, copying, clicks) and a
:class:`Navigator` (search, jumps), and keeps a :class:`Session` per briefing shown, which
does the work and reports back by messages.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from brief_tui.briefing import Briefing
from brief_tui.ui import heap, palette
from brief_tui.ui.annotating import ANNOTATION_BINDINGS, Annotator
from brief_tui.ui.article import ArticleView
from brief_tui.ui.bars import SearchBar, StatusLine
from brief_tui.ui.host import ReadingFilter
from brief_tui.ui.messages import (
    AnalysisProgress,
    AnalysisReady,
    BriefingRemembered,
    LibraryChanged,
    ModelMissing,
    NotesChanged,
    Notice,
    PositionKnown,
    SaveFinished,
    StoreOpened,
    StoreReadOnly,
    TimelineReady,
)
from brief_tui.ui.navigator import NAVIGATION_BINDINGS, Navigator
from brief_tui.ui.panel import AcrossPane, PanelList, SidePanel
from brief_tui.ui.reading import READING_BINDINGS, BriefCommands, Reading
from brief_tui.ui.safe import Static
from brief_tui.ui.session import HeadStart, Session, SessionOptions

if TYPE_CHECKING:
    from textual.binding import Binding as BindingT

    from brief_tui.analysis.model import Analysis
    from brief_tui.library.annotations import Annotation
    from brief_tui.library.store.protocol import LibraryStore as Store
    from brief_tui.ui.library_screen import Choice


def bindings_of(cls: type[object]) -> list[BindingT]:
    return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding)]


class ReaderScreen(Screen[None]):
    """One briefing on screen at a time (another replaces it, with a session of its own)."""

    COMMANDS = Screen.COMMANDS | {BriefCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        *NAVIGATION_BINDINGS,
        Binding("escape", "clear", "Clear marks", id="app.clear", show=False),
        Binding("L", "library", "Library", id="app.library"),
        Binding("right_square_bracket", "tab_step(1)", "Next tab", id="panel.next_tab", show=False),
        Binding("left_square_bracket", "tab_step(-1)", "Prev tab", id="panel.prev_tab", show=False),
        *ANNOTATION_BINDINGS,
        *READING_BINDINGS,
    ]

    def __init__(
        self,
        briefing: Briefing,
        options: SessionOptions,
        *,
        marks: palette.Marks,
        keeper: heap.HeapKeeper,
        export_dir: Path | None = None,
        process: HeadStart | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self._marks = marks
        self.keeper = keeper
        self._export_dir = export_dir
        self.session = Session(briefing, self, options, process=process)
        self.briefing = briefing
        self.analysis: Analysis | None = None
        self.analysis_state = "waiting"
        #: "spacy" or "cache": where the last complete analysis came from
        self.analysis_source = ""
        self.focus_label = ""
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.read_only_reason: str | None = None
        self.annotator = Annotator(self)
        self.reading = Reading(self)
        self.navigator = Navigator(self)
        self._paint_token: object | None = None
        #: the offset a briefing was opened at (from Across): not the last reading position
        self._open_at: int | None = None
        self._timeline_for = ""
        self._figures_for = ""

    # ------------------------------------------------------------------ what collaborators see
    @property
    def store(self) -> Store | None:
        return self.session.store

    @property
    def marks(self) -> palette.Marks:
        return self._marks

    @property
    def annotations(self) -> list[Annotation]:
        return self.annotator.annotations

    @property
    def selection(self) -> tuple[int, int] | None:
        return self.annotator.selection

    @property
    def reading_filter(self) -> ReadingFilter | None:
        return self.reading.reading_filter

    @property
    def data_dir(self) -> Path | None:
        return self.options.data_dir

    @property
    def export_dir(self) -> Path | None:
        return self._export_dir

    @property
    def loaded(self) -> bool:
        """True once the store and the analysis have been asked for (after the first frame)."""
        return self.session.started

    def article(self) -> ArticleView | None:
        try:
            return self.query_one(ArticleView)
        except NoMatches:  # an empty briefing has no article
            return None

    def panel(self) -> SidePanel | None:
        try:
            return self.query_one(SidePanel)
        except NoMatches:
            return None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            if self.briefing.is_empty:
                empty = f"This briefing is empty: {self.briefing.origin} holds no text."
                yield Static(Text(empty, style="bold"), id="empty")
            else:
                yield ArticleView(self.briefing.text, self.briefing.paragraphs, id="article")
            yield SidePanel(id="panel")
        yield StatusLine(id="status")
        # the footer's line, kept until the footer is mounted just after the first frame
        # (its keys are a dozen widgets; the search bar is mounted when first asked for)
        yield Static(id="footer-slot")

    def all_bindings(self) -> list[tuple[str, list[BindingT]]]:
        from brief_tui.ui.panel import reader_list_bindings

        app_bindings = bindings_of(type(self.app))
        return [
            ("Everywhere", [*app_bindings, *bindings_of(ReaderScreen)]),
            ("Article", bindings_of(ArticleView)),
            *reader_list_bindings(),
            ("Search box", bindings_of(SearchBar)),
        ]

    def on_mount(self) -> None:
        self.app.title = self.briefing.title
        self.app.sub_title = self.briefing.origin
        self._start()

    def on_resize(self, event: events.Resize) -> None:
        # on a short terminal the legend gives its lines to the lists
        if (panel := self.panel()) is not None:
            panel.set_class(event.size.height < 34, "-short")

    def _start(self) -> None:
        """Show the current briefing and start its session."""
        panel = self.query_one(SidePanel)
        panel.set_marks(self.marks)
        if self.briefing.is_empty:
            panel.set_state("Nothing to analyse: the briefing is empty.")
            self.analysis_state = "empty"
        else:
            self.query_one(ArticleView).focus()
            if self.options.analyse:
                panel.set_state("Opening…", 0.0)
            else:
                panel.set_state("Analysis is off (--no-analysis).")
                self.analysis_state = "off"
        # the analysis process starts at once (it has a core of its own); the rest once the
        # article is on screen: it would otherwise compete with the first frame
        self.session.start_process()
        if self.session.reading_ahead:  # the analysis comes at once: the panel's tabs too
            self.call_later(panel.mount_body)
        self.update_status()
        token = self._paint_token = object()

        async def first_paint() -> None:
            if self._paint_token is token:
                self._paint_token = None
                await self._first_paint()

        for view in self.query(ArticleView):  # (an empty briefing has none)
            view.when_drawn(first_paint)
        self.call_after_refresh(first_paint)

    async def _first_paint(self) -> None:
        self.timings.setdefault("article_visible", time.perf_counter() - self.started)
        self.update_status()  # the scroll position is known once the text is laid out
        self.session.run()
        if (panel := self.panel()) is not None:
            await panel.mount_body()
        await self._mount_footer()
        if not self.keeper.started:  # once (this runs again when another briefing opens)
            heap.settle()  # Textual's own objects: alive as long as the app
            self.keeper.start()
            self.set_interval(0.5, self.keeper.tick)

    async def _mount_footer(self) -> None:
        try:
            slot = self.query_one("#footer-slot")
        except NoMatches:  # recomposed meanwhile (another briefing opened)
            return
        try:
            await self.mount(Footer(), after=slot)
            await slot.remove()
            # the footer lists the keys when the screen says its bindings changed
            self.refresh_bindings()
        except MountError:  # the reader was closed before its first frame settled
            pass

    # ------------------------------------------------------------------ the session's news
    def _current(self, message: object) -> bool:
        return getattr(message, "briefing_id", None) == self.session.briefing.id

    def on_store_opened(self, message: StoreOpened) -> None:
        store = message.store
        if store.warning:
            self.notify(
                store.warning, severity="warning" if not store.read_only else "error", timeout=15
            )
        self.update_status()
        if message.library_first:
            self.action_library()

    def on_store_read_only(self, message: StoreReadOnly) -> None:
        self.read_only_reason = message.reason
        self.update_status()

    def on_notice(self, message: Notice) -> None:
        self.notify(
            message.message, title=message.title, severity=message.severity, timeout=message.timeout
        )

    def on_briefing_remembered(self, message: BriefingRemembered) -> None:
        if self._current(message):
            self.briefing = message.briefing

    def on_position_known(self, message: PositionKnown) -> None:
        """Back where the reader was last time, unless they have moved already."""
        article = self.article()
        if not self._current(message) or article is None or self._open_at is not None:
            return
        if (
            article.cursor == 0
            and article.scroll_offset.y == 0
            and message.offset < len(article.text)
        ):
            article.cursor = message.offset
            article.scroll_to_offset(message.offset)
            self.update_status()

    def on_notes_changed(self, message: NotesChanged) -> None:
        if self._current(message):
            self.annotator.show_annotations(message.annotations)

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.briefing_id in ("", self.session.briefing.id):  # "": any may have
            self.session.reload_notes()

    def on_save_finished(self, message: SaveFinished) -> None:
        self.annotator.save_finished(message)

    def on_model_missing(self, message: ModelMissing) -> None:
        if not self._current(message):
            return
        self.analysis_state = "no model"
        self.query_one(SidePanel).set_state(message.message, None, error=True)
        self.update_status()

    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        if not self._current(message) or self.analysis_state == "done":
            return
        if message.analysis is not None:
            self._apply_analysis(message.analysis, message.fraction or 0.0)
        self.query_one(SidePanel).set_state(message.state, message.fraction)

    def on_analysis_ready(self, message: AnalysisReady) -> None:
        if not self._current(message):
            return
        self.analysis_source = message.source
        self._apply_analysis(message.analysis, 1.0)
        self.call_after_refresh(self.session.shown)
        if self._timeline_for.startswith(f"{self.briefing.id}:"):  # shown from the text: redo
            self._load_timeline()

    def on_timeline_ready(self, message: TimelineReady) -> None:
        if self._current(message) and (panel := self.panel()) is not None:
            panel.show_timeline(message.events, message.text, message.dated)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "analysis" or event.state != WorkerState.ERROR:
            return
        err = event.worker.error
        self.analysis_state = "failed"
        self.query_one(SidePanel).set_state(
            f"Analysis failed: {type(err).__name__}: {err}", None, error=True
        )
        self.update_status()

    def _apply_analysis(self, analysis: Analysis, fraction: float) -> None:
        if analysis.briefing_id != self.briefing.id:
            return  # a late result for the briefing shown before this one
        self.analysis = analysis
        done = fraction >= 1.0
        self.analysis_state = "done" if done else f"{fraction:.0%}"
        if (article := self.article()) is not None:
            article.set_sentences([(s.start, s.end) for s in analysis.sentences])
        self._style_analysis()
        panel = self.query_one(SidePanel)
        panel.show(analysis, complete=done)
        if done:
            self.timings.setdefault("analysis_done", time.perf_counter() - self.started)
            self._figures_for = ""  # found again when the Across tab is next shown
            if panel.active_tab == "tab-across":
                self._show_figures()
            cached = self.analysis_source == "cache"  # (counts read the claims: after the frame)
            self.call_after_refresh(panel.show_summary, analysis, cached=cached)
            self.annotator.update_gutter()
        self.update_status()

    def _style_analysis(self) -> None:
        """Lay the analysis over the text in the current theme's styles: the entities now,
        the claims' marks just after the frame (a cached analysis decodes its claims then)."""
        analysis, article = self.analysis, self.article()
        if analysis is None or article is None:
            return
        styles = {label: self.marks.entity(label) for label in {e.label for e in analysis.entities}}
        article.set_entities([(e.start, e.end, e.label) for e in analysis.entities], styles)
        article.call_after_refresh(self._style_claims, analysis, article)

    def _style_claims(self, analysis: Analysis, article: ArticleView) -> None:
        if analysis is self.analysis:  # (not replaced meanwhile)
            hedge, cue, claims = self.marks.hedge, self.marks.cue, analysis.claims
            article.set_layer("hedges", ((h.start, h.end, hedge) for c in claims for h in c.hedges))
            article.set_layer("claims", ((c.cue.start, c.cue.end, cue) for c in claims if c.cue))

    def restyle(self, marks: palette.Marks) -> None:
        """Redraw every mark in these marks (after a theme change)."""
        self._marks = marks
        panel = self.panel()
        if panel is None:
            return
        panel.set_marks(marks)
        article = self.article()
        if article is None:
            return
        self._style_analysis()
        if self.analysis is not None:
            panel.show(self.analysis, complete=self.analysis_state == "done")
        self.navigator.restyle()
        self.reload_annotations()
        self.reading.apply_filter()

    # ------------------------------------------------------------------ the panel's tabs
    def on_side_panel_tab_shown(self, event: SidePanel.TabShown) -> None:
        if event.tab == "tab-across":
            self._show_figures()
        if event.tab == "tab-timeline":
            self._load_timeline()

    def _load_timeline(self) -> None:
        """Once a briefing from its text alone, and again from its complete analysis (spaCy's
        dates) when that comes."""
        done = self.analysis if self.analysis_state == "done" else None
        key = f"{self.briefing.id}:{'analysis' if done is not None else 'text'}"
        if self._timeline_for == key:
            return
        self._timeline_for = key
        self.query_one(SidePanel).timeline_note("Finding the dates…")
        self.session.load_timeline(done)

    def _show_figures(self) -> None:
        """The Across tab's figures given in other briefings: looked up when the tab is
        shown (it reads every analysed briefing of the library: not worth doing at start)."""
        if self.store is None or self.analysis_state != "done":
            return
        if self._figures_for != self.briefing.id:
            self._figures_for = self.briefing.id
            self.query_one(SidePanel).show_figures(self.store, self.briefing.id)

    def action_tab_step(self, step: int) -> None:
        """The side panel's next or previous tab, from anywhere; when the panel has the focus
        it goes to the new tab's list, so j/k move its rows at once."""
        panel = self.panel()
        if panel is None:
            return
        panel.step_tab(step)
        if self.focused is not None and panel in self.focused.ancestors_with_self:
            panel.focus_list()

    # ------------------------------------------------------------------ status
    def update_status(self) -> None:
        try:
            status = self.query_one(StatusLine)
        except NoMatches:  # not composed yet
            return
        title = self.briefing.title
        parts = [title if len(title) <= 60 else title[:59] + "…"]
        article = self.article()
        if article is not None:
            # how far through the text the view is: 0% at the top, 100% at the bottom
            top, bottom = article.scroll_offset.y, article.max_scroll_y
            pct = 100 if bottom <= 0 else round(100 * min(top, bottom) / bottom)
            parts.append(f"{pct}%")
        nav = self.navigator
        if nav.query:
            n = len(nav.matches)
            where = f"{nav.index + 1}/{n}" if n else "no matches"
            parts.append(f"/{nav.query}: {where}")
        if self.focus_label:
            parts.append(self.focus_label)
        if self.reading_filter is not None:
            parts.append(f"filter: {self.reading_filter.label}")
        parts.append(f"analysis: {self.analysis_state}")
        if self.store is not None and self.store.read_only:
            parts.append("READ-ONLY: notes are not saved")
        status.show(parts)

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self.annotator.cursor_moved()
        if event.what.startswith("entity"):
            s = event.view.current
            if s:
                # "entity 3/92: GPE" → "entity 3/92: country / place"
                head, _, label = event.what.partition(": ")
                kind = palette.family_of(label).title.lower() if label else ""
                self.focus_label = f"{head}: {kind} “{self.briefing.text[s[0] : s[1]]}”"
        elif self.focus_label.startswith("entity") and self.annotator.visual_anchor is None:
            self.focus_label = ""
        self.update_status()

    def on_mouse_scroll_down(self) -> None:
        self.keeper.touched()
        self.call_after_refresh(self.update_status)

    def on_mouse_scroll_up(self) -> None:
        self.keeper.touched()
        self.call_after_refresh(self.update_status)

    def on_key(self) -> None:
        self.keeper.touched()
        self.call_after_refresh(self.update_status)

    def on_click(self, event: events.Click) -> None:
        self.reading.click(event)

    # ------------------------------------------------------------------ search
    async def action_search(self) -> None:
        if self.briefing.is_empty:
            return
        try:
            bar = self.query_one(SearchBar)
        except NoMatches:
            bar = SearchBar(
                placeholder="Search the text (enter to find, esc to cancel)", id="search"
            )
            await self.mount(bar, before=self.query_one(StatusLine))
        bar.display = True
        bar.value = self.navigator.query
        bar.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        bar = self.query_one(SearchBar)
        bar.display = False
        self.query_one(ArticleView).focus()
        self.search(event.value)

    def search(self, query: str) -> int:
        """Highlight every match of ``query``; returns how many (see :class:`Navigator`)."""
        return self.navigator.search(query)

    def action_search_step(self, n: int) -> None:
        if not self.briefing.is_empty:
            self.navigator.step(n)

    def action_claim_step(self, n: int) -> None:
        self.navigator.claim_step(n)

    def action_clear(self) -> None:
        article = self.article()
        if article is None:
            return
        if self.reading_filter is not None:
            self.set_filter(None)
        self.navigator.reset()
        self.focus_label = ""
        for layer in ("search", "focus", "current"):
            article.set_layer(layer, [])
        article.current = None
        self.annotator.end_visual()
        self.update_status()

    # ------------------------------------------------------------------ the collaborators' keys
    def action_visual(self) -> None:
        self.annotator.visual()

    def action_word(self, n: int) -> None:
        self.annotator.word(n)

    def action_highlight(self) -> None:
        self.annotator.highlight()

    def action_note(self) -> None:
        self.annotator.note()

    def action_tags(self) -> None:
        self.annotator.tags()

    def action_grade(self) -> None:
        self.annotator.grade()

    def action_undo(self) -> None:
        self.annotator.undo()

    def action_export(self) -> None:
        self.annotator.export()

    def action_filter(self) -> None:
        self.reading.filter()

    def action_copy(self) -> None:
        self.reading.copy()

    def set_filter(self, flt: ReadingFilter | None) -> None:
        self.reading.set_filter(flt)

    def reload_annotations(self) -> None:
        self.annotator.reload_annotations()

    # ------------------------------------------------------------------ jumps from the panel
    def on_panel_list_chosen(self, event: PanelList.Chosen) -> None:
        if event.kind == "note":
            self.annotator.jump_to_annotation(event.key)
        elif event.kind == "event":
            self.navigator.jump_to_event(event.key)
        elif event.kind == "actor":
            self.jump_to_actor(event.key)
        elif event.kind == "source":
            self.jump_to_source(event.key)
        elif event.kind == "claim":
            self.jump_to_claim(event.key)

    def on_panel_list_edit(self, event: PanelList.Edit) -> None:
        self.annotator.edit_note(event.key)

    def on_panel_list_delete(self, event: PanelList.Delete) -> None:
        self.annotator.delete_note(event.key)

    def run_article_action(self, action: str) -> None:
        """Run an article key's action from the command palette."""
        article = self.article()
        if article is None:
            return
        article.focus()
        self.call_later(self.app.run_action, action, article)

    def grade_source(self, source_id: str) -> None:
        """Select a source in the Sources tab and open its grade picker."""
        panel = self.panel()
        if panel is None:
            return
        panel.select("tab-sources", source_id, focus=True)
        self.call_later(self.annotator.grade)

    def jump_to_actor(self, actor_id: str, *, at: int | None = None) -> None:
        self.navigator.jump_to_actor(actor_id, at=at)

    def jump_to_claim(self, claim_id: str) -> None:
        self.navigator.jump_to_claim(claim_id)

    def jump_to_source(self, source_id: str) -> None:
        self.navigator.jump_to_source(source_id)

    def cites(self, source_id: str | None, origin: str | None) -> bool:
        return self.navigator.cites(source_id, origin)

    # ------------------------------------------------------------------ library
    def action_library(self, at_once: bool = False) -> None:
        store = self.store
        if store is None:
            self.notify("The library is still opening; try again in a moment.", severity="warning")
            return
        from brief_tui.ui.library_screen import LibraryScreen

        if isinstance(self.app.screen, LibraryScreen):
            return
        self.app.push_screen(LibraryScreen(store, at_once=at_once), self._library_chosen)

    def _library_chosen(self, choice: Choice | None) -> None:
        store = self.store
        if store is None:
            return
        if not store.read_only and store.briefing_info(self.briefing.id) is None:
            # the briefing on screen was removed from the library: keep reading it, and
            # keep it in the library so that new notes have somewhere to go
            store.add_briefing(self.briefing)
            self.reload_annotations()
            self.notify(
                "The briefing you are reading was removed with its notes; "
                "it stays open and is back in the library.",
                severity="warning",
                timeout=10,
            )
        if choice is not None and (choice.briefing_id != self.briefing.id or choice.offset):
            self._open_stored(choice.briefing_id, choice.offset)

    def on_across_pane_open(self, event: AcrossPane.Open) -> None:
        self._open_stored(event.briefing_id, event.offset)

    def _open_stored(self, briefing_id: str, offset: int | None) -> None:
        briefing = self.store.get_briefing(briefing_id) if self.store is not None else None
        if briefing is None:
            self.notify("That briefing is no longer in the library.", severity="error")
            return
        self.run_worker(self.open_briefing(briefing, offset), exclusive=True, group="open")

    async def open_briefing(self, briefing: Briefing, offset: int | None = None) -> None:
        """Replace the briefing on screen with another (from the library or Across)."""
        self.save_position()
        self._open_at = offset
        self.session.cancel()
        self.session = Session(
            briefing, self, self.options, store=self.store, restore_position=offset is None
        )
        self.briefing = briefing
        self.analysis = None
        self.analysis_state = "waiting"
        self.analysis_source = ""
        self.navigator.reset()
        self.focus_label = ""
        self.reading.reading_filter = None
        self.annotator.reset()
        self.app.title, self.app.sub_title = briefing.title, briefing.origin
        await self.recompose()
        self._start()
        if offset is not None and not briefing.is_empty:
            article = self.query_one(ArticleView)

            def go() -> None:
                article.cursor = offset
                article.scroll_to_offset(offset)
                self.update_status()

            self.call_after_refresh(go)

    def save_position(self) -> None:
        """Where the reader is, for the next opening (on quitting or opening another)."""
        store = self.store
        article = self.article()
        if store is None or store.read_only or article is None:
            return
        from brief_tui.library.store import StoreError

        with contextlib.suppress(StoreError, OSError):  # a position not kept: no error
            store.set_reading_position(self.briefing.id, article.cursor)

    def on_unmount(self) -> None:
        self.session.cancel()
