"""What a library hands back is as untrusted as a document: a cached analysis another program
wrote into the database (source names, cues, hedges and actor names holding escapes, bidi
controls and markup) reaches the screen as words, in every path the side panel grew: the
Claims list's rows and its filter line, the tab strip, the claim detail, the reading filter's
source choice and the status line. No control reaches the terminal, no markup becomes a
link. (Another analyst's name in a team library: tests/test_pg_reader.py.)"""

from __future__ import annotations

from pathlib import Path

from brief_tui.analysis.model import (
    ANALYSER_VERSION,
    Actor,
    Analysis,
    Claim,
    Cue,
    Hedge,
    Mention,
    Source,
    Span,
)
from brief_tui.analysis.nlp import choose_model, model_version
from brief_tui.briefing import briefing_from_text
from brief_tui.library.store import Store
from brief_tui.ui.app import BriefApp
from brief_tui.ui.panel import LineList
from tests.test_untrusted import UNSAFE
from tests.uihelpers import screen_text, wait_for_analysis

#: markup that would be a link running an action, OSC 52 (the clipboard) ended by BEL and by
#: ST, a C1 CSI, a right-to-left override
EVIL = "[@click=app.quit]Kim[/] \x1b]52;c;UFdORUQ=\x07 \x1b]52;c;QQ==\x1b\\ \x9b2J \u202eevil"
SHOWN = "[@click=app.quit]Kim[/]"

TEXT = (
    "Talks\n\nThe envoy said the talks had failed. Officials possibly said more troops "
    "would come. The weather was cold.\n"
)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def hostile_analysis(bid: str, title: str, model: str, version: str) -> Analysis:
    t = TEXT
    s1, e1 = span(t, "The envoy said the talks had failed.")
    s2, e2 = span(t, "Officials possibly said more troops would come.")
    s3, e3 = span(t, "The weather was cold.")
    cue = Cue(*span(t, "said"), EVIL, "neutral")
    hedge = Hedge(*span(t, "possibly"), EVIL, "low")
    return Analysis(
        briefing_id=bid,
        title=title,
        text=t,
        model_name=model,
        model_version=version,
        analyser_version=ANALYSER_VERSION,
        actors=[Actor("a1", EVIL, "person", [EVIL], mentions=[Mention(s1 + 4, s1 + 9, EVIL)])],
        sources=[
            Source("s1", EVIL, "official", actor="a1", via="s2"),
            Source("s2", "NIS " + EVIL, "intelligence"),
        ],
        claims=[
            Claim("c1", s1, e1, [Span(s1 + 15, e1 - 1)], cue, "s1", quote="indirect"),
            Claim("c2", s2, e2, [Span(s2, e2 - 1)], cue, "s2", hedges=[hedge]),
            Claim("c3", s3, e3, [Span(s3, e3 - 1)], None, None, kind="author"),
        ],
        sentences=[Span(s1, e1), Span(s2, e2), Span(s3, e3)],
    )


def assert_words_only(app: BriefApp) -> None:
    """Nothing on screen a terminal would act on; no segment carries an action."""
    shown = screen_text(app)
    assert UNSAFE.search(shown) is None, shown
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            assert not (seg.style and seg.style.meta.get("@click")), seg


async def test_a_hostile_cached_analysis_is_shown_as_words(data_dir: Path) -> None:
    briefing = briefing_from_text(TEXT, "talks.txt")
    model = choose_model()
    version = model_version(model)
    assert version is not None  # (the model is a dependency)
    with Store.open(data_dir) as store:
        store.add_briefing(briefing)
        store.put_cached_analysis(hostile_analysis(briefing.id, briefing.title, model, version))
    app = BriefApp(briefing, data_dir=data_dir)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis_source == "cache" and app.analysis is not None
        # the Claims list narrowed to the hostile source: its rows, its filter line, the
        # tab strip's count, the detail of the claim selected
        app.query_one("#tabs").active = "tab-claims"  # type: ignore[attr-defined]
        await pilot.pause()
        claims = app.query_one("#claims", LineList)
        claims.focus()
        claims.move_cursor(row=claims.get_row_index("c1"))
        await pilot.press("s")
        await pilot.pause()
        shown = screen_text(app)
        assert f"Showing 1 of 3: by {SHOWN}" in shown and "Claims 1/3" in shown
        assert "Source: " + SHOWN in shown  # the detail: the source's chain
        assert_words_only(app)
        await pilot.press("backspace", "o")  # grouped by source: a heading per source
        await pilot.pause()
        assert SHOWN in screen_text(app)
        assert_words_only(app)
        # the reading filter: the choice of sources, then the status line
        await pilot.press("f", "1")
        await pilot.pause()
        assert SHOWN in screen_text(app)
        assert_words_only(app)
        await pilot.press("1")
        await pilot.pause()
        assert app.reader.reading_filter is not None
        assert "filter: claims from" in screen_text(app)
        assert_words_only(app)
