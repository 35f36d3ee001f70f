"""Other readers' changes, as they happen: a thread LISTENing on :data:`CHANNEL` with a
connection of its own (made again when lost), until the store closes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Final

import psycopg

from brief_tui.library.store.postgres.connection import CHANNEL

#: the briefing id told when the connection is lost and when it is made again: changes
#: meanwhile are not heard, so any briefing may have changed (and the server may be away)
ANY_BRIEFING: Final = ""
#: how long :func:`start_listener` waits for the first LISTEN
FIRST_LISTEN_S: Final = 3.0


def start_listener(
    url: str, stop: threading.Event, callback: Callable[[str], None]
) -> threading.Thread:
    """A started thread calling ``callback(briefing_id)`` whenever any reader changes the
    annotations of a briefing in the library at ``url``, until ``stop`` is set. Returns once
    it listens (or after :data:`FIRST_LISTEN_S`), so that a change made after a read that
    follows is heard. A lost connection is told (``callback(ANY_BRIEFING)``), made again,
    and told again."""
    listening = threading.Event()

    def run() -> None:
        lost = False
        while not stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    listening.set()
                    if lost:
                        lost = False
                        callback(ANY_BRIEFING)
                    while not stop.is_set():
                        for n in conn.notifies(timeout=0.5, stop_after=None):
                            callback(n.payload)
            except psycopg.Error:
                if listening.is_set() and not lost and not stop.is_set():
                    callback(ANY_BRIEFING)
                lost = listening.is_set()
                stop.wait(1.0)

    thread = threading.Thread(target=run, name="brief-tui-listen", daemon=True)
    thread.start()
    listening.wait(FIRST_LISTEN_S)
    return thread
