"""The side panel's lists are drawn line by line (panel/lines.py) and its tabs are made when
first shown: what the lists draw, their keys, their cursor, and text from documents drawn as
text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult

from brief_tui.ui.panel import (
    AcrossTab,
    ActorList,
    ClaimList,
    Column,
    LineList,
    NotesList,
    PanelList,
    Row,
    SidePanel,
    SourceList,
    TimelineTab,
)
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, screen_text, wait_for_analysis


class Table(LineList):
    kind = "thing"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("count", "#", "right"),
        Column("name", "Name"),
    )


class Wrapped(LineList):
    kind = "para"


class Harness(App[None]):
    def __init__(self, widget: LineList) -> None:
        super().__init__()
        self.widget = widget
        self.chosen: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_panel_list_chosen(self, message: PanelList.Chosen) -> None:
        self.chosen.append((message.kind, message.key))


def drawn(widget: LineList) -> list[str]:
    return [
        "".join(seg.text for seg in widget.render_line(y))
        for y in range(widget.scrollable_content_region.height)
    ]


async def test_a_table_list_draws_its_rows_and_moves_with_the_keys() -> None:
    table = Table(id="t")
    table.set_rows([Row(f"k{i}", (Text(str(i)), Text(f"name {i}"))) for i in range(200)])
    app = Harness(table)
    async with app.run_test(size=(40, 12)) as pilot:
        table.focus()
        await pilot.pause()
        lines = drawn(table)
        assert lines[0].startswith("  # Name")  # the header, the count right-aligned
        assert lines[1].startswith("  0 name 0")
        assert table.row_count == 200 and table.cursor_row == 0
        await pilot.press("j", "j", "k")
        assert table.selected_key() == "k1"
        await pilot.press("G")
        assert table.cursor_row == 199
        # the cursor's row is on screen: the view scrolled to it
        assert any("name 199" in line for line in drawn(table))
        await pilot.press("g", "pagedown")
        assert 5 <= table.cursor_row <= 11
        await pilot.press("enter")
        assert app.chosen == [("thing", table.selected_key())]
        # a click chooses the row under it
        await pilot.press("g")
        await pilot.click(Table, offset=(3, 3))
        assert app.chosen[-1] == ("thing", "k2")
        assert table.get_cell("k7", "name").plain == "name 7"
        assert table.get_row_index("k42") == 42


async def test_documents_words_are_drawn_as_text_never_markup_or_controls() -> None:
    hostile = [
        "[bold red]not markup[/]",
        "[@click=app.quit]click me[/]",
        "osc52 \x1b]52;c;aGVsbG8=\x07 end",
        "bidi \u202eevil\u202c and C1 \x9b31m",
        "line\nbreak",
    ]
    table = Table(id="t")
    table.set_rows([Row(str(i), (Text(str(i)), Text(h))) for i, h in enumerate(hostile)])
    app = Harness(table)
    async with app.run_test(size=(70, 10)) as pilot:
        await pilot.pause()
        lines = drawn(table)
        shown = "\n".join(lines)
        assert "[bold red]not markup[/]" in shown
        assert "[@click=app.quit]click me[/]" in shown
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
            assert bad not in shown
        assert any(line.rstrip().endswith("line break") for line in lines)
        assert app.is_running  # the click action was never run


async def test_wrapped_rows_skip_headings_and_keep_the_cursor_in_view() -> None:
    text = " ".join(f"word{i}" for i in range(60))
    rows = [Row(None, (Text("A heading", style="dim"),))]
    rows += [Row(f"p{i}", (Text(f"head {i}"), Text(text)), gap=i > 0) for i in range(30)]
    widget = Wrapped(id="w")
    widget.set_rows(rows)
    app = Harness(widget)
    async with app.run_test(size=(40, 15)) as pilot:
        widget.focus()
        await pilot.pause()
        assert widget.selected_key() == "p0"  # the heading cannot be chosen
        lines = drawn(widget)
        assert lines[0].startswith("A heading")
        assert lines[1].startswith("head 0")
        assert lines[2].startswith("word0 word1")
        assert all(len(line.rstrip()) <= widget.scrollable_content_region.width for line in lines)
        await pilot.press("k")  # nothing above but the heading: stays
        assert widget.selected_key() == "p0"
        for _ in range(10):
            await pilot.press("j")
        assert widget.selected_key() == "p10"
        assert any(line.startswith("head 10") for line in drawn(widget))
        assert "word59" in widget.row_text(widget.get_row_index("p10"))


async def test_only_the_tab_in_view_is_made_the_others_when_shown(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.query(ActorList)
        for made_later in (ClaimList, SourceList, NotesList, AcrossTab, TimelineTab):
            assert not app.query(made_later), made_later
        for tab, kind in (
            ("tab-claims", ClaimList),
            ("tab-sources", SourceList),
            ("tab-notes", NotesList),
            ("tab-across", AcrossTab),
            ("tab-timeline", TimelineTab),
        ):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert app.query_one("#tabs").active == tab
            assert len(app.query(kind)) == 1, tab
        # made once: shown again, the same widgets
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert len(app.query(ActorList)) == 1
        claims = app.query_one(ClaimList)
        # a claim's row: its source and cue, then what is claimed
        miller = next(
            c
            for c in app.analysis.claims
            if (s := app.analysis.source(c.source)) and s.name == "Matthew Miller"
        )
        assert claims.row_text(claims.get_row_index(miller.id)).startswith("Matthew Miller")
        assert "Actors" in screen_text(app)
        # a click on a title shows its tab (" Actors " and " Claims " come first)
        from brief_tui.ui.panel.side import TabStrip

        await pilot.click(TabStrip, offset=(1 + 8 + 8 + 3, 0))
        await pilot.pause()
        assert app.query_one("#tabs").active == "tab-sources"
        panel = app.query_one(SidePanel)
        assert app.query_one(SourceList).display
        assert not panel.tab_widget("tab-claims").display  # the Claims list and its detail


class Wide(LineList):
    kind = "note"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("mark", "Mark"),
        Column("author", "By"),
        Column("where", "Where"),
        Column("note", "Note"),
    )


async def test_the_last_column_keeps_room_in_a_narrow_list() -> None:
    """A team library's long analyst names and grade spreads fill the first columns: in a
    panel 36 cells wide they are cut (with an ellipsis) so the note keeps 16 cells (it was
    pushed off the list)."""
    table = Wide(id="t")
    author, where = "bob.longname@desk.example.org", "North Korean troops in Russia"
    table.set_rows([Row("k", (Text("? doubt"), Text(author), Text(where), Text("Check the NIS")))])
    app = Harness(table)
    async with app.run_test(size=(36, 6)) as pilot:
        await pilot.pause()
        line = next(x for x in drawn(table) if "bob" in x)
        assert "Check the NIS" in line and "…" in line
