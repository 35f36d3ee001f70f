"""The source of a cue as written: the cue verb's subject (a relative "who" is the noun it
stands for), the noun phrase of the source with how it names its actor (name, pronoun,
description, document, anonymous), and the origin it cites ("citing the spy agency")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .cues import DOCUMENT_NOUNS, VERB_CUES
from .gazetteer import (
    ANON_HEADS,
    COUNTRY_VARIANTS,
    DEMONYMS,
    ORG_CLASSES,
    TITLE_WORDS,
)
from .model import TextSpan
from .records import SourceRef, dtext

if TYPE_CHECKING:
    pass
from .spans import group_runs, span_chars

_SUBJ = {"nsubj", "nsubjpass", "csubj"}


CITE_VERBS = {"cite", "quote"}


_BRIEF = {"brief", "tell", "inform", "cite", "quote", "advise"}


def source_ref(doc: Any, head: Any, offset: int) -> SourceRef:
    """The source noun phrase: the head's subtree without relative clauses, appositive
    clauses after a comma, and trailing punctuation."""
    drop: set[int] = set()
    for c in head.children:
        if (
            c.dep_ in {"relcl", "acl", "advcl"}
            or (
                c.dep_ == "appos"
                and c.i > head.i
                and any(doc[k].text == "," for k in range(head.i, c.i))
            )
            or (c.dep_ == "prep" and any(x.ent_type_ in {"DATE", "TIME"} for x in c.subtree))
        ):
            drop |= {x.i for x in c.subtree}
        if c.dep_ == "punct" and c.i > head.i:
            drop |= {x.i for x in c.subtree}
    ids = sorted({x.i for x in head.subtree} - drop)
    # keep the contiguous run around the head
    run = next((r for r in group_runs(ids) if head.i in r), [head.i])
    toks = [doc[i] for i in run]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc") and toks[-1].i != head.i:
        toks.pop()
    while toks and toks[0].is_punct and toks[0].i != head.i:
        toks.pop(0)
    a, b = span_chars(doc, toks)
    span = TextSpan(offset + a, offset + b, dtext(doc)[a:b])
    low = head.lower_
    country: str | None = None
    descriptor: str | None = None
    # name inside the span: the entity holding the head, else the last actor entity
    name_span = None
    ents = [
        e
        for e in doc.ents
        if e.start >= toks[0].i
        and e.end <= toks[-1].i + 1
        and e.label_ in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
    ]
    for e in ents:
        if e.start <= head.i < e.end:
            name_span = (offset + e.start_char, offset + e.end_char)
    if head.pos_ == "PRON" or head.tag_ in {"PRP", "WP"}:
        how = "pronoun"
    elif name_span is not None or head.pos_ == "PROPN":
        how = "name"
        if name_span is None:
            name_span = (offset + head.idx, offset + head.idx + len(head.text))
    elif head.lemma_.lower() in DOCUMENT_NOUNS or low in DOCUMENT_NOUNS:
        how = "document"
        poss = [c for c in head.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}]
        if poss:
            p = poss[0]
            sub = list(p.subtree)
            name_span = (offset + sub[0].idx, offset + p.idx + len(p.text))
    else:
        det = [c for c in head.children if c.dep_ in {"det", "poss"}]
        definite = any(d.lower_ in {"the", "this", "that"} or d.dep_ == "poss" for d in det)
        plural = head.tag_ in {"NNS", "NNPS"}
        lemma = head.lemma_.lower()
        role = lemma in ORG_CLASSES or lemma in TITLE_WORDS or lemma in ANON_HEADS
        # a role noun whose names are only places: "a French diplomat", "the South Korean
        # military", "U.S. officials" (a person or body of that country, not the country)
        placed = bool(ents) and all(e.label_ in {"NORP", "GPE", "LOC"} for e in ents)
        if placed and (role or head.pos_ == "NOUN"):
            country = next(filter(None, (_country(e.text) for e in ents)), None)
            how = "description" if definite and not plural else "anonymous"
            keep = [
                t
                for t in _without_det(toks)
                if not t.is_punct and not any(e.start <= t.i < e.end for e in ents)
            ]
            if how == "anonymous" and keep:
                descriptor = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in keep)
        elif (
            definite
            and not plural
            and (lemma in ORG_CLASSES or lemma in TITLE_WORDS or (not ents and head.pos_ == "NOUN"))
        ):
            # "the spy agency", "the 70-year-old billionaire": resolved to an antecedent
            # that agrees, or kept as the phrase, unresolved
            how = "description"
        elif ents and not plural and not _names_inside(head, ents):
            how = "name"
            name_span = (offset + ents[-1].start_char, offset + ents[-1].end_char)
        elif ents and not plural:
            # "a member of the House panel", "an official at the Pentagon": a person of
            # that body, not the body; kept as described
            how = "description" if definite else "anonymous"
            keep = [t for t in _without_det(toks) if not t.is_punct]
            descriptor = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in keep)
        else:
            how = "anonymous"
    # descriptor: the words before the name inside the span
    if how == "name" and name_span is not None and name_span[0] > span.start:
        d = dtext(doc)[span.start - offset : name_span[0] - offset].strip(" ,")
        for article in ("the ", "The ", "a ", "A ", "an ", "An "):
            if d.startswith(article):
                d = d[len(article) :]
        if d and any(ch.isalpha() for ch in d) and d.lower() not in {"a", "an", "the"}:
            descriptor = d
    if how == "anonymous" and descriptor is None and head.pos_ == "NOUN":
        # "officials who declined to be named", "a source familiar with the matter"
        keep = [t for t in _without_det(toks) if not t.is_punct]
        descriptor = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in keep) or None
    return SourceRef(
        span,
        head.lemma_.lower() if how != "pronoun" else low,
        how,
        descriptor,
        name_span,
        country,
    )


def _names_inside(head: Any, ents: list[Any]) -> bool:
    """Every name of the phrase hangs on the head through a preposition ("member of the
    House panel"), none names it directly ("Google spokesman", "the ministry's spokesman")."""
    for e in ents:
        t = e.root
        while t.i != head.i and t.head.i != t.i:
            if t.dep_ == "pobj":
                break
            t = t.head
        else:
            return False
    return True


def _without_det(toks: list[Any]) -> list[Any]:
    i = 0
    while i < len(toks) and toks[i].dep_ in {"det", "poss", "case"}:
        i += 1
    return toks[i:]


def _country(name: str) -> str | None:
    """The country a place name or demonym stands for ("French", "the U.S.")."""
    n = name[4:] if name.lower().startswith("the ") else name
    return COUNTRY_VARIANTS.get(n) or DEMONYMS.get(n)


def cited_origin(doc: Any, cue: Any, subj: Any, offset: int) -> SourceRef | None:
    """The origin a source cites: "…, citing the spy agency", "… who was briefed by X"."""
    for c in cue.children:
        if c.lemma_.lower() in CITE_VERBS and c.dep_ in {
            "advcl",
            "xcomp",
            "conj",
            "prep",
            "acl",
            "dep",
        }:
            objs = [o for o in c.children if o.dep_ in {"dobj", "pobj", "attr"}]
            if objs:
                return source_ref(doc, objs[0], offset)
        if c.dep_ == "prep" and c.lower_ in {"citing", "quoting"}:
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return source_ref(doc, objs[0], offset)
    if subj is not None:
        for c in subj.children:
            if c.dep_ in {"relcl", "acl"} and c.lemma_.lower() in _BRIEF:
                for o in c.children:
                    if o.dep_ == "agent":
                        objs = [x for x in o.children if x.dep_ == "pobj"]
                        if objs:
                            return source_ref(doc, objs[0], offset)
                    if o.dep_ == "dobj" and c.lemma_.lower() in CITE_VERBS:
                        return source_ref(doc, o, offset)
    return None


def cue_subject(t: Any) -> Any:
    """The subject of a cue verb, following conjunctions and "adding that" adverbials; for
    a relative "who", the person it stands for ("Kim, who said ..."); never "which"."""
    for c in t.children:
        if c.dep_ in {"nsubj", "csubj"}:
            if c.tag_ in {"WDT", "WP"}:
                if t.dep_ == "relcl" and t.head.pos_ in {"PROPN", "NOUN"}:
                    # "Kim, who said ...", "a report which said ...": the noun it stands for;
                    # "which means ...": a cognition verb on a clause has no source
                    if c.lower_ == "who" or VERB_CUES.get(t.lemma_.lower()) != "belief":
                        return t.head
                    return None
                return c if VERB_CUES.get(t.lemma_.lower()) != "belief" else None
            return c
    h = t
    for _ in range(2):
        if h.dep_ in {"conj", "advcl"} and h.head is not h:
            h = h.head
            for c in h.children:
                if c.dep_ == "nsubj":
                    return c
        else:
            break
    return None


def noun_owner(noun: Any) -> Any:
    """Who a statement noun belongs to: its possessor ("Trump's claim"), or the subject of the
    verb it is the object of ("X released a statement", "X made the announcement")."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    if noun.dep_ in {"dobj", "attr"} and noun.head.pos_ in {"VERB", "AUX"}:
        return cue_subject(noun.head)
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        # "X said in a statement ...": handled by the verb itself
        return None
    return None
