"""Regenerate the SVG screenshots in screenshots/ from the real app on the sample briefing.

Run from a checkout:  python scripts/screenshots.py
Each shot waits for the analysis to finish, so the side panel is filled.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "screenshots"
SIZE = (150, 42)


async def shoot() -> list[Path]:
    from brief_tui.briefing import load_briefing
    from brief_tui.resources import sample_briefing
    from brief_tui.ui.app import BriefApp

    written: list[Path] = []
    for tab, name in (
        ("tab-actors", "reader-actors"),
        ("tab-claims", "reader-claims"),
        ("tab-sources", "reader-sources"),
    ):
        app = BriefApp(load_briefing(sample_briefing()))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()  # the store and analysis start after the first paint
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.query_one("#tabs").active = tab  # type: ignore[attr-defined]
            if tab == "tab-actors" and app.analysis:
                top = max(app.analysis.actors, key=lambda a: len(a.mentions))
                app.reader.jump_to_actor(top.id)
                app.query_one("#actors").focus()
            elif tab == "tab-claims":
                await pilot.press("e", "e", "e")
            await pilot.pause()
            path = OUT / f"{name}.svg"
            path.write_text(app.export_screenshot(), encoding="utf-8")
            written.append(path)
    return written


def main() -> int:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    # never touch the user's real data while taking screenshots
    os.environ["BRIEF_TUI_DATA_DIR"] = tempfile.mkdtemp(prefix="brief-tui-shots-")
    OUT.mkdir(exist_ok=True)
    for path in asyncio.run(shoot()):
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
