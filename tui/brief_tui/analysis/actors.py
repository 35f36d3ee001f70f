"""Actors (v0): exact-name grouping with possessive / "the" variants."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .model import Actor, Entity, Mention
from .records import ChunkData

ACTOR_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
                "NORP": "group"}


def normalise(name: str) -> str:
    s = " ".join(name.replace("’", "'").split())
    if s.lower().startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    elif s.endswith("'"):
        s = s[:-1]
    return s


def extract(doc, offset: int, data: ChunkData) -> None:
    return None


@dataclass
class Grouping:
    entities: list[Entity]
    actors: list[Actor]
    # sorted (start, end, actor id) of all mentions
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def actor_at(self, start: int, end: int) -> str | None:
        i = bisect.bisect_right(self.spans, (end, 10**12, ""))
        best = None
        for j in range(i - 1, -1, -1):
            s, e, aid = self.spans[j]
            if e <= start:
                if start - e > 200:
                    break
                continue
            if s < end and e > start:
                if best is None or e > best[1]:
                    best = (s, e, aid)
        return best[2] if best else None


def group(chunks: list[ChunkData], text: str) -> Grouping:
    actors: dict[str, Actor] = {}
    entities: list[Entity] = []
    spans = []
    for c in chunks:
        for e in c.entities:
            kind = ACTOR_LABELS.get(e.label)
            if kind is None:
                entities.append(Entity(e.start, e.end, e.label, e.text))
                continue
            key = normalise(e.text)
            a = actors.get(key)
            if a is None:
                a = Actor(id=f"a{len(actors) + 1}", name=key, kind=kind)
                actors[key] = a
            if e.text not in a.aliases and e.text != a.name:
                a.aliases.append(e.text)
            a.mentions.append(Mention(e.start, e.end, e.text, "name"))
            entities.append(Entity(e.start, e.end, e.label, e.text, a.id))
            spans.append((e.start, e.end, a.id))
    return Grouping(entities, list(actors.values()), sorted(spans))
