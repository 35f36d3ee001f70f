"""The library by windows: a screenful of rows in any order, filtered and searched by the
database, each search hit with a snippet and the place of its match."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text
from brief_tui.library.store import SCHEMA_VERSION, SORTS, Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "data")
    for i in range(30):
        body = "The ministry said talks would resume." if i % 3 else "Troops moved near Kursk."
        s.add_briefing(
            briefing_from_text(
                f"Briefing {i:02d} {'alpha' if i % 2 else 'beta'}\n\n{body} {i}\n", f"/b/{i}.txt"
            )
        )
    yield s
    s.close()


def test_windows_in_every_order(store: Store) -> None:
    everything = store.list_briefings()
    assert store.count_briefings() == 30
    window = store.list_window(limit=10, offset=5)
    assert [b.id for b in window] == [b.id for b in everything[5:15]]
    titles = [b.title for b in store.list_window(sort="title", descending=False, limit=30)]
    assert titles == sorted(titles, key=str.lower)
    newest_added = store.list_window(sort="added", limit=1)[0]
    assert newest_added.added_at == max(b.added_at for b in everything)
    with pytest.raises(ValueError):
        store.list_window(sort="text; DROP TABLE briefings")
    assert set(SORTS) == {"opened", "added", "title"}


def test_title_filter_is_a_piece_of_the_title(store: Store) -> None:
    alpha = store.list_window(title_filter="ALPHA", limit=100)
    assert len(alpha) == 15 == store.count_briefings(title_filter="alpha")
    assert all("alpha" in b.title for b in alpha)
    # LIKE's own characters are plain characters here
    assert store.count_briefings(title_filter="%") == 0
    assert store.count_briefings(title_filter="_") == 0


def test_search_pages_carry_snippets_and_open_at_the_match(store: Store) -> None:
    hits = store.search_page("kursk", limit=5)
    assert len(hits) == 5
    more = store.search_page("kursk", limit=5, offset=5)
    assert len(more) == 5 and not {h.info.id for h in hits} & {h.info.id for h in more}
    hit = hits[0]
    assert "Kursk" in hit.snippet
    (s, e), *_ = hit.marks
    assert hit.snippet[s:e] == "Kursk"
    briefing = store.get_briefing(hit.info.id)
    assert briefing is not None
    at = store.first_match(hit.info.id, "kursk")
    assert at is not None and briefing.text[at : at + 5] == "Kursk"
    assert store.search_page("") == []
    assert store.search_page('" OR *') == []  # FTS5 syntax is read as words


def test_an_older_library_gets_the_window_indexes(tmp_path: Path) -> None:
    Store.open(tmp_path / "data").close()
    db = tmp_path / "data" / "library.sqlite3"
    with sqlite3.connect(db) as conn:
        for name in ("briefings_opened", "briefings_added", "briefings_title"):
            conn.execute(f"DROP INDEX {name}")
        conn.execute("DROP TABLE across_keys")  # (migration 5)
        conn.execute("DROP TABLE across_indexed")
        conn.execute("ALTER TABLE annotations DROP COLUMN author")  # (added by version 6)
        conn.execute("PRAGMA user_version = 3")
    Store.open(tmp_path / "data").close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        plan = " ".join(
            str(r)
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM briefings "
                "ORDER BY last_opened_at DESC, id DESC LIMIT 50"
            )
        )
        assert "briefings_opened" in plan
