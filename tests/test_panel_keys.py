"""The side panel by keyboard: one tab press from the article to the list, tabs switched
from anywhere with [ and ], the focus plain to see."""

from __future__ import annotations

from brief_tui.ui.article import ArticleView
from brief_tui.ui.panel import SidePanel
from brief_tui.ui.panel.side import PanelTabs
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis


async def test_tab_reaches_the_list_and_brackets_change_tabs(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for_analysis(app, pilot)
        tabs = app.query_one("#tabs", PanelTabs)
        assert isinstance(app.focused, ArticleView)
        # from the article, ] changes the tab and leaves the focus on the text
        await pilot.press("right_square_bracket")
        assert tabs.active == "tab-claims"
        assert isinstance(app.focused, ArticleView)
        await pilot.press("left_square_bracket")
        assert tabs.active == "tab-actors"
        # one tab press: the list itself, where j/k move rows
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "actors"
        before = app.focused.cursor_row
        await pilot.press("j")
        assert app.focused.cursor_row == before + 1
        # in the panel, ] goes to the next tab's list
        await pilot.press("right_square_bracket")
        assert tabs.active == "tab-claims"
        assert app.focused is not None and app.focused.id == "claims"
        # around the end
        await pilot.press(*["left_square_bracket"] * 2)
        assert tabs.active == "tab-timeline"
        # the panel shows that it has the focus
        panel = app.query_one(SidePanel)
        assert panel.has_pseudo_class("focus-within")
        focused_border = panel.styles.border_left
        await pilot.press("shift+tab")
        assert isinstance(app.focused, ArticleView)
        await pilot.pause()
        assert panel.styles.border_left != focused_border


async def test_help_and_palette_name_the_tab_keys() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        ids = {b.id for _, bindings in app.all_bindings() for b in bindings}
        assert {"panel.next_tab", "panel.prev_tab"} <= ids


async def test_summary_line_fits_a_small_terminal(loaded_model) -> None:
    """At 80x24 the state line has two lines: the short summary, whole, not a cut one."""
    from tests.uihelpers import screen_text

    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.pause()
        state = str(app.query_one("#state").render())
        assert state.startswith(f"{len(app.analysis.actors)} actors")
        assert state.endswith(f"{len(app.analysis.sources)} sources")
        label = app.query_one("#state")
        assert len(label.render_lines(label.content_region)) <= 2  # all of it shown
        assert f"{len(app.analysis.sources)} sources" in screen_text(app)


async def test_notifications_do_not_pile_up() -> None:
    from brief_tui.ui.app import MAX_TOASTS

    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=(120, 30)) as pilot:
        for i in range(6):
            app.notify(f"message {i}")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert shown == [f"message {i}" for i in range(6 - MAX_TOASTS, 6)]
