"""`brief-tui library [--json] [--data-dir DIR]`: list the library for people or scripts.

Without ``--json`` a Rich table; with it a JSON array of objects (see
:func:`brief_tui.library.crossref.library_listing`): id, title, source, origin, format,
date, author, url, chars, claims (null when never analysed), annotations, last_opened,
added. Problems with the store are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

EXIT_BAD_INPUT = 2


def library_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief-tui library",
        description=(
            "List every briefing in the library (the most recently opened first): title, "
            "source, date, number of claims and annotations, when it was last opened."
        ),
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
    p.add_argument("--json", action="store_true", help="print a JSON array for scripts")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the library is stored (default: $BRIEF_TUI_DATA_DIR or the user data dir)",
    )
    return p


def cmd_library(argv: Sequence[str]) -> int:
    """Run ``brief-tui library``; returns the exit status."""
    ns = library_parser().parse_args(list(argv))
    from brief_tui.briefing.untrusted import clean_line, json_escape_unsafe
    from brief_tui.library.crossref import library_listing, local_time
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
            rows = library_listing(store)
        except StoreError as e:
            print(f"brief-tui: {clean_line(str(e))}", file=sys.stderr)
            return EXIT_BAD_INPUT
    finally:
        store.close()
    if ns.json:
        # (the database is untrusted too: nothing in it reaches the terminal raw)
        print(json_escape_unsafe(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0

    from rich.console import Console
    from rich.table import Table

    console = Console(markup=False, highlight=False)  # titles are text, not markup
    if not rows:
        console.print("The library is empty: open a briefing with brief-tui PATH.")
        return 0
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
    return 0


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


def main() -> None:
    sys.exit(cmd_library(sys.argv[1:]))


if __name__ == "__main__":
    main()
