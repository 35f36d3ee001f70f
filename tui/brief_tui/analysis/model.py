"""Plain data produced by the analysis, with a versioned JSON form.

Offsets are Python ``str`` indices into the briefing text, end excluded.
Nothing here imports spaCy or Textual.

Two serialised forms:

- :meth:`Analysis.to_json` / :meth:`Analysis.from_json`: the public, documented schema
  :data:`SCHEMA` (``brief-tui analyze --json``, the analysis process's wire). Analyser 2.0
  added, compatibly, each claim's ``kind`` (speech, stance, belief, intention, evidence, or
  author for the author's own statements) and the source kind ``media``; a claim without a
  kind is read as before (author when it has neither source nor cue). Analyser 2.1 added,
  compatibly, each source's ``country`` ("a French diplomat": France) and ``unresolved``
  (a description or pronoun left as the phrase itself); a source without them reads as
  no country, resolved;
- :meth:`Analysis.to_cache` / :meth:`Analysis.from_cache`: the private, compact form the
  store keeps in its analysis cache (:data:`CACHE_FORMAT`): arrays instead of objects, the
  small many-times-repeated records (entities, mentions, sentences) as columns, and the
  briefing text left out when the store has it already. Less than half the size, and read
  back three times faster. Not a public format: it may change with any version, and a
  cached row in another format is simply not read by it. The store writes it part by part
  (:mod:`brief_tui.analysis.cache_row`), so that a reader decodes a part when it needs it.

The small records (:class:`Span`, :class:`TextSpan`, :class:`Entity`, :class:`Mention`,
:class:`Cue`, :class:`Hedge`, :class:`Figure`) are values: treat them as immutable, and they
hash and compare by value. They are not ``frozen`` dataclasses only because a frozen
dataclass's ``__init__`` sets each field through ``object.__setattr__``: five times slower,
which for the ~45,000 of them in a 100k-word analysis nearly doubled the time reading it
back from the cache took. ``unsafe_hash=True`` keeps them hashable as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

SCHEMA = "brief-tui/analysis@1"
#: the analyser's own version: part of the analysis cache key (raise it when the analysis
#: of the same text by the same model changes)
ANALYSER_VERSION = "2.3"

#: The private form of :meth:`Analysis.to_cache`. Change the number whenever that layout
#: (or the fields of the classes below) changes: rows of another format are cache misses.
CACHE_FORMAT = "brief-tui/analysis-cache@3"


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Span:
    start: int
    end: int


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class TextSpan:
    start: int
    end: int
    text: str


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Entity:
    start: int
    end: int
    label: str
    text: str
    actor: str | None = None


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Mention:
    start: int
    end: int
    text: str
    # name | alias | acronym | pronoun | description | metonym | demonym
    how: str = "name"


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    # person | organisation | place | group
    kind: str
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    id: str
    name: str
    # person | official | intelligence | state-media | media | document | anonymous
    # (media: newspapers, agencies, broadcasters, websites)
    kind: str
    actor: str | None = None
    descriptor: str | None = None
    via: str | None = None
    #: the country a source speaks for or comes from ("a French diplomat": France)
    country: str | None = None
    #: a description or pronoun ("the congressman", "he") no antecedent was safe for: the
    #: source is the phrase itself
    unresolved: bool = False


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Cue:
    start: int
    end: int
    text: str
    stance: str


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Hedge:
    start: int
    end: int
    text: str
    level: str
    band: tuple[float, float] | None = None


@dataclass(slots=True, unsafe_hash=True)  # a value: see the module docstring
class Figure:
    start: int
    end: int
    text: str
    value: float | None
    approx: str | None
    unit: str | None
    # id of the Measure this figure belongs to (figures of the same measure across claims)
    measure: str | None = None


@dataclass(slots=True)
class Measure:
    """Figures of the same quantity given in different claims (e.g. two sources' troop counts)."""

    id: str
    unit: str
    # (claim id, index into that claim's figures)
    figures: list[tuple[str, int]] = field(default_factory=list)
    # corroborating | conflicting
    agreement: str = "corroborating"


@dataclass(slots=True)
class Claim:
    id: str
    start: int
    end: int
    content: list[Span] = field(default_factory=list)
    cue: Cue | None = None
    source: str | None = None
    source_span: TextSpan | None = None
    # direct | indirect | none
    quote: str = "none"
    hedges: list[Hedge] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # speech | stance | belief | intention | evidence: an attributed claim, by its cue;
    # author: the author's own unsourced statement (kept for the filters, counted apart)
    kind: str = "speech"

    @property
    def attributed(self) -> bool:
        return self.kind != "author"


#: what each source kind is called where people read it (the panel, the exports)
SOURCE_KIND_LABELS: dict[str, str] = {
    "person": "person",
    "official": "official",
    "intelligence": "intelligence",
    "state-media": "state media",
    "news-agency": "news agency",
    "media": "media: press, agency or broadcaster",
    "document": "document or data",
    "anonymous": "anonymous",
}


@dataclass(slots=True)
class Analysis:
    briefing_id: str
    title: str
    text: str
    model_name: str
    model_version: str
    entities: list[Entity] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    analyser_version: str = "1"
    measures: list[Measure] = field(default_factory=list)

    # -- look-ups -------------------------------------------------------
    def actor(self, actor_id: str | None) -> Actor | None:
        if actor_id is None:
            return None
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def source(self, source_id: str | None) -> Source | None:
        if source_id is None:
            return None
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def claims_by_source(self, source_id: str) -> list[Claim]:
        return [c for c in self.claims if c.source == source_id]

    def attributed_claims(self) -> list[Claim]:
        """The claims someone is said to make (not the author's own statements)."""
        return [c for c in self.claims if c.kind != "author"]

    def author_statements(self) -> list[Claim]:
        """The author's own unsourced statements, apart from the attributed claims."""
        return [c for c in self.claims if c.kind == "author"]

    # -- JSON ------------------------------------------------------------
    # Written out field by field rather than with dataclasses.asdict (which deep-copies
    # every value and took half a second on a 100k-word analysis); the keys and their
    # order are exactly asdict's.
    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "briefing": {
                "id": self.briefing_id,
                "title": self.title,
                "chars": len(self.text),
                "text": self.text,
            },
            "model": {"name": self.model_name, "version": self.model_version},
            "analyser_version": self.analyser_version,
            "entities": [
                {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "actor": e.actor}
                for e in self.entities
            ],
            "actors": [
                {
                    "id": a.id,
                    "name": a.name,
                    "kind": a.kind,
                    "aliases": list(a.aliases),
                    "descriptors": list(a.descriptors),
                    "mentions": [
                        {"start": m.start, "end": m.end, "text": m.text, "how": m.how}
                        for m in a.mentions
                    ],
                }
                for a in self.actors
            ],
            "sources": [
                {
                    "id": s.id,
                    "name": s.name,
                    "kind": s.kind,
                    "actor": s.actor,
                    "descriptor": s.descriptor,
                    "via": s.via,
                    "country": s.country,
                    "unresolved": s.unresolved,
                }
                for s in self.sources
            ],
            "claims": [_claim_json(c) for c in self.claims],
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "profile": self.profile,
            "measures": [
                {
                    "id": m.id,
                    "unit": m.unit,
                    "figures": [list(f) for f in m.figures],
                    "agreement": m.agreement,
                }
                for m in self.measures
            ],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Analysis:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"unknown analysis schema: {d.get('schema')!r}")
        b = d["briefing"]
        model = d["model"]
        return cls(
            b["id"],
            b["title"],
            b["text"],
            model["name"],
            model["version"],
            [
                Entity(e["start"], e["end"], e["label"], e["text"], e.get("actor"))
                for e in d["entities"]
            ],
            [
                Actor(
                    a["id"],
                    a["name"],
                    a["kind"],
                    list(a["aliases"]),
                    list(a["descriptors"]),
                    [
                        Mention(m["start"], m["end"], m["text"], m.get("how", "name"))
                        for m in a["mentions"]
                    ],
                )
                for a in d["actors"]
            ],
            [
                Source(
                    s["id"],
                    s["name"],
                    s["kind"],
                    s.get("actor"),
                    s.get("descriptor"),
                    s.get("via"),
                    s.get("country"),
                    bool(s.get("unresolved", False)),
                )
                for s in d["sources"]
            ],
            [_claim_from_json(c) for c in d["claims"]],
            [Span(s["start"], s["end"]) for s in d.get("sentences", [])],
            dict(d.get("profile", {})),
            d.get("analyser_version", "1"),
            [
                Measure(
                    m["id"],
                    m["unit"],
                    [(f[0], f[1]) for f in m.get("figures", [])],
                    m.get("agreement", "corroborating"),
                )
                for m in d.get("measures", [])
            ],
        )

    # -- the store's private form ---------------------------------------------
    def to_cache(self, *, with_text: bool = True) -> dict[str, Any]:
        """This analysis in the compact private form :data:`CACHE_FORMAT` (JSON values).
        ``with_text=False`` leaves the briefing text out (only its length is kept): give it
        back to :meth:`from_cache`."""
        return {
            "schema": CACHE_FORMAT,
            "briefing": [
                self.briefing_id,
                self.title,
                len(self.text),
                self.text if with_text else None,
            ],
            "model": [self.model_name, self.model_version],
            "analyser_version": self.analyser_version,
            "entities": _columns(self.entities, _ENTITY),
            "actors": [
                [
                    a.id,
                    a.name,
                    a.kind,
                    a.aliases,
                    a.descriptors,
                    _columns(a.mentions, _MENTION),
                ]
                for a in self.actors
            ],
            "sources": [
                [s.id, s.name, s.kind, s.actor, s.descriptor, s.via, s.country, s.unresolved]
                for s in self.sources
            ],
            # one row per claim (SQL counts them with json_array_length(json, '$.claims'))
            "claims": [_claim_cache(c) for c in self.claims],
            "sentences": _columns(self.sentences, _SPAN),
            "profile": self.profile,
            "measures": [[m.id, m.unit, m.figures, m.agreement] for m in self.measures],
        }

    @classmethod
    def from_cache(cls, d: dict[str, Any], text: str | None = None) -> Analysis:
        """Read back :meth:`to_cache`. ``text`` is the briefing text, needed when it was left
        out. Raises ``ValueError`` (also ``KeyError``, ``TypeError``, ``IndexError``) for
        anything else than a well-formed :data:`CACHE_FORMAT` value for that text."""
        if d.get("schema") != CACHE_FORMAT:
            raise ValueError(f"not a cached analysis: {d.get('schema')!r}")
        briefing_id, title, chars, own_text = d["briefing"]
        if own_text is not None:
            text = own_text
        if not isinstance(text, str) or len(text) != chars:
            raise ValueError("the cached analysis is of another text")
        model_name, model_version = d["model"]
        return cls(
            briefing_id,
            title,
            text,
            model_name,
            model_version,
            decode_part("entities", d["entities"]),
            decode_part("actors", d["actors"]),
            decode_part("sources", d["sources"]),
            decode_part("claims", d["claims"]),
            decode_part("sentences", d["sentences"]),
            decode_part("profile", d["profile"]),
            d["analyser_version"],
            decode_part("measures", d["measures"]),
        )


