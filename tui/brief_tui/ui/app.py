"""The reader: the article on the left, the analysis beside it."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.widget import MountError
from textual.widgets import Footer, Input, TabbedContent
from textual.worker import Worker, WorkerState, get_current_worker

from brief_tui.analysis.child import AnalysisProcess, AnalysisProcessError
from brief_tui.analysis.estimate import duration, long_text_warning
from brief_tui.briefing import Briefing, BriefingError
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.config import Config, load_config, reader_model
from brief_tui.resources import styles_dir
from brief_tui.ui import heap, palette
from brief_tui.ui.across import AcrossPane, FiguresPane
from brief_tui.ui.annotating import ANNOTATION_BINDINGS, AnnotatingMixin
from brief_tui.ui.article import ArticleView
from brief_tui.ui.help import HelpScreen, binding_rows
from brief_tui.ui.panel import (
    FILL_REST_AFTER,
    ClaimList,
    ItemTable,
    NotesTable,
    SidePanel,
    plural,
)
from brief_tui.ui.reading import READING_BINDINGS, BriefCommands, ReadingMixin
from brief_tui.ui.safe import OptionList, Static
from brief_tui.ui.themes import MONO, THEMES

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis
    from brief_tui.library.store.protocol import LibraryStore as Store


#: seconds the analysis worker waits for the side panel's tabs (mounted after the first frame)
PANEL_WAIT = 10.0


def search_pattern(query: str) -> re.Pattern[str]:
    """Case-insensitive; a straight quote also finds the curly ones, and any run of spaces
    finds any run of white space (line breaks included)."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", query.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
            continue
        for ch in token:
            if ch in "'’‘":
                parts.append("['’‘]")
            elif ch in '"“”':
                parts.append('["“”]')
            else:
                parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE)


def _bindings(cls: type[Any]) -> list[Binding]:
    return [b for b in cls.BINDINGS if isinstance(b, Binding)]


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel search", id="search.cancel")
    ]

    def action_cancel(self) -> None:
        self.value = ""
        self.display = False
        self.app.query_one(ArticleView).focus()


