"""The Sources tab: who the claims rest on, the most cited first, with the reader's grade
(in a shared library: the team's grades and their spread, every analyst's in the detail);
under a reading filter (f) only the sources of the claims it keeps (and those they cite)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from brief_tui.briefing.untrusted import clean_line
from brief_tui.ui.panel.base import SOURCE_KINDS, PanelData, source_label, spread
from brief_tui.ui.panel.lines import Column, LineList, Row, words

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Source


class SourceList(LineList):
    kind = "source"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "its_claims", "Its claims in the Claims tab", id="sources.claims"),
    ]

    class ShowClaims(Message):
        """s on a source: the Claims list, showing that source's claims only."""

        def __init__(self, source_id: str) -> None:
            super().__init__()
            self.source_id = source_id

    def action_its_claims(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.post_message(self.ShowClaims(key))

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("count", "Claims", "right"),
        Column("grade", "Grade"),
        Column("kind", "Kind"),
        Column("name", "Source"),
    )

    _data: PanelData | None = None

    def detail(self, key: str) -> Text | None:
        """In a shared library, every analyst's grade of the selected source (None in the
        local one: the grade column says it all)."""
        data = self._data
        if data is None or not data.shared:
            return None
        by = data.team_grades().get(("source", key), {})
        out = Text(end="")
        out.append("Grades: ", style="bold")
        if not by:
            out.append("none yet (r grades it)", style="dim")
            return out
        out.append(clean_line(spread(by)))
        for who, grade in sorted(by.items(), key=lambda x: (x[1], x[0].casefold())):
            out.append(f"\n{grade}  ", style="bold")
            out.append(clean_line(who or "(no name)"))
            if who == data.analyst:
                out.append(" (you)", style="dim")
        return out

    def show_data(self, data: PanelData) -> None:
        self._data = data
        analysis = data.analysis
        rows: list[Row] = []
        if analysis is not None:
            claims = data.narrowed_claims()
            counts: dict[str, int] = {}
            for c in claims:
                if c.source:
                    counts[c.source] = counts.get(c.source, 0) + 1
            grades = data.grades()
            if data.shared:
                grades = {k: spread(v) for k, v in data.team_grades().items()}
            sources = narrowed_sources(data)
            if data.narrow is not None:
                rows.append(
                    Row(
                        None,
                        (
                            Text(),
                            Text(),
                            Text(),
                            words(
                                f"{len(sources)} of {len(analysis.sources)} sources · "
                                f"f: {data.narrow_label}",
                                style="bold",
                            ),
                        ),
                    )
                )
            order = sorted(sources, key=lambda s: (-counts.get(s.id, 0), s.name.lower()))
            for src in order:
                name = words(src.name)
                if src.via:
                    # (the space outside words(): a line is stripped of its edges' spaces)
                    cited = words(f"via {source_label(analysis, src.via)}").plain
                    name.append(f" {cited}", style="italic")
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


def narrowed_sources(data: PanelData) -> list[Source]:
    """The sources the list shows: all of them, or under a reading filter those of the
    claims it keeps and the sources they cite."""
    analysis = data.analysis
    if analysis is None:
        return []
    if data.narrow is None:
        return list(analysis.sources)
    cited = _chains(analysis, {c.source for c in data.narrowed_claims() if c.source})
    return [s for s in analysis.sources if s.id in cited]


def _chains(analysis: Analysis, ids: set[str]) -> set[str]:
    """These sources and every source they cite along their chains."""
    out: set[str] = set()
    for sid in ids:
        src = analysis.source(sid)
        while src is not None and src.id not in out:
            out.add(src.id)
            src = analysis.source(src.via)
    return out
