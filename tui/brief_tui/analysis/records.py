"""Plain per-paragraph records extracted while a spaCy Doc is alive. Docs are dropped after
extraction; everything document-wide (actor grouping, source resolution, figure linking) runs
on these records, so it can be re-run cheaply after every batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Cue, Figure, Hedge, TextSpan


@dataclass(slots=True)
class EntRec:
    start: int
    end: int
    label: str
    text: str
    dep: str = ""  # dependency of the entity's root ("nsubj", "pobj", ...)
    prep: str = ""  # the governing preposition when dep is pobj ("in", "with")
    gov: str = ""  # lemma of the word the entity (or its preposition) depends on
    defined: str | None = None  # an acronym defined right after it: "Foo Bar (FB)"
    # evidence that the name is a thing rather than a person: "the Danube", "on Twitter",
    # "Brexit vote" (a determiner before it, a locative preposition, a noun it modifies)
    thing: bool = False


@dataclass(slots=True)
class Keyed:
    """A mention on its way to an actor: its entity, final label, the key of its actor
    ("P:" person, "O:" organisation, "L:" place, "C:" country, "G:" group; "" for none), how
    it names the actor and the actor's kind."""

    ent: EntRec
    label: str
    key: str = ""
    how: str = ""
    kind: str = ""


@dataclass(slots=True)
class DescRec:
    """A description tied to a name in the text: a title/role before a name ("South Korean
    lawmaker" Lee), an appositive ("Jeff Rathke, the State Department spokesperson"), or a
    definite description ("the spy agency") to be linked to a previous actor."""

    start: int
    end: int
    text: str
    kind: str  # role | appositive | definite
    head: str  # lemma of the head noun
    target: tuple[int, int] | None = None  # the entity span it describes (role/appositive)


@dataclass(slots=True)
class PronRec:
    start: int
    end: int
    text: str
    kind: str  # person-m | person-f | person | group | thing


@dataclass(slots=True)
class SourceRef:
    """A source as written: its span, its head word and how it refers."""

    span: TextSpan
    head: str  # lower-cased head lemma ("lee", "agency", "he", "officials")
    how: str  # name | pronoun | description | anonymous | document
    descriptor: str | None = None  # role words inside the span ("South Korean lawmaker")
    name_span: tuple[int, int] | None = None  # the name inside the span, if any
    country: str | None = None  # a country in the span's modifiers ("a French diplomat")


@dataclass(slots=True)
class ClaimRec:
    start: int
    end: int
    content: list[tuple[int, int]] = field(default_factory=list)
    cue: Cue | None = None
    source: SourceRef | None = None
    via: SourceRef | None = None
    quote: str = "none"
    hedges: list[Hedge] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    headline: bool = False
    kind: str = "speech"  # see model.Claim.kind


@dataclass(slots=True)
class ChunkData:
    start: int
    end: int
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[EntRec] = field(default_factory=list)
    descs: list[DescRec] = field(default_factory=list)
    prons: list[PronRec] = field(default_factory=list)
    claims: list[ClaimRec] = field(default_factory=list)
    # proper-noun tokens outside entities (a surname spaCy missed: "Choe is expected ...")
    propns: list[tuple[int, int, str]] = field(default_factory=list)
    # a paragraph that ends "X said:" with nothing after it: the cue and source of the
    # quotation that may open the next paragraph (no content)
    lead_in: ClaimRec | None = None
    # names a cue is addressed to ("told Le Monde", "in an interview with Fox News"): media
    told: list[tuple[int, int]] = field(default_factory=list)


def dtext(doc: Any) -> str:
    """``doc.text``, cached: spaCy rebuilds the string on every access (O(length))."""
    ud = doc.user_data
    cached: str | None = ud.get("_brief_text")
    if cached is not None:
        return cached
    t: str = doc.text
    ud["_brief_text"] = t
    return t
