"""Re-anchoring: placing annotations again when a briefing's text changed. It sits above
the store (which only moves the rows, with the places given to it) and finds each quote
again, in this order:

1. at its old position, if the quote is still there (and its context does not point elsewhere);
2. an exact occurrence of the quote, chosen by its context and nearness to the old position;
3. a fuzzy match (RapidFuzz), first near the old position, then anywhere, of the quote alone
   and of the quote in its context; a match is only taken with at most ~25% edits in the
   quote (short quotes must also keep most of their context);
4. otherwise ``None``: the annotation becomes an orphan, kept and shown, never deleted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import ReanchorReport, Selector, make_selector

if TYPE_CHECKING:
    from brief_tui.library.store.protocol import LibraryStore

#: edits allowed in a fuzzy match, as a share of the quote's length
MAX_ERROR_RATE = 0.25
#: quotes shorter than this are fuzzily matched only with most of their context intact
SHORT_QUOTE = 8
#: the first fuzzy search looks this far (characters) around the old position
NEAR_WINDOW = 4000
#: stop counting exact occurrences after this many (a one-letter quote in a long report)
MAX_OCCURRENCES = 5000


def _context_similarity(text: str, start: int, end: int, sel: Selector) -> float:
    """0..1: how well the text around ``start:end`` matches the selector's prefix and suffix."""
    from rapidfuzz.distance import Indel  # (imported when notes are placed again: 10 ms)

    sims: list[float] = []
    if sel.prefix:
        sims.append(
            Indel.normalized_similarity(sel.prefix, text[max(0, start - len(sel.prefix)) : start])
        )
    if sel.suffix:
        sims.append(Indel.normalized_similarity(sel.suffix, text[end : end + len(sel.suffix)]))
    return sum(sims) / len(sims) if sims else 1.0


def _proximity(text: str, start: int, sel: Selector) -> float:
    return 1.0 - min(1.0, abs(start - sel.start) / max(len(text), 1))


def _context_matches_exactly(text: str, start: int, end: int, sel: Selector) -> bool:
    return (
        text[max(0, start - len(sel.prefix)) : start] == sel.prefix
        and text[end : end + len(sel.suffix)] == sel.suffix
    )


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    i = text.find(quote)
    while i != -1 and len(found) < MAX_OCCURRENCES:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _max_errors(quote: str) -> int:
    return max(1, math.floor(len(quote) * MAX_ERROR_RATE))


def _map_span(needle: str, hay: str, qs: int, qe: int) -> tuple[int, int] | None:
    """Align ``needle`` with ``hay`` (Levenshtein) and return where ``needle[qs:qe]`` lands
    in ``hay``; characters of ``hay`` outside the alignment of the quote are left out."""
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.opcodes(needle, hay)
    start: int | None = None
    end: int | None = None
    for op in ops:
        tag, i1, i2, j1 = op.tag, op.src_start, op.src_end, op.dest_start
        if i1 == i2:  # insert: characters only in hay
            continue
        if start is None and i1 <= qs < i2:
            start = j1 + (qs - i1) if tag in ("equal", "replace") else j1
        if i1 <= qe - 1 < i2:
            end = j1 + (qe - 1 - i1) + 1 if tag in ("equal", "replace") else j1
    if start is None or end is None or end < start:
        return None
    return start, end


