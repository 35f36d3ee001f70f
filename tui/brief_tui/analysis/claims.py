"""Claims, their cues, sources and sourcing chains.

Per paragraph (``extract``, with the parse): for every cue (a reporting verb of the lexicon,
"according to"), the source as written (the verb's subject, or the object of "according
to"), the content (the reported clause, the quotation next to the attribution, or what is left
of the sentence around a parenthetical "..., Lee said"), a cited origin ("citing the spy
agency", "who was briefed by the spy agency"), hedges and figures. Sentences with no cue become
the author's own statements.

Document-wide (``assemble``): sources resolved to actors (names, descriptions, pronouns),
classified by kind, chained through ``via``; figures of the same measure linked; the profile.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, TypeVar

from .cues import DOCUMENT_NOUNS, NEEDS_CLAUSE, NOMINAL_CUES, VERB_CUES, claim_kind
from .figures import find_figures
from .gazetteer import (
    ANON_HEADS,
    INTELLIGENCE_NAMES,
    INTELLIGENCE_WORDS,
    NEWS_AGENCIES,
    NEWS_WORDS,
    ORG_CLASSES,
    STATE_MEDIA,
    TITLE_WORDS,
)
from .hedges import find_hedges
from .model import Actor, Claim, Cue, Figure, Hedge, Measure, Source, Span, TextSpan
from .records import ChunkData, ClaimRec, SourceRef, dtext

if TYPE_CHECKING:
    from .actors import Grouping
    from .model import Analysis

# spaCy ships no type information: its Doc, Span and Token objects are typed Any here.

_Located = TypeVar("_Located", Hedge, Figure)

_QUOTE_CHARS = {"“", "”", '"', "„", "«", "»"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_XCOMP_OK = {
    "warning",
    "commissive",
    "disputed",
    "estimative",
    "accusatory",
    "denial",
    "intention",
    "stance",
}
_PREP_CONTENT = {
    "accuse": {"of"},
    "blame": {"for"},
    "charge": {"with"},
    "criticize": {"for"},
    "criticise": {"for"},
    "describe": {"as"},
    "label": {"as"},
    "characterize": {"as"},
    "characterise": {"as"},
    "condemn": {"for"},
    "warn": {"of", "about", "against"},
    "deny": set(),
    "thank": {"for"},
    "praise": {"for"},
    "call": {"as", "on", "for"},
    "admit": {"to"},
    "confirm": set(),
    "report": set(),
    "announce": set(),
}
_DOBJ_CONTENT = {
    "deny",
    "confirm",
    "report",
    "announce",
    "reveal",
    "disclose",
    "admit",
    "acknowledge",
    "predict",
    "estimate",
    "reject",
    "dispute",
    "allege",
    "claim",
    "promise",
    "pledge",
    "threaten",
    # stance: the object is the target ("endorsed Y", "praised the deal")
    "support",
    "oppose",
    "endorse",
    "back",
    "praise",
    "applaud",
    "welcome",
    "blast",
    "slam",
    "defend",
    "question",
    "challenge",
    "criticize",
    "criticise",
    "condemn",
    "want",
}
_CITE = {"cite", "quote"}
_BRIEF = {"brief", "tell", "inform", "cite", "quote", "advise"}
_STATE_MODS = {"state", "official", "state-run", "state-owned", "state-controlled", "government"}


# --------------------------------------------------------------------------------------
# per paragraph


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in a paragraph as (start, end) including the marks; an unclosed quotation
    runs to the end of the paragraph."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in {"“", "„", "«"}:
            close = {"“": "”", "„": "“", "«": "»"}[ch]
            j = text.find(close, i + 1)
            if ch == "„" and j < 0:
                j = text.find("”", i + 1)
            j = n - 1 if j < 0 else j
            out.append((i, j + 1))
            i = j + 1
            continue
        if ch == '"':
            j = text.find('"', i + 1)
            j = n - 1 if j < 0 else j
            out.append((i, j + 1))
            i = j + 1
            continue
        i += 1
    return [(a, b) for a, b in out if b - a > 2]


def _span_chars(doc: Any, toks: list[Any]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _runs(doc: Any, ids: set[int], keep_quotes: bool = True) -> list[tuple[int, int]]:
    """Contiguous token runs of ``ids`` as char spans (in doc), trimmed of punctuation and
    conjunctions at their edges."""
    out = []
    for run in _group_runs(sorted(ids)):
        toks = [doc[i] for i in run]
        while toks and _edge_junk(toks[0], keep_quotes, left=True):
            toks.pop(0)
        while toks and _edge_junk(toks[-1], keep_quotes, left=False):
            toks.pop()
        if toks and any(t.is_alpha or t.like_num for t in toks):
            a, b = _span_chars(doc, toks)
            seg = dtext(doc)[a:b]
            if keep_quotes and seg.count("“") > seg.count("”"):
                j = dtext(doc).find("”", b, b + 3)
                if j >= 0:
                    b = j + 1
            if keep_quotes and seg.count('"') % 2 == 1 and seg.startswith('"'):
                j = dtext(doc).find('"', b, b + 3)
                if j >= 0:
                    b = j + 1
            out.append((a, b))
    return out


def _edge_junk(t: Any, keep_quotes: bool, left: bool) -> bool:
    if t.text in _QUOTE_CHARS or t.text in {"'", "‘", "’"}:
        return not keep_quotes
    if t.is_punct or t.is_space:
        return True
    return left and t.pos_ == "CCONJ"


def _group_runs(ids: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _subtree_ids(t: Any, exclude: set[int] | None = None) -> set[int]:
    ids = {x.i for x in t.subtree}
    if exclude:
        ids -= exclude
    return ids


def _source_ref(doc: Any, head: Any, offset: int) -> SourceRef:
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
    run = next((r for r in _group_runs(ids) if head.i in r), [head.i])
    toks = [doc[i] for i in run]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc") and toks[-1].i != head.i:
        toks.pop()
    while toks and toks[0].is_punct and toks[0].i != head.i:
        toks.pop(0)
    a, b = _span_chars(doc, toks)
    span = TextSpan(offset + a, offset + b, dtext(doc)[a:b])
    low = head.lower_
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
        if (
            definite
            and not plural
            and (head.lemma_.lower() in ORG_CLASSES or head.lemma_.lower() in TITLE_WORDS)
        ):
            how = "description"
        elif ents and not plural:
            how = "name"
            name_span = (offset + ents[-1].start_char, offset + ents[-1].end_char)
        else:
            how = "anonymous"
    # descriptor: the words before the name inside the span
    descriptor = None
    if how == "name" and name_span is not None and name_span[0] > span.start:
        d = dtext(doc)[span.start - offset : name_span[0] - offset].strip(" ,")
        for article in ("the ", "The ", "a ", "A ", "an ", "An "):
            if d.startswith(article):
                d = d[len(article) :]
        if d and any(ch.isalpha() for ch in d):
            descriptor = d
    return SourceRef(
        span, head.lemma_.lower() if how != "pronoun" else low, how, descriptor, name_span
    )


def _via(doc: Any, cue: Any, subj: Any, offset: int) -> SourceRef | None:
    """The origin a source cites: "…, citing the spy agency", "… who was briefed by X"."""
    for c in cue.children:
        if c.lemma_.lower() in _CITE and c.dep_ in {"advcl", "xcomp", "conj", "prep", "acl", "dep"}:
            objs = [o for o in c.children if o.dep_ in {"dobj", "pobj", "attr"}]
            if objs:
                return _source_ref(doc, objs[0], offset)
        if c.dep_ == "prep" and c.lower_ in {"citing", "quoting"}:
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return _source_ref(doc, objs[0], offset)
    if subj is not None:
        for c in subj.children:
            if c.dep_ in {"relcl", "acl"} and c.lemma_.lower() in _BRIEF:
                for o in c.children:
                    if o.dep_ == "agent":
                        objs = [x for x in o.children if x.dep_ == "pobj"]
                        if objs:
                            return _source_ref(doc, objs[0], offset)
                    if o.dep_ == "dobj" and c.lemma_.lower() in _CITE:
                        return _source_ref(doc, o, offset)
    return None


def _subject(t: Any) -> Any:
    """The subject of a cue verb, following conjunctions and "adding that" adverbials; for
    a relative "who", the person it stands for ("Kim, who said ..."); never "which"."""
    for c in t.children:
        if c.dep_ in {"nsubj", "csubj"}:
            if c.tag_ in {"WDT", "WP"}:
                if c.lower_ == "who" and t.dep_ == "relcl" and t.head.pos_ in {"PROPN", "NOUN"}:
                    return t.head
                return None
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


def _quote_near(
    doc: Any, quotes: list[tuple[int, int]], sent: Any, cue: Any, subj: Any
) -> tuple[int, int] | None:
    """A quotation adjoining the attribution: `“…,” X said` or `X said: “…”`."""
    toks = [cue] + ([x for x in subj.subtree] if subj is not None else [])
    a = min(t.idx for t in toks)
    last = max(toks, key=lambda t: t.i)
    b = last.idx + len(last.text)
    text = dtext(doc)
    for qa, qb in quotes:
        if qb <= a:
            gap = text[qb:a]
            if len(gap) <= 3 and all(not ch.isalnum() for ch in gap):
                return qa, qb
            # "“…,” he told reporters" with the cue first: "… told reporters, “…”"
        elif qa >= b:
            gap = text[b:qa]
            words = gap.split()
            if (
                len(gap) <= 40
                and len(words) <= 4
                and (gap.strip().endswith((",", ":")) or not gap.strip())
            ):
                # only objects/adverbs between the cue and the quote
                return qa, qb
        elif qa <= a and qb >= b:
            return None  # the attribution is inside a quotation
    return None


def _claim_for_cue(
    doc: Any,
    sent: Any,
    t: Any,
    quotes: list[tuple[int, int]],
    offset: int,
    headline: bool,
) -> ClaimRec | None:
    lemma = t.lemma_.lower()
    stance = VERB_CUES.get(lemma)
    if stance is None or t.pos_ not in {"VERB"}:
        return None
    nominal = (
        t.dep_ == "acl"
        and t.tag_ == "VBG"
        and (t.head.lemma_.lower() in DOCUMENT_NOUNS or t.head.lemma_.lower() in NOMINAL_CUES)
    )
    if t.dep_ in {"amod", "compound", "acl"} and not headline and not nominal:
        return None
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in t.children)
    subj = None
    quoted_by = None
    if (
        lemma == "say"
        and t.head.lower_ == "as"
        and t.head.head.lemma_.lower() in _CITE
        and any(c.dep_ == "dobj" for c in t.head.head.children)
    ):
        # "X quoted Y as saying ...": Y via X
        verb = t.head.head
        subj = next(c for c in verb.children if c.dep_ == "dobj")
        quoted_by = _subject(verb)
    elif nominal:
        # "X released a statement saying ...": X; "X's statement saying ...": X
        subj = _noun_owner(t.head)
    elif passive:
        agent = [c for c in t.children if c.dep_ == "agent"]
        objs = [x for a in agent for x in a.children if x.dep_ == "pobj"]
        if not objs:
            return None
        subj = objs[0]
    else:
        subj = _subject(t)
    if subj is None:
        return None
    sent_ids = set(range(sent.start, sent.end))
    content: set[int] = set()
    quote = "indirect"
    comps = [c for c in t.children if c.dep_ == "ccomp" and c.i not in {x.i for x in subj.subtree}]
    if not comps and stance in _XCOMP_OK:
        comps = [c for c in t.children if c.dep_ == "xcomp" and c.lemma_.lower() not in _CITE]
    q = _quote_near(doc, quotes, sent, t, subj)
    if q is not None:
        qa, qb = q
        cids = {x.i for x in doc if x.idx >= qa and x.idx < qb}
        if (
            not comps
            or any({x.i for x in c.subtree} <= cids | {x.i for x in subj.subtree} for c in comps)
            or not any({x.i for x in c.subtree} - cids for c in comps)
            or all(min(x.i for x in c.subtree) in cids for c in comps)
        ):
            content = cids
            quote = "direct"
    if not content and comps:
        for c in comps:
            content |= _subtree_ids(c)
        if stance == "stance" and comps[0].dep_ == "xcomp":
            for c in t.children:
                if c.dep_ == "dobj":
                    content |= _subtree_ids(c)  # "urged Congress to act": the target too
    if not content:
        preps = _PREP_CONTENT.get(lemma)
        dobj = [c for c in t.children if c.dep_ == "dobj"]
        if preps and dobj:
            pp = [c for c in t.children if c.dep_ == "prep" and c.lower_ in preps]
            pp += [c for c in dobj[0].children if c.dep_ == "prep" and c.lower_ in preps]
            if pp:
                if stance == "descriptive" and dobj[0].pos_ in {"PRON", "DET"}:
                    # "described it as a turning point": the characterisation
                    objs = [o for p in pp for o in p.children if o.dep_ in {"pobj", "pcomp"}]
                    content = set().union(*(_subtree_ids(o) for o in objs)) if objs else set()
                else:
                    content = _subtree_ids(dobj[0]) | set().union(*(_subtree_ids(p) for p in pp))
        elif (
            lemma in _DOBJ_CONTENT
            and dobj
            and lemma not in NEEDS_CLAUSE - {"deny", "admit", "confirm"}
        ):
            content = _subtree_ids(dobj[0])
    if (
        not content
        and t.dep_ in {"parataxis", "ccomp", "advcl", "conj"}
        and t.head.i < t.i
        and t.head.pos_ in {"VERB", "AUX"}
    ):
        # "North Korea plans to ..., NIS estimates, which ..." / "X, he added."
        h = t.head
        if h.lemma_.lower() not in VERB_CUES or t.dep_ == "parataxis":
            content = _subtree_ids(h) - _subtree_ids(t)
    if not content and headline and t.i + 1 < sent.end:
        content = set(range(t.i + 1, sent.end))
        if any(doc[i].text in _QUOTE_CHARS for i in content):
            quote = "direct"
    if not content:
        return None
    # verbs that are only reporting verbs with a clause: keep parenthetical use only
    if (
        lemma in NEEDS_CLAUSE
        and not comps
        and q is None
        and lemma not in _PREP_CONTENT
        and lemma not in _DOBJ_CONTENT
        and not (t.dep_ in {"parataxis", "ccomp"} and t.head.i < t.i)
    ):
        return None
    if t in list(subj.subtree):
        # "Kim, who said ...": the source is the noun the cue's clause hangs on
        attrib = (_subtree_ids(subj) - _subtree_ids(t)) | {t.i}
        attrib |= {x.i for x in t.children if x.dep_ == "nsubj"}
    else:
        attrib = _subtree_ids(subj) | {t.i}
    content -= attrib
    if quote != "direct":
        content &= sent_ids | content  # quotes may run over sentences
    content_runs = _runs(doc, content)
    if not content_runs:
        return None
    a0 = min(min(a for a, _ in content_runs), sent.start_char)
    b0 = max(max(b for _, b in content_runs), sent.end_char)
    rec = ClaimRec(offset + a0, offset + b0)
    rec.content = [(offset + a, offset + b) for a, b in content_runs]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, stance)
    rec.source = _source_ref(doc, subj, offset)
    rec.via = _via(doc, t, subj, offset)
    if quoted_by is not None:
        rec.via = _source_ref(doc, quoted_by, offset)
    rec.quote = quote
    rec.headline = headline
    rec.kind = claim_kind(stance, rec.source.how)
    return rec


def _noun_owner(noun: Any) -> Any:
    """Who a statement noun belongs to: its possessor ("Trump's claim"), or the subject of the
    verb it is the object of ("X released a statement", "X made the announcement")."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    if noun.dep_ in {"dobj", "attr"} and noun.head.pos_ in {"VERB", "AUX"}:
        return _subject(noun.head)
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        # "X said in a statement ...": handled by the verb itself
        return None
    return None


