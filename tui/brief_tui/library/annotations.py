"""The annotation record and the vocabularies its fields draw from. Plain data, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Protocol

KINDS: Final = ("highlight", "note", "tag", "grade")
TARGET_TYPES: Final = ("text", "actor", "claim", "source")
#: highlight meanings (each a colour and a tag in the UI); ``None`` means no meaning
MEANINGS: Final = ("key", "doubt", "follow-up")
#: Admiralty source reliability (A-F) and information credibility (1-6)
SOURCE_GRADES: Final = ("A", "B", "C", "D", "E", "F")
CLAIM_GRADES: Final = ("1", "2", "3", "4", "5", "6")
GRADES: Final = SOURCE_GRADES + CLAIM_GRADES
STATUSES: Final = ("unverified", "corroborated", "disputed", "false")

SOURCE_GRADE_LABELS: Final = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CLAIM_GRADE_LABELS: Final = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}


@dataclass(frozen=True, slots=True)
class Annotation:
    """One mark the reader made. Text targets carry a selector (start, end, exact, prefix,
    suffix: the W3C TextPositionSelector + TextQuoteSelector); actor/claim/source targets
    carry ``target_id`` and may carry a selector as well (the span they were made on).

    ``orphan`` is True when the text changed and the quote could no longer be placed: the
    annotation is kept, its offsets are those it last had, and ``exact`` still holds the quote.
    Times are ISO 8601 strings in UTC.
    """

    id: str
    briefing_id: str
    kind: str
    target_type: str = "text"
    target_id: str | None = None
    start: int | None = None
    end: int | None = None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    meaning: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = field(default=())
    grade: str | None = None
    status: str | None = None
    orphan: bool = False
    created_at: str = ""
    updated_at: str = ""
    #: who made it, in a team library (the configured analyst); ``None`` in a local one
    author: str | None = None

    @property
    def has_text_anchor(self) -> bool:
        return self.start is not None and self.end is not None and self.exact is not None

    def sort_key(self) -> tuple[int, int, int, int, str, str]:
        """Text order, orphans last; targets without a text anchor after anchored ones."""
        anchored = self.start is not None
        return (
            1 if self.orphan else 0,
            0 if anchored else 1,
            self.start if self.start is not None else 0,
            self.end if self.end is not None else 0,
            self.created_at,
            self.id,
        )


def normalise_tags(tags: object) -> tuple[str, ...]:
    """Tags as stored: stripped, without a leading '#', inner whitespace as '-', no empties,
    no duplicates (first spelling wins, compared case-insensitively), order kept."""
    if tags is None:
        return ()
    if isinstance(tags, str):
        raise TypeError("tags must be a list of strings, not a string")
    out: list[str] = []
    seen: set[str] = set()
    for t in tags:  # type: ignore[attr-defined]
        if not isinstance(t, str):
            raise TypeError(f"tag {t!r} is not a string")
        t = "-".join(t.strip().lstrip("#").split())
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return tuple(out)


def validate(
    *,
    kind: str,
    target_type: str,
    target_id: str | None,
    meaning: str | None,
    grade: str | None,
    status: str | None,
) -> None:
    """Raise ``ValueError`` with a one-line message when a field is outside its vocabulary."""
    if kind not in KINDS:
        raise ValueError(f"unknown annotation kind {kind!r} (one of {', '.join(KINDS)})")
    if target_type not in TARGET_TYPES:
        raise ValueError(f"unknown target type {target_type!r} (one of {', '.join(TARGET_TYPES)})")
    if target_type != "text" and not target_id:
        raise ValueError(f"an annotation on a {target_type} needs its id")
    if meaning is not None and meaning not in MEANINGS:
        raise ValueError(f"unknown meaning {meaning!r} (one of {', '.join(MEANINGS)})")
    if grade is not None:
        if grade not in GRADES:
            raise ValueError(f"grade {grade!r} is neither A-F (source) nor 1-6 (claim)")
        if target_type == "source" and grade not in SOURCE_GRADES:
            raise ValueError(f"a source is graded A-F, not {grade!r}")
        if target_type == "claim" and grade not in CLAIM_GRADES:
            raise ValueError(f"a claim is graded 1-6, not {grade!r}")
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")


#: the fields an update may change (the rest are fixed, or follow from these)
UPDATABLE: Final = frozenset(
    {
        "kind",
        "target_type",
        "target_id",
        "start",
        "end",
        "meaning",
        "note",
        "tags",
        "grade",
        "status",
    }
)


class Span(Protocol):
    """Where a span of a briefing's text is, and its quote (an anchoring ``Selector``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def exact(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...


def check_changes(changes: Mapping[str, Any]) -> None:
    """Refuse an update's changes before anything is read: ``TypeError`` for a field that
    cannot change, ``ValueError`` for a start without its end (or the other way)."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
    if ("start" in changes) != ("end" in changes):
        raise ValueError("change start and end together")


def apply_changes(
    old: Annotation, changes: Mapping[str, Any], select: Callable[[int, int], Span]
) -> Annotation:
    """``old`` with ``changes`` made (checked by :func:`check_changes`) and validated, its
    ``updated_at`` as it was (the store stamps it when something changed). ``select(start,
    end)`` quotes a new span from the briefing's text. Both stores update through this."""
    fields: dict[str, Any] = {k: v for k, v in changes.items() if k not in ("start", "end")}
    if "tags" in fields:
        fields["tags"] = normalise_tags(fields["tags"])
    if "note" in fields and not fields["note"]:
        fields["note"] = None
    if "start" in changes:
        if changes["start"] is None or changes["end"] is None:
            fields.update(start=None, end=None, exact=None, prefix=None, suffix=None)
        else:
            sel = select(changes["start"], changes["end"])
            fields.update(
                start=sel.start,
                end=sel.end,
                exact=sel.exact,
                prefix=sel.prefix,
                suffix=sel.suffix,
                orphan=False,
            )
    new = replace(old, **fields)
    validate(
        kind=new.kind,
        target_type=new.target_type,
        target_id=new.target_id,
        meaning=new.meaning,
        grade=new.grade,
        status=new.status,
    )
    if new.target_type == "text" and not new.has_text_anchor:
        raise ValueError("a text annotation needs a span")
    return new


def describe(a: Annotation) -> str:
    """A few words for the undo log: "note on claim c3 “About 3,000…”"."""
    what = a.kind
    if a.target_type != "text":
        what += f" on {a.target_type} {a.target_id}"
    if a.exact:
        quote = " ".join(a.exact.split())
        what += f" “{quote if len(quote) <= 40 else quote[:39] + '…'}”"
    return what


def annotation_to_json(a: Annotation) -> dict[str, Any]:
    """The JSON form both stores keep in their undo logs (and the team journal)."""
    return {
        "id": a.id,
        "briefing_id": a.briefing_id,
        "kind": a.kind,
        "target_type": a.target_type,
        "target_id": a.target_id,
        "start": a.start,
        "end": a.end,
        "exact": a.exact,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "meaning": a.meaning,
        "note": a.note,
        "tags": list(a.tags),
        "grade": a.grade,
        "status": a.status,
        "orphan": a.orphan,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "author": a.author,
    }


def annotation_from_json(d: dict[str, Any]) -> Annotation:
    return Annotation(**{**d, "tags": tuple(d.get("tags", ()))})
