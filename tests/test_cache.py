"""An analysed briefing opens again from the analysis cache, without loading spaCy.

The reader never imports spaCy itself: the analysis runs in a process of its own
(analysis/child.py), started at launch unless the library caches the analysis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE

RUN = r"""
import asyncio, json, sys
from brief_tui.briefing import load_briefing
from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.screens.reader import ReaderScreen
from brief_tui.ui.session import Session

order = []  # what happened first: the analysis shown, or the store opened
shown, opened = Session.shown, ReaderScreen.on_store_opened
Session.shown = lambda self: (order.append("shown"), shown(self))[1]
ReaderScreen.on_store_opened = lambda self, m: (order.append("store"), opened(self, m))[1]

async def main():
    app = BriefApp(load_briefing(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        # (the process, when there is one, starts as the reader is mounted)
        process_at_start = app.reader.session.process is not None
        # the store and the analysis start once the article is drawn
        for _ in range(200):
            if app.reader.loaded:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        article = app.query_one(ArticleView)
        state = str(app.query_one("#state").render()).replace(" · from the cache", "")
        print(json.dumps({
            "hedges": article.layer_spans("hedges"),
            "cues": article.layer_spans("claims"),
            "summary": " ".join(state.split()),
            "order": order,
            "source": app.analysis_source,
            "state": app.analysis_state,
            "spacy_loaded": "spacy" in sys.modules,
            "actors": sorted(a.name for a in app.analysis.actors),
            "claims": len(app.analysis.claims),
            "rows": app.query_one("#actors").row_count,
            "process_left": app.reader.session.process is not None,
            "process_at_start": process_at_start,
        }))

asyncio.run(main())
"""


def run_app(data_dir: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "BRIEF_TUI_DATA_DIR": str(data_dir), "TEXTUAL_ANIMATIONS": "none"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_reopened_briefing_uses_the_cache_without_spacy(data_dir: Path) -> None:
    first = run_app(data_dir)
    assert first["source"] == "spacy" and first["state"] == "done"
    assert first["spacy_loaded"] is False  # the analysis process loaded it, not the reader
    assert first["process_left"] is False
    assert first["process_at_start"] is True
    second = run_app(data_dir)
    assert second["source"] == "cache"
    assert second["spacy_loaded"] is False
    # the analysis is known to be cached before the store opens: no process at all
    assert second["process_at_start"] is False
    assert second["process_left"] is False
    assert second["state"] == "done"
    assert second["actors"] == first["actors"] and second["claims"] == first["claims"]
    assert second["rows"] == first["rows"] > 0
    # the claims (read from the cache after the first analysed frame) are marked, and
    # counted in the state line, as when analysed
    assert second["hedges"] == first["hedges"] and second["cues"] == first["cues"]
    assert first["cues"] and first["hedges"]
    assert second["summary"] == first["summary"] and "claims" in first["summary"]
    # the store (its imports and checks) is opened after the analysis read ahead is drawn
    assert second["order"][:2] == ["shown", "store"]


def test_launch_reads_a_cached_analysis_at_once_else_starts_the_process(
    data_dir: Path, tmp_path: Path
) -> None:
    """``brief-tui FILE``, before the reader's imports: with the analysis in the library
    (the one the reader will open: --data-dir, --library) it starts reading it; without,
    it starts the analysis process."""
    from brief_tui.analysis.child import AnalysisProcess
    from brief_tui.briefing import load_briefing
    from brief_tui.cli import start_analysis
    from brief_tui.config import load_config
    from brief_tui.library.cache_probe import ReadAhead

    briefing = load_briefing(SAMPLE)
    config = load_config()
    process = start_analysis(briefing, None, config, str(data_dir))
    assert isinstance(process, AnalysisProcess)  # nothing cached yet
    process.stop()
    first = run_app(data_dir)
    assert first["source"] == "spacy"  # analysed and cached
    for ahead in (
        start_analysis(briefing, None, config, str(data_dir)),
        start_analysis(briefing, None, config, library=str(data_dir)),
    ):
        assert isinstance(ahead, ReadAhead)
        analysis = ahead.result()
        assert analysis is not None and analysis.briefing_id == briefing.id
        assert sorted(a.name for a in analysis.actors) == first["actors"]
        assert len(analysis.claims) == first["claims"]
    other_text = tmp_path / "other.txt"
    other_text.write_text(SAMPLE.read_text(encoding="utf-8") + "\nOne more line.\n")
    not_sqlite = tmp_path / "garbage"
    not_sqlite.mkdir()
    (not_sqlite / "library.sqlite3").write_bytes(b"not a database" * 100)
    # another library, another model, another text, a file that is no database, a team
    # library: not known to be cached there
    for elsewhere in (
        start_analysis(briefing, None, config, str(tmp_path / "other")),
        start_analysis(briefing, "no_such_model_xyz", config, str(data_dir)),
        start_analysis(load_briefing(other_text), None, config, str(data_dir)),
        start_analysis(briefing, None, config, str(not_sqlite)),
        start_analysis(briefing, None, config, library="postgresql://nobody@127.0.0.1:1/x"),
    ):
        assert isinstance(elsewhere, AnalysisProcess)
        elsewhere.stop()


def test_a_cached_analysis_that_cannot_be_read_is_analysed_again(
    data_dir: Path, tmp_path: Path
) -> None:
    """The database is untrusted: a cached row nested beyond what JSON decoding allows is
    read ahead as nothing, is a miss for the store, and the briefing is analysed again."""
    import sqlite3

    from brief_tui.briefing import load_briefing
    from brief_tui.cli import start_analysis
    from brief_tui.config import load_config
    from brief_tui.library.cache_probe import ReadAhead

    assert run_app(data_dir)["source"] == "spacy"
    with sqlite3.connect(data_dir / "library.sqlite3") as conn:
        conn.execute("UPDATE analysis_cache SET json = ?", ("[" * 200_000,))
    conn.close()
    ahead = start_analysis(load_briefing(SAMPLE), None, load_config(), str(data_dir))
    assert isinstance(ahead, ReadAhead) and ahead.result() is None
    again = run_app(data_dir)
    assert again["source"] == "spacy" and again["state"] == "done"
    assert again["actors"] and again["process_left"] is False
