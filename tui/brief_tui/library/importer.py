"""Importing briefings without the reader: ``brief-tui library add PATH...``.

A file is read by :func:`brief_tui.briefing.load_briefing` and stored by
:meth:`Store.add_briefing`, as the reader does when it opens one: the same id, limits and
cleaning. A briefing already stored (the same id: the same text) is left as it is; an
empty document is not stored (the reader does not store one either).

Analysing (``--analyse``) runs :func:`brief_tui.analysis.pool.analyse_many` on every core
and writes each result with :meth:`Store.put_cached_analysis`, under the model name and
version the reader looks the cache up with, so that a briefing opened afterwards is shown
analysed from the cache.

No Textual and no Rich here: the command line draws the progress.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final, Literal

from brief_tui.analysis.pool import Done, Failed, Job, Loaded, analyse_many
from brief_tui.briefing import BriefingError, load_briefing
from brief_tui.briefing.untrusted import clean_line
from brief_tui.library.store import Store

__all__ = [
    "ImportSummary",
    "Imported",
    "Pending",
    "analyse_pending",
    "expand_paths",
    "import_file",
    "needs_analysis",
]

Outcome = Literal["added", "already", "empty", "failed"]

_GLOB_CHARS: Final = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Imported:
    """What became of one path."""

    path: str
    outcome: Outcome
    #: the briefing's id (added or already there)
    briefing_id: str = ""
    #: its words (white-space separated), for the analysis's progress
    words: int = 0
    #: one clean line saying why it was not stored (failed or empty)
    message: str = ""


@dataclass(frozen=True, slots=True)
class Pending:
    """A stored briefing still to be analysed."""

    briefing_id: str
    words: int
    #: the path it was read from (to name it in a message)
    path: str


@dataclass
class ImportSummary:
    added: int = 0
    already: int = 0
    empty: int = 0
    failed: int = 0
    analysed: int = 0
    analysis_failed: int = 0
    #: briefings whose analysis was cached before (nothing to do)
    analysed_before: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, item: Imported) -> None:
        if item.outcome == "added":
            self.added += 1
        elif item.outcome == "already":
            self.already += 1
        elif item.outcome == "empty":
            self.empty += 1
        else:
            self.failed += 1

    def line(self, *, analyse: bool) -> str:
        parts = [f"{self.added} added", f"{self.already} already there"]
        parts.append(f"{self.failed} could not be read")
        if self.empty:
            parts.append(f"{self.empty} empty (not stored)")
        if analyse:
            analysed = f"{self.analysed} analysed"
            if self.analysed_before:
                analysed += f" ({self.analysed_before} analysed before)"
            parts.append(analysed)
            if self.analysis_failed:
                parts.append(f"{self.analysis_failed} could not be analysed")
        return ", ".join(parts)


# ---------------------------------------------------------------------------- which files
def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: str) -> Iterator[str]:
    """Every file under ``folder``, in name order, hidden files and folders left out,
    symbolic links to folders not followed (a link loop cannot trap the walk)."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(files):
            if not _is_hidden(name):
                yield os.path.join(root, name)


def _expand_one(arg: str) -> Iterator[str]:
    if os.path.isdir(arg):
        yield from _walk(arg)
    elif os.path.lexists(arg) or not _GLOB_CHARS & set(arg):
        yield arg  # a file, or a path load_briefing will say is missing
    else:
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            raise BriefingError(f"{arg}: no file matches")
        for match in matches:
            if os.path.isdir(match):
                yield from _walk(match)
            else:
                yield match


def expand_paths(args: Iterable[str], stdin: IO[str] | None = None) -> tuple[list[str], list[str]]:
    """The files named by ``args`` (files; folders, recursively; glob patterns, ``**``
    included; ``-``: one such path a line from ``stdin``), each once, and one clean line for
    every argument that names nothing."""
    paths: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()

    def lines() -> Iterator[str]:
        for arg in args:
            if arg == "-":
                if stdin is not None:
                    for line in stdin:
                        line = line.rstrip("\r\n")
                        if line.strip():
                            yield line
            else:
                yield arg

    for arg in lines():
        if "://" in arg:
            problems.append(
                clean_line(f"{arg}: a URL; library add imports files (open it with brief-tui URL)")
            )
            continue
        try:
            for path in _expand_one(arg):
                key = os.path.realpath(path)
                if key not in seen:
                    seen.add(key)
                    paths.append(path)
        except BriefingError as e:
            problems.append(str(e))
        except OSError as e:  # (a folder that cannot be listed is skipped by os.walk)
            problems.append(clean_line(f"{arg}: {e.strerror or e}"))
    return paths, problems


# ---------------------------------------------------------------------------- storing
def import_file(store: Store, path: str) -> Imported:
    """Read ``path`` and store it unless the library holds it already. Raises StoreError
    when the store refuses the write (full, read-only, busy): the next would fail too."""
    try:
        briefing = load_briefing(Path(path))  # (a Path: never taken for a URL)
    except BriefingError as e:
        return Imported(path, "failed", message=str(e))
    except RecursionError:  # a document nested beyond what the parsers take
        return Imported(path, "failed", message=clean_line(f"{path}: nested too deeply to read"))
    if briefing.is_empty:
        return Imported(path, "empty", message=clean_line(f"{path}: empty; nothing to store"))
    words = len(briefing.text.split())
    if store.briefing_info(briefing.id) is not None:
        return Imported(path, "already", briefing.id, words)
    store.add_briefing(briefing)
    return Imported(path, "added", briefing.id, words)


# ---------------------------------------------------------------------------- analysing
def needs_analysis(
    store: Store, briefing_id: str, model_name: str, model_version: str | None
) -> bool:
    """True unless the reader would find this briefing's analysis in the cache."""
    from brief_tui.analysis.model import ANALYSER_VERSION

    if model_version is None:
        return True
    return (
        store.get_cached_analysis(briefing_id, model_name, model_version, ANALYSER_VERSION) is None
    )


def analyse_pending(
    store: Store,
    pending: Iterable[Pending],
    *,
    model: str,
    processes: int | None = None,
    on_loaded: Callable[[Loaded], None] | None = None,
) -> Generator[tuple[Pending, str], None, None]:
    """Analyse the stored briefings ``pending`` in a pool of processes, caching each
    analysis as it comes. Yields ``(pending, "")`` for each cached, ``(pending, message)``
    for each that failed. Raises :class:`brief_tui.analysis.pool.PoolModelError` when the
    model cannot be loaded, StoreError when the cache cannot be written."""
    from brief_tui.analysis.model import Analysis

    waiting: dict[str, Pending] = {}

    def jobs() -> Iterator[Job]:
        for item in pending:
            briefing = store.get_briefing(item.briefing_id)
            if briefing is None:  # removed meanwhile (by a reader)
                continue
            waiting[briefing.id] = item
            yield Job(briefing.id, briefing.title, briefing.text)

    results = analyse_many(jobs(), processes=processes, model=model, on_loaded=on_loaded)
    try:  # (closed here, its processes end at once: not when the garbage is collected)
        for result in results:
            item = waiting.pop(result.job.briefing_id)
            if isinstance(result, Failed):
                yield item, clean_line(f"{item.path}: not analysed: {result.message}")
                continue
            assert isinstance(result, Done)
            analysis = Analysis.from_cache(result.cache, result.job.text)
            store.put_cached_analysis(analysis)
            yield item, ""
    finally:
        results.close()
