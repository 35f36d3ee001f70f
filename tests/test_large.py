"""Big briefings: the line-rendered article view at 300k words and with a 2 MB line, wrapping
that keeps every word and every column (wide characters, combining marks), and progressive
analysis that ends where a one-shot run ends. Functional checks only: the timings are in
tests/benchmarks/bench_perf.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from brief_tui.ui.article import FIRST_SCREEN_FROM, GUTTER, ArticleView
from brief_tui.ui.screens.reader import ReaderScreen
from tests.bigtext import write_text
from tests.uihelpers import make_app, screen_text, wait_for_analysis


def words_of(view: ArticleView, lines: list[tuple[int, int]]) -> list[str]:
    return " ".join(view.text[s:e] for s, e in lines).split()


def check_wrapping(view: ArticleView, *, words: bool = True) -> None:
    """Every word of the text once, in order (every character, where words without spaces
    were broken hard); no line wider than the text column."""
    lines = view.lines
    if words:
        assert words_of(view, lines) == view.text.split()
    assert "".join(words_of(view, lines)) == "".join(view.text.split())
    width = view.text_width
    assert all(cell_len(view.text[s:e]) <= width for s, e in lines)


def check_visible(view: ArticleView, *, words: bool = True) -> None:
    """The lines on screen, joined, are exactly the words of the text they cover."""
    y0 = int(view.scroll_offset.y)
    shown = view.lines[y0 : y0 + view.scrollable_content_region.height]
    first = next(s for s, e in shown if e > s)
    last = max(e for _, e in shown)
    joined = " ".join(view.visible_lines()).split()
    covered = view.text[first:last].split()
    if words:
        assert joined == covered
    assert "".join(joined) == "".join(covered)


def columns(strip) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """(column, text) of each segment of a rendered strip."""
    out = []
    col = 0
    for seg in strip:
        out.append((col, seg.text))
        col += cell_len(seg.text)
    return out


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_text(tmp_path_factory.mktemp("big"), 300_000)


async def test_300k_words_open_and_G_shows_the_last_line(big_file: Path) -> None:
    app = make_app(big_file, analyse=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        text = app.briefing.text
        assert len(text.split()) >= 300_000
        assert view.visible_lines()[0].startswith("Consolidated briefing 1: Seoul warns")
        assert len(view.lines) > 10_000
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y > 0
        last = view.visible_lines()[-1]
        assert last and text.rstrip().endswith(last)
        # and it is what the terminal shows, above the status line and footer
        assert last in screen_text(app)
        assert "100%" in str(app.query_one("#status").render())
        check_visible(view)
        # back to the top, and a page down: the last line of a page is the next one's first
        await pilot.press("g", "space")
        assert view.scroll_offset.y == view.scrollable_content_region.height - 1
        check_visible(view)


class _FirstFrame(ArticleView):
    """The article view, noting what its first frame was drawn from (its first line drawn),
    and optionally asking there where the text's last character is."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]], *, ask: bool) -> None:
        super().__init__(text, paragraphs)
        self.ask = ask
        self.first_height = 0
        self.first_drawn = ""
        self.last_line = -1

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not self.first_height:
            self.first_height = self.virtual_size.height
            self.first_drawn = strip.text[GUTTER:].rstrip()
            if self.ask:
                self.last_line = self.line_of(len(self.text) - 1)
        return strip


