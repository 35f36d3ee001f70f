"""A grouping pass (grouping.py): names nested at the front of an organisation's name are
mentions of their own actors too ("the U.S. Department of Agriculture" names the United
States, "the Google Science Fair" Google)."""

from __future__ import annotations

from .gazetteer import COUNTRY_VARIANTS
from .model import Actor, Mention
from .names import normalise

_NAMING = {"name", "alias", "acronym"}


def nested_names(actors: dict[str, Actor], spans: list[tuple[int, int, str]]) -> None:
    """Add a mention to a country or organisation actor wherever one of its names opens the
    name of another organisation. Only actors the text already has: a name inside another
    is no evidence of an actor of its own."""
    owner: dict[str, str | None] = {}
    for key, a in actors.items():
        if not key.startswith(("C:", "O:")):
            continue
        names = {normalise(m.text) for m in a.mentions if m.how in _NAMING}
        if key.startswith("C:"):
            names |= {v for v, c in COUNTRY_VARIANTS.items() if c == key[2:]}
        for n in names:
            if len(n) >= 2 and n[:1].isupper():
                owner[n] = a.id if owner.get(n, a.id) == a.id else None
    if not owner:
        return
    by_id = {a.id: a for a in actors.values()}
    for key, a in actors.items():
        if not key.startswith("O:"):
            continue
        for m in list(a.mentions):
            if m.how not in _NAMING:
                continue
            lead = len(m.text) - len(m.text.lstrip())
            t = m.text[lead:]
            if t.lower().startswith("the "):
                lead += 4
                t = t[4:]
            words = t.split(" ")
            for k in range(len(words) - 1, 0, -1):
                name = " ".join(words[:k])
                aid = owner.get(name)
                if aid is None or aid == a.id:
                    continue
                s = m.start + lead
                other = by_id[aid]
                how = "name" if name == other.name else "alias"
                if not any(x.start == s and x.end == s + len(name) for x in other.mentions):
                    other.mentions.append(Mention(s, s + len(name), name, how))
                    spans.append((s, s + len(name), aid))
                break
    for a in actors.values():
        a.mentions.sort(key=lambda x: (x.start, x.end))