# -- helpers of the serialised forms --------------------------------------------------------
def _claim_json(c: Claim) -> dict[str, Any]:
    cue, ss = c.cue, c.source_span
    return {
        "id": c.id,
        "start": c.start,
        "end": c.end,
        "content": [{"start": s.start, "end": s.end} for s in c.content],
        "cue": (
            None
            if cue is None
            else {"start": cue.start, "end": cue.end, "text": cue.text, "stance": cue.stance}
        ),
        "source": c.source,
        "source_span": (
            None if ss is None else {"start": ss.start, "end": ss.end, "text": ss.text}
        ),
        "quote": c.quote,
        "hedges": [
            {
                "start": h.start,
                "end": h.end,
                "text": h.text,
                "level": h.level,
                "band": list(h.band) if h.band else None,
            }
            for h in c.hedges
        ],
        "figures": [
            {
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "value": f.value,
                "approx": f.approx,
                "unit": f.unit,
                "measure": f.measure,
            }
            for f in c.figures
        ],
        "kind": c.kind,
    }


def _claim_from_json(c: dict[str, Any]) -> Claim:
    cue = c.get("cue")
    ss = c.get("source_span")
    return Claim(
        c["id"],
        c["start"],
        c["end"],
        [Span(s["start"], s["end"]) for s in c["content"]],
        Cue(cue["start"], cue["end"], cue["text"], cue["stance"]) if cue else None,
        c.get("source"),
        TextSpan(ss["start"], ss["end"], ss["text"]) if ss else None,
        c.get("quote", "none"),
        [
            Hedge(
                h["start"],
                h["end"],
                h["text"],
                h["level"],
                tuple(h["band"]) if h.get("band") else None,
            )
            for h in c.get("hedges", [])
        ],
        [
            Figure(
                f["start"],
                f["end"],
                f["text"],
                f["value"],
                f["approx"],
                f["unit"],
                f.get("measure"),
            )
            for f in c.get("figures", [])
        ],
        c.get("kind") or _default_kind(c.get("source"), cue),
    )


