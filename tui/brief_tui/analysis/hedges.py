"""Hedging and estimative language, with the ICD 203 probability bands where the word is on
that scale (US Intelligence Community Directive 203, "Analytic Standards", 2015)."""

from __future__ import annotations

from typing import Any

from .model import Hedge
from .records import dtext

#: ICD 203 level name -> probability band
ICD203: dict[str, tuple[float, float]] = {
    "almost no chance": (0.01, 0.05),
    "very unlikely": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "roughly even chance": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "very likely": (0.80, 0.95),
    "almost certain": (0.95, 0.99),
}

#: phrase (lower-case tokens joined by spaces) -> ICD 203 level
CALIBRATED: dict[str, str] = {
    "almost no chance": "almost no chance",
    "remote": "almost no chance",
    "remote chance": "almost no chance",
    "remotely": "almost no chance",
    "very unlikely": "very unlikely",
    "highly unlikely": "very unlikely",
    "highly improbable": "very unlikely",
    "very improbable": "very unlikely",
    "unlikely": "unlikely",
    "improbable": "unlikely",
    "improbably": "unlikely",
    "roughly even chance": "roughly even chance",
    "roughly even odds": "roughly even chance",
    "even chance": "roughly even chance",
    "even odds": "roughly even chance",
    "likely": "likely",
    "probable": "likely",
    "probably": "likely",
    "very likely": "very likely",
    "highly likely": "very likely",
    "highly probable": "very likely",
    "very probable": "very likely",
    "almost certain": "almost certain",
    "almost certainly": "almost certain",
    "nearly certain": "almost certain",
    "virtually certain": "almost certain",
}

#: hedges that are not on the ICD scale
UNCALIBRATED: frozenset[str] = frozenset(
    {
        "possibly",
        "possible",
        "perhaps",
        "maybe",
        "may",
        "might",
        "could",
        "reportedly",
        "allegedly",
        "alleged",
        "apparently",
        "apparent",
        "seemingly",
        "expected",
        "unclear",
        "uncertain",
        "unconfirmed",
        "trying to confirm",
        "estimates",
        "estimated",
        "estimate",
        "believed",
        "suspected",
        "appears",
        "appear",
        "appeared",
        "seems",
        "seem",
        "seemed",
        "potentially",
        "potential",
        "purportedly",
        "presumably",
        "not clear",
        "not yet clear",
        "unverified",
        "could not be verified",
        "could not be independently verified",
        "conceivably",
        "plausibly",
        "plausible",
        "suggests",
        "suggested",
        "indicates",
        "thought to",
        "believed to",
        "said to be",
        "feared",
        "rumoured",
        "rumored",
        "unknown",
        "not known",
        "speculated",
    }
)

_MODALS = {"may", "might", "could"}
_PHRASES: dict[tuple[str, ...], str | None] = {}
for _p, _lvl in CALIBRATED.items():
    _PHRASES[tuple(_p.split())] = _lvl
for _p in UNCALIBRATED:
    _PHRASES.setdefault(tuple(_p.split()), None)


def phrases() -> list[tuple[str, ...]]:
    """Every hedge phrase as its lower-case words (the patterns of matchers.py)."""
    return list(_PHRASES)


def find_hedges(tokens: Any, offset: int, longest: dict[int, int]) -> list[Hedge]:
    """Hedges in a spaCy token sequence (a Span or Doc); ``offset`` maps token.idx into the
    briefing text; ``longest`` maps a token index of the doc to the end of the longest hedge
    phrase starting there (matchers.hedge_matches). Leftmost, then longest, no overlaps."""
    out: list[Hedge] = []
    if not longest:
        return out
    doc = tokens.doc if hasattr(tokens, "doc") else tokens
    lo, hi = (tokens.start, tokens.end) if hasattr(tokens, "start") else (0, len(doc))
    doc_text = dtext(doc)
    i = lo
    for s in sorted(k for k in longest if lo <= k < hi):
        if s < i:
            continue  # inside the hedge before it
        e = longest[s]
        if e > hi:
            # a phrase running past the span: the longest one inside it
            e = max((e2 for e2 in range(s + 1, hi + 1) if _key(doc, s, e2) in _PHRASES), default=0)
            if not e:
                continue
        first = doc[s]
        key = _key(doc, s, e)
        if e - s == 1 and key[0] in _MODALS and first.tag_ != "MD":
            continue  # "May" the month
        if e - s == 1 and key[0] in {"estimate", "potential"} and first.pos_ not in {"VERB", "ADJ"}:
            continue
        last = doc[e - 1]
        level = _PHRASES[key]
        start = offset + first.idx
        end = offset + last.idx + len(last.text)
        text = doc_text[first.idx : last.idx + len(last.text)]
        if level is None:
            out.append(Hedge(start, end, text, "uncalibrated", None))
        else:
            out.append(Hedge(start, end, text, level, ICD203[level]))
        i = e
    return out


def _key(doc: Any, a: int, b: int) -> tuple[str, ...]:
    return tuple(doc[k].lower_ for k in range(a, b))
