"""Character spans of token runs and quotations, for claims and their sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import dtext

if TYPE_CHECKING:
    pass


QUOTE_CHARS = {"“", "”", '"', "„", "«", "»"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in a paragraph as (start, end) including the marks; an unclosed quotation
    runs to the end of the paragraph."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in {"“", "„", "«"}:
            close = {"“": "”", "„": "“", "«": "»"}[ch]
            j = text.find(close, i + 1)
            if ch == "„" and j < 0:
                j = text.find("”", i + 1)
            j = n - 1 if j < 0 else j
            out.append((i, j + 1))
            i = j + 1
            continue
        if ch == '"':
            j = text.find('"', i + 1)
            j = n - 1 if j < 0 else j
            out.append((i, j + 1))
            i = j + 1
            continue
        i += 1
    return [(a, b) for a, b in out if b - a > 2]


def span_chars(doc: Any, toks: list[Any]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def token_runs(doc: Any, ids: set[int], keep_quotes: bool = True) -> list[tuple[int, int]]:
    """Contiguous token runs of ``ids`` as char spans (in doc), trimmed of punctuation and
    conjunctions at their edges."""
    out = []
    for run in group_runs(sorted(ids)):
        toks = [doc[i] for i in run]
        while toks and _edge_junk(toks[0], keep_quotes, left=True):
            toks.pop(0)
        while toks and _edge_junk(toks[-1], keep_quotes, left=False):
            toks.pop()
        if toks and any(t.is_alpha or t.like_num for t in toks):
            a, b = span_chars(doc, toks)
            seg = dtext(doc)[a:b]
            if keep_quotes and seg.count("“") > seg.count("”"):
                j = dtext(doc).find("”", b, b + 3)
                if j >= 0:
                    b = j + 1
            if keep_quotes and seg.count('"') % 2 == 1 and seg.startswith('"'):
                j = dtext(doc).find('"', b, b + 3)
                if j >= 0:
                    b = j + 1
            out.append((a, b))
    return out


def _edge_junk(t: Any, keep_quotes: bool, left: bool) -> bool:
    if t.text in QUOTE_CHARS or t.text in {"'", "‘", "’"}:
        return not keep_quotes
    if t.is_punct or t.is_space:
        return True
    return left and t.pos_ == "CCONJ"


def group_runs(ids: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def subtree_ids(t: Any, exclude: set[int] | None = None) -> set[int]:
    ids = {x.i for x in t.subtree}
    if exclude:
        ids -= exclude
    return ids
