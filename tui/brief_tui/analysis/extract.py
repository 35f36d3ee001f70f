"""Claims per paragraph (with the parse): for every cue (a reporting verb of the lexicon,
"according to", a cue noun with its "that" clause), the source as written, the content (the
reported clause, the quotation next to the attribution, or what is left of the sentence
around a parenthetical "..., Lee said"), a cited origin, hedges and figures. Sentences with
no cue become the author's own statements."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, TypeVar

from .cues import DOCUMENT_NOUNS, NEEDS_CLAUSE, NOMINAL_CUES, VERB_CUES, claim_kind
from .figures import find_figures
from .gazetteer import (
    ANON_HEADS,
)
from .hedges import find_hedges
from .matchers import cue_candidates, hedge_matches
from .model import Cue, Figure, Hedge, TextSpan
from .records import ChunkData, ClaimRec, dtext

if TYPE_CHECKING:
    pass
from .chains import link_chains
from .sourcing import CITE_VERBS, cited_origin, cue_subject, noun_owner, source_ref
from .spans import QUOTE_CHARS, group_runs, quote_spans, span_chars, subtree_ids, token_runs
from .statements import full_statement
from .transcripts import FIRST_PERSON, discourse_openers, headline_colon, turn_speaker, without

_Located = TypeVar("_Located", Hedge, Figure)


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


#: subjects that are no one: a cognition verb with them reports no belief
_THINGS = {"this", "that", "these", "those", "it", "which"}


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


#: tags of a finite verb: a clause with one states something ("said he was ready")
_FINITE = {"VBD", "VBZ", "VBP", "MD"}


def _finite(c: Any) -> bool:
    """A complement clause that can state something: finite, or opened by "that", "if",
    "whether" or a wh-word. A small clause ("found himself unable to", "declared it
    'incomprehensible'", "find myself entering") characterises; it reports nothing."""
    if c.tag_ in _FINITE:
        return True
    for x in c.children:
        if x.dep_ in {"aux", "auxpass"} and x.tag_ in _FINITE:
            return True
        if x.dep_ == "mark" or x.tag_ in {"WDT", "WP", "WP$", "WRB"}:
            return True
    return False


def _quote_near(
    doc: Any, quotes: list[tuple[int, int]], sent: Any, cue: Any, subj_ids: set[int]
) -> tuple[int, int] | None:
    """A quotation adjoining the attribution: `“…,” X said` or `X said: “…”`."""
    toks = [cue] + [doc[i] for i in subj_ids]
    a = min(t.idx for t in toks)
    last = max(toks, key=lambda t: t.i)
    b = last.idx + len(last.text)
    text = dtext(doc)
    for qa, qb in quotes:
        if qb <= a:
            gap = text[qb:a]
            # not across a full stop: `… "support movement". Hill commented, “…”`
            if len(gap) <= 3 and all(not ch.isalnum() and ch != "." for ch in gap):
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
    if t.tag_ == "NNS" and any(c.dep_ == "nsubj" for c in t.children):
        # a cue verb the tagger took for a plural noun, with its own subject: "The U.S.
        # Department of Agriculture notes, “…”"
        low = t.lower_
        lemma = next((x for x in (low[:-1], low[:-2]) if x in VERB_CUES), lemma)
    elif t.pos_ != "VERB":
        return None
    stance = VERB_CUES.get(lemma)
    if stance is None:
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
        and t.head.head.lemma_.lower() in CITE_VERBS
        and any(c.dep_ == "dobj" for c in t.head.head.children)
    ):
        # "X quoted Y as saying ...": Y via X
        verb = t.head.head
        subj = next(c for c in verb.children if c.dep_ == "dobj")
        quoted_by = cue_subject(verb)
    elif nominal:
        # "X released a statement saying ...": X; "X's statement saying ...": X
        subj = noun_owner(t.head)
    elif passive:
        agent = [c for c in t.children if c.dep_ == "agent"]
        objs = [x for a in agent for x in a.children if x.dep_ == "pobj"]
        if not objs:
            return None
        subj = objs[0]
    else:
        subj = cue_subject(t)
    if subj is None:
        return None
    if stance == "belief" and subj.lower_ in _THINGS:
        return None  # "This means that …", "it means": no one's belief
    sent_ids = set(range(sent.start, sent.end))
    content: set[int] = set()
    quote = "indirect"
    # "Devocht, who had told Montalvo he would ...": the source is the noun without the clause
    subj_ids = subtree_ids(subj) - (subtree_ids(t) if t in subj.subtree else set())
    comps = [c for c in t.children if c.dep_ == "ccomp" and c.i not in subj_ids and _finite(c)]
    if not comps:
        # "told LA Weekly in a statement that …": the clause hangs on the statement
        comps = [
            c
            for p in t.children
            if p.dep_ == "prep" and p.lower_ == "in"
            for o in p.children
            if o.dep_ == "pobj" and o.lemma_.lower() in NOMINAL_CUES
            for c in o.children
            if c.dep_ in {"acl", "ccomp", "relcl"}
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
    if not comps and stance in _XCOMP_OK:
        comps = [c for c in t.children if c.dep_ == "xcomp" and c.lemma_.lower() not in CITE_VERBS]
    q = _quote_near(doc, quotes, sent, t, subj_ids)
    if q is not None:
        qa, qb = q
        cids = {x.i for x in doc if x.idx >= qa and x.idx < qb}
        if (
            not comps
            or any({x.i for x in c.subtree} <= cids | subj_ids for c in comps)
            or not any({x.i for x in c.subtree} - cids for c in comps)
            or all(min(x.i for x in c.subtree) in cids for c in comps)
        ):
            content = cids
            quote = "direct"
    if not content and comps:
        for c in comps:
            content |= subtree_ids(c)
        if stance == "stance" and comps[0].dep_ == "xcomp":
            for c in t.children:
                if c.dep_ == "dobj":
                    content |= subtree_ids(c)  # "urged Congress to act": the target too
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
                    content = set().union(*(subtree_ids(o) for o in objs)) if objs else set()
                else:
                    content = subtree_ids(dobj[0]) | set().union(*(subtree_ids(p) for p in pp))
        elif (
            lemma in _DOBJ_CONTENT
            and dobj
            and lemma not in NEEDS_CLAUSE - {"deny", "admit", "confirm"}
        ):
            content = subtree_ids(dobj[0])
    if (
        not content
        and t.dep_ in {"parataxis", "ccomp", "advcl", "conj"}
        and t.head.i < t.i
        and t.head.pos_ in {"VERB", "AUX"}
    ):
        # "North Korea plans to ..., NIS estimates, which ..." / "X, he added."
        h = t.head
        if h.lemma_.lower() not in VERB_CUES or t.dep_ == "parataxis":
            content = subtree_ids(h) - subtree_ids(t)
    # "As the minister said on Monday, the talks will resume": the clause it introduces
    as_clause = (
        t.dep_ == "advcl"
        and t.head.i > t.i
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
        and any(c.dep_ == "nsubj" for c in t.children)  # not "As expected, …"
    )
    if not content and as_clause:
        content = subtree_ids(t.head) - subtree_ids(t)
    if not content and headline and t.i + 1 < sent.end:
        content = set(range(t.i + 1, sent.end))
        if any(doc[i].text in QUOTE_CHARS for i in content):
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
        and not as_clause
    ):
        return None
    if t in list(subj.subtree):
        # "Kim, who said ...": the source is the noun the cue's clause hangs on
        attrib = (subtree_ids(subj) - subtree_ids(t)) | {t.i}
        attrib |= {x.i for x in t.children if x.dep_ == "nsubj"}
    else:
        attrib = subtree_ids(subj) | {t.i}
    content -= attrib
    if quote != "direct":
        content &= sent_ids | content  # quotes may run over sentences
    content_runs = token_runs(doc, content)
    if not content_runs:
        return None
    a0 = min(min(a for a, _ in content_runs), sent.start_char)
    b0 = max(max(b for _, b in content_runs), sent.end_char)
    rec = ClaimRec(offset + a0, offset + b0)
    rec.content = [(offset + a, offset + b) for a, b in content_runs]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, stance)
    rec.source = source_ref(doc, subj, offset)
    rec.via = cited_origin(doc, t, subj, offset)
    if quoted_by is not None:
        rec.via = source_ref(doc, quoted_by, offset)
    rec.quote = quote
    rec.headline = headline
    rec.kind = claim_kind(stance, rec.source.how)
    return rec


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
    owner = noun_owner(t)
    if owner is None:
        return None
    content = subtree_ids(clause[0])
    runs = token_runs(doc, content)
    if not runs:
        return None
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.content = [(offset + a, offset + b) for a, b in runs]
    stance = NOMINAL_CUES[t.lemma_.lower()]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, stance)
    rec.source = source_ref(doc, owner, offset)
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
    attrib = subtree_ids(t) | subtree_ids(to) | {t.i, to.i}
    content = set(range(sent.start, sent.end)) - attrib
    runs = token_runs(doc, content)
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
    rec.source = source_ref(doc, objs[0], offset)
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
    runs = token_runs(doc, content)
    if not runs:
        return None
    head = np[-1]
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.content = [(offset + a, offset + b) for a, b in runs]
    rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, VERB_CUES[lemma])
    ref = source_ref(doc, head, offset)
    a, b = span_chars(doc, np)
    ref.span = TextSpan(offset + a, offset + b, dtext(doc)[a:b])
    rec.source = ref
    rec.quote = "indirect"
    rec.kind = claim_kind(VERB_CUES[lemma], ref.how)
    return rec


