"""What a newcomer tripped on in the reader: a selection ended with v is kept for h, a note's
✎ stays beside a highlight's mark in the margin."""

from __future__ import annotations

from pathlib import Path

from brief_tui.library.store import Store
from brief_tui.ui.article import ArticleView, combine_marks
from brief_tui.ui.dialogs import HighlightPicker, NoteEditor
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, saves_done, wait_for_analysis

SIZE = (150, 42)


async def test_a_selection_ended_with_v_is_what_h_highlights(data_dir: Path, loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        app.query_one(ArticleView).focus()
        app.search("spy agency")
        await pilot.press("escape", "v", "w", "w", "v")
        assert app.reader.selection is not None
        kept = app.reader.selection
        assert "selection:" in app.reader.focus_label
        await pilot.press("h")
        assert isinstance(app.screen, HighlightPicker)
        await pilot.press("1")
        await saves_done(app, pilot)
        with Store.open(data_dir) as store:
            (a,) = store.annotations(app.briefing.id)
        assert (a.start, a.end) == kept
        assert a.exact.startswith("spy agency")
        assert app.reader.selection is None  # used, then dropped


async def test_a_kept_selection_goes_when_the_reader_moves(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        app.query_one(ArticleView).focus()
        app.search("spy agency")
        await pilot.press("escape", "v", "w", "v")
        assert app.reader.selection is not None
        await pilot.press("right_parenthesis")  # the next sentence
        assert app.reader.selection is None


def test_margin_marks_combine() -> None:
    assert combine_marks(["★", "✎"]) == "★✎"
    assert combine_marks(["★", "?", "✎"]) == "★✎"  # the note's mark is never the one cut
    assert combine_marks(["✎", "✎"]) == "✎"


async def test_note_mark_stays_beside_a_highlight(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.press("right_parenthesis", "right_parenthesis")
        await pilot.press("h", "1")
        await saves_done(app, pilot)
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"check")
        await pilot.press("ctrl+s")
        await saves_done(app, pilot)
        await pilot.pause()
        line = view.line_of(view.current[0] if view.current else view.cursor)
        gutter = view.render_line(line - int(view.scroll_offset.y)).text[:3]
        assert "★" in gutter and "✎" in gutter, gutter


async def test_a_date_given_once_is_remembered(tmp_path: Path, loaded_model) -> None:
    import dataclasses
    import datetime

    from brief_tui.briefing import load_briefing
    from brief_tui.ui.app import BriefApp

    path = tmp_path / "undated.txt"
    path.write_text("Talks resume\n\nThe minister said on Tuesday that talks would resume.\n")
    given = datetime.date(2016, 9, 17)
    first = BriefApp(dataclasses.replace(load_briefing(str(path)), date=given))
    async with first.run_test(size=SIZE) as pilot:
        await wait_for_analysis(first, pilot)
    again = BriefApp(load_briefing(str(path)))
    assert again.briefing.date is None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_analysis(again, pilot)
        assert again.briefing.date == given
        await pilot.press("left_square_bracket")  # the Timeline tab
        await pilot.pause(0.5)
        note = str(again.query_one("#timeline-note").render())
        assert "carries no date" not in note


async def test_reading_position_is_restored(data_dir: Path) -> None:
    first = make_app(SAMPLE, analyse=False)
    async with first.run_test(size=SIZE) as pilot:
        await wait_for_analysis(first, pilot)
        view = first.query_one(ArticleView)
        view.focus()
        await pilot.press(*["right_curly_bracket"] * 6)
        where = view.cursor
        assert where > 0
        await pilot.press("q")
    again = make_app(SAMPLE, analyse=False)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_analysis(again, pilot)
        await pilot.pause()
        view = again.query_one(ArticleView)
        assert view.cursor == where
        assert view.scroll_offset.y > 0 or view.line_of(where) < view.size.height


async def test_timeline_comes_from_the_analysis_dates(loaded_model) -> None:
    """With the analysis done, the Timeline lists spaCy's DATE mentions resolved against the
    briefing's date (the text-only scan is the fallback)."""
    import dataclasses
    import datetime

    from brief_tui.analysis.timeline import timeline
    from brief_tui.briefing import load_briefing
    from brief_tui.ui.app import BriefApp

    briefing = dataclasses.replace(load_briefing(SAMPLE), date=datetime.date(2024, 10, 29))
    app = BriefApp(briefing)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press(*["left_square_bracket"])  # the last tab: Timeline
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        table = app.query_one("#timeline")
        expected = timeline(app.analysis, briefing.date)
        assert expected and table.row_count == len(expected)
