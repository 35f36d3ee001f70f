"""The Actors tab: every actor of the briefing, the most mentioned first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from brief_tui.ui.panel.base import PanelData
from brief_tui.ui.panel.lines import Column, LineList, Row, words


class ActorList(LineList):
    kind = "actor"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("count", "#", "right"),
        Column("kind", "Kind"),
        Column("name", "Actor"),
    )

    def show_data(self, data: PanelData) -> None:
        analysis = data.analysis
        rows: list[Row] = []
        if analysis is not None:
            for actor in sorted(analysis.actors, key=lambda a: (-len(a.mentions), a.name.lower())):
                name = words(actor.name)
                others = [a for a in actor.aliases if a != actor.name]
                if others:
                    name.append(" (" + clean_join(others[:3]) + ")", style="dim")
                rows.append(
                    Row(actor.id, (Text(str(len(actor.mentions))), words(actor.kind), name))
                )
        self.set_rows(rows)


def clean_join(names: list[str]) -> str:
    return ", ".join(words(n).plain for n in names)
