"""The Timeline tab: the dated mentions of the briefing in date order."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical

from brief_tui.ui.panel.lines import Column, LineList, Row, words
from brief_tui.ui.safe import Label

if TYPE_CHECKING:
    from brief_tui.briefing.dates import DatedEvent


class EventList(LineList):
    """Each row's key is "start:end:at": its sentence and where the date is said."""

    kind = "event"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("when", "When"),
        Column("mention", "Said as"),
        Column("sentence", "Sentence"),
    )


class TimelineTab(Vertical):
    DEFAULT_CSS = """
    TimelineTab { height: 1fr; }
    TimelineTab #timeline-note { padding: 0 1; height: auto; width: 100%; }
    """

    def __init__(self) -> None:
        super().__init__()
        # made here, not in compose: the reader may tell this tab things before it is mounted
        self.note = Label("", id="timeline-note")
        self.events = EventList(id="timeline")

    def compose(self) -> ComposeResult:
        yield self.note
        yield self.events

    def set_note(self, message: str) -> None:
        self.note.update(Text(message, style="dim"))

    def show(self, events: list[DatedEvent], text: str, dated: bool) -> None:
        self.set_note(
            f"{len(events)} dated mention{'' if len(events) == 1 else 's'}, in date order."
            if dated
            else "This briefing carries no date, so relative dates (“Tuesday”, “in June”) "
            "cannot be placed; only dates written in full are listed. Give one with "
            "--date YYYY-MM-DD."
        )
        rows: list[Row] = []
        seen: set[str] = set()
        for ev in events:
            key = f"{ev.sentence_start}:{ev.sentence_end}:{ev.start}"
            if key in seen:
                continue
            seen.add(key)
            sentence = " ".join(text[ev.sentence_start : ev.sentence_end].split())
            if len(sentence) > 90:
                sentence = sentence[:89] + "…"
            rows.append(Row(key, (words(ev.label), words(ev.text), words(sentence))))
        self.events.set_rows(rows)
