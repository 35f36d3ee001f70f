"""Across briefings: the same actor, source or figure in the other briefings of the library.

Everything here reads the store's cached analyses (:meth:`LibraryStore.latest_cached_analysis`);
nothing runs spaCy. A briefing never analysed is searched in its text for the names (its
hits say ``analysed=False``).

Names are compared by :func:`name_key`, the same alias normalisation as within one briefing
(:func:`brief_tui.analysis.actors.normalise`: straight quotes, no "the", no possessive; then
U.S./US/United States, DPRK/North Korea, demonyms, well-known acronyms to one form, and
case folded). An actor is known across briefings by its name and its proper-name aliases;
descriptions ("the spy agency") and a person's bare surname ("Lee") are left out, since in
another briefing they may well mean someone else.

Figures: the same measure (a figure's unit, e.g. "troop") in claims of different briefings
is listed side by side with the source of each. Reports whose source chain (``via``) ends at
the same origin, or that repeat the same words, are grouped as one origin: NIS's estimate
repeated by a lawmaker in one briefing and by a news agency in another is one report, not
three that corroborate each other.

No Textual here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from brief_tui.analysis.actors import normalise
from brief_tui.analysis.model import Actor, Analysis, Claim, Source
from brief_tui.library.listing import iter_listing, library_listing, listing_window, local_time
from brief_tui.library.names import (
    actor_keys,
    index_keys,
    is_proper,
    name_key,
    source_keys,
    unit_key,
)
from brief_tui.library.store.errors import StoreError
from brief_tui.library.store.protocol import BriefingInfo, LibraryStore

__all__ = [
    "AUTHOR",
    "AcrossHit",
    "AcrossHits",
    "FigureReport",
    "MeasureAcross",
    "OriginGroup",
    "across",
    "across_actor",
    "across_source",
    "actor_keys",
    "figures_across",
    "iter_listing",
    "library_listing",
    "listing_window",
    "local_time",
    "name_key",
    "source_chain",
]

#: what a claim without a source is attributed to
AUTHOR: Final = "the author"
#: values of different origins within this ratio of each other agree
AGREE_RATIO: Final = 1.1
#: Across and Figures read at most this many briefings naming what is looked up (the most
#: recently opened): a name in most of a 100,000-briefing library would take minutes
MAX_BRIEFINGS: Final = 300

_WORDS = re.compile(r"\w+")


def _kinds_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return (a == "person") == (b == "person")


def source_chain(analysis: Analysis, source: Source | None) -> list[Source]:
    """``source`` and the sources it cites, in order (Lee → NIS); cycles are cut."""
    chain: list[Source] = []
    seen: set[str] = set()
    while source is not None and source.id not in seen:
        chain.append(source)
        seen.add(source.id)
        source = analysis.source(source.via)
    return chain


# -- the library's analyses -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Entry:
    info: BriefingInfo
    date: str | None
    analysis: Analysis | None


def _entries(store: LibraryStore, *, exclude: str | None = None) -> Iterator[_Entry]:
    for info in store.list_briefings():
        if info.id == exclude:
            continue
        yield _entry(store, info)


def _entry(store: LibraryStore, info: BriefingInfo) -> _Entry:
    date = store.briefing_meta(info.id).get("date")
    analysis = store.latest_cached_analysis(info.id)
    return _Entry(info, date if isinstance(date, str) else None, analysis)


def _indexed_entries(
    store: LibraryStore,
    keys: Iterable[str],
    *,
    exclude: str | None = None,
    forms: Sequence[str] = (),
) -> tuple[list[_Entry], int] | None:
    """The briefings whose analysis names one of ``keys`` (and, with ``forms``, those never
    analysed whose text may hold one), in the library's order (most recently opened
    first), at most :data:`MAX_BRIEFINGS` of each, and how many analysed ones were left
    out past that; None when the store keeps no index."""
    wanted = sorted(keys)
    found = store.across_candidates(wanted, limit=MAX_BRIEFINGS)
    if found is None:
        return None
    if found.unindexed:  # analyses cached before the index existed: indexed once, now
        for bid in found.unindexed:
            analysis = store.latest_cached_analysis(bid)
            with contextlib.suppress(StoreError):  # a read-only store: read again next time
                store.index_across(bid, index_keys(analysis) if analysis else ())
        found = store.across_candidates(wanted, limit=MAX_BRIEFINGS)
        if found is None:
            return None
    entries = [_Entry(i, d, a) for i, d, a in found.found if i.id != exclude]
    if forms:
        text_hits = store.unanalysed_naming(forms, limit=MAX_BRIEFINGS) or []
        entries += [_Entry(i, d, None) for i, d in text_hits if i.id != exclude]
    entries.sort(key=lambda e: e.info.id)
    entries.sort(key=lambda e: e.info.last_opened_at, reverse=True)
    return entries, found.more


# -- actors and sources across briefings -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AcrossHit:
    """Another briefing mentioning an actor or source."""

    briefing_id: str
    title: str
    date: str | None
    #: mentions of the matching actors there
    mentions: int
    #: claims there whose source (or a source it cites) is it
    claims: int
    #: where to open that briefing: its first mention (or first such claim)
    first_offset: int | None
    #: what it is called there
    names: tuple[str, ...]
    #: False when that briefing has no cached analysis and its text was searched instead
    analysed: bool = True

    @property
    def total(self) -> int:
        return self.mentions + self.claims


class AcrossHits(list[AcrossHit]):
    """The hits of :func:`across`; ``more``: briefings naming it that were not read (past
    the :data:`MAX_BRIEFINGS` most recently opened)."""

    def __init__(self, hits: Iterable[AcrossHit] = (), *, more: int = 0) -> None:
        super().__init__(hits)
        self.more = more


def _hit_in_analysis(
    entry: _Entry, analysis: Analysis, keys: frozenset[str], kind: str | None
) -> AcrossHit | None:
    mentions = 0
    first: int | None = None
    names: list[str] = []
    matched_actors: set[str] = set()
    for actor in analysis.actors:
        if not _kinds_compatible(kind, actor.kind):
            continue
        if not keys & actor_keys(actor.name, actor.aliases, kind=actor.kind):
            continue
        matched_actors.add(actor.id)
        names.append(actor.name)
        mentions += len(actor.mentions)
        for m in actor.mentions:
            first = m.start if first is None else min(first, m.start)
    matched_sources: set[str] = set()
    for source in analysis.sources:
        if (source.actor is not None and source.actor in matched_actors) or (
            keys & source_keys(analysis, source)
        ):
            matched_sources.add(source.id)
            if source.name not in names:
                names.append(source.name)
    claims = 0
    claim_first: int | None = None
    if matched_sources:
        for claim in analysis.claims:
            chain = source_chain(analysis, analysis.source(claim.source))
            if any(s.id in matched_sources for s in chain):
                claims += 1
                claim_first = claim.start if claim_first is None else min(claim_first, claim.start)
    if not mentions and not claims:
        return None
    return AcrossHit(
        briefing_id=entry.info.id,
        title=entry.info.title,
        date=entry.date,
        mentions=mentions,
        claims=claims,
        first_offset=first if first is not None else claim_first,
        names=tuple(names),
    )


def _hit_in_text(store: LibraryStore, entry: _Entry, forms: Sequence[str]) -> AcrossHit | None:
    briefing = store.get_briefing(entry.info.id)
    if briefing is None or not forms:
        return None
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?!\w)"
    )
    count = 0
    first: int | None = None
    found: list[str] = []
    for m in pattern.finditer(briefing.text):
        count += 1
        if first is None:
            first = m.start()
        if m.group() not in found:
            found.append(m.group())
    if not count:
        return None
    return AcrossHit(
        entry.info.id, entry.info.title, entry.date, count, 0, first, tuple(found), analysed=False
    )


def _surface_forms(name: str, aliases: Iterable[str], kind: str | None) -> list[str]:
    forms: list[str] = []
    name_tokens = {t.casefold() for t in _WORDS.findall(normalise(name))}
    for alias in [name, *aliases]:
        n = normalise(alias)
        if not n or (alias is not name and not is_proper(alias)):
            continue
        if alias is not name and kind == "person" and " " not in n and n.casefold() in name_tokens:
            continue
        if n not in forms:
            forms.append(n)
    return forms


def across(
    store: LibraryStore,
    briefing_id: str,
    name: str,
    aliases: Iterable[str] = (),
    *,
    kind: str | None = None,
) -> AcrossHits:
    """The other briefings that mention an actor or source called ``name`` (with
    ``aliases``), most mentions first. ``kind`` (an actor kind: person, organisation,
    place, group) keeps a person from matching a place of the same name."""
    aliases = list(aliases)
    keys = actor_keys(name, aliases, kind=kind)
    if not keys:
        return AcrossHits()
    forms = _surface_forms(name, aliases, kind)
    hits: list[AcrossHit] = []
    indexed = _indexed_entries(store, {"name:" + k for k in keys}, exclude=briefing_id, forms=forms)
    for entry in _entries(store, exclude=briefing_id) if indexed is None else indexed[0]:
        if entry.analysis is not None:
            hit = _hit_in_analysis(entry, entry.analysis, keys, kind)
        else:
            hit = _hit_in_text(store, entry, forms)
        if hit is not None:
            hits.append(hit)
    order = {h.briefing_id: i for i, h in enumerate(hits)}  # last opened first
    ranked = sorted(hits, key=lambda h: (-h.total, order[h.briefing_id]))
    return AcrossHits(ranked, more=0 if indexed is None else indexed[1])


def across_actor(store: LibraryStore, briefing_id: str, actor: Actor) -> list[AcrossHit]:
    """:func:`across` for an actor of one briefing's analysis."""
    return across(store, briefing_id, actor.name, actor.aliases, kind=actor.kind)