class _ArticleApp(App[None]):
    def __init__(self, view: ArticleView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


async def test_a_long_text_is_drawn_from_its_first_screens_then_wrapped_whole(
    big_file: Path,
) -> None:
    """The first frame of a long text needs only its first screens wrapped (FIRST_SCREEN_FROM):
    it is drawn with the scroll bar's size estimated from them; the rest is wrapped just
    after that frame without being asked, or as soon as something asks where a later word
    is, and it ends the same as one whole wrap."""
    from brief_tui.briefing import load_briefing

    briefing = load_briefing(big_file)
    assert len(briefing.text) > FIRST_SCREEN_FROM
    view = _FirstFrame(briefing.text, list(briefing.paragraphs), ask=False)
    async with _ArticleApp(view).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        whole = list(view.lines)
        assert view.virtual_size.height == len(whole)  # wrapped whole after the first frame
        # the first frame: the first line, and a height estimated near the whole's
        assert view.first_drawn == briefing.text[slice(*whole[0])].rstrip()
        assert view.first_height != len(whole)
        assert abs(view.first_height - len(whole)) < len(whole) // 10
        await pilot.press("G")
        last = view.visible_lines()[-1]
        assert last and view.text.rstrip().endswith(last)

    asking = _FirstFrame(briefing.text, list(briefing.paragraphs), ask=True)
    async with _ArticleApp(asking).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # asked while the first frame was drawn: wrapped whole there, the same lines
        assert asking.last_line == len(whole) - 1
        assert asking.lines == whole


async def test_resize_rewraps_every_word_once_and_keeps_the_top(tmp_path: Path) -> None:
    path = write_text(tmp_path, 30_000, seed=7)
    app = make_app(path, analyse=False)
    async with app.run_test(size=(150, 40)) as pilot:
        view = app.query_one(ArticleView)
        # read a little way in: the text at the top must stay at the top across resizes
        await pilot.pause()
        for _ in range(40):
            view.action_page(1)
        await pilot.press("j", "j", "j")
        for width, height in ((150, 40), (61, 30), (97, 45), (80, 20), (170, 50)):
            top = view.top_offset()
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert view.text_width == view.scrollable_content_region.width - GUTTER - 1
            check_wrapping(view)
            check_visible(view)
            s, e = view.lines[int(view.scroll_offset.y)]
            assert s <= top <= max(e, s), (width, top, s, e)
        # the strips drawn fill the view exactly at the final width
        w = view.scrollable_content_region.width
        for y in range(view.scrollable_content_region.height):
            assert view.render_line(y).cell_length == w


WIDE = (
    "北朝鮮の兵士がロシアへ派遣された 😀 and 서울 said: “troops 🚀 moved” — "
    "café naïve résumé (e\u0301 with combining acute) Zoë Ångström "
    "👩\u200d💻 engineers ❤\ufe0f ΑΒΓ Кириллица "
    "中文字符中文字符中文字符中文字符中文字符中文字符 end."
)


async def test_wide_characters_and_combining_marks_keep_their_columns(tmp_path: Path) -> None:
    text = "Wide and combined\n" + "\n".join(f"{i}: {WIDE} MARK{i} tail" for i in range(40)) + "\n"
    path = tmp_path / "wide.txt"
    path.write_text(text, encoding="utf-8")
    app = make_app(path, analyse=False)
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        check_wrapping(view, words=False)
        check_visible(view, words=False)
        for s, e in view.lines:
            if e > s:
                # a line never starts with a mark that belongs to the previous character
                assert cell_len(view.text[s]) > 0, (s, view.text[s : s + 5])
        # style one word after wide characters: the styled segment is exactly that word
        off = view.text.index("MARK3")
        view.set_layer("search", [(off, off + 5, Style(bgcolor="red"))])
        view.scroll_to_offset(off)
        await pilot.pause()
        region_w = view.scrollable_content_region.width
        y = view.line_of(off) - int(view.scroll_offset.y)
        strip = view.render_line(y)
        assert strip.cell_length == region_w
        line_start = view.lines[view.line_of(off)][0]
        cols = columns(strip)
        hit = [(c, t) for c, t in cols if t == "MARK3"]
        assert hit, cols
        assert hit[0][0] == GUTTER + cell_len(view.text[line_start:off])
        assert next(seg.style for seg in strip if seg.text == "MARK3").bgcolor.name == "red"
        # every row of the terminal is exactly as wide as the terminal: no wide character
        # pushed a line out or pulled it in
        for row in screen_text(app).split("\n"):
            assert cell_len(row) == 70, row
        # combining marks are drawn with their letters
        e_acute = view.text.index("e\u0301 with")
        view.scroll_to_offset(e_acute)
        await pilot.pause()
        y = view.line_of(e_acute) - int(view.scroll_offset.y)
        assert 0 <= y < view.scrollable_content_region.height
        drawn = "".join(seg.text for seg in view.render_line(y))
        assert "e\u0301 with" in drawn


async def test_a_2mb_line_without_newlines_opens(tmp_path: Path) -> None:
    unit = "Officials said the “estimate” of 12,000 troops — 北朝鮮 — was revised again 😀 today. "
    text = (unit * (2_000_000 // len(unit) + 1))[:2_000_000].rstrip() + " THE-END"
    path = tmp_path / "one-line.txt"
    path.write_bytes(text.encode("utf-8"))
    assert b"\n" not in path.read_bytes()
    app = make_app(path, analyse=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert len(app.briefing.paragraphs) == 1
        assert view.visible_lines()[0].startswith("Officials said the “estimate”")
        assert len(view.lines) > 20_000
        await pilot.press("G")
        await pilot.pause()
        assert view.visible_lines()[-1].endswith("THE-END")
        check_visible(view)
        await pilot.press("g", "space", "space")
        check_visible(view, words=False)
        check_wrapping(view, words=False)


async def test_progressive_updates_end_with_the_one_shot_analysis(
    loaded_model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brief_tui.analysis import analyze
    from brief_tui.analysis.child import AnalysisProcess

    text_path = write_text(tmp_path, 12_000, seed=3)
    app = make_app(text_path)
    one_shot = analyze(
        app.briefing.text,
        title=app.briefing.title,
        briefing_id=app.briefing.id,
        model=loaded_model,
        batch_chars=10**9,
    )
    # the analysis process works in small batches and reports after each, so that several
    # partial results reach the view
    monkeypatch.setattr(AnalysisProcess, "BATCH_CHARS", 12_000)
    monkeypatch.setattr(AnalysisProcess, "PROGRESS_INTERVAL", 0)
    fractions: list[float] = []
    progress, ready = ReaderScreen.on_analysis_progress, ReaderScreen.on_analysis_ready

    def on_progress(screen, message):  # type: ignore[no-untyped-def]
        if message.analysis is not None:
            fractions.append(message.fraction)
        progress(screen, message)

    def on_ready(screen, message):  # type: ignore[no-untyped-def]
        fractions.append(1.0)
        ready(screen, message)

    # the screen's handlers of the session's messages, as they arrive
    monkeypatch.setattr(ReaderScreen, "on_analysis_progress", on_progress)
    monkeypatch.setattr(ReaderScreen, "on_analysis_ready", on_ready)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis_state == "done"
        partial = [f for f in fractions if f < 1.0]
        assert len(partial) >= 3, fractions
        assert partial == sorted(partial) and fractions[-1] == 1.0
        assert app.analysis is not None
        assert app.analysis.to_json() == one_shot.to_json()
        view = app.query_one(ArticleView)
        assert view.layer_spans("entities") == sorted((e.start, e.end) for e in one_shot.entities)
        assert len(app.query_one("#actors").rows) == len(one_shot.actors)


async def test_entities_are_laid_around_the_screen_first_then_everywhere(tmp_path: Path) -> None:
    """A long analysis's entities: those around the screen are laid at once, the rest after
    the next frame, or as soon as a line beyond is drawn or a jump needs them. Wherever the
    reader goes, every entity is drawn, and the jumps count them all."""
    import re

    path = write_text(tmp_path, 30_000, seed=5)
    app = make_app(path, analyse=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        text = view.text
        spans = [(m.start(), m.end(), "PERSON") for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)]
        assert len(spans) > 1000 and spans[-1][0] > len(text) * 0.9
        mark = Style(bgcolor="#ff0000")

        def marked(y: int) -> list[str]:
            """The entity-marked text of the view's line ``y`` as drawn now."""
            strip = view.render_line(y)
            return [seg.text for seg in strip if seg.style and seg.style.bgcolor == mark.bgcolor]

        def expected(y: int) -> list[str]:
            s, e = view.lines[int(view.scroll_offset.y) + y]
            return [text[a:b] for a, b, _ in spans if a >= s and b <= e]

        view.set_entities(spans, {"PERSON": mark})
        # no frame yet: a line on screen, then one near the end (scrolled to at once)
        first = next(y for y in range(30) if expected(y))
        assert marked(first) == expected(first)
        view.scroll_to(y=len(view.lines) - 60, animate=False, immediate=True)
        far = next(y for y in range(30) if expected(y))
        assert marked(far) == expected(far)
        # a jump, with no frame in between since set_entities: counts every entity
        view.set_entities(spans, {"PERSON": mark})
        view.action_top()
        view.action_entity(1)
        assert view.current == spans[0][:2]
        await pilot.press("e")
        assert view.current == spans[1][:2]
        assert f"entity 2/{len(spans)}" in str(app.query_one("#status").render())
        assert view.layer_spans("entities") == [(a, b) for a, b, _ in spans]
