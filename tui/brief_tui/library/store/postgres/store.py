"""The team library: the same :class:`LibraryStore` on a PostgreSQL server several analysts
share, through psycopg 3 and its connection pool.

Every call is one transaction, committed before it returns. Each annotation records its
author (the analyst this store was opened for) and when; an analyst changes and deletes
only their own (:class:`NotYours` otherwise). Undo is per analyst and per reader: a store's
undo reverses its own session's actions, then those its analyst's earlier readers handed
over when they closed. Reading positions are each analyst's own. Search is PostgreSQL's
text search (English stemming, web-search syntax: "a phrase", or, -word; the words match as
prefixes). Each annotation action notifies the channel :data:`CHANNEL` with the briefing's id,
so that other readers can show it at once.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Final, Self

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.library.anchoring import CONTEXT, ReanchorReport, Selector, selector_of
from brief_tui.library.annotations import Annotation, normalise_tags, validate
from brief_tui.library.store.briefings import (
    _date_from_meta,
    _headings_from_meta,
    _meta_of,
    _paragraphs_from_meta,
)
from brief_tui.library.store.cache import collector_paused, decode_cached
from brief_tui.library.store.errors import (
    NotYours,
    StoreError,
    StoreReadOnly,
    StoreUnavailable,
    TooNew,
    short,
)
from brief_tui.library.store.postgres import windows
from brief_tui.library.store.postgres.rows import (
    ANN_COLUMNS,
    ANN_ORDER,
    ANN_UPSERT,
    annotation_from_json,
    annotation_from_row,
    annotation_to_json,
    iso,
    pg_json,
    pg_text,
    row_params,
)
from brief_tui.library.store.postgres.schema import TS_CONFIG, migrate, schema_version
from brief_tui.library.store.protocol import BriefingInfo, LibraryStore, SearchHit
from brief_tui.library.store.timestamps import now_iso

Conn = psycopg.Connection[dict[str, Any]]

#: the NOTIFY channel: the payload is the briefing id whose annotations changed
CHANNEL: Final = "brief_tui_notes"
#: undo actions kept per analyst
UNDO_DEPTH: Final = 500
#: seconds a call waits for a connection (the server down: then StoreUnavailable)
CONNECT_TIMEOUT_S: Final = 3.0

_UPDATABLE: Final = frozenset(
    {
        "kind",
        "target_type",
        "target_id",
        "start",
        "end",
        "meaning",
        "note",
        "tags",
        "grade",
        "status",
    }
)
#: every lexeme of PostgreSQL's parse of a web-search query, made a prefix match
_LEXEME: Final = r"'(?:[^']|'')*'"


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


def _describe(a: Annotation) -> str:
    what = a.kind
    if a.target_type != "text":
        what += f" on {a.target_type} {a.target_id}"
    if a.exact:
        what += f" “{short(a.exact)}”"
    return what


def _owner_check(a: Annotation, analyst: str, doing: str) -> None:
    if a.author is not None and a.author != analyst:
        raise NotYours(f"this {a.kind} is {clean_line(a.author, 60)}'s: only they can {doing} it")


class PgStore(LibraryStore):
    """A team library on PostgreSQL (a :class:`LibraryStore`). Open it with
    :meth:`PgStore.open`."""

    def __init__(self, pool: ConnectionPool[Any], url: str, analyst: str) -> None:
        self.pool = pool
        self.url = url
        #: the analyst whose annotations this store makes (and may change)
        self.analyst = analyst
        #: this reader's id in the undo log
        self.session = uuid.uuid4().hex
        self._warning: str | None = None
        self._read_only = False
        self._closed = False
        self._listener: threading.Thread | None = None
        self._stop_listening = threading.Event()

    @classmethod
    def open(
        cls,
        url: str,
        *,
        analyst: str,
        pool_size: int = 4,
        timeout: float = CONNECT_TIMEOUT_S,
    ) -> PgStore:
        """Connect (the pool's first connection at once), migrating the schema if needed.
        Raises :class:`StoreUnavailable` when the server cannot be reached; a database made
        by a newer brief-tui opens read-only with a :attr:`warning`."""
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
            raise StoreUnavailable(f"{where} cannot be reached ({_reason(e)})") from None
        store = cls(pool, url, analyst)
        try:
            with pool.connection() as conn:
                migrate(conn)
        except TooNew as e:
            store._read_only = True
            store._warning = (
                f"{where} was written by a newer brief-tui (schema {e.version}): "
                "opened read-only; upgrade brief-tui to change it"
            )
        except psycopg.Error as e:
            pool.close(timeout=0)
            raise StoreUnavailable(f"{where}: {_reason(e)}") from None
        return store

    # -- the connection --------------------------------------------------------------------
    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Conn]:
        """One transaction on a pooled connection; psycopg's errors leave as StoreErrors."""
        if write and self._read_only:
            raise StoreReadOnly(self._warning or "the team library is read-only")
        try:
            with self.pool.connection() as conn, conn.transaction():
                yield conn
        except PoolTimeout as e:
            raise StoreUnavailable(
                f"{redacted(self.url)} cannot be reached ({_reason(e)})"
            ) from None
        except psycopg.OperationalError as e:
            raise StoreUnavailable(f"{redacted(self.url)}: {_reason(e)}") from None
        except psycopg.IntegrityError as e:
            raise StoreError(f"refused by the database: {_reason(e)}") from None
        except psycopg.Error as e:
            raise StoreError(f"database error: {_reason(e)}") from None

    @property
    def path(self) -> Path | None:
        return None

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def warning(self) -> str | None:
        return self._warning

    @property
    def schema_version(self) -> int:
        with self._tx(write=False) as conn:
            return schema_version(conn)

    def close(self) -> None:
        """Hand this reader's undo history over to the analyst's next reader, stop
        listening, close the pool."""
        if self._closed:
            return
        self._closed = True
        self._stop_listening.set()
        if not self._read_only:
            with suppress(StoreError), self._tx() as conn:
                conn.execute(
                    "UPDATE undo_log SET session = NULL WHERE session = %s", (self.session,)
                )
        self.pool.close(timeout=2)
        if self._listener is not None:
            self._listener.join(timeout=3)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- briefings and search ----------------------------------------------------------------
    def add_briefing(
        self, briefing: Briefing, *, meta: dict[str, Any] | None = None
    ) -> BriefingInfo:
        now = now_iso()
        own = _meta_of(briefing)
        with self._tx() as conn:
            row = conn.execute(
                "SELECT meta FROM briefings WHERE id = %s FOR UPDATE", (briefing.id,)
            ).fetchone()
            base = dict(row["meta"]) if row and isinstance(row["meta"], dict) else {}
            merged = pg_json({**base, **own} if meta is None else {**own, **meta})
            inserted = (
                row is None
                and conn.execute(
                    """INSERT INTO briefings (id, title, origin, format, text, encoding, meta,
                                              added_at, last_opened_at)
                       VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                       ON CONFLICT (id) DO NOTHING""",
                    (
                        briefing.id,
                        pg_text(briefing.title),
                        pg_text(briefing.origin),
                        briefing.format,
                        pg_text(briefing.text),
                        briefing.encoding,
                        json.dumps(merged, ensure_ascii=False),
                        now,
                        now,
                    ),
                ).rowcount
            )
            if not inserted:  # (another reader may have just added it: updated then)
                conn.execute(
                    """UPDATE briefings SET title = %s, origin = %s, format = %s, encoding = %s,
                              last_opened_at = %s, meta = %s WHERE id = %s""",
                    (
                        pg_text(briefing.title),
                        pg_text(briefing.origin),
                        briefing.format,
                        briefing.encoding,
                        now,
                        json.dumps(merged, ensure_ascii=False),
                        briefing.id,
                    ),
                )
            info = self._info_one(conn, briefing.id)
        assert info is not None
        return info

    def touch_briefing(self, briefing_id: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE briefings SET last_opened_at = %s WHERE id = %s", (now_iso(), briefing_id)
            )

    def set_reading_position(self, briefing_id: str, offset: int) -> None:
        with self._tx() as conn:
            conn.execute(
                """INSERT INTO reading_positions (analyst, briefing_id, position)
                   SELECT %s, id, %s FROM briefings WHERE id = %s
                   ON CONFLICT (analyst, briefing_id) DO UPDATE SET position = excluded.position""",
                (self.analyst, max(0, int(offset)), briefing_id),
            )

    def reading_position(self, briefing_id: str) -> int | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT position FROM reading_positions WHERE analyst = %s AND briefing_id = %s",
                (self.analyst, briefing_id),
            ).fetchone()
        return int(row["position"]) if row else None

    def briefing_date(self, briefing_id: str) -> date | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT meta->>'date' AS d FROM briefings WHERE id = %s", (briefing_id,)
            ).fetchone()
        return _date_from_meta(row["d"]) if row else None

    def get_briefing(self, briefing_id: str) -> Briefing | None:
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT id, title, origin, format, text, encoding, meta FROM briefings "
                "WHERE id = %s",
                (briefing_id,),
            ).fetchone()
        if row is None:
            return None
        # the server is shared: what it holds is untrusted as a document is
        text = clean_text(row["text"])
        meta = row["meta"] if isinstance(row["meta"], dict) else {}
        return Briefing(
            id=row["id"],
            title=clean_line(row["title"]),
            text=text,
            origin=row["origin"],
            paragraphs=_paragraphs_from_meta(meta, text),
            format=row["format"],
            encoding=row["encoding"],
            author=clean_line(str(meta.get("author") or "")),
            date=_date_from_meta(meta.get("date")),
            url=clean_line(str(meta.get("url") or "")),
            headings=_headings_from_meta(meta, text),
        )

    def briefing_meta(self, briefing_id: str) -> dict[str, Any]:
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT meta FROM briefings WHERE id = %s", (briefing_id,)
            ).fetchone()
        return dict(row["meta"]) if row and isinstance(row["meta"], dict) else {}

    _INFO_SELECT: Final = """
        SELECT b.id, b.title, b.origin, b.format, length(b.text) AS chars, b.added_at,
               b.last_opened_at,
               (SELECT count(*) FROM annotations a WHERE a.briefing_id = b.id) AS annotation_count
        FROM briefings b"""

    @staticmethod
    def _info(row: dict[str, Any]) -> BriefingInfo:
        return BriefingInfo(
            id=row["id"],
            title=row["title"],
            origin=row["origin"],
            format=row["format"],
            chars=int(row["chars"]),
            added_at=iso(row["added_at"]),
            last_opened_at=iso(row["last_opened_at"]),
            annotation_count=int(row["annotation_count"]),
        )

    def _info_one(self, conn: Conn, briefing_id: str) -> BriefingInfo | None:
        row = conn.execute(self._INFO_SELECT + " WHERE b.id = %s", (briefing_id,)).fetchone()
        return self._info(row) if row else None

    def briefing_info(self, briefing_id: str) -> BriefingInfo | None:
        with self._tx(write=False) as conn:
            return self._info_one(conn, briefing_id)

    def list_briefings(self) -> list[BriefingInfo]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                self._INFO_SELECT + " ORDER BY b.last_opened_at DESC, b.id"
            ).fetchall()
        return [self._info(r) for r in rows]

    def list_window(
        self,
        *,
        sort: str = "opened",
        descending: bool = True,
        title_filter: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> list[BriefingInfo]:
        return windows.list_window(
            self,
            sort=sort,
            descending=descending,
            title_filter=title_filter,
            limit=limit,
            offset=offset,
        )

    def count_briefings(self, *, title_filter: str = "") -> int:
        return windows.count_briefings(self, title_filter=title_filter)

    def search_page(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        return windows.search_page(self, query, limit=limit, offset=offset)

    def first_match(self, briefing_id: str, query: str) -> int | None:
        return windows.first_match(self, briefing_id, query)

    def iter_listing(
        self,
    ) -> Generator[tuple[BriefingInfo, dict[str, Any], int | None], None, None]:
        return windows.iter_listing(self)

    def briefings_from_origin(self, origin: str) -> list[BriefingInfo]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                self._INFO_SELECT + " WHERE b.origin = %s ORDER BY b.last_opened_at DESC, b.id",
                (pg_text(origin),),
            ).fetchall()
        return [self._info(r) for r in rows]

    def search_briefings(self, query: str, *, limit: int = 100) -> list[BriefingInfo]:
        """PostgreSQL's text search over titles and texts: web-search syntax ("a phrase",
        or, -word), English stemming, every word matching as a prefix; titles rank first."""
        if not query.split():
            return self.list_briefings()[:limit]
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"""WITH w AS (SELECT websearch_to_tsquery('{TS_CONFIG}', %s) AS q),
                         p AS (SELECT CASE WHEN numnode(q) = 0 THEN NULL
                                      ELSE regexp_replace(q::text, %s, '\\&:*', 'g')::tsquery
                                      END AS q FROM w)
                    {self._INFO_SELECT}, p
                    WHERE b.search @@ p.q
                    ORDER BY ts_rank_cd(b.search, p.q) DESC, b.last_opened_at DESC, b.id
                    LIMIT %s""",
                (pg_text(query), _LEXEME, limit),
            ).fetchall()
        return [self._info(r) for r in rows]

    def remove_briefing(self, briefing_id: str) -> int:
        """Remove a briefing with its annotations, undo history and cached analyses; refused
        (:class:`NotYours`) while it holds other analysts' annotations."""
        with self._tx() as conn:
            others = conn.execute(
                "SELECT DISTINCT author FROM annotations WHERE briefing_id = %s AND author <> %s "
                "ORDER BY author",
                (briefing_id, self.analyst),
            ).fetchall()
            if others:
                names = ", ".join(clean_line(r["author"], 40) for r in others[:3])
                raise NotYours(f"the briefing holds notes of other analysts ({names}): not removed")
            n = conn.execute(
                "DELETE FROM annotations WHERE briefing_id = %s", (briefing_id,)
            ).rowcount
            conn.execute("DELETE FROM undo_log WHERE briefing_id = %s", (briefing_id,))
            conn.execute("DELETE FROM analysis_cache WHERE briefing_id = %s", (briefing_id,))
            conn.execute("DELETE FROM briefings WHERE id = %s", (briefing_id,))
            self._notify(conn, briefing_id)
        return int(n)

    # -- annotations and undo ----------------------------------------------------------------
    @staticmethod
    def _selector(conn: Conn, briefing_id: str, start: int, end: int) -> Selector:
        """Cut the quote and its context out of the stored text on the server."""
        if not 0 <= start <= end:
            raise ValueError(f"span {start}-{end} is not a span of the text")
        p0 = max(0, start - CONTEXT)
        row = conn.execute(
            """SELECT length(text) AS n, substr(text, %s, %s) AS exact,
                      substr(text, %s, %s) AS prefix, substr(text, %s, %s) AS suffix
               FROM briefings WHERE id = %s""",
            (start + 1, end - start, p0 + 1, start - p0, end + 1, CONTEXT, briefing_id),
        ).fetchone()
        if row is None:
            raise StoreError(f"unknown briefing {briefing_id[:12]}; add it before annotating it")
        if end > row["n"]:
            raise ValueError(f"span {start}-{end} is outside a text of {row['n']} characters")
        return Selector(
            start,
            end,
            row["exact"] if end > start else "",
            row["prefix"] if start > p0 else "",
            row["suffix"] or "",
        )

    @staticmethod
    def _notify(conn: Conn, briefing_id: str) -> None:
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, briefing_id))

    def _log(
        self, conn: Conn, action: str, a: Annotation, before: Annotation | None, what: str
    ) -> None:
        conn.execute(
            """INSERT INTO undo_log (briefing_id, action, annotation_id, before, description,
                                     author, session, created_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, now())""",
            (
                a.briefing_id,
                action,
                a.id,
                json.dumps(pg_json(annotation_to_json(before)), ensure_ascii=False)
                if before
                else None,
                pg_text(what),
                self.analyst,
                self.session,
            ),
        )
        conn.execute(
            """DELETE FROM undo_log WHERE author = %s AND seq < (
                   SELECT seq FROM undo_log WHERE author = %s ORDER BY seq DESC
                   OFFSET %s LIMIT 1)""",
            (self.analyst, self.analyst, UNDO_DEPTH - 1),
        )
        self._notify(conn, a.briefing_id)

    def add_annotation(
        self,
        briefing_id: str,
        kind: str,
        *,
        target_type: str = "text",
        target_id: str | None = None,
        start: int | None = None,
        end: int | None = None,
        selector: Selector | None = None,
        meaning: str | None = None,
        note: str | None = None,
        tags: Sequence[str] = (),
        grade: str | None = None,
        status: str | None = None,
    ) -> Annotation:
        a = new_annotation(
            self.analyst,
            briefing_id,
            kind,
            target_type=target_type,
            target_id=target_id,
            start=start,
            end=end,
            selector=selector,
            meaning=meaning,
            note=note,
            tags=tags,
            grade=grade,
            status=status,
        )
        return self.insert_annotation(a)

    def insert_annotation(self, a: Annotation, *, write_id: str | None = None) -> Annotation:
        """Store a made annotation (its quote cut on the server if it has a span but no
        quote yet). Idempotent by its id, and by ``write_id`` (a write kept while offline,
        applied once whatever happens between its commit and the caller learning of it)."""
        with self._tx() as conn:
            if write_id is not None and not self._first_time(conn, write_id):
                return self._get(conn, a.id) or a
            if a.start is not None and a.end is not None and a.exact is None:
                sel = self._selector(conn, a.briefing_id, a.start, a.end)
                a = replace(a, exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix)
            if (
                conn.execute("SELECT 1 FROM briefings WHERE id = %s", (a.briefing_id,)).fetchone()
                is None
            ):
                raise StoreError(
                    f"unknown briefing {a.briefing_id[:12]}; add it before annotating it"
                )
            done = conn.execute(
                f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) "
                "ON CONFLICT (id) DO NOTHING",
                row_params(a, self.analyst),
            ).rowcount
            if done:
                self._log(conn, "add", a, None, f"add {_describe(a)}")
        return a

    def copy_in(self, a: Annotation) -> bool:
        """Store an annotation made elsewhere (``library push``) as it is, with its id, its
        author (this analyst if it has none) and times; not an action to undo. False when
        the library already holds that id."""
        with self._tx() as conn:
            done = conn.execute(
                f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) "
                "ON CONFLICT (id) DO NOTHING",
                row_params(a, self.analyst),
            ).rowcount
            if done:
                self._notify(conn, a.briefing_id)
        return bool(done)

    def _first_time(self, conn: Conn, write_id: str) -> bool:
        """Record ``write_id`` as applied; False if it already was."""
        return bool(
            conn.execute(
                "INSERT INTO applied_writes (id, analyst) VALUES (%s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                (write_id, self.analyst),
            ).rowcount
        )

    @staticmethod
    def _get(conn: Conn, annotation_id: str, *, lock: bool = False) -> Annotation | None:
        row = conn.execute(
            f"SELECT {ANN_COLUMNS} FROM annotations WHERE id = %s"
            + (" FOR UPDATE" if lock else ""),
            (pg_text(annotation_id),),
        ).fetchone()
        return annotation_from_row(row) if row else None

    def annotation(self, annotation_id: str) -> Annotation | None:
        with self._tx(write=False) as conn:
            return self._get(conn, annotation_id)

    def update_annotation(self, annotation_id: str, **changes: Any) -> Annotation:
        return self.apply_update(annotation_id, changes)

    def apply_update(
        self, annotation_id: str, changes: dict[str, Any], *, write_id: str | None = None
    ) -> Annotation:
        """:meth:`update_annotation`, once per ``write_id`` when one is given."""
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        if ("start" in changes) != ("end" in changes):
            raise ValueError("change start and end together")
        with self._tx() as conn:
            old = self._get(conn, annotation_id, lock=True)
            if old is None:
                raise KeyError(f"no annotation {annotation_id}")
            _owner_check(old, self.analyst, "change")
            if write_id is not None and not self._first_time(conn, write_id):
                return old
            fields = {k: v for k, v in changes.items() if k not in ("start", "end")}
            if "tags" in fields:
                fields["tags"] = normalise_tags(fields["tags"])
            if "note" in fields and not fields["note"]:
                fields["note"] = None
            if "start" in changes:
                if changes["start"] is None or changes["end"] is None:
                    fields.update(start=None, end=None, exact=None, prefix=None, suffix=None)
                else:
                    sel = self._selector(conn, old.briefing_id, changes["start"], changes["end"])
                    fields.update(
                        start=sel.start,
                        end=sel.end,
                        exact=sel.exact,
                        prefix=sel.prefix,
                        suffix=sel.suffix,
                        orphan=False,
                    )
            new = replace(old, **fields)
            validate(
                kind=new.kind,
                target_type=new.target_type,
                target_id=new.target_id,
                meaning=new.meaning,
                grade=new.grade,
                status=new.status,
            )
            if new.target_type == "text" and not new.has_text_anchor:
                raise ValueError("a text annotation needs a span")
            if new == old:
                return old
            new = replace(new, updated_at=now_iso())
            conn.execute(ANN_UPSERT, row_params(new, self.analyst))
            self._log(conn, "update", new, old, f"edit {_describe(old)}")
        return new

    def delete_annotation(self, annotation_id: str) -> Annotation:
        return self.apply_delete(annotation_id)

    def apply_delete(self, annotation_id: str, *, write_id: str | None = None) -> Annotation:
        """:meth:`delete_annotation`, once per ``write_id`` when one is given."""
        with self._tx() as conn:
            old = self._get(conn, annotation_id, lock=True)
            if old is None:
                raise KeyError(f"no annotation {annotation_id}")
            _owner_check(old, self.analyst, "delete")
            if write_id is not None and not self._first_time(conn, write_id):
                return old
            conn.execute("DELETE FROM annotations WHERE id = %s", (old.id,))
            self._log(conn, "delete", old, old, f"delete {_describe(old)}")
        return old

    def annotations(self, briefing_id: str) -> list[Annotation]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = %s "
                f"ORDER BY {ANN_ORDER}",
                (briefing_id,),
            ).fetchall()
        return [annotation_from_row(r) for r in rows]

    def annotations_on(
        self, briefing_id: str, target_type: str, target_id: str
    ) -> list[Annotation]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"""SELECT {ANN_COLUMNS} FROM annotations
                    WHERE briefing_id = %s AND target_type = %s AND target_id = %s
                    ORDER BY created_at, id""",
                (briefing_id, target_type, pg_text(target_id)),
            ).fetchall()
        return [annotation_from_row(r) for r in rows]

    def all_tags(self) -> list[str]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                """SELECT t AS tag, count(*) AS n FROM annotations, unnest(tags) AS t
                   GROUP BY t ORDER BY n DESC, lower(t), t"""
            ).fetchall()
        return [str(r["tag"]) for r in rows]

    def _undo_row(self, conn: Conn, briefing_id: str | None) -> dict[str, Any] | None:
        where = " AND briefing_id = %s" if briefing_id is not None else ""
        extra: tuple[str, ...] = (briefing_id,) if briefing_id is not None else ()
        for owner, params in (("session = %s", (self.session,)), ("session IS NULL", ())):
            row = conn.execute(
                f"SELECT * FROM undo_log WHERE author = %s AND {owner}{where} "
                "ORDER BY seq DESC LIMIT 1 FOR UPDATE",
                (self.analyst, *params, *extra),
            ).fetchone()
            if row is not None:
                return row
        return None

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Reverse this reader's latest action (else the latest its analyst's earlier readers
        handed over); never another analyst's."""
        with self._tx() as conn:
            row = self._undo_row(conn, briefing_id)
            if row is None:
                return None
            if row["action"] == "add":
                conn.execute("DELETE FROM annotations WHERE id = %s", (row["annotation_id"],))
            else:
                before = annotation_from_json(row["before"])
                conn.execute(ANN_UPSERT, row_params(before, self.analyst))
            conn.execute("DELETE FROM undo_log WHERE seq = %s", (row["seq"],))
            self._notify(conn, row["briefing_id"])
            return f"undid: {row['description']}"

    def can_undo(self, briefing_id: str | None = None) -> bool:
        with self._tx(write=False) as conn:
            return self._undo_row(conn, briefing_id) is not None

    def relocate_annotations(
        self,
        old_id: str,
        new_briefing: Briefing,
        place: Callable[[Selector], Selector | None],
        *,
        keep_old: bool = False,
    ) -> ReanchorReport:
        self.add_briefing(new_briefing)
        now = now_iso()
        anchored = orphaned = 0

        def move(a: Annotation) -> Annotation:
            sel = selector_of(a)
            if sel is None:
                return replace(a, briefing_id=new_briefing.id)
            found = place(sel)
            if found is None:
                return replace(a, briefing_id=new_briefing.id, orphan=True)
            return replace(
                a,
                briefing_id=new_briefing.id,
                start=found.start,
                end=found.end,
                exact=found.exact,
                prefix=found.prefix,
                suffix=found.suffix,
                orphan=False,
            )

        with self._tx() as conn:
            rows = conn.execute(
                f"SELECT {ANN_COLUMNS} FROM annotations WHERE briefing_id = %s FOR UPDATE",
                (old_id,),
            ).fetchall()
            for row in rows:
                old = annotation_from_row(row)
                new = move(old)
                if new.has_text_anchor:
                    if new.orphan:
                        orphaned += 1
                    else:
                        anchored += 1
                if new != old:
                    new = replace(new, updated_at=now)
                conn.execute(ANN_UPSERT, row_params(new, self.analyst))
            for log in conn.execute(
                "SELECT seq, before FROM undo_log WHERE briefing_id = %s", (old_id,)
            ).fetchall():
                before = log["before"]
                if before is not None:
                    before = json.dumps(
                        pg_json(annotation_to_json(move(annotation_from_json(before)))),
                        ensure_ascii=False,
                    )
                conn.execute(
                    "UPDATE undo_log SET briefing_id = %s, before = %s WHERE seq = %s",
                    (new_briefing.id, before, log["seq"]),
                )
            if not keep_old:
                conn.execute("DELETE FROM analysis_cache WHERE briefing_id = %s", (old_id,))
                conn.execute("DELETE FROM briefings WHERE id = %s", (old_id,))
            self._notify(conn, new_briefing.id)
        return ReanchorReport(len(rows), anchored, orphaned)

    # -- the analysis cache ------------------------------------------------------------------
    def get_cached_analysis(
        self, briefing_id: str, model_name: str, model_version: str, analyser_version: str
    ) -> Analysis | None:
        try:
            with self._tx(write=False) as conn:
                row = conn.execute(
                    """SELECT c.data, b.text FROM analysis_cache c
                       LEFT JOIN briefings b ON b.id = c.briefing_id
                       WHERE c.briefing_id = %s AND c.model_name = %s AND c.model_version = %s
                         AND c.analyser_version = %s""",
                    (briefing_id, model_name, model_version, analyser_version),
                ).fetchone()
        except StoreUnavailable:
            return None  # a cache: analysing again beats failing
        return None if row is None else _decode(row["data"], row["text"])

    def put_cached_analysis(self, analysis: Analysis) -> None:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT text = %s AS same FROM briefings WHERE id = %s",
                (pg_text(analysis.text), analysis.briefing_id),
            ).fetchone()
            stored = bool(row and row["same"])
            with collector_paused():
                data = json.dumps(
                    analysis.to_cache(with_text=not stored), separators=(",", ":")
                ).encode("ascii")
            conn.execute(
                """INSERT INTO analysis_cache (briefing_id, model_name, model_version,
                                               analyser_version, data, claims, created_at)
                   VALUES (%s, %s, %s, %s, %s, %s, now())
                   ON CONFLICT (briefing_id, model_name, model_version, analyser_version)
                   DO UPDATE SET data = excluded.data, claims = excluded.claims,
                                 created_at = excluded.created_at""",
                (
                    analysis.briefing_id,
                    analysis.model_name,
                    analysis.model_version,
                    analysis.analyser_version,
                    data,
                    len(analysis.claims),
                ),
            )

    def latest_cached_analysis(self, briefing_id: str) -> Analysis | None:
        try:
            with self._tx(write=False) as conn:
                rows = conn.execute(
                    "SELECT data FROM analysis_cache WHERE briefing_id = %s "
                    "ORDER BY created_at DESC",
                    (briefing_id,),
                ).fetchall()
                text_row = (
                    conn.execute(
                        "SELECT text FROM briefings WHERE id = %s", (briefing_id,)
                    ).fetchone()
                    if rows
                    else None
                )
        except StoreUnavailable:
            return None
        text = text_row["text"] if text_row else None
        for row in rows:
            analysis = _decode(row["data"], text)
            if analysis is not None:
                return analysis
        return None

    def claim_counts(self) -> dict[str, int]:
        with self._tx(write=False) as conn:
            rows = conn.execute(
                """SELECT DISTINCT ON (briefing_id) briefing_id, claims FROM analysis_cache
                   WHERE claims IS NOT NULL ORDER BY briefing_id, created_at DESC"""
            ).fetchall()
        return {str(r["briefing_id"]): int(r["claims"]) for r in rows}

    # -- live: other readers' changes ----------------------------------------------------------
    def listen(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(briefing_id)`` (in a thread of the store's) whenever any reader
        changes the annotations of a briefing in this library, until :meth:`close`. A lost
        connection is made again (changes meanwhile are not replayed: read again)."""
        if self._listener is not None:
            raise RuntimeError("already listening")

        def run() -> None:
            while not self._stop_listening.is_set():
                try:
                    with psycopg.connect(self.url, autocommit=True, connect_timeout=3) as conn:
                        conn.execute(f"LISTEN {CHANNEL}")
                        while not self._stop_listening.is_set():
                            for n in conn.notifies(timeout=0.5, stop_after=None):
                                callback(n.payload)
                except psycopg.Error:
                    self._stop_listening.wait(1.0)

        self._listener = threading.Thread(target=run, name="brief-tui-listen", daemon=True)
        self._listener.start()


def new_annotation(
    analyst: str,
    briefing_id: str,
    kind: str,
    *,
    target_type: str = "text",
    target_id: str | None = None,
    start: int | None = None,
    end: int | None = None,
    selector: Selector | None = None,
    meaning: str | None = None,
    note: str | None = None,
    tags: Sequence[str] = (),
    grade: str | None = None,
    status: str | None = None,
    text: str | None = None,
) -> Annotation:
    """The annotation ``add_annotation`` would store, checked, with a new id, ``analyst``
    as author and now as its times; the quote is cut from ``text`` when given
    (else the caller cuts it on the server). Raises ``ValueError`` for bad fields."""
    validate(
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        meaning=meaning,
        grade=grade,
        status=status,
    )
    if (start is None) != (end is None):
        raise ValueError("give both start and end, or neither")
    if target_type == "text" and selector is None and start is None:
        raise ValueError("a text annotation needs a span (start and end) or a selector")
    if selector is None and start is not None and end is not None and text is not None:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}-{end} is outside a text of {len(text)} characters")
        p0 = max(0, start - CONTEXT)
        selector = Selector(start, end, text[start:end], text[p0:start], text[end : end + CONTEXT])
    now = now_iso()
    return Annotation(
        id=str(uuid.uuid4()),
        briefing_id=briefing_id,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        start=selector.start if selector else start,
        end=selector.end if selector else end,
        exact=selector.exact if selector else None,
        prefix=selector.prefix if selector else None,
        suffix=selector.suffix if selector else None,
        meaning=meaning,
        note=note if note else None,
        tags=normalise_tags(tags),
        grade=grade,
        status=status,
        created_at=now,
        updated_at=now,
        author=analyst,
    )


def _decode(data: bytes | memoryview, text: str | None) -> Analysis | None:
    try:
        raw = bytes(data).decode("ascii")
    except UnicodeDecodeError:
        return None
    return decode_cached(raw, text)


def _reason(e: BaseException) -> str:
    """psycopg's or the pool's message, one line (libpq's never holds the password)."""
    text = str(e).strip().splitlines()
    return clean_line(text[0] if text else type(e).__name__, 200)