def _nominal_that(doc: Any, sent: Any, t: Any, offset: int) -> ClaimRec | None:
    """A cue noun with its "that" clause: "Trump's claim that ...", "X made the announcement
    that ...", "speculation that ..." (with a source only when the noun has an owner)."""
    if t.pos_ != "NOUN" or t.lemma_.lower() not in NOMINAL_CUES:
        return None
    clause = [
        c
        for c in t.children
        if c.dep_ in {"acl", "ccomp", "relcl"}
        and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    ]
    if not clause:
        return None
    owner = _noun_owner(t)
    if owner is None:
        return None
    content = _subtree_ids(clause[0])
    runs = _runs(doc, content)
    if not runs:
        return None
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.content = [(offset + a, offset + b) for a, b in runs]
    stance = NOMINAL_CUES[t.lemma_.lower()]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, stance)
    rec.source = _source_ref(doc, owner, offset)
    rec.quote = "indirect"
    rec.kind = claim_kind(stance, rec.source.how)
    return rec


def _according_to(doc: Any, sent: Any, t: Any, offset: int) -> ClaimRec | None:
    if t.lower_ != "according" or t.i + 1 >= sent.end or doc[t.i + 1].lower_ != "to":
        return None
    to = doc[t.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in t.children if c.dep_ == "pobj"
    ]
    if not objs:
        return None
    attrib = _subtree_ids(t) | _subtree_ids(to) | {t.i, to.i}
    content = set(range(sent.start, sent.end)) - attrib
    runs = _runs(doc, content)
    if not runs:
        return None
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.content = [(offset + a, offset + b) for a, b in runs]
    rec.cue = Cue(
        offset + t.idx,
        offset + to.idx + len(to.text),
        dtext(doc)[t.idx : to.idx + len(to.text)],
        "report",
    )
    rec.source = _source_ref(doc, objs[0], offset)
    rec.quote = "indirect"
    rec.kind = claim_kind("report", rec.source.how)
    return rec


