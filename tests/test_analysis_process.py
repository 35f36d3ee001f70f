"""The analysis in a process of its own (analysis/child.py): what it streams, how it fails,
and that the reader never leaves one behind."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from brief_tui.analysis import Analysis, analyze
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
    os.kill(process.pid, signal.SIGKILL)
    with pytest.raises(AnalysisProcessError, match="ended without a result"):
        list(process.events())

    stopped = AnalysisProcess(briefing.text, title=briefing.title, briefing_id=briefing.id)
    stopped.stop()
    assert list(stopped.events()) == []
    stopped.stop()  # twice is fine


async def test_reader_says_so_when_the_analysis_process_dies() -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=(150, 40)) as pilot:
        child = app.reader.session.process
        assert child is not None  # started with the reader, before the store answered
        os.kill(child.pid, signal.SIGKILL)
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
        child = app.reader.session.process
        assert child is not None and child.running
        await pilot.press("q")
        await pilot.pause()
    assert not child.running


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="partials are forked on Linux")
@pytest.mark.parametrize("interval", [0, 3600])
def test_forked_partial_results_reach_the_pipe_whole_and_in_order(
    loaded_model, sample_text: str, interval: float
) -> None:
    """``analyze(fork_partials=True)``: each partial result is assembled and written by a
    fork; they arrive in order, each a valid analysis of a prefix, none torn by the next, and
    the last result (assembled here) equals a one-shot run."""
    read_fd, write_fd = os.pipe()
    me = os.getpid()
    in_parent: list[float] = []

    def report(partial: Analysis, fraction: float) -> None:
        if os.getpid() == me:
            in_parent.append(fraction)
            return
        os.write(write_fd, (json.dumps([fraction, partial.to_json()]) + "\n").encode("utf-8"))

    chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: chunks.extend(iter(lambda: os.read(read_fd, 65536), b"")), daemon=True
    )
    reader.start()
    final = analyze(
        sample_text,
        title="sample",
        model=loaded_model,
        batch_chars=700,
        progress_interval=interval,
        on_progress=report,
        fork_partials=True,
    )
    os.close(write_fd)
    reader.join(10)
    os.close(read_fd)
    lines = b"".join(chunks).decode("utf-8").splitlines()
    partials = [json.loads(line) for line in lines]
    fractions = [f for f, _ in partials]
    assert in_parent == [1.0]  # only the last one is assembled in this process
    if interval == 0:
        assert len(partials) >= 4  # one per batch: each waits for the one before
    else:
        assert len(partials) == 1  # the first batch, then nothing until the end
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
    for _, js in partials:
        an = Analysis.from_json(js)
        assert an.to_json() == js
        assert len(an.sentences) <= len(final.sentences)
    one_shot = analyze(sample_text, title="sample", model=loaded_model)
    assert final.to_json() == one_shot.to_json()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="partials are forked on Linux")
def test_a_failing_fork_costs_its_partial_result_only(loaded_model, sample_text: str) -> None:
    me = os.getpid()
    seen: list[float] = []

    def report(partial: Analysis, fraction: float) -> None:
        if os.getpid() != me:
            raise RuntimeError("a partial result that cannot be written")
        seen.append(fraction)

    final = _forked_by_batch(loaded_model, sample_text, report)
    assert seen == [1.0]
    assert final.to_json() == analyze(sample_text, title="sample", model=loaded_model).to_json()


def test_without_a_fork_partial_results_are_assembled_here(
    loaded_model, sample_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    seen: list[float] = []
    final = _forked_by_batch(loaded_model, sample_text, lambda an, frac: seen.append(frac))
    assert len(seen) >= 4 and seen[-1] == 1.0 and seen == sorted(seen)
    assert final.to_json() == analyze(sample_text, title="sample", model=loaded_model).to_json()


def _forked_by_batch(
    loaded_model: Any, text: str, report: Callable[[Analysis, float], None]
) -> Analysis:
    """The sample analysed with forked partial results, one per small batch."""
    return analyze(
        text,
        title="sample",
        model=loaded_model,
        batch_chars=700,
        progress_interval=0,
        on_progress=report,
        fork_partials=True,
    )