def _told(doc: Any, candidates: list[int], offset: int) -> list[tuple[int, int]]:
    """Organisations a statement is made to: "told Le Monde", "said in an interview with
    Fox News" (the evidence that a name is a newspaper or a broadcaster)."""
    out = []
    for i in candidates:
        t = doc[i]
        if t.pos_ != "VERB":
            continue
        lemma = t.lemma_.lower()
        objs = [c for c in t.children if c.dep_ in {"dobj", "dative"}] if lemma == "tell" else []
        for p in t.children:
            if p.dep_ == "prep" and p.lower_ == "in":
                for o in p.children:
                    if o.dep_ == "pobj" and o.lemma_.lower() == "interview":
                        objs += [
                            x
                            for q in o.children
                            if q.dep_ == "prep" and q.lower_ == "with"
                            for x in q.children
                            if x.dep_ == "pobj"
                        ]
        for o in objs:
            if o.ent_type_ == "ORG":
                e = next(e for e in doc.ents if e.start <= o.i < e.end)
                out.append((offset + e.start_char, offset + e.end_char))
    return out


def _lead_in(doc: Any, sent: Any, recs: list[ClaimRec], offset: int) -> ClaimRec | None:
    """ "Obama tweeted using his account:" at the end of a paragraph, with no claim of its
    own: the cue and source of what follows (joined to it by sources.assemble)."""
    if any(r.start >= offset + sent.start_char for r in recs):
        return None
    root = sent.root
    stance = VERB_CUES.get(root.lemma_.lower())
    if stance is None or root.pos_ != "VERB" or any(c.dep_ == "ccomp" for c in root.children):
        return None
    subj = cue_subject(root)
    if subj is None:
        return None
    rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
    rec.cue = Cue(offset + root.idx, offset + root.idx + len(root.text), root.text, stance)
    rec.source = source_ref(doc, subj, offset)
    rec.quote = "direct"
    rec.kind = claim_kind(stance, rec.source.how)
    return rec


