"""The organisation pass of the actor grouping (grouping.py): acronyms to their expansions,
shorter organisation names to the longer name they are part of."""

from __future__ import annotations

from .gazetteer import ACRONYMS
from .names import initials, is_acronym
from .records import Keyed


def link_organisations(keyed: list[Keyed]) -> None:
    """An acronym goes to its expansion (defined in the text: "Foo Bar (FB)", by initials,
    or from the table); a shorter organisation name to the longer one it ends ("the
    Ministry" of "the Defence Ministry" stays; "Intelligence Service" goes to "National
    Intelligence Service")."""
    org_keys: dict[str, int] = {}
    defined: dict[str, str] = {}
    for m in keyed:
        if m.key.startswith("O:"):
            org_keys.setdefault(m.key[2:], m.ent.start)
            if m.ent.defined:
                defined[m.ent.defined] = m.key[2:]
    org_map: dict[str, str] = {}
    org_list = sorted(org_keys, key=lambda k: org_keys[k])
    # in order of first appearance: expansions by their initials, longer names by their
    # last words (two or more)
    by_initials: dict[str, str] = {}
    by_tail: dict[tuple[str, ...], str] = {}
    # "Church of Scientology": its head ("the Church") and what it is of ("Scientology"),
    # when they are organisations of the text too, name it unless two such names share them
    by_of: dict[tuple[str, ...], set[str]] = {}
    for o in org_list:
        if is_acronym(o):
            continue
        by_initials.setdefault(initials(o), o)
        ow = tuple(o.split())
        for n in range(2, len(ow)):
            by_tail.setdefault(ow[-n:], o)
        if "of" in ow[1:-1]:
            i = ow.index("of")
            for part in (ow[:i], ow[i + 1 :], ow[i - 1 : i]):
                by_of.setdefault(part, set()).add(o)
    for k in org_list:
        if is_acronym(k):
            bare = k.replace(".", "")
            target = defined.get(k) or defined.get(bare)
            if target is None:
                target = by_initials.get(bare.upper())
            if target is None and (ACRONYMS.get(k) or ACRONYMS.get(bare)) in org_keys:
                target = ACRONYMS.get(k) or ACRONYMS.get(bare)
            if target:
                org_map[k] = target
        else:
            tail = tuple(k.split())
            longer = by_tail.get(tail) if len(tail) >= 2 else None
            of = by_of.get(tail, set()) - {k}
            if longer is None and len(of) == 1:
                longer = next(iter(of))
            if longer is not None:
                org_map[k] = longer
    for m in keyed:
        if m.key.startswith("O:"):
            k = m.key[2:]
            t = org_map.get(k)
            seen = set()
            while t and t in org_map and t not in seen:
                seen.add(t)
                t = org_map[t]
            if t:
                m.key, m.how = "O:" + t, "acronym" if is_acronym(k) else "alias"
