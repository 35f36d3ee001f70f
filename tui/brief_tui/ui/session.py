"""One open briefing's work: the store handle, the cache look-up and the analysis process.

The session runs its work in thread workers and tells the reader screen what happened only
by posting messages (:mod:`brief_tui.ui.messages`); it never touches a widget and never
waits for the UI. The screen keeps one session per briefing shown and cancels it when
another briefing is opened or the reader closes.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from brief_tui.analysis.child import AnalysisProcess, AnalysisProcessError
from brief_tui.analysis.estimate import duration, long_text_warning
from brief_tui.briefing import Briefing, BriefingError
from brief_tui.library.annotations import Annotation
from brief_tui.library.cache_probe import ReadAhead, read_ahead
from brief_tui.ui import heap
from brief_tui.ui.messages import (
    AnalysisProgress,
    AnalysisReady,
    BriefingRemembered,
    LibraryChanged,
    ModelMissing,
    NotesChanged,
    Notice,
    PositionKnown,
    StoreOpened,
    StoreReadOnly,
    TimelineReady,
)

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis
    from brief_tui.library.store.protocol import LibraryStore as Store


#: what the command line may have started before the reader: the analysis process, or the
#: read of a cached analysis (brief_tui.cli.start_analysis)
HeadStart = AnalysisProcess | ReadAhead

#: seconds between two reads of the notes other readers change: the changes heard meanwhile
#: are read together (twenty analysts writing at once: far fewer reads, each reader's saves
#: wait less for the processor, a note shows a little later, still well within a second)
LIVE_READ_GAP_S: Final = 0.2

#: seconds after the first frame the session's work starts when a cached analysis read
#: ahead has not been shown by then
RUN_ANYWAY_S: Final = 0.5


def plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """How the reader was asked to work (the same for every briefing it opens)."""

    model_name: str | None = None
    data_dir: Path | None = None
    analyse: bool = True
    #: show the library first when it holds more than the sample (no path was given)
    open_library: bool = False
    #: the library to open (a postgresql:// URL: a team library), else the local one
    library: str | None = None
    #: the analyst's name in a team library (None: the OS user)
    analyst: str | None = None


class Session:
    """The work behind one briefing on screen; results go to ``target`` as messages."""

    def __init__(
        self,
        briefing: Briefing,
        target: DOMNode,
        options: SessionOptions,
        *,
        store: Store | None = None,
        process: HeadStart | None = None,
        restore_position: bool = True,
    ) -> None:
        self.briefing = briefing
        self.target = target
        self.options = options
        #: the library's store (opened by the first session, handed to the next ones)
        self.store = store
        #: the analysis process while one runs (started before the first frame)
        self.process = process if isinstance(process, AnalysisProcess) else None
        self.restore_position = restore_position
        #: True once the store and the analysis have been asked for (after the first frame)
        self.started = False
        self._shown = self._run_when_shown = self._cancelled = False
        self._worker: Worker[None] | None = None
        #: the cached analysis being read ahead (see start_process)
        self._ahead = process if isinstance(process, ReadAhead) else None
        self._began = 0.0
        #: a read of the notes after other readers' changes: running, and asked for again
        self._reload_lock = threading.Lock()
        self._reloading = self._reload_again = False
        #: the notes last read, and the store's mark to ask what changed since
        self._known: dict[str, Annotation] | None = None
        self._mark: int | None = None
        #: the library's warning as last said (at opening, or by the live reads)
        self._warned = store.warning if store is not None else None
        #: the store was opened before the first frame (open_first), not yet announced
        self._early = False

    # ------------------------------------------------------------------ life
    def start_process(self) -> None:
        """Start the analysis process now, before the first frame: importing spaCy and
        loading the model then happen on the other core while the reader draws. Not when
        the library caches the analysis (a quick look-up before the store is opened:
        :mod:`brief_tui.library.cache_probe`): then it is read at once in a thread of its
        own instead, and shown as soon as it is read. (The worker, after the first frame,
        asks the store when that read found nothing, and stops the process if the store
        has the analysis after all.)"""
        o, bid = self.options, self.briefing.id
        wanted = o.analyse and not self.briefing.is_empty
        if wanted and self.process is None and self._ahead is None:
            self._ahead = read_ahead(
                bid, o.model_name, library=o.library, data_dir=o.data_dir, around=heap.kept
            )
            if self._ahead is None:
                try:
                    self.process = self._new_process()
                except OSError:
                    self.process = None  # tried again when needed, where the error is shown
        if self._ahead is not None:

            def show(analysis: Analysis | None) -> None:
                if analysis is not None:
                    self._post(AnalysisReady(bid, analysis, "cache"))

            self._ahead.when_read(show)

    @property
    def reading_ahead(self) -> bool:
        """Whether a cached analysis is being read (or was read) at start."""
        return self._ahead is not None

    def run(self) -> None:
        """Open the store and show what is known, then analyse (in a worker). With a
        cached analysis read ahead, after the frame that shows it (:meth:`shown`): the
        store's imports and checks would otherwise compete with that frame (or a moment
        later, if it never comes: the read found nothing)."""
        if self._ahead is not None and not self._shown:
            self._run_when_shown = True
            self.target.set_timer(RUN_ANYWAY_S, self._run_now)
            return
        self._run_now()

    def shown(self) -> None:
        """The screen has drawn the analysis (the rest of the work may start)."""
        self._shown = True
        if self._run_when_shown:
            self._run_now()

    def _run_now(self) -> None:
        if self.started or self._cancelled:
            return
        self.started = True
        self._worker = self.target.run_worker(
            self._work, thread=True, exclusive=True, group="analysis", exit_on_error=False
        )

    def cancel(self) -> None:
        """Stop the work of this briefing (another is opened, or the reader closes)."""
        self._cancelled = True
        if self._worker is not None:
            self._worker.cancel()
        self.stop_process()

    def stop_process(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.stop()

    def _new_process(self) -> AnalysisProcess:
        b = self.briefing
        return AnalysisProcess(
            b.text, title=b.title, briefing_id=b.id, model=self.options.model_name
        )

    def _post(self, message: Message) -> None:
        self.target.post_message(message)

    # ------------------------------------------------------------------ the worker
    def _work(self) -> None:
        from brief_tui.library.store import StoreError

        worker = get_current_worker()
        briefing = self.briefing
        bid = briefing.id
        store = self.store
        opened = store is None or self._early
        first = False
        if store is None:
            store = self._open_store()
            self.store = store
            first = self.options.open_library and self._keep_sample(store)
        if opened:
            self._early = False
            self._post(StoreOpened(bid, store, library_first=first))
            self._warned = store.warning
            self._listen(store)
            if store.read_only:
                self._post(StoreReadOnly(bid, store.warning or "the data directory is read-only"))
        model: str | None = None
        cached: Analysis | None = None
        if self.options.analyse and not briefing.is_empty and not worker.is_cancelled:
            model = self._chosen_model()
            # read ahead (and shown) while the first frame was drawn, or asked now
            cached = self._ahead.result() if self._ahead is not None else None
            if model is not None and cached is None:
                cached = self._cached_analysis(store, model)
                if cached is not None and not worker.is_cancelled:
                    self.stop_process()  # started at launch: the look-up missed the cache
                    self._post(AnalysisReady(bid, cached, "cache"))
        if worker.is_cancelled:
            return
        if not store.read_only and not briefing.is_empty:
            try:
                self._remember_briefing(store)
            except (StoreError, OSError, ValueError) as e:  # the briefing still opens; say why
                self._post(
                    Notice(f"Could not save the briefing: {e}", severity="error", timeout=10)
                )
        if not briefing.is_empty and self.restore_position:
            try:
                position = store.reading_position(bid)
            except StoreError:
                position = None
            if position:
                self._post(PositionKnown(bid, position))
        try:
            notes = self._read_notes(store)
        except StoreError as e:
            self._post(Notice(f"Could not read your notes: {e}", severity="error", timeout=10))
        else:
            if not worker.is_cancelled:
                self._post(NotesChanged(bid, notes))
        if opened and not self.options.open_library and not worker.is_cancelled:
            self._keep_sample(store)  # (a convenience: after what the reader is waiting for)
        if model is None or cached is not None or worker.is_cancelled:
            return
        self._analyse(store, worker)

    def _listen(self, store: Store) -> None:
        """Other readers' changes to a shared library reach the target as LibraryChanged
        (the target outlives this session: the store is handed to the next ones)."""
        from brief_tui.library.store import StoreError

        target = self.target

        def changed(briefing_id: str) -> None:
            target.post_message(LibraryChanged(briefing_id))

        try:
            store.listen(changed)
        except (StoreError, OSError, RuntimeError) as e:  # (each save still reads them all)
            self._post(Notice(f"Other analysts' notes will not show as they come: {e}"))

    def reload_notes(self) -> None:
        """Read the briefing's annotations again (a reader changed them), in a worker. While
        a read runs, the changes heard make one more read after it, not one each: twenty
        analysts writing at once cost a reader one read at a time."""
        store = self.store
        if store is None:
            return
        with self._reload_lock:
            if self._reloading:
                self._reload_again = True
                return
            self._reloading = True
        bid = self.briefing.id

        def read() -> None:
            try:
                read_until_told_nothing_more()
            except BaseException:  # (not stuck "reading" after an unforeseen error)
                with self._reload_lock:
                    self._reloading = False
                raise

        def read_until_told_nothing_more() -> None:
            from brief_tui.library.store import StoreError

            while True:
                try:
                    notes: list[Annotation] | None = self._read_notes(store)
                except StoreError:
                    notes = None  # (the next change, or the next save, reads them again)
                if notes is not None:
                    self._post(NotesChanged(bid, notes))
                self._tell_warning(store)
                time.sleep(LIVE_READ_GAP_S)  # (what is heard meanwhile: one read after)
                with self._reload_lock:
                    if not self._reload_again:
                        self._reloading = False
                        return
                    self._reload_again = False

        self.target.run_worker(read, thread=True, group="live", exit_on_error=False)

    def _tell_warning(self, store: Store) -> None:
        """Say when the library's warning changed since it was last said: a team library's
        server went away during the session, or answers again."""
        warning = store.warning
        if warning == self._warned:
            return
        self._warned = warning
        if warning:
            self._post(Notice(warning, severity="warning", timeout=15))
        else:
            self._post(Notice("The team library answers again; notes are shared as you write."))

    def _read_notes(self, store: Store) -> list[Annotation]:
        """The briefing's notes: the first time all of them, then (a team library) only
        what changed since the last read, merged into those known."""
        with self._reload_lock:
            known, mark = self._known, self._mark
        changes = store.annotation_changes(self.briefing.id, mark if known is not None else None)
        if changes.complete or known is None:
            known = {a.id: a for a in changes.notes}
        else:
            known = dict(known)
            for gone in changes.removed:
                known.pop(gone, None)
            known.update((a.id, a) for a in changes.notes)
        with self._reload_lock:
            self._known, self._mark = known, changes.mark
        return sorted(known.values(), key=Annotation.sort_key)

    def open_first(self) -> bool:
        """Before the first frame, when the library may open first (no path was given) and
        it is the local one: open the store now (a millisecond: no worker's round trip
        before the first rows) and say whether the library is to be shown first, so that
        the reader is not drawn before it. A team library's server may be slow to answer:
        its store is opened by the worker, as before."""
        import os

        from brief_tui.library.store.factory import ENV_LIBRARY, is_team_library

        o = self.options
        if not o.open_library or self.store is not None or self.started:
            return False
        if is_team_library(o.library or os.environ.get(ENV_LIBRARY)):
            return False
        self.store = self._open_store()
        self._early = True
        return self._keep_sample(self.store)

    def _open_store(self) -> Store:
        """The library (a damaged local one salvaged; a team library whose server is away
        opens offline and says so in its warning)."""
        from brief_tui.library.store import Store, StoreError
        from brief_tui.library.store.factory import open_library

        o = self.options
        try:
            return open_library(o.library, data_dir=o.data_dir, analyst=o.analyst, repair=True)
        except StoreError as e:  # (the team extra missing): the local library instead
            self._post(Notice(f"{e}; using the local library", severity="error", timeout=15))
            return Store.open(o.data_dir, repair=True)

    def _keep_sample(self, store: Store) -> bool:
        """The bundled sample is always in the library; True when the library holds other
        briefings too (with no path given, the library then opens first)."""
        from brief_tui.library.store import StoreError

        if store.read_only:
            return False
        from brief_tui.briefing import load_briefing
        from brief_tui.resources import sample_briefing

        try:
            sample = load_briefing(sample_briefing())
            if store.briefing_info(sample.id) is None:
                store.add_briefing(sample)
            return store.count_briefings() > 1
        except (BriefingError, StoreError, OSError) as e:  # a convenience: never stop the reader
            self._post(Notice(f"The sample briefing could not be added: {e}", severity="warning"))
            return False

    def _remember_briefing(self, store: Store) -> None:
        from brief_tui.library.reanchor import reanchor_all

        briefing = self.briefing
        previous = []
        if briefing.origin and not briefing.origin.startswith("<"):
            previous = [
                b for b in store.briefings_from_origin(briefing.origin) if b.id != briefing.id
            ]
        store.add_briefing(briefing)
        if briefing.date is None and (known := store.briefing_date(briefing.id)):
            # a date given once (--date, or the document of an earlier read) is remembered
            briefing = self.briefing = dataclasses.replace(briefing, date=known)
        self._post(BriefingRemembered(briefing))
        for old in previous:
            report = reanchor_all(store, old.id, briefing)
            if report.moved:
                self._post(
                    Notice(
                        f"The file changed since you last read it: {plural(report.moved, 'note')} "
                        f"moved ({report.orphaned} could not be placed: kept as orphans).",
                        timeout=10,
                    )
                )

    def _chosen_model(self) -> str | None:
        """The model the analysis uses; None (and the screen is told why) when there is none."""
        from brief_tui.analysis.nlp import ModelUnavailable, choose_model

        try:
            return choose_model(self.options.model_name)
        except ModelUnavailable as e:
            self.stop_process()
            self._post(ModelMissing(self.briefing.id, str(e)))
            return None

    def _cached_analysis(self, store: Store, model: str) -> Analysis | None:
        from brief_tui.analysis.model import ANALYSER_VERSION
        from brief_tui.analysis.nlp import model_version
        from brief_tui.library.store import StoreError

        version = model_version(model)
        if version is None:
            return None
        try:
            with heap.kept():
                return store.get_cached_analysis(self.briefing.id, model, version, ANALYSER_VERSION)
        except StoreError:  # busy or damaged: analysing again only costs time
            return None

    def _analyse(self, store: Store, worker: Worker[None]) -> None:
        """Analyse in the analysis process, posting its partial results, then the whole
        analysis, then caching it."""
        from brief_tui.library.store import StoreError

        bid = self.briefing.id
        process = self.process
        if process is None or process.briefing_id != bid:
            self.stop_process()
            process = self.process = self._new_process()
        self._post(AnalysisProgress(bid, "Loading the language model…", 0.0))
        result: Analysis | None = None
        try:
            for event in process.events():
                if worker.is_cancelled:
                    break
                if event.kind == "loaded":
                    self._began = time.monotonic()
                    state = f"Analysing with {event.model}…"
                    if long := long_text_warning(self.briefing.text):
                        state += f" {long}"
                        self._post(
                            Notice(
                                f"{long} The text can be read meanwhile.",
                                title="Analysis",
                                timeout=15,
                            )
                        )
                    if event.message:  # the model's files differ from the ones tested
                        self._post(
                            Notice(
                                event.message,
                                title="Language model",
                                severity="warning",
                                timeout=20,
                            )
                        )
                    self._post(AnalysisProgress(bid, state, 0.0))
                elif event.kind == "progress" and event.analysis is not None:
                    self._post(
                        AnalysisProgress(
                            bid, self._progress_line(event.fraction), event.fraction, event.analysis
                        )
                    )
                elif event.kind == "done":
                    result = event.analysis
                    break  # not waiting for the process to end (a stop kills it)
                elif event.kind == "error":
                    if event.error_kind == "model":
                        self._post(ModelMissing(bid, event.message))
                        return
                    raise AnalysisProcessError(event.message)
        finally:
            process.stop()
            if self.process is process:
                self.process = None
        if result is None or worker.is_cancelled:
            return
        # shown first, cached after: the reader does not wait for the write
        self._post(AnalysisReady(bid, result, "spacy"))
        if not store.read_only:
            try:
                store.put_cached_analysis(result)
            except (StoreError, OSError, ValueError) as e:  # an unwritten cache only costs time
                self._post(Notice(f"Analysis not cached: {e}", severity="warning"))

    def _progress_line(self, fraction: float) -> str:
        left = ""
        elapsed = time.monotonic() - self._began if self._began else 0.0
        if elapsed > 10 and 0.02 < fraction < 1:
            left = f" ({duration(elapsed * (1 - fraction) / fraction)} left)"
        return f"Analysing… {fraction:.0%}{left}"

    # ------------------------------------------------------------------ the timeline
    def load_timeline(self, analysis: Analysis | None) -> None:
        """The Timeline tab's dates, found when the tab is first opened: from the complete
        analysis's DATE entities when there is one, else from the text alone."""
        self.target.run_worker(
            lambda: self._timeline(analysis),
            thread=True,
            exclusive=True,
            group="timeline",
            exit_on_error=False,
        )

    def _timeline(self, analysis: Analysis | None) -> None:
        from brief_tui.analysis.timeline import timeline_of

        briefing = self.briefing
        if briefing.is_empty:
            return
        events = timeline_of(analysis, briefing.text, briefing.date)
        self._post(TimelineReady(briefing.id, events, briefing.text, briefing.date is not None))