def across_source(
    store: LibraryStore, briefing_id: str, analysis: Analysis, source: Source
) -> list[AcrossHit]:
    """:func:`across` for a source of one briefing's analysis (through its actor, if any)."""
    actor = analysis.actor(source.actor)
    if actor is not None:
        aliases = [*actor.aliases, source.name] if source.name != actor.name else actor.aliases
        return across(store, briefing_id, actor.name, aliases, kind=actor.kind)
    return across(store, briefing_id, source.name, (), kind=None)


# -- figures across briefings ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FigureReport:
    """One figure of a measure, as one briefing gives it."""

    briefing_id: str
    briefing_title: str
    briefing_date: str | None
    claim_id: str
    #: offset of the figure in its briefing
    offset: int
    text: str
    value: float | None
    approx: str | None
    unit: str
    #: who gives it: the claim's source, or :data:`AUTHOR`
    source: str
    #: the end of the source's ``via`` chain (the source itself when it cites nobody)
    origin: str
    #: the names from source to origin ("Lee Seong-kweun", "National Intelligence Service")
    chain: tuple[str, ...]
    #: the claim's words (its content), for showing and for spotting repeated reports
    content: str
    #: direct | indirect | none
    quote: str = "none"


@dataclass(frozen=True, slots=True)
class OriginGroup:
    """Reports that trace back to one origin: they count once."""

    origin: str
    reports: tuple[FigureReport, ...]

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(r.value for r in self.reports if r.value is not None)

    @property
    def briefing_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.briefing_id for r in self.reports))

    @property
    def value(self) -> float | None:
        """The value this origin gives (the median of its reports)."""
        vs = sorted(self.values)
        return vs[len(vs) // 2] if vs else None


@dataclass(frozen=True, slots=True)
class MeasureAcross:
    """One measure (a unit such as "troop") given in several briefings."""

    unit: str
    #: every report, side by side (briefings most recently opened first)
    reports: tuple[FigureReport, ...]
    #: the reports grouped by origin; independent origins only corroborate each other
    origins: tuple[OriginGroup, ...] = field(default=())

    @property
    def briefing_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.briefing_id for r in self.reports))

    @property
    def independent(self) -> int:
        """How many independent origins give this measure."""
        return len(self.origins)

    @property
    def agreement(self) -> str:
        """``"one origin"`` (repeats, not corroboration), ``"corroborated"`` (independent
        origins within 10 % of each other) or ``"conflicting"``."""
        values = [g.value for g in self.origins if g.value is not None]
        if len(self.origins) < 2 or len(values) < 2:
            return "one origin"
        lo, hi = min(values), max(values)
        if lo <= 0:
            return "corroborated" if lo == hi else "conflicting"
        return "corroborated" if hi / lo <= AGREE_RATIO else "conflicting"


