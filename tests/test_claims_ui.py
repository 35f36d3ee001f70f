"""The Claims workflow in the reader: c / C step through the claims in text order; the
selected claim and a note are shown whole, never cut with "…"."""

from __future__ import annotations

from brief_tui.ui.article import ArticleView
from brief_tui.ui.panel import ClaimList
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

SIZE = (150, 40)


async def test_c_steps_through_the_claims_in_text_order(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        view = app.query_one(ArticleView)
        claims = sorted(app.analysis.claims, key=lambda c: (c.start, c.end, c.id))
        assert len(claims) > 3
        # the Claims list is built, so that its cursor can follow
        app.query_one("#tabs").active = "tab-claims"
        await pilot.pause()
        view.focus()
        await pilot.press("c")
        assert view.cursor == claims[0].start
        assert view.current == (claims[0].start, claims[0].end)
        assert (claims[0].start, claims[0].end) in view.layer_spans("focus")
        await pilot.press("c", "c")
        assert view.current == (claims[2].start, claims[2].end)
        assert f"(3/{len(claims)})" in str(app.query_one("#status").render())
        listed = app.query_one("#claims", ClaimList)
        if listed.holds(claims[2].id):
            assert listed.selected_key() == claims[2].id
        await pilot.press("C")
        assert view.current == (claims[1].start, claims[1].end)
        # from the bottom: C goes to the last claim before the cursor; from the last claim
        # c rings the bell and stays
        await pilot.press("G")
        before = [c for c in claims if c.start < view.cursor][-1]
        await pilot.press("C")
        assert view.current == (before.start, before.end)
        await pilot.press(*["c"] * (len(claims) - claims.index(before) - 1))
        assert view.current == (claims[-1].start, claims[-1].end)
        bells = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        await pilot.press("c")
        assert bells == [1]
        assert view.current == (claims[-1].start, claims[-1].end)


async def test_help_and_palette_name_the_claim_keys() -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        found = {
            b.id: (b.key, b.description) for _, bindings in app.all_bindings() for b in bindings
        }
        assert found["app.next_claim"] == ("c", "Next claim")
        assert found["app.prev_claim"] == ("C", "Prev claim")


async def test_the_selected_claim_is_shown_whole(loaded_model) -> None:
    from brief_tui.ui.panel.base import source_label

    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        analysis = app.analysis
        text = analysis.text
        app.query_one("#tabs").active = "tab-claims"
        await pilot.pause()
        listed = app.query_one("#claims", ClaimList)
        # the longest sourced claim with a cue: its row is cut, its detail is not
        claim = max(
            (c for c in analysis.claims if c.source and c.cue and listed.holds(c.id)),
            key=lambda c: c.end - c.start,
        )
        listed.focus()
        listed.move_cursor(row=listed.get_row_index(claim.id))
        await pilot.pause()
        detail = app.query_one("#claims-detail").render()
        shown = " ".join(str(detail).split())
        sentence = " ".join(text[claim.start : claim.end].split())
        assert sentence in shown
        for part in claim.content:
            assert " ".join(text[part.start : part.end].split()) in shown
        chain = source_label(analysis, claim.source).split(" via ")
        assert all(name in shown for name in chain)
        assert f"Cue: {claim.cue.text}" in shown
        assert f"Kind: {claim.kind}" in shown
        for hedge in claim.hedges:
            assert hedge.text in shown
        for figure in claim.figures:
            assert figure.text in shown
        # on screen, beneath the list
        assert app.query_one("#claims-detail").region.height > 1
        # the detail follows the list's cursor
        await pilot.press("j")
        assert listed.selected_key() != claim.id
        after = " ".join(str(app.query_one("#claims-detail").render()).split())
        assert after != shown
        assert after == " ".join(str(listed.detail(listed.selected_key())).split())


async def test_the_notes_tab_shows_a_note_whole(data_dir, loaded_model) -> None:
    from textual.widgets import TextArea

    from brief_tui.ui.panel import NotesList
    from tests.uihelpers import saves_done

    note = (
        "A first line well past the sixty characters the Notes list keeps of a note.\n"
        "[bold]Second line[/bold], kept as typed \x1b[31m and long enough to wrap somewhere."
    )
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("right_parenthesis", "a")
        app.screen.query_one(TextArea).insert(note)
        await pilot.press("ctrl+s")
        await saves_done(app, pilot)
        app.query_one("#tabs").active = "tab-notes"
        await pilot.pause()
        notes = app.query_one("#notes", NotesList)
        assert notes.row_count == 1
        assert "…" in notes.row_text(0) or len(notes.row_text(0)) < len(note)
        detail = app.query_one("#notes-detail")
        shown = str(detail.render())
        assert (
            "A first line well past the sixty characters the Notes list keeps of a note." in shown
        )
        assert "[bold]Second line[/bold], kept as typed" in shown  # words, not markup
        assert "\x1b" not in shown
        assert "long enough to wrap somewhere." in shown
        assert detail.region.height >= 2
