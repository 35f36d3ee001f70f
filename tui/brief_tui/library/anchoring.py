"""Text anchors for annotations, after the W3C Web Annotation model: the types and the
plain functions the store and re-anchoring share (no I/O; re-anchoring itself is in
:mod:`brief_tui.library.reanchor`).

A ``Selector`` is a TextPositionSelector (``start``, ``end``: ``str`` indices, end excluded)
and a TextQuoteSelector (``exact`` with up to 32 characters of ``prefix`` and ``suffix``)
in one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brief_tui.library.annotations import Annotation

#: characters of context kept on each side of a quote
CONTEXT = 32


@dataclass(frozen=True, slots=True)
class Selector:
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What :func:`reanchor_all` did: annotations moved, of which placed in the new text
    (``anchored``) and not placed (``orphaned``; kept, flagged)."""

    moved: int
    anchored: int
    orphaned: int


def make_selector(text: str, start: int, end: int) -> Selector:
    """The selector of ``text[start:end]``. Raises ``ValueError`` for offsets outside the text."""
    if not (0 <= start <= end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside a text of {len(text)} characters")
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def selector_of(annotation: Annotation) -> Selector | None:
    """The stored selector of an annotation, or ``None`` when it has no text anchor."""
    a = annotation
    if a.start is None or a.end is None or a.exact is None:
        return None
    return Selector(a.start, a.end, a.exact, a.prefix or "", a.suffix or "")
