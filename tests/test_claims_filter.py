"""The Claims list filtered and grouped by keys on the list, the reading filter (f) narrowing
the Claims and Sources lists, and c / C stepping through what the list shows."""

from __future__ import annotations

from brief_tui.ui.article import ArticleView
from brief_tui.ui.host import ReadingFilter
from brief_tui.ui.panel import ClaimList, SourceList
from brief_tui.ui.panel.side import TabStrip
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

SIZE = (150, 40)


def keys_of(listed: ClaimList) -> list[str]:
    return [k for i in range(listed.row_count) if (k := listed.row_key(i)) is not None]


async def open_claims(app, pilot) -> ClaimList:  # type: ignore[no-untyped-def]
    await wait_for_analysis(app, pilot)
    await pilot.press("tab", "right_square_bracket")
    await pilot.pause()
    listed = app.query_one("#claims", ClaimList)
    assert app.focused is listed
    return listed


async def test_claims_list_filters_by_source_kind_and_sourced(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        listed = await open_claims(app, pilot)
        analysis = app.analysis
        every = keys_of(listed)
        assert len(every) == len(analysis.claims)
        strip = app.query_one(TabStrip)
        assert "Claims " + "" in str(strip.render()) and "/" not in str(strip.render())
        # s: only the selected claim's source
        claim = next(c for c in analysis.claims if c.source and listed.holds(c.id))
        listed.move_cursor(row=listed.get_row_index(claim.id))
        await pilot.press("s")
        same = [c.id for c in analysis.claims if c.source == claim.source]
        assert keys_of(listed) == same
        assert listed.selected_key() == claim.id  # the claim stays selected
        assert f"Claims {len(same)}/{len(analysis.claims)}" in str(strip.render())
        name = analysis.source(claim.source).name
        assert listed.row_text(0).startswith(f"Showing {len(same)} of {len(analysis.claims)}")
        assert f"by {name}" in listed.row_text(0)
        assert "(backspace: all)" in listed.row_text(0)  # how to get back is said
        await pilot.press("s")  # again: every source
        assert keys_of(listed) == every
        # S: sourced claims only (the author's own statements go)
        listed.move_cursor(row=0)
        listed.scroll_to(y=3, animate=False, immediate=True)  # scrolled a little
        await pilot.press("S")
        assert keys_of(listed) == [c.id for c in analysis.claims if c.source]
        assert "sourced only" in listed.row_text(0)
        assert listed.scroll_offset.y == 0  # the heading in view, with the selected claim
        await pilot.press("S")
        # K: kind by kind, then all again
        kinds = []
        for _ in range(10):
            await pilot.press("K")
            shown = [c for c in analysis.claims if c.id in set(keys_of(listed))]
            if len(shown) == len(analysis.claims):
                break
            assert len({c.kind for c in shown}) == 1
            kinds.append(shown[0].kind)
            assert f"kind {shown[0].kind}" in listed.row_text(0)
        assert sorted(kinds) == sorted({c.kind for c in analysis.claims})
        assert "/" not in str(strip.render())
        # backspace: every filter off at once
        await pilot.press("S", "K")
        assert len(keys_of(listed)) < len(every)
        await pilot.press("backspace")
        assert keys_of(listed) == every
        assert listed.row_key(0) is not None  # no heading left


async def test_claims_grouped_by_source(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        listed = await open_claims(app, pilot)
        analysis = app.analysis
        await pilot.press("o")
        assert "grouped by source" in listed.row_text(0)
        assert "Claims by source" in str(app.query_one(TabStrip).render())
        # each heading is followed by the claims of its source, and only those
        groups: dict[str, list[str]] = {}
        heading = None
        for i in range(1, listed.row_count):
            key = listed.row_key(i)
            if key is None:
                heading = listed.row_text(i)
                groups[heading] = []
            else:
                assert heading is not None
                groups[heading].append(key)
        by_id = {c.id: c for c in analysis.claims}
        for heading, ids in groups.items():
            sources = {by_id[k].source for k in ids}
            assert len(sources) == 1, heading
            src = next(iter(sources))
            if src:
                assert heading.startswith(analysis.source(src).name)
            else:
                assert heading.startswith("The author's own")
        assert sorted(k for ids in groups.values() for k in ids) == sorted(by_id)
        # the most cited source first, the author's own statements last
        sizes = [len(ids) for h, ids in groups.items() if not h.startswith("The author")]
        assert sizes == sorted(sizes, reverse=True)
        assert list(groups)[-1].startswith("The author's own")
        await pilot.press("o")
        assert listed.row_key(0) is not None


async def test_reading_filter_narrows_claims_and_sources(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        listed = await open_claims(app, pilot)
        analysis = app.analysis
        actor = next(a for a in analysis.actors if a.name == "Kim Jong Un")
        app.reader.set_filter(ReadingFilter("actor", actor.id, "sentences mentioning Kim"))
        await pilot.pause()
        kept = app.reader.reading.filter_spans(app.reader.reading_filter)
        expected = [
            c.id for c in analysis.claims if any(s < c.end and e > c.start for s, e in kept)
        ]
        assert 0 < len(expected) < len(analysis.claims)
        assert sorted(keys_of(listed)) == sorted(expected)
        assert "f: sentences mentioning Kim" in listed.row_text(0)
        strip = app.query_one(TabStrip)
        assert f"Claims {len(expected)}/{len(analysis.claims)}" in str(strip.render())
        # the Sources list keeps the sources of those claims (and whom they cite)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        sources = app.query_one("#sources", SourceList)
        shown = {k for i in range(sources.row_count) if (k := sources.row_key(i)) is not None}
        direct = {c.source for c in analysis.claims if c.id in expected and c.source}
        assert direct <= shown
        assert len(shown) < len(analysis.sources)
        assert f"Sources {len(shown)}/{len(analysis.sources)}" in str(strip.render())
        # clearing the filter shows everything again
        app.reader.set_filter(None)
        await pilot.pause()
        shown = {k for i in range(sources.row_count) if (k := sources.row_key(i)) is not None}
        assert len(shown) == len(analysis.sources)
        assert "/" not in str(strip.render())
        await pilot.press("left_square_bracket")
        assert len(keys_of(listed)) == len(analysis.claims)


async def test_claim_keys_step_through_what_the_list_shows(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        listed = await open_claims(app, pilot)
        analysis = app.analysis
        claim = next(
            c
            for c in analysis.claims
            if c.source and sum(1 for d in analysis.claims if d.source == c.source) >= 2
        )
        listed.move_cursor(row=listed.get_row_index(claim.id))
        await pilot.press("s")
        mine = sorted(
            (c for c in analysis.claims if c.source == claim.source), key=lambda c: c.start
        )
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.press("g", "c")
        assert view.current == (mine[0].start, mine[0].end)
        assert f"(1/{len(mine)} shown)" in str(app.query_one("#status").render())
        await pilot.press("c")
        assert view.current == (mine[1].start, mine[1].end)
        # a filter that leaves nothing: c says why instead of going anywhere
        app.reader.set_filter(ReadingFilter("annotated", None, "annotated passages"))
        await pilot.pause()
        bells: list[int] = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        await pilot.press("c")
        assert bells == [1]
        assert any("No claim is shown" in str(n.message) for n in app._notifications)


async def test_help_and_palette_list_the_claims_keys(loaded_model) -> None:
    from textual.command import CommandList, CommandPalette

    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        found = {b.id: b.key for section, bs in app.all_bindings() for b in bs}
        for binding_id in ("claims.source", "claims.kind", "claims.sourced", "claims.group"):
            assert binding_id in found
        # the palette runs a list key: the Claims tab comes up, sourced claims only
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Sourced only")
        await pilot.pause(0.3)
        hits = app.screen.query_one(CommandList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("key: S on the Claims list" in p for p in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        listed = app.query_one("#claims", ClaimList)
        assert app.reader.panel().active_tab == "tab-claims"
        assert keys_of(listed) == [c.id for c in app.analysis.claims if c.source]


async def test_s_on_a_source_shows_its_claims(loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        await pilot.press("tab", "right_square_bracket")  # the Claims list built first
        await pilot.press("right_square_bracket")
        sources = app.query_one("#sources", SourceList)
        assert app.focused is sources
        analysis = app.analysis
        src = next(
            s for s in analysis.sources if sum(c.source == s.id for c in analysis.claims) >= 2
        )
        sources.move_cursor(row=sources.get_row_index(src.id))
        await pilot.press("s")
        await pilot.pause()
        listed = app.query_one("#claims", ClaimList)
        assert app.reader.panel().active_tab == "tab-claims"
        assert app.focused is listed
        assert keys_of(listed) == [c.id for c in analysis.claims if c.source == src.id]
        assert f"by {src.name}" in listed.row_text(0)
