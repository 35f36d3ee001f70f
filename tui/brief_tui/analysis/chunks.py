"""Splitting a text into paragraphs/pieces that spaCy can take one at a time.

Newlines are hard breaks (a headline must not run into the first sentence); a very long line
is cut into pieces at sentence-like boundaries so that no Doc ever exceeds ``MAX_PIECE``
characters (spaCy's limit is 1,000,000 and memory grows fast well before that)."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
