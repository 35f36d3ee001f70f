"""Opening the store, and what it does when the database is damaged or cannot be written.
Failures never lose annotations and never stop a briefing from opening:

- a damaged database (not SQLite, or ``PRAGMA quick_check`` not ok), opened with
  ``repair=True`` (the reader does), is salvaged: every readable row of every table is
  copied into a fresh file with the current schema, the original is renamed to
  ``<name>.corrupt-<timestamp>`` (kept, with its -wal/-shm files) and ``store.warning``
  says what was recovered and where the original is. Without ``repair`` (the read-only
  commands) nothing is moved or written: the damaged file is opened read-only and the
  warning says how to repair it. What is checked when: see :func:`open_database`; damage
  met later, while reading or writing, raises :class:`StoreDamaged` and has the next
  open check the whole file again;
- a data directory or database that cannot be written (permissions, read-only file system),
  or a database written by a newer brief-tui, gives a **read-only store**:
  ``store.read_only`` is True, ``store.warning`` holds the one-line reason, reads work on
  what is there (or on an empty store if nothing can be read), and every write raises
  :class:`StoreReadOnly` carrying the same message. Opening itself does not raise for
  these conditions;
- a write that fails names its cause (:func:`store_error`): a full disk
  (:class:`StoreFull`), a lock another process holds (:class:`StoreBusy`), a store gone
  read-only (:class:`StoreReadOnly`), damage (:class:`StoreDamaged`), an I/O error.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from brief_tui.library.paths import data_dir as resolve_data_dir
from brief_tui.library.paths import db_path
from brief_tui.library.store.checks import check as check_damage
from brief_tui.library.store.checks import forget_full_check, record_full_check
from brief_tui.library.store.connection import Database
from brief_tui.library.store.errors import (
    BUSY_TIMEOUT_S,
    Corrupt,
    Full,
    TooNew,
    Unwritable,
    cause,
    is_corruption,
    is_unwritable,
    short,
    switch_to_wal,
)
from brief_tui.library.store.salvage import salvage_into
from brief_tui.library.store.schema import SCHEMA_VERSION, migrate


def open_database(
    data_dir: str | Path | None = None,
    *,
    check: bool = True,
    repair: bool = False,
    full_check: bool = False,
    busy_timeout: float = BUSY_TIMEOUT_S,
) -> Database:
    """Open (creating if needed) the store in ``data_dir`` (resolved by
    :func:`brief_tui.library.paths.data_dir`). ``check`` checks the database for damage.
    A damaged one is salvaged into a new file when ``repair`` is True (the reader and
    ``brief-tui library repair``); otherwise (the read-only commands) it is left where
    it is, opened read-only, and the warning says how to repair it. ``full_check``
    checks the whole file whenever it was last checked.

    Never raises for a damaged or unwritable database: see the module docstring.

    What ``check`` checks. A full ``PRAGMA quick_check`` reads every page of the file,
    and the file grows with the library: the analysis cache alone is megabytes per long
    briefing. It was most of the time an open took. So:

    - every open runs ``PRAGMA quick_check(<table>)`` on the tables holding the reader's
      own work (:data:`PRECIOUS_TABLES`): the structure of their b-trees and indexes (not
      the rows' CHECK constraints), and (with ``sqlite_schema``) the schema and the list
      of free pages, from which new rows take their pages. A file that is not SQLite at
      all fails here too. It reads only those pages: about half a millisecond a thousand
      annotations. The briefings' table is not among them: its pages are the texts of
      the whole library (checking it took 57 ms at 10,000 briefings, 241 ms at 100,000,
      on every open);
    - the full check runs instead when the side file ``<database>.checked`` does not
      vouch for a full check of this very file (same inode, not shorter) less than
      :data:`FULL_CHECK_EVERY_S` ago: on the first open, once a day, after the file was
      replaced or cut short, and after SQLite reported damage during a session
      (:class:`StoreDamaged` deletes the record).

    Why not "check fully only when the file changed since the last check" (size or
    mtime): every session writes (opening a briefing records when it was opened), so the
    file has always changed; and an mtime cannot tell a write just after ours from ours.
    What the every-open check leaves to the full one is damage confined to the pages of
    the briefings' texts (read again when their briefing is opened or re-imported), the
    analysis cache or the full-text index (or to pages no table uses), which can be
    made again: reading a damaged cached analysis is a miss, and any error SQLite meets
    there is a :class:`StoreDamaged`, after which the next open checks everything (and
    sets a damaged file aside)."""
    directory = resolve_data_dir(data_dir)
    path = db_path(directory)
    if full_check:
        forget_full_check(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        reason = e.strerror or str(e)
        if path.exists():
            return open_read_only(path, f"cannot write the data directory {directory} ({reason})")
        return empty_read_only(
            f"cannot create the data directory {directory} ({reason}); "
            "annotations will not be saved"
        )
    if not os.access(directory, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    ):
        what = "database" if path.exists() and os.access(directory, os.W_OK) else "data directory"
        where = path if what == "database" else directory
        reason = f"the {what} {where} is read-only"
        if path.exists():
            return open_read_only(path, reason)
        return empty_read_only(f"{reason}; annotations will not be saved")
    try:
        try:
            conn = connect_rw(path, check=check, busy_timeout=busy_timeout)
        except sqlite3.OperationalError as e:
            if cause(e) != "busy":
                raise
            # another process held the file beyond the busy timeout: try once more
            conn = connect_rw(path, check=check, busy_timeout=busy_timeout)
    except Corrupt as c:
        if not repair:
            return open_damaged(path, c.detail)
        return salvage(path, c.detail)
    except Full as f:
        return open_read_only(
            path, f"the disk holding {directory} is full ({f.detail})", fresh_ok=True
        )
    except Unwritable as u:
        return open_read_only(path, f"the database {path} cannot be written ({u.detail})")
    except TooNew as t:
        return open_read_only(
            path,
            f"the database was written by a newer brief-tui (schema {t.version}, "
            f"this one knows {SCHEMA_VERSION})",
        )
    except sqlite3.Error as e:
        if cause(e) == "busy":
            return open_read_only(
                path,
                f"another brief-tui (or another program) is holding {path}",
                fresh_ok=True,
            )
        return open_read_only(path, f"the database {path} could not be opened ({e})")
    return Database(conn, path, busy_timeout=busy_timeout)


def configure(conn: sqlite3.Connection, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")


def connect_rw(
    path: Path, *, check: bool, busy_timeout: float = BUSY_TIMEOUT_S
) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        configure(conn, busy_timeout)
        try:
            checked_at = check_damage(conn, path) if check else None
            mode = switch_to_wal(conn, busy_timeout)
            if str(mode).lower() != "wal":
                raise Unwritable(f"cannot switch to WAL journal (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
            if checked_at is not None:
                record_full_check(path, checked_at)
        except sqlite3.DatabaseError as e:
            if is_corruption(e):
                raise Corrupt(str(e)) from None
            if cause(e) == "full":
                raise Full(str(e)) from None
            if is_unwritable(e):
                raise Unwritable(str(e)) from None
            raise
    except BaseException:
        conn.close()
        raise
    return conn


def move_aside(path: Path) -> Path | None:
    forget_full_check(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            with suppress(OSError):
                os.replace(side, target.with_name(target.name + extra))
    return target


def open_damaged(path: Path, detail: str) -> Database:
    """A damaged database opened read-only where it is (nothing moved or written): what
    can be read is shown, and the warning says how to salvage it."""
    forget_full_check(path)
    message = (
        f"the database {path} is damaged ({short(detail, 80)}); nothing was changed. "
        "Open the reader (brief-tui) or run `brief-tui library repair` to salvage it"
    )
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        configure(conn)
    except sqlite3.Error:
        return empty_read_only(message)
    return Database(conn, path, read_only=True, warning=message)


def salvage(path: Path, detail: str) -> Database:
    """Copy every readable row of the damaged database at ``path`` into a new file with
    the current schema, keep the original beside it, and open the new one."""
    tmp = path.with_name(path.name + ".salvage")
    sides = [path.with_name(path.name + extra) for extra in ("-wal", "-shm")]
    made = [side for side in sides if not side.exists()]
    try:
        counts = salvage_into(path, tmp)
    except (OSError, sqlite3.Error) as e:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        damaged = open_damaged(path, detail)
        damaged.warning = (
            f"the database {path} is damaged ({short(detail, 80)}) and could not be "
            f"salvaged ({e}); nothing was changed, annotations will not be saved"
        )
        return damaged
    for side in made:  # (empty ones the read-only reading made)
        with suppress(OSError):
            if side.name.endswith("-shm") or side.stat().st_size == 0:
                side.unlink()
    moved = move_aside(path)
    if moved is None:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        damaged = open_damaged(path, detail)
        damaged.warning = (
            f"the database {path} is damaged ({short(detail, 80)}) and cannot be moved "
            "aside; annotations will not be saved"
        )
        return damaged
    os.replace(tmp, path)
    warning = (
        f"the database was damaged ({short(detail, 80)}); {counts.summary()} into a new "
        f"one; the original is kept as {moved}"
    )
    try:
        conn = connect_rw(path, check=False)
    except (Corrupt, Unwritable, TooNew, Full, sqlite3.Error) as e:
        return empty_read_only(
            f"{warning}, but opening it failed ({e}); annotations will not be saved"
        )
    return Database(conn, path, warning=warning)


def open_read_only(path: Path, reason: str, *, fresh_ok: bool = False) -> Database:
    """The database opened read-only for ``reason``. ``fresh_ok``: a database not made
    yet (or not upgraded) is not a problem of its own, ``reason`` says all."""
    message = f"{reason}; opened read-only, annotations will not be saved"
    uri = path.resolve().as_uri()
    for params in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(
                f"{uri}?{params}", uri=True, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            continue
        try:
            configure(conn)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                conn.close()
                if fresh_ok or version == 0:
                    return empty_read_only(f"{reason}; annotations will not be saved")
                return empty_read_only(
                    f"{reason}, and its schema (version {version}) needs an upgrade that "
                    "could not be written; annotations will not be saved"
                )
            conn.execute("SELECT count(*) FROM annotations").fetchone()
        except sqlite3.Error:
            conn.close()
            continue
        return Database(conn, path, read_only=True, warning=message)
    if fresh_ok:
        return empty_read_only(f"{reason}; annotations will not be saved")
    return empty_read_only(f"{reason}, and it cannot be read either; annotations will not be saved")


def empty_read_only(message: str) -> Database:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    configure(conn)
    migrate(conn)
    return Database(conn, None, read_only=True, warning=message)
