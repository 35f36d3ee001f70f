"""The Sources tab: who the claims rest on, the most cited first, with the reader's grade."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from brief_tui.ui.panel.base import SOURCE_KINDS, PanelData, source_label
from brief_tui.ui.panel.lines import Column, LineList, Row, words


class SourceList(LineList):
    kind = "source"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("count", "Claims", "right"),
        Column("grade", "Grade"),
        Column("kind", "Kind"),
        Column("name", "Source"),
    )

    def show_data(self, data: PanelData) -> None:
        analysis = data.analysis
        rows: list[Row] = []
        if analysis is not None:
            counts: dict[str, int] = {}
            for c in analysis.claims:
                if c.source:
                    counts[c.source] = counts.get(c.source, 0) + 1
            grades = data.grades()
            order = sorted(analysis.sources, key=lambda s: (-counts.get(s.id, 0), s.name.lower()))
            for src in order:
                name = words(src.name)
                if src.via:
                    name.append(
                        words(f" via {source_label(analysis, src.via)}").plain, style="italic"
                    )
                if src.descriptor:
                    name.append(words(f", {src.descriptor}").plain, style="dim")
                rows.append(
                    Row(
                        src.id,
                        (
                            Text(str(counts.get(src.id, 0))),
                            words(grades.get(("source", src.id), ""), style="bold"),
                            words(SOURCE_KINDS.get(src.kind, src.kind)),
                            name,
                        ),
                    )
                )
        self.set_rows(rows)
