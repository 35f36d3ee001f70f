"""Actors document-wide: the mention records of all paragraphs grouped into real-world
actors by named passes, each a function of its own (cheap enough to re-run after each
batch):

- ``add_missed_surnames``: a proper noun spaCy left untagged that is part of a full name;
- ``one_label_per_name`` and ``vote_labels``: one label per name whatever spaCy said of
  each mention ("Trump" tagged ORG beside "Donald Trump");
- ``key_mention`` / ``country_key``: titles off a person's name; countries by name, variant,
  demonym and metonym (a seat or capital of government);
- ``link_person_names``: surnames and short forms to the nearest compatible full name;
- ``link_organisations`` (organisations.py): acronyms to expansions, shorter organisation
  names to longer ones;
- ``drop_things``: one-word "persons" only ever used as things;
- ``build_actors``: one actor per key, its kind from all its mentions, echoes of its names,
  names nested at the front of an organisation's name (nested.py);
- ``attach_descriptions``: roles, appositives and definite descriptions;
- ``name_actors``: canonical names and aliases.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .gazetteer import (
    ACRONYMS,
    CAPITALS,
    COUNTRY_VARIANTS,
    DEMONYMS,
    ORG_CLASSES,
    ORG_NAME_HEADS,
    SEATS,
    role_kin,
)
from .model import Actor, Entity, Mention
from .names import (
    ACRO_OF,
    ACTOR_LABELS,
    LOC_PREPS,
    PLACE_NOUNS,
    SMALL_WORDS,
    clean,
    is_acronym,
    normalise,
    person_name,
)
from .nested import nested_names
from .organisations import link_organisations
from .records import ChunkData, DescRec, EntRec, Keyed

_METONYM_PREPS = {"with", "by", "between", "against", "and", "for"}
_METONYM_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "agent", "dative", "appos"}
#: labels a person's name may wrongly get ("Trump" ORG, "Lukaku" GPE, "Atwood" PRODUCT)
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}


@dataclass
class Grouping:
    entities: list[Entity]
    actors: list[Actor]
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # sorted mentions
    by_id: dict[str, Actor] = field(default_factory=dict)
    desc_actor: dict[tuple[int, int], str] = field(default_factory=dict)
    # (start, end) of every actor's mentions, and the actors whose mentions need sorting:
    # add_mention is O(1), ``finish`` sorts once (no rescan and re-sort per added mention)
    _mention_keys: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    _unsorted: set[str] = field(default_factory=set)

    def actor_at(self, start: int, end: int) -> str | None:
        """The actor of the mention inside [start, end) that ends last (the head of an English
        noun phrase is at its end), or of a mention containing it."""
        hit = self.desc_actor.get((start, end))
        if hit:
            return hit
        i = bisect.bisect_left(self.spans, (start, -1, ""))
        best = None
        for j in range(max(0, i - 3), len(self.spans)):
            s, e, aid = self.spans[j]
            if s >= end:
                break
            if e <= start:
                continue
            inside = s >= start and e <= end
            contains = s <= start and e >= end
            if inside or contains:
                key = (e, e - s)
                if best is None or key > best[0]:
                    best = (key, aid)
        return best[1] if best else None

    def mentions_before(
        self, pos: int, kinds: set[str], window: int = 2500
    ) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self.spans, (pos, -1, ""))
        out = []
        for j in range(i - 1, -1, -1):
            s, e, aid = self.spans[j]
            if pos - s > window:
                break
            if e <= pos and self.by_id[aid].kind in kinds:
                out.append((s, e, aid))
        return out

    def add_mention(self, aid: str, m: Mention) -> None:
        """Add ``m`` to the actor unless it has a mention with the same span. The mentions
        are in text order again after ``finish``."""
        a = self.by_id[aid]
        keys = self._mention_keys.get(aid)
        if keys is None:
            keys = self._mention_keys[aid] = {(x.start, x.end) for x in a.mentions}
        if (m.start, m.end) not in keys:
            keys.add((m.start, m.end))
            a.mentions.append(m)
            self._unsorted.add(aid)

    def finish(self) -> None:
        """Put the mentions of the actors ``add_mention`` changed back in text order."""
        for aid in self._unsorted:
            self.by_id[aid].mentions.sort(key=lambda x: (x.start, x.end))
        self._unsorted.clear()


def group(chunks: list[ChunkData], text: str) -> Grouping:
    """The actors of a text from the records of its paragraphs, pass by pass."""
    ents = [e for c in chunks for e in c.entities]
    ents = add_missed_surnames(ents, [p for c in chunks for p in c.propns])
    ents = vote_labels(one_label_per_name(ents))
    keyed = [key_mention(e) for e in ents]
    short_countries(keyed)
    link_person_names(keyed)
    link_organisations(keyed)
    drop_things(keyed)
    g, actors = build_actors(keyed, text)
    attach_descriptions(g, [d for c in chunks for d in c.descs])
    name_actors(actors)
    return g


# -- pass: surnames spaCy missed ---------------------------------------------------------


def add_missed_surnames(ents: list[EntRec], propns: list[tuple[int, int, str]]) -> list[EntRec]:
    """A proper noun spaCy left untagged that is the first or last word of a person's full
    name mentioned earlier is a mention of a person."""
    first_full: dict[str, int] = {}
    for e in ents:
        if e.label == "PERSON":
            ws = normalise(e.text).split()
            if len(ws) >= 2:
                for w in (ws[0], ws[-1]):
                    first_full.setdefault(w, e.end)
    extra = [
        EntRec(s, t, "PERSON", w, "", "", "")
        for s, t, w in propns
        if w in first_full and first_full[w] <= s
    ]
    return sorted(ents + extra, key=lambda x: (x.start, x.end)) if extra else ents


# -- pass: label voting ------------------------------------------------------------------


#: which label a name takes when its mentions are evenly split
_TIE_ORDER = {"PERSON": 2, "ORG": 1}


def one_label_per_name(ents: list[EntRec]) -> list[EntRec]:
    """One label for every mention of a name, whatever spaCy said of each: a final or first
    part of a person's full name ("Trump" tagged ORG, "Lukaku" GPE, "Atwood" PRODUCT) is that
    person, unless it is plainly a place ("in Washington"); any other name takes the label
    most of its mentions have (person, organisation or place). Names of the small tables
    (countries, capitals, demonyms) keep their own rules."""
    parts: set[tuple[str, ...]] = set()
    for e in ents:
        if e.label == "PERSON":
            ws = tuple(person_name(normalise(e.text)).split())
            for n in range(1, len(ws)):
                parts.add(ws[:n])
                parts.add(ws[-n:])
    votes: dict[str, dict[str, int]] = {}
    for e in ents:
        if e.label in ACTOR_LABELS and e.label != "NORP":
            fam = "GPE" if e.label in {"GPE", "LOC", "FAC"} else e.label
            v = votes.setdefault(normalise(e.text), {})
            v[fam] = v.get(fam, 0) + 1
    out: list[EntRec] = []
    for e in ents:
        k = normalise(e.text)
        label = e.label
        ws = tuple(k.split())
        if label in _NAME_LABELS and k not in DEMONYMS and k not in COUNTRY_VARIANTS:
            if ws in parts or (
                # "Ichiyo Higuchi" (FAC), "Donald Trump" (ORG): a name ending in a surname
                label != "PERSON"
                and 2 <= len(ws) <= 3
                and ws[-1:] in parts
                and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in ws)
                and not any(w.lower() in ORG_NAME_HEADS or w.lower() in PLACE_NOUNS for w in ws)
            ):
                placed = k in SEATS or (
                    k in CAPITALS
                    and label in {"GPE", "LOC", "FAC"}
                    and e.dep == "pobj"
                    and e.prep in LOC_PREPS
                )
                if not placed:
                    label = "PERSON"
            elif label in ACTOR_LABELS and label != "NORP" and k not in CAPITALS:
                v = votes.get(k, {})
                fam = "GPE" if label in {"GPE", "LOC", "FAC"} else label
                # a tie goes one way for every mention (person, then organisation): one
                # name, one actor ("Scientology" as often LOC as ORG)
                best = max(
                    v.items(), key=lambda kv: (kv[1], _TIE_ORDER.get(kv[0], 0)), default=None
                )
                if best is not None and best[0] != fam and best[1] >= v.get(fam, 0):
                    label = best[0]
        if label != e.label:
            e = EntRec(e.start, e.end, label, e.text, e.dep, e.prep, e.gov, e.defined, e.thing)
        out.append(e)
    return out


def vote_labels(ents: list[EntRec]) -> list[EntRec]:
    """A mention labelled a product, work, event, law or language whose name is mostly an
    actor label elsewhere takes that label."""
    votes: dict[str, dict[str, int]] = {}
    for e in ents:
        v = votes.setdefault(normalise(e.text), {})
        v[e.label] = v.get(e.label, 0) + 1
    out = []
    for e in ents:
        if e.label in {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}:
            v = votes[normalise(e.text)]
            best = max(
                ((n, lab) for lab, n in v.items() if lab in ACTOR_LABELS and lab != "NORP"),
                default=None,
            )
            if best is not None:
                e = EntRec(
                    e.start, e.end, best[1], e.text, e.dep, e.prep, e.gov, e.defined, e.thing
                )
        out.append(e)
    return out


# -- pass: keys (titles, countries, metonyms, demonyms) -----------------------------------


def key_mention(e: EntRec) -> Keyed:
    """The actor key of one mention: a country by its name, variant, demonym ("South
    Korean") or the seat or capital of its government used as a metonym ("Seoul said",
    "the Kremlin"); a person by the name without titles; an organisation; a place. Not an
    actor: other labels, and a demonym used as an adjective ("the Korean peninsula")."""
    label = e.label
    k = normalise(e.text)
    if label not in ACTOR_LABELS or not any(ch.isalpha() for ch in k):
        return Keyed(e, label)
    if label in {"GPE", "LOC"}:
        # "a united Germany", "downtown Taipei": the place, not the adjective
        k = re.sub(r"^(?:[a-z][\w-]* )+(?=[A-Z])", "", k)
    place = country_key(e, k)
    if place is not None:
        key, how = place
        return Keyed(e, label, key, how, "place")
    if label == "NORP":
        if e.dep in {"amod", "compound"} and e.gov not in {"people", "community", "group"}:
            return Keyed(e, label)
        return Keyed(e, label, "G:" + k, "name", "group")
    if label == "PERSON":
        return Keyed(e, label, "P:" + person_name(k), "name", "person")
    if label == "ORG":
        return Keyed(e, label, "O:" + k, "name", "organisation")
    return Keyed(e, label, "L:" + k, "name", "place")


def country_key(e: EntRec, k: str) -> tuple[str, str] | None:
    """("C:" country, how) when the mention stands for a country: a seat of government
    (metonym), the country's name or variant (name, alias, acronym), its demonym, or its
    capital as the subject or object of an act (metonym); else None."""
    label = e.label
    if k in SEATS or ("the " + k) in SEATS:
        return "C:" + SEATS[k], "metonym"
    if (
        label in {"GPE", "LOC", "ORG", "FAC"}
        and k in COUNTRY_VARIANTS
        and not (label == "ORG" and k not in {"US", "U.S.", "UK", "U.K."})
    ):
        canon = COUNTRY_VARIANTS[k]
        return "C:" + canon, "name" if k == canon else ("acronym" if is_acronym(k) else "alias")
    if label == "NORP":
        if k in DEMONYMS:
            return "C:" + DEMONYMS[k], "demonym"
        if k in COUNTRY_VARIANTS:
            return "C:" + COUNTRY_VARIANTS[k], "name"
        return None
    if (
        label in {"GPE", "LOC", "FAC"}
        and k in CAPITALS
        and (e.dep in _METONYM_DEPS or (e.dep == "pobj" and e.prep in _METONYM_PREPS))
    ):
        return "C:" + CAPITALS[k], "metonym"
    return None


def short_countries(keyed: list[Keyed]) -> None:
    """A place named by the last words of exactly one country the text names in full is
    that country: "Korea" after "South Korea" (and no "North Korea")."""
    countries = {m.key[2:] for m in keyed if m.key.startswith("C:")}
    for m in keyed:
        if m.key.startswith("L:"):
            k = m.key[2:]
            full = [c for c in countries if c.endswith(" " + k)]
            if len(full) == 1:
                m.key, m.how = "C:" + full[0], "alias"


# -- pass: person names (titles in front, surnames) --------------------------------------


def link_person_names(keyed: list[Keyed]) -> None:
    """A short form of a person's name goes to the nearest compatible full name: "Trump" to
    "Donald Trump" (the full name before it, the one most mentioned so far on a tie, else the
    first after it); a longer form of a full name is that person (``_longer_forms``)."""
    person_full: dict[str, list[int]] = {}
    for m in keyed:
        if m.key.startswith("P:") and len(m.key[2:].split()) >= 2:
            person_full.setdefault(m.key[2:], []).append(m.ent.start)
    # a longer form of a full name the text has is that person ("Jared Tristan Padalecki",
    # "Daniel Bernoulli FRS", "Patrick Leopold Gordon of Auchleuchries")
    longer = _longer_forms(list(person_full))
    if longer:
        for k in list(longer):
            while longer[k] in longer:
                longer[k] = longer[longer[k]]
        for m in keyed:
            if m.key.startswith("P:") and m.key[2:] in longer:
                m.key, m.how = "P:" + longer[m.key[2:]], "alias"
        for k, f in longer.items():
            person_full.setdefault(f, []).extend(person_full.pop(k))
    # the full names of which a shorter name is the first or last words, indexed by them
    full_by_part: dict[tuple[str, ...], set[str]] = {}
    for full in person_full:
        fw = tuple(full.split())
        for n in range(1, len(fw)):
            full_by_part.setdefault(fw[:n], set()).add(full)
            full_by_part.setdefault(fw[-n:], set()).add(full)
    full_pos = {f: sorted(p) for f, p in person_full.items()}
    # salience: the mentions each full name has had so far (its own and its short forms), so
    # "Padalecki" stays Jared Padalecki after his mother Sherri Padalecki is named once
    said: dict[str, int] = {}
    for m in keyed:
        if not m.key.startswith("P:"):
            continue
        k = m.key[2:]
        kw = k.split()
        if k in full_pos:
            said[k] = said.get(k, 0) + 1
            continue
        best = None
        for full in sorted(full_by_part.get(tuple(kw), ())):
            ps = full_pos[full]
            j = bisect.bisect_left(ps, m.ent.start)
            if j > 0:
                cand = (0, -said.get(full, 0), m.ent.start - ps[j - 1], full)
            else:
                cand = (1, 0, ps[0] - m.ent.start, full)
            if best is None or cand < best:
                best = cand
        if best is not None:
            said[best[3]] = said.get(best[3], 0) + 1
            m.key, m.how = "P:" + best[3], "alias"


#: words after a name that are no part of it ("Daniel Bernoulli FRS", "John Smith Jr.")
_POSTNOMINAL = re.compile(r"^(?:[A-Z]{2,5}|Jr\.?|Sr\.?|II|III|IV)$")


def _longer_forms(fulls: list[str]) -> dict[str, str]:
    """Full name -> a shorter full name of the same person: the name without the words in
    front of it, else the one with the same first and last words ("Jared Tristan Padalecki":
    "Jared Padalecki"), after dropping a territorial "of ..." and letters after the name."""
    by_ends: dict[tuple[str, str], list[str]] = {}
    for f in fulls:
        ws = f.split()
        if len(ws) == 2:
            by_ends.setdefault((ws[0], ws[1]), []).append(f)
    out: dict[str, str] = {}
    known = set(fulls)
    for k in fulls:
        ws = k.split()
        # words in front of a full name the text has describe the person ("Scientologist
        # Tom Cruise" is "Tom Cruise")
        tail = next(
            (" ".join(ws[i:]) for i in range(1, len(ws) - 1) if " ".join(ws[i:]) in known), None
        )
        if tail is not None:
            out[k] = tail
            continue
        if "of" in ws[2:]:
            ws = ws[: ws.index("of", 2)]
        while len(ws) > 2 and _POSTNOMINAL.match(ws[-1]):
            ws = ws[:-1]
        if len(ws) < 2:
            continue
        cands = [f for f in by_ends.get((ws[0], ws[-1]), []) if f != k]
        if len(cands) == 1:
            out[k] = cands[0]
    return out


# -- pass: things that are no actors -------------------------------------------------------


def drop_things(keyed: list[Keyed]) -> None:
    """A one-word "person" that is no part of a full name and is only ever used as a thing
    ("the Danube", "on Twitter", "the Brexit vote") is not an actor: too little evidence."""
    thing_only: dict[str, bool] = {}
    for m in keyed:
        if m.key.startswith("P:") and len(m.key[2:].split()) == 1:
            thing_only[m.key] = thing_only.get(m.key, True) and m.ent.thing
    for m in keyed:
        if thing_only.get(m.key):
            m.key = m.how = m.kind = ""


# -- pass: actors --------------------------------------------------------------------------


def build_actors(keyed: list[Keyed], text: str) -> tuple[Grouping, dict[str, Actor]]:
    """One actor per key, in order of first appearance, its kind from the labels of all its
    mentions; every other occurrence of a name it is known by is a mention too."""
    actors: dict[str, Actor] = {}
    labels_seen: dict[str, dict[str, int]] = {}
    entities: list[Entity] = []
    spans: list[tuple[int, int, str]] = []
    for m in keyed:
        e = m.ent
        if not m.key:
            entities.append(Entity(e.start, e.end, m.label, e.text))
            continue
        a = actors.get(m.key)
        if a is None:
            a = Actor(id=f"a{len(actors) + 1}", name=m.key[2:], kind=m.kind)
            actors[m.key] = a
        ls = labels_seen.setdefault(m.key, {})
        ls[m.label] = ls.get(m.label, 0) + 1
        a.mentions.append(Mention(e.start, e.end, e.text, m.how))
        entities.append(Entity(e.start, e.end, m.label, e.text, a.id))
        spans.append((e.start, e.end, a.id))
    for key, a in actors.items():
        if key.startswith("C:"):
            a.kind = "place"
        elif key.startswith("G:"):
            a.kind = "group"
        else:
            ls = labels_seen[key]
            best_label = max(ls.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
            a.kind = ACTOR_LABELS[best_label] if best_label != "NORP" else "group"
    _echo_names(text, actors, entities, spans)
    nested_names(actors, spans)
    spans.sort()
    g = Grouping(entities, list(actors.values()), spans, {a.id: a for a in actors.values()})
    return g, actors


# -- pass: descriptions --------------------------------------------------------------------


def attach_descriptions(g: Grouping, descs: list[DescRec]) -> None:
    """Roles and appositives give their person or organisation descriptors ("South Korean
    lawmaker"); appositives and definite descriptions ("the spy agency") become mentions."""
    desc_seen: dict[str, set[str]] = {}
    for d in descs:
        if d.kind in {"role", "appositive"} and d.target:
            aid = g.actor_at(*d.target)
            if aid is None:
                continue
            a = g.by_id[aid]
            desc = _descriptor(d.text)
            seen_here = desc_seen.setdefault(aid, {x.lower() for x in a.descriptors})
            if desc and desc.lower() not in seen_here and normalise(desc) != a.name:
                a.descriptors.append(desc)
                seen_here.add(desc.lower())
            if d.kind == "appositive":
                g.add_mention(aid, Mention(d.start, d.end, d.text, "description"))
                g.desc_actor[(d.start, d.end)] = aid
    for d in descs:
        if d.kind != "definite":
            continue
        aid = resolve_description(g, d.head, d.start)
        if aid:
            g.add_mention(aid, Mention(d.start, d.end, d.text, "description"))
            g.desc_actor[(d.start, d.end)] = aid
    g.finish()
    g.spans = sorted({(m.start, m.end, a.id) for a in g.actors for m in a.mentions})


# -- pass: names and aliases ----------------------------------------------------------------


def name_actors(actors: dict[str, Actor]) -> None:
    """Canonical names (the key's name; for a place, its most frequent name) and aliases.
    An alias is never the name of another actor: a capital used both for its government
    ("Moscow's war": a metonym mention of Russia) and as a place ("a visit to Moscow": the
    place actor Moscow) stays a metonym mention of the country, but only the place actor is
    known by the name. Pronouns and descriptions are mentions, never names."""
    for key, a in actors.items():
        a.mentions.sort(key=lambda m: (m.start, m.end))
        if key.startswith(("C:", "O:", "P:")):
            a.name = key[2:]
        else:
            counts: dict[str, int] = {}  # name -> count, in order of first mention
            for m in a.mentions:
                if m.how in {"name", "alias", "acronym"}:
                    nm = normalise(m.text)
                    counts[nm] = counts.get(nm, 0) + 1
            if counts:
                a.name = max(counts, key=lambda x: counts[x])  # the first one on a tie
    taken = {a.name.casefold() for a in actors.values()}
    for key, a in actors.items():
        aliases: list[str] = []
        seen = {a.name}
        for m in a.mentions:
            if m.how in {"pronoun", "description"}:
                continue
            t = normalise(m.text)
            if a.kind == "person":
                t = person_name(t)
            if t in seen:
                continue
            seen.add(t)
            if t.casefold() in taken:
                continue
            aliases.append(t)
        if key.startswith("O:"):
            expansion = ACRONYMS.get(a.name)
            if expansion and expansion not in aliases and expansion.casefold() not in taken:
                aliases.append(expansion)
            for acro in ACRO_OF.get(a.name, ()):
                if acro not in aliases and acro.casefold() not in taken:
                    aliases.append(acro)
        a.aliases = aliases


_KIND_LABEL = {"person": "PERSON", "organisation": "ORG", "place": "GPE"}


def _echo_names(
    text: str,
    actors: dict[str, Actor],
    entities: list[Entity],
    spans: list[tuple[int, int, str]],
) -> None:
    """Every other occurrence of a name an actor is known by in this text is a mention of it
    (one sense per discourse): spaCy tags a name in one sentence and misses it in the next.
    Only names that stand for one actor, outside any entity, as whole capitalised words."""
    owner: dict[str, str | None] = {}
    for key, a in actors.items():
        if a.kind not in _KIND_LABEL or key.startswith("G:"):
            continue
        for m in a.mentions:
            if m.how not in {"name", "alias", "acronym"}:
                continue
            t = normalise(m.text)
            if len(t) < 3 or not t[:1].isupper() or t.lower() in SMALL_WORDS:
                continue
            owner[t] = a.id if owner.get(t, a.id) == a.id else None
    names = sorted((t for t, aid in owner.items() if aid), key=len, reverse=True)
    if not names:
        return
    pat = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    taken = sorted((e.start, e.end) for e in entities)
    starts = [x for x, _ in taken]
    by_id = {a.id: a for a in actors.values()}
    added = False
    for hit in pat.finditer(text):
        a0, b0 = hit.span()
        i = bisect.bisect_right(starts, b0)
        if i and any(x < b0 and a0 < y for x, y in taken[max(0, i - 8) : i]):
            continue
        aid = owner[hit.group(0)]
        if aid is None:
            continue
        a = by_id[aid]
        how = "name" if normalise(hit.group(0)) == a.name else "alias"
        a.mentions.append(Mention(a0, b0, hit.group(0), how))
        entities.append(Entity(a0, b0, _KIND_LABEL[a.kind], hit.group(0), aid))
        spans.append((a0, b0, aid))
        added = True
    if added:
        entities.sort(key=lambda x: (x.start, x.end))
        for a in actors.values():
            a.mentions.sort(key=lambda x: (x.start, x.end))


def _descriptor(text: str) -> str:
    s = clean(text).strip(" ,;:")
    low = s.lower()
    for det in ("the ", "a ", "an "):
        if low.startswith(det):
            s = s[len(det) :]
            break
    return s


def _name_class(name: str) -> str | None:
    ws = name.lower().split()
    for w in reversed(ws):
        if w in ORG_NAME_HEADS:
            return ORG_NAME_HEADS[w]
    return None


def resolve_description(g: Grouping, head: str, start: int) -> str | None:
    """The actor a definite description with head noun ``head`` at ``start`` refers to: the
    most recent organisation of the same class ("the ministry": the Defence Ministry), the
    most recent person described by that role; None when no antecedent agrees."""
    if head in ORG_CLASSES:
        want = ORG_CLASSES[head]
        for _s, _e, aid in g.mentions_before(start, {"organisation"}, window=4000):
            a = g.by_id[aid]
            cls = _name_class(a.name)
            if cls is None:
                # "the agency" for an acronym-only actor: use the table expansion
                cls = _name_class(ACRONYMS.get(a.name, ""))
            if cls == want:
                return aid
        return None
    # a person described by that role or a kin one ("the congressman": "Rep. Hunter"), or
    # by that noun ("the 70-year-old billionaire": "billionaire Sheldon Adelson")
    kin = role_kin(head)
    for _s, _e, aid in g.mentions_before(start, {"person"}, window=4000):
        a = g.by_id[aid]
        if any(kin & set(x.lower().replace("-", " ").split()) for x in a.descriptors):
            return aid
    return None
