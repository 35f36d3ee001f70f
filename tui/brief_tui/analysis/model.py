"""Plain data produced by the analysis, with a versioned JSON form.

Offsets are Python ``str`` indices into the briefing text, end excluded.
Nothing here imports spaCy or Textual.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "brief-tui/analysis@1"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextSpan:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    actor: str | None = None


@dataclass(frozen=True, slots=True)
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
    # person | official | intelligence | state-media | news-agency | document | anonymous
    kind: str
    actor: str | None = None
    descriptor: str | None = None
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    text: str
    stance: str


@dataclass(frozen=True, slots=True)
class Hedge:
    start: int
    end: int
    text: str
    level: str
    band: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
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

    # -- JSON ------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        def claim_json(c: Claim) -> dict[str, Any]:
            d = asdict(c)
            d["hedges"] = [
                {**asdict(h), "band": list(h.band) if h.band else None} for h in c.hedges
            ]
            return d

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
            "entities": [asdict(e) for e in self.entities],
            "actors": [asdict(a) for a in self.actors],
            "sources": [asdict(s) for s in self.sources],
            "claims": [claim_json(c) for c in self.claims],
            "sentences": [asdict(s) for s in self.sentences],
            "profile": self.profile,
            "measures": [
                {**asdict(m), "figures": [list(f) for f in m.figures]} for m in self.measures
            ],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Analysis:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"unknown analysis schema: {d.get('schema')!r}")
        b = d["briefing"]

        def claim(c: dict[str, Any]) -> Claim:
            return Claim(
                id=c["id"],
                start=c["start"],
                end=c["end"],
                content=[Span(**s) for s in c["content"]],
                cue=Cue(**c["cue"]) if c.get("cue") else None,
                source=c.get("source"),
                source_span=TextSpan(**c["source_span"]) if c.get("source_span") else None,
                quote=c.get("quote", "none"),
                hedges=[
                    Hedge(
                        h["start"],
                        h["end"],
                        h["text"],
                        h["level"],
                        tuple(h["band"]) if h.get("band") else None,
                    )
                    for h in c.get("hedges", [])
                ],
                figures=[Figure(**f) for f in c.get("figures", [])],
            )

        return cls(
            briefing_id=b["id"],
            title=b["title"],
            text=b["text"],
            model_name=d["model"]["name"],
            model_version=d["model"]["version"],
            analyser_version=d.get("analyser_version", "1"),
            entities=[Entity(**e) for e in d["entities"]],
            actors=[
                Actor(
                    id=a["id"],
                    name=a["name"],
                    kind=a["kind"],
                    aliases=list(a["aliases"]),
                    descriptors=list(a["descriptors"]),
                    mentions=[Mention(**m) for m in a["mentions"]],
                )
                for a in d["actors"]
            ],
            sources=[Source(**s) for s in d["sources"]],
            claims=[claim(c) for c in d["claims"]],
            sentences=[Span(**s) for s in d.get("sentences", [])],
            profile=dict(d.get("profile", {})),
            measures=[
                Measure(
                    id=m["id"],
                    unit=m["unit"],
                    figures=[(f[0], f[1]) for f in m.get("figures", [])],
                    agreement=m.get("agreement", "corroborating"),
                )
                for m in d.get("measures", [])
            ],
        )
