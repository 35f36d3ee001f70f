"""Actors: entities repaired and grouped into real-world actors with their aliases.

Per paragraph (``extract``, while the Doc is alive): spaCy label repairs that need the parse
(name fragments, hyphenated names, merged possessives, places labelled PRODUCT), the syntactic
role of every entity (so a capital can be told apart as a place or a government), role
descriptors of people ("South Korean lawmaker"), appositives and definite descriptions ("the
spy agency").

Document-wide (``group``, on plain records, cheap enough to re-run after each batch):
variants (possessives, "the", curly quotes, U.S./US/United States), surnames to the nearest
compatible full name, acronyms to expansions (defined in the text, by initials, or from a
small table), ORG names that are suffixes of longer ones, capitals used as governments
(metonyms), demonyms, descriptions and appositives.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from .gazetteer import (
    ACRONYMS,
    CAPITALS,
    COUNTRY_VARIANTS,
    DEMONYMS,
    ORG_CLASSES,
    ORG_NAME_HEADS,
    SEATS,
    TITLE_WORDS,
)
from .model import Actor, Entity, Mention
from .records import ChunkData, DescRec, EntRec, PronRec, dtext

ACTOR_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_PLACE_NOUNS = {
    "region",
    "province",
    "oblast",
    "city",
    "town",
    "village",
    "county",
    "district",
    "state",
    "area",
    "border",
    "peninsula",
    "island",
    "islands",
    "prefecture",
    "governorate",
    "municipality",
    "capital",
}
_LOC_PREPS = {
    "in",
    "near",
    "from",
    "to",
    "into",
    "at",
    "across",
    "toward",
    "towards",
    "outside",
    "inside",
    "around",
    "through",
    "via",
}
_METONYM_PREPS = {"with", "by", "between", "against", "and", "for"}
#: prepositions before a thing or a place rather than a person ("on Twitter", "along the Danube")
_THING_PREPS = _LOC_PREPS | {"on", "along", "over", "under", "during", "after", "before"}
#: labels a person's name may wrongly get ("Trump" ORG, "Lukaku" GPE, "Atwood" PRODUCT)
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}
#: honorifics and titles stripped from the front of a person's name ("Sen.", "Billionaire")
_HONORIFICS = {"billionaire", "commissioner", "sen", "rep", "gov", "gen", "lt", "col", "st"}
_METONYM_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "agent", "dative", "appos"}
_PRONOUNS = {
    "he": "person-m",
    "him": "person-m",
    "his": "person-m",
    "himself": "person-m",
    "she": "person-f",
    "her": "person-f",
    "hers": "person-f",
    "herself": "person-f",
    "they": "group",
    "them": "group",
    "their": "group",
    "it": "thing",
    "its": "thing",
    "i": "speaker",
    "we": "speaker",
    "me": "speaker",
    "us": "speaker",
    "our": "speaker",
}
#: expansion -> its acronyms (without dots), in table order
_ACRO_OF: dict[str, list[str]] = {}
for _acro, _full in ACRONYMS.items():
    if "." not in _acro:
        _ACRO_OF.setdefault(_full, []).append(_acro)
_ACRO_DEF = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,9})\s*\)")
_SMALL = {
    "of",
    "the",
    "and",
    "for",
    "on",
    "de",
    "du",
    "la",
    "le",
    "des",
    "in",
    "to",
    "&",
    "'s",
    "a",
    "an",
    "at",
    "del",
    "der",
    "von",
    "van",
}


def _clean(s: str) -> str:
    return " ".join(
        s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()
    )


@functools.lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The comparable form of a name: straight quotes, single spaces, no leading "the", no
    trailing possessive."""
    s = _clean(name)
    if s.lower().startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    elif s.endswith("'") and not s.endswith(".'"):
        s = s[:-1]
    return s.strip(" ,;:")


# --------------------------------------------------------------------------------------
# per paragraph


