"""What the side panel's tabs share: the data they draw from, the interface of their lists
and the words they use for claims and sources."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive

from brief_tui.ui.palette import DEFAULT_MARKS, Marks

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Claim
    from brief_tui.library.annotations import Annotation

SOURCE_KINDS = {
    "person": "person",
    "official": "official body",
    "intelligence": "intelligence",
    "state-media": "state media",
    "news-agency": "news agency",
    "media": "media",
    "document": "document",
    "anonymous": "anonymous",
}

#: the claims list shows at most this many of each kind; the rest are reached in the text
#: (a 300-page report has thousands, and a list that long helps nobody)
CLAIMS_SHOWN = 1500


def claim_excerpt(text: str, claim: Claim, limit: int = 220) -> str:
    """What is claimed: the content fragments (joined by "…"), else the sentence."""
    if claim.content:
        body = " … ".join(" ".join(text[c.start : c.end].split()) for c in claim.content)
    else:
        body = " ".join(text[claim.start : claim.end].split())
    return body if len(body) <= limit else body[: limit - 1].rstrip() + "…"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def source_label(analysis: Analysis, source_id: str | None) -> str:
    """A source with its chain: "Lee Seong-kweun via National Intelligence Service"."""
    parts: list[str] = []
    seen: set[str] = set()
    src = analysis.source(source_id)
    while src is not None and src.id not in seen:
        seen.add(src.id)
        parts.append(src.name)
        src = analysis.source(src.via)
    return " via ".join(parts) if parts else "(unsourced)"


def content_size() -> Reactive[Size]:
    """The size of a panel list's content. Textual re-lays out the whole screen when it
    changes (about 90 ms, after every partial analysis); a panel list is 1fr high with a
    stable scrollbar gutter, so its own region never depends on it: repainting is enough."""
    return Reactive(Size(0, 0), layout=False)


#: the claim kinds in the order the Claims list's kind filter steps through them
CLAIM_KINDS = ("speech", "stance", "belief", "intention", "evidence", "author")


@dataclass
class ClaimView:
    """What the Claims list shows: one source's claims, one kind, sourced claims only,
    grouped by source (keys on the list change it)."""

    source: str | None = None
    kind: str | None = None
    sourced_only: bool = False
    grouped: bool = False

    @property
    def filtered(self) -> bool:
        return self.source is not None or self.kind is not None or self.sourced_only


@dataclass
class PanelData:
    """Everything the panel's lists are drawn from: the analysis, the reader's annotations
    and the marks of the theme; what the Claims list is narrowed to (its own filters, and
    the passages the reading filter ``f`` keeps); in a shared library, ``analyst`` is whose
    are the reader's own."""

    analysis: Analysis | None = None
    annotations: list[Annotation] = field(default_factory=list)
    marks: Marks = DEFAULT_MARKS
    claim_view: ClaimView = field(default_factory=ClaimView)
    #: the passages the reading filter keeps (None: no filter) and its label
    narrow: list[tuple[int, int]] | None = None
    narrow_label: str = ""
    #: the reader's name in a shared (team) library; None in the local one
    analyst: str | None = None

    def set_narrow(self, spans: list[tuple[int, int]] | None, label: str = "") -> None:
        """The reading filter's kept passages (merged where they meet), or None."""
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans or []):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.narrow = merged if spans is not None else None
        self.narrow_label = label if spans is not None else ""

    def _kept(self, claim: Claim) -> bool:
        """Whether the reading filter keeps this claim (its sentence meets a kept passage)."""
        spans = self.narrow
        if spans is None:
            return True
        i = bisect_left(spans, (claim.end, claim.end))  # the passages starting before its end
        return i > 0 and spans[i - 1][1] > claim.start

    def narrowed_claims(self) -> list[Claim]:
        """The claims the reading filter keeps (all of them without one)."""
        if self.analysis is None:
            return []
        return [c for c in self.analysis.claims if self._kept(c)]

    def shown_claims(self) -> list[Claim]:
        """The claims the Claims list shows, in the analysis's order."""
        view = self.claim_view
        return [
            c
            for c in self.narrowed_claims()
            if (view.source is None or c.source == view.source)
            and (view.kind is None or c.kind == view.kind)
            and (not view.sourced_only or c.source)
        ]

    @property
    def claims_filtered(self) -> bool:
        return self.claim_view.filtered or self.narrow is not None

    def claims_filter_words(self) -> str:
        """What the Claims list is narrowed to, in words ("" when it shows every claim)."""
        view, analysis = self.claim_view, self.analysis
        parts: list[str] = []
        if view.source is not None:
            src = analysis.source(view.source) if analysis is not None else None
            parts.append(f"by {src.name if src else view.source}")
        if view.kind is not None:
            parts.append(f"kind {view.kind}")
        if view.sourced_only:
            parts.append("sourced only")
        if self.narrow is not None:
            parts.append(f"f: {self.narrow_label}")
        return " · ".join(parts)

    @property
    def shared(self) -> bool:
        return self.analyst is not None

    def grade_of(self, target_type: str, target_id: str) -> str:
        """The latest grade and status the reader gave this claim or source, as shown."""
        return self.grades().get((target_type, target_id), "")

    def grades(self) -> dict[tuple[str, str], str]:
        """What :meth:`grade_of` shows, for every claim and source the reader graded."""
        return graded(self.annotations, self.analyst)

    def team_grades(self) -> dict[tuple[str, str], dict[str, str]]:
        """Each analyst's latest grade of every graded claim and source (shared library)."""
        return grades_by_author(self.annotations)

    def describe_target(self, a: Annotation, limit: int = 28) -> str:
        """What an annotation is on, in a few words: its quote, or the item's name."""
        if a.target_type == "text":
            quote = a.exact or ""
        else:
            name = a.target_id or ""
            analysis = self.analysis
            if analysis is not None:
                if a.target_type == "actor" and (actor := analysis.actor(a.target_id)):
                    name = actor.name
                elif a.target_type == "source" and (src := analysis.source(a.target_id)):
                    name = src.name
                elif a.target_type == "claim":
                    claim = next((c for c in analysis.claims if c.id == a.target_id), None)
                    if claim:
                        name = claim_excerpt(analysis.text, claim, 60)
            quote = f"{a.target_type}: {name}"
        quote = " ".join(quote.split())
        return quote if len(quote) <= limit else quote[: limit - 1] + "…"


