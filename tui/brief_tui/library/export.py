"""Export a briefing's annotations (and its analysis) as Markdown or as a W3C Web Annotation
collection (export_w3c.py). Pure functions of their arguments: the same input gives the same
output, byte for byte (the export time is passed in)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from brief_tui.analysis.model import SOURCE_KIND_LABELS, Analysis, Claim, Source
from brief_tui.briefing.load import Briefing
from brief_tui.library.annotations import (
    CLAIM_GRADE_LABELS,
    KINDS,
    SOURCE_GRADE_LABELS,
    Annotation,
)

from .escaping import (
    blockquote,
    code_span,
    iso_time,
    json_text,
    md_escape,
    md_paragraphs,
    obsidian_tag,
    yaml_str,
)
from .export_w3c import PROJECT_CONTEXT, export_w3c_json, in_text_order, model_label, own_tags


def _user_tags(annotations: Sequence[Annotation]) -> list[str]:
    """Every tag the analyst typed, in the form Obsidian accepts, sorted, once each. A
    highlight's meaning is not one (the reader stores it as the highlight's tag too)."""
    tags: dict[str, str] = {}
    for a in annotations:
        for t in own_tags(a):
            ob = obsidian_tag(t)
            if ob is not None:
                tags.setdefault(ob.casefold(), ob)
    return [tags[k] for k in sorted(tags)]


def _latest(anns: Sequence[Annotation], attr: str) -> str | None:
    values = [a for a in anns if getattr(a, attr) is not None]
    if not values:
        return None
    best = max(values, key=lambda a: (a.updated_at, a.created_at, a.id))
    value = getattr(best, attr)
    return str(value)


def _source_chain(analysis: Analysis, source_id: str | None) -> list[Source]:
    chain: list[Source] = []
    seen: set[str] = set()
    while source_id is not None and source_id not in seen:
        seen.add(source_id)
        src = analysis.source(source_id)
        if src is None:
            break
        chain.append(src)
        source_id = src.via
    return chain


def _claim_content(text: str, claim: Claim) -> str:
    if claim.content:
        return " … ".join(
            text[s.start : s.end] for s in claim.content if 0 <= s.start <= s.end <= len(text)
        )
    return text[claim.start : claim.end]


def _grade_text(grade: str | None) -> str | None:
    if grade is None:
        return None
    label = SOURCE_GRADE_LABELS.get(grade) or CLAIM_GRADE_LABELS.get(grade)
    return f"{grade} ({label})" if label else grade


def _unique(values: Iterable[str]) -> list[str]:
    """Each value once (compared case-insensitively), first spelling and order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


def _notes(anns: Sequence[Annotation]) -> list[tuple[str, str | None]]:
    """Each note once, as typed, with its author (a team library's; None in a local one)."""
    out: list[tuple[str, str | None]] = []
    for a in anns:
        if a.note and a.note.strip() and (a.note, a.author) not in out:
            out.append((a.note, a.author))
    return out


def _by(author: str | None) -> str:
    return f" — by {md_escape(author)}" if author else ""


def _authors(anns: Sequence[Annotation], indent: str = "") -> list[str]:
    """A bullet naming who made the marks (in a team library; none in a local one)."""
    names = _unique(a.author for a in anns if a.author)
    return [f"{indent}- By: {md_escape(', '.join(names))}"] if names else []


def _marks_fields(anns: Sequence[Annotation]) -> list[str]:
    """The notes (each once, as typed, with their authors) and one bullet each for the
    meanings, tags, grade and status of the annotations made on one passage, and who made
    them."""
    out: list[str] = []
    for note, author in _notes(anns):
        out += ["", md_paragraphs(note) + _by(author)]
    meta: list[str] = []
    meanings = _unique(a.meaning for a in anns if a.meaning)
    if meanings:
        meta.append(f"- Meaning: {md_escape(', '.join(meanings))}")
    tags = _unique(t for a in anns for t in own_tags(a))
    if tags:
        meta.append("- Tags: " + ", ".join(code_span(t) for t in tags))
    grade = _latest(anns, "grade")
    if grade:
        meta.append(f"- Grade: {md_escape(_grade_text(grade) or '')}")
    status = _latest(anns, "status")
    if status:
        meta.append(f"- Status: {md_escape(status)}")
    meta += _authors(anns)
    if meta:
        out += ["", *meta]
    return out


