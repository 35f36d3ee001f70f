"""Actors, per paragraph (``extract``, while the Doc is alive): spaCy label repairs that need
the parse (name fragments, hyphenated names, merged possessives, places labelled PRODUCT), the
syntactic role of every entity (so a capital can be told apart as a place or a government),
role descriptors of people ("South Korean lawmaker"), appositives and definite descriptions
("the spy agency").

Document-wide, the mentions are grouped into actors by the passes of grouping.py (``group``).
"""

from __future__ import annotations

import re
from typing import Any

from .gazetteer import CAPITALS, COUNTRY_VARIANTS, DEMONYMS, ORG_CLASSES, TITLE_WORDS
from .grouping import Grouping, group
from .names import LOC_PREPS, PLACE_NOUNS, normalise, person_name
from .records import ChunkData, DescRec, EntRec, PronRec, dtext

__all__ = ["Grouping", "extract", "group", "normalise", "person_name"]

#: prepositions before a thing or a place rather than a person ("on Twitter", "along the Danube")
_THING_PREPS = LOC_PREPS | {"on", "along", "over", "under", "during", "after", "before"}
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
_ACRO_DEF = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,9})\s*\)")


def extract(doc: Any, offset: int, data: ChunkData) -> None:
    text = dtext(doc)
    ents = []
    for s, e, label in _split_names(doc):
        ents.extend(_repair(doc, s, e, label))
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
        # "the President", "the Court": a capitalised role noun alone after its article
        capital = root.pos_ == "PROPN" and len(chunk) == 2 and root.is_title
        if (
            (root.pos_ != "NOUN" and not capital)
            or root.i in in_ent
            or root.tag_
            in {
                "NNS",
                "NNPS",
            }
        ):
            continue
        if lemma not in ORG_CLASSES and lemma not in TITLE_WORDS:
            continue
        first = chunk[0]
        if first.lower_ not in {"the", "this", "that"}:
            continue
        if any((t.pos_ == "PROPN" and t.i != root.i) or t.i in in_ent for t in chunk):
            continue
        if root.pos_ == "PROPN" and not capital:
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


def _split_names(doc: Any) -> list[tuple[int, int, str]]:
    """spaCy's entities (token indices), with a person's name it cut in two places joined:
    "Valeska Paris" as GPE "Valeska" + GPE "Paris". Two one-word place names with only a
    space between them are no way of writing places ("Irving, Texas" has its comma); when
    the first is no place we know, they are a given name and a surname."""
    out = [(e.start, e.end, e.label_) for e in doc.ents]
    i = 0
    while i + 1 < len(out):
        (s1, e1, l1), (s2, e2, l2) = out[i], out[i + 1]
        first = doc[s1]
        if (
            l1 in {"GPE", "LOC"}
            and l2 in {"GPE", "LOC"}
            and e1 == s1 + 1 == s2
            and e2 == s2 + 1
            and first.whitespace_ == " "
            and first.pos_ == "PROPN"
            and first.is_title
            and doc[s2].is_title
            and normalise(first.text) not in CAPITALS
            and normalise(first.text) not in COUNTRY_VARIANTS
            and normalise(first.text) not in DEMONYMS
        ):
            out[i : i + 2] = [(s1, e2, "PERSON")]
        i += 1
    return out


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
    # a score after a country's team: "putting Sweden 1 – 0 up" (ORG "Sweden 1")
    if e - s >= 2 and doc[e - 1].like_num and normalise(doc[s : e - 1].text) in COUNTRY_VARIANTS:
        e -= 1
        label = "GPE"
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
        elif txt in DEMONYMS and label in {"PERSON", "ORG"} and txt[:1].isupper():
            # "the Nigerien army" tagged PERSON: a demonym, i.e. a mention of its country
            label = "NORP"
        elif (
            label in {"PRODUCT", "WORK_OF_ART", "PERSON"} and e - s == 1 and doc[s].pos_ == "PROPN"
        ):
            root = doc[s]
            nxt = doc[e].lemma_.lower() if e < len(doc) else ""
            if label != "PERSON" and (
                nxt in PLACE_NOUNS or (root.dep_ == "pobj" and root.head.lower_ in LOC_PREPS)
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
