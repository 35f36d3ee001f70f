"""The team library's link to its server: whether it answers, a thread trying it again
every few seconds while it does not, and the journal's writes sent in order when it is back,
each once (the server records each write's id in the same transaction), a refused write kept
in the journal's ``refused`` table."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, Final

from brief_tui.library.annotations import annotation_from_json
from brief_tui.library.store.errors import StoreError, StoreUnavailable
from brief_tui.library.store.postgres.connection import redacted
from brief_tui.library.store.postgres.journal import Journal, briefing_from_json
from brief_tui.library.store.postgres.store import PgStore
from brief_tui.library.store.timestamps import now_iso

#: seconds between tries of a server that went away
RETRY_S: Final = 2.0


class ServerLink:
    """The server (``pg``, None until it has been reached once) and the journal's way to
    it, for ``analyst``."""

    def __init__(
        self,
        url: str,
        analyst: str,
        journal: Journal,
        pg: PgStore | None,
        *,
        retry_s: float = RETRY_S,
    ) -> None:
        self.url = url
        self.analyst = analyst
        self.journal = journal
        self.pg = pg
        self.retry_s = retry_s
        self.lock = threading.RLock()
        #: why the server is away (None while it answers)
        self.down: str | None = None
        self._stop = threading.Event()
        self._retry: threading.Thread | None = None
        #: called with a briefing id when the journal's writes of it reached the server
        self.on_sent: Callable[[str], None] | None = None

    @property
    def online(self) -> bool:
        return self.down is None and self.pg is not None

    def went_down(self, why: str) -> None:
        self.down = why
        if self._retry is None or not self._retry.is_alive():
            self._retry = threading.Thread(
                target=self._retry_loop, name="brief-tui-retry", daemon=True
            )
            self._retry.start()

    def _retry_loop(self) -> None:
        while not self._stop.wait(self.retry_s):
            try:
                if self.pg is None:
                    self.pg = PgStore.open(self.url, analyst=self.analyst)
                    if self.on_sent is not None:
                        self.pg.listen(self.on_sent)
                else:
                    self.pg.briefing_info("")  # a read: is it back?
            except StoreError:
                continue
            with self.lock:
                self.down = None
                if self.flush():
                    return

    def flush(self) -> bool:
        """Send the journal's writes in order; True when all went (or were refused)."""
        pg = self.pg
        if pg is None:
            return False
        with self.lock:
            sent: set[str] = set()
            for row in self.journal.pending(self.analyst):
                payload = json.loads(row["payload"])
                try:
                    _send(pg, row["op"], payload, row["write_id"])
                except StoreUnavailable as e:
                    self.went_down(self._why(e))
                    return False
                except KeyError:
                    if row["op"] != "delete":  # (a delete already made: done)
                        self._refuse(row, "the annotation is no longer there")
                        continue
                except (StoreError, ValueError, TypeError) as e:
                    self._refuse(row, str(e))
                    continue
                with self.journal.tx() as c:
                    c.execute("DELETE FROM pending WHERE seq = ?", (row["seq"],))
                sent.add(row["briefing_id"])
        if self.on_sent is not None:
            for bid in sent:
                self.on_sent(bid)
        return True

    def _refuse(self, row: sqlite3.Row, reason: str) -> None:
        """Keep a write the server refused (said in the library's warning), out of the queue."""
        with self.journal.tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO refused VALUES (?, ?, ?, ?, ?, ?)",
                (row["write_id"], row["library"], row["op"], row["payload"], reason, now_iso()),
            )
            c.execute("DELETE FROM pending WHERE seq = ?", (row["seq"],))

    def try_(self, call: Callable[[PgStore], Any], *, write: bool = True) -> tuple[bool, Any]:
        """(True, result) from the server, or (False, None) when it is away. A write waits
        for the journal being sent (it must reach the server after the writes before it);
        a read does not."""
        with self.lock if write else nullcontext():
            pg = self.pg
            if not self.online or pg is None:
                return False, None
            try:
                return True, call(pg)
            except StoreUnavailable as e:
                with self.lock:
                    self.went_down(self._why(e))
                return False, None

    def _why(self, e: StoreUnavailable) -> str:
        """Why the server is away, without the address (the warning names it once)."""
        why = str(e)
        where = redacted(self.url)
        if why.startswith(where):
            why = why[len(where) :].lstrip(": ")
        if why.startswith("cannot be reached (") and why.endswith(")"):
            why = why[len("cannot be reached (") : -1]
        return why or "unreachable"

    def close(self) -> None:
        self._stop.set()
        if self.pg is not None:
            self.pg.close()


def _send(pg: PgStore, op: str, payload: dict[str, Any], write_id: str) -> None:
    if op == "briefing":
        b = briefing_from_json(payload["briefing"])
        pg.add_briefing(b, meta=payload["briefing"]["meta"] or None)
    elif op == "position":
        pg.set_reading_position(payload["briefing_id"], payload["offset"])
    elif op == "add":
        pg.insert_annotation(annotation_from_json(payload["annotation"]), write_id=write_id)
    elif op == "update":
        pg.apply_update(payload["id"], payload["changes"], write_id=write_id)
    elif op == "delete":
        pg.apply_delete(payload["id"], write_id=write_id)
