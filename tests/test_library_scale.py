"""The library screen on a library of thousands of briefings: the rows are read a window at
a time (the last row is reached without reading every row), sorted and filtered by the
database, and search shows a page of hits with the text around each match; enter on a hit
opens the briefing at the match."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from brief_tui.library.store import Store
from brief_tui.ui.library_screen import MORE, Choice, LibraryScreen
from brief_tui.ui.library_table import PAGES_HELD, WindowTable
from brief_tui.ui.panel import LineList
from tests.test_library_screen import LibraryApp, settle
from tests.uihelpers import screen_text

N = 3000
WORDS = ["ministry", "said", "talks", "troops", "border", "officials", "report", "grain"]


def text_of(i: int) -> str:
    body = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(120))
    if i % 500 == 0:  # six briefings name Kursk, deep in their text
        body += f" A convoy was seen near Kursk (item {i})."
    return f"Dispatch {i:04d}\n\n{body}\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N briefings written in one transaction (the store's full-text triggers run): briefing
    0 was opened first, N-1 last; every third title holds "convoy"."""
    data = tmp_path_factory.mktemp("scale") / "data"
    Store.open(data).close()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(N):
        text = text_of(i)
        when = (start + timedelta(minutes=i)).isoformat()
        title = f"Dispatch {i:04d}" + (" convoy" if i % 3 == 0 else "")
        rows.append(
            (
                hashlib.sha256(text.encode()).hexdigest(),
                title,
                f"/d/{i}.txt",
                "text",
                text,
                when,
                when,
                "utf-8",
                json.dumps({}),
            )
        )
    with sqlite3.connect(data / "library.sqlite3") as conn:
        conn.executemany(
            "INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,"
            " encoding, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return data


@pytest.fixture
def store(library: Path) -> Iterator[Store]:
    s = Store.open(library)
    yield s
    s.close()


def title_at(app: App[Any], row: int) -> str:
    found = app.screen.query_one("#library-table", WindowTable).row(row)
    return "" if found is None else str(found["title"])


async def test_scrolls_to_the_last_row_reading_only_windows(store: Store) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#library-table", WindowTable)
        assert table.row_count == N
        assert "3,000 briefings · by last opened" in screen_text(app)
        assert title_at(app, 0).startswith("Dispatch 2999")  # the last opened first
        await pilot.press("G")
        await settle(app, pilot)
        assert table.cursor_row == N - 1
        shown = screen_text(app)
        assert "Dispatch 0000" in shown and "Dispatch 2999" not in shown
        await pilot.press("k", "k", "pageup")
        await settle(app, pilot)
        assert "Dispatch 0002" in screen_text(app)
        # the rows read are a few windows, not the library
        assert 0 < table.rows_held <= PAGES_HELD * 100 < N
        under_cursor = title_at(app, table.cursor_row)
        assert under_cursor.startswith("Dispatch 00")
        await pilot.press("enter")
        assert len(app.results) == 1 and app.results[0] is not None
        chosen = store.briefing_info(app.results[0].briefing_id)
        assert chosen is not None and chosen.title == under_cursor


async def test_sorts_and_filters_in_the_database(store: Store) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # by added, newest first
        await settle(app, pilot)
        assert title_at(app, 0).startswith("Dispatch 2999")
        await pilot.press("s")  # by title, A to Z
        await settle(app, pilot)
        assert title_at(app, 0) == "Dispatch 0000 convoy"
        await pilot.press("r")  # Z to A
        await settle(app, pilot)
        assert title_at(app, 0) == "Dispatch 2999"
        assert "by title ↓" in screen_text(app)
        await pilot.press("f", *"convoy", "enter")
        await settle(app, pilot)
        table = app.screen.query_one("#library-table", WindowTable)
        assert table.row_count == N // 3
        assert title_at(app, 0) == "Dispatch 2997 convoy"
        await pilot.press("G")
        await settle(app, pilot)
        assert title_at(app, N // 3 - 1) == "Dispatch 0000 convoy"
        assert "1,000 briefings · by title ↓ · titles holding “convoy”" in screen_text(app)
        await pilot.press("escape")  # the filter goes
        await settle(app, pilot)
        assert table.row_count == N


async def test_search_shows_snippets_and_opens_at_the_match(store: Store) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"kursk", "enter")
        await settle(app, pilot)
        hits = app.screen.query_one("#library-hits", LineList)
        keys = [hits.row_key(i) for i in range(hits.row_count)]
        assert len(keys) == 6 and MORE not in keys
        shown = screen_text(app)
        assert "6 briefings matching “kursk”" in shown
        assert "convoy was seen near Kursk" in shown  # the text around the match
        snippet = hits.rows[0].cells[1]
        spans = snippet.spans
        marked = [snippet.plain[m.start : m.end] for m in spans if "reverse" in str(m.style)]
        assert marked == ["Kursk"]
        await pilot.press("j", "enter")
        assert len(app.results) == 1
        choice = app.results[0]
        assert isinstance(choice, Choice) and choice.briefing_id == keys[1]
        briefing = store.get_briefing(choice.briefing_id)
        assert briefing is not None and choice.offset is not None
        assert briefing.text[choice.offset : choice.offset + 5] == "Kursk"


async def test_a_common_word_pages_its_hits(store: Store) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"grain", "enter")
        await settle(app, pilot)
        hits = app.screen.query_one("#library-hits", LineList)
        assert hits.row_count == 51 and hits.row_key(50) == MORE
        await pilot.press("G", "enter")  # the "more hits" line reads the next page
        await settle(app, pilot)
        keys = [hits.row_key(i) for i in range(hits.row_count)]
        assert len(keys) == 101 and len(set(keys)) == 101 and keys[-1] == MORE
        assert hits.cursor_row == 50  # the cursor stays where the new hits begin
        assert isinstance(app.screen, LibraryScreen)


