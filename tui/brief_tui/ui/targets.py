"""What an annotation action applies to: the item selected in the focused side-panel list,
else the selection or the sentence at the cursor of the article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brief_tui.ui.panel import NotesList, PanelList

if TYPE_CHECKING:
    from brief_tui.ui.host import ReaderHost

WORD = re.compile(r"\w[\w’'\-]*")


@dataclass(frozen=True, slots=True)
class Target:
    """What an annotation action applies to."""

    target_type: str  # text | actor | claim | source
    target_id: str | None
    start: int | None
    end: int | None
    label: str

    @property
    def span(self) -> tuple[int, int] | None:
        return (self.start, self.end) if self.start is not None and self.end is not None else None


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word at (or just after) ``offset``."""
    for m in WORD.finditer(text, max(0, offset - 40), min(len(text), offset + 200)):
        if m.end() > offset:
            return (m.start(), m.end())
    return None


class Targets:
    """Finds targets on the reader screen (``selection``: the reader's selected span)."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host

    def panel(self) -> Target | None:
        """The actor / claim / source row selected in the focused side-panel list."""
        focused: object = self.host.app.focused
        analysis = self.host.analysis
        if analysis is None:
            return None
        if not isinstance(focused, PanelList) or isinstance(focused, NotesList):
            return None
        key = focused.selected_key()
        if key is None:
            return None
        if focused.kind == "actor" and (actor := analysis.actor(key)):
            return Target("actor", actor.id, None, None, f"actor {actor.name}")
        if focused.kind == "source" and (src := analysis.source(key)):
            return Target("source", src.id, None, None, f"source {src.name}")
        if focused.kind == "claim":
            claim = next((c for c in analysis.claims if c.id == key), None)
            if claim:
                return Target("claim", claim.id, claim.start, claim.end, "claim")
        return None

    def text(self, selection: tuple[int, int] | None) -> Target | None:
        """The selection, else the sentence at the cursor (its trailing spaces left out)."""
        article = self.host.article()
        if article is None:
            return None
        if selection is not None:
            s, e = selection
            return Target("text", None, s, e, "the selection")
        sent = article.current_sentence()
        if sent is None:
            return None
        s, e = sent
        while e > s and self.host.briefing.text[e - 1].isspace():
            e -= 1
        return Target("text", None, s, e, "the current sentence")

    def claim_at_cursor(self, selection: tuple[int, int] | None) -> Target | None:
        article = self.host.article()
        analysis = self.host.analysis
        if article is None or analysis is None:
            return None
        pos = selection[0] if selection else article.cursor
        for c in analysis.claims:
            if c.start <= pos < max(c.end, c.start + 1):
                return Target("claim", c.id, c.start, c.end, "claim")
        return None
