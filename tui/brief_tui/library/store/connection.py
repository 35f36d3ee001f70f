"""The store's one SQLite connection, guarded by a lock so that worker threads can use it,
and its transactions: every user action is one ``BEGIN IMMEDIATE`` … ``COMMIT``, and every
SQLite error leaves it as a :class:`StoreError` naming the cause. Opening it (checks,
salvage, the read-only fallbacks) is :mod:`brief_tui.library.store.opening`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from brief_tui.library.store.checks import forget_full_check
from brief_tui.library.store.errors import (
    BUSY_TIMEOUT_S,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
    store_error,
)


class Database:
    """One open database: the connection the rooms of the store read and write through."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None,
        *,
        read_only: bool = False,
        warning: str | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        #: the SQLite connection (the rooms use :meth:`read` and :meth:`write`; tests that
        #: make a failure happen on this very connection reach it here)
        self.conn = conn
        self.lock = threading.RLock()
        #: the database file (``None`` for the empty in-memory fallback)
        self.path = path
        #: True when writes are refused; ``warning`` says why
        self.read_only = read_only
        #: one line for the user about anything that went wrong while opening, else None
        self.warning = warning
        self.busy_timeout = busy_timeout

    def error(self, e: sqlite3.Error) -> StoreError:
        """The StoreError to raise for ``e``; damage also has the next open check it all."""
        err = store_error(e, self.path, busy_timeout=self.busy_timeout)
        if isinstance(err, StoreDamaged):
            forget_full_check(self.path)
        return err

    def refuse_writes(self) -> None:
        """Raise :class:`StoreReadOnly` (with the reason) if this database is read-only."""
        if self.read_only:
            raise StoreReadOnly(self.warning or "the store is read-only")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            try:
                yield self.conn
            except sqlite3.Error as e:
                raise self.error(e) from None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        self.refuse_writes()
        with self.lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self.error(e) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):  # (SQLite may have rolled back already)
                        conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.IntegrityError):
                    raise StoreError(f"refused by the database: {e}") from None
                if isinstance(e, sqlite3.Error):
                    raise self.error(e) from None
                raise

    @property
    def schema_version(self) -> int:
        with self.lock:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with self.lock:
            self.conn.close()
