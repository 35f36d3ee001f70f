"""The local store: briefings, annotations, undo, analysis cache, migrations, and what happens
when the database is damaged, read-only, shared by two processes or its writer is killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from brief_tui.analysis.model import Actor, Analysis, Claim, Mention, Source, Span
from brief_tui.briefing import Briefing, briefing_from_text
from brief_tui.library import paths
from brief_tui.library.anchoring import make_selector
from brief_tui.library.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    StoreError,
    StoreReadOnly,
)

TEXT = (
    "North Korea has sent troops to Russia, South Korea's spy agency said. "
    "Lawmaker Lee Seong-kweun said the troops may be moving to the front line. "
    "The Kremlin declined to comment.\n"
)
OTHER = "Drone strikes hit Kharkiv overnight, officials said. Nobody was hurt.\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def briefing(store: Store, tmp_path: Path) -> Briefing:
    b = briefing_from_text(TEXT, str(tmp_path / "brief.txt"))
    store.add_briefing(b)
    return b


def span(quote: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(quote)
    return i, i + len(quote)


# -- the store's face -------------------------------------------------------------------------
def test_store_offers_every_call_of_its_interface_with_the_same_signature() -> None:
    """Store (SQLite) stands behind LibraryStore, the interface the UI and the CLI use."""
    import inspect

    from brief_tui.library.store import LibraryStore

    calls = [
        name
        for name, value in vars(LibraryStore).items()
        if callable(value) and (not name.startswith("_") or name in ("__enter__", "__exit__"))
    ]
    assert {"add_briefing", "add_annotation", "undo", "get_cached_analysis"} <= set(calls)
    for name in calls:
        assert inspect.signature(getattr(Store, name)) == inspect.signature(
            getattr(LibraryStore, name)
        ), name
    for name in ("path", "read_only", "warning"):
        assert isinstance(vars(LibraryStore)[name], property), name
        assert isinstance(inspect.getattr_static(Store, name), property), name


# -- paths ------------------------------------------------------------------------------------
def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.data_dir(tmp_path / "x") == tmp_path / "x"
    assert paths.data_dir(str(tmp_path / "y")) == tmp_path / "y"
    monkeypatch.setenv("BRIEF_TUI_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    monkeypatch.delenv("BRIEF_TUI_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "brief-tui"
    assert paths.db_path(tmp_path) == tmp_path / paths.DB_NAME
    assert not (tmp_path / "xdg").exists()  # resolving a path creates nothing


def test_open_uses_env_data_dir(data_dir: Path) -> None:
    with Store.open() as s:
        assert s.path == paths.db_path(data_dir)
    assert paths.db_path(data_dir).exists()


def test_library_imports_without_textual() -> None:
    code = "import sys, brief_tui.library; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- opening and schema -------------------------------------------------------------------------
def test_fresh_store_settings(store: Store) -> None:
    assert store.warning is None and not store.read_only
    assert store.schema_version == SCHEMA_VERSION
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = dict(
        conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").fetchall()
    )
    for name in ("briefings", "annotations", "analysis_cache", "undo_log"):
        assert tables[name].rstrip().endswith("STRICT"), name
    assert "briefings_fts" in tables
    conn.close()


def test_migration_from_version_1(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    conn = sqlite3.connect(paths.db_path(d), isolation_level=None)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    b = briefing_from_text(TEXT, "old.txt")
    t = "2024-01-01T00:00:00+00:00"
    conn.execute(
        "INSERT INTO briefings VALUES (?, ?, ?, ?, ?, ?, ?)",
        (b.id, b.title, b.origin, b.format, b.text, t, t),
    )
    sel = make_selector(TEXT, *span("spy agency"))
    conn.execute(
        """INSERT INTO annotations (id, briefing_id, kind, start, "end", exact, prefix, suffix,
           note, tags, created_at, updated_at)
           VALUES ('a1', ?, 'note', ?, ?, ?, ?, ?, 'old', '["x"]', ?, ?)""",
        (b.id, sel.start, sel.end, sel.exact, sel.prefix, sel.suffix, t, t),
    )
    conn.close()

    with Store.open(d) as s:
        assert s.schema_version == SCHEMA_VERSION and s.warning is None
        (a,) = s.annotations(b.id)
        assert (a.id, a.note, a.tags, a.exact) == ("a1", "old", ("x",), "spy agency")
        assert [i.id for i in s.search_briefings("Kremlin")] == [b.id]  # FTS back-filled
        got = s.get_briefing(b.id)
        assert got is not None and got.encoding == "utf-8"
        s.update_annotation("a1", note="new")
        assert s.undo() is not None
        assert s.annotation("a1").note == "old"  # type: ignore[union-attr]


def test_a_version_5_library_gains_authors(tmp_path: Path) -> None:
    """Before version 6 the local library had no author column (a pull lost them): an old
    library opens, its notes as they were (no author), and keeps an author given."""
    from dataclasses import replace

    from brief_tui.library.store.rows import put
    from brief_tui.library.store.schema import migrate

    d = tmp_path / "data"
    d.mkdir()
    conn = sqlite3.connect(paths.db_path(d), isolation_level=None)
    migrate(conn, upto=5)
    assert "author" not in [r[1] for r in conn.execute("PRAGMA table_info(annotations)")]
    conn.close()
    with Store.open(d) as s:  # (a version-5 library with a note in it)
        b = briefing_from_text(TEXT, "old.txt")
        s.add_briefing(b)
        mine = s.add_annotation(b.id, "note", start=0, end=5, note="old")
    conn = sqlite3.connect(paths.db_path(d), isolation_level=None)
    conn.execute("ALTER TABLE annotations DROP COLUMN author")
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    with Store.open(d) as s:
        assert s.schema_version == SCHEMA_VERSION and s.warning is None
        assert s.annotations(b.id) == [mine] and mine.author is None
        with s.db.write() as c:
            put(c, replace(mine, id="theirs", author="bob"))
        assert s.annotation("theirs").author == "bob"  # type: ignore[union-attr]
        assert s.update_annotation("theirs", note="kept").author == "bob"


def test_a_version_6_library_keys_its_search_rows_by_rowid(tmp_path: Path) -> None:
    """Version 7 keys the full-text rows by the briefing's rowid (a removal deleted by an
    unindexed column: a scan of the whole index). An old library's rows are rebuilt so:
    search, removal and a text restored still keep the index one row per briefing."""
    from brief_tui.library.store.schema import migrate

    d = tmp_path / "data"
    d.mkdir()
    conn = sqlite3.connect(paths.db_path(d), isolation_level=None)
    migrate(conn, upto=6)
    t = "2024-01-01T00:00:00+00:00"
    old = [
        briefing_from_text(f"{text} Number {i}.\n", f"old{i}.txt")
        for i, text in enumerate([TEXT, OTHER, TEXT])
    ]
    for b in old:  # (the version-6 triggers write the index)
        conn.execute(
            "INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (b.id, b.title, b.origin, b.format, b.text, t, t),
        )
    conn.execute("DELETE FROM briefings WHERE id = ?", (old[0].id,))  # rowids with a gap
    conn.close()
    kept = old[1:]

    def index(s: Store) -> list[tuple[int, str]]:
        with s.db.read() as c:
            fts = c.execute("SELECT rowid, briefing_id FROM briefings_fts ORDER BY rowid")
            keyed = [tuple(r) for r in fts]
            rows = c.execute("SELECT rowid, id FROM briefings ORDER BY rowid")
            assert keyed == [tuple(r) for r in rows]
            return keyed

    with Store.open(d) as s:
        assert s.schema_version == SCHEMA_VERSION >= 7 and s.warning is None
        assert [r[1] for r in index(s)] == [b.id for b in kept]
        assert [h.info.id for h in s.search_page("Kharkiv")] == [kept[0].id]
        assert [i.id for i in s.search_briefings("Kremlin")] == [kept[1].id]
        new = briefing_from_text(OTHER + "Kursk too.\n", "new.txt")
        s.add_briefing(new)
        assert [h.info.id for h in s.search_page("kursk")] == [new.id]
        s.remove_briefing(kept[0].id)
        assert [r[1] for r in index(s)] == [kept[1].id, new.id]
        assert [h.info.id for h in s.search_page("Kharkiv")] == [new.id]
        with s.db.write() as c:  # a new text (as a salvaged briefing's is restored)
            c.execute("UPDATE briefings SET text = 'Only Odesa now.' WHERE id = ?", (new.id,))
        assert [h.info.id for h in s.search_page("odesa")] == [new.id]
        assert s.search_page("kursk") == [] and len(index(s)) == 2


def test_database_from_newer_version_opens_read_only(
    tmp_path: Path, briefing: Briefing, store: Store
) -> None:
    store.add_annotation(briefing.id, "highlight", start=0, end=5)
    assert store.path is not None
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with Store.open(tmp_path / "data") as s:
        assert s.read_only and s.warning and "newer brief-tui" in s.warning
        assert len(s.annotations(briefing.id)) == 1
        with pytest.raises(StoreReadOnly):
            s.add_annotation(briefing.id, "highlight", start=0, end=5)


# -- briefings ----------------------------------------------------------------------------------
def test_briefings_add_get_list_remove(store: Store, tmp_path: Path) -> None:
    b1 = briefing_from_text(TEXT, str(tmp_path / "a.txt"))
    b2 = briefing_from_text(OTHER, str(tmp_path / "b.md"), fmt="markdown")
    info1 = store.add_briefing(b1)
    assert info1.title == b1.title and info1.chars == len(TEXT) and info1.annotation_count == 0
    store.add_briefing(b2)
    assert [i.id for i in store.list_briefings()] == [b2.id, b1.id]
    again = store.add_briefing(b1)  # upsert: opened again, moves to the top
    assert again.added_at == info1.added_at and again.last_opened_at > info1.last_opened_at
    assert [i.id for i in store.list_briefings()] == [b1.id, b2.id]
    got = store.get_briefing(b2.id)
    assert got is not None
    assert (got.text, got.title, got.origin, got.format) == (OTHER, b2.title, b2.origin, "markdown")
    assert got.paragraphs == b2.paragraphs
    assert store.get_briefing("0" * 64) is None
    assert [i.id for i in store.briefings_from_origin(str(tmp_path / "a.txt"))] == [b1.id]
    assert store.briefings_from_origin("nowhere") == []

    assert [i.id for i in store.search_briefings("kharkiv")] == [b2.id]
    assert [i.id for i in store.search_briefings("Kreml")] == [b1.id]  # prefix search
    assert store.search_briefings('"unbalanced') == []

    store.add_annotation(b1.id, "highlight", start=0, end=11)
    store.add_annotation(b1.id, "note", start=12, end=15, note="n")
    store.put_cached_analysis(_analysis(b1))
    assert store.list_briefings()[0].annotation_count == 2
    assert store.remove_briefing(b1.id) == 2
    assert store.get_briefing(b1.id) is None
    assert store.annotations(b1.id) == []
    assert store.get_cached_analysis(b1.id, "m", "1", "1") is None
    assert store.search_briefings("Kremlin") == []
    assert store.undo() is None  # its undo history went with it
    assert [i.id for i in store.list_briefings()] == [b2.id]


def test_briefing_meta(store: Store) -> None:
    b = briefing_from_text(OTHER, "x")
    store.add_briefing(b, meta={"author": 'Kim: "K"', "date": "2024-10-23"})
    store.add_briefing(b)  # re-opening without meta keeps it
    assert store.briefing_meta(b.id) == {"author": 'Kim: "K"', "date": "2024-10-23"}


# -- annotations -------------------------------------------------------------------------------
def test_add_text_annotation_cuts_quote_and_context(store: Store, briefing: Briefing) -> None:
    s, e = span("Lee Seong-kweun")
    a = store.add_annotation(
        briefing.id, "highlight", start=s, end=e, meaning="key", tags=["#people", "Korea", "korea"]
    )
    assert a.exact == "Lee Seong-kweun"
    assert a.prefix == TEXT[s - 32 : s] and a.suffix == TEXT[e : e + 32]
    assert a.tags == ("people", "Korea")
    assert a.created_at == a.updated_at and a.created_at.endswith("+00:00")
    assert store.annotation(a.id) == a
    head = store.add_annotation(briefing.id, "note", start=0, end=5, note="first words")
    assert head.prefix == "" and head.exact == "North"


def test_add_annotation_variants_and_validation(store: Store, briefing: Briefing) -> None:
    sel = make_selector(TEXT, *span("spy agency"))
    a = store.add_annotation(briefing.id, "note", selector=sel, note="which one?")
    assert (a.start, a.end, a.exact) == (sel.start, sel.end, "spy agency")
    g = store.add_annotation(briefing.id, "grade", target_type="source", target_id="s1", grade="B")
    assert g.start is None and g.exact is None and g.target_id == "s1"
    c = store.add_annotation(
        briefing.id,
        "grade",
        target_type="claim",
        target_id="c2",
        grade="3",
        status="disputed",
        start=span("may be moving")[0],
        end=span("may be moving")[1],
    )
    assert c.exact == "may be moving" and c.status == "disputed"
    assert store.annotations_on(briefing.id, "claim", "c2") == [c]
    bad: list[dict[str, object]] = [
        {"kind": "scribble", "start": 0, "end": 1},
        {"kind": "highlight"},  # no span
        {"kind": "highlight", "start": 0},  # half a span
        {"kind": "highlight", "start": 5, "end": 10_000},  # outside the text
        {"kind": "highlight", "start": 0, "end": 1, "meaning": "important"},
        {"kind": "grade", "target_type": "source", "target_id": "s1", "grade": "3"},
        {"kind": "grade", "target_type": "claim", "target_id": "c1", "grade": "A"},
        {"kind": "grade", "target_type": "claim"},  # no id
        {"kind": "grade", "target_type": "claim", "target_id": "c1", "status": "maybe"},
    ]
    for kwargs in bad:
        kind = str(kwargs.pop("kind"))
        with pytest.raises(ValueError):
            store.add_annotation(briefing.id, kind, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.add_annotation("f" * 64, "highlight", start=0, end=1)
    with pytest.raises(TypeError):
        store.add_annotation(briefing.id, "tag", start=0, end=1, tags="oops")
    assert len(store.annotations(briefing.id)) == 3


def test_annotations_in_text_order_orphans_last(store: Store, briefing: Briefing) -> None:
    late = store.add_annotation(briefing.id, "highlight", start=100, end=110)
    target = store.add_annotation(
        briefing.id, "grade", target_type="source", target_id="s1", grade="A"
    )
    early = store.add_annotation(briefing.id, "note", start=3, end=9, note="x")
    orphan = store.add_annotation(briefing.id, "highlight", start=0, end=2)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE annotations SET orphan = 1 WHERE id = ?", (orphan.id,))
    conn.commit()
    conn.close()
    ids = [a.id for a in store.annotations(briefing.id)]
    assert ids == [early.id, late.id, target.id, orphan.id]


def test_update_annotation(store: Store, briefing: Briefing) -> None:
    a = store.add_annotation(briefing.id, "highlight", start=0, end=5, meaning="key")
    b = store.update_annotation(a.id, note='multi\nline: "note"', tags=["x y"], meaning="doubt")
    assert (b.note, b.tags, b.meaning) == ('multi\nline: "note"', ("x-y",), "doubt")
    assert b.updated_at > a.updated_at and b.created_at == a.created_at
    s, e = span("Russia")
    c = store.update_annotation(a.id, start=s, end=e)
    assert c.exact == "Russia" and c.prefix == TEXT[max(0, s - 32) : s]
    d = store.update_annotation(a.id, meaning=None, note="")
    assert d.meaning is None and d.note is None
    assert store.update_annotation(a.id, meaning=None) == d  # no change: nothing written
    with pytest.raises(TypeError):
        store.update_annotation(a.id, created_at="x")
    with pytest.raises(ValueError):
        store.update_annotation(a.id, grade="Z")
    with pytest.raises(ValueError):
        store.update_annotation(a.id, start=None, end=None)  # a text annotation needs its span
    with pytest.raises(KeyError):
        store.update_annotation("nope", note="x")
    assert store.annotation(a.id) == d


def test_delete_annotation(store: Store, briefing: Briefing) -> None:
    a = store.add_annotation(briefing.id, "highlight", start=0, end=5)
    assert store.delete_annotation(a.id) == a
    assert store.annotations(briefing.id) == [] and store.annotation(a.id) is None
    with pytest.raises(KeyError):
        store.delete_annotation(a.id)


def test_all_tags(store: Store, briefing: Briefing) -> None:
    assert store.all_tags() == []
    store.add_annotation(briefing.id, "tag", start=0, end=5, tags=["troops", "NIS"])
    store.add_annotation(briefing.id, "tag", start=6, end=9, tags=["troops", "drones"])
    assert store.all_tags() == ["troops", "drones", "NIS"]


def test_annotations_survive_reopen(tmp_path: Path) -> None:
    b = briefing_from_text(TEXT, "x")
    with Store.open(tmp_path / "d") as s:
        s.add_briefing(b)
        a = s.add_annotation(b.id, "note", start=0, end=5, note="kept")
    with Store.open(tmp_path / "d") as s:
        assert s.annotations(b.id) == [a]


# -- undo -------------------------------------------------------------------------------------
def test_undo_add_update_delete(store: Store, briefing: Briefing) -> None:
    assert store.undo() is None and not store.can_undo()
    a = store.add_annotation(briefing.id, "highlight", start=0, end=5)
    b = store.update_annotation(a.id, note="edited")
    store.delete_annotation(a.id)
    assert store.can_undo(briefing.id)
    msg = store.undo()
    assert msg is not None and msg.startswith("undid: delete")
    assert store.annotation(a.id) == b
    msg = store.undo()
    assert msg is not None and "edit" in msg
    assert store.annotation(a.id) == a
    msg = store.undo()
    assert msg is not None and "add" in msg
    assert store.annotation(a.id) is None
    assert store.undo() is None


def test_undo_survives_restart_and_scopes_by_briefing(tmp_path: Path) -> None:
    b1, b2 = briefing_from_text(TEXT, "1"), briefing_from_text(OTHER, "2")
    with Store.open(tmp_path / "d") as s:
        s.add_briefing(b1)
        s.add_briefing(b2)
        a1 = s.add_annotation(b1.id, "highlight", start=0, end=5)
        a2 = s.add_annotation(b2.id, "highlight", start=0, end=5)
        s.delete_annotation(a1.id)
    with Store.open(tmp_path / "d") as s:
        assert s.undo(b2.id) is not None  # the add in b2, not the later delete in b1
        assert s.annotation(a2.id) is None and s.annotation(a1.id) is None
        assert s.undo(b2.id) is None
        assert s.undo() is not None
        assert s.annotation(a1.id) == a1


# -- analysis cache -----------------------------------------------------------------------------
def _analysis(b: Briefing) -> Analysis:
    return Analysis(
        briefing_id=b.id,
        title=b.title,
        text=b.text,
        model_name="m",
        model_version="1",
        actors=[
            Actor(
                "a1", "Lee Seong-kweun", "person", ["Lee"], ["lawmaker"], [Mention(80, 95, "Lee")]
            )
        ],
        sources=[Source("s1", "NIS", "intelligence")],
        claims=[Claim("c1", 0, 70, [Span(0, 37)], source="s1")],
    )


def test_analysis_cache(store: Store, briefing: Briefing) -> None:
    an = _analysis(briefing)
    assert store.get_cached_analysis(briefing.id, "m", "1", "1") is None
    store.put_cached_analysis(an)
    got = store.get_cached_analysis(briefing.id, "m", "1", "1")
    assert got is not None and got.to_json() == an.to_json()
    assert store.get_cached_analysis(briefing.id, "m", "2", "1") is None
    assert store.get_cached_analysis(briefing.id, "m", "1", "2") is None
    an.claims.append(Claim("c2", 71, 140))
    store.put_cached_analysis(an)  # replaces
    got = store.get_cached_analysis(briefing.id, "m", "1", "1")
    assert got is not None and [c.id for c in got.claims] == ["c1", "c2"]
    latest = store.latest_cached_analysis(briefing.id)
    assert latest is not None and latest.briefing_id == briefing.id
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute('UPDATE analysis_cache SET json = \'{"schema": "other"}\'')
    conn.commit()
    conn.close()
    assert store.get_cached_analysis(briefing.id, "m", "1", "1") is None  # unreadable: a miss


# -- failures -----------------------------------------------------------------------------------
def test_corrupt_database_is_moved_aside(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    db = paths.db_path(d)
    garbage = b"this is not a database, but it is someone's file\n" * 200
    db.write_bytes(garbage)
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning and "\n" not in s.warning
    assert "salvaged 0 annotations" in s.warning
    assert not s.read_only
    aside = [p for p in d.iterdir() if p.name.startswith(db.name + ".corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert str(aside[0]) in s.warning
    b = briefing_from_text(TEXT, "x")
    s.add_briefing(b)
    s.add_annotation(b.id, "highlight", start=0, end=5)
    s.close()
    with Store.open(d) as again:
        assert again.warning is None and len(again.annotations(b.id)) == 1


def test_damaged_pages_are_detected(tmp_path: Path) -> None:
    d = tmp_path / "data"
    b = briefing_from_text(TEXT * 200, "x")
    with Store.open(d) as s:
        s.add_briefing(b)
        for i in range(50):
            s.add_annotation(b.id, "note", start=i, end=i + 10, note="n" * 200)
    db = paths.db_path(d)
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for p in range(2, len(data) // page):  # keep the header page, scribble over the rest
        data[p * page + 8 : p * page + 200] = b"\xff" * 192
    db.write_bytes(bytes(data))
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning and "salvaged" in s.warning
    assert any(p.name.startswith(db.name + ".corrupt-") for p in d.iterdir())
    assert not s.read_only
    s.close()


def test_unusable_data_dir_gives_read_only_empty_store(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    s = Store.open(blocker / "data")  # cannot create a directory under a file
    assert s.read_only and s.warning is not None and "annotations will not be saved" in s.warning
    assert s.list_briefings() == [] and s.all_tags() == []
    with pytest.raises(StoreReadOnly) as e:
        s.add_briefing(briefing_from_text(TEXT, "x"))
    assert str(e.value) == s.warning


READ_ONLY_PROBE = textwrap.dedent(
    """
    import sys
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store import Store, StoreReadOnly
    data, fresh = sys.argv[1], sys.argv[2]
    b = briefing_from_text(sys.argv[3], "x")
    s = Store.open(data)
    assert s.read_only, "expected read-only"
    print("warning:", s.warning)
    notes = [a.note for a in s.annotations(b.id)]
    print("notes:", notes)
    try:
        s.add_annotation(b.id, "highlight", start=0, end=3)
    except StoreReadOnly as e:
        print("refused:", e)
    f = Store.open(fresh)
    assert f.read_only
    print("fresh:", f.warning)
    """
)


def _without_root_powers() -> None:
    """Root ignores file permissions: drop the capabilities that let it (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH) from the bounding set before exec, so the probe sees them."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_read_only_data_dir(tmp_path: Path) -> None:
    data, fresh = tmp_path / "data", tmp_path / "fresh"
    fresh.mkdir()
    b = briefing_from_text(TEXT, "x")
    with Store.open(data) as s:
        s.add_briefing(b)
        s.add_annotation(b.id, "note", start=0, end=5, note="precious")
    try:
        for p in data.iterdir():
            os.chmod(p, 0o444)
        os.chmod(data, 0o555)
        os.chmod(fresh, 0o555)
        out = subprocess.run(
            [sys.executable, "-c", READ_ONLY_PROBE, str(data), str(fresh), TEXT],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=_without_root_powers if os.geteuid() == 0 else None,
        )
        assert out.returncode == 0, out.stderr
        lines = dict(line.split(": ", 1) for line in out.stdout.splitlines())
        assert "read-only" in lines["warning"]
        assert lines["notes"] == "['precious']"
        assert lines["refused"] == lines["warning"]
        assert "annotations will not be saved" in lines["fresh"]
    finally:
        os.chmod(data, 0o755)
        os.chmod(fresh, 0o755)
        for p in data.iterdir():
            os.chmod(p, 0o644)
    with Store.open(data) as s:  # writable again: nothing was lost or changed
        assert not s.read_only
        assert [a.note for a in s.annotations(b.id)] == ["precious"]


