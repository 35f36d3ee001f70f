"""The keys an actor, a source or a measure is known by across briefings, and the keys a
briefing's analysis is indexed under (so that Across and Figures read only the briefings
that hold a key, not the whole library). No store, no Textual."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from brief_tui.analysis.actors import normalise
from brief_tui.analysis.gazetteer import ACRONYMS, COUNTRY_VARIANTS, DEMONYMS
from brief_tui.analysis.model import Analysis, Source

_INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}[A-Za-z]?\.?|[A-Za-z]\.[A-Za-z]")
_WORDS = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str | None:
    """The comparable form of a name: ``"the U.S.'s"`` → ``"united states"``, ``"NIS"`` →
    ``"national intelligence service"``, ``"North Korean"`` → ``"north korea"``,
    ``"Kim Jong Un’s"`` → ``"kim jong un"``. ``None`` for an empty name."""
    n = normalise(name)
    if not n or n.casefold() in {"the", "a", "an"}:
        return None
    undotted = n.replace(".", "") if _INITIALISM.fullmatch(n) else n
    for cand in (n, undotted):
        if cand in COUNTRY_VARIANTS:
            return COUNTRY_VARIANTS[cand].casefold()
        if cand in DEMONYMS:
            return DEMONYMS[cand].casefold()
        if cand in ACRONYMS:
            return normalise(ACRONYMS[cand]).casefold()
    return " ".join(undotted.casefold().split())


def is_proper(alias: str) -> bool:
    n = normalise(alias)
    return bool(n) and (n[0].isupper() or n[0].isdigit())


def actor_keys(
    name: str, aliases: Iterable[str] = (), *, kind: str | None = None
) -> frozenset[str]:
    """The keys an actor is known by across briefings: its name, and those aliases that are
    proper names (not a person's bare surname or first name)."""
    keys: set[str] = set()
    k = name_key(name)
    if k:
        keys.add(k)
    name_tokens = {t.casefold() for t in _WORDS.findall(normalise(name))}
    for alias in aliases:
        if not is_proper(alias):
            continue
        n = normalise(alias)
        if kind == "person" and " " not in n and n.casefold() in name_tokens:
            continue
        k = name_key(alias)
        if k:
            keys.add(k)
    return frozenset(keys)


def source_keys(analysis: Analysis, source: Source) -> frozenset[str]:
    actor = analysis.actor(source.actor)
    keys = set(actor_keys(source.name))
    if actor is not None:
        keys |= actor_keys(actor.name, actor.aliases, kind=actor.kind)
    return frozenset(keys)


def unit_key(unit: str) -> str:
    u = " ".join(unit.casefold().split())
    if len(u) > 3 and u.endswith("s") and not u.endswith("ss"):
        u = u[:-1]
    return u


def index_keys(analysis: Analysis) -> set[str]:
    """Every key a look-up across briefings can find this analysis by: ``name:`` and the
    key of each actor's and source's names (a superset of what Across matches on), and
    ``unit:`` and each measure's unit given in a claim (what Figures groups by)."""
    keys = {
        "name:" + k for a in analysis.actors for k in actor_keys(a.name, a.aliases, kind=a.kind)
    }
    keys |= {"name:" + k for s in analysis.sources for k in source_keys(analysis, s)}
    keys |= {"unit:" + unit_key(f.unit) for c in analysis.claims for f in c.figures if f.unit}
    return keys
