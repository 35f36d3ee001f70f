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
_MAXLEN = max(len(k) for k in _PHRASES)
_FIRST = {k[0] for k in _PHRASES}


def find_hedges(tokens: Any, offset: int) -> list[Hedge]:
    """Hedges in a spaCy token sequence (a Span or Doc); ``offset`` maps token.idx into the
    briefing text. Longest phrase first, no overlaps."""
    out: list[Hedge] = []
    toks = list(tokens)
    i = 0
    n = len(toks)
    lows = [t.lower_ for t in toks]
    while i < n:
        hit = None
        if lows[i] not in _FIRST:
            i += 1
            continue
        for L in range(min(_MAXLEN, n - i), 0, -1):
            key = tuple(lows[i : i + L])
            if key in _PHRASES:
                hit = (L, key)
                break
        if hit is None:
            i += 1
            continue
        L, key = hit
        first = toks[i]
        if L == 1 and key[0] in _MODALS and first.tag_ != "MD":
            i += 1
            continue  # "May" the month
        if L == 1 and key[0] in {"estimate", "potential"} and first.pos_ not in {"VERB", "ADJ"}:
            i += 1
            continue
        last = toks[i + L - 1]
        level = _PHRASES[key]
        start = offset + first.idx
        end = offset + last.idx + len(last.text)
        doc_text = dtext(first.doc)
        text = doc_text[first.idx : last.idx + len(last.text)]
        if level is None:
            out.append(Hedge(start, end, text, "uncalibrated", None))
        else:
            out.append(Hedge(start, end, text, level, ICD203[level]))
        i += L
    return out