def _content(analysis: Analysis, claim: Claim) -> str:
    if claim.content:
        return " ".join(" ".join(analysis.text[s.start : s.end] for s in claim.content).split())
    return " ".join(analysis.text[claim.start : claim.end].split())


def _words_key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _reports(entry: _Entry, analysis: Analysis) -> Iterator[tuple[FigureReport, frozenset[str]]]:
    """Every figure with a unit in a briefing's claims, with the keys of its origin."""
    for claim in analysis.claims:
        if not claim.figures:
            continue
        chain = source_chain(analysis, analysis.source(claim.source))
        if chain:
            origin_keys = source_keys(analysis, chain[-1])
            source, origin = chain[0].name, chain[-1].name
        else:
            # the briefing's own statement: an origin of its own
            origin_keys = frozenset({f"author:{entry.info.id}"})
            source = origin = AUTHOR
        content = _content(analysis, claim)
        for fig in claim.figures:
            if not fig.unit:
                continue
            yield (
                FigureReport(
                    briefing_id=entry.info.id,
                    briefing_title=entry.info.title,
                    briefing_date=entry.date,
                    claim_id=claim.id,
                    offset=fig.start,
                    text=fig.text,
                    value=fig.value,
                    approx=fig.approx,
                    unit=fig.unit,
                    source=source,
                    origin=origin,
                    chain=tuple(s.name for s in chain),
                    content=content,
                    quote=claim.quote,
                ),
                origin_keys,
            )