def _nominal_cue(doc: Any, sent: Any, t: Any, offset: int) -> ClaimRec | None:
    """A cue verb the tagger took for a plural noun: "…, NIS estimates, …", "…, the IMF says"."""
    if t.tag_ not in {"NNS", "NNPS", "NN"} or not t.lower_.endswith("s"):
        return None
    low = t.lower_
    lemma = next((x for x in (low[:-1], low[:-2]) if x in VERB_CUES), None)
    if lemma is None or lemma in NEEDS_CLAUSE:
        return None
    # the subject noun phrase right before it, after a comma
    i = t.i - 1
    while (
        i >= sent.start and doc[i].pos_ in {"PROPN", "NOUN", "DET", "ADJ", "NUM"} and t.i - i <= 6
    ):
        i -= 1
    if i < sent.start or doc[i].text != "," or i == t.i - 1:
        return None
    np = [doc[k] for k in range(i + 1, t.i)]
    if not any(x.pos_ == "PROPN" or x.ent_type_ or x.lower_ in ANON_HEADS for x in np):
        return None
    content = set(range(sent.start, i))
    runs = _runs(doc, content)
    if not runs:
        return None
    head = np[-1]
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.content = [(offset + a, offset + b) for a, b in runs]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, VERB_CUES[lemma])
    ref = _source_ref(doc, head, offset)
    a, b = _span_chars(doc, np)
    ref.span = TextSpan(offset + a, offset + b, dtext(doc)[a:b])
    rec.source = ref
    rec.quote = "indirect"
    rec.kind = claim_kind(VERB_CUES[lemma], ref.how)
    return rec