def is_mine(a: Annotation, analyst: str | None) -> bool:
    """Whether the reader (``analyst`` in a shared library) made ``a``."""
    return analyst is None or a.author is None or a.author == analyst


def graded(annotations: list[Annotation], analyst: str | None = None) -> dict[tuple[str, str], str]:
    """The reader's own latest grade and status of each claim and source, as shown."""
    shown: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for a in annotations:
        if not is_mine(a, analyst):
            continue
        if a.target_type in ("claim", "source") and a.target_id and (a.grade or a.status):
            grade, status = shown.get((a.target_type, a.target_id), (None, None))
            shown[(a.target_type, a.target_id)] = (a.grade or grade, a.status or status)
    return {k: " · ".join(x for x in v if x) for k, v in shown.items()}


def grades_by_author(annotations: list[Annotation]) -> dict[tuple[str, str], dict[str, str]]:
    """Each author's latest grade of every claim and source, in the order they first
    graded it (annotations come oldest first among those on one item)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for a in sorted(annotations, key=lambda a: (a.updated_at or a.created_at, a.id)):
        if a.target_type in ("claim", "source") and a.target_id and a.grade:
            out.setdefault((a.target_type, a.target_id), {})[a.author or ""] = a.grade
    return out


def spread(by_author: dict[str, str]) -> str:
    """How a team graded one item: "B by 2, C by 1" (the most given first)."""
    counts: dict[str, int] = {}
    for grade in by_author.values():
        counts[grade] = counts.get(grade, 0) + 1
    order = sorted(counts, key=lambda g: (-counts[g], g))
    return ", ".join(f"{g} by {counts[g]}" for g in order)


class PanelList:
    """What every list of the side panel offers: its ``kind`` of item, the key of the
    selected one, and the messages it posts (handled by the reader screen)."""

    kind: str = ""

    class Chosen(Message):
        """Enter (or a click) on an item: jump to it."""

        def __init__(self, kind: str, key: str) -> None:
            super().__init__()
            self.kind = kind
            self.key = key

    class Edit(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Delete(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def selected_key(self) -> str | None:
        raise NotImplementedError
