"""Sources document-wide: each source as written resolved to an actor (names, descriptions,
pronouns by agreement and salience), classified by kind, chained through ``via``; the claims
assembled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .gazetteer import (
    INTELLIGENCE_NAMES,
    INTELLIGENCE_WORDS,
    NEWS_AGENCIES,
    NEWS_WORDS,
    ORG_CLASSES,
    STATE_MEDIA,
    TITLE_WORDS,
)
from .grouping import resolve_description
from .model import Actor, Claim, Measure, Source, Span
from .records import ChunkData, ClaimRec, SourceRef
from .spans import QUOTE_CHARS, quote_spans

if TYPE_CHECKING:
    from .actors import Grouping
from .figures import link_figures
from .transcripts import SPEAKERS, resolve_turn

_STATE_MODS = {"state", "official", "state-run", "state-owned", "state-controlled", "government"}


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
    def __init__(self, group: Grouping, media: set[str] | None = None) -> None:
        self.g = group
        self.media = media or set()
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
            if (
                kind == "official"
                and a is not None
                and a.kind == "organisation"
                and aid in self.media
            ):
                kind = "media"  # statements are made to it: "told Le Monde"
            if a is not None:
                name = a.name
                desc = ref.descriptor or (a.descriptors[0] if a.descriptors else None)
            elif ref.how == "turn":
                name = SPEAKERS.get(ref.head, ref.span.text)
                desc = None
            else:
                name = " ".join(ref.span.text.split())
                desc = ref.descriptor if ref.how == "anonymous" else None
            s = Source(
                id=f"s{len(self.list) + 1}",
                name=name,
                kind=kind,
                actor=aid,
                descriptor=desc,
                via=via,
                country=ref.country,
                unresolved=a is None and ref.how in {"description", "pronoun"},
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
        return resolve_turn(g, ref)
    if ref.how == "pronoun":
        pos = ref.span.start
        if ref.head in {"that", "which"}:
            return None  # a relative pronoun the parser could not hang on its noun
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
    if ref.how == "description":
        # "the spy agency", "the South Korean military": the actor it refers to, never a
        # place named inside it; none when no antecedent agrees
        hit = g.desc_actor.get((ref.span.start, ref.span.end))
        if hit:
            return hit
        return resolve_description(g, ref.head, ref.span.start)
    if ref.name_span is not None:
        aid = g.actor_at(*ref.name_span)
        if aid:
            return aid
    return g.actor_at(ref.span.start, ref.span.end)


def _join_lead_in(lead: ClaimRec, c: ChunkData, text: str) -> None:
    """ "X said:" then a paragraph that opens with a quotation: the author statements inside
    that quotation become one claim of X's, verbatim."""
    qs = quote_spans(text[c.start : c.end])
    if not qs:
        return
    q_end = c.start + qs[0][1]
    inside = [r for r in c.claims if r.source is None and r.cue is None and r.start < q_end]
    if not inside:
        return
    first = inside[0]
    for r in inside[1:]:
        first.content.extend(r.content)
        first.hedges.extend(r.hedges)
        first.figures.extend(r.figures)
        first.end = max(first.end, r.end)
    first.source, first.cue, first.quote, first.kind = lead.source, lead.cue, "direct", lead.kind
    c.claims = [r for r in c.claims if r is first or not any(r is x for x in inside)]


def assemble(
    chunks: list[ChunkData], text: str, g: Grouping
) -> tuple[list[Claim], list[Source], list[Measure]]:
    from .model import Mention

    claims: list[Claim] = []
    media = {aid for c in chunks for a, b in c.told if (aid := g.actor_at(a, b))}
    srcs = _Sources(g, media)
    done: list[tuple[ClaimRec, str | None]] = []
    lead: ClaimRec | None = None
    for c in chunks:
        para_from = len(done)
        if lead is not None and text[c.start : c.end].lstrip()[:1] in QUOTE_CHARS:
            _join_lead_in(lead, c, text)
        lead = c.lead_in
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
