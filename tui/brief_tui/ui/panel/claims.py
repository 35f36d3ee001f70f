"""The Claims tab: the sourced claims (source, cue, hedges, then what is claimed), then the
author's own statements; each list cut at CLAIMS_SHOWN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from brief_tui.briefing.untrusted import clean_line
from brief_tui.ui.panel.base import (
    CLAIMS_SHOWN,
    SOURCE_KINDS,
    PanelData,
    claim_excerpt,
    source_label,
)
from brief_tui.ui.panel.lines import LineList, Row, words

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Claim


class ClaimList(LineList):
    kind = "claim"

    _data: PanelData | None = None

    def show_data(self, data: PanelData) -> None:
        self._data = data
        analysis = data.analysis
        if analysis is None:
            self.set_rows([])
            return
        grades = data.grades()
        sourced = [c for c in analysis.claims if c.source]
        unsourced = [c for c in analysis.claims if not c.source]
        more_sourced = max(0, len(sourced) - CLAIMS_SHOWN)
        more_unsourced = max(0, len(unsourced) - CLAIMS_SHOWN)
        rows = [
            self._row(analysis, data, grades, claim, gap=i > 0)
            for i, claim in enumerate(sourced[:CLAIMS_SHOWN])
        ]
        if more_sourced:
            rows.append(
                Row(
                    None,
                    (
                        Text(
                            f"…and {more_sourced} more sourced claims: f filters the text",
                            style="dim",
                        ),
                    ),
                )
            )
        if unsourced:
            total = len(unsourced)
            rows.append(
                Row(
                    None,
                    (Text(f"Unsourced statements ({total}): the author's own", style="dim"),),
                    gap=bool(rows),
                )
            )
            rows += [
                self._row(analysis, data, grades, claim, gap=True)
                for claim in unsourced[:CLAIMS_SHOWN]
            ]
            if more_unsourced:
                rows.append(
                    Row(
                        None,
                        (Text(f"…and {more_unsourced} more: f filters the text", style="dim"),),
                    )
                )
        self.set_rows(rows)

    @staticmethod
    def _row(
        analysis: Analysis,
        data: PanelData,
        grades: dict[tuple[str, str], str],
        claim: Claim,
        *,
        gap: bool,
    ) -> Row:
        head = Text(end="")
        grade = grades.get(("claim", claim.id))
        if grade:
            head.append(f"[{words(grade).plain}] ", style="bold reverse")
        if claim.source:
            head.append(words(source_label(analysis, claim.source)).plain, style="bold")
            if claim.cue:
                head.append(f"  {words(claim.cue.text).plain}", style="italic")
            if claim.kind != "speech":
                head.append(f"  ({words(claim.kind).plain})", style="dim")  # stance, belief…
        else:
            head.append("(unsourced)", style="dim")
        if claim.hedges:
            hedges = ", ".join(words(h.text).plain for h in claim.hedges[:3])
            head.append(f"  ~{hedges}", style=data.marks.hedge)
        return Row(claim.id, (head, words(claim_excerpt(analysis.text, claim))), gap=gap)

    def detail(self, key: str) -> Text | None:
        """The selected claim whole: who claims it (the source's chain), how (cue, kind,
        quote), hedges, figures, the reader's grade, what is claimed and the sentence."""
        data = self._data
        analysis = data.analysis if data is not None else None
        claim = next((c for c in analysis.claims if c.id == key), None) if analysis else None
        if data is None or analysis is None or claim is None:
            return None
        text = analysis.text
        out = Text(end="")

        def field(name: str, value: str, style: str = "") -> None:
            if out.plain:
                out.append("\n")
            out.append(f"{name}: ", style="bold")
            out.append(clean_line(value), style=style)

        chain: list[str] = []
        seen: set[str] = set()
        src = analysis.source(claim.source)
        while src is not None and src.id not in seen:
            seen.add(src.id)
            chain.append(f"{src.name} ({SOURCE_KINDS.get(src.kind, src.kind)})")
            src = analysis.source(src.via)
        field("Source", " via ".join(chain) if chain else "none: the author's own statement")
        if claim.cue:
            field("Cue", f"{claim.cue.text} ({claim.cue.stance})", "italic")
        field("Kind", claim.kind + (f", {claim.quote} quote" if claim.quote != "none" else ""))
        if claim.hedges:
            field("Hedges", ", ".join(f"{h.text} ({h.level})" for h in claim.hedges))
        if claim.figures:
            field("Figures", ", ".join(f.text for f in claim.figures))
        if grade := data.grade_of("claim", claim.id):
            field("Grade", grade, "bold")
        if claim.content:
            field("Claimed", " … ".join(text[c.start : c.end] for c in claim.content))
        field("Sentence", text[claim.start : claim.end])
        return out
