"""Helpers for driving the reader in tests."""

from __future__ import annotations

import time
from pathlib import Path

from rich.style import Style

from brief_tui.briefing import load_briefing
from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.panel import SidePanel


def make_app(path: Path | str, **kwargs: object) -> BriefApp:
    return BriefApp(load_briefing(path), **kwargs)  # type: ignore[arg-type]


#: analysis states after which nothing more comes
FINAL_STATES = ("done", "failed", "no model", "off", "empty")


async def wait_for_analysis(app: BriefApp, pilot: object, timeout: float = 120.0) -> None:
    """Until the analysis has ended (done, failed, no model...) and its worker finished
    (the store and the analysis start after the first frame and the panel's tabs)."""
    deadline = time.monotonic() + timeout
    while (
        app.analysis_state not in FINAL_STATES
        or app.store is None
        or not app.reader.loaded  # the store and the analysis not started yet
    ) and time.monotonic() < deadline:
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    # the panel's tabs are mounted just after the first frame (the one in view drawn then)
    panels = app.query(SidePanel)
    while (
        app.analysis_state == "done"
        and panels
        and not panels.first().lists_filled
        and time.monotonic() < deadline
    ):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def rendered_line_at(view: ArticleView, offset: int) -> list[tuple[str, Style | None]]:
    """Bring ``offset`` on screen and return the segments drawn for its line, as the
    terminal receives them."""
    view.scroll_to_offset(offset)
    line = view.line_of(offset)
    y = line - int(view.scroll_offset.y)
    assert 0 <= y < view.scrollable_content_region.height, "line not on screen"
    strip = view.render_line(y)
    return [(seg.text, seg.style) for seg in strip]


def style_of_text(view: ArticleView, offset: int, text: str) -> Style:
    """The style the words ``text`` at ``offset`` are drawn with (they must be in one segment
    or consecutive segments of the same style)."""
    segments = rendered_line_at(view, offset)
    line_start, line_end = view.lines[view.line_of(offset)]
    # words wrapped onto the next line are checked on this line's part only
    text = text[: max(1, line_end - offset)]
    # walk the segments by character position (gutter first)
    chars = [(ch, style) for seg_text, style in segments for ch in seg_text]
    from brief_tui.ui.article import GUTTER

    start_in_line = offset - line_start + GUTTER
    drawn_chars = chars[start_in_line : start_in_line + len(text)]
    styles = [style for _, style in drawn_chars]
    drawn = "".join(ch for ch, _ in drawn_chars)
    assert drawn == text, f"expected {text!r} on screen, found {drawn!r}"
    assert all(s == styles[0] for s in styles), f"{text!r} is drawn in several styles"
    assert styles[0] is not None
    return styles[0]


def screen_text(app: BriefApp) -> str:
    """Everything on the terminal right now, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def saves_done(app: BriefApp, pilot: object, timeout: float = 30.0) -> None:
    """Until every annotation save started so far has ended and its outcome is shown (saves
    run in a worker and post their outcome back)."""
    deadline = time.monotonic() + timeout
    while app.reader.annotator.pending_saves and time.monotonic() < deadline:
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
