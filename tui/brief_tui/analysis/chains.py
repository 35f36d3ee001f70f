"""Sourcing chains within a sentence: "X reported that Y said ..." is Y's claim via X; "Y said
..., according to X" is one claim of Y via X."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .records import ClaimRec

if TYPE_CHECKING:
    pass


#: stances of cues that pass on what another said ("X reported that Y said")
_PLAIN = {"neutral", "report"}


def link_chains(found: list[ClaimRec], text_of: Callable[[int, int], str]) -> list[ClaimRec]:
    """Chains within a sentence: "X reported that Y said ..." is Y's claim via X (X's report
    of it stays a claim of X's); "Y said ..., according to X" is one claim of Y via X."""
    out = list(found)
    for outer in found:
        if outer.source is None or outer.cue is None:
            continue
        if outer.cue.text.lower() == "according to":
            # "Y said ..., according to X"
            for inner in found:
                if inner is outer or inner.cue is None or inner.source is None:
                    continue
                drop = (outer.cue.start, outer.source.span.end)
                rest = [
                    (x, y)
                    for a, b in inner.content
                    for x, y in ((a, min(b, drop[0])), (max(a, drop[1]), b))
                    if y > x and any(ch.isalnum() for ch in text_of(x, y))
                ]
                # "according to X" after all of Y's content; not "Z learned that according
                # to X, ..." (X's claim inside Z's)
                if (
                    inner.via is None
                    and any(a <= inner.cue.start < b for a, b in outer.content)
                    and all(b <= drop[0] for _a, b in rest)
                ):
                    inner.via = outer.source
                    inner.content = rest or inner.content
                    if outer in out:
                        out.remove(outer)
                    break
            continue
        if outer.cue.stance != "report" and outer.kind != "speech":
            continue  # "I think X said": a belief about a claim, not a chain
        for inner in found:
            if inner is outer or inner.cue is None or inner.source is None:
                continue
            if inner.cue.stance not in _PLAIN or inner.source.how == "pronoun":
                continue  # "X said she believed ...": X's claim about her belief
            c0 = inner.cue.start
            nested = any(a <= c0 < b for a, b in outer.content) and all(
                any(a <= x and y <= b + 1 for a, b in outer.content) for x, y in inner.content
            )
            if nested and inner.via is None:
                # the outer claim stays: what X reported is that Y said it
                inner.via = outer.source
                break
    return out
