"""The library screen and the Across/Figures panes, driven with Pilot inside small test apps:
three opened briefings are listed, `/` finds one by a word of its body, `D` asks and removes,
enter dismisses with the briefing's id; the Across pane lists the other briefing sharing an
actor and enter asks to open it at the first mention."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label

from brief_tui.briefing import Briefing, briefing_from_text, load_briefing
from brief_tui.library.store import Store
from brief_tui.ui.dialogs import ConfirmDialog
from brief_tui.ui.library_screen import MORE, Choice, LibraryScreen
from brief_tui.ui.library_table import WindowTable
from brief_tui.ui.panel import AcrossPane, FiguresPane, LineList
from tests.test_library import A_TEXT, B_TEXT, C_TEXT, a_analysis, b_analysis, c_analysis
from tests.uihelpers import screen_text

FILES = {
    "kursk.txt": "Troops reach Kursk\n\nNorth Korean soldiers were seen near Sudzha on Monday.\n",
    "drones.md": "# Drone strikes\n\nA **swarm** of drones hit Kharkiv overnight, officials say.\n",
    "grain.txt": "Grain deal talks\n\nNegotiators met in Istanbul about Black Sea shipping.\n",
}


class LibraryApp(App[None]):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.results: list[Choice | None] = []

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.store), self.results.append)


async def settle(app: App[Any], pilot: Any) -> None:
    for _ in range(3):  # a page asked for while drawing is read by a worker of its own
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def opened(store: Store, tmp_path: Path) -> list[Briefing]:
    """Three briefings opened from files, in this order (so grain.txt was opened last)."""
    out = []
    for name, text in FILES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        b = load_briefing(path)
        store.add_briefing(b)
        out.append(b)
    return out


def table_ids(app: App[Any]) -> list[str]:
    """The ids of the rows of the table, in order, as far as they have been read."""
    table = app.screen.query_one("#library-table", WindowTable)
    rows = [table.row(i) for i in range(table.row_count)]
    return [str(r["id"]) for r in rows if r is not None]


def hit_ids(app: App[Any]) -> list[str]:
    hits = app.screen.query_one("#library-hits", LineList)
    return [k for i in range(hits.row_count) if (k := hits.row_key(i)) and k != MORE]


async def test_library_lists_every_opened_briefing(store: Store, opened: list[Briefing]) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table_ids(app) == [b.id for b in reversed(opened)]  # last opened first
        table = app.screen.query_one("#library-table", WindowTable)
        assert table.row(0) is not None and table.row(0)["title"] == "Grain deal talks"
        shown = screen_text(app)
        assert "Grain deal talks" in shown and "grain.txt" in shown  # title, source
        assert [c.label for c in table.columns] == [
            "Title",
            "Source",
            "Date",
            "Claims",
            "Notes",
            "Last opened",
        ]
        assert "3 briefings" in str(app.screen.query_one("#library-status", Label).content)
        await pilot.press("j", "enter")
        assert app.results == [Choice(opened[1].id)]  # enter dismisses with the chosen id


async def test_titles_keep_room_at_80_columns(store: Store, tmp_path: Path) -> None:
    """At 80 columns the Source column gives its room to the title (the title had 13 cells
    there, less than most headlines' first words); the date and counts stay."""
    title = "North Korean troops reach the Kursk front, officials in Seoul say"
    path = tmp_path / "long.txt"
    path.write_text(f"{title}\n\nSoldiers were seen near Sudzha.\n", encoding="utf-8")
    store.add_briefing(load_briefing(path))
    app = LibraryApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert "North Korean troops reach the Kursk" in shown
        assert "Source" not in shown and "long.txt" not in shown
        assert "Date" in shown and "Notes" in shown and "Last opened" in shown
        # the status line names the keys that fit, each whole
        status = str(app.screen.query_one("#library-status", Label).content)
        assert len(status) <= 78 and status.endswith(" · s sorts"), status


async def test_slash_searches_titles_and_texts(store: Store, opened: list[Briefing]) -> None:
    app = LibraryApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#library-search", Input)
        assert search.has_focus
        await pilot.press(*"sudzh")  # a word from the body only, as a prefix
        await settle(app, pilot)
        assert hit_ids(app) == [opened[0].id]
        await pilot.press("enter")  # to the hits, the search stays
        await settle(app, pilot)
        assert app.screen.query_one("#library-hits", LineList).has_focus
        assert hit_ids(app) == [opened[0].id]
        await pilot.press("escape")  # clears the search
        await settle(app, pilot)
        assert search.value == "" and len(table_ids(app)) == 3
        assert app.screen.query_one("#library-table", WindowTable).has_focus
        await pilot.press("slash", *"nothing-like-this")
        await settle(app, pilot)
        assert hit_ids(app) == []
        assert "No briefing matches" in str(app.screen.query_one("#library-empty").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(table_ids(app)) == 3 and app.results == []
        await pilot.press("escape")  # nothing to clear: closes
        await settle(app, pilot)
        assert app.results == [None]


async def test_remove_asks_and_removes(store: Store, opened: list[Briefing]) -> None:
    kursk = opened[0]
    store.add_annotation(kursk.id, "highlight", start=0, end=5)
    store.add_annotation(kursk.id, "note", start=6, end=10, note="check")
    app = LibraryApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")  # kursk.txt was opened first: the last row
        assert app.screen.query_one("#library-table", WindowTable).cursor_row == 2
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        shown = str(app.screen.query_one(Label).content)
        assert "its 2 annotations?" in shown and "Troops reach Kursk" in shown
        await pilot.press("n")  # no: nothing happens
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen) and len(table_ids(app)) == 3
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table_ids(app) == [opened[2].id, opened[1].id]
        assert store.get_briefing(kursk.id) is None and store.annotations(kursk.id) == []
        assert app.screen.query_one("#library-table", WindowTable).cursor_row == 1
        await pilot.press("q")
        assert app.results == [None]


async def test_library_bindings_have_ids_and_descriptions() -> None:
    for pane in (LibraryScreen, AcrossPane, FiguresPane):
        for b in pane.BINDINGS:
            assert isinstance(b, Binding) and b.id and b.description


# -- Across ------------------------------------------------------------------------------------
class AcrossApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[tuple[str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield AcrossPane(id="across")
        yield FiguresPane(id="figures")

    def on_across_pane_open(self, message: AcrossPane.Open) -> None:
        self.opened.append((message.briefing_id, message.offset))


@pytest.fixture
def shared(store: Store) -> list[Briefing]:
    """A, B and C, analysed: A and B share the NIS, the US and Russia; C shares Russia."""
    out = []
    for text, make, origin in (
        (A_TEXT, a_analysis, "a.txt"),
        (B_TEXT, b_analysis, "b.txt"),
        (C_TEXT, c_analysis, "c.txt"),
    ):
        b = briefing_from_text(text, origin)
        store.add_briefing(b)
        store.put_cached_analysis(make(b))
        out.append(b)
    return out


async def test_across_pane_lists_the_other_briefing(store: Store, shared: list[Briefing]) -> None:
    a, b, _ = shared
    app = AcrossApp()
    # as wide as the side panel of a 160-column reader
    async with app.run_test(size=(67, 40)) as pilot:
        pane = app.query_one(AcrossPane)
        pane.show_for(
            store,
            a.id,
            "actor",
            "National Intelligence Service",
            ["NIS", "the spy agency"],
            actor_kind="organisation",
        )
        await settle(app, pilot)
        table = pane.query_one(DataTable)
        assert [str(k.value) for k in table.rows] == [b.id]
        row = table.get_row_at(0)
        assert row[0].plain == "2" and row[1].plain == "1" and str(row[4]) == "NIS"
        # every column is on screen
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        assert "National Intelligence Service" in str(pane.header.content)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [(b.id, B_TEXT.index("NIS"))]
        # and back: from B, the NIS is in A
        pane.show_for(store, b.id, "source", "NIS", [])
        await settle(app, pilot)
        assert [str(k.value) for k in table.rows] == [a.id]
        pane.show_for(store, a.id, "actor", "Lee Seong-kweun", ["Lee"], actor_kind="person")
        await settle(app, pilot)
        assert table.row_count == 0
        assert "no other briefing" in str(pane.query_one(".across-hint", Label).content)


async def test_figures_pane_groups_one_origin(store: Store, shared: list[Briefing]) -> None:
    a, _, c = shared
    app = AcrossApp()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(FiguresPane)
        pane.show_for(store, a.id)
        await settle(app, pilot)
        table = pane.query_one(DataTable)
        cells = [
            [str(getattr(x, "plain", x)) for x in table.get_row_at(i)]
            for i in range(table.row_count)
        ]
        assert cells[0][0] == "troop" and "2 origins differ" in cells[0][1]
        assert len(cells) == 4  # the measure, then A and B (one origin), then C
        assert any("same origin" in r[0] for r in cells)
        assert any("Park Sun-won via NIS" in r[2] for r in cells)
        table.focus()
        table.move_cursor(row=cells.index(next(r for r in cells if "12,000" in r[1])))
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [(c.id, C_TEXT.index("12,000 troops"))]


async def test_library_and_across_keys_are_in_help_and_take_a_keymap(tmp_path: Path) -> None:
    """The library screen's keys and the Across tab's are listed in help (?) with their
    binding ids, and a keymap may rebind them (they were refused as unknown ids)."""
    from brief_tui.config import Config
    from brief_tui.ui.app import BriefApp
    from brief_tui.ui.help import binding_rows
    from tests.uihelpers import wait_for_analysis

    config = Config(keymap={"library.search": "ctrl+f", "across.open": "enter,o"})
    app = BriefApp(
        briefing_from_text("Talks\n\nThe envoy met officials.\n", "t.txt"),
        analyse=False,
        data_dir=tmp_path / "data",
        config=config,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_analysis(app, pilot)
        assert not [n.message for n in app._notifications if "keymap" in n.message]
        rows = {(section, bid) for section, _, _, bid in binding_rows(app.all_bindings())}
        for bid in ("library.search", "library.filter", "library.sort", "library.open_hit"):
            assert ("Library (L)", bid) in rows
        assert ("Across tab", "across.open") in rows
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+f")
        assert app.screen.query_one("#library-search", Input).has_focus