def _default_kind(source: Any, cue: Any) -> str:
    # a claim written by an analyser before claim kinds
    return "author" if source is None and cue is None else "speech"


# the fields of the records kept as columns in the cache form, in constructor order
_SPAN = ("start", "end")
_ENTITY = ("start", "end", "label", "text", "actor")
_MENTION = ("start", "end", "text", "how")
_GETTERS: dict[tuple[str, ...], tuple[attrgetter[Any], ...]] = {
    names: tuple(attrgetter(n) for n in names) for names in (_SPAN, _ENTITY, _MENTION)
}


def _columns(items: list[Any], names: tuple[str, ...]) -> list[list[Any]]:
    return [list(map(get, items)) for get in _GETTERS[names]]


def _checked(columns: list[list[Any]], n: int) -> list[list[Any]]:
    """``columns`` if it is ``n`` columns of one length (``map`` would silently stop at the
    shortest)."""
    if len(columns) != n or len({len(c) for c in columns}) > 1:
        raise ValueError("malformed columns in a cached analysis")
    return columns


def _claim_cache(c: Claim) -> list[Any]:
    cue, ss = c.cue, c.source_span
    content: list[int] = []
    for s in c.content:
        content += (s.start, s.end)
    return [
        c.id,
        c.start,
        c.end,
        content,
        None if cue is None else [cue.start, cue.end, cue.text, cue.stance],
        c.source,
        None if ss is None else [ss.start, ss.end, ss.text],
        c.quote,
        [[h.start, h.end, h.text, h.level, h.band] for h in c.hedges],
        [[f.start, f.end, f.text, f.value, f.approx, f.unit, f.measure] for f in c.figures],
        c.kind,
    ]


