"""`brief-tui library [--json|--jsonl] [--data-dir DIR]`: list the library for people or
scripts; `brief-tui library add PATH...`: import files without opening the reader.

Without ``--json`` a Rich table; with it a JSON array of objects (see
:func:`brief_tui.library.listing.library_listing`): id, title, source, origin, format,
date, author, url, chars, claims (null when never analysed), annotations, last_opened,
added; with ``--jsonl`` one such object a line. Both are written as the rows are read from
the store, so memory stays flat however large the library. Problems with the store are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress

    from brief_tui.library.importer import ImportSummary, Pending
    from brief_tui.library.store import LibraryStore, Store

EXIT_BAD_INPUT = 2


def library_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui library",
        description=(
            "List every briefing in the library (the most recently opened first): title, "
            "source, date, number of claims and annotations, when it was last opened."
        ),
        epilog="brief-tui library add PATH... imports files (see brief-tui library add --help)",
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=["repair"],
        help=(
            "repair: salvage a damaged library (every readable row is copied into a new file; "
            "the original is kept beside it). Listing never changes the library."
        ),
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON array for scripts")
    fmt.add_argument(
        "--jsonl", action="store_true", help="print one JSON object a line (JSON Lines)"
    )
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the library is stored (default: $BRIEF_TUI_DATA_DIR or the user data dir)",
    )
    return p


def cmd_library(argv: Sequence[str]) -> int:
    """Run ``brief-tui library``; returns the exit status."""
    args = list(argv)
    if args and args[0] == "add":
        return cmd_add(args[1:])
    ns = library_parser().parse_args(args)
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.store import StoreError

    if ns.action == "repair":
        return _repair(ns.data_dir)
    from brief_tui.cli_team import open_for_listing

    store = open_for_listing(ns.data_dir)  # (never repair: a damaged file is left where it is)
    if store is None:
        return EXIT_BAD_INPUT
    try:
        if store.warning:
            print(f"brief-tui: warning: {clean_line(store.warning)}", file=sys.stderr)
        try:
            if ns.json or ns.jsonl:
                return _stream_json(store, lines=ns.jsonl)
            from brief_tui.library.listing import library_listing

            rows = library_listing(store)
        except StoreError as e:
            print(f"brief-tui: {clean_line(str(e))}", file=sys.stderr)
            return EXIT_BAD_INPUT
    finally:
        store.close()
    _table(rows)
    return 0


def _stream_json(store: LibraryStore, *, lines: bool) -> int:
    """Write the listing as it is read: a JSON array (the same text ``json.dumps(rows,
    indent=2)`` gives) or JSON Lines. The database is untrusted too: nothing in it reaches
    the terminal raw. A reader of the pipe that goes away ends it quietly."""
    from brief_tui.briefing.untrusted import json_escape_unsafe
    from brief_tui.library.listing import iter_listing

    out = sys.stdout
    rows = iter_listing(store)
    try:
        first = True
        for row in rows:
            if lines:
                out.write(json_escape_unsafe(json.dumps(row, ensure_ascii=False)) + "\n")
            else:
                item = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                out.write(("[\n  " if first else ",\n  ") + json_escape_unsafe(item))
            first = False
        if not lines:
            out.write("[]\n" if first else "\n]\n")
        out.flush()
    except BrokenPipeError:
        # (as cat does: no traceback, and no second error when Python flushes at exit)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    finally:
        rows.close()
    return 0


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.listing import local_time

    console = Console(markup=False, highlight=False)  # titles are text, not markup
    if not rows:
        console.print("The library is empty: open a briefing with brief-tui PATH.")
        return
    table = Table(title=f"Library ({len(rows)} briefing{'s' if len(rows) != 1 else ''})")
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Source", overflow="fold", ratio=1)
    table.add_column("Date", no_wrap=True)
    table.add_column("Claims", justify="right")
    table.add_column("Notes", justify="right")
    table.add_column("Last opened", no_wrap=True)
    table.add_column("Id", no_wrap=True, style="dim")
    for r in rows:
        table.add_row(
            clean_line(r["title"]),
            clean_line(r["source"]),
            r["date"] or "–",
            "–" if r["claims"] is None else str(r["claims"]),
            str(r["annotations"]),
            local_time(r["last_opened"]),
            r["id"][:12],
        )
    console.print(table)


def _repair(data_dir: str | None) -> int:
    """``brief-tui library repair``: open the library as the reader does (a damaged one is
    salvaged) and say what happened."""
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.store import Store

    with Store.open(data_dir, repair=True, full_check=True) as store:
        if store.read_only:
            print(f"brief-tui: {clean_line(store.warning or 'read-only')}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if store.warning:
            print(f"brief-tui: {clean_line(store.warning)}", file=sys.stderr)
            return 0
        print(f"brief-tui: the library {store.path} is sound; nothing to repair", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- library add
EXIT_INTERRUPTED = 130


def add_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui library add",
        description=(
            "Store briefings in the library without opening the reader: files (text, "
            "Markdown, HTML, PDF), folders (every file inside, recursively; hidden ones and "
            "links to folders left out) and glob patterns (quoted: 'news/**/*.md'). A "
            "briefing already in the library (the same text) is not stored twice."
        ),
        epilog=(
            "A progress bar is drawn when standard error is a terminal. The summary goes to "
            "standard output, one line for each file that could not be read to standard "
            "error. Exit status: 0 when every file was read (and, with --analyse, analysed); "
            "2 when some could not be (the others are stored); 130 when stopped with Ctrl-C "
            "(what was stored and analysed until then is kept)."
        ),
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file, a folder or a glob pattern; - reads such paths from standard input, "
        "one a line",
    )
    p.add_argument(
        "--analyse",
        "--analyze",
        dest="analyse",
        action="store_true",
        help="also analyse them into the analysis cache (on every core, at a lower priority), "
        "so that the reader shows them analysed at once",
    )
    p.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="analysis processes (default: one per core)",
    )
    p.add_argument("--model", metavar="NAME", help="spaCy model to analyse with (as the reader)")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the library is stored (default: $BRIEF_TUI_DATA_DIR or the user data dir)",
    )
    return p


class _Reporter:
    """Progress on standard error when it is a terminal (Rich), else nothing but the
    problem lines."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(stderr=True, markup=False, highlight=False)
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=console,
                transient=False,
            )

    def __enter__(self) -> _Reporter:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def task(self, description: str, total: int) -> int | None:
        if self.progress is None:
            return None
        return self.progress.add_task(description, total=total, rate="")

    def advance(self, task: int | None, amount: int = 1, rate: str = "") -> None:
        if self.progress is not None and task is not None:
            self.progress.update(task, advance=amount, rate=rate)  # type: ignore[arg-type]

    def say(self, line: str) -> None:
        """One line on standard error (above the bar while it is drawn)."""
        if self.progress is not None:
            from rich.text import Text

            self.progress.console.print(Text(f"brief-tui: {line}"), soft_wrap=True)
        else:
            print(f"brief-tui: {line}", file=sys.stderr, flush=True)


