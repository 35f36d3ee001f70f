"""One cursor: the reading mark › is on screen and is where v, h and a act, however the
reader moved (the mouse wheel, the scroll bar, a click, a filter, a search, a resize)."""

from __future__ import annotations

from textual import events
from textual.scrollbar import ScrollTo

from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.host import ReadingFilter
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

WIDE = (160, 45)


def marked_rows(view: ArticleView) -> list[int]:
    """The rows of the view whose margin shows the reading mark."""
    rows = view.scrollable_content_region.height
    return [y for y in range(rows) if view.render_line(y).text.startswith("›")]


async def assert_one_here(app: BriefApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """The mark is on screen, on the cursor's line, and v and h start on that line."""
    view = app.query_one(ArticleView)
    top = int(view.scroll_offset.y)
    line = view.line_of(view.cursor)
    assert marked_rows(view) == [line - top], "the reading mark is not on screen"
    # h (no selection) acts on the sentence holding the cursor
    target = app.reader.annotator.targets.text(None)
    assert target is not None and target.start <= view.cursor <= max(target.end, target.start)
    # v starts on the marked line
    view.focus()
    await pilot.press("v")
    selection = app.reader.annotator.selection
    assert selection is not None
    assert view.line_of(selection[0]) == line, "v starts elsewhere than the mark"
    await pilot.press("escape")


async def wheel(app: BriefApp, pilot, view: ArticleView, down: int) -> None:  # type: ignore[no-untyped-def]
    """The mouse wheel over the article, as the terminal reports it."""
    region = view.region
    x, y = region.x + 10, region.y + 5
    kind = events.MouseScrollDown if down > 0 else events.MouseScrollUp
    for _ in range(abs(down)):
        app.post_message(kind(None, x, y, 0, 1, 0, False, False, False, screen_x=x, screen_y=y))
    await pilot.pause()
    await pilot.pause()


async def test_wheel_takes_the_cursor_along(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        await pilot.press("g", "right_curly_bracket", "right_curly_bracket")
        marked = view.current
        assert marked is not None
        await wheel(app, pilot, view, 12)
        assert view.scroll_offset.y > 0
        assert view.current is None  # the paragraph left behind is not what v takes
        await assert_one_here(app, pilot)
        # } goes on from here, not from the paragraph scrolled away from
        await pilot.press("right_curly_bracket")
        assert view.current is not None and view.current[0] > marked[0]
        assert view.line_of(view.current[0]) >= int(view.scroll_offset.y)
        await wheel(app, pilot, view, -30)
        await assert_one_here(app, pilot)


async def test_scroll_bar_takes_the_cursor_along(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        # what the scroll bar sends its widget when dragged
        view.post_message(ScrollTo(y=view.max_scroll_y // 2, animate=False))
        await pilot.pause()
        assert view.scroll_offset.y > 0
        await assert_one_here(app, pilot)


async def test_click_moves_the_cursor_and_drops_the_old_item(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert view.current is not None
        # a plain word a few lines down (no entity under it)
        text = view.text
        entities = [(e.start, e.end) for e in app.analysis.entities]
        row = 12
        start, end = view.lines[int(view.scroll_offset.y) + row]
        offset = next(
            i
            for i in range(start, end)
            if text[i].isalpha() and not any(s <= i < e for s, e in entities)
        )
        await pilot.click(ArticleView, offset=(3 + offset - start, row))
        assert view.cursor == offset
        assert view.current is None
        await assert_one_here(app, pilot)


async def test_click_on_a_mention_makes_that_mention_current(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        # a later mention of an actor mentioned several times, on screen
        actor = max(app.analysis.actors, key=lambda a: len(a.mentions))
        mentions = sorted(actor.mentions, key=lambda m: m.start)
        top, rows = int(view.scroll_offset.y), view.scrollable_content_region.height
        later = next(m for m in mentions[1:] if top <= view.line_of(m.start) < top + rows - 2)
        y = view.line_of(later.start) - top
        x = 3 + later.start - view.lines[view.line_of(later.start)][0]
        await pilot.click(ArticleView, offset=(x, y))
        assert view.current == (later.start, later.end)
        assert view.cursor == later.start
        await assert_one_here(app, pilot)


async def test_filter_brings_the_cursor_to_a_passage_it_keeps(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        claims = app.analysis.claims
        src = max(
            app.analysis.sources,
            key=lambda s: max((c.start for c in claims if c.source == s.id), default=0),
        )
        app.reader.set_filter(ReadingFilter("source", src.id, f"claims from {src.name}"))
        await pilot.pause()
        first = app.reader.reading.filter_spans(app.reader.reading_filter)[0]
        assert first[0] > 0
        assert view.cursor == first[0]
        await assert_one_here(app, pilot)


async def test_search_drops_a_kept_selection(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        await pilot.press("v", "w", "w", "v")
        assert app.reader.annotator.selection is not None
        count = app.reader.search("spy agency")
        await pilot.pause()
        assert count > 0
        # h acts where the match is, not on the selection left at the top
        assert app.reader.annotator.selection is None
        assert view.current is not None and view.cursor == view.current[0]
        await assert_one_here(app, pilot)


async def test_resize_keeps_the_cursor_on_screen(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        # a paragraph near the bottom of the wide view
        rows = view.scrollable_content_region.height
        target = next(p for p in reversed(view.paragraphs) if view.line_of(p[0]) < rows - 2)
        while view.current is None or view.current[0] != target[0]:
            await pilot.press("right_curly_bracket")
        assert view.scroll_offset.y == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        await assert_one_here(app, pilot)
        assert view.cursor == target[0]


async def test_scrolling_inside_a_long_item_leaves_it(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        # the longest paragraph, made the current item at the top of the view
        para = max(view.paragraphs, key=lambda p: view.line_of(p[1]) - view.line_of(p[0]))
        assert view.line_of(para[1]) - view.line_of(para[0]) >= 4
        while view.current != para:
            await pilot.press("right_curly_bracket")
        view.scroll_to(y=view.line_of(para[0]), animate=False, immediate=True)
        await pilot.press("j", "j", "j")  # the mark moves to a line inside the paragraph
        assert para[0] < view.cursor < para[1]
        await assert_one_here(app, pilot)


async def test_filter_goes_on_from_the_cursor(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        flt = ReadingFilter("hedged", None, "hedged sentences")
        kept = app.reader.reading.filter_spans(flt)
        assert len(kept) >= 3
        # the cursor between the second and the third passage kept
        view.go_to(kept[1][1])
        await pilot.pause()
        app.reader.set_filter(flt)
        await pilot.pause()
        assert view.cursor == next(s for s, _ in kept if s >= kept[1][1])
        await assert_one_here(app, pilot)
        # inside a passage kept: the cursor stays
        app.reader.set_filter(None)
        view.go_to(kept[0][0] + 1)
        await pilot.pause()
        app.reader.set_filter(flt)
        await pilot.pause()
        assert view.cursor == kept[0][0] + 1
