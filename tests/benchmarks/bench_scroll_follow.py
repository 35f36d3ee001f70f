"""What keeping the reading mark on screen costs a scroll (issue 15, "one cursor").

Run:  python tests/benchmarks/bench_scroll_follow.py [--words 300000] [--steps 400]

Headless reader (160x50, no analysis) on a text of that many words (tests/bigtext.py). Each
figure is the median time of one scroll of the article view, as the mouse wheel (3 lines)
and the page keys scroll it, measured with the mark following the view (how the reader
runs) and, as the reference in the same run, with the following switched off (what a scroll
cost before). Printed as figures and as the ratio of the two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


async def measure(words: int, steps: int) -> dict[str, list[float]]:
    from brief_tui.briefing import load_briefing
    from brief_tui.ui.app import BriefApp
    from brief_tui.ui.article import ArticleView
    from tests.bigtext import write_text

    path = write_text(Path(tempfile.mkdtemp()), words)
    app = BriefApp(load_briefing(path), analyse=False)
    times: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.5)
        view = app.query_one(ArticleView)
        view.lines  # the whole text wrapped before timing  # noqa: B018
        for follow in (True, False, True, False):  # alternated: a loaded machine drifts
            for kind in ("wheel", "page"):
                key = f"{kind} {'following' if follow else 'reference'}"
                got = times.setdefault(key, [])
                view.scroll_to(y=0, animate=False, immediate=True)
                for _ in range(steps):
                    view._keep_cursor = not follow  # off: the view scrolls alone
                    start = time.perf_counter()
                    if kind == "wheel":
                        view.scroll_to(y=view.scroll_offset.y + 3, animate=False, immediate=True)
                    else:
                        view.action_page(1)
                    got.append(time.perf_counter() - start)
                    view._keep_cursor = False
                await pilot.pause()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--steps", type=int, default=400)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["BRIEF_TUI_DATA_DIR"] = scratch
        os.environ["HOME"] = scratch
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        times = asyncio.run(measure(args.words, args.steps))
    print(f"one scroll of the article, {args.words:,} words, median of {2 * args.steps}")
    for kind in ("wheel", "page"):
        follow = statistics.median(times[f"{kind} following"]) * 1e6
        ref = statistics.median(times[f"{kind} reference"]) * 1e6
        print(
            f"  {kind:5}  following {follow:7.1f} us   reference {ref:7.1f} us   "
            f"ratio {follow / ref:4.2f}x"
        )


if __name__ == "__main__":
    main()
