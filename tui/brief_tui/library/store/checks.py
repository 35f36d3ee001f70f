"""Checking the database for damage when it is opened, and remembering (in a small side file)
when the whole file was last checked. What is checked when: see :meth:`Store.open`."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import suppress
from pathlib import Path
from typing import Final

from brief_tui.library.store.errors import Corrupt, short

#: seconds after which :meth:`Store.open` checks the whole database file again
FULL_CHECK_EVERY_S: Final = 24 * 3600.0
#: the tables :meth:`Store.open` checks every time: the reader's own work (``sqlite_schema``'s
#: check covers the free-page list too). Its cost grows with the notes, not the library. The
#: briefings' texts (241 ms at 100,000 briefings), the analysis cache and the full-text index
#: are left to the full check, once a day and after damage was met.
PRECIOUS_TABLES: Final = (
    "sqlite_schema",
    "annotations",
    "undo_log",
    "sqlite_sequence",
)
#: the tables of the library whose b-tree an open only walks down both edges of: a root
#: page or edge lost (the whole library unreadable) is found at once, for a few pages read
PROBED_TABLES: Final = ("briefings",)


def _check_record(path: Path) -> Path:
    """The small side file remembering the last full check of the database at ``path``."""
    return path.with_name(path.name + ".checked")


def full_check_due(path: Path) -> bool:
    """Whether :meth:`Store.open` must run the full ``PRAGMA quick_check``: no (readable)
    record of one, or it is older than :data:`FULL_CHECK_EVERY_S`, or it was of another
    file (replaced since: another inode) or of a bigger one (SQLite never shrinks the file
    without a VACUUM, which the store never runs: a shorter file was cut)."""
    try:
        record = json.loads(_check_record(path).read_text(encoding="utf-8"))
        st = path.stat()
        age = time.time() - float(record["checked_at"])
        return not (
            -60.0 <= age < FULL_CHECK_EVERY_S
            and record["dev"] == st.st_dev
            and record["ino"] == st.st_ino
            and st.st_size >= record["size"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return True


def record_full_check(path: Path, checked_at: float) -> None:
    """Remember a full check that found the file sound (best effort: without the record
    the next open checks the whole file again)."""
    with suppress(OSError):
        st = path.stat()
        record = {"checked_at": checked_at, "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size}
        _check_record(path).write_text(json.dumps(record), encoding="utf-8")


def forget_full_check(path: Path | None) -> None:
    """Have the next :meth:`Store.open` check the whole file."""
    if path is not None:
        with suppress(OSError):
            _check_record(path).unlink(missing_ok=True)


def check(conn: sqlite3.Connection, path: Path) -> float | None:
    """Check the database for damage (see :meth:`Store.open`); raise :class:`Corrupt` if it
    is. Returns the time of a full check, ``None`` after the every-open one."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    started = time.time()
    if full_check_due(path):
        rows = conn.execute("PRAGMA quick_check").fetchall()
        full: float | None = started
    else:
        # The structure only: quick_check also evaluates every row's CHECK constraints,
        # which made it ten times slower on the annotations (6 ms a thousand); they are
        # the store's own rules, enforced on every write, not signs of damage.
        rows = []
        conn.execute("PRAGMA ignore_check_constraints = ON")
        try:
            for table in PRECIOUS_TABLES:
                if table == "sqlite_schema" or table in tables:
                    rows += conn.execute(f"PRAGMA quick_check({table})").fetchall()
            for table in PROBED_TABLES:
                if table in tables:  # (a damaged page raises sqlite3.DatabaseError)
                    for order in ("ASC", "DESC"):
                        conn.execute(
                            f"SELECT rowid FROM {table} ORDER BY rowid {order} LIMIT 1"
                        ).fetchall()
        finally:
            conn.execute("PRAGMA ignore_check_constraints = OFF")
        full = None
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    if problems or not rows:
        raise Corrupt(short(problems[0], 80) if problems else "quick_check failed")
    return full