def extract(doc: Any, offset: int, data: ChunkData, *, headline: bool = False) -> None:
    quotes = quote_spans(dtext(doc))
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        sents = list(doc.sents)
    else:
        sents = [doc[:]] if len(doc) else []
    recs: list[ClaimRec] = []
    for sent in sents:
        found: list[ClaimRec] = []
        for t in sent:
            r = (
                _according_to(doc, sent, t, offset)
                or _claim_for_cue(doc, sent, t, quotes, offset, headline)
                or _nominal_cue(doc, sent, t, offset)
                or _nominal_that(doc, sent, t, offset)
            )
            if r is not None and all(r.content != x.content for x in found):
                found.append(r)
        recs.extend(_chains(found))
    turn = _turn(doc, offset)
    if turn is not None:
        for r in recs:
            if r.source is not None and r.source.how == "pronoun" and r.source.head in _FIRST:
                r.source = turn  # "I think ..." in a speaker's turn: the speaker
            if r.via is not None and r.via.how == "pronoun" and r.via.head in _FIRST:
                r.via = turn
            # the speaker label is not part of what is said
            r.content = [(max(a, turn.span.end + 2), b) for a, b in r.content]
            r.content = [(a, b) for a, b in r.content if b > a]
        recs = [r for r in recs if r.content]
    # author statements: sentences no claim covers
    covered = []
    for r in recs:
        covered.extend(r.content)
        if r.cue:
            covered.append((r.cue.start, r.cue.end))
    for r in recs:
        for ref in (r.source, r.via):
            if ref is not None:
                covered.append((ref.span.start, ref.span.end))
    covered.sort()
    c_starts = [ca for ca, _ in covered]
    max_len = max((cb - ca for ca, cb in covered), default=0)

    def covered_in(a: int, b: int) -> bool:
        i = bisect.bisect_left(c_starts, a - max_len)
        while i < len(covered) and covered[i][0] < b:
            if covered[i][1] > a:
                return True
            i += 1
        return False

    for sent in sents:
        a, b = offset + sent.start_char, offset + sent.end_char
        ids = {x.i for x in sent}
        if covered_in(a, b):
            # what is left of a sentence around its attributions, when it is a clause of
            # its own ("…, NIS estimates, which while is unlikely to tip the balance …")
            here = [(ca, cb) for ca, cb in covered if ca < b and cb > a]
            left = {x.i for x in sent if not any(ca <= offset + x.idx < cb for ca, cb in here)}
            cues = [(r.cue.start, r.cue.end) for r in recs if r.cue and a <= r.cue.start < b]
            cue_ids = {x.i for x in sent if any(ca <= offset + x.idx < cb for ca, cb in cues)}
            keep: set[int] = set()
            for run in _group_runs(sorted(left)):
                keep.update(_statement(doc, run, cue_ids))
            ids = keep
            if not ids:
                continue
        runs = _runs(doc, ids)
        if not runs:
            continue
        rec = ClaimRec(a, b)
        rec.content = [(offset + x, offset + y) for x, y in runs]
        rec.headline = headline
        rec.kind = "author"
        if turn is not None:
            # a transcript turn: the speaker says it, verbatim
            rec.content = [(max(x, turn.span.end + 2), y) for x, y in rec.content]
            rec.content = [(x, y) for x, y in rec.content if y > x]
            if not rec.content:
                continue
            rec.source, rec.kind, rec.quote = turn, "speech", "direct"
            rec.cue = Cue(turn.span.start, turn.span.end + 1, turn.span.text + ":", "neutral")
        recs.append(rec)
    recs.sort(key=lambda r: (r.start, r.content[0][0] if r.content else 0))
    # hedges and figures, per sentence, attached to the claims that hold them
    hedges: list[Hedge] = []
    figures: list[Figure] = []
    for sent in sents:
        hedges.extend(find_hedges(sent, offset))
        figures.extend(find_figures(sent, offset))
    h_starts = [h.start for h in hedges]
    f_starts = [f.start for f in figures]

    def within(
        items: list[_Located], starts: list[int], zones: list[tuple[int, int]]
    ) -> list[_Located]:
        out: list[_Located] = []
        for a, b in sorted(zones):
            i = bisect.bisect_left(starts, a)
            while i < len(items) and starts[i] < b:
                if items[i].end <= b and items[i] not in out:
                    out.append(items[i])
                i += 1
        return sorted(out, key=lambda x: (x.start, x.end))

    for r in recs:
        zones = list(r.content)
        if r.cue:
            zones.append((r.cue.start, r.cue.end))
        r.hedges = within(hedges, h_starts, zones) if hedges else []
        r.figures = within(figures, f_starts, r.content) if figures else []
        r.headline = headline
    data.claims.extend(recs)


