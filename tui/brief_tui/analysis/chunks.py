"""Splitting a text into paragraphs/pieces that spaCy can take one at a time.

Newlines are hard breaks (a headline must not run into the first sentence); a very long line
is cut into pieces at sentence-like boundaries so that no Doc ever exceeds ``MAX_PIECE``
characters (spaCy's limit is 1,000,000 and memory grows fast well before that)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .gazetteer import ACRONYMS, NEWS_AGENCIES, STATE_MEDIA

MAX_PIECE = 20_000
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding white space, cut into
    pieces of at most MAX_PIECE characters."""
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            d = dateline_end(text, s, e)
            if d is not None:
                # the dateline is the briefing's provenance: parsed on its own, it can neither
                # be the subject of the first sentence nor a title in front of its name
                yield s, d[0]
                s = d[1]
            if e > s:
                yield from _pieces(text, s, e)
        pos = end + 1


def _pieces(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while e - s > MAX_PIECE:
        limit = s + MAX_PIECE
        cut = -1
        for m in _SENT_END.finditer(text, s + MAX_PIECE // 2, limit):
            cut = m.end()
        if cut < 0:
            ws = text.rfind(" ", s + MAX_PIECE // 2, limit)
            cut = ws + 1 if ws > 0 else limit
        piece_end = cut
        while piece_end > s and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > s:
            yield s, piece_end
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        yield s, e


_AGENCIES = {a.casefold() for a in NEWS_AGENCIES | STATE_MEDIA}
#: "WASHINGTON (AFP) -", "SEOUL, Oct 29 (Reuters) -", "Kyiv, Ukraine (AP) —", "MOSCOW —":
#: a place (a few capitalised words, commas between), perhaps a date, perhaps an agency in
#: brackets, perhaps a dash, at the start of a paragraph
_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4})"
    r"(?:, (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}\.?)(?:,? \d{4})?)?"
    r"(?: ?\((?P<agency>[\w.&' -]{2,40})\)(?: ?(?:--|[-–—]) ?)?|(?P<dash> ?(?:--|[-–—]) ))"
)


def dateline_end(text: str, s: int, e: int) -> tuple[int, int] | None:
    """(end of the dateline, start of what follows) when the paragraph text[s:e] opens with
    a news dateline; a dateline names a known agency in brackets, or is an upper-case place
    followed by a dash ("WASHINGTON —"). "Sen. Ted Cruz (R-Texas) said" is none."""
    m = _DATELINE.match(text, s, min(e, s + 120))
    if m is None:
        return None
    agency = m.group("agency")
    place = m.group("place")
    known = agency is not None and agency.strip().casefold() in _AGENCIES
    caps = place.replace(",", "").replace(" ", "").replace(".", "").isupper() and len(place) > 2
    if not (known or (caps and agency is None and place not in ACRONYMS)):
        return None
    end = m.end("agency") + 1 if agency is not None else m.end("place")
    nxt = m.end()
    while nxt < e and text[nxt].isspace():
        nxt += 1
    if nxt < e and text[nxt].islower():
        return None  # "The White House (AP) said": a subject, not a dateline
    return end, nxt


def is_dateline(text: str, s: int, e: int) -> bool:
    """The piece text[s:e] is a dateline alone (as paragraphs() cuts it off)."""
    d = dateline_end(text, s, e)
    return d is not None and d[0] == e
