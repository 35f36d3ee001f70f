"""Palette, configuration and keymap, themes and NO_COLOR, copy, mouse, reading filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.command import CommandPalette

from brief_tui.config import EXAMPLE, load_config
from brief_tui.ui.article import GUTTER, ArticleView
from brief_tui.ui.help import HelpScreen
from brief_tui.ui.reading import ChoiceScreen, ReadingFilter, claim_citation
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, screen_text, style_of_text, wait_for_analysis

SIZE = (150, 42)


def write_config(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("BRIEF_TUI_CONFIG", str(path))
    return path


async def test_palette_lists_and_runs_an_action(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"jump to actor: vladimir")
        await pilot.pause(0.5)
        shown = screen_text(app)
        assert "Jump to actor: Vladimir Putin" in shown
        await pilot.press("enter")
        await pilot.pause()
        view = app.query_one(ArticleView)
        putin = next(a for a in app.analysis.actors if a.name == "Vladimir Putin")
        assert view.layer_spans("focus") == sorted((m.start, m.end) for m in putin.mentions)
        # an action by name, with its key shown beside it
        await pilot.press("ctrl+p")
        await pilot.press(*"next entity")
        await pilot.pause(0.5)
        assert "key: e" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        first_after = min(
            (e.start, e.end) for e in app.analysis.entities if e.start > putin.mentions[0].start
        )
        assert view.current == first_after


async def test_config_remaps_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(
        tmp_path,
        'theme = "brief-light"\n[keymap]\n"article.next_entity" = "ctrl+n"\n"app.help" = "f1"\n',
        monkeypatch,
    )
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "brief-light"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(*["j"] * 12)  # down to the article's keys
        assert "ctrl+n" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)  # the old key no longer opens help
        # entity jumps need entities: give the view some by hand
        view = app.query_one(ArticleView)
        start = app.briefing.text.index("Mark Rutte")
        view.set_entities([(start, start + 10, "PERSON")], {"PERSON": app.marks.entity("PERSON")})
        await pilot.press("e")
        assert view.current is None
        await pilot.press("ctrl+n")
        assert view.current == (start, start + 10)


async def test_broken_config_falls_back_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, 'theme = "brief-dark"\nmodel = \n[keymap]\n', monkeypatch)
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("line 2" in m and "config.toml" in m for m in messages), messages
        assert app.theme == "brief-dark"
        assert app.query_one(ArticleView).visible_lines()[0].startswith("Seoul")


def test_config_problems_name_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('theme = "purple"\n[highlights]\nkey = "green"\n[keymap]\n"app.quit" = 3\n')
    cfg = load_config(path)
    assert cfg.theme == "brief-dark" and cfg.highlights == {} and cfg.keymap == {}
    assert [p.split(": ")[0].rsplit(", ", 1)[1] for p in cfg.problems] == [
        "line 1",
        "line 3",
        "line 5",
    ]
    example = tmp_path / "example.toml"
    example.write_text(EXAMPLE)
    good = load_config(example)
    assert (
        good.problems == [] and good.theme == "brief-dark" and good.highlights["doubt"] == "#5e2129"
    )


async def test_unknown_binding_id_in_keymap_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, '[keymap]\n"no.such.binding" = "z"\n', monkeypatch)
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("no.such.binding" in n.message for n in app._notifications)


@pytest.mark.parametrize("theme", ["brief-dark", "brief-light", "brief-mono"])
async def test_each_theme_renders_the_sample(theme: str, loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        app.theme = theme
        await pilot.pause()
        view = app.query_one(ArticleView)
        text = app.briefing.text
        person = style_of_text(view, text.index("Mark Rutte"), "Mark Rutte")
        org = style_of_text(view, text.index("NATO"), "NATO")
        place = style_of_text(view, text.index("Kursk"), "Kursk")
        hedge = style_of_text(view, text.index("possibly"), "possibly")
        kinds = {(s.bold, s.italic, s.underline, s.overline) for s in (person, org, place, hedge)}
        assert len(kinds) == 4, f"{theme}: entity kinds and hedges look alike"
        if theme == "brief-mono":
            assert person.color is None or person.color == view.rich_style.color
        else:
            assert person.color != org.color != place.color
            from brief_tui.ui.palette import DARK_VARIABLES, LIGHT_VARIABLES

            wanted = (LIGHT_VARIABLES if theme == "brief-light" else DARK_VARIABLES)[
                "entity-person"
            ]
            assert person.color.triplet.hex == wanted
        # an annotation stays visible over an entity in every theme
        start = text.index("Mark Rutte")
        app.store.add_annotation(
            app.briefing.id, "highlight", start=start, end=start + 10, meaning="key"
        )
        app.reader.reload_annotations()
        await pilot.pause()
        marked = style_of_text(view, start, "Mark Rutte")
        assert marked.bold  # the entity's attribute stays
        assert marked != person  # and the highlight shows


def test_no_color_gives_no_colour_codes(tmp_path: Path) -> None:
    """The real command in a pseudo-terminal with NO_COLOR set: no colour SGR codes."""
    import os
    import pty
    import select
    import signal
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:
        os.environ["NO_COLOR"] = "1"
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLORTERM"] = "truecolor"
        os.execv(sys.executable, [sys.executable, "-m", "brief_tui", str(SAMPLE), "--no-analysis"])
    out = b""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and b"frontline" not in out:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    assert b"frontline" in out
    sgr = re.findall(rb"\x1b\[([0-9;]*)m", out)
    # 39 and 49 reset to the terminal's own colours; everything else in 30-107 sets a colour
    colour = [s for s in sgr if re.search(rb"(^|;)(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|$)", s)]
    assert colour == [], colour[:5]


async def test_copy_claim_as_citation(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        claim = next(
            c
            for c in app.analysis.claims
            if (s := app.analysis.source(c.source)) and s.name == "Lee Seong-kweun" and s.via
        )
        app.query_one("#tabs").active = "tab-claims"
        claims = app.query_one("#claims")
        claims.focus()
        claims.move_cursor(row=claims.get_row_index(claim.id))
        await pilot.press("y")
        await pilot.pause()
        copied = app.clipboard
        assert copied == claim_citation(app.briefing, app.analysis, claim)
        assert (
            copied.startswith("‘") and "— Lee Seong-kweun (South Korean lawmaker), citing" in copied
        )
        assert copied.endswith("; Seoul warns North Korean troops in Russia moving to frontline")
        assert any("Copied the claim as a citation" in n.message for n in app._notifications)
        # selected text
        view = app.query_one(ArticleView)
        view.focus()
        app.search("spy agency")
        await pilot.press("escape", "v", "w", "y")
        assert app.clipboard == "spy agency"


async def test_click_on_entity_selects_its_actor(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        text = app.briefing.text
        off = text.index("Mark Rutte") + 2
        view.scroll_to_offset(off)
        await pilot.pause()
        line = view.line_of(off)
        y = line - int(view.scroll_offset.y)
        x = GUTTER + (off - view.lines[line][0])
        await pilot.click(ArticleView, offset=(x, y))
        await pilot.pause()
        rutte = next(a for a in app.analysis.actors if a.name == "Mark Rutte")
        assert view.layer_spans("focus") == sorted((m.start, m.end) for m in rutte.mentions)
        table = app.query_one("#actors")
        assert table.selected_key() == rutte.id


async def test_reading_filters_dim_what_they_should(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        text = app.briefing.text
        # hedged sentences, chosen from the filter menu
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # the second entry: hedged sentences
        await pilot.pause()
        assert app.reader.reading_filter is not None and app.reader.reading_filter.kind == "hedged"
        assert "filter: hedged sentences" in str(app.query_one("#status").render())
        hedged = next(c for c in app.analysis.claims if c.hedges)
        plain = next(c for c in app.analysis.claims if not c.hedges)
        word_in = text[hedged.start : hedged.start + 5]
        word_out = text[plain.start : plain.start + 5]
        assert style_of_text(view, hedged.start, word_in).dim is not True
        assert style_of_text(view, plain.start, word_out).dim is True
        await pilot.press("f")  # f again clears
        assert app.reader.reading_filter is None
        assert style_of_text(view, plain.start, word_out).dim is not True

        # claims from one source (through the chain: Lee via the spy agency counts for NIS)
        miller = next(s for s in app.analysis.sources if s.name == "Matthew Miller")
        app.reader.set_filter(ReadingFilter("source", miller.id, "claims from Matthew Miller"))
        await pilot.pause()
        mc = next(c for c in app.analysis.claims if c.source == miller.id)
        other = next(c for c in app.analysis.claims if c.source != miller.id)
        assert style_of_text(view, mc.start, text[mc.start : mc.start + 3]).dim is not True
        assert style_of_text(view, other.start, text[other.start : other.start + 3]).dim is True
        await pilot.press("escape")
        assert app.reader.reading_filter is None

        # unsourced statements; sentences mentioning an actor; annotated passages
        for flt, inside, outside in [
            (
                ReadingFilter("unsourced", None, "u"),
                next(c for c in app.analysis.claims if not c.source),
                mc,
            ),
        ]:
            app.reader.set_filter(flt)
            await pilot.pause()
            assert (
                style_of_text(view, inside.start, text[inside.start : inside.start + 3]).dim
                is not True
            )
            assert (
                style_of_text(view, outside.start, text[outside.start : outside.start + 3]).dim
                is True
            )
        putin = next(a for a in app.analysis.actors if a.name == "Vladimir Putin")
        app.reader.set_filter(ReadingFilter("actor", putin.id, "sentences mentioning Putin"))
        await pilot.pause()
        m = putin.mentions[0]
        assert style_of_text(view, m.start, text[m.start : m.end]).dim is not True
        assert style_of_text(view, 0, "Seoul").dim is True
        start = text.index("Russia is trying")
        app.store.add_annotation(
            app.briefing.id, "highlight", start=start, end=start + 16, meaning="key"
        )
        app.reader.reload_annotations()
        app.reader.set_filter(ReadingFilter("annotated", None, "annotated passages"))
        await pilot.pause()
        assert style_of_text(view, start, "Russia").dim is not True
        assert style_of_text(view, 0, "Seoul").dim is True
