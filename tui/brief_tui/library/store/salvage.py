"""Salvaging a damaged database: every row SQLite can still read is copied into a new file
with the current schema (the damaged file itself is only read)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from brief_tui.library.store.schema import migrate
from brief_tui.library.store.timestamps import now_iso

#: the tables salvaged, in the order they are copied (the full-text index is made again from
#: the briefings by its triggers)
SALVAGED_TABLES: Final = ("briefings", "annotations", "undo_log", "analysis_cache")
#: the title of a briefing made up for notes whose briefing's row could not be read
LOST_BRIEFING_TITLE: Final = "Recovered notes (the briefing's text was in a damaged page)"
#: rowids probed one by one after stepping over a damaged stretch of a table
_PROBE_LIMIT: Final = 1 << 16


@dataclass(slots=True)
class SalvageCounts:
    """What a salvage recovered: rows copied per table, and per table the rows the damaged
    file's indexes still count (``None`` when that count could not be read either)."""

    copied: dict[str, int]
    expected: dict[str, int | None]
    lost_briefings: int = 0

    def summary(self) -> str:
        def part(table: str, noun: str) -> str:
            n, total = self.copied.get(table, 0), self.expected.get(table)
            of = f" of {total}" if total is not None and total != n else ""
            return f"{n}{of} {noun}{'' if n == 1 and not of else 's'}"

        parts = [part("annotations", "annotation"), part("briefings", "briefing")]
        for table, noun in (("undo_log", "undo step"), ("analysis_cache", "cached analysis")):
            if self.copied.get(table) or self.expected.get(table):
                parts.append(part(table, noun).replace("analysiss", "analyses"))
        text = "salvaged " + ", ".join(parts)
        if self.lost_briefings:
            text += (
                f" ({self.lost_briefings} briefing text{'s' if self.lost_briefings > 1 else ''} "
                "unreadable: its notes are kept, listed under "
                f"“{LOST_BRIEFING_TITLE}” until the document is opened again)"
            )
        return text


def _readable_rows(
    src: sqlite3.Connection, table: str, columns: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that SQLite can still read, in rowid order (the rowid first):
    a scan that meets damage steps over it (further and further until a read succeeds),
    then tries the rowids it stepped over one by one."""
    cols = ", ".join(f'"{c}"' for c in columns)
    scan = f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid"
    one = f"SELECT rowid, {cols} FROM {table} WHERE rowid = ?"
    pos = -(1 << 63)
    while True:
        try:
            for row in src.execute(scan, (pos,)):
                pos = row[0]
                yield tuple(row)
            return
        except sqlite3.DatabaseError:
            pass
        if pos == (1 << 63) - 1:
            return
        base = max(pos, 0)
        step = 1
        nxt: Any = None
        while step <= 1 << 40:
            try:
                nxt = src.execute(
                    f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1",
                    (base + step,),
                ).fetchone()
                break
            except sqlite3.DatabaseError:
                step *= 2
        else:
            return  # nothing past the damage can be reached
        if step <= _PROBE_LIMIT:
            for rowid in range(base + 1, base + step + 1):
                try:
                    row = src.execute(one, (rowid,)).fetchone()
                except sqlite3.DatabaseError:
                    continue
                if row is not None:
                    yield tuple(row)
        if nxt is None:
            return
        pos = base + step


def salvage_into(src_path: Path, dst_path: Path) -> SalvageCounts:
    """Copy what can be read of the database at ``src_path`` (opened read-only: it is not
    changed) into a new database at ``dst_path`` with the current schema, row by row."""
    dst_path.unlink(missing_ok=True)
    for extra in ("-journal", "-wal", "-shm"):
        dst_path.with_name(dst_path.name + extra).unlink(missing_ok=True)
    dst = sqlite3.connect(dst_path, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys = OFF")  # notes are kept even if their briefing is not
        migrate(dst)
        counts = SalvageCounts({}, {})
        try:
            src = sqlite3.connect(
                f"{src_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
        except sqlite3.Error:
            src = None
        if src is not None:
            try:
                _copy_readable(src, dst, counts)
            finally:
                src.close()
        dst.execute("PRAGMA integrity_check").fetchone()
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    fd = os.open(dst_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return counts


def _copy_readable(src: sqlite3.Connection, dst: sqlite3.Connection, counts: SalvageCounts) -> None:
    dst.execute("BEGIN IMMEDIATE")
    for table in SALVAGED_TABLES:
        counts.copied[table] = 0
        try:  # (the schema itself may be unreadable: then nothing can be found)
            src_cols = [str(r[1]) for r in src.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError:
            src_cols = []
        try:  # what the damaged file's smallest index still counts
            counts.expected[table] = int(src.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.DatabaseError:
            counts.expected[table] = None
        dst_cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
        columns = [c for c in dst_cols if c in src_cols]
        if not columns:
            continue
        names = ", ".join(f'"{c}"' for c in columns)
        insert = (
            f"INSERT OR IGNORE INTO {table} (rowid, {names}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))})"
        )
        for row in _readable_rows(src, table, columns):
            try:
                dst.execute("SAVEPOINT row")
                cur = dst.execute(insert, row)
                dst.execute("RELEASE row")
            except sqlite3.Error:  # a row the damage made invalid (types, CHECKs)
                dst.execute("ROLLBACK TO row")
                dst.execute("RELEASE row")
                continue
            counts.copied[table] += cur.rowcount
    # notes whose briefing could not be read: a stand-in briefing keeps them listed (as
    # orphans, their quotes kept) until the document is opened again
    lost = [
        r[0]
        for r in dst.execute(
            "SELECT DISTINCT briefing_id FROM annotations "
            "WHERE briefing_id NOT IN (SELECT id FROM briefings)"
        )
    ]
    now = now_iso()
    for briefing_id in lost:
        dst.execute(
            """INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,
                                      meta)
               VALUES (?, ?, '', 'text', '', ?, ?, '{"lost_text": true}')""",
            (briefing_id, LOST_BRIEFING_TITLE, now, now),
        )
        dst.execute("UPDATE annotations SET orphan = 1 WHERE briefing_id = ?", (briefing_id,))
    counts.lost_briefings = len(lost)
    dst.execute("COMMIT")