async def test_titles_and_snippets_from_the_database_are_shown_as_text(tmp_path: Path) -> None:
    """A library written by another program may hold escapes and markup in titles and
    texts: the rows and the search hits show them as plain words, and nothing reaches the
    terminal as a control or a link."""
    data = tmp_path / "data"
    Store.open(data).close()
    title = "[@click=app.quit]Breaking[/] \x1b]52;c;UFdORUQ=\x07 [/x] \u202eevil"
    text = "Breaking\n\nThe [b]envoy[/b] \x1b[2J met [@click=app.quit]Kursk[/] officials.\n"
    with sqlite3.connect(data / "library.sqlite3") as conn:
        conn.execute(
            "INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,"
            " encoding, meta) VALUES (?, ?, ?, 'text', ?, ?, ?, 'utf-8', ?)",
            (
                "e" * 64,
                title,
                "/x/\x1b]0;t\x07.txt",
                text,
                "2024-01-01",
                "2024-01-01",
                json.dumps({"date": "\x1b[31m2024", "author": "[red]me"}),
            ),
        )
    with Store.open(data) as store:
        app = LibraryApp(store)
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(app, pilot)
            shown = screen_text(app)
            assert "[@click=app.quit]Breaking[/]" in shown and "[/x]" in shown
            assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
            await pilot.press("slash", *"kursk", "enter")
            await settle(app, pilot)
            shown = screen_text(app)
            assert "The [b]envoy[/b]" in shown and "[@click=app.quit]Kursk[/]" in shown
            assert "\x1b" not in shown
            hits = app.screen.query_one("#library-hits", LineList)
            assert hits.row_count == 1
            for cell in hits.rows[0].cells:  # no segment carries an action
                assert all("@click" not in str(s.style) for s in cell.spans)
            assert isinstance(app.screen, LibraryScreen)  # (markup did not close it)


async def test_a_snippets_mark_stays_on_its_word_past_runs_of_spaces(tmp_path: Path) -> None:
    """Text taken from PDFs and fixed-width reports holds runs of spaces and tabs before a
    match: the snippet keeps them one for one, so the mark is on the matched word (folding
    them moved it off the word)."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        from brief_tui.briefing import briefing_from_text

        text = "Report\n\nThe  envoy    met\t\tthe   officials  in  Kursk  on  Monday.\n"
        store.add_briefing(briefing_from_text(text, origin="/r.txt"))
        app = LibraryApp(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("slash", *"kursk", "enter")
            await settle(app, pilot)
            hits = app.screen.query_one("#library-hits", LineList)
            snippet = hits.rows[0].cells[1]
            spans = [m for m in snippet.spans if "reverse" in str(m.style)]
            assert [snippet.plain[m.start : m.end] for m in spans] == ["Kursk"]
