"""The library and the Across view inside the reader."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from brief_tui.briefing import load_briefing
from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.library_screen import LibraryScreen
from brief_tui.ui.library_table import WindowTable
from brief_tui.ui.panel import AcrossPane, LineList
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

SIZE = (150, 42)

OTHER = (
    "NATO chief warns of deeper Russian ties\n"
    "NATO Secretary General Mark Rutte said on Monday that the alliance was watching closely, "
    "according to a statement from his office.\n"
    "Rutte added that the deployment of troops was a serious escalation.\n"
)


async def open_and_close(path: Path, **kw: object) -> None:
    app = make_app(path, **kw)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)


async def test_no_path_opens_the_library_when_it_holds_more_than_the_sample(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("Convoy reports\nThe convoy left at dawn, officials said.\n", encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text("# Harbour notes\n\nThe harbour was closed on Friday.\n", encoding="utf-8")
    await open_and_close(first, analyse=False)
    await open_and_close(second, analyse=False)

    app = BriefApp(load_briefing(SAMPLE), analyse=False, open_library=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.query_one(WindowTable)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3  # the two opened, and the sample, always there
        titles = [str((table.row(r) or {}).get("title")) for r in range(table.row_count)]
        assert any("Harbour notes" in t for t in titles)
        row = next(r for r, t in enumerate(titles) if "Harbour notes" in t)
        table.move_cursor(row)
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        assert not isinstance(app.screen, LibraryScreen)
        assert app.briefing.title == "Harbour notes"
        assert "The harbour was closed on Friday." in " ".join(
            app.query_one(ArticleView).visible_lines()
        )
        # L opens it again from the reader
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_the_library_opened_first_is_the_first_frame_with_its_rows(tmp_path: Path) -> None:
    """With no path and a library holding more than the sample, the first frame drawn is
    the library with its rows: the sample's reader is not drawn first (it waited for the
    store, opened by a worker after the reader's first frame)."""
    for name in ("one", "two"):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"Report {name}\nThe {name} convoy left, officials said.\n", "utf-8")
        await open_and_close(path, analyse=False)
    app = BriefApp(load_briefing(SAMPLE), analyse=False, open_library=True)
    frames: list[tuple[str, int]] = []
    display = app._display  # (where Textual hands each frame to the terminal)

    def drawn(screen: object, renderable: object) -> None:
        if renderable is not None:
            rows = (
                screen.query_one(WindowTable).row_count if isinstance(screen, LibraryScreen) else -1
            )
            frames.append((type(screen).__name__, rows))
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = drawn  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert frames and frames[0] == ("LibraryScreen", 3), frames[:3]
        assert all(name == "LibraryScreen" for name, _ in frames), frames
        await pilot.press("escape")  # the sample's reader is beneath
        await pilot.pause()
        assert app.query_one(ArticleView).visible_lines()[0].startswith("Seoul warns")


async def test_a_lone_sample_opens_the_reader(tmp_path: Path) -> None:
    app = BriefApp(load_briefing(SAMPLE), analyse=False, open_library=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        assert not isinstance(app.screen, LibraryScreen)
        assert app.query_one(ArticleView).visible_lines()[0].startswith("Seoul warns")


async def test_across_lists_the_other_briefing_and_opens_it_at_the_mention(
    tmp_path: Path, loaded_model
) -> None:
    other = tmp_path / "nato.txt"
    other.write_text(OTHER, encoding="utf-8")
    await open_and_close(other)  # analysed and cached

    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        rutte = next(a for a in app.analysis.actors if a.name == "Mark Rutte")
        app.reader.jump_to_actor(rutte.id)
        app.query_one("#tabs").active = "tab-across"
        await pilot.pause()  # the tab's widgets are made when it is first shown
        pane = app.query_one(AcrossPane)
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        table = pane.query_one(DataTable)
        assert table.row_count == 1
        assert "NATO chief warns" in str(table.get_row_at(0)[3])
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        assert app.briefing.title == "NATO chief warns of deeper Russian ties"
        view = app.query_one(ArticleView)
        assert view.cursor == OTHER.index("Mark Rutte")
        assert app.query_one("#actors", LineList).row_count > 0


async def test_a_search_hit_opens_its_briefing_at_the_match(tmp_path: Path) -> None:
    """L, / and a word, enter on the hit: the reader shows that briefing with its cursor on
    the match (not at the top, nor where it was last read)."""
    long = tmp_path / "long.txt"
    filler = "\n\n".join(f"Paragraph {i} holds nothing of note today." for i in range(120))
    long.write_text(f"Harbour log\n\n{filler}\n\nThe frigate Zhukov left port.\n", "utf-8")
    here = tmp_path / "here.txt"
    here.write_text("Convoy reports\nThe convoy left at dawn.\n", encoding="utf-8")
    await open_and_close(long, analyse=False)
    app = make_app(here, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("slash", *"zhukov", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_analysis(app, pilot)
        await pilot.pause()
        assert app.briefing.title == "Harbour log"
        article = app.query_one(ArticleView)
        at = app.briefing.text.index("Zhukov")
        assert article.cursor == at
        assert any("frigate Zhukov" in line for line in article.visible_lines())
