"""``analyze(text) -> Analysis``: paragraphs piped through spaCy in batches, plain records
extracted per paragraph (the Docs are dropped), then the document-wide steps (actors, sources,
figure links, profile) run over the accumulated records after every batch."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from . import actors as _actors
from . import claims as _claims
from .chunks import is_dateline, paragraphs
from .lifeline import die_with_parent
from .model import ANALYSER_VERSION, Analysis, Span
from .nlp import LoadedModel, load_model
from .records import ChunkData, EntRec, dtext


def _extract(doc: Any, start: int, end: int, headline: bool) -> ChunkData:
    data = ChunkData(start, end)
    for s in _sents(doc):
        # trim white space at sentence edges
        a = s.start_char
        b = s.end_char
        txt = dtext(doc)
        while a < b and txt[a].isspace():
            a += 1
        while b > a and txt[b - 1].isspace():
            b -= 1
        if b > a:
            data.sentences.append((start + a, start + b))
    data.entities = [
        EntRec(start + e.start_char, start + e.end_char, e.label_, e.text) for e in doc.ents
    ]
    _actors.extract(doc, start, data)
    _claims.extract(doc, start, data, headline=headline)
    return data


def _sents(doc: Any) -> list[Any]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]] if len(doc) else []


#: a partial result is assembled no sooner than this many times the time the last one took
#: after it: partial results then cost at most 1/(1 + PARTIAL_SPACING) of the analysis
#: (at 300k words a partial takes ~2 s: one every ~16 s; with 2 the analysis took 1.7x raw
#: spaCy). In a fork (``fork_partials``) they cost spaCy nothing, but the fork and the
#: reader that reads the result share the other core, so the spacing stays.
PARTIAL_SPACING = 8


def analyze(
    text: str,
    *,
    title: str = "",
    briefing_id: str = "",
    model: LoadedModel | None = None,
    model_name: str | None = None,
    on_progress: Callable[[Analysis, float], None] | None = None,
    batch_chars: int = 50_000,
    progress_interval: float = 1.0,
    fork_partials: bool = False,
    on_batch: Callable[[], None] | None = None,
    processes: int = 1,
) -> Analysis:
    """Analyse ``text``. Loads the model (``model_name`` or the default choice) unless
    ``model`` is given. Calls ``on_progress(partial, fraction)`` after the first batch of
    about ``batch_chars`` characters, then at most every ``progress_interval`` seconds (and
    never more often than :data:`PARTIAL_SPACING` times the time a partial result takes to
    assemble, so the document-wide steps stay a bounded share of the work), and once at the
    end; with
    ``progress_interval <= 0`` after every batch. The returned Analysis equals the last
    partial one. Without ``on_progress`` it assembles only once.

    ``fork_partials`` (for a process of its own, see ``child.py``; Linux only, elsewhere
    ignored): each partial result is assembled and handed to ``on_progress`` in a forked copy
    of this process, so that spaCy goes on meanwhile (assembling took ~8 % of the analysis of
    a 100k-word text). ``on_progress`` then runs in the fork and must write its result
    somewhere (a pipe): the fork ends after it. A fork still running when the next partial is
    due means that one is skipped (with ``progress_interval <= 0`` it is waited for); the last
    result is assembled here after any fork has ended. ``on_batch()`` is called after every
    batch, here.

    ``processes`` > 1 (Linux; a text of at least :data:`SPLIT_FROM` characters): the last
    paragraphs, about (processes-1)/processes of the text, go to forks of this process (the
    model shared with them), each returning its paragraphs' records; this process does the
    first part (with the partial results, which then cover that part) and appends theirs in
    text order before the last assembly. Records are made per paragraph, so the result is
    exactly that of one process."""
    if model is None:
        model = load_model(model_name)
    nlp = model.nlp
    bid = briefing_id or hashlib.sha256(text.encode("utf-8")).hexdigest()
    total = len(text)
    chunks: list[ChunkData] = []
    paras = list(paragraphs(text))
    first_para = paras[0] if paras else None

    def build() -> Analysis:
        with _collector_paused():
            return assemble(chunks, text, title=title, briefing_id=bid, model=model)

    helpers: list[_Helper] = []
    end = len(paras)
    if processes > 1 and total >= SPLIT_FROM and len(paras) > 1 and _can_fork():
        cuts = _cuts(paras, processes)
        for a, b in zip(cuts, [*cuts[1:], len(paras)], strict=True):
            helper = _Helper.start(nlp, text, paras[a:b], first_para, len(paras))
            if helper is None:  # no fork to be had: this process does it all
                for h in helpers:
                    h.stop()
                helpers = []
                break
            helpers.append(helper)
        if helpers:
            end = cuts[0]
    mine = sum(e - s for s, e in paras[:end]) or 1

    batch_chars = max(1, batch_chars)
    i = 0
    result: Analysis | None = None
    next_report = 0.0  # monotonic time before which no partial result is assembled
    forks = _Forks() if fork_partials and on_progress is not None and _can_fork() else None
    try:
        while i < end:
            batch: list[tuple[int, int]] = []
            size = 0
            while i < end and (not batch or size < batch_chars):
                batch.append(paras[i])
                size += paras[i][1] - paras[i][0]
                i += 1
            chunks.extend(_records(nlp, text, batch, first_para, len(paras)))
            if on_batch is not None:
                on_batch()
            done = batch[-1][1]
            last = i >= end
            if last and helpers:
                for helper in helpers:  # their records follow, in text order
                    try:
                        chunks.extend(helper.result())
                    except RuntimeError:  # it died (memory?): its paragraphs are done here
                        chunks.extend(_records(nlp, text, helper.paras, first_para, len(paras)))
                helpers = []
            if on_progress is None:
                if last:
                    result = build()
                continue
            if last:
                fraction = 1.0
            elif end < len(paras):  # the forks go as fast as this process: its own share
                fraction = min(0.99, sum(c.end - c.start for c in chunks) / mine)
            else:
                fraction = done / total if total else 1.0
            if forks is not None and not last:
                took = forks.reap(wait=progress_interval <= 0)
                if took is not None and progress_interval > 0:
                    next_report = forks.ended + max(progress_interval, PARTIAL_SPACING * took)
                if forks.running or time.monotonic() < next_report:
                    continue
                if forks.start(functools.partial(_report, on_progress, build, fraction)):
                    if progress_interval > 0:
                        next_report = float("inf")  # until this fork has ended
                    continue
                forks = None  # no fork to be had (out of processes or memory): here, then
            now = time.monotonic()
            if not last and now < next_report:
                continue
            result = build()
            if progress_interval > 0:
                took = time.monotonic() - now
                next_report = time.monotonic() + max(progress_interval, PARTIAL_SPACING * took)
            if forks is not None:
                forks.reap(wait=True)  # its partial result must reach the pipe before this
            on_progress(result, fraction)
    finally:
        if forks is not None:
            forks.reap(wait=True)
        for helper in helpers:  # (an error here: they are not waited for)
            helper.stop()
    if result is None:
        result = build()
        if on_progress is not None:
            on_progress(result, 1.0)
    return result


def _records(
    nlp: Any,
    text: str,
    batch: list[tuple[int, int]],
    first_para: tuple[int, int] | None,
    n_paras: int,
) -> Iterator[ChunkData]:
    """The records of a batch of paragraphs, in order."""
    texts = (text[s:e] for s, e in batch)
    for (s, e), doc in zip(batch, nlp.pipe(texts, batch_size=64), strict=True):
        headline = (s, e) == first_para and n_paras > 1 and _looks_like_headline(text[s:e])
        data = _extract(doc, s, e, headline)
        if is_dateline(text, s, e):
            data.claims = []  # provenance, not a statement or a claim
        yield data
        del doc


#: a text shorter than this is analysed by one process (a fork and its records' trip back
#: cost more than they save)
SPLIT_FROM = 200_000


def _cuts(paras: list[tuple[int, int]], processes: int) -> list[int]:
    """Where the forks' shares begin: paragraph indexes that cut the text's characters into
    ``processes`` parts (the first, this process's, ends at the first cut)."""
    lengths = [e - s for s, e in paras]
    total = sum(lengths) or 1
    cuts: list[int] = []
    acc = 0
    k = 1
    for i, n in enumerate(lengths):
        if k < processes and acc >= total * k / processes and i > (cuts[-1] if cuts else 0):
            cuts.append(i)
            k += 1
        acc += n
    return cuts or [len(paras)]


class _Helper:
    """A fork of this process (the model loaded, pages shared) making the records of some
    paragraphs, sent back pickled through a pipe when all are made."""

    def __init__(self, pid: int, fd: int, paras: list[tuple[int, int]]) -> None:
        self.pid = pid
        self.fd = fd
        self.paras = paras

    @classmethod
    def start(
        cls,
        nlp: Any,
        text: str,
        paras: list[tuple[int, int]],
        first_para: tuple[int, int] | None,
        n_paras: int,
    ) -> _Helper | None:
        import pickle

        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # the fork: make the records, send them, end
            code = 1
            try:
                os.close(r)
                die_with_parent()
                records = list(_records(nlp, text, paras, first_para, n_paras))
                with os.fdopen(w, "wb") as out:
                    pickle.dump(records, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        return cls(pid, r, paras)

    def result(self) -> list[ChunkData]:
        """The records (waits for them); raises RuntimeError if the fork failed."""
        import pickle

        try:
            with os.fdopen(self.fd, "rb") as pipe, _collector_paused():
                self.fd = -1
                records: list[ChunkData] = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError) as e:
            raise RuntimeError("a helper process of the analysis failed") from e
        finally:
            self.stop()
        return records

    def stop(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, 9)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while records are read back or assembled: they
    make tens of thousands of containers, none of them garbage, whose allocations started
    collections that walked the whole heap (the model's objects too) again and again."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _report(
    on_progress: Callable[[Analysis, float], None], build: Callable[[], Analysis], fraction: float
) -> None:
    on_progress(build(), fraction)


def _can_fork() -> bool:
    # macOS: forking a process that has loaded its system libraries (numpy's BLAS) without an
    # exec is not safe
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class _Forks:
    """At most one forked child at a time, assembling and reporting a partial result."""

    def __init__(self) -> None:
        self.pid = 0
        self.ended = 0.0

    @property
    def running(self) -> bool:
        return self.pid != 0

    def start(self, job: Callable[[], None]) -> bool:
        """Run ``job`` in a fork; False if the system would not fork this process."""
        try:
            pid = os.fork()
        except OSError:
            return False
        if pid == 0:  # the fork: assemble, report, end (no cleanup: the parent owns it all)
            code = 1
            try:
                gc.disable()  # collecting would touch (and copy) every page of the parent
                die_with_parent()
                job()
                code = 0
            finally:
                os._exit(code)
        self.pid = pid
        return True

    def reap(self, *, wait: bool) -> float | None:
        """The CPU time the fork took if it has ended (waiting for it with ``wait``); its
        end is seen only between batches, so its wall time here would be a batch's."""
        if not self.pid:
            return None
        took = 0.0
        try:
            pid, _, usage = os.wait4(self.pid, 0 if wait else os.WNOHANG)
            took = usage.ru_utime + usage.ru_stime
        except ChildProcessError:
            pid = self.pid
        if pid == 0:
            return None
        self.pid = 0
        self.ended = time.monotonic()
        return took


def _looks_like_headline(line: str) -> bool:
    s = line.rstrip()
    return len(s) < 200 and not s.endswith((".", "?", "!", ":", ";", ",", "”", '"'))


def assemble(
    chunks: list[ChunkData], text: str, *, title: str, briefing_id: str, model: LoadedModel
) -> Analysis:
    """Document-wide steps over the plain records: cheap, deterministic."""
    sentences = [Span(a, b) for c in chunks for a, b in c.sentences]
    an = Analysis(
        briefing_id=briefing_id,
        title=title,
        text=text,
        model_name=model.name,
        model_version=model.version,
        sentences=sentences,
        analyser_version=ANALYSER_VERSION,
    )
    group = _actors.group(chunks, text)
    an.entities = group.entities
    an.actors = group.actors
    an.claims, an.sources, an.measures = _claims.assemble(chunks, text, group)
    an.profile = _claims.profile(an)
    return an