_FIRST = {"i", "me", "we", "us", "our", "my"}
#: stances of cues that pass on what another said ("X reported that Y said")
_PLAIN = {"neutral", "report"}
#: a transcript turn: "PENCE:", "CHRIS WALLACE:", "Q:", "A:", or a name spaCy tags as a
#: person ("Jake Tapper:") at the start of a paragraph
_TURN = re.compile(
    r"\s*(Q|A|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}):\s"
)


def _turn(doc: Any, offset: int) -> SourceRef | None:
    """The speaker of a paragraph that is a transcript turn, as a source."""
    text = dtext(doc)
    m = _TURN.match(text)
    if m is None:
        return None
    label = m.group(1)
    a, b = m.span(1)
    speaker = label in {"Q", "A"} or (label.isupper() and len(label) >= 3)
    # mixed case: only a name spaCy takes for a person ("Jake Tapper:")
    if not speaker and not any(
        e.label_ == "PERSON" and e.start_char == a and e.end_char == b for e in doc.ents
    ):
        return None
    return SourceRef(TextSpan(offset + a, offset + b, label), label.lower(), "turn", None, None)


def _chains(found: list[ClaimRec]) -> list[ClaimRec]:
    """Chains within a sentence: "X reported that Y said ..." is Y's claim via X (X's report
    of it stays a claim of X's); "Y said ..., according to X" is one claim of Y via X."""
    out = list(found)
    for outer in found:
        if outer.source is None or outer.cue is None:
            continue
        if outer.cue.text.lower() == "according to":
            # "Y said ..., according to X"
            for inner in found:
                if inner is outer or inner.cue is None or inner.source is None:
                    continue
                if inner.via is None and any(a <= inner.cue.start < b for a, b in outer.content):
                    inner.via = outer.source
                    drop = (outer.cue.start, outer.source.span.end)
                    inner.content = [
                        (a, b) for a, b in inner.content if b <= drop[0] or a >= drop[1]
                    ] or inner.content
                    if outer in out:
                        out.remove(outer)
                    break
            continue
        if outer.cue.stance != "report" and outer.kind != "speech":
            continue  # "I think X said": a belief about a claim, not a chain
        for inner in found:
            if inner is outer or inner.cue is None or inner.source is None:
                continue
            if inner.cue.stance not in _PLAIN or inner.source.how == "pronoun":
                continue  # "X said she believed ...": X's claim about her belief
            c0 = inner.cue.start
            nested = any(a <= c0 < b for a, b in outer.content) and all(
                any(a <= x and y <= b + 1 for a, b in outer.content) for x, y in inner.content
            )
            if nested and inner.via is None:
                # the outer claim stays: what X reported is that Y said it
                inner.via = outer.source
                break
    return out


