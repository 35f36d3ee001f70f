"""The sourcing profile of a briefing: attributed claims and author statements counted apart,
claims by kind, sources by kind, single-source claims."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Source

if TYPE_CHECKING:
    from .model import Analysis


def _origin(sources: dict[str, Source], sid: str | None) -> str | None:
    seen = set()
    while sid and sources[sid].via and sid not in seen:
        seen.add(sid)
        sid = sources[sid].via
    return sid


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
