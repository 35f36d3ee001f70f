"""The team library's schema on PostgreSQL: migrations version by version, applied in one
transaction under an advisory lock (several readers may open a new database at once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import psycopg
from psycopg.rows import tuple_row

from brief_tui.library.annotations import GRADES, KINDS, MEANINGS, STATUSES, TARGET_TYPES
from brief_tui.library.store.errors import TooNew

#: the text search configuration: English stemming ("troops" finds "troop")
TS_CONFIG: Final = "english"
#: characters of a briefing's text that are indexed for search (a tsvector holds at most
#: 1 MB; this many characters stay under it whatever the words)
INDEXED_CHARS: Final = 300_000
#: the advisory lock migrations take (any constant the other users of the database leave alone)
_MIGRATION_LOCK: Final = 0x62726965_66747569  # "brieftui"


def _q(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: briefings with their search vector, annotations with their authors, the undo log,
    # reading positions per analyst, the analysis cache, replayed offline writes
    (
        f"""CREATE TABLE briefings (
            id text PRIMARY KEY,
            title text NOT NULL,
            origin text NOT NULL,
            format text NOT NULL,
            text text NOT NULL,
            encoding text NOT NULL DEFAULT 'utf-8',
            meta jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            added_at timestamptz NOT NULL,
            last_opened_at timestamptz NOT NULL,
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('{TS_CONFIG}', title), 'A')
                || setweight(to_tsvector('{TS_CONFIG}', left(text, {INDEXED_CHARS})), 'B')
            ) STORED
        )""",
        "CREATE INDEX briefings_origin ON briefings (origin)",
        "CREATE INDEX briefings_search ON briefings USING gin (search)",
        f"""CREATE TABLE annotations (
            id text PRIMARY KEY,
            briefing_id text NOT NULL REFERENCES briefings (id),
            kind text NOT NULL CHECK (kind IN ({_q(KINDS)})),
            target_type text NOT NULL DEFAULT 'text' CHECK (target_type IN ({_q(TARGET_TYPES)})),
            target_id text,
            start integer,
            "end" integer,
            exact text,
            prefix text,
            suffix text,
            meaning text CHECK (meaning IS NULL OR meaning IN ({_q(MEANINGS)})),
            note text,
            tags text[] NOT NULL DEFAULT '{{}}',
            grade text CHECK (grade IS NULL OR grade IN ({_q(GRADES)})),
            status text CHECK (status IS NULL OR status IN ({_q(STATUSES)})),
            orphan boolean NOT NULL DEFAULT false,
            author text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND start <= "end"))
        )""",
        "CREATE INDEX annotations_briefing ON annotations (briefing_id, orphan, start)",
        "CREATE INDEX annotations_target ON annotations (briefing_id, target_type, target_id)",
        """CREATE TABLE undo_log (
            seq bigserial PRIMARY KEY,
            briefing_id text NOT NULL,
            action text NOT NULL CHECK (action IN ('add', 'update', 'delete')),
            annotation_id text NOT NULL,
            before jsonb,
            description text NOT NULL,
            author text NOT NULL,
            session text,
            created_at timestamptz NOT NULL
        )""",
        "CREATE INDEX undo_log_owner ON undo_log (author, session, seq)",
        "CREATE INDEX undo_log_briefing ON undo_log (briefing_id)",
        """CREATE TABLE reading_positions (
            analyst text NOT NULL,
            briefing_id text NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            PRIMARY KEY (analyst, briefing_id)
        )""",
        """CREATE TABLE analysis_cache (
            briefing_id text NOT NULL,
            model_name text NOT NULL,
            model_version text NOT NULL,
            analyser_version text NOT NULL,
            data bytea NOT NULL,
            claims integer,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (briefing_id, model_name, model_version, analyser_version)
        )""",
        """CREATE TABLE applied_writes (
            id text PRIMARY KEY,
            analyst text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )""",
    ),
    # 2: each annotation row and each removal carries the transaction that wrote it, so that
    # a reader following the others reads what changed since its last read, not everything
    (
        "ALTER TABLE annotations ADD COLUMN xact xid8 NOT NULL DEFAULT pg_current_xact_id()",
        "CREATE INDEX annotations_xact ON annotations (briefing_id, xact)",
        """CREATE TABLE annotation_removals (
            annotation_id text NOT NULL,
            briefing_id text NOT NULL,
            xact xid8 NOT NULL DEFAULT pg_current_xact_id()
        )""",
        "CREATE INDEX annotation_removals_xact ON annotation_removals (briefing_id, xact)",
        """CREATE FUNCTION brief_tui_annotation_written() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                IF TG_OP = 'DELETE' OR OLD.briefing_id <> NEW.briefing_id THEN
                    INSERT INTO annotation_removals (annotation_id, briefing_id)
                    VALUES (OLD.id, OLD.briefing_id);
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
            END IF;
            NEW.xact := pg_current_xact_id();
            RETURN NEW;
        END $$""",
        """CREATE TRIGGER annotations_written BEFORE INSERT OR UPDATE OR DELETE ON annotations
        FOR EACH ROW EXECUTE FUNCTION brief_tui_annotation_written()""",
    ),
)
SCHEMA_VERSION: Final = len(MIGRATIONS)


def schema_version(conn: psycopg.Connection[Any]) -> int:
    cur = conn.cursor(row_factory=tuple_row)
    row = cur.execute("SELECT to_regclass('brief_tui_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = cur.execute("SELECT version FROM brief_tui_schema").fetchone()
    return int(found[0]) if found else 0


def migrate(conn: psycopg.Connection[Any]) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` (all or nothing); :class:`TooNew` if a
    newer brief-tui made it."""
    if schema_version(conn) == SCHEMA_VERSION:
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS brief_tui_schema (version integer NOT NULL)")
        version = schema_version(conn)  # another reader may have migrated while we waited
        if version > SCHEMA_VERSION:
            raise TooNew(version)
        if version == 0:
            conn.execute("INSERT INTO brief_tui_schema (version) VALUES (0)")
        for i in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[i]:
                conn.execute(statement)
            conn.execute("UPDATE brief_tui_schema SET version = %s", (i + 1,))