def extract(doc: Any, offset: int, data: ChunkData, *, headline: bool = False) -> None:
    quotes = quote_spans(dtext(doc))
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        sents = list(doc.sents)
    else:
        sents = [doc[:]] if len(doc) else []
    recs: list[ClaimRec] = []
    text = dtext(doc)
    # "Let me ask you", "you know", "I mean": said, but saying nothing
    openers = [
        r
        for sent in sents
        if any(x.lower_ in {"let", "know", "mean", "see"} for x in sent)
        for r in discourse_openers(doc, sent, offset)
    ]
    candidates = cue_candidates(doc)
    for sent in sents:
        found: list[ClaimRec] = []
        lo = bisect.bisect_left(candidates, sent.start)
        hi = bisect.bisect_left(candidates, sent.end)
        for t in (doc[i] for i in candidates[lo:hi]):
            r = (
                _according_to(doc, sent, t, offset)
                or _claim_for_cue(doc, sent, t, quotes, offset, headline)
                or _nominal_cue(doc, sent, t, offset)
                or _nominal_that(doc, sent, t, offset)
            )
            if r is not None and all(r.content != x.content for x in found):
                found.append(r)
        recs.extend(link_chains(found, lambda x, y: dtext(doc)[x - offset : y - offset]))
    data.told = _told(doc, candidates, offset)
    if sents and text.rstrip().endswith(":") and not headline:
        data.lead_in = _lead_in(doc, sents[-1], recs, offset)
    if openers:
        # a cue inside an opener ("you know") makes no claim
        recs = [
            r for r in recs if r.cue is None or not any(a <= r.cue.start < b for a, b in openers)
        ]
        for r in recs:
            r.content = without(r.content, openers, text, offset)
        recs = [r for r in recs if r.content]
    turn = turn_speaker(doc, offset)
    hc = headline_colon(doc, offset) if headline and turn is None else None
    if hc is not None:
        # "WikiLeaks: Clinton flattered Obama": the name's claim, not the author's
        recs = [r for r in recs if r.cue is not None and r.start >= hc.content[0][0]]
        recs.insert(0, hc)
    if turn is not None:
        for r in recs:
            if r.source is not None and r.source.how == "pronoun" and r.source.head in FIRST_PERSON:
                r.source = turn  # "I think ..." in a speaker's turn: the speaker
            if r.via is not None and r.via.how == "pronoun" and r.via.head in FIRST_PERSON:
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
            for run in group_runs(sorted(left)):
                keep.update(full_statement(doc, run, cue_ids))
            ids = keep
            if not ids:
                continue
        runs = token_runs(doc, ids)
        if not runs:
            continue
        rec = ClaimRec(a, b)
        rec.content = [(offset + x, offset + y) for x, y in runs]
        rec.headline = headline
        rec.kind = "author"
        if openers:
            rec.content = without(rec.content, openers, text, offset)
            if not rec.content:
                continue
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
    longest = hedge_matches(doc)
    for sent in sents:
        hedges.extend(find_hedges(sent, offset, longest))
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