def _item_marks(anns: Sequence[Annotation], indent: str) -> list[str]:
    """Nested bullets for the notes and tags made on a claim, source or actor (its grade and
    status are stated on its own line, once)."""
    out: list[str] = []
    for note, author in _notes(anns):
        out.append(f"{indent}- Note: " + md_paragraphs(note, indent=indent + "  ") + _by(author))
    tags = _unique(t for a in anns for t in own_tags(a))
    if tags:
        out.append(f"{indent}- Tags: " + ", ".join(code_span(t) for t in tags))
    return out + _authors(anns, indent)


def _target_entries(anns: Sequence[Annotation]) -> list[str]:
    """Nested bullets for the annotations made on an item the analysis does not (or no
    longer) know; a note keeps its line breaks and paragraphs inside its bullet."""
    out: list[str] = []
    for a in anns:
        bits: list[str] = []
        if a.grade:
            grade = _grade_text(a.grade) or a.grade
            bits.append(grade if a.kind == "grade" else f"grade {grade}")
        if a.status:
            bits.append(f"status {a.status}")
        if a.meaning:
            bits.append(f"meaning {a.meaning}")
        tags = own_tags(a)
        if tags:
            bits.append("tags " + ", ".join(tags))
        line = f"  - {a.kind.capitalize()}"
        if bits:
            line += ": " + md_escape(", ".join(bits))
        if a.note:
            line += (" — " if bits else ": ") + md_paragraphs(a.note, indent="    ")
        out.append(line + _by(a.author))
    return out


def _kinds(anns: Iterable[Annotation]) -> str:
    """The kinds of marks on a passage, each once, in a fixed order: "Highlight + note"."""
    present = {a.kind for a in anns}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    return " + ".join(kinds).capitalize()


def _claim_analysis(analysis: Analysis, c: Claim, indent: str) -> list[str]:
    """The analysis of one claim as bullets: its source chain, cue, hedges and figures."""
    out: list[str] = []
    chain = _source_chain(analysis, c.source)
    if chain:
        out.append(
            f"{indent}- Source chain: "
            + " ← ".join(f"{md_escape(s.name)} ({md_escape(_kind_label(s.kind))})" for s in chain)
        )
    else:
        out.append(f"{indent}- Source: the author (no attribution)")
    if c.attributed:
        out.append(f"{indent}- Kind: {md_escape(c.kind)}")
    if c.cue:
        cue, stance = md_escape(c.cue.text), md_escape(c.cue.stance)
        out.append(f"{indent}- Cue: {cue} ({stance}); {md_escape(c.quote)} quote")
    if c.hedges:
        out.append(
            f"{indent}- Hedges: "
            + ", ".join(f"{md_escape(h.text)} ({md_escape(h.level)})" for h in c.hedges)
        )
    if c.figures:
        out.append(f"{indent}- Figures: " + ", ".join(md_escape(f.text) for f in c.figures))
    return out


def _kind_label(kind: str) -> str:
    return SOURCE_KIND_LABELS.get(kind, kind)


def _claim_list(analysis: Analysis, text: str, claims: list[Claim]) -> list[str]:
    """Claims in full, each under its own heading: sentence, content and analysis."""
    out: list[str] = []
    for j, c in enumerate(claims):
        if j and (c.start, c.end) == (claims[j - 1].start, claims[j - 1].end):
            out += [f"### Claim {md_escape(c.id)} (the same sentence)", ""]
        else:
            sentence = blockquote(text[c.start : c.end])
            out += [f"### Claim {md_escape(c.id)}", "", sentence, ""]
        content = _claim_content(text, c)
        if content and content != text[c.start : c.end]:
            out.append(f"- Content: {md_escape(content)}")
        out += _claim_analysis(analysis, c, "")
        out.append("")
    return out


