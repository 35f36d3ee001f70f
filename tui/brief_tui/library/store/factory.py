"""The one way to open a library: :func:`open_library` gives a :class:`LibraryStore` for a
spec (a ``postgresql://`` URL: the team library; else the local SQLite one in a data dir)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Final

from brief_tui.library.store.errors import StoreError
from brief_tui.library.store.protocol import LibraryStore

#: the environment variable naming the library (the command line's --library wins over it)
ENV_LIBRARY: Final = "BRIEF_TUI_LIBRARY"
_SCHEMES: Final = ("postgresql://", "postgres://")


def is_team_library(spec: str | Path | None) -> bool:
    return isinstance(spec, str) and spec.lower().startswith(_SCHEMES)


def default_analyst() -> str:
    """The analyst name when none is configured: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def open_library(
    spec: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    analyst: str | None = None,
    repair: bool = False,
    offline: bool = True,
) -> LibraryStore:
    """Open the library ``spec`` names (else ``$BRIEF_TUI_LIBRARY``): a ``postgresql://``
    URL opens the team library as ``analyst`` (default: the OS user); a path, or nothing,
    the local SQLite library in that data dir (else ``data_dir``). With ``offline`` a team
    library whose server cannot be reached opens anyway: writes wait in a journal in the
    local data dir and are sent when it is back (see :mod:`.postgres.offline`); without it,
    :class:`StoreUnavailable` is raised. Never raises otherwise for the local library."""
    if spec is None or str(spec) == "":
        spec = os.environ.get(ENV_LIBRARY) or None
    if is_team_library(spec):
        assert isinstance(spec, str)
        who = analyst or default_analyst()
        try:
            from brief_tui.library.store.postgres.offline import open_team_library
        except ImportError as e:  # the team extra is not installed
            if not (e.name or "").startswith("psycopg"):
                raise
            raise StoreError(
                f"a team library needs psycopg 3: pip install 'brief-tui[team]' ({e.name} missing)"
            ) from None
        return open_team_library(spec, analyst=who, data_dir=data_dir, offline=offline)
    from brief_tui.library.store.facade import Store

    return Store.open(spec if spec is not None else data_dir, repair=repair)
