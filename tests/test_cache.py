"""An analysed briefing opens again from the analysis cache, without loading spaCy.

The reader never imports spaCy itself: the analysis runs in a process of its own
(analysis/child.py), started at launch and stopped as soon as the cache answers."""

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

async def main():
    app = BriefApp(load_briefing(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        # the store and the analysis start once the article is drawn
        for _ in range(200):
            if app.reader.loaded:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(json.dumps({
            "source": app.analysis_source,
            "state": app.analysis_state,
            "spacy_loaded": "spacy" in sys.modules,
            "actors": sorted(a.name for a in app.analysis.actors),
            "claims": len(app.analysis.claims),
            "rows": app.query_one("#actors").row_count,
            "process_left": app.reader.session.process is not None,
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
    second = run_app(data_dir)
    assert second["source"] == "cache"
    assert second["spacy_loaded"] is False
    assert second["process_left"] is False  # the process started at launch was stopped
    assert second["state"] == "done"
    assert second["actors"] == first["actors"] and second["claims"] == first["claims"]
    assert second["rows"] == first["rows"] > 0
