"""Export a briefing's annotations (and its analysis) as Markdown or as a W3C Web Annotation
collection. Pure functions of their arguments: the same input gives the same output, byte
for byte (the export time is passed in)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from brief_tui.analysis.model import Analysis, Claim, Source
from brief_tui.briefing.load import Briefing
from brief_tui.library.annotations import (
    CLAIM_GRADE_LABELS,
    SOURCE_GRADE_LABELS,
    Annotation,
)

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GENERATOR = "brief-tui"


# -- escaping -------------------------------------------------------------------------------
def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar. JSON strings are YAML double-quoted scalars; the line and
    paragraph separators YAML 1.1 treats as line breaks are escaped as well."""
    s = json.dumps(value, ensure_ascii=False)
    for ch in ("\u0085", "\u2028", "\u2029", "\ufeff"):
        s = s.replace(ch, f"\\u{ord(ch):04x}")
    return s


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_LINE_START = re.compile(r"^(\s*)(\d+)?([#>+=-]|(?<=\d)[.)])")


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally, one line (newlines become spaces)."""
    return md_escape_lines(" ".join(text.splitlines()))


def md_escape_lines(text: str) -> str:
    """Escape each line so Markdown shows it literally; line breaks are kept as they are."""
    out = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line.replace("\r", ""))
        line = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) or "") + "\\" + m.group(3), line)
        out.append(line)
    return "\n".join(out)


def _blockquote(text: str) -> str:
    lines = md_escape_lines(text).split("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def _paragraphs(text: str) -> str:
    """A multi-line note: escaped, single line breaks kept as hard breaks (trailing ``\\``),
    blank lines as paragraph breaks."""
    lines = md_escape_lines(text.strip("\n")).split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and nxt.strip():
            out.append(line.rstrip() + "\\")
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _code(text: str) -> str:
    text = " ".join(text.splitlines())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat(timespec="seconds")


# -- helpers over the analysis --------------------------------------------------------------
def _sorted(annotations: Iterable[Annotation]) -> list[Annotation]:
    return sorted(annotations, key=lambda a: a.sort_key())


def _all_tags(annotations: Sequence[Annotation]) -> list[str]:
    tags: dict[str, str] = {}
    for a in annotations:
        for t in (*a.tags, *((a.meaning,) if a.meaning else ())):
            tags.setdefault(t.casefold(), t)
    return [tags[k] for k in sorted(tags)]


def _model(analysis: Analysis | None) -> str | None:
    if analysis is None:
        return None
    return f"{analysis.model_name} {analysis.model_version}".strip()


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


def _annotation_fields(a: Annotation) -> list[str]:
    """The note and the bullet lines shared by every annotation entry."""
    out: list[str] = []
    if a.note:
        out += ["", _paragraphs(a.note)]
    meta: list[str] = []
    if a.meaning:
        meta.append(f"- Meaning: {md_escape(a.meaning)}")
    if a.tags:
        meta.append("- Tags: " + ", ".join(_code(t) for t in a.tags))
    if a.grade:
        meta.append(f"- Grade: {md_escape(_grade_text(a.grade) or '')}")
    if a.status:
        meta.append(f"- Status: {md_escape(a.status)}")
    if meta:
        out += ["", *meta]
    return out


def _target_entries(anns: Sequence[Annotation]) -> list[str]:
    """Nested bullets for the annotations made on one claim, source or actor."""
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
        if a.tags:
            bits.append("tags " + ", ".join(a.tags))
        line = f"  - {a.kind.capitalize()}"
        if bits:
            line += ": " + md_escape(", ".join(bits))
        if a.note:
            line += (" — " if bits else ": ") + md_escape(a.note)
        out.append(line)
    return out


# -- Markdown -------------------------------------------------------------------------------
def export_markdown(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None,
    *,
    exported_at: datetime,
) -> str:
    """The briefing's annotations and analysis as Markdown with YAML front matter
    (title, source, briefing_id, exported_at, model, tags) that Obsidian reads."""
    anns = _sorted(annotations)
    text = briefing.text
    tags = _all_tags(anns)
    model = _model(analysis)
    fm = [
        "---",
        f"title: {yaml_str(briefing.title)}",
        f"source: {yaml_str(briefing.origin)}",
        f"briefing_id: {yaml_str(briefing.id)}",
        f"exported_at: {yaml_str(_iso(exported_at))}",
        f"model: {yaml_str(model) if model else 'null'}",
    ]
    fm += ["tags:"] + [f"  - {yaml_str(t)}" for t in tags] if tags else ["tags: []"]
    fm.append("---")
    out = [*fm, "", f"# {md_escape(briefing.title)}", ""]
    out.append(f"Source: {md_escape(briefing.origin)}  ")
    out.append(f"Briefing: {_code(briefing.id)}  ")
    out.append(
        f"Exported: {_iso(exported_at)}" + (f" · analysis by {md_escape(model)}" if model else "")
    )

    placed = [a for a in anns if a.has_text_anchor and not a.orphan and a.target_type == "text"]
    orphans = [a for a in anns if a.orphan]
    on_targets = [a for a in anns if a.target_type != "text" and not a.orphan]

    out += ["", "## Highlights and notes", ""]
    if not placed:
        out += ["_None._"]
    for i, a in enumerate(placed, 1):
        title = a.kind.capitalize() + (f" · {a.meaning}" if a.meaning else "")
        out += [f"### {i}. {md_escape(title)} (characters {a.start}–{a.end})", ""]
        out.append(_blockquote(a.exact or ""))
        out += _annotation_fields(a)
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
        for i, a in enumerate(orphans, 1):
            where = f"was at characters {a.start}–{a.end}" if a.start is not None else "no position"
            target = f" on {a.target_type} {a.target_id}" if a.target_type != "text" else ""
            out += [f"### {i}. {md_escape(a.kind.capitalize() + target)} ({where})", ""]
            out.append(_blockquote(a.exact or ""))
            out += _annotation_fields(a)
            out.append("")
        out.pop()

    by_target: dict[tuple[str, str], list[Annotation]] = {}
    for a in on_targets:
        by_target.setdefault((a.target_type, a.target_id or ""), []).append(a)
    shown: set[tuple[str, str]] = set()

    if analysis is not None:
        out += ["", "## Claims", ""]
        claims = sorted(analysis.claims, key=lambda c: (c.start, c.end, c.id))
        if not claims:
            out += ["_None found._"]
        for c in claims:
            mine = by_target.get(("claim", c.id), [])
            shown.add(("claim", c.id))
            out += [f"### Claim {md_escape(c.id)}", "", _blockquote(text[c.start : c.end]), ""]
            content = _claim_content(text, c)
            if content and content != text[c.start : c.end]:
                out.append(f"- Content: {md_escape(content)}")
            chain = _source_chain(analysis, c.source)
            if chain:
                out.append(
                    "- Source chain: "
                    + " ← ".join(f"{md_escape(s.name)} ({md_escape(s.kind)})" for s in chain)
                )
            else:
                out.append("- Source: the author (no attribution)")
            if c.cue:
                cue, stance = md_escape(c.cue.text), md_escape(c.cue.stance)
                out.append(f"- Cue: {cue} ({stance}); {md_escape(c.quote)} quote")
            if c.hedges:
                out.append(
                    "- Hedges: "
                    + ", ".join(f"{md_escape(h.text)} ({md_escape(h.level)})" for h in c.hedges)
                )
            if c.figures:
                out.append("- Figures: " + ", ".join(md_escape(f.text) for f in c.figures))
            grade = _latest(mine, "grade")
            status = _latest(mine, "status")
            if grade or status:
                bits = []
                if grade:
                    bits.append(f"credibility {_grade_text(grade)}")
                if status:
                    bits.append(f"status {status}")
                out.append("- Analyst's assessment: " + md_escape(", ".join(bits)))
            out += _target_entries(mine)
            out.append("")
        if out[-1] == "":
            out.pop()

        out += ["", "## Sources", ""]
        if not analysis.sources:
            out += ["_None found._"]
        for s in analysis.sources:
            mine = by_target.get(("source", s.id), [])
            shown.add(("source", s.id))
            bits = [md_escape(s.kind)]
            if s.descriptor:
                bits.append(md_escape(s.descriptor))
            via = analysis.source(s.via)
            if via is not None:
                bits.append(f"via {md_escape(via.name)}")
            grade = _latest(mine, "grade")
            if grade:
                bits.append(f"reliability {md_escape(_grade_text(grade) or '')}")
            n = len(analysis.claims_by_source(s.id))
            bits.append(f"{n} claim{'s' if n != 1 else ''}")
            out.append(f"- **{md_escape(s.name)}** ({md_escape(s.id)}): " + "; ".join(bits))
            out += _target_entries(mine)

        out += ["", "## Actors", ""]
        if not analysis.actors:
            out += ["_None found._"]
        for actor in analysis.actors:
            mine = by_target.get(("actor", actor.id), [])
            shown.add(("actor", actor.id))
            line = f"- **{md_escape(actor.name)}** ({md_escape(actor.kind)})"
            aliases = [al for al in actor.aliases if al != actor.name]
            if aliases:
                line += " — aliases: " + ", ".join(md_escape(al) for al in aliases)
            if actor.descriptors:
                line += " — " + ", ".join(md_escape(d) for d in actor.descriptors)
            n = len(actor.mentions)
            line += f" — {n} mention{'s' if n != 1 else ''}"
            out.append(line)
            out += _target_entries(mine)

    rest = [k for k in sorted(by_target) if k not in shown]
    if rest:
        out += ["", "## Notes on actors, claims and sources", ""]
        for key in rest:
            out.append(f"- {md_escape(key[0].capitalize())} {_code(key[1])}")
            out += _target_entries(by_target[key])
    out.append("")
    return "\n".join(out)


# -- W3C Web Annotation ---------------------------------------------------------------------
_MOTIVATION = {
    "highlight": "highlighting",
    "note": "commenting",
    "tag": "tagging",
    "grade": "assessing",
}


def briefing_urn(briefing_id: str) -> str:
    return f"urn:brief-tui:briefing:{briefing_id}"


def _w3c_item(a: Annotation, source: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": a.note,
            }
        )
    for t in a.tags:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": t})
    if a.meaning:
        body.append({"type": "TextualBody", "purpose": "classifying", "value": a.meaning})
    if a.grade:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.grade})
    if a.status:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.status})
    selectors: list[dict[str, Any]] = []
    if a.has_text_anchor:
        selectors.append(
            {
                "type": "TextQuoteSelector",
                "exact": a.exact,
                "prefix": a.prefix or "",
                "suffix": a.suffix or "",
            }
        )
        selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
    if a.target_type != "text":
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "urn:brief-tui:analysis-id",
                "value": f"{a.target_type}={a.target_id}",
            }
        )
    target: dict[str, Any] = {"source": source}
    if len(selectors) == 1:
        target["selector"] = selectors[0]
    elif selectors:
        target["selector"] = selectors
    item: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": _MOTIVATION.get(a.kind, a.kind),
        "created": a.created_at,
        "modified": a.updated_at,
    }
    if body:
        item["body"] = body
    item["target"] = target
    if a.orphan:
        item["brief-tui:orphan"] = True
    return item


def export_w3c_json(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None = None,
    *,
    exported_at: datetime,
) -> dict[str, Any]:
    """A W3C Web Annotation ``AnnotationCollection`` whose first (only) ``AnnotationPage``
    holds one ``Annotation`` per annotation, in text order, each targeting the briefing
    with a TextQuoteSelector and a TextPositionSelector (offsets in Unicode code points).
    Serialise with ``json.dumps(..., ensure_ascii=False, indent=2)``."""
    anns = _sorted(annotations)
    source = briefing_urn(briefing.id)
    items = [_w3c_item(a, source) for a in anns]
    collection: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": f"{source}:annotations",
        "type": "AnnotationCollection",
        "label": briefing.title,
        "total": len(items),
        "generated": _iso(exported_at),
        "generator": {"type": "Software", "name": GENERATOR},
        "brief-tui:briefing": {
            "id": briefing.id,
            "title": briefing.title,
            "origin": briefing.origin,
            "model": _model(analysis),
        },
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return collection