#: notifications shown at once
MAX_TOASTS = 3


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """


class BriefApp(ReadingMixin, AnnotatingMixin, App[None]):
    """brief-tui's reader for one briefing."""

    CSS_PATH = str(styles_dir() / "app.tcss")
    COMMANDS = App.COMMANDS | {BriefCommands}
    TITLE = "brief-tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("n", "search_step(1)", "Next match", id="app.search_next"),
        Binding("N", "search_step(-1)", "Prev match", id="app.search_prev", show=False),
        Binding("escape", "clear", "Clear marks", id="app.clear", show=False),
        Binding("L", "library", "Library", id="app.library"),
        Binding("tab", "app.focus_next", "Next pane", id="app.focus_next", show=False),
        Binding(
            "shift+tab", "app.focus_previous", "Prev pane", id="app.focus_previous", show=False
        ),
        Binding("right_square_bracket", "tab_step(1)", "Next tab", id="panel.next_tab", show=False),
        Binding("left_square_bracket", "tab_step(-1)", "Prev tab", id="panel.prev_tab", show=False),
        *ANNOTATION_BINDINGS,
        *READING_BINDINGS,
    ]

    def __init__(
        self,
        briefing: Briefing,
        *,
        model_name: str | None = None,
        data_dir: Path | None = None,
        analyse: bool = True,
        config: Config | None = None,
        open_library: bool = False,
        analysis_process: AnalysisProcess | None = None,
    ) -> None:
        self.config = config if config is not None else load_config()
        super().__init__()
        if self.no_color:
            # NO_COLOR means no colour at all: Textual's default is a greyscale filter
            from textual.filter import Monochrome, NoColor

            self._filters = [f for f in self._filters if not isinstance(f, Monochrome)]
            self._filters.append(NoColor())
        for theme in THEMES:
            self.register_theme(theme)
        self.marks = palette.DEFAULT_MARKS
        self.theme = MONO if self.no_color else self.config.theme
        self.marks = self._build_marks()
        self.briefing = briefing
        self.model_name = reader_model(model_name, self.config)
        self.data_dir = data_dir
        self.analyse = analyse
        self.analysis: Analysis | None = None
        self.analysis_state = "waiting"
        self.search_query = ""
        self.search_matches: list[tuple[int, int]] = []
        self.search_index = -1
        self.focus_label = ""
        self.started = time.perf_counter()
        self.heap = heap.HeapKeeper()
        self._paint_token: object | None = None
        self.timings: dict[str, float] = {}
        #: when the analysis process had loaded its model (for the time left)
        self._analysis_began = 0.0
        #: the offset a briefing was opened at (from Across): not the last reading position
        self._open_at: int | None = None
        self.title = briefing.title
        self.sub_title = briefing.origin
        self.store: Store | None = None
        #: the briefing whose timeline has been asked for
        self._timeline_for = ""
        self._figures_for = ""
        self._panel_ready = threading.Event()
        self._status_line = ""
        self.annotations = []
        #: show the library at start when it holds more than the sample (no path was given)
        self.open_library = open_library
        self.read_only_reason: str | None = None
        #: "spacy" or "cache": where the last complete analysis came from
        self.analysis_source = ""
        #: the analysis process (analysis/child.py), while one runs; started by the command
        #: line before the reader's imports, or here when the reader starts
        self._child: AnalysisProcess | None = analysis_process

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, always as text: its words often hold a title, a quote, a path or
        a config value (screens' ``notify`` passes ``markup=True`` by default: ignored)."""
        super().notify(
            clean_text(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
        # (the notification is added when its message is handled: trim after that)
        self.call_later(self._trim_toasts)

    def _trim_toasts(self) -> None:
        """At most MAX_TOASTS at once, the newest: a pile would cover the panel's legend."""
        current = list(self._notifications)
        if len(current) > MAX_TOASTS:
            for old in current[: len(current) - MAX_TOASTS]:
                self._unnotify(old, refresh=False)
            self._refresh_notifications()

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            if self.briefing.is_empty:
                yield Static(
                    Text(
                        f"This briefing is empty: {self.briefing.origin} holds no text.",
                        style="bold",
                    ),
                    id="empty",
                )
            else:
                yield ArticleView(self.briefing.text, self.briefing.paragraphs, id="article")
            panel = SidePanel(id="panel")
            self._panel_ready = panel.ready
            yield panel
        yield StatusLine(id="status")
        # the footer's line, kept until the footer is mounted just after the first frame
        # (its keys are a dozen widgets; the search bar is mounted when first asked for)
        yield Static(id="footer-slot")

    def all_bindings(self) -> list[tuple[str, list[Binding]]]:
        """Every binding of the app by section (the help screen, the palette and the keymap
        check read this)."""
        from brief_tui.ui.dialogs import (
            ExportDialog,
            GradePicker,
            HighlightPicker,
            NoteEditor,
            TagEditor,
        )

        return [
            ("Everywhere", _bindings(type(self))),
            ("Article", _bindings(ArticleView)),
            ("Side panel lists", _bindings(ItemTable)),
            ("Notes tab", _bindings(NotesTable)),
            ("Claims list", _bindings(ClaimList)),
            ("Search box", _bindings(SearchBar)),
            ("Highlight meanings (after h)", _bindings(HighlightPicker)),
            ("Note editor", _bindings(NoteEditor)),
            ("Tag editor", _bindings(TagEditor)),
            ("Grade picker", _bindings(GradePicker)),
            ("Export dialog", _bindings(ExportDialog)),
            ("Help", _bindings(HelpScreen)),
        ]

    def _apply_config(self) -> None:
        keymap = {}
        # only with a keymap: the bindings of the dialogs are imported with them
        known = (
            {b.id for _, bindings in self.all_bindings() for b in bindings if b.id}
            if self.config.keymap
            else set()
        )
        for binding_id, keys in self.config.keymap.items():
            if binding_id in known:
                keymap[binding_id] = keys
            else:
                self.config.problems.append(
                    f"{self.config.path}: keymap: no binding has the id {binding_id!r} "
                    "(press ? for the ids)"
                )
        if keymap:
            self.set_keymap(keymap)
        for problem in self.config.problems:
            self.notify(problem, title="Configuration", severity="warning", timeout=20)

    def on_mount(self) -> None:
        self._apply_config()
        self._start()

    def on_resize(self, event: events.Resize) -> None:
        # on a short terminal the legend gives its lines to the lists
        with contextlib.suppress(NoMatches):
            self.query_one(SidePanel).set_class(event.size.height < 34, "-short")

    def _start(self) -> None:
        """Show the current briefing and start opening the store and the analysis."""
        panel = self.query_one(SidePanel)
        panel.set_marks(self.marks)
        if self.briefing.is_empty:
            panel.set_state("Nothing to analyse: the briefing is empty.")
            self.analysis_state = "empty"
        else:
            self.query_one(ArticleView).focus()
            if self.analyse:
                panel.set_state("Opening…", 0.0)
            else:
                panel.set_state("Analysis is off (--no-analysis).")
                self.analysis_state = "off"
        # the analysis process starts at once (it has a core of its own); the rest once the
        # article is on screen: it would otherwise compete with the first frame for the
        # interpreter
        self._start_child()
        self.update_status()
        # once the article is on screen (the frames that settle its layout after it need not
        # wait for the store); after the next refresh if it is not drawn (covered)
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
        # the worker opens the store and reads a cached analysis while this thread mounts
        # the side panel's tabs and the footer
        self.run_analysis()
        with contextlib.suppress(NoMatches):
            await self.query_one(SidePanel).mount_body()
        await self._mount_footer()
        if not self.heap.started:  # once (this runs again when another briefing opens)
            heap.settle()  # Textual's own objects: alive as long as the app
            self.heap.start()
            self.set_interval(0.5, self.heap.tick)

    async def _mount_footer(self) -> None:
        try:
            slot = self.query_one("#footer-slot")
        except NoMatches:  # the screen was recomposed meanwhile (another briefing opened)
            return
        try:
            await self.mount(Footer(), after=slot)
            await slot.remove()
            # the footer lists the keys when the screen says its bindings changed: the focus
            # may have settled before it was mounted, and then nothing would say so
            self.refresh_bindings()
        except MountError:  # the reader was closed before its first frame settled
            pass

    # ------------------------------------------------------------------ store and analysis
    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def run_analysis(self) -> None:
        """Open the store, show the analysis if it is cached (this briefing analysed before
        with the same model), the saved annotations, then the analysis from spaCy if it was
        not cached."""
        from brief_tui.library.store import Store, StoreError

        worker = get_current_worker()
        store = self.store
        opened = store is None
        if store is None:
            store = Store.open(self.data_dir, repair=True)  # (salvages a damaged one)
            self.call_later(self._store_opened, store)  # (thread-safe; no need to wait)
            if self.open_library:  # it decides whether the library opens first
                self._keep_sample(store)
        model: str | None = None
        cached: Analysis | None = None
        if self.analyse and not self.briefing.is_empty and not worker.is_cancelled:
            model = self._chosen_model()
            if model is not None:
                # while the UI thread mounts the side panel's tabs
                cached = self._cached_analysis(store, model)
            if cached is not None and not worker.is_cancelled:
                # at once, without waiting for the panel's tabs (they show it when they are
                # mounted, so they are drawn once, filled); saving the briefing and reading
                # the notes can follow
                self.call_from_thread(self._apply_analysis, cached, 1.0)
        # the panel's tabs are mounted just after the first frame: everything below shows
        # its results there
        self._panel_ready.wait(PANEL_WAIT)
        if worker.is_cancelled:  # the reader closed, or another briefing was opened
            return
        if not store.read_only and not self.briefing.is_empty:
            try:
                self._remember_briefing(store)
            except (StoreError, OSError, ValueError) as e:  # the briefing still opens; say why
                self.call_from_thread(
                    self.notify, f"Could not save the briefing: {e}", severity="error", timeout=10
                )
        if not self.briefing.is_empty and self._open_at is None:
            try:
                position = store.reading_position(self.briefing.id)
            except StoreError:
                position = None
            if position:
                self.call_later(self._restore_position, self.briefing.id, position)
        # read here, shown there: the UI thread never waits for the store
        try:
            notes = store.annotations(self.briefing.id)
        except StoreError as e:
            self.call_from_thread(
                self.notify, f"Could not read your notes: {e}", severity="error", timeout=10
            )
        else:
            if not worker.is_cancelled:
                self.call_from_thread(self.show_annotations, notes)
        if opened and not self.open_library and not worker.is_cancelled:
            self._keep_sample(store)  # (a convenience: after what the reader is waiting for)
        if model is None or cached is not None or worker.is_cancelled:
            return
        self._analyse(store, worker)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-across":
            self._show_figures()
        if event.pane.id == "tab-timeline" and self._timeline_for != self.briefing.id:
            self._timeline_for = self.briefing.id
            self.query_one(SidePanel).timeline_note("Finding the dates…")
            self.load_timeline(self.briefing)

    def _show_figures(self) -> None:
        """The Across tab's figures given in other briefings: looked up when the tab is
        shown (it reads every analysed briefing of the library: not worth doing at start)."""
        if self.store is None or self.analysis_state != "done":
            return
        if self._figures_for != self.briefing.id:
            self._figures_for = self.briefing.id
            self.query_one(FiguresPane).show_for(self.store, self.briefing.id)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def load_timeline(self, briefing: Briefing) -> None:
        """The Timeline tab's dates, found when the tab is first opened (scanning a
        300-page report for dates takes seconds: it is not worth doing at start)."""
        from brief_tui.briefing.dates import timeline

        if briefing.is_empty:
            return
        events = timeline(briefing.text, briefing.date)
        if briefing.id == self.briefing.id:
            self.call_from_thread(
                self.query_one(SidePanel).show_timeline,
                events,
                briefing.text,
                briefing.date is not None,
            )

    def _keep_sample(self, store: Store) -> None:
        """The bundled sample is always in the library; with no path given and other
        briefings there, the library opens first."""
        from brief_tui.library.store import StoreError

        if store.read_only:
            return
        from brief_tui.briefing import load_briefing
        from brief_tui.resources import sample_briefing

        try:
            sample = load_briefing(sample_briefing())
            if store.briefing_info(sample.id) is None:
                store.add_briefing(sample)
        except (BriefingError, StoreError, OSError) as e:  # a convenience: never stop the reader
            self.call_from_thread(
                self.notify, f"The sample briefing could not be added: {e}", severity="warning"
            )
            return
        if self.open_library and len(store.list_briefings()) > 1:
            # with the store: the one handed over by ``call_later`` may not have arrived yet
            self.call_from_thread(self._library_first, store)

    def _library_first(self, store: Store) -> None:
        self._store_opened(store)
        self.action_library()

    def _remember_briefing(self, store: Store) -> None:
        from brief_tui.library.reanchor import reanchor_all

        previous = []
        if self.briefing.origin and not self.briefing.origin.startswith("<"):
            previous = [
                b
                for b in store.briefings_from_origin(self.briefing.origin)
                if b.id != self.briefing.id
            ]
        store.add_briefing(self.briefing)
        if self.briefing.date is None and (known := store.briefing_date(self.briefing.id)):
            # a date given once (--date, or the document of an earlier read) is remembered
            self.briefing = dataclasses.replace(self.briefing, date=known)
        for old in previous:
            report = reanchor_all(store, old.id, self.briefing)
            if report.moved:
                self.call_from_thread(
                    self.notify,
                    f"The file changed since you last read it: {plural(report.moved, 'note')} "
                    f"moved ({report.orphaned} could not be placed: kept as orphans).",
                    timeout=10,
                )

    def _chosen_model(self) -> str | None:
        """The model the analysis uses; None (and the panel says why) when there is none."""
        from brief_tui.analysis.nlp import ModelUnavailable, choose_model

        try:
            return choose_model(self.model_name)
        except ModelUnavailable as e:
            self._stop_child()
            self.call_from_thread(self._model_missing, str(e))
            return None

    def _cached_analysis(self, store: Store, model: str) -> Analysis | None:
        from brief_tui.analysis.model import ANALYSER_VERSION
        from brief_tui.analysis.nlp import model_version
        from brief_tui.library.store import StoreError

        version = model_version(model)
        if version is None:
            return None
        try:
            cached = store.get_cached_analysis(self.briefing.id, model, version, ANALYSER_VERSION)
        except StoreError:  # busy or damaged: analysing again only costs time
            return None
        if cached is not None:
            self._stop_child()  # started at launch in case there was no cache
            self.analysis_source = "cache"
        return cached

    def _analyse(self, store: Store, worker: Worker[None]) -> None:
        """Analyse in the analysis process, showing its partial results, then the whole
        analysis, then caching it."""
        from brief_tui.library.store import StoreError

        child = self._child_for(self.briefing)
        self.call_from_thread(
            self.query_one(SidePanel).set_state, "Loading the language model…", 0.0
        )
        result: Analysis | None = None
        try:
            for event in child.events():
                if worker.is_cancelled:
                    break
                if event.kind == "loaded":
                    self._analysis_began = time.monotonic()
                    state = f"Analysing with {event.model}…"
                    if long := long_text_warning(self.briefing.text):
                        state += f" {long}"
                        self.call_from_thread(
                            self.notify,
                            f"{long} The text can be read meanwhile.",
                            title="Analysis",
                            timeout=15,
                        )
                    self.call_from_thread(self.query_one(SidePanel).set_state, state, 0.0)
                elif event.kind == "progress" and event.analysis is not None:
                    self.call_from_thread(self._apply_analysis, event.analysis, event.fraction)
                elif event.kind == "done":
                    result = event.analysis
                    break  # not waiting for the process to end (a stop kills it)
                elif event.kind == "error":
                    if event.error_kind == "model":
                        self.call_from_thread(self._model_missing, event.message)
                        return None
                    raise AnalysisProcessError(event.message)
        finally:
            child.stop()
            if self._child is child:
                self._child = None
        if result is None or worker.is_cancelled:
            return None
        self.analysis_source = "spacy"
        # shown first, cached after: the reader does not wait for the write
        self.call_from_thread(self._apply_analysis, result, 1.0)
        if not store.read_only:
            try:
                store.put_cached_analysis(result)
            except (StoreError, OSError, ValueError) as e:  # an unwritten cache only costs time
                self.call_from_thread(self.notify, f"Analysis not cached: {e}", severity="warning")
        return None

    def _start_child(self) -> None:
        """Start the analysis process now, before the first frame: importing spaCy and
        loading the model then happen on the other core while the reader draws. Stopped
        again if the analysis turns out to be cached."""
        if self._child is not None or not self.analyse or self.briefing.is_empty:
            return
        try:
            self._child = AnalysisProcess(
                self.briefing.text,
                title=self.briefing.title,
                briefing_id=self.briefing.id,
                model=self.model_name,
            )
        except OSError:
            self._child = None  # tried again when needed, where the error is shown

    def _child_for(self, briefing: Briefing) -> AnalysisProcess:
        child = self._child
        if child is None or child.briefing_id != briefing.id:
            self._stop_child()
            child = self._child = AnalysisProcess(
                briefing.text, title=briefing.title, briefing_id=briefing.id, model=self.model_name
            )
        return child

    def _stop_child(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.stop()

    def _store_opened(self, store: Store) -> None:
        if self.store is store:
            return  # (handed over early, to open the library)
        self.store = store
        if store.warning:
            self.notify(
                store.warning, severity="warning" if not store.read_only else "error", timeout=15
            )
        if store.read_only:
            self.read_only_reason = store.warning or "the data directory is read-only"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "analysis":
            return
        if event.state == WorkerState.ERROR:
            err = event.worker.error
            self.analysis_state = "failed"
            self.query_one(SidePanel).set_state(
                f"Analysis failed: {type(err).__name__}: {err}", None, error=True
            )
            self.update_status()

    def _model_missing(self, message: str) -> None:
        self.analysis_state = "no model"
        self.query_one(SidePanel).set_state(message, None, error=True)
        self.update_status()

    def _apply_analysis(self, analysis: Analysis, fraction: float) -> None:
        if analysis.briefing_id != self.briefing.id:
            return  # a late result for the briefing shown before this one
        self.analysis = analysis
        done = fraction >= 1.0
        self.analysis_state = "done" if done else f"{fraction:.0%}"
        article = self.query_one(ArticleView)
        article.set_sentences([(s.start, s.end) for s in analysis.sentences])
        self._style_analysis()
        panel = self.query_one(SidePanel)
        panel.show(analysis)
        if done:
            # the tabs not shown (at 100k words ~100 ms) once the analysed view is on screen
            # (after a refresh is not enough: the callback may run before the frame is drawn)
            self.set_timer(FILL_REST_AFTER, panel.fill_rest)
        sourced = sum(1 for c in analysis.claims if c.source)
        if done:
            self.timings.setdefault("analysis_done", time.perf_counter() - self.started)
            self._figures_for = ""  # found again when the Across tab is next shown
            tabs = self.query("#tabs").first(TabbedContent) if panel.ready.is_set() else None
            if tabs is not None and tabs.active == "tab-across":
                self._show_figures()
            line = analysis.profile.get("line") or (
                f"{len(analysis.claims)} claims: {sourced} sourced; {len(analysis.sources)} sources"
            )
            cached = " · from the cache" if self.analysis_source == "cache" else ""
            panel.set_state(
                f"{len(analysis.actors)} actors · {line}  ({analysis.model_name} "
                f"{analysis.model_version}{cached})",
                short=f"{len(analysis.actors)} actors · {len(analysis.claims)} claims, "
                f"{sourced} sourced · {len(analysis.sources)} sources",
            )
        else:
            left = ""
            elapsed = time.monotonic() - self._analysis_began if self._analysis_began else 0.0
            if elapsed > 10 and 0.02 < fraction < 1:
                left = f" ({duration(elapsed * (1 - fraction) / fraction)} left)"
            panel.set_state(f"Analysing… {fraction:.0%}{left}", fraction)
        self.update_status()

    def _style_analysis(self) -> None:
        """Lay the analysis over the text in the current theme's styles."""
        analysis = self.analysis
        if analysis is None or self.briefing.is_empty:
            return
        article = self.query_one(ArticleView)
        styles = {label: self.marks.entity(label) for label in {e.label for e in analysis.entities}}
        article.set_entities([(e.start, e.end, e.label) for e in analysis.entities], styles)
        article.set_layer(
            "hedges",
            ((h.start, h.end, self.marks.hedge) for c in analysis.claims for h in c.hedges),
        )
        article.set_layer(
            "claims", ((c.cue.start, c.cue.end, self.marks.cue) for c in analysis.claims if c.cue)
        )

    # ------------------------------------------------------------------ theme
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(palette.DARK_VARIABLES)

    def _build_marks(self) -> palette.Marks:
        # the theme's own variables (theme_variables lags a theme change by one refresh)
        theme = self.get_theme(self.theme)
        variables = {**palette.DARK_VARIABLES, **(theme.variables if theme else {})}
        for meaning, colour in self.config.highlights.items():
            variables[f"mark-{meaning}"] = colour
        return palette.Marks.build(
            variables,
            mono=self.theme == MONO or self.no_color,
            # 16 or 8 colours (TERM=xterm, the Linux console): backgrounds would merge
            few_colours=self.console.color_system in ("standard", "windows"),
        )

    def watch_theme(self, theme: str) -> None:
        self.marks = self._build_marks()
        if not self._reader_ready():
            return
        self._restyle()

    def _reader_ready(self) -> bool:
        """True once the reader's widgets exist (a theme may be set before that)."""
        return bool(self.screen_stack) and bool(self.query(SidePanel))

    def _restyle(self) -> None:
        """Redraw every mark in the current theme (after a theme change)."""
        panel = self.query_one(SidePanel)
        panel.set_marks(self.marks)
        if self.briefing.is_empty:
            return
        self._style_analysis()
        if self.analysis is not None:
            panel.show(self.analysis)
            panel.call_after_refresh(panel.fill_rest)
        article = self.query_one(ArticleView)
        article.set_layer("search", ((s, e, self.marks.search) for s, e in self.search_matches))
        if self.search_matches and 0 <= self.search_index < len(self.search_matches):
            span = self.search_matches[self.search_index]
            article.set_layer("current", [(span[0], span[1], self.marks.search_current)])
        self.reload_annotations()
        self.apply_filter()

    # ------------------------------------------------------------------ status
    def update_status(self) -> None:
        try:
            status = self.query_one(StatusLine)
        except NoMatches:  # not composed yet
            return
        title = self.briefing.title
        parts = [title if len(title) <= 60 else title[:59] + "…"]
        if not self.briefing.is_empty:
            article = self.query_one(ArticleView)
            # how far through the text the view is: 0% at the top, 100% at the bottom
            top, bottom = article.scroll_offset.y, article.max_scroll_y
            pct = 100 if bottom <= 0 else round(100 * min(top, bottom) / bottom)
            parts.append(f"{pct}%")
        if self.search_query:
            n = len(self.search_matches)
            where = f"{self.search_index + 1}/{n}" if n else "no matches"
            parts.append(f"/{self.search_query}: {where}")
        if self.focus_label:
            parts.append(self.focus_label)
        if self.reading_filter is not None:
            parts.append(f"filter: {self.reading_filter.label}")
        parts.append(f"analysis: {self.analysis_state}")
        if self.store is not None and self.store.read_only:
            parts.append("READ-ONLY: notes are not saved")
        line = " │ ".join(parts)
        if line != self._status_line:  # an unchanged line costs no layout
            self._status_line = line
            status.update(line, layout=False)  # one line, always as wide: no re-layout

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self.cursor_moved()
        if event.what.startswith("entity"):
            s = event.view.current
            if s:
                # "entity 3/92: GPE" → "entity 3/92: country / place"
                head, _, label = event.what.partition(": ")
                kind = palette.family_of(label).title.lower() if label else ""
                self.focus_label = f"{head}: {kind} “{self.briefing.text[s[0] : s[1]]}”"
        elif self.focus_label.startswith("entity") and self._visual_anchor is None:
            self.focus_label = ""
        self.update_status()

    # ------------------------------------------------------------------ actions
    def action_tab_step(self, step: int) -> None:
        """The side panel's next or previous tab, from anywhere; when the panel has the focus
        it goes to the new tab's list, so j/k move its rows at once."""
        try:
            tabs = self.query_one("#tabs", TabbedContent)
        except NoMatches:  # the panel's tabs are mounted just after the first frame
            return
        panes = [p.id for p in tabs.query("TabPane") if p.id]
        if not panes:
            return
        at = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(at + step) % len(panes)]
        panel = self.query_one(SidePanel)
        if self.focused is not None and panel in self.focused.ancestors_with_self:
            panel.focus_list()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(binding_rows(self.all_bindings(), dict(self._keymap))))

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
        bar.value = self.search_query
        bar.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        bar = self.query_one(SearchBar)
        bar.display = False
        self.query_one(ArticleView).focus()
        self.search(event.value)

    def search(self, query: str) -> int:
        """Highlight every case-insensitive match of ``query``; move to the first one at or
        after the cursor. Returns the number of matches."""
        article = self.query_one(ArticleView)
        self.search_query = query
        self.search_matches = []
        self.search_index = -1
        if query.strip():
            pattern = search_pattern(query)
            self.search_matches = [
                (m.start(), m.end()) for m in pattern.finditer(self.briefing.text)
            ]
        article.set_layer("search", ((s, e, self.marks.search) for s, e in self.search_matches))
        if self.search_matches:
            cursor = article.cursor
            idx = next((i for i, (s, _) in enumerate(self.search_matches) if s >= cursor), 0)
            self._goto_match(idx)
        else:
            article.set_layer("current", [])
            if query:
                self.notify(f"No match for “{query}”", severity="warning")
        self.update_status()
        return len(self.search_matches)

    def _goto_match(self, idx: int) -> None:
        article = self.query_one(ArticleView)
        self.search_index = idx
        span = self.search_matches[idx]
        article.current = span
        article.set_layer("current", [(span[0], span[1], self.marks.search_current)])
        article.cursor = span[0]
        article.scroll_to_offset(span[0])
        self.update_status()

    def action_search_step(self, n: int) -> None:
        if not self.search_matches and not self.briefing.is_empty:
            # no search: n/N step through the highlighted mentions or claims instead
            article = self.query_one(ArticleView)
            spans = article.layer_spans("focus")
            if spans:
                cur = article.current[0] if article.current else article.cursor
                if n > 0:
                    nxt = next((sp for sp in spans if sp[0] > cur), spans[0])
                else:
                    nxt = next((sp for sp in reversed(spans) if sp[0] < cur), spans[-1])
                article.show_current(nxt, "mention")
                where = spans.index(nxt) + 1
                self.focus_label = re.sub(r" \(\d+/\d+\)$", "", self.focus_label)
                self.focus_label += f" ({where}/{len(spans)})"
                self.update_status()
                return
            if self.search_query:
                self.bell()
            return
        self._goto_match((self.search_index + n) % len(self.search_matches))

    def action_clear(self) -> None:
        if self.briefing.is_empty:
            return
        if self.reading_filter is not None:
            self.set_filter(None)
        article = self.query_one(ArticleView)
        self.search_query = ""
        self.search_matches = []
        self.focus_label = ""
        for layer in ("search", "focus", "current"):
            article.set_layer(layer, [])
        article.current = None
        self.end_visual()
        self.update_status()

    # ------------------------------------------------------------------ jumps from the panel
    @on(ItemTable.Chosen)
    def _chosen(self, event: ItemTable.Chosen) -> None:
        if event.kind == "note":
            self.jump_to_annotation(event.key)
        elif event.kind == "event":
            start, end, at = (int(x) for x in event.key.split(":"))
            article = self.query_one(ArticleView)
            article.set_layer(
                "focus", [(start, end, self.marks.sentence), (at, at + 1, self.marks.content)]
            )
            article.show_current((start, end), "dated sentence")
            article.set_layer("current", [])
            article.focus()
        elif event.kind == "actor":
            self.jump_to_actor(event.key)
        elif event.kind == "source":
            self.jump_to_source(event.key)

    @on(OptionList.OptionSelected, "#claims")
    def _claim_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.jump_to_claim(event.option.id)

    # ------------------------------------------------------------------ library
    def action_library(self) -> None:
        if self.store is None:
            self.notify("The library is still opening; try again in a moment.", severity="warning")
            return
        from brief_tui.ui.library_screen import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            return
        self.push_screen(LibraryScreen(self.store), self._library_chosen)

    def _library_chosen(self, briefing_id: str | None) -> None:
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
        if briefing_id is None or briefing_id == self.briefing.id:
            return
        briefing = store.get_briefing(briefing_id)
        if briefing is None:
            self.notify("That briefing is no longer in the library.", severity="error")
            return
        self.run_worker(self.open_briefing(briefing), exclusive=True, group="open")

    async def open_briefing(self, briefing: Briefing, offset: int | None = None) -> None:
        """Replace the briefing on screen with another (from the library or Across)."""
        self._save_position()
        self._open_at = offset
        self.workers.cancel_group(self, "analysis")
        self._panel_ready.set()  # (a worker still waiting for the old panel)
        self._stop_child()  # the worker waiting on it sees the end and finishes
        self.briefing = briefing
        self.analysis = None
        self.analysis_state = "waiting"
        self.analysis_source = ""
        self.search_query, self.search_matches, self.search_index = "", [], -1
        self.focus_label = ""
        self.reading_filter = None
        self._visual_anchor = None
        self.selection = None
        self.annotations = []
        self.title = briefing.title
        self.sub_title = briefing.origin
        await self.recompose()
        self._start()
        if offset is not None and not briefing.is_empty:
            article = self.query_one(ArticleView)

            def go() -> None:
                article.cursor = offset
                article.scroll_to_offset(offset)
                self.update_status()

            self.call_after_refresh(go)

    def on_across_pane_open(self, event: AcrossPane.Open) -> None:
        if self.store is None:
            return
        briefing = self.store.get_briefing(event.briefing_id)
        if briefing is None:
            self.notify("That briefing is no longer in the library.", severity="error")
            return
        self.run_worker(self.open_briefing(briefing, event.offset), exclusive=True, group="open")

    def _show_across(
        self, kind: str, name: str, aliases: list[str], actor_kind: str | None
    ) -> None:
        if self.store is None:
            return
        self.query_one(AcrossPane).show_for(
            self.store, self.briefing.id, kind, name, aliases, actor_kind=actor_kind
        )

    def run_article_action(self, action: str) -> None:
        """Run an article key's action from the command palette."""
        if self.briefing.is_empty:
            return
        article = self.query_one(ArticleView)
        article.focus()
        self.call_later(self.run_action, action, article)

    def grade_source(self, source_id: str) -> None:
        """Select a source in the Sources tab and open its grade picker."""
        table = self.query_one("#sources", ItemTable)
        self.query_one("#tabs", TabbedContent).active = "tab-sources"
        table.move_cursor(row=table.get_row_index(source_id))
        table.focus()
        self.call_later(self.action_grade)

    def jump_to_actor(self, actor_id: str) -> None:
        if self.analysis is None or self.briefing.is_empty:
            return
        actor = self.analysis.actor(actor_id)
        if actor is None or not actor.mentions:
            return
        article = self.query_one(ArticleView)
        spans = sorted((m.start, m.end) for m in actor.mentions)
        self._show_across("actor", actor.name, list(actor.aliases), actor.kind)
        article.set_layer("focus", ((s, e, self.marks.focus) for s, e in spans))
        self.focus_label = f"{actor.name}: {plural(len(spans), 'mention')}"
        article.show_current(spans[0], f"actor {actor.name}")
        article.focus()
        self.update_status()

    def jump_to_claim(self, claim_id: str) -> None:
        if self.analysis is None or self.briefing.is_empty:
            return
        claim = next((c for c in self.analysis.claims if c.id == claim_id), None)
        if claim is None:
            return
        article = self.query_one(ArticleView)
        spans: list[tuple[int, int, Style]] = [(claim.start, claim.end, self.marks.sentence)]
        spans += [(f.start, f.end, self.marks.content) for f in claim.content]
        article.set_layer("focus", spans)
        src = self.analysis.source(claim.source)
        self.focus_label = f"claim by {src.name}" if src else "unsourced statement"
        article.show_current((claim.start, claim.end), "claim")
        article.set_layer("current", [])
        article.focus()
        self.update_status()

    def jump_to_source(self, source_id: str) -> None:
        if self.analysis is None or self.briefing.is_empty:
            return
        src = self.analysis.source(source_id)
        claims = [
            c
            for c in self.analysis.claims
            if c.source == source_id or self._cites(c.source, source_id)
        ]
        if src is None or not claims:
            self.notify("No claim in the text rests on this source.", severity="warning")
            return
        article = self.query_one(ArticleView)
        backer = self.analysis.actor(src.actor)
        if backer is not None:
            self._show_across("source", backer.name, [*backer.aliases, src.name], backer.kind)
        else:
            self._show_across("source", src.name, [], None)
        article.set_layer("focus", ((c.start, c.end, self.marks.sentence) for c in claims))
        self.focus_label = f"{src.name}: {plural(len(claims), 'claim')}"
        article.show_current((claims[0].start, claims[0].end), "source")
        article.set_layer("current", [])
        article.focus()
        self.update_status()

    def _cites(self, source_id: str | None, origin: str) -> bool:
        """True when ``source_id`` cites ``origin`` somewhere along its chain."""
        assert self.analysis is not None
        seen: set[str] = set()
        src = self.analysis.source(source_id)
        while src is not None and src.id not in seen:
            if src.via == origin:
                return True
            seen.add(src.id)
            src = self.analysis.source(src.via)
        return False

    def on_mouse_scroll_down(self) -> None:
        self.heap.touched()
        self.call_after_refresh(self.update_status)

    def on_mouse_scroll_up(self) -> None:
        self.heap.touched()
        self.call_after_refresh(self.update_status)

    def on_key(self) -> None:
        self.heap.touched()
        self.call_after_refresh(self.update_status)

    def _restore_position(self, briefing_id: str, offset: int) -> None:
        """Back where the reader was last time, unless they have moved already."""
        if briefing_id != self.briefing.id or self.briefing.is_empty:
            return
        try:
            article = self.query_one(ArticleView)
        except NoMatches:
            return
        if article.cursor == 0 and article.scroll_offset.y == 0 and offset < len(article.text):
            article.cursor = offset
            article.scroll_to_offset(offset)
            self.update_status()

    def _save_position(self) -> None:
        """Where the reader is, for the next opening (on quitting or opening another)."""
        store = self.store
        if store is None or store.read_only or self.briefing.is_empty:
            return
        try:
            article = self.query_one(ArticleView)
        except NoMatches:
            return
        from brief_tui.library.store import StoreError

        with contextlib.suppress(StoreError, OSError):  # a position not kept: no error
            store.set_reading_position(self.briefing.id, article.cursor)

    async def action_quit(self) -> None:
        self._save_position()
        await super().action_quit()

    def on_unmount(self) -> None:
        self._panel_ready.set()  # a worker still waiting for the panel: let it end
        self._stop_child()
        self.heap.stop()

    def panel_lists(self) -> tuple[ItemTable, ClaimList, ItemTable]:
        return (
            self.query_one("#actors", ItemTable),
            self.query_one("#claims", ClaimList),
            self.query_one("#sources", ItemTable),
        )