_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_SUBJ_DEPS = {"nsubj", "nsubjpass", "expl"}
# the last word of a fragment whose complement went with the attribution: "comes after",
# "who was also briefed by", "the ... of the"
_DANGLING_TAGS = {"IN", "TO", "DT", "PDT", "WDT", "WP", "WP$", "WRB", "CC"}
_DANGLING_DEPS = {"prep", "agent", "mark", "det", "aux", "auxpass", "cc", "case", "dative"}
#: the fewest words a remainder needs to be a statement of its own
MIN_STATEMENT_WORDS = 4


def _statement(doc: Any, run: list[int], cue_ids: set[int]) -> list[int]:
    """The tokens of ``run`` (what is left of a sentence around its attributions) when it is
    a full statement of its own, else nothing. A full statement has at least
    ``MIN_STATEMENT_WORDS`` words, does not end in a word whose complement went with the
    attribution ("The assessment comes after", "who was also briefed by"), and holds a
    finite verb with its subject whose clause is not subordinate to a word outside the run:
    a main or coordinated clause, or a relative clause on the cue ("…, NIS estimates, which
    … is unlikely to tip the balance"); not an adverbial clause ("…, Lee said after the spy
    agency briefed parliamentarians") nor a relative clause on the source ("lawmaker Park
    Sun-won who was also briefed by the spy agency told reporters")."""
    toks = [doc[i] for i in run]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].pos_ == "CCONJ"):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].pos_ == "CCONJ"):
        toks.pop(0)
    if sum(1 for t in toks if t.is_alpha or t.like_num) < MIN_STATEMENT_WORDS:
        return []
    last = toks[-1]
    if last.dep_ != "prt" and (last.tag_ in _DANGLING_TAGS or last.dep_ in _DANGLING_DEPS):
        return []
    ids = {t.i for t in toks}
    for v in toks:
        if v.pos_ not in {"VERB", "AUX"}:
            continue
        kids = list(v.children)
        if not any(c.dep_ in _SUBJ_DEPS and c.i in ids for c in kids):
            continue
        if v.tag_ not in _FINITE and not any(
            c.dep_ in {"aux", "auxpass"} and c.tag_ in _FINITE and c.i in ids for c in kids
        ):
            continue
        # the top of the clause inside the run
        top = v
        while top.dep_ != "ROOT" and top.head.i in ids and top.head is not top:
            top = top.head
        if top.dep_ in {"ROOT", "conj", "parataxis"} or (
            top.dep_ == "relcl" and top.head.i in cue_ids
        ):
            return [t.i for t in toks]
    return []


# --------------------------------------------------------------------------------------
# document-wide


_SPEAKERS = {"q": "the interviewer (Q)", "a": "the interviewee (A)"}


