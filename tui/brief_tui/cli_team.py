"""`brief-tui library push --to postgresql://…` and `brief-tui library pull --from …`: copy
the local library into a team library and back. Idempotent: twice adds nothing. Problems are
one line on stderr; the password is never printed (give it in ~/.pgpass or $PGPASSWORD)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brief_tui.library.store import LibraryStore

EXIT_BAD_INPUT = 2


def team_parser(action: str) -> argparse.ArgumentParser:
    where = "--to" if action == "push" else "--from"
    p = argparse.ArgumentParser(
        prog=f"brief-tui library {action}",
        description=(
            "Copy the local library (briefings, annotations and grades) into a team library "
            "on PostgreSQL."
            if action == "push"
            else "Copy a team library on PostgreSQL into the local library, to work without "
            "the server."
        )
        + " Copying twice adds nothing; a note already there is updated when the copy sent "
        "was changed later (push: your own notes only); nothing is deleted.",
    )
    p.add_argument(where, dest="url", required=True, metavar="postgresql://USER@HOST/DB")
    p.add_argument("--data-dir", metavar="DIR", help="the local library's data dir")
    p.add_argument("--analyst", metavar="NAME", help="your name on the notes pushed")
    return p


def cmd_team(action: str, argv: Sequence[str]) -> int:
    """Run ``brief-tui library push|pull``; returns the exit status."""
    ns = team_parser(action).parse_args(list(argv))
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.config import load_config
    from brief_tui.library.store import Store, StoreError
    from brief_tui.library.store.factory import default_analyst, is_team_library

    def fail(message: str) -> int:
        print(f"brief-tui: {clean_line(message)}", file=sys.stderr)
        return EXIT_BAD_INPUT

    if not is_team_library(ns.url):
        return fail(f"library {action}: give a postgresql://user@host/db address")
    analyst = ns.analyst or load_config().analyst or default_analyst()
    try:
        from brief_tui.library.store.postgres import PgStore, redacted
        from brief_tui.library.store.transfer import pull, push
    except ImportError as e:
        return fail(f"a team library needs psycopg 3: pip install 'brief-tui[team]' ({e.name})")
    try:
        team = PgStore.open(ns.url, analyst=analyst)
    except StoreError as e:
        return fail(str(e))
    local = Store.open(ns.data_dir, repair=True)
    try:
        if local.read_only:
            return fail(local.warning or "the local library is read-only")
        counts = push(local, team) if action == "push" else pull(team, local)
    except StoreError as e:
        return fail(str(e))
    finally:
        local.close()
        team.close()
    where = redacted(ns.url)
    arrow = f"to {where}" if action == "push" else f"from {where}"
    theirs = (
        f", {counts.theirs} of other analysts' changed here left as the team has them"
        if counts.theirs
        else ""
    )
    print(
        f"brief-tui: {action} {arrow}: {counts.briefings} briefings and "
        f"{counts.annotations} annotations copied, {counts.updated} updated (changed since), "
        f"{counts.already} already there{theirs}",
        file=sys.stderr,
    )
    return 0


def open_for_listing(data_dir: str | None) -> LibraryStore | None:
    """The library ``brief-tui library`` lists: the team library when one is named
    (--library, $BRIEF_TUI_LIBRARY, the config), else the local one; None after saying why
    it cannot be opened."""
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.config import library_spec, load_config
    from brief_tui.library.store import StoreError
    from brief_tui.library.store.factory import open_library

    config = load_config()
    try:
        return open_library(library_spec(None, config), data_dir=data_dir, analyst=config.analyst)
    except StoreError as e:
        print(f"brief-tui: {clean_line(str(e))}", file=sys.stderr)
        return None


def take_library_option(args: list[str]) -> list[str]:
    """``--library URL`` taken out of a subcommand's arguments into $BRIEF_TUI_LIBRARY (the
    subcommands open the library through it), the other arguments returned."""
    import os

    out: list[str] = []
    it = iter(args)
    for a in it:
        if a == "--library":
            os.environ["BRIEF_TUI_LIBRARY"] = next(it, "")
        elif a.startswith("--library="):
            os.environ["BRIEF_TUI_LIBRARY"] = a.split("=", 1)[1]
        else:
            out.append(a)
    return out