def test_read_only_store_refuses_every_write(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("a file where the data directory should be")
    s = Store.open(tmp_path / "f" / "data")
    assert s.read_only
    b = briefing_from_text(TEXT, "x")
    with pytest.raises(StoreReadOnly):
        s.add_briefing(b)
    for call in (
        lambda: s.add_annotation(b.id, "highlight", start=0, end=1),
        lambda: s.update_annotation("x", note="y"),
        lambda: s.delete_annotation("x"),
        lambda: s.undo(),
        lambda: s.remove_briefing(b.id),
        lambda: s.put_cached_analysis(_analysis(b)),
    ):
        with pytest.raises(StoreReadOnly):
            call()


# -- several processes --------------------------------------------------------------------------
def _writer(data: str, n: int, start: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    s = Store.open(data)  # both create and migrate the same new file at once
    assert s.warning is None, s.warning
    b = briefing_from_text(TEXT, "x")
    s.add_briefing(b)
    for i in range(n):
        s.add_annotation(b.id, "note", start=i % 50, end=i % 50 + 5, note=f"{os.getpid()}-{i}")
        if i % 20 == 0:
            s.all_tags()  # reads interleaved with the other process's writes
    s.close()


@pytest.mark.slow
def test_two_processes_write_at_once(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    b = briefing_from_text(TEXT, "x")
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(data, 200, start)) for _ in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Store.open(data) as s:
        notes = [a.note for a in s.annotations(b.id)]
    assert len(notes) == 400 and len(set(notes)) == 400
    assert {n.split("-")[0] for n in notes if n} == {str(p.pid) for p in procs}


KILL_PROBE = textwrap.dedent(
    """
    import sys, time
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store import Store
    s = Store.open(sys.argv[1])
    b = briefing_from_text(sys.argv[2], "x")
    s.add_briefing(b)
    for i in range(3):
        a = s.add_annotation(b.id, "note", start=i, end=i + 4, note=f"confirmed {i}")
        print("ok", a.id, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
def test_sigkill_after_add_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_PROBE, str(data), TEXT], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    ids = []
    for _ in range(3):
        line = proc.stdout.readline().split()
        assert line[0] == "ok"
        ids.append(line[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    with Store.open(data) as s:
        assert s.warning is None
        b = briefing_from_text(TEXT, "x")
        assert sorted(a.id for a in s.annotations(b.id)) == sorted(ids)