def _source_kind(an_actor: Actor | None, ref: SourceRef | None) -> str:
    if an_actor is None:
        if ref is None:
            return "anonymous"
        if ref.how == "turn":
            return "person"
        if ref.how == "document":
            return "document"
        if ref.how == "description":
            if ORG_CLASSES.get(ref.head) == "media":
                return "media"  # "the newspaper", "the broadcaster"
            return "official" if ref.head in ORG_CLASSES or ref.head in TITLE_WORDS else "anonymous"
        return "anonymous"
    if an_actor.kind == "person":
        return "person"
    if an_actor.kind == "group":
        return "anonymous"
    if an_actor.kind == "place":
        return "official"
    names = [an_actor.name, *an_actor.aliases]
    low = " ".join(names).lower()
    span_low = ref.span.text.lower() if ref else ""
    if any(n in STATE_MEDIA for n in names):
        return "state-media"
    if any(n in INTELLIGENCE_NAMES for n in names) or any(w in low for w in INTELLIGENCE_WORDS):
        return "intelligence"
    if (
        any(n in NEWS_AGENCIES for n in names)
        or any(w in low.split() or w in low for w in NEWS_WORDS if " " in w)
        or any(low == w or low.endswith(" " + w) for w in NEWS_WORDS)
    ):
        if any(m in span_low.split() for m in _STATE_MODS):
            return "state-media"
        return "media"
    if ref is not None and ref.how == "document":
        return "document"
    return "official"


class _Sources:
    def __init__(self, group: Grouping) -> None:
        self.g = group
        self.by_key: dict[tuple[str, str | None, str | None], Source] = {}
        self.list: list[Source] = []

    def get(self, ref: SourceRef, aid: str | None, via: str | None) -> Source:
        a = self.g.by_id.get(aid) if aid else None
        if a is not None:
            key = ("a", aid, via)
        else:
            key = ("t", " ".join(ref.span.text.lower().replace("’", "'").split()), via)
        s = self.by_key.get(key)
        if s is None:
            kind = _source_kind(a, ref)
            if a is not None:
                name = a.name
                desc = ref.descriptor or (a.descriptors[0] if a.descriptors else None)
            elif ref.how == "turn":
                name = _SPEAKERS.get(ref.head, ref.span.text)
                desc = None
            else:
                name = " ".join(ref.span.text.split())
                desc = None
            s = Source(
                id=f"s{len(self.list) + 1}",
                name=name,
                kind=kind,
                actor=aid,
                descriptor=desc,
                via=via,
            )
            self.by_key[key] = s
            self.list.append(s)
        return s


def _resolve(
    g: Grouping,
    ref: SourceRef,
    claims_so_far: list[tuple[ClaimRec, str | None]],
    para_from: int = 0,
) -> str | None:
    """Actor id of a source as written. ``claims_so_far[para_from:]`` are the claims of the
    source's paragraph (a claim's content never leaves its paragraph)."""
    if ref.how == "turn":
        return _resolve_turn(g, ref)
    if ref.how == "pronoun":
        pos = ref.span.start
        if ref.head in {"i", "we", "me", "us", "our"}:
            # "we" inside a quotation: the speaker of the claim that quotes it
            for j in range(len(claims_so_far) - 1, max(para_from, 0) - 1, -1):
                rec, aid = claims_so_far[j]
                if aid and any(a <= pos < b for a, b in rec.content):
                    return aid
            kinds = (
                {"person"}
                if ref.head in {"i", "me"}
                else {"person", "organisation", "place", "group"}
            )
        elif ref.head in {"he", "she", "him", "her"}:
            kinds = {"person"}
        elif ref.head in {"they", "them"}:
            kinds = {"organisation", "place", "group"}
            for rec, aid in reversed(claims_so_far[-1:]):
                if aid and g.by_id[aid].kind in kinds and pos - rec.end < 400:
                    return aid
        else:
            kinds = {"organisation", "place"}
            # "Reuters reported that Macron said ... It added ...": the organisation that
            # spoke last (the cited origin of the last claim, or its source)
            for rec, aid in reversed(claims_so_far[-1:]):
                if pos - rec.end > 400:
                    break
                for cand in (
                    _resolve(g, rec.via, claims_so_far[:-1]) if rec.via is not None else None,
                    aid,
                ):
                    if cand and g.by_id[cand].kind == "organisation":
                        return cand
        window = 1500 if "person" in kinds else 400
        for _s, _e, aid in g.mentions_before(pos, kinds, window=window):
            return aid
        return None
    if ref.how == "anonymous":
        return None
    if ref.name_span is not None:
        aid = g.actor_at(*ref.name_span)
        if aid:
            return aid
    return g.actor_at(ref.span.start, ref.span.end)


def _resolve_turn(g: Grouping, ref: SourceRef) -> str | None:
    """The person a transcript speaker label names: "PENCE" -> Mike Pence (by the full name
    or its last word); "A" -> the person most mentioned (the interviewee); "Q" stays the
    interviewer, unresolved."""
    label = ref.span.text.casefold()
    if label == "q":
        return None
    people = [a for a in g.actors if a.kind == "person"]
    if label == "a":
        best = max(people, key=lambda a: len(a.mentions), default=None)
        return best.id if best is not None else None
    for a in people:
        words = a.name.casefold().split()
        if a.name.casefold() == label or (words and words[-1] == label.split()[-1]):
            return a.id
    return None


