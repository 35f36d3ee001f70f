"""Snapshot tests (pytest-textual-snapshot): the side panel with the focus (its edge), the
claim detail box, the marks in 256 colours and in brief-mono, at 80x24 and at a wide size.
The SVGs live in tests/__snapshots__; after a deliberate change of the screen, run
``pytest tests/test_snapshots.py --snapshot-update`` and look at the new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter

from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.panel import ClaimList
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

if TYPE_CHECKING:
    from textual.color import Color
    from textual.pilot import Pilot

SMALL = (80, 24)
WIDE = (160, 45)
SIZES = pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "160x45"])


class AsOn256Colours(LineFilter):
    """Draws every colour as a 256-colour terminal shows it (the screenshot is truecolor;
    the app itself hands such a terminal the same styles and Textual reduces them)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out = []
        for text, style, control in segments:
            if style is not None and (style.color or style.bgcolor):
                fg = style.color.downgrade(ColorSystem.EIGHT_BIT) if style.color else None
                bg = style.bgcolor.downgrade(ColorSystem.EIGHT_BIT) if style.bgcolor else None
                style = style + Style.from_color(fg, bg)
            out.append(Segment(text, style, control))
        return out


def reader(**kwargs: object) -> BriefApp:
    return make_app(SAMPLE, **kwargs)


async def analysed(pilot: Pilot[object]) -> None:
    await wait_for_analysis(pilot.app, pilot)  # type: ignore[arg-type]


async def marks_on_screen(pilot: Pilot[object]) -> None:
    """The article showing each kind of mark: a claim jumped to (sentence and content), the
    search's matches and its current one, a selection."""
    app = pilot.app
    await analysed(pilot)
    view = app.query_one(ArticleView)
    view.focus()
    await pilot.press("c", "c")  # the second claim: its sentence and content marked
    app.reader.search("North Korea")  # type: ignore[attr-defined]
    await pilot.press("v", "w", "w")  # a selection being made from the match
    await pilot.pause()


@SIZES
def test_panel_with_focus(snap_compare, size: tuple[int, int]) -> None:
    async def focus_panel(pilot: Pilot[object]) -> None:
        await analysed(pilot)
        await pilot.press("tab", "j", "j")

    assert snap_compare(reader(), terminal_size=size, run_before=focus_panel)


@SIZES
def test_claim_detail(snap_compare, size: tuple[int, int]) -> None:
    async def claim_selected(pilot: Pilot[object]) -> None:
        await analysed(pilot)
        await pilot.press("tab", "right_square_bracket")
        listed = pilot.app.query_one("#claims", ClaimList)
        analysis = pilot.app.analysis  # type: ignore[attr-defined]
        # a claim with a chain, hedges and the longest sentence: the fullest detail
        claim = max(
            (c for c in analysis.claims if c.source and c.hedges and listed.holds(c.id)),
            key=lambda c: c.end - c.start,
        )
        listed.move_cursor(row=listed.get_row_index(claim.id))
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=size, run_before=claim_selected)


@SIZES
def test_marks_in_256_colours(
    snap_compare, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLORTERM", "")
    monkeypatch.setenv("TERM", "xterm-256color")
    app = reader()
    assert app.console.color_system == "256"
    app._filters.append(AsOn256Colours())
    assert snap_compare(app, terminal_size=size, run_before=marks_on_screen)


@SIZES
def test_marks_in_mono(snap_compare, size: tuple[int, int]) -> None:
    async def mono(pilot: Pilot[object]) -> None:
        await analysed(pilot)  # the reader on screen: it takes the theme's marks at once
        pilot.app.theme = "brief-mono"
        await pilot.pause()
        await marks_on_screen(pilot)

    assert snap_compare(reader(), terminal_size=size, run_before=mono)
