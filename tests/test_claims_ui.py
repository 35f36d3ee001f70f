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