def cmd_add(argv: Sequence[str]) -> int:
    """Run ``brief-tui library add``; returns the exit status."""
    ns = add_parser().parse_args(list(argv))
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.importer import ImportSummary, expand_paths
    from brief_tui.library.store import Store

    if ns.processes is not None and ns.processes < 1:
        print("brief-tui: --processes takes a number of at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    summary = ImportSummary()
    reporter = _Reporter()
    stopped = False
    try:
        paths, problems = expand_paths(ns.paths, sys.stdin if "-" in ns.paths else None)
        for line in problems:
            reporter.say(line)
        summary.failed += len(problems)
        store = Store.open(ns.data_dir)
        with store, reporter:
            if store.warning:
                reporter.say(f"warning: {clean_line(store.warning)}")
            if store.read_only:
                reporter.say("nothing was stored: the library cannot be written")
                return EXIT_BAD_INPUT
            _add_all(ns, store, paths, summary, reporter)
    except KeyboardInterrupt:
        stopped = True
    except _Stop as e:
        reporter.say(str(e))
        summary.problems.append(str(e))
    line = summary.line(analyse=ns.analyse)
    print(("stopped: " if stopped else "") + line, flush=True)
    if stopped:
        return EXIT_INTERRUPTED
    trouble = summary.failed or summary.analysis_failed or summary.problems
    return EXIT_BAD_INPUT if trouble else 0


class _Stop(Exception):
    """A problem that ends the import (the store refuses writes, no model): one line."""


def _add_all(
    ns: argparse.Namespace,
    store: Store,
    paths: list[str],
    summary: ImportSummary,
    reporter: _Reporter,
) -> None:
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.importer import Pending, import_file, needs_analysis
    from brief_tui.library.store import StoreError

    model = version = None
    if ns.analyse:
        from brief_tui.analysis.nlp import ModelUnavailable, choose_model, model_version
        from brief_tui.config import load_config, reader_model

        try:
            model = choose_model(reader_model(ns.model, load_config()))
        except ModelUnavailable as e:
            raise _Stop(f"not analysed: {e}") from None
        version = model_version(model)
    pending: list[Pending] = []
    task = reporter.task("Reading", len(paths))
    for path in paths:
        try:
            item = import_file(store, path)
        except StoreError as e:
            raise _Stop(f"{clean_line(path)}: not stored: {e}") from None
        summary.count(item)
        if item.message:
            reporter.say(item.message)
        if model is not None and item.briefing_id:
            if item.outcome == "added" or needs_analysis(store, item.briefing_id, model, version):
                pending.append(Pending(item.briefing_id, item.words, item.path))
            else:
                summary.analysed_before += 1
        reporter.advance(task)
    if model is None or not pending:
        return
    _analyse(ns, store, model, pending, summary, reporter)


def _analyse(
    ns: argparse.Namespace,
    store: Store,
    model: str,
    pending: list[Pending],
    summary: ImportSummary,
    reporter: _Reporter,
) -> None:
    import contextlib
    import time

    from brief_tui.analysis.pool import Loaded, PoolModelError, cpu_count
    from brief_tui.library.importer import analyse_pending
    from brief_tui.library.store import StoreError

    processes = min(ns.processes or cpu_count(), len(pending))
    total = sum(p.words for p in pending)
    task = reporter.task(f"Analysing ({processes} processes)", total)

    began = time.monotonic()

    def loaded(event: Loaded) -> None:
        nonlocal began
        began = time.monotonic()  # the rate is the analysis's, not the model loading's
        if event.warning:
            reporter.say(f"warning: {event.warning}")

    done_words = 0
    results = analyse_pending(store, pending, model=model, processes=processes, on_loaded=loaded)
    with contextlib.closing(results):
        try:
            for item, message in results:
                if message:
                    summary.analysis_failed += 1
                    reporter.say(message)
                else:
                    summary.analysed += 1
                done_words += item.words
                rate = done_words / max(time.monotonic() - began, 1e-6)
                reporter.advance(task, item.words, f"{rate:,.0f} words/s")
        except PoolModelError as e:
            raise _Stop(f"not analysed: {e}") from None
        except StoreError as e:
            raise _Stop(f"analysis not cached: {e}") from None


def main() -> None:
    sys.exit(cmd_library(sys.argv[1:]))


if __name__ == "__main__":
    main()