def _assessment(anns: Sequence[Annotation]) -> str:
    """The analyst's latest grade and status of a claim: "credibility 2 (…), corroborated"."""
    bits = []
    grade = _latest(anns, "grade")
    if grade:
        bits.append(f"credibility {_grade_text(grade)}")
    status = _latest(anns, "status")
    if status:
        bits.append(status)
    return ", ".join(bits)


def _span(a: Annotation) -> tuple[int, int] | None:
    return (a.start, a.end) if a.start is not None and a.end is not None else None


class _ClaimIndex:
    """The claims of an analysis, found by the passages they share characters with."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.claims = sorted(claims, key=lambda c: (c.start, c.end, c.id))
        self.starts = [c.start for c in self.claims]
        self.longest = max((c.end - c.start for c in self.claims), default=0)

    def touching(self, start: int, end: int) -> list[Claim]:
        end = max(end, start + 1)  # an empty passage touches the claim it is in
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [c for c in self.claims[lo:hi] if c.end > start]


# -- Markdown -------------------------------------------------------------------------------
def _front_matter(
    briefing: Briefing, tags: list[str], model: str | None, exported_at: datetime
) -> list[str]:
    fm = [
        "---",
        f"title: {yaml_str(briefing.title)}",
        # the file is named after a slug of the title: the title itself finds it in links
        "aliases:",
        f"  - {yaml_str(briefing.title)}",
        f"source: {yaml_str(briefing.origin)}",
    ]
    if briefing.url:
        fm.append(f"url: {yaml_str(briefing.url)}")
    if briefing.author:
        fm.append(f"author: {yaml_str(briefing.author)}")
    if briefing.date is not None:
        fm.append(f"date: {briefing.date.isoformat()}")
    fm += [
        f"briefing_id: {yaml_str(briefing.id)}",
        f"exported_at: {yaml_str(iso_time(exported_at))}",
        f"model: {yaml_str(model) if model else 'null'}",
    ]
    fm += ["tags:"] + [f"  - {yaml_str(t)}" for t in tags] if tags else ["tags: []"]
    fm.append("---")
    return fm


def export_markdown(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None,
    *,
    exported_at: datetime,
    whole_analysis: bool = False,
) -> str:
    """The briefing's annotations as Markdown with YAML front matter (title, aliases, source,
    url, author, date, briefing_id, exported_at, model, tags) that Obsidian reads.

    One entry per passage, in text order, with everything made on it (the quote once, the
    notes, meanings, tags) and the claims it touches, each with its source chain and the
    analyst's grade; then the sources of those claims and the sources and actors that were
    marked. With ``whole_analysis`` every other claim, source and actor of the analysis too,
    each once. Tags in the front matter are the ones the analyst typed (a highlight's meaning
    is not one). Note text is shown as typed: no Markdown or Obsidian syntax in it takes
    effect."""
    anns = in_text_order(annotations)
    model = model_label(analysis)
    out = [*_front_matter(briefing, _user_tags(anns), model, exported_at)]
    out += ["", f"# {md_escape(briefing.title)}", ""]
    out.append(f"Source: {md_escape(briefing.origin)}  ")
    if briefing.url and briefing.url != briefing.origin:
        out.append(f"URL: {md_escape(briefing.url)}  ")
    if briefing.author:
        out.append(f"Author: {md_escape(briefing.author)}  ")
    if briefing.date is not None:
        out.append(f"Date: {briefing.date.isoformat()}  ")
    out.append(f"Briefing: {code_span(briefing.id)}  ")
    out.append(
        f"Exported: {iso_time(exported_at)}"
        + (f" · analysis by {md_escape(model)}" if model else "")
    )

    known: dict[tuple[str, str], bool] = {}
    if analysis is not None:
        known |= {("claim", c.id): True for c in analysis.claims}
        known |= {("source", s.id): True for s in analysis.sources}
        known |= {("actor", a.id): True for a in analysis.actors}
    passages: dict[tuple[int, int], list[Annotation]] = {}
    on_items: dict[tuple[str, str], list[Annotation]] = {}
    orphans: list[Annotation] = []
    rest: dict[tuple[str, str], list[Annotation]] = {}
    for a in anns:
        key = (a.target_type, a.target_id or "")
        if a.orphan:
            orphans.append(a)
        elif a.target_type == "text" and a.start is not None and a.end is not None:
            passages.setdefault((a.start, a.end), []).append(a)
        elif key in known:
            on_items.setdefault(key, []).append(a)
        else:
            rest.setdefault(key, []).append(a)

    index = _ClaimIndex(analysis.claims if analysis is not None else [])
    claims = {c.id: c for c in index.claims}
    # a marked claim no text passage touches is a passage of its own: where it was marked,
    # else its sentence
    touched = {c.id for s, e in passages for c in index.touching(s, e)}
    own: dict[tuple[int, int], list[Claim]] = {}
    for kind, item in on_items:
        if kind == "claim" and item not in touched:
            c = claims[item]
            spans = [sp for a in on_items[kind, item] if (sp := _span(a)) is not None]
            own.setdefault(spans[0] if spans else (c.start, c.end), []).append(c)
    for span in own:
        passages.setdefault(span, [])

    text = analysis.text if analysis is not None else briefing.text
    shown_in: dict[str, int] = {}  # claim id -> the passage that shows it in full
    sources: set[str] = {key[1] for key in on_items if key[0] == "source"}
    out += ["", "## Highlights and notes", ""]
    if not passages:
        out += ["_None._"]
    for i, (s, e) in enumerate(sorted(passages), 1):
        marks = passages[s, e]
        touching = index.touching(s, e)
        for c in own.get((s, e), []):
            if c not in touching:
                touching.append(c)
        full = [c for c in touching if c.id not in shown_in]
        for c in full:
            shown_in[c.id] = i
        claim_marks = [a for c in full for a in on_items.get(("claim", c.id), [])]
        quote = next((a.exact for a in marks if a.exact is not None), None)
        if quote is None:
            quote = next((a.exact for a in claim_marks if a.exact is not None), text[s:e])
        out += [f"### {i}. {md_escape(_kinds([*marks, *claim_marks]))} (characters {s}–{e})"]
        out += ["", blockquote(quote)]
        out += _marks_fields(marks)
        lines: list[str] = []
        for c in touching:
            if c.id not in {f.id for f in full}:
                lines.append(f"- Claim {md_escape(c.id)}: in passage {shown_in[c.id]}")
                continue
            mine = on_items.get(("claim", c.id), [])
            head = f"- Claim {md_escape(c.id)}"
            assessed = _assessment(mine)
            if assessed:
                head += f" · {md_escape(assessed)}"
            lines.append(head)
            inside = all(s <= sp.start and sp.end <= e for sp in c.content) and (
                c.content or (s <= c.start and c.end <= e)
            )
            content = _claim_content(text, c)
            if content and (len(touching) > 1 or not inside):
                lines.append(f"  - Content: {md_escape(content)}")
            if analysis is not None:
                lines += _claim_analysis(analysis, c, "  ")
                sources.update(src.id for src in _source_chain(analysis, c.source))
            lines += _item_marks(mine, "  ")
        if lines:
            out += lines if out[-1].startswith("- ") else ["", *lines]
        out.append("")
    if out[-1] == "":
        out.pop()

    if orphans:
        out += [
            "",
            "## Orphaned annotations",
            "",
            (
                "The text changed and these quotes could not be found in it any more;"
                " they are kept as made."
            ),
            "",
        ]
        groups: dict[tuple[Any, ...], list[Annotation]] = {}
        for a in orphans:
            groups.setdefault((a.start, a.end, a.exact, a.target_type, a.target_id), []).append(a)
        for i, group in enumerate(groups.values(), 1):
            a = group[0]
            where = f"was at characters {a.start}–{a.end}" if a.start is not None else "no position"
            target = f" on {a.target_type} {a.target_id}" if a.target_type != "text" else ""
            out += [f"### {i}. {md_escape(_kinds(group) + target)} ({where})", ""]
            out.append(blockquote(a.exact or ""))
            out += _marks_fields(group)
            out.append("")
        out.pop()

    if analysis is not None and whole_analysis:
        # attributed claims and the author's own statements apart, counted as the profile
        # counts them
        rest_claims = [c for c in index.claims if c.id not in shown_in]
        n_claims = analysis.profile.get("claims", len(analysis.attributed_claims()))
        n_author = analysis.profile.get(
            "author_statements", len(analysis.claims) - len(analysis.attributed_claims())
        )
        for title, count, noun, part in (
            (
                "Other claims",
                n_claims,
                "attributed claim",
                [c for c in rest_claims if c.attributed],
            ),
            (
                "Author statements",
                n_author,
                "author statement",
                [c for c in rest_claims if not c.attributed],
            ),
        ):
            out += ["", f"## {title}", ""]
            out.append(
                f"{count} {noun}{'s' if count != 1 else ''} in the briefing"
                + (
                    f"; {len(part)} that no mark touches:"
                    if part
                    else ", all above."
                    if count
                    else "."
                )
            )
            out.append("")
            out += _claim_list(analysis, text, part)
            if out[-1] == "":
                out.pop()

    if analysis is not None and (whole_analysis or sources):
        out += ["", "## Sources", ""]
        listed = [s for s in analysis.sources if whole_analysis or s.id in sources]
        if not listed:
            out += ["_None found._"]
        for src in listed:
            mine = on_items.get(("source", src.id), [])
            bits = [md_escape(_kind_label(src.kind))]
            if src.descriptor:
                bits.append(md_escape(src.descriptor))
            via = analysis.source(src.via)
            if via is not None:
                bits.append(f"via {md_escape(via.name)}")
            grade = _latest(mine, "grade")
            if grade:
                bits.append(f"reliability {md_escape(_grade_text(grade) or '')}")
            status = _latest(mine, "status")
            if status:
                bits.append(md_escape(status))
            n = len(analysis.claims_by_source(src.id))
            bits.append(f"{n} claim{'s' if n != 1 else ''}")
            out.append(f"- **{md_escape(src.name)}** ({md_escape(src.id)}): " + "; ".join(bits))
            out += _item_marks(mine, "  ")

    marked_actors = {key[1] for key in on_items if key[0] == "actor"}
    if analysis is not None and (whole_analysis or marked_actors):
        out += ["", "## Actors", ""]
        actors = [a for a in analysis.actors if whole_analysis or a.id in marked_actors]
        if not actors:
            out += ["_None found._"]
        for actor in actors:
            line = f"- **{md_escape(actor.name)}** ({md_escape(actor.kind)})"
            aliases = [al for al in actor.aliases if al != actor.name]
            if aliases:
                line += " — aliases: " + ", ".join(md_escape(al) for al in aliases)
            if actor.descriptors:
                line += " — " + ", ".join(md_escape(d) for d in actor.descriptors)
            n = len(actor.mentions)
            line += f" — {n} mention{'s' if n != 1 else ''}"
            out.append(line)
            out += _item_marks(on_items.get(("actor", actor.id), []), "  ")

    if rest:
        out += ["", "## Notes on actors, claims and sources", ""]
        for key in sorted(rest):
            out.append(f"- {md_escape(key[0].capitalize())} {code_span(key[1])}")
            out += _target_entries(rest[key])
    out.append("")
    return "\n".join(out)


__all__ = [
    "PROJECT_CONTEXT",
    "export_markdown",
    "export_w3c_json",
    "json_text",
    "md_escape",
    "yaml_str",
]