def extract(doc: Any, offset: int, data: ChunkData) -> None:
    text = dtext(doc)
    ents = []
    for e in doc.ents:
        ents.extend(_repair(doc, e.start, e.end, e.label_))
    data.entities = []
    for s, e, label in ents:
        span = doc[s:e]
        root = span.root
        dep = root.dep_
        prep = ""
        gov = root.head.lemma_.lower()
        if dep == "pobj":
            prep = root.head.lower_
            gov = root.head.head.lemma_.lower()
        elif dep == "compound" and root.head.i >= e:
            gov = root.head.lemma_.lower()
        a, b = span.start_char, span.end_char
        m = _ACRO_DEF.match(text, b)
        defined = m.group(1) if m and label in {"ORG", "GPE", "NORP", "FAC", "LOC"} else None
        thing = (
            (s > 0 and doc[s - 1].lower_ in {"the", "a", "an"})
            or (dep == "pobj" and prep in _THING_PREPS)
            or (dep == "compound" and root.head.i >= e and root.head.pos_ == "NOUN")
        )
        data.entities.append(
            EntRec(offset + a, offset + b, label, text[a:b], dep, prep, gov, defined, thing)
        )
        if label == "PERSON":
            _roles(doc, s, e, offset, data)
        elif label in {"ORG", "GPE"}:
            _appositive(doc, s, e, offset, data)
    # definite descriptions
    in_ent: set[int] = set()
    for s, e, _ in ents:
        in_ent.update(range(s, e))
    for chunk in doc.noun_chunks if doc.has_annotation("DEP") else ():
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.pos_ != "NOUN" or root.i in in_ent or root.tag_ in {"NNS", "NNPS"}:
            continue
        if lemma not in ORG_CLASSES and lemma not in TITLE_WORDS:
            continue
        first = chunk[0]
        if first.lower_ not in {"the", "this", "that"}:
            continue
        if any(t.pos_ == "PROPN" or t.i in in_ent for t in chunk):
            continue
        end_tok = root
        a = first.idx
        b = end_tok.idx + len(end_tok.text)
        data.descs.append(DescRec(offset + a, offset + b, text[a:b], "definite", lemma))
    for t in doc:
        if t.pos_ == "PROPN" and t.i not in in_ent and t.text[:1].isupper() and t.is_alpha:
            data.propns.append((offset + t.idx, offset + t.idx + len(t.text), t.text))
        k = _PRONOUNS.get(t.lower_)
        if (k is not None and t.pos_ == "PRON") or (k and t.tag_ == "PRP$"):
            data.prons.append(PronRec(offset + t.idx, offset + t.idx + len(t.text), t.text, k))