def _group_origins(items: list[tuple[FigureReport, frozenset[str]]]) -> tuple[OriginGroup, ...]:
    uf = _UnionFind(len(items))
    by_key: dict[str, int] = {}
    for i, (report, keys) in enumerate(items):
        words = _words_key(report.content)
        all_keys = set(keys)
        if len(words) >= 20:  # the same words repeated: one report, copied
            all_keys.add("words:" + words)
        for k in all_keys:
            if k in by_key:
                uf.union(by_key[k], i)
            else:
                by_key[k] = i
    groups: dict[int, list[FigureReport]] = {}
    for i, (report, _) in enumerate(items):
        groups.setdefault(uf.find(i), []).append(report)
    out: list[OriginGroup] = []
    for root in sorted(groups):
        reports = groups[root]
        origins = [r.origin for r in reports if r.origin != AUTHOR] or [AUTHOR]
        name = max(dict.fromkeys(origins), key=origins.count)
        out.append(OriginGroup(name, tuple(reports)))
    return tuple(out)


def figures_across(
    store: LibraryStore, briefing_id: str | None = None, *, unit: str | None = None
) -> list[MeasureAcross]:
    """Measures given in at least two briefings, each with its reports side by side and
    grouped by origin. With ``briefing_id``, only the measures that briefing gives; with
    ``unit``, only that unit. Most briefings first."""
    per_unit: dict[str, list[tuple[FigureReport, frozenset[str]]]] = {}
    entries: Iterable[_Entry] | None = None
    units: set[str] = {unit_key(unit)} if unit else set()
    if briefing_id is not None and not unit:
        own = store.latest_cached_analysis(briefing_id)
        units = {k[5:] for k in index_keys(own) if k.startswith("unit:")} if own else set()
        if not units:
            return []
    if units:
        indexed = _indexed_entries(store, {"unit:" + u for u in units})
        entries = None if indexed is None else indexed[0]
        mine = briefing_id is not None and entries is not None
        if mine and all(e.info.id != briefing_id for e in entries or ()):  # older than those
            info = store.briefing_info(str(briefing_id))
            entries = [*(entries or ()), *([_entry(store, info)] if info is not None else [])]
    for entry in _entries(store) if entries is None else entries:
        if entry.analysis is None:
            continue
        for report, keys in _reports(entry, entry.analysis):
            per_unit.setdefault(unit_key(report.unit), []).append((report, keys))
    wanted = unit_key(unit) if unit else None
    out: list[MeasureAcross] = []
    for key, items in per_unit.items():
        if wanted is not None and key != wanted:
            continue
        briefings = {r.briefing_id for r, _ in items}
        if len(briefings) < 2 or (briefing_id is not None and briefing_id not in briefings):
            continue
        out.append(
            MeasureAcross(
                unit=items[0][0].unit,
                reports=tuple(r for r, _ in items),
                origins=_group_origins(items),
            )
        )
    out.sort(key=lambda m: (-len(m.briefing_ids), m.unit))
    return out
