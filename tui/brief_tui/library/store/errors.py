"""What can go wrong with the store, named: the errors its callers see (each with a one-line
message fit to show a user) and the signals the opening code passes itself."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Final

#: seconds a writer waits for another process's transaction before giving up
BUSY_TIMEOUT_S: Final = 10.0


class StoreError(Exception):
    """A store operation failed. The message is one line, fit to show a user."""


class StoreReadOnly(StoreError):
    """A write was asked of a read-only store (see ``Store.warning`` for why)."""


class StoreBusy(StoreError):
    """Another process held the database for longer than the busy timeout."""


class StoreDamaged(StoreError):
    """SQLite found the database damaged while reading or writing it. The next
    :meth:`Store.open` checks the whole file (and salvages it if it is damaged)."""


class StoreUnavailable(StoreError):
    """The team library's server cannot be reached (down, unreachable, refusing us)."""


class NotYours(StoreError):
    """An analyst asked to change or delete another analyst's annotation in a team library."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: the write was not made."""


# -- signals while opening (never seen outside the store) ------------------------------------
class Corrupt(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unwritable(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class TooNew(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class Full(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def cause(e: sqlite3.Error) -> str:
    """What went wrong, from SQLite's (extended) result code, else its message: ``full``,
    ``busy``, ``read-only``, ``damaged``, ``cannot open``, ``i/o`` or ``other``."""
    name = str(getattr(e, "sqlite_errorname", "") or "")
    msg = str(e).lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        m in msg for m in ("file is not a database", "malformed", "database corrupt")
    ):
        return "damaged"
    if name.startswith("SQLITE_FULL") or "database or disk is full" in msg:
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or any(
        m in msg for m in ("database is locked", "database table is locked", "database is busy")
    ):
        return "busy"
    if name.startswith("SQLITE_READONLY") or "readonly" in msg or "read-only" in msg:
        return "read-only"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in msg:
        return "cannot open"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in msg:
        return "i/o"
    return "other"


def is_corruption(e: sqlite3.Error) -> bool:
    return cause(e) == "damaged"


def is_unwritable(e: sqlite3.Error) -> bool:
    return cause(e) in ("read-only", "cannot open", "i/o")


def _unwritable_because(path: Path) -> str | None:
    """Why the database files at ``path`` cannot be written now (an immutable file, a file
    system remounted read-only, permissions), or ``None`` if they can be opened for writing.
    SQLite reports these as a bare "disk I/O error"."""
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            fd = os.open(file, os.O_WRONLY)
        except FileNotFoundError:
            continue
        except OSError as err:
            return err.strerror or str(err)
        os.close(fd)
    return None


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def store_error(
    e: sqlite3.Error, path: Path | None, *, busy_timeout: float = BUSY_TIMEOUT_S
) -> StoreError:
    """The :class:`StoreError` naming the real cause of ``e`` (met on the database at
    ``path``), with a one-line message fit to show a user. (The store's connection also has
    the next open check the whole file after a :class:`StoreDamaged`.)"""
    where = str(path) if path is not None else "the database"
    what = cause(e)
    if what in ("i/o", "cannot open", "read-only") and path is not None:
        if _disk_full(path):
            what = "full"
        elif (why := _unwritable_because(path)) is not None:
            return StoreReadOnly(f"{where} has become read-only ({why})")
    if what == "full":
        return StoreFull(
            f"the disk holding {where} is full (or the database reached its size limit)"
        )
    if what == "busy":
        return StoreBusy(
            f"another brief-tui (or another program) is holding {where} "
            f"for more than {busy_timeout:g} s; try again when it is done"
        )
    if what == "read-only":
        return StoreReadOnly(f"{where} has become read-only ({e})")
    if what == "damaged":
        return StoreDamaged(
            f"the database is damaged ({e}); brief-tui salvages it when the reader next starts"
        )
    if what == "cannot open":
        return StoreError(f"cannot open {where} any more ({e})")
    if what == "i/o":
        return StoreError(f"disk I/O error on {where} ({e})")
    return StoreError(f"database error: {e}")


def short(text: str | None, n: int = 40) -> str:
    """``text`` on one line, cut to ``n`` characters (for messages and undo descriptions)."""
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def switch_to_wal(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> str:
    """Put the database in WAL mode and return the journal mode it reports.

    Two processes opening one new file at once both ask for WAL; SQLite may answer one of them
    "database is locked" at once, without waiting on the busy handler (it would otherwise be a
    deadlock between two readers that each want the write lock). That answer is retried here
    until ``timeout`` has passed, as the busy handler would have waited."""
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as e:
            if cause(e) != "busy" or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