def assemble(
    chunks: list[ChunkData], text: str, g: Grouping
) -> tuple[list[Claim], list[Source], list[Measure]]:
    from .model import Mention

    claims: list[Claim] = []
    srcs = _Sources(g)
    done: list[tuple[ClaimRec, str | None]] = []
    for c in chunks:
        para_from = len(done)
        for r in c.claims:
            sid = None
            aid = None
            if r.source is not None:
                via_id = None
                if r.via is not None:
                    vaid = _resolve(g, r.via, done, para_from)
                    via_id = srcs.get(r.via, vaid, None).id
                aid = _resolve(g, r.source, done, para_from)
                if aid and r.source.how == "pronoun":
                    g.add_mention(
                        aid,
                        Mention(
                            r.source.span.start, r.source.span.end, r.source.span.text, "pronoun"
                        ),
                    )
                sid = srcs.get(r.source, aid, via_id).id
            done.append((r, aid))
            claims.append(
                Claim(
                    id=f"c{len(claims) + 1}",
                    start=r.start,
                    end=r.end,
                    content=[Span(a, b) for a, b in r.content],
                    cue=r.cue,
                    source=sid,
                    source_span=r.source.span if r.source is not None else None,
                    quote=r.quote if r.source is not None else "none",
                    hedges=list(r.hedges),
                    figures=list(r.figures),
                    kind=r.kind if (r.source is not None or r.cue is not None) else "author",
                )
            )
    g.finish()
    measures = link_figures(claims, srcs.list)
    return claims, srcs.list, measures


def _origin(sources: dict[str, Source], sid: str | None) -> str | None:
    seen = set()
    while sid and sources[sid].via and sid not in seen:
        seen.add(sid)
        sid = sources[sid].via
    return sid


def link_figures(claims: list[Claim], sources: list[Source]) -> list[Measure]:
    """Figures with the same unit in different claims are one measure: corroborating when
    their values agree within 25 %, conflicting otherwise."""
    by_unit: dict[str, list[tuple[int, int, Figure]]] = {}
    for ci, c in enumerate(claims):
        for fi, f in enumerate(c.figures):
            if f.unit and f.value is not None and f.unit not in {"percent"}:
                by_unit.setdefault(f.unit, []).append((ci, fi, f))
    measures: list[Measure] = []
    for unit, figs in by_unit.items():
        if len({ci for ci, _, _ in figs}) < 2:
            continue
        m = Measure(id=f"m{len(measures) + 1}", unit=unit)
        vals = [f.value for _, _, f in figs if f.value]
        lo, hi = (min(vals), max(vals)) if vals else (0, 0)
        m.agreement = "corroborating" if lo and hi / lo <= 1.25 else "conflicting"
        for ci, fi, f in figs:
            c = claims[ci]
            c.figures[fi] = Figure(f.start, f.end, f.text, f.value, f.approx, f.unit, m.id)
            m.figures.append((c.id, fi))
        measures.append(m)
    return measures


def profile(an: Analysis) -> dict[str, Any]:
    """The one-line sourcing profile of a briefing."""
    srcmap = {s.id: s for s in an.sources}
    sourced = [c for c in an.claims if c.source]
    attributed = [c for c in an.claims if c.kind != "author"]
    author = len(an.claims) - len(attributed)
    claim_kinds: dict[str, int] = {}
    for c in attributed:
        claim_kinds[c.kind] = claim_kinds.get(c.kind, 0) + 1
    # the source of each sourced claim, in the same order
    claim_sources = [srcmap[c.source] for c in sourced if c.source]
    by_kind: dict[str, int] = {}
    for src in claim_sources:
        k = src.kind
        by_kind[k] = by_kind.get(k, 0) + 1
    via = sum(1 for src in claim_sources if src.via)
    # single-source: a sourced claim no figure of another source corroborates
    corroborated: set[str] = set()
    claim_by_id = {c.id: c for c in an.claims}
    for m in an.measures:
        origins = {
            _origin(srcmap, claim_by_id[cid].source)
            for cid, _ in m.figures
            if claim_by_id[cid].source
        }
        if len(origins) >= 2 and m.agreement == "corroborating":
            corroborated.update(cid for cid, _ in m.figures)
    single = sum(1 for c in sourced if c.id not in corroborated)
    kinds = ", ".join(
        f"{n} {k}" for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    line = (
        f"{len(attributed)} claims: {len(sourced)} sourced"
        + (f" ({kinds})" if kinds else "")
        + f"; {single} single-source"
        + (f"; {via} via a cited origin" if via else "")
        + f"; {len(an.sources)} sources; {author} author statements apart"
    )
    return {
        "claims": len(attributed),
        "author_statements": author,
        "claim_kinds": dict(sorted(claim_kinds.items())),
        "sourced": len(sourced),
        "unsourced": len(an.claims) - len(sourced),
        "by_kind": dict(sorted(by_kind.items())),
        "single_source": single,
        "via": via,
        "sources": len(an.sources),
        "line": line,
    }
