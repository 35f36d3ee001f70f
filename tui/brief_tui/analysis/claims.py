"""Claims (v0): sentences with a cue word; source = the cue's subject."""

from __future__ import annotations

from .cues import PHRASE_CUES, VERB_CUES
from .figures import find_figures
from .hedges import find_hedges
from .model import Claim, Cue, Source, TextSpan
from .records import ChunkData, ClaimRec, SourceRef


def extract(doc, offset: int, data: ChunkData, *, headline: bool = False) -> None:
    for sent in doc.sents:
        rec = ClaimRec(offset + sent.start_char, offset + sent.end_char)
        rec.content = [(rec.start, rec.end)]
        rec.hedges = find_hedges(sent, offset)
        rec.figures = find_figures(sent, offset)
        rec.headline = headline
        if any(t.text in {"“", "”", '"'} for t in sent):
            rec.quote = "direct"
        for t in sent:
            src = None
            if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                objs = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
                rec.cue = Cue(offset + t.idx, offset + doc[t.i + 1].idx + 2, "according to", "report")
                if objs:
                    src = objs[0]
            elif t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in VERB_CUES:
                rec.cue = Cue(offset + t.idx, offset + t.idx + len(t.text), t.text, VERB_CUES[t.lemma_.lower()])
                subj = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if subj:
                    src = subj[0]
            if rec.cue is not None:
                if src is not None:
                    toks = list(src.subtree)
                    a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
                    rec.source = SourceRef(TextSpan(offset + a, offset + b, doc.text[a:b]),
                                           src.lemma_.lower(), "pronoun" if src.pos_ == "PRON" else "name")
                    if rec.quote == "none":
                        rec.quote = "indirect"
                break
        data.claims.append(rec)


def assemble(chunks, text, group):
    claims = []
    sources: dict[str, Source] = {}
    for c in chunks:
        for r in c.claims:
            cid = f"c{len(claims) + 1}"
            sid = None
            span = None
            if r.source is not None:
                span = r.source.span
                aid = group.actor_at(span.start, span.end)
                actor = next((a for a in group.actors if a.id == aid), None) if aid else None
                key = aid or span.text.lower()
                if key not in sources:
                    kind = "anonymous"
                    if actor is not None:
                        kind = "person" if actor.kind == "person" else "official"
                    sources[key] = Source(id=f"s{len(sources) + 1}", name=actor.name if actor else span.text,
                                          kind=kind, actor=aid)
                sid = sources[key].id
            claims.append(Claim(id=cid, start=r.start, end=r.end,
                                content=[__import__("brief_tui.analysis.model", fromlist=["Span"]).Span(a, b) for a, b in r.content],
                                cue=r.cue, source=sid, source_span=span, quote=r.quote if sid else "none",
                                hedges=r.hedges, figures=r.figures))
    return claims, list(sources.values()), []


def profile(an):
    sourced = [c for c in an.claims if c.source]
    return {"claims": len(an.claims), "sourced": len(sourced)}