def _repair(doc: Any, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    """Repairs of one spaCy entity (token indices). Returns zero or more (start, end, label)."""
    # leading determiner
    while s < e and doc[s].lower_ in {"the", "a", "an"}:
        s += 1
    # trailing possessive / punctuation
    while e > s and (
        doc[e - 1].tag_ == "POS"
        or (doc[e - 1].text in {"'s", "’s", "'", "’", ",", "."} and doc[e - 1].tag_ == "POS")
    ):
        e -= 1
    if e <= s:
        return []
    # internal possessive: "Putin’s Pyongyang" -> Putin + Pyongyang
    for i in range(s + 1, e - 1):
        if doc[i].tag_ == "POS" or doc[i].text in {"'s", "’s"}:
            right = doc[i + 1 : e].text
            rlabel = (
                "GPE"
                if normalise(right) in CAPITALS or normalise(right) in COUNTRY_VARIANTS
                else label
            )
            left = doc[s:i].text
            llabel = (
                "GPE"
                if normalise(left) in CAPITALS or normalise(left) in COUNTRY_VARIANTS
                else label
            )
            return _repair(doc, s, i, llabel) + _repair(doc, i + 1, e, rlabel)
    # hyphenated continuation: "Park Sun" + "-won"
    while (
        e + 1 < len(doc)
        and doc[e].text in {"-", "‐", "–"}
        and not doc[e - 1].whitespace_
        and not doc[e].whitespace_
        and doc[e + 1].is_alpha
        and (doc[e + 1].is_lower or (label == "PERSON" and doc[e + 1].ent_type_ in {"", "PERSON"}))
    ):
        e += 2
    # name fragment: "Choe Son [Hui]NORP" -> PERSON "Choe Son Hui"
    if label in {"NORP", "PERSON", "ORG"} and e - s <= 2:
        txt = normalise(doc[s:e].text)
        if label != "NORP" or txt not in DEMONYMS:
            i = s
            while (
                i - 1 >= 0
                and doc[i - 1].pos_ == "PROPN"
                and doc[i - 1].ent_type_ in {"", label}
                and doc[i - 1].lower_ not in TITLE_WORDS
                and doc[i - 1].text[:1].isupper()
                and doc[i - 1].head.i in range(i - 1, e + 1)
                and not doc[i - 1].is_sent_start
            ):
                i -= 1
            if i < s and label == "NORP":
                return [(i, e, "PERSON")]
            if i < s and label == "PERSON" and doc[i].ent_type_ == "":
                s = i
    txt = normalise(doc[s:e].text)
    if label not in {"GPE", "LOC"} and label not in {
        "NORP",
        "DATE",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "TIME",
    }:
        if (txt in CAPITALS and label != "PERSON") or (txt in COUNTRY_VARIANTS and label != "ORG"):
            label = "GPE"
        elif (
            label in {"PRODUCT", "WORK_OF_ART", "PERSON"} and e - s == 1 and doc[s].pos_ == "PROPN"
        ):
            root = doc[s]
            nxt = doc[e].lemma_.lower() if e < len(doc) else ""
            if label != "PERSON" and (
                nxt in _PLACE_NOUNS or (root.dep_ == "pobj" and root.head.lower_ in _LOC_PREPS)
            ):
                label = "GPE"
    return [(s, e, label)]


def _roles(doc: Any, s: int, e: int, offset: int, data: ChunkData) -> None:
    """Titles and roles in front of a person's name, and appositives."""
    inside = set(range(s, e))
    i = s - 1
    first = s
    while i >= 0:
        t = doc[i]
        if t.dep_ in {"compound", "amod", "nmod", "npadvmod"} or (
            t.text in {"-", "‐"} and not t.whitespace_
        ):
            h = t.head.i
            if h in inside or (first <= h < s):
                first = i
                i -= 1
                continue
        if (
            t.pos_ in {"PROPN", "NOUN", "ADJ"}
            and t.head.i in inside
            and t.dep_ not in {"poss", "det"}
        ):
            first = i
            i -= 1
            continue
        break
    root = doc[s:e].root
    if (
        first == s
        and root.dep_ == "appos"
        and root.head.i == s - 1
        and root.head.pos_ in {"NOUN", "PROPN"}
    ):
        # "its Foreign Minister Choe Son Hui": the name is an appositive of its title
        sub = [t for t in root.head.subtree if t.i < s]
        while sub and (
            sub[0].dep_ in {"det", "poss", "case"} or sub[0].pos_ in {"PUNCT", "DET", "PRON"}
        ):
            sub.pop(0)
        if sub and all(t.pos_ != "PUNCT" or t.text in {"-", "‐"} for t in sub):
            first = sub[0].i
    if first < s:
        span = doc[first:s]
        words = [w for w in span if w.pos_ != "PUNCT"]
        if words and any(w.pos_ in {"NOUN", "PROPN"} for w in words):
            a, b = span.start_char, span.end_char
            while b > a and dtext(doc)[b - 1].isspace():
                b -= 1
            data.descs.append(
                DescRec(
                    offset + a,
                    offset + b,
                    dtext(doc)[a:b],
                    "role",
                    span[-1].lemma_.lower(),
                    (offset + doc[s].idx, offset + doc[e - 1].idx + len(doc[e - 1].text)),
                )
            )
    _appositive(doc, s, e, offset, data)


def _appositive(doc: Any, s: int, e: int, offset: int, data: ChunkData) -> None:
    root = doc[s:e].root
    target = (offset + doc[s].idx, offset + doc[e - 1].idx + len(doc[e - 1].text))
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i >= e:
            toks = [t for t in c.subtree if t.dep_ not in {"relcl", "acl"} and t.pos_ != "PUNCT"]
            # keep the contiguous run starting at the appositive's first token
            sub = list(c.subtree)
            end = sub[-1].i + 1
            for t in sub:
                if t.dep_ in {"relcl", "acl"} or (t.pos_ == "PUNCT" and t.i > c.i):
                    end = min(end, t.i)
            span = doc[sub[0].i : end]
            if not toks or not len(span):
                continue
            data.descs.append(
                DescRec(
                    offset + span.start_char,
                    offset + span.end_char,
                    span.text,
                    "appositive",
                    c.lemma_.lower(),
                    target,
                )
            )
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < s:
        h = root.head
        sub = [t for t in h.subtree if t.i < s]
        while sub and sub[-1].pos_ == "PUNCT":
            sub.pop()
        if sub:
            span = doc[sub[0].i : sub[-1].i + 1]
            data.descs.append(
                DescRec(
                    offset + span.start_char,
                    offset + span.end_char,
                    span.text,
                    "appositive",
                    h.lemma_.lower(),
                    target,
                )
            )


# --------------------------------------------------------------------------------------
# document-wide


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


def _initials(name: str) -> str:
    words = re.split(r"[\s\-]+", name)
    return "".join(w[0] for w in words if w and w.lower() not in _SMALL and w[0].isalpha()).upper()


def _is_acronym(k: str) -> bool:
    bare = k.replace(".", "")
    return (
        2 <= len(bare) <= 7
        and bare.isalnum()
        and sum(c.isupper() for c in bare) >= max(2, len(bare) - 1)
        and " " not in k
    )


def _words(k: str) -> list[str]:
    return k.split()


def group(chunks: list[ChunkData], text: str) -> Grouping:
    ents: list[EntRec] = [e for c in chunks for e in c.entities]
    # surnames spaCy missed: a proper noun that is the first or last word of a person's full
    # name mentioned earlier
    first_full: dict[str, int] = {}
    for e in ents:
        if e.label == "PERSON":
            ws = _words(normalise(e.text))
            if len(ws) >= 2:
                for w in (ws[0], ws[-1]):
                    first_full.setdefault(w, e.end)
    extra = [
        EntRec(s, t, "PERSON", w, "", "", "")
        for c in chunks
        for s, t, w in c.propns
        if w in first_full and first_full[w] <= s
    ]
    if extra:
        ents = sorted(ents + extra, key=lambda x: (x.start, x.end))
    descs: list[DescRec] = [d for c in chunks for d in c.descs]
    ents = _one_label_per_name(ents)

    # label consistency: a name that is mostly an actor label elsewhere takes that label
    votes: dict[str, dict[str, int]] = {}
    for e in ents:
        votes.setdefault(normalise(e.text), {}).setdefault(e.label, 0)
        votes[normalise(e.text)][e.label] += 1

    def label_of(e: EntRec) -> str:
        v = votes[normalise(e.text)]
        if e.label in ACTOR_LABELS and e.label != "NORP":
            return e.label
        best = (
            max((n, lab) for lab, n in v.items() if lab in ACTOR_LABELS and lab != "NORP")
            if any(lab in ACTOR_LABELS and lab != "NORP" for lab in v)
            else None
        )
        if best and e.label in {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}:
            return best[1]
        return e.label

    # 1. cluster key and "how" for every actor mention
    keyed: list[tuple[EntRec, str, str, str, str]] = []  # (ent, label, key, how, kind)
    person_full: dict[str, list[int]] = {}  # full name -> positions
    org_keys: dict[str, int] = {}
    defined: dict[str, str] = {}
    for e in ents:
        label = label_of(e)
        if label not in ACTOR_LABELS:
            keyed.append((e, label, "", "", ""))
            continue
        k = normalise(e.text)
        if not k or not any(ch.isalpha() for ch in k):
            keyed.append((e, label, "", "", ""))
            continue
        how = "name"
        kind = ACTOR_LABELS[label]
        if k in SEATS or ("the " + k) in SEATS:
            key, how, kind = "C:" + SEATS[k], "metonym", "place"
        elif (
            label in {"GPE", "LOC", "ORG", "FAC"}
            and k in COUNTRY_VARIANTS
            and not (label == "ORG" and k not in {"US", "U.S.", "UK", "U.K."})
        ):
            canon = COUNTRY_VARIANTS[k]
            key, kind = "C:" + canon, "place"
            how = "name" if k == canon else ("acronym" if _is_acronym(k) else "alias")
        elif label == "NORP":
            if k in DEMONYMS:
                key, how, kind = "C:" + DEMONYMS[k], "demonym", "place"
            elif k in COUNTRY_VARIANTS:
                key, kind = "C:" + COUNTRY_VARIANTS[k], "place"
            elif e.dep in {"amod", "compound"} and e.gov not in {"people", "community", "group"}:
                # "the divided Korean peninsula": an adjective, not an actor
                keyed.append((e, label, "", "", ""))
                continue
            else:
                key, kind = "G:" + k, "group"
        elif (
            label in {"GPE", "LOC", "FAC"}
            and k in CAPITALS
            and (e.dep in _METONYM_DEPS or (e.dep == "pobj" and e.prep in _METONYM_PREPS))
        ):
            key, how, kind = "C:" + CAPITALS[k], "metonym", "place"
        elif label == "PERSON":
            k = person_name(k)
            key = "P:" + k
            if len(_words(k)) >= 2:
                person_full.setdefault(k, []).append(e.start)
        elif label == "ORG":
            key = "O:" + k
            org_keys.setdefault(k, e.start)
            if e.defined:
                defined[e.defined] = k
        else:
            key = "L:" + k
        keyed.append((e, label, key, how, kind))

    # 2. person short forms -> nearest compatible full name: the full names of which a
    # shorter name is the first or last words, indexed by those words (not a scan of all the
    # full names for every mention)
    full_by_part: dict[tuple[str, ...], set[str]] = {}
    for full in person_full:
        fw = tuple(_words(full))
        for n in range(1, len(fw)):
            full_by_part.setdefault(fw[:n], set()).add(full)
            full_by_part.setdefault(fw[-n:], set()).add(full)
    full_pos = {f: sorted(p) for f, p in person_full.items()}
    # salience: the mentions each full name has had so far (its own and its short forms), so
    # "Padalecki" stays Jared Padalecki after his mother Sherri Padalecki is named once
    said: dict[str, int] = {}
    for idx, (e, label, key, _how, kind) in enumerate(keyed):
        if not key.startswith("P:"):
            continue
        k = key[2:]
        kw = _words(k)
        shorter = next(
            (" ".join(kw[i:]) for i in range(1, len(kw) - 1) if " ".join(kw[i:]) in full_pos),
            None,
        )
        if shorter is not None:
            # "Scientologist Tom Cruise" beside "Tom Cruise": the words in front describe him
            said[shorter] = said.get(shorter, 0) + 1
            keyed[idx] = (e, label, "P:" + shorter, "alias", kind)
            continue
        if k in full_pos:
            said[k] = said.get(k, 0) + 1
            continue
        cands = set(full_by_part.get(tuple(_words(k)), ()))
        if not cands:
            continue
        best = None
        for full in sorted(cands):
            ps = full_pos[full]
            j = bisect.bisect_left(ps, e.start)
            if j > 0:
                cand = (0, -said.get(full, 0), e.start - ps[j - 1], full)
            else:
                cand = (1, 0, ps[0] - e.start, full)
            if best is None or cand < best:
                best = cand
        if best is not None:
            said[best[3]] = said.get(best[3], 0) + 1
            keyed[idx] = (e, label, "P:" + best[3], "alias", kind)

    # 3. organisations: acronyms, suffix variants
    org_map: dict[str, str] = {}
    org_list = sorted(org_keys, key=lambda k: org_keys[k])
    # indexes in order of first appearance: expansions by their initials, longer names by
    # their last words (two or more)
    by_initials: dict[str, str] = {}
    by_tail: dict[tuple[str, ...], str] = {}
    for o in org_list:
        if _is_acronym(o):
            continue
        by_initials.setdefault(_initials(o), o)
        ow = tuple(_words(o))
        for n in range(2, len(ow)):
            by_tail.setdefault(ow[-n:], o)
    for k in org_list:
        if _is_acronym(k):
            bare = k.replace(".", "")
            target = defined.get(k) or defined.get(bare)
            if target is None:
                target = by_initials.get(bare.upper())
            if target is None and (ACRONYMS.get(k) or ACRONYMS.get(bare)) in org_keys:
                target = ACRONYMS.get(k) or ACRONYMS.get(bare)
            if target:
                org_map[k] = target
        else:
            tail = tuple(_words(k))
            longer = by_tail.get(tail) if len(tail) >= 2 else None
            if longer is not None:
                org_map[k] = longer
    # acronyms of things that are not ORG in spaCy's eyes (e.g. the acronym labelled GPE)
    for idx, (e, label, key, _how, kind) in enumerate(keyed):
        if key.startswith("O:"):
            k = key[2:]
            t = org_map.get(k)
            seen = set()
            while t and t in org_map and t not in seen:
                seen.add(t)
                t = org_map[t]
            if t:
                keyed[idx] = (e, label, "O:" + t, "acronym" if _is_acronym(k) else "alias", kind)

    # 3b. a one-word "person" that is no part of a full name and is only ever used as a thing
    # ("the Danube", "on Twitter", "the Brexit vote") is not an actor: too little evidence
    thing_only: dict[str, bool] = {}
    for e, _label, key, _how, _kind in keyed:
        if key.startswith("P:") and len(_words(key[2:])) == 1:
            thing_only[key] = thing_only.get(key, True) and e.thing
    for idx, (e, label, key, _how, _kind) in enumerate(keyed):
        if thing_only.get(key):
            keyed[idx] = (e, label, "", "", "")

    # 4. build actors in order of first appearance
    actors: dict[str, Actor] = {}
    labels_seen: dict[str, dict[str, int]] = {}
    entities: list[Entity] = []
    spans: list[tuple[int, int, str]] = []
    for e, label, key, how, kind in keyed:
        if not key:
            entities.append(Entity(e.start, e.end, label, e.text))
            continue
        a = actors.get(key)
        if a is None:
            a = Actor(id=f"a{len(actors) + 1}", name=key[2:], kind=kind or ACTOR_LABELS[label])
            actors[key] = a
        labels_seen.setdefault(key, {}).setdefault(label, 0)
        labels_seen[key][label] += 1
        a.mentions.append(Mention(e.start, e.end, e.text, how))
        entities.append(Entity(e.start, e.end, label, e.text, a.id))
        spans.append((e.start, e.end, a.id))

    by_id = {a.id: a for a in actors.values()}
    for key, a in actors.items():
        if key.startswith("C:"):
            a.kind = "place"
        elif key.startswith("G:"):
            a.kind = "group"
        else:
            ls = labels_seen[key]
            best_label = max(ls.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
            a.kind = ACTOR_LABELS[best_label] if best_label != "NORP" else "group"
    _echo_names(text, actors, labels_seen, entities, spans)
    spans.sort()
    g = Grouping(entities, list(actors.values()), spans, by_id)

    # 5. roles, appositives and definite descriptions
    desc_seen: dict[str, set[str]] = {}
    for d in descs:
        if d.kind in {"role", "appositive"} and d.target:
            aid = g.actor_at(*d.target)
            if aid is None:
                continue
            a = by_id[aid]
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
        aid = _resolve_description(g, d)
        if aid:
            g.add_mention(aid, Mention(d.start, d.end, d.text, "description"))
            g.desc_actor[(d.start, d.end)] = aid
    g.finish()
    g.spans = sorted({(m.start, m.end, a.id) for a in g.actors for m in a.mentions})

    # 6. canonical names and aliases
    for key, a in actors.items():
        a.mentions.sort(key=lambda m: (m.start, m.end))
        if key.startswith("C:") or key.startswith("O:") or key.startswith("P:"):
            a.name = key[2:]
        else:
            counts: dict[str, int] = {}  # name -> count, in order of first mention
            for m in a.mentions:
                if m.how in {"name", "alias", "acronym"}:
                    nm = normalise(m.text)
                    counts[nm] = counts.get(nm, 0) + 1
            if counts:
                # the most frequent name, the first one on a tie
                a.name = max(counts, key=lambda x: counts[x])
    # an alias is never the name of another actor: a capital used both for its government
    # ("Moscow's war": a metonym mention of Russia) and as a place ("a visit to Moscow": the
    # place actor Moscow) stays a metonym mention of the country, but only the place actor
    # is known by the name
    taken = {a.name.casefold() for a in actors.values()}
    for key, a in actors.items():
        aliases: list[str] = []
        seen = {a.name}
        for m in a.mentions:
            if m.how in {"pronoun", "description"}:
                continue  # pronouns and descriptions are mentions, never names
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
            for acro in _ACRO_OF.get(a.name, ()):
                if acro not in aliases and acro.casefold() not in taken:
                    aliases.append(acro)
        a.aliases = aliases
    return g


_KIND_LABEL = {"person": "PERSON", "organisation": "ORG", "place": "GPE"}


def _echo_names(
    text: str,
    actors: dict[str, Actor],
    labels_seen: dict[str, dict[str, int]],
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
            if len(t) < 3 or not t[:1].isupper() or t.lower() in _SMALL:
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


def person_name(k: str) -> str:
    """A person's name without the titles in front of it ("Sen. Ted Cruz" -> "Ted Cruz",
    "Billionaire Sheldon Adelson" -> "Sheldon Adelson"); at least one word stays."""
    ws = k.split()
    i = 0
    while i < len(ws) - 1:
        w = ws[i].lower().rstrip(".")
        if w in TITLE_WORDS or (w + ".") in TITLE_WORDS or w in _HONORIFICS:
            i += 1
        else:
            break
    return " ".join(ws[i:]) if i else k


def _one_label_per_name(ents: list[EntRec]) -> list[EntRec]:
    """One label for every mention of a name, whatever spaCy said of each: a final or first
    part of a person's full name ("Trump" tagged ORG, "Lukaku" GPE, "Atwood" PRODUCT) is that
    person, unless it is plainly a place ("in Washington"); any other name takes the label
    most of its mentions have (person, organisation or place). Names of the small tables
    (countries, capitals, demonyms) keep their own rules."""
    parts: set[tuple[str, ...]] = set()
    for e in ents:
        if e.label == "PERSON":
            ws = tuple(_words(person_name(normalise(e.text))))
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
        ws = tuple(_words(k))
        if label in _NAME_LABELS and k not in DEMONYMS and k not in COUNTRY_VARIANTS:
            if ws in parts or (
                # "Ichiyo Higuchi" (FAC), "Donald Trump" (ORG): a name ending in a surname
                label != "PERSON"
                and 2 <= len(ws) <= 3
                and ws[-1:] in parts
                and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in ws)
                and not any(w.lower() in ORG_NAME_HEADS or w.lower() in _PLACE_NOUNS for w in ws)
            ):
                placed = k in SEATS or (
                    k in CAPITALS
                    and label in {"GPE", "LOC", "FAC"}
                    and e.dep == "pobj"
                    and e.prep in _LOC_PREPS
                )
                if not placed:
                    label = "PERSON"
            elif label in ACTOR_LABELS and label != "NORP" and k not in CAPITALS:
                v = votes.get(k, {})
                fam = "GPE" if label in {"GPE", "LOC", "FAC"} else label
                best = max(v.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"), default=None)
                if best is not None and best[0] != fam and best[1] > v.get(fam, 0):
                    label = best[0]
        if label != e.label:
            e = EntRec(e.start, e.end, label, e.text, e.dep, e.prep, e.gov, e.defined, e.thing)
        out.append(e)
    return out


def _descriptor(text: str) -> str:
    s = _clean(text).strip(" ,;:")
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


def _resolve_description(g: Grouping, d: DescRec) -> str | None:
    head = d.head
    if head in ORG_CLASSES:
        want = ORG_CLASSES[head]
        for _s, _e, aid in g.mentions_before(d.start, {"organisation"}, window=4000):
            a = g.by_id[aid]
            cls = _name_class(a.name)
            if cls is None:
                # "the agency" for an acronym-only actor: use the table expansion
                cls = _name_class(ACRONYMS.get(a.name, ""))
            if cls == want:
                return aid
        return None
    if head in TITLE_WORDS:
        for _s, _e, aid in g.mentions_before(d.start, {"person"}, window=4000):
            a = g.by_id[aid]
            if any(head in x.lower().split() for x in a.descriptors):
                return aid
    return None
