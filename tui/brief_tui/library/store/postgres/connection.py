"""The team library's connection room: the pool (opened, the schema migrated), one
transaction per call with psycopg's errors turned into the store's, the address as messages
show it, and the notification each annotation action sends. :class:`PgHandle` is what the
other rooms use of the store (a protocol: they never import it, so no import circle)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, Protocol

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from brief_tui.briefing.untrusted import clean_line
from brief_tui.library.store.errors import StoreError, StoreReadOnly, StoreUnavailable, TooNew
from brief_tui.library.store.postgres.schema import migrate

Conn = psycopg.Connection[dict[str, Any]]

#: the NOTIFY channel: the payload is the briefing id whose annotations changed
CHANNEL: Final = "brief_tui_notes"
#: seconds a call waits for a connection (the server down: then StoreUnavailable)
CONNECT_TIMEOUT_S: Final = 3.0


class PgHandle(Protocol):
    """What the rooms use of the PostgreSQL store."""

    @property
    def analyst(self) -> str:
        """The analyst whose annotations the store makes (and may change)."""

    #: the reader's id in the undo log
    session: str
    url: str

    def _tx(self, *, write: bool = True) -> AbstractContextManager[Conn]: ...


def redacted(url: str) -> str:
    """The library's address as messages show it: user@host:port/db, never a password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the team library (an address that cannot be read)"
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return clean_line(f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}", 200)


def reason(e: BaseException) -> str:
    """psycopg's or the pool's message, one line (libpq's never holds the password)."""
    text = str(e).strip().splitlines()
    return clean_line(text[0] if text else type(e).__name__, 200)


def open_pool(
    url: str, *, pool_size: int, timeout: float
) -> tuple[ConnectionPool[Any], str | None]:
    """The pool, its first connection made and the schema migrated, with a warning when the
    database was written by a newer brief-tui (then it is to be used read-only). Raises
    :class:`StoreUnavailable` when the server cannot be reached."""
    # the pool reports each failed connection on the logging module: without a handler
    # Python prints those to stderr, over the reader's screen; our errors say it once
    pool_log = logging.getLogger("psycopg.pool")
    if not pool_log.handlers:
        pool_log.addHandler(logging.NullHandler())
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=1,
        max_size=max(1, pool_size),
        open=False,
        timeout=timeout,
        kwargs={
            "row_factory": dict_row,
            "connect_timeout": max(1, int(timeout)),
            "application_name": "brief-tui",
        },
        check=ConnectionPool.check_connection,
        reconnect_timeout=10**9,  # the server coming back after hours is still welcome
        name="brief-tui",
    )
    where = redacted(url)
    try:
        pool.open(wait=True, timeout=timeout)
    except (PoolTimeout, psycopg.Error) as e:
        pool.close(timeout=0)
        raise StoreUnavailable(f"{where} cannot be reached ({reason(e)})") from None
    try:
        with pool.connection() as conn:
            migrate(conn)
    except TooNew as e:
        return pool, (
            f"{where} was written by a newer brief-tui (schema {e.version}): "
            "opened read-only; upgrade brief-tui to change it"
        )
    except psycopg.Error as e:
        pool.close(timeout=0)
        raise StoreUnavailable(f"{where}: {reason(e)}") from None
    return pool, None


@contextmanager
def transaction(
    pool: ConnectionPool[Any], url: str, *, refused: str | None = None
) -> Iterator[Conn]:
    """One transaction on a pooled connection; psycopg's errors leave as StoreErrors.
    ``refused``: the store is read-only, and this says why (a write then never starts)."""
    if refused is not None:
        raise StoreReadOnly(refused)
    try:
        with pool.connection() as conn, conn.transaction():
            yield conn
    except PoolTimeout as e:
        raise StoreUnavailable(f"{redacted(url)} cannot be reached ({reason(e)})") from None
    except psycopg.OperationalError as e:
        raise StoreUnavailable(f"{redacted(url)}: {reason(e)}") from None
    except psycopg.IntegrityError as e:
        raise StoreError(f"refused by the database: {reason(e)}") from None
    except psycopg.Error as e:
        raise StoreError(f"database error: {reason(e)}") from None


def notify(conn: Conn, briefing_id: str) -> None:
    """Tell every listening reader that ``briefing_id``'s annotations changed, or that it
    was added or removed (sent when the transaction commits)."""
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, briefing_id))
