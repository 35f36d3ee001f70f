"""Other readers' changes, as they happen: a thread LISTENing on :data:`CHANNEL` with a
connection of its own (made again when lost), until the store closes."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg

from brief_tui.library.store.postgres.connection import CHANNEL


def start_listener(
    url: str, stop: threading.Event, callback: Callable[[str], None]
) -> threading.Thread:
    """A started thread calling ``callback(briefing_id)`` whenever any reader changes the
    annotations of a briefing in the library at ``url``, until ``stop`` is set. A lost
    connection is made again (changes meanwhile are not replayed: read again)."""

    def run() -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not stop.is_set():
                        for n in conn.notifies(timeout=0.5, stop_after=None):
                            callback(n.payload)
            except psycopg.Error:
                stop.wait(1.0)

    thread = threading.Thread(target=run, name="brief-tui-listen", daemon=True)
    thread.start()
    return thread