def _claim_from_cache(c: list[Any]) -> Claim:
    cid, start, end, content, cue, source, ss, quote, hedges, figures, kind = c
    # most claims have one content span, no hedge and no figure: those are the fast paths
    return Claim(
        cid,
        start,
        end,
        (
            [Span(content[0], content[1])]
            if len(content) == 2
            else list(map(Span, content[0::2], content[1::2]))
        ),
        Cue(*cue) if cue is not None else None,
        source,
        TextSpan(*ss) if ss is not None else None,
        quote,
        (
            [
                Hedge(hs, he, text, level, tuple(band) if band else None)
                for hs, he, text, level, band in hedges
            ]
            if hedges
            else []
        ),
        [Figure(*f) for f in figures] if figures else [],
        kind,
    )


def _actors_from_cache(rows: list[Any]) -> list[Actor]:
    return [
        Actor(
            aid,
            name,
            kind,
            list(aliases),
            list(descriptors),
            list(map(Mention, *_checked(mentions, len(_MENTION)))),
        )
        for aid, name, kind, aliases, descriptors, mentions in rows
    ]


def _measures_from_cache(rows: list[Any]) -> list[Measure]:
    return [
        Measure(mid, unit, [(f[0], f[1]) for f in figures], agreement)
        for mid, unit, figures, agreement in rows
    ]


#: the parts of the cache form after the briefing and model, in Analysis's field order
#: (the order a cache row is written in)
CACHE_PARTS = ("entities", "actors", "sources", "claims", "sentences", "profile", "measures")
_DECODE: dict[str, Callable[[Any], Any]] = {
    "entities": lambda v: list(map(Entity, *_checked(v, len(_ENTITY)))),
    "actors": _actors_from_cache,
    "sources": lambda v: [Source(*s) for s in v],
    "claims": lambda v: list(map(_claim_from_cache, v)),
    "sentences": lambda v: list(map(Span, *_checked(v, len(_SPAN)))),
    "profile": dict,
    "measures": _measures_from_cache,
}


def decode_part(name: str, value: Any) -> Any:
    """The part ``name`` (one of :data:`CACHE_PARTS`) of an analysis, read back from its
    value in :meth:`Analysis.to_cache`. Raises as :meth:`Analysis.from_cache` does."""
    return _DECODE[name](value)
