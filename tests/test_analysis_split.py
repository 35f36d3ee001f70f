"""One long briefing analysed by several processes: the last paragraphs go to forks of the
analysing process, their records come back and are merged in text order; the result is
exactly the one-process analysis (a real text, the real model)."""

from __future__ import annotations

from typing import Any

import pytest

from brief_tui.analysis import pipeline
from tests.bigtext import make_text


@pytest.mark.slow
@pytest.mark.parametrize("processes", [2, 3])
def test_a_split_analysis_equals_one_process(
    loaded_model: Any, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = make_text(1500, seed=5)
    one = pipeline.analyze(text, model=loaded_model, batch_chars=4000)
    monkeypatch.setattr(pipeline, "SPLIT_FROM", 0)  # (long texts only, normally)
    started: list[int] = []
    start = pipeline._Helper.start

    def counted(*args: Any) -> Any:
        helper = start(*args)
        started.append(len(args[2]))  # the paragraphs it was given
        return helper

    monkeypatch.setattr(pipeline._Helper, "start", counted)
    progress: list[float] = []
    split = pipeline.analyze(
        text,
        model=loaded_model,
        batch_chars=4000,
        processes=processes,
        on_progress=lambda _a, f: progress.append(f),
        progress_interval=0,
    )
    assert len(started) == processes - 1 and all(started)
    assert split.to_json() == one.to_json()
    assert len(one.claims) > 20 and len(one.actors) > 10  # (a text with something to find)
    assert progress[-1] == 1.0 and progress == sorted(progress)


@pytest.mark.slow
def test_the_analysis_process_runs_below_the_reader() -> None:
    """The analysis process lowers its own priority (the reader keeps its keys); its
    result is unchanged."""
    import os

    from brief_tui.analysis.child import AnalysisProcess
    from brief_tui.analysis.pool import NICE

    text = "Troops moved\n\nOfficials said troops moved near the border on Monday.\n"
    process = AnalysisProcess(text, title="Troops moved", briefing_id="t")
    events = process.events()
    first = next(events)
    assert first.kind == "loaded"  # (the priority is lowered before the model loads)
    with open(f"/proc/{process._proc.pid}/stat") as f:
        nice = int(f.read().rsplit(")", 1)[1].split()[16])
    assert nice == os.nice(0) + NICE
    rest = list(events)
    assert rest[-1].kind == "done" and rest[-1].analysis is not None


@pytest.mark.slow
def test_the_analysis_process_is_below_the_reader_from_its_start() -> None:
    """The reader lowers the analysis process's priority as soon as it is started: its
    Python start-up and imports yield to the reader's first frame too (the process's own
    lowering comes only after it has read the request)."""
    import os

    from brief_tui.analysis.child import AnalysisProcess
    from brief_tui.analysis.pool import NICE

    process = AnalysisProcess("Officials said so.\n", title="t", briefing_id="t")
    try:
        with open(f"/proc/{process.pid}/stat") as f:
            nice = int(f.read().rsplit(")", 1)[1].split()[16])
        assert nice == os.nice(0) + NICE
    finally:
        process.stop()
