"""The reader at 80x24: every tab's title can be seen when it is the one in view, a claim's
detail box, cut by the small panel, scrolls from the keyboard; a list's selected row is
readable in every theme."""

from __future__ import annotations

from rich.text import Text

from brief_tui.ui.panel import TABS, ActorList, ClaimList, Row
from brief_tui.ui.panel.side import CUT_LEFT, CUT_RIGHT, TabStrip
from brief_tui.ui.themes import THEME_NAMES
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

SMALL = (80, 24)


async def test_the_tab_in_view_is_always_on_the_strip() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        while not app.reader.panel().ready:
            await pilot.pause(0.05)
        strip = app.query_one(TabStrip)
        room = strip.content_region.width
        for _, title, _ in TABS:
            shown = str(strip.render())
            assert len(shown) <= room
            assert f" {title} " in f"{shown} ", f"{title} is not on the strip: {shown!r}"
            await pilot.press("right_square_bracket")
        # something is cut at this width, and the strip says so
        assert CUT_RIGHT in str(strip.render()) or CUT_LEFT in str(strip.render())
        # a click on a title still shows that tab
        await pilot.press("left_square_bracket")  # Timeline, the strip shifted
        shown = str(strip.render())
        x = shown.index("Across") + 1
        await pilot.click(TabStrip, offset=(strip.styles.padding.left + x, 0))
        assert app.reader.panel().active_tab == "tab-across"


async def test_claim_detail_scrolls_from_the_keyboard(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("tab", "right_square_bracket")
        listed = app.query_one("#claims", ClaimList)
        claim = max(
            (c for c in app.analysis.claims if listed.holds(c.id)), key=lambda c: c.end - c.start
        )
        listed.move_cursor(row=listed.get_row_index(claim.id))
        await pilot.pause()
        box = app.query_one("#claims-detail").parent
        assert box.max_scroll_y > 0  # the detail is cut at this size
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert box.scroll_offset.y > 0
        assert app.focused is listed  # the list keeps the focus: j/k still move rows
        await pilot.press("ctrl+d", "ctrl+d", "ctrl+d")
        await pilot.pause()
        assert box.scroll_offset.y == box.max_scroll_y
        await pilot.press("ctrl+u", "ctrl+u", "ctrl+u", "ctrl+u")
        await pilot.pause()
        assert box.scroll_offset.y == 0


async def test_selected_row_is_readable_in_every_theme() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SMALL) as pilot:
        while not app.reader.panel().ready:
            await pilot.pause(0.05)
        listed = app.query_one(ActorList)
        # a cell in a colour of its own (as a hedge is in the Claims list)
        cells = (Text("9"), Text("person"), Text("Someone", style="#c0a0ff"))
        listed.set_rows([Row("a", cells), Row("b", ())])
        for theme in THEME_NAMES:
            app.theme = theme
            for focused in (False, True):
                if focused:
                    listed.focus()
                else:
                    app.query_one("#article").focus()
                await pilot.pause()
                strip = listed.render_line(1)  # the cursor's row, under the header
                colours = set()
                for seg in strip:
                    if seg.text.strip():
                        fg, bg = seg.style.color, seg.style.bgcolor
                        assert fg is not None and bg is not None
                        assert fg.get_truecolor() != bg.get_truecolor(), (theme, focused)
                        colours.add((fg.get_truecolor(), bg.get_truecolor()))
                assert len(colours) == 1, (theme, focused, colours)  # the cursor's, all of it


async def test_status_line_keeps_what_the_reader_is_doing(loaded_model) -> None:
    from brief_tui.ui.bars import StatusLine
    from brief_tui.ui.host import ReadingFilter

    app = make_app(SAMPLE)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_analysis(app, pilot)
        status = app.query_one(StatusLine)
        room = status.content_region.width
        shown = str(status.render())
        assert shown.startswith(app.reader.briefing.title[:20])  # the title while it fits
        assert "analysis: done" in shown
        await pilot.press("v", "w", "w", "v")
        shown = str(status.render())
        assert len(shown) <= room
        assert "selection: " in shown and "analysis: done" in shown
        await pilot.press("escape")
        src = app.analysis.sources[0]
        app.reader.set_filter(ReadingFilter("source", src.id, f"claims from {src.name}"))
        await pilot.pause()
        assert f"filter: claims from {src.name}" in str(status.render())


async def test_status_line_measures_a_wide_title_in_cells(tmp_path) -> None:
    """A title in Chinese or Japanese takes two cells a character: it gives up its room by
    cells too, so what follows it stays on the line (counted in characters, the line ran
    past the terminal's edge and the analysis state was cut off)."""
    from rich.cells import cell_len

    from brief_tui.ui.bars import StatusLine

    title = "北朝鮮軍がクルスク州の前線に到着したと韓国の国家情報院が国会に報告した"
    path = tmp_path / "wide.txt"
    path.write_text(f"{title}\n\nThe envoy met officials in Seoul on Monday.\n", encoding="utf-8")
    app = make_app(path, analyse=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        status = app.query_one(StatusLine)
        shown = str(status.render())
        assert cell_len(shown) <= status.content_region.width
        assert shown.startswith(title[:4]) and "…" in shown
        assert shown.endswith("analysis: off")


async def test_sources_keep_room_for_their_names(loaded_model) -> None:
    """At 80x24 a source's name is in view, and a source citing another reads 'X via Y'
    (it read 'Xvia Y': the space was stripped with the words' edges)."""
    from brief_tui.ui.panel import LineList
    from tests.uihelpers import screen_text

    app = make_app(SAMPLE)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis is not None
        app.query_one("#tabs").active = "tab-sources"  # type: ignore[attr-defined]
        await pilot.pause()
        sources = app.query_one("#sources", LineList)
        shown = screen_text(app)
        top = sources.rows[0]
        assert top.cells[-1].plain[:14] in shown
        cites = [s for s in app.analysis.sources if s.via]
        assert cites
        for src in cites:
            assert f"{src.name} via " in sources.get_cell(src.id, "name").plain