def _fuzzy_candidates(text: str, sel: Selector, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans in ``text[lo:hi]`` where the quote, alone or in its context, matches best."""
    from rapidfuzz import fuzz

    quote = sel.exact
    k = _max_errors(quote)
    hay = text[lo:hi]
    out: list[tuple[int, int]] = []
    # (needle, where the quote is in it, lowest partial_ratio worth looking at)
    needles: list[tuple[str, int, int, float]] = []
    if len(quote) >= SHORT_QUOTE:
        needles.append((quote, 0, len(quote), 100.0 * (1 - 2 * k / len(quote))))
    if sel.prefix or sel.suffix:
        wrapped = sel.prefix + quote + sel.suffix
        needles.append((wrapped, len(sel.prefix), len(sel.prefix) + len(quote), 50.0))
    for needle, qs, qe, cutoff in needles:
        al = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=max(cutoff, 0.0))
        if al is None:
            continue
        pad = k + 2 + (len(needle) - len(quote)) // 4
        a = max(0, lo + al.dest_start - pad)
        b = min(len(text), lo + al.dest_end + pad)
        mapped = _map_span(needle, text[a:b], qs, qe)
        if mapped is not None:
            out.append((a + mapped[0], a + mapped[1]))
    return out


def _best_fuzzy(text: str, sel: Selector, lo: int, hi: int) -> tuple[int, int] | None:
    from rapidfuzz.distance import Levenshtein

    quote = sel.exact
    k = _max_errors(quote)
    best: tuple[float, tuple[int, int]] | None = None
    for s, e in _fuzzy_candidates(text, sel, lo, hi):
        if e <= s:
            continue
        # trim whitespace the alignment may have swallowed at the ends
        while s < e and text[s].isspace() and not quote[:1].isspace():
            s += 1
        while e > s and text[e - 1].isspace() and not quote[-1:].isspace():
            e -= 1
        dist = Levenshtein.distance(quote, text[s:e], score_cutoff=k)
        if dist > k:
            continue
        ctx = _context_similarity(text, s, e, sel)
        if len(quote) < SHORT_QUOTE and ctx < 0.6:
            continue
        quote_sim = 1.0 - dist / max(len(quote), e - s, 1)
        score = 0.7 * quote_sim + 0.3 * ctx + 0.05 * _proximity(text, s, sel)
        if best is None or score > best[0]:
            best = (score, (s, e))
    return best[1] if best else None


def reanchor(new_text: str, selector: Selector) -> tuple[int, int] | None:
    """Where the selector's quote is in ``new_text``, or ``None`` (an orphan)."""
    sel = selector
    quote = sel.exact
    if not quote:
        return None
    s, e = sel.start, sel.end
    # 1. still in place, context unchanged: the common case, O(1)
    if new_text[s:e] == quote and _context_matches_exactly(new_text, s, e, sel):
        return (s, e)
    # 2. exact occurrences, chosen by context, then by nearness to the old position
    occ = _occurrences(new_text, quote)
    if len(occ) == 1:
        return (occ[0], occ[0] + len(quote))
    if occ:
        n = len(quote)
        best = max(
            occ,
            key=lambda i: (
                0.8 * _context_similarity(new_text, i, i + n, sel)
                + 0.2 * _proximity(new_text, i, sel)
                + (1e-9 if i == s else 0.0)
            ),
        )
        return (best, best + n)
    # 3. fuzzy: near the old position first, then the whole text
    span = max(NEAR_WINDOW, 20 * len(quote))
    lo, hi = max(0, s - span), min(len(new_text), e + span)
    found = _best_fuzzy(new_text, sel, lo, hi)
    if found is None and (lo > 0 or hi < len(new_text)):
        found = _best_fuzzy(new_text, sel, 0, len(new_text))
    return found


def placer_for(new_text: str) -> Callable[[Selector], Selector | None]:
    """A function that re-anchors a selector in ``new_text`` and returns the new selector."""

    def place(sel: Selector) -> Selector | None:
        found = reanchor(new_text, sel)
        return make_selector(new_text, *found) if found else None

    return place


def reanchor_all(
    store: LibraryStore, briefing_old_id: str, new_briefing: Briefing, *, keep_old: bool = False
) -> ReanchorReport:
    """Move every annotation of ``briefing_old_id`` to ``new_briefing`` (stored if needed),
    re-anchored in its text. Annotations that cannot be placed are flagged as orphans and
    keep their old quote; none is deleted. Everything happens in one transaction. The old
    briefing (and its cached analyses) is removed afterwards unless ``keep_old``."""
    if briefing_old_id == new_briefing.id:
        return ReanchorReport(0, 0, 0)
    return store.relocate_annotations(
        briefing_old_id, new_briefing, placer_for(new_briefing.text), keep_old=keep_old
    )
