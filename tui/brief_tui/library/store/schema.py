"""The database's schema: the migrations that build it, version by version."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

from brief_tui.library.annotations import GRADES, KINDS, MEANINGS, STATUSES, TARGET_TYPES
from brief_tui.library.store.errors import TooNew


def _q(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# Each migration takes the schema from version i to i+1 (index i). Statements run one by one
# inside a single transaction together with the new user_version: all or nothing.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: briefings, annotations, analysis cache
    (
        """CREATE TABLE briefings (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            origin TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL,
            last_opened_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX briefings_origin ON briefings(origin)",
        f"""CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            briefing_id TEXT NOT NULL REFERENCES briefings(id),
            kind TEXT NOT NULL CHECK (kind IN ({_q(KINDS)})),
            target_type TEXT NOT NULL DEFAULT 'text' CHECK (target_type IN ({_q(TARGET_TYPES)})),
            target_id TEXT,
            start INTEGER,
            "end" INTEGER,
            exact TEXT,
            prefix TEXT,
            suffix TEXT,
            meaning TEXT CHECK (meaning IS NULL OR meaning IN ({_q(MEANINGS)})),
            note TEXT,
            tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
            grade TEXT CHECK (grade IS NULL OR grade IN ({_q(GRADES)})),
            status TEXT CHECK (status IS NULL OR status IN ({_q(STATUSES)})),
            orphan INTEGER NOT NULL DEFAULT 0 CHECK (orphan IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND start <= "end"))
        ) STRICT""",
        "CREATE INDEX annotations_briefing ON annotations(briefing_id, orphan, start)",
        """CREATE TABLE analysis_cache (
            briefing_id TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_version TEXT NOT NULL,
            analyser_version TEXT NOT NULL,
            json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (briefing_id, model_name, model_version, analyser_version)
        ) STRICT""",
    ),
    # 2: undo log, full-text search over briefings, encoding and free metadata per briefing
    (
        "ALTER TABLE briefings ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8'",
        "ALTER TABLE briefings ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'",
        """CREATE TABLE undo_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            briefing_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'update', 'delete')),
            annotation_id TEXT NOT NULL,
            before TEXT,
            description TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX undo_log_briefing ON undo_log(briefing_id, seq)",
        """CREATE VIRTUAL TABLE briefings_fts USING fts5(
            briefing_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        "INSERT INTO briefings_fts (briefing_id, title, text) "
        "SELECT id, title, text FROM briefings",
        """CREATE TRIGGER briefings_fts_insert AFTER INSERT ON briefings BEGIN
            INSERT INTO briefings_fts (briefing_id, title, text) VALUES (new.id, new.title, new.text);
        END""",  # noqa: E501  migration SQL is stored verbatim in sqlite_schema: kept as shipped
        """CREATE TRIGGER briefings_fts_delete AFTER DELETE ON briefings BEGIN
            DELETE FROM briefings_fts WHERE briefing_id = old.id;
        END""",
        """CREATE TRIGGER briefings_fts_update AFTER UPDATE OF title, text ON briefings
        WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
            DELETE FROM briefings_fts WHERE briefing_id = old.id;
            INSERT INTO briefings_fts (briefing_id, title, text) VALUES (new.id, new.title, new.text);
        END""",  # noqa: E501  migration SQL is stored verbatim in sqlite_schema: kept as shipped
    ),
    # 3: the undo log remembers which reader (Store session) made each action
    (
        "ALTER TABLE undo_log ADD COLUMN session TEXT",
        "CREATE INDEX undo_log_session ON undo_log(session, seq)",
    ),
    # 4: the library's windows (a screenful of rows in any order) without a full scan
    (
        "CREATE INDEX briefings_opened ON briefings(last_opened_at DESC, id)",
        "CREATE INDEX briefings_added ON briefings(added_at DESC, id)",
        "CREATE INDEX briefings_title ON briefings(title COLLATE NOCASE, id)",
    ),
    # 5: which briefings' cached analyses name an actor, a source or a measure (Across and
    # Figures read those briefings only); across_indexed lists the analyses indexed
    (
        """CREATE TABLE across_keys (
            key TEXT NOT NULL,
            briefing_id TEXT NOT NULL,
            PRIMARY KEY (key, briefing_id)
        ) STRICT, WITHOUT ROWID""",
        "CREATE INDEX across_keys_briefing ON across_keys(briefing_id)",
        "CREATE TABLE across_indexed (briefing_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID",
    ),
    # 6: who made an annotation, when it came from a team library (library pull); NULL for
    # the reader's own
    ("ALTER TABLE annotations ADD COLUMN author TEXT",),
    # 7: the full-text rows keyed by their briefing's rowid: a removal or a new text deletes
    # its row by key (by briefing_id, an UNINDEXED column, it read the whole index). The
    # store never VACUUMs and salvage copies rowids, so a briefing's rowid stays its own
    (
        "DROP TRIGGER briefings_fts_insert",
        "DROP TRIGGER briefings_fts_delete",
        "DROP TRIGGER briefings_fts_update",
        "DROP TABLE briefings_fts",
        """CREATE VIRTUAL TABLE briefings_fts USING fts5(
            briefing_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        "INSERT INTO briefings_fts (rowid, briefing_id, title, text) "
        "SELECT rowid, id, title, text FROM briefings",
        """CREATE TRIGGER briefings_fts_insert AFTER INSERT ON briefings BEGIN
            INSERT INTO briefings_fts (rowid, briefing_id, title, text)
            VALUES (new.rowid, new.id, new.title, new.text);
        END""",
        """CREATE TRIGGER briefings_fts_delete AFTER DELETE ON briefings BEGIN
            DELETE FROM briefings_fts WHERE rowid = old.rowid;
        END""",
        """CREATE TRIGGER briefings_fts_update AFTER UPDATE OF title, text ON briefings
        WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
            DELETE FROM briefings_fts WHERE rowid = old.rowid;
            INSERT INTO briefings_fts (rowid, briefing_id, title, text)
            VALUES (new.rowid, new.id, new.title, new.text);
        END""",
    ),
)
SCHEMA_VERSION: Final = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> None:
    """Bring the schema to version ``upto`` (all or nothing); :class:`TooNew` if the file
    was written by a newer brief-tui."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise TooNew(version)
    if version >= upto:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # another process may have migrated while we waited for the lock
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for i in range(version, upto):
            for statement in MIGRATIONS[i]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {i + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
