"""The Claims tab: the sourced claims (source, cue, hedges, then what is claimed), then the
author's own statements, each list cut at CLAIMS_SHOWN; or the claims grouped by source.
Keys on the list narrow it to one source, one kind or the sourced claims; the reading
filter (f) narrows it to the passages it keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from brief_tui.briefing.untrusted import clean_line
from brief_tui.ui.panel.base import (
    CLAIM_KINDS,
    CLAIMS_SHOWN,
    SOURCE_KINDS,
    ClaimView,
    PanelData,
    claim_excerpt,
    plural,
    source_label,
)
from brief_tui.ui.panel.lines import LineList, Row, words

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Claim


class ClaimList(LineList):
    """The claims, filtered and grouped by the keys below, each a toggle (s: the selected
    claim's source only; K: the next kind, after the last all kinds; S: sourced claims only;
    o: grouped by source; backspace: all). The filter shows on the tab's title and on the
    list's first line; c / C step through what is shown."""

    kind = "claim"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "only_source", "This source only", id="claims.source"),
        Binding("K", "next_kind", "Next kind", id="claims.kind"),
        Binding("S", "sourced_only", "Sourced only", id="claims.sourced"),
        Binding("o", "group", "Group by source", id="claims.group"),
        Binding("backspace", "show_all", "All claims", id="claims.all"),
    ]

    class FilterChanged(Message):
        """The list's own filter or grouping changed (the tab's title says it)."""

    _data: PanelData | None = None

    # ------------------------------------------------------------------ filter keys
    def _view(self) -> ClaimView | None:
        return self._data.claim_view if self._data is not None else None

    def _redraw(self) -> None:
        if self._data is not None:
            self.show_data(self._data)
            # the heading saying what is shown in view, unless that hides the selected claim
            self.scroll_to(y=0, animate=False, immediate=True)
            self._scroll_to_cursor()
        self.post_message(self.FilterChanged())

    def action_only_source(self) -> None:
        view, data = self._view(), self._data
        key = self.selected_key()
        if view is None or data is None or data.analysis is None:
            return
        if view.source is not None:
            view.source = None
        else:
            claim = next((c for c in data.analysis.claims if c.id == key), None)
            if claim is None or not claim.source:
                self.app.bell()
                self.notify("Select a sourced claim: s shows only its source's claims.")
                return
            view.source = claim.source
        self._redraw()

    def action_next_kind(self) -> None:
        view, data = self._view(), self._data
        if view is None or data is None:
            return
        present = {c.kind for c in data.narrowed_claims()}
        kinds = [k for k in CLAIM_KINDS if k in present] + sorted(present - set(CLAIM_KINDS))
        at = kinds.index(view.kind) + 1 if view.kind in kinds else 0
        view.kind = kinds[at] if at < len(kinds) else None
        self._redraw()

    def action_sourced_only(self) -> None:
        if (view := self._view()) is not None:
            view.sourced_only = not view.sourced_only
            self._redraw()

    def action_group(self) -> None:
        if (view := self._view()) is not None:
            view.grouped = not view.grouped
            self._redraw()

    def action_show_all(self) -> None:
        view = self._view()
        if view is not None and (view.filtered or view.grouped):
            view.source, view.kind, view.sourced_only, view.grouped = None, None, False, False
            self._redraw()

    # ------------------------------------------------------------------ rows
    def show_data(self, data: PanelData) -> None:
        self._data = data
        analysis = data.analysis
        if analysis is None:
            self.set_rows([])
            return
        key = self.selected_key()
        grades = data.grades()
        shown = data.shown_claims()
        rows: list[Row] = []
        if data.claims_filtered or data.claim_view.grouped:
            said = [data.claims_filter_words(), "grouped by source" * data.claim_view.grouped]
            heading = f"Showing {len(shown)} of {len(analysis.claims)}: "
            heading += " · ".join(x for x in said if x)
            line = Text(clean_line(heading), style="bold")
            if data.claim_view.filtered or data.claim_view.grouped:
                line.append("  (backspace: all)", style="dim")
            rows.append(Row(None, (line,)))
            if not shown:
                hint = "backspace shows all" if data.claim_view.filtered else "f clears"
                rows.append(Row(None, (Text(f"No claim is left: {hint}.", style="dim"),)))
        if data.claim_view.grouped:
            rows += self._grouped(analysis, data, grades, shown)
        else:
            rows += self._by_kind(analysis, data, grades, shown, gap=bool(rows))
        self.set_rows(rows)
        if key is not None and self.holds(key):  # the same claim stays selected
            self.move_cursor(row=self.get_row_index(key))

    def _by_kind(
        self,
        analysis: Analysis,
        data: PanelData,
        grades: dict[tuple[str, str], str],
        shown: list[Claim],
        *,
        gap: bool,
    ) -> list[Row]:
        """The sourced claims, then the author's own statements."""
        sourced = [c for c in shown if c.source]
        unsourced = [c for c in shown if not c.source]
        more_sourced = max(0, len(sourced) - CLAIMS_SHOWN)
        more_unsourced = max(0, len(unsourced) - CLAIMS_SHOWN)
        rows = [
            self._row(analysis, data, grades, claim, gap=gap or i > 0)
            for i, claim in enumerate(sourced[:CLAIMS_SHOWN])
        ]
        if more_sourced:
            rows.append(_dim(f"…and {more_sourced} more sourced claims: f filters the text"))
        if unsourced:
            total = len(unsourced)
            rows.append(
                _dim(f"Unsourced statements ({total}): the author's own", gap=bool(rows) or gap)
            )
            rows += [
                self._row(analysis, data, grades, claim, gap=True)
                for claim in unsourced[:CLAIMS_SHOWN]
            ]
            if more_unsourced:
                rows.append(_dim(f"…and {more_unsourced} more: f filters the text"))
        return rows

    def _grouped(
        self,
        analysis: Analysis,
        data: PanelData,
        grades: dict[tuple[str, str], str],
        shown: list[Claim],
    ) -> list[Row]:
        """One heading per source (the most cited first), its claims under it; the author's
        own statements last."""
        groups: dict[str, list[Claim]] = {}
        for c in shown:
            groups.setdefault(c.source or "", []).append(c)
        order = sorted(
            groups,
            key=lambda s: (s == "", -len(groups[s]), source_label(analysis, s).lower()),
        )
        rows: list[Row] = []
        left = CLAIMS_SHOWN
        for src_id in order:
            claims = groups[src_id]
            if src_id:
                src = analysis.source(src_id)
                kind = SOURCE_KINDS.get(src.kind, src.kind) if src else ""
                title = f"{source_label(analysis, src_id)} ({kind}): {plural(len(claims), 'claim')}"
            else:
                title = f"The author's own statements: {len(claims)}"
            head = Text(clean_line(title), style="bold underline")
            rows.append(Row(None, (head,), gap=bool(rows)))
            rows += [
                self._row(analysis, data, grades, claim, gap=i > 0)
                for i, claim in enumerate(claims[:left])
            ]
            if len(claims) > left:
                rows.append(_dim(f"…and {len(claims) - left} more: f filters the text"))
            left = max(0, left - len(claims))
        return rows

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


def _dim(line: str, *, gap: bool = False) -> Row:
    """A line that cannot be chosen (a heading, a "…and N more")."""
    return Row(None, (Text(clean_line(line), style="dim"),), gap=gap)
