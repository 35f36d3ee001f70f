"""The reader on a team library (a real PostgreSQL server): authors in the Notes and Sources
tabs, each analyst's own notes, other analysts' notes and grades shown as they are made (no
key pressed), the team's grades and their spread."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from brief_tui.briefing import load_briefing
from brief_tui.config import Config
from brief_tui.library.store.postgres import PgStore
from brief_tui.library.store.postgres.offline import TeamLibrary
from brief_tui.ui.app import BriefApp
from brief_tui.ui.dialogs import GradePicker, NoteEditor
from brief_tui.ui.panel import LineList, SidePanel
from tests.conftest import SAMPLE
from tests.uihelpers import saves_done, screen_text, wait_for_analysis

pytestmark = pytest.mark.slow

SIZE = (160, 44)


def team_app(url: str, data_dir: Path, analyst: str = "ann", **kw: object) -> BriefApp:
    return BriefApp(
        load_briefing(SAMPLE),
        library=url,
        data_dir=data_dir,
        config=Config(analyst=analyst),
        **kw,  # type: ignore[arg-type]
    )


async def until(pilot: object, check: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Let the app run (no key pressed) until ``check()`` holds; whether it did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    return check()


def notes_rows(app: BriefApp) -> list[str]:
    notes = app.query_one("#notes", LineList)
    return [notes.row_text(i) for i in range(len(notes.rows))]


async def test_another_analysts_note_appears_with_its_author_and_stays_theirs(
    pg_url: str, data_dir: Path
) -> None:
    app = team_app(pg_url, data_dir, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.store is not None and app.store.analyst == "ann"
        app.query_one("#tabs").active = "tab-notes"  # type: ignore[attr-defined]
        await pilot.pause()
        bid = app.briefing.id
        with PgStore.open(pg_url, analyst="bob") as bob:
            bobs = bob.add_annotation(bid, "note", start=0, end=11, note="bob was here")
            # no key is pressed: the note comes by the server's notification
            assert await until(pilot, lambda: any("bob was here" in r for r in notes_rows(app)))
            row = next(r for r in notes_rows(app) if "bob was here" in r)
            assert "bob" in row.replace("bob was here", "")  # the By column
            assert "By" in screen_text(app)
            # a highlight and a grade of bob's come the same way
            bob.add_annotation(bid, "highlight", start=20, end=30, meaning="doubt")
            assert await until(pilot, lambda: any("doubt" in r for r in notes_rows(app)))
            notes = app.query_one("#notes", LineList)
            notes.focus()
            notes.move_cursor(row=notes.get_row_index(bobs.id))
            await pilot.pause()
            detail = str(app.query_one("#notes-detail").render())
            assert "By: bob" in detail and "(you)" not in detail
            # bob's note is bob's: ann can neither edit nor delete it
            await pilot.press("e")
            assert not isinstance(app.screen, NoteEditor)
            await pilot.press("d")
            await saves_done(app, pilot)
            said = [n.message for n in app._notifications]
            assert "This note is bob's: only they can edit it." in said
            assert "This note is bob's: only they can delete it." in said
            assert bob.annotation(bobs.id) is not None
            # ann's own note is hers to delete; bob's reader sees it go
            mine = app.store.add_annotation(bid, "note", start=40, end=50, note="ann's own")
            assert await until(pilot, lambda: any("ann's own" in r for r in notes_rows(app)))
            assert mine.author == "ann"
            notes.move_cursor(row=notes.get_row_index(mine.id))
            await pilot.press("d")
            await saves_done(app, pilot)
            assert bob.annotation(mine.id) is None


async def test_team_grades_and_their_spread_in_the_sources_tab(
    pg_url: str, data_dir: Path, loaded_model: object
) -> None:
    app = team_app(pg_url, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis is not None
        bid = app.briefing.id
        miller = next(s for s in app.analysis.sources if s.name == "Matthew Miller")
        app.query_one("#tabs").active = "tab-sources"  # type: ignore[attr-defined]
        await pilot.pause()
        sources = app.query_one("#sources", LineList)
        with PgStore.open(pg_url, analyst="bob") as bob, PgStore.open(pg_url, analyst="cy") as cy:
            bob.add_annotation(bid, "grade", target_type="source", target_id=miller.id, grade="B")
            cy.add_annotation(bid, "grade", target_type="source", target_id=miller.id, grade="C")

            def grade_cell() -> str:
                return sources.get_cell(miller.id, "grade").plain

            assert await until(pilot, lambda: grade_cell() == "B by 1, C by 1"), grade_cell()
            # ann grades it B herself (a grade of her own: bob's stays bob's)
            sources.focus()
            sources.move_cursor(row=sources.get_row_index(miller.id))
            await pilot.press("r")
            assert isinstance(app.screen, GradePicker)
            await pilot.press("b")
            await saves_done(app, pilot)
            assert await until(pilot, lambda: grade_cell() == "B by 2, C by 1"), grade_cell()
            detail = str(app.query_one("#sources-detail").render())
            assert "B by 2, C by 1" in detail
            assert "ann (you)" in detail and "bob" in detail and "cy" in detail
            # cy changes her mind: shown without a key press
            (cys,) = [a for a in cy.annotations_on(bid, "source", miller.id) if a.author == "cy"]
            cy.update_annotation(cys.id, grade="B")
            assert await until(pilot, lambda: grade_cell() == "B by 3"), grade_cell()
            # the Claims tab keeps the reader's own grade
            assert app.query_one(SidePanel).grade_of("source", miller.id) == "B"
            mine = [a for a in bob.annotations(bid) if a.author == "ann"]
            assert [a.grade for a in mine] == ["B"]


async def test_the_library_screen_shows_other_analysts_changes_without_a_key(
    pg_url: str, data_dir: Path
) -> None:
    """L on a team library, then bob adds a briefing, notes one and removes another: ann's
    library screen shows each (the count, the rows, the Notes column) with no key pressed."""
    from brief_tui.briefing import briefing_from_text
    from brief_tui.ui.library_screen import LibraryScreen
    from brief_tui.ui.library_table import WindowTable

    app = team_app(pg_url, data_dir, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("L")
        assert await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        table = app.screen.query_one(WindowTable)

        def titles() -> list[str]:
            return [str((table.row(i) or {}).get("title")) for i in range(table.row_count)]

        assert await until(pilot, lambda: table.row_count == 1), titles()
        bid = app.briefing.id
        with PgStore.open(pg_url, analyst="bob") as bob:
            harbour = briefing_from_text("Harbour notes\nThe harbour closed.\n", "h.txt")
            bob.add_briefing(harbour)
            assert await until(pilot, lambda: "Harbour notes" in titles()), titles()
            assert table.row_count == 2

            def notes_of(briefing_id: str) -> object:
                row = next(
                    (
                        table.row(i)
                        for i in range(table.row_count)
                        if (table.row(i) or {}).get("id") == briefing_id
                    ),
                    None,
                )
                return (row or {}).get("annotations")

            assert not notes_of(bid)
            bob.add_annotation(bid, "note", start=0, end=5, note="seen")
            assert await until(pilot, lambda: notes_of(bid) == 1), notes_of(bid)
            bob.remove_briefing(harbour.id)
            assert await until(pilot, lambda: "Harbour notes" not in titles()), titles()
            assert table.row_count == 1 and isinstance(app.screen, LibraryScreen)


async def test_server_down_the_briefing_opens_and_notes_are_sent_once_when_it_is_back(
    own_server: object, data_dir: Path
) -> None:
    url = own_server.create_database()  # type: ignore[attr-defined]
    secret = url.replace("postgres@", "postgres:hunter2@")
    own_server.stop()  # type: ignore[attr-defined]
    app = team_app(secret, data_dir, analyse=False)
    told: list[object] = []  # every notification (those on screen expire)
    notify = app.notify

    def keep(message: object, *args: object, **kw: object) -> None:
        told.append(message)
        notify(message, *args, **kw)  # type: ignore[arg-type]

    app.notify = keep  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        # one line saying so, without the password; the text is there to read
        said = [n.message for n in app._notifications if "cannot be reached" in n.message]
        assert len(said) == 1 and "\n" not in said[0] and "hunter2" not in said[0], said
        assert "working offline" in said[0]
        assert "Seoul warns" in screen_text(app)
        # a note typed while the server is away is kept on this computer
        app.query_one("#tabs").active = "tab-notes"  # type: ignore[attr-defined]
        await pilot.press("v", "w", "w", "a")
        assert isinstance(app.screen, NoteEditor)
        from textual.widgets import TextArea

        app.screen.query_one(TextArea).insert("written offline")
        await pilot.press("ctrl+s")
        await saves_done(app, pilot)
        assert not isinstance(app.screen, NoteEditor)
        assert any("written offline" in r for r in notes_rows(app))
        store = app.store
        assert isinstance(store, TeamLibrary)
        assert [r["op"] for r in store.journal.pending("ann")] == ["briefing", "add"]
        own_server.start()  # type: ignore[attr-defined]
        # sent when the server is back (no key pressed), once
        assert await until(pilot, lambda: store.pending_count() == 0, 30)
        with PgStore.open(url, analyst="bob") as bob:
            assert await until(pilot, lambda: bool(bob.annotations(app.briefing.id)), 10)
            # bob's note comes to ann's reader now that it listens
            bob.add_annotation(app.briefing.id, "note", start=0, end=5, note="bob is back")
            assert await until(pilot, lambda: any("bob is back" in r for r in notes_rows(app)))
            notes = [a for a in bob.annotations(app.briefing.id) if a.author == "ann"]
        assert [a.note for a in notes] == ["written offline"]
        assert sum("written offline" in r for r in notes_rows(app)) == 1

        def said(words: str) -> int:
            return sum(words in str(m) for m in told)

        # the server going away in the middle of the session, and coming back, is said
        # (no key pressed)
        own_server.stop()  # type: ignore[attr-defined]
        assert await until(pilot, lambda: said("cannot be reached") == 2, 30)
        own_server.start()  # type: ignore[attr-defined]
        assert await until(pilot, lambda: said("answers again") == 1, 30)
        assert all("hunter2" not in str(m) for m in told)


async def test_a_hostile_analyst_name_is_shown_as_words(
    pg_url: str, data_dir: Path, loaded_model: object
) -> None:
    """Another analyst's name comes from the server (whatever their configuration says):
    the Notes tab's By column and detail, the Sources tab's grades and their detail, and the
    'only they can edit it' line show it as words, never as a control or a link."""
    from tests.test_hostile_panel import EVIL, SHOWN, assert_words_only
    from tests.test_untrusted import UNSAFE

    app = team_app(pg_url, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis is not None and app.analysis.sources
        bid = app.briefing.id
        src = app.analysis.sources[0]
        with PgStore.open(pg_url, analyst=EVIL) as evil:
            theirs = evil.add_annotation(bid, "note", start=0, end=11, note="from " + EVIL)
            evil.add_annotation(bid, "grade", target_type="source", target_id=src.id, grade="B")
            app.query_one("#tabs").active = "tab-notes"  # type: ignore[attr-defined]
            assert await until(pilot, lambda: any("from" in r for r in notes_rows(app)))
            notes = app.query_one("#notes", LineList)
            notes.focus()
            notes.move_cursor(row=notes.get_row_index(theirs.id))
            await pilot.pause()
            assert SHOWN in str(app.query_one("#notes-detail").render())
            assert_words_only(app)
            await pilot.press("e")  # not ann's: the reader says whose it is
            await pilot.pause()
            said = [str(n.message) for n in app._notifications if "only they can" in n.message]
            assert said and SHOWN in said[0]
            assert UNSAFE.search(said[0]) is None
            assert_words_only(app)
            app.query_one("#tabs").active = "tab-sources"  # type: ignore[attr-defined]
            await pilot.pause()
            sources = app.query_one("#sources", LineList)
            assert await until(pilot, lambda: sources.get_cell(src.id, "grade").plain == "B by 1")
            sources.focus()
            sources.move_cursor(row=sources.get_row_index(src.id))
            await pilot.pause()
            assert SHOWN in str(app.query_one("#sources-detail").render())
            assert_words_only(app)
