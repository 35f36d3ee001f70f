"""Rich tables of an Analysis, for ``brief-tui analyze`` without ``--json``. Rich only, no
Textual. Cells are plain strings: print them with a console that has markup off."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from .model import Analysis


def _snip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


#: below this many columns the claims are printed one a block, not as a table
NARROW = 120


def render_tables(analysis: Analysis, width: int | None = None) -> list[Any]:
    """Actors, sources and claims as Rich renderables (a profile line, then three tables).
    On a terminal narrower than NARROW columns, the tables keep their essential columns and
    the claims come one a block."""
    an = analysis
    narrow = width is not None and width < NARROW
    out: list[Any] = []
    line = an.profile.get("line") if an.profile else None
    if line:
        out.append(Text(line, style="bold"))

    actors = Table(title="Actors", show_lines=False, expand=False)
    actors.add_column("id", style="dim")
    actors.add_column("name", style="bold", no_wrap=True)
    actors.add_column("kind")
    actors.add_column("mentions", justify="right")
    actors.add_column("aliases")
    if not narrow:
        actors.add_column("descriptors")
    for a in sorted(
        an.actors, key=lambda a: (-len(a.mentions), int(a.id[1:]) if a.id[1:].isdigit() else 0)
    ):
        marks = {m.text: m.how for m in a.mentions}
        aliases = ", ".join(
            f"{al} ({marks[al]})" if marks.get(al) in {"metonym", "demonym", "description"} else al
            for al in a.aliases
        )
        row = [a.id, a.name, a.kind, str(len(a.mentions)), aliases]
        actors.add_row(*row, *([] if narrow else ["; ".join(a.descriptors)]))
    out.append(actors)

    sources = Table(title="Sources")
    sources.add_column("id", style="dim")
    sources.add_column("source", style="bold", no_wrap=True)
    sources.add_column("kind")
    if not narrow:
        sources.add_column("descriptor")
    sources.add_column("via")
    sources.add_column("claims", justify="right")
    for s in an.sources:
        via = an.source(s.via)
        sources.add_row(
            s.id,
            s.name,
            s.kind,
            *([] if narrow else [s.descriptor or ""]),
            via.name if via else "",
            str(len(an.claims_by_source(s.id))),
        )
    out.append(sources)

    if narrow:
        out.append(Text("Claims", style="bold", justify="center"))
        out.extend(_claim_blocks(an))
        return out

    claims = Table(title="Claims")
    claims.add_column("id", style="dim")
    claims.add_column("source", no_wrap=True)
    claims.add_column("cue")
    claims.add_column("content", ratio=3)
    claims.add_column("hedges")
    claims.add_column("figures")
    for c in an.claims:
        src = an.source(c.source)
        chain = []
        seen = set()
        while src is not None and src.id not in seen:
            seen.add(src.id)
            chain.append(src.name)
            src = an.source(src.via)
        who = " via ".join(chain) if chain else Text("(author)", style="italic dim")
        content = " … ".join(an.text[f.start : f.end] for f in c.content)
        hedges = ", ".join(f"{h.text} [{h.level}]" for h in c.hedges)
        figs = ", ".join(f.text + (f" ={f.measure}" if f.measure else "") for f in c.figures)
        claims.add_row(
            c.id,
            who,
            c.cue.text if c.cue else "",
            _snip(content),
            hedges,
            figs,
        )
    out.append(claims)
    return out


def _source_chain(an: Analysis, source_id: str | None) -> list[str]:
    src = an.source(source_id)
    chain: list[str] = []
    seen: set[str] = set()
    while src is not None and src.id not in seen:
        seen.add(src.id)
        chain.append(src.name)
        src = an.source(src.via)
    return chain


def _claim_blocks(an: Analysis) -> list[Any]:
    """One block a claim: its id, source and cue on the first line, then its content (the
    terminal wraps it), hedges and figures; a blank line after each."""
    out: list[Any] = []
    for c in an.claims:
        head = Text()
        head.append(c.id, style="dim")
        head.append("  ")
        chain = _source_chain(an, c.source)
        if chain:
            head.append(" via ".join(chain), style="bold")
        else:
            head.append("(author)", style="italic dim")
        if c.cue:
            head.append(f"  {c.cue.text}", style="cyan")
        lines = [head, Text("  " + " … ".join(an.text[f.start : f.end] for f in c.content))]
        if c.hedges:
            hedges = ", ".join(f"{h.text} [{h.level}]" for h in c.hedges)
            lines.append(Text(f"  hedges: {hedges}", style="dim"))
        if c.figures:
            figs = ", ".join(f.text + (f" ={f.measure}" if f.measure else "") for f in c.figures)
            lines.append(Text(f"  figures: {figs}", style="dim"))
        lines.append(Text(""))
        out.extend(lines)
    return out
