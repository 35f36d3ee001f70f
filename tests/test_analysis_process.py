"""The analysis in a process of its own (analysis/child.py): what it streams, how it fails,
and that the reader never leaves one behind."""

from __future__ import annotations

import os
import signal

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis.child import AnalysisProcess, AnalysisProcessError
from brief_tui.briefing import load_briefing
from brief_tui.ui.article import ArticleView
from brief_tui.ui.panel import SidePanel
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis


def test_process_streams_partial_results_then_the_whole_analysis(
    loaded_model, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing = load_briefing(SAMPLE)
    monkeypatch.setattr(AnalysisProcess, "BATCH_CHARS", 1_500)
    monkeypatch.setattr(AnalysisProcess, "PROGRESS_INTERVAL", 0)
    process = AnalysisProcess(briefing.text, title=briefing.title, briefing_id=briefing.id)
    events = list(process.events())
    kinds = [e.kind for e in events]
    assert kinds[0] == "loaded" and kinds[-1] == "done"
    assert kinds.count("progress") >= 1
    fractions = [e.fraction for e in events if e.kind == "progress"]
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
    assert events[0].model == loaded_model.name
    done = events[-1].analysis
    assert done is not None and done.text == briefing.text
    in_process = analyze(
        briefing.text, title=briefing.title, briefing_id=briefing.id, model=loaded_model
    )
    assert done.to_json() == in_process.to_json()
    assert not process.running


def test_a_model_that_cannot_load_is_reported_not_raised() -> None:
    briefing = load_briefing(SAMPLE)
    process = AnalysisProcess(
        briefing.text, title=briefing.title, briefing_id=briefing.id, model="no_such_model_xyz"
    )
    events = list(process.events())
    assert [e.kind for e in events] == ["error"]
    assert events[0].error_kind == "model"
    assert "no_such_model_xyz" in events[0].message


def test_a_process_that_dies_is_an_error_unless_it_was_stopped() -> None:
    briefing = load_briefing(SAMPLE)
    process = AnalysisProcess(briefing.text, title=briefing.title, briefing_id=briefing.id)
    os.kill(process._proc.pid, signal.SIGKILL)
    with pytest.raises(AnalysisProcessError, match="ended without a result"):
        list(process.events())

    stopped = AnalysisProcess(briefing.text, title=briefing.title, briefing_id=briefing.id)
    stopped.stop()
    assert list(stopped.events()) == []
    stopped.stop()  # twice is fine


async def test_reader_says_so_when_the_analysis_process_dies() -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(150, 40)) as pilot:
        child = app._child
        assert child is not None  # started with the reader, before the store answered
        os.kill(child._proc.pid, signal.SIGKILL)
        await wait_for_analysis(app, pilot)
        assert app.analysis_state == "failed"
        state = str(app.query_one(SidePanel).query_one("#state").render())
        assert "Analysis failed" in state and "ended without a result" in state
        # the article is still there to read and annotate
        assert app.query_one(ArticleView).visible_lines()[0].startswith("Seoul warns")
        await pilot.press("v", "h", "1")
        await pilot.pause()
        assert len(app.annotations) == 1


async def test_quitting_the_reader_stops_its_analysis_process() -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(150, 40)) as pilot:
        child = app._child
        assert child is not None and child.running
        await pilot.press("q")
        await pilot.pause()
    assert not child.running
