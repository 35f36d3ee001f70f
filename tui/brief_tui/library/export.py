"""Export a briefing's annotations (and its analysis) as Markdown or as a W3C Web Annotation
collection. Pure functions of their arguments: the same input gives the same output, byte
for byte (the export time is passed in)."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from brief_tui.analysis.model import Analysis, Claim, Source
from brief_tui.briefing.load import Briefing
from brief_tui.briefing.untrusted import clean_text
from brief_tui.library.anchoring import make_selector
from brief_tui.library.annotations import (
    CLAIM_GRADE_LABELS,
    KINDS,
    SOURCE_GRADE_LABELS,
    Annotation,
)

GENERATOR = "brief-tui"


# -- escaping -------------------------------------------------------------------------------
# Everything an export writes comes from outside (the document, the database, what was typed):
# nothing in it may act on a terminal or break the format. JSON and YAML keep every code point
# (escaped); Markdown shows controls as U+FFFD, one for one, like the reader does.

#: what JSON and YAML escape besides C0 (which json.dumps escapes): DEL, C1, bidi embeddings,
#: overrides, isolates and marks, the line and paragraph separators, the BOM, the
#: noncharacters U+FFFE/U+FFFF and lone surrogates
_ESCAPED = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _u_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def json_text(doc: Any) -> str:
    """``doc`` as JSON text (UTF-8, indented) with every control, bidi character and
    noncharacter written as a ``\\uXXXX`` escape: the code points survive exactly, and the
    text shown on a terminal cannot act on it."""
    return _ESCAPED.sub(_u_escape, json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar that YAML 1.1 and 1.2 readers accept: JSON string syntax
    (a subset of YAML's), with every character YAML does not allow raw (DEL, C1, U+FFFE,
    U+FFFF …) and the line breaks YAML 1.1 knows (U+0085, U+2028, U+2029) escaped. A lone
    surrogate, which no YAML reader accepts even escaped, becomes U+FFFD."""
    value = _SURROGATE.sub("\ufffd", value)
    return _ESCAPED.sub(_u_escape, json.dumps(value, ensure_ascii=False))


def _plain(text: str) -> str:
    """Text fit for a Markdown file shown on a terminal: CRLF as LF, every control but tab
    and newline and every bidi control replaced one for one (see briefing.untrusted)."""
    return clean_text(_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n")))


# Backslash-escaped wherever they are: CommonMark's inline syntax and Obsidian's (# starts a
# tag, ^ a block id, [[ a link, $ maths, ~~ strike-through).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#^])")
# Obsidian's %%comment%% and ==highlight== are not undone by a backslash: a doubled mark is
# broken with a character reference (shown as the character itself).
_DOUBLED = re.compile(r"([%=])(?=\1)")
_REFERENCE = {"%": "&#37;", "=": "&#61;"}
_LINE_START = re.compile(r"^(\s*)(\d+)?([>+=-]|(?<=\d)[.)])")
# Spaces or tabs that start a line would make an indented code block: they are kept visible
# as no-break spaces (a tab as four), which Markdown does not count as indentation.
_INDENT = re.compile(r"^[ \t]+")


def _indent(m: re.Match[str]) -> str:
    return m.group().replace("\t", "    ").replace(" ", "\u00a0")


def md_escape(text: str) -> str:
    """Escape text so Markdown (and Obsidian) shows it literally, one line (line breaks
    become spaces)."""
    return md_escape_lines(" ".join(_plain(text).splitlines()))


def md_escape_lines(text: str) -> str:
    """Escape each line so Markdown (and Obsidian) shows it literally; line breaks are kept."""
    out = []
    for line in _plain(text).split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = _DOUBLED.sub(lambda m: _REFERENCE[m.group(1)], line)
        line = _INDENT.sub(_indent, line)
        line = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) or "") + "\\" + m.group(3), line)
        out.append(line)
    return "\n".join(out)


def _blockquote(text: str) -> str:
    lines = md_escape_lines(text).split("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def _paragraphs(text: str, indent: str = "") -> str:
    """A multi-line note: escaped, single line breaks kept as hard breaks (trailing ``\\``),
    blank lines as paragraph breaks; every line after the first starts with ``indent`` (to
    stay inside a list item)."""
    lines = md_escape_lines(text.strip("\n")).split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        line = line.rstrip()
        if line.strip() and nxt.strip():
            line += "\\"
        if i and line.strip():
            line = indent + line
        out.append(line if line.strip() else "")
    return "\n".join(out)


def _code(text: str) -> str:
    text = " ".join(_plain(text).splitlines())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _iso(dt: datetime) -> str:
    """UTC as the W3C model asks: seconds, ending in 'Z'."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_text(value: str) -> str | None:
    """A stored ISO 8601 time in the form :func:`_iso` writes, or None if it is not one."""
    try:
        return _iso(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None


# Obsidian tags: letters, digits, _, - and / (nesting), and at least one non-digit.
_NOT_TAG = re.compile(r"[^\w/-]+")


def obsidian_tag(tag: str) -> str | None:
    """The form of ``tag`` Obsidian accepts as a tag (other characters become '_', an all-digit
    tag gets a leading '_'), or None if nothing of it is left."""
    t = _NOT_TAG.sub("_", _plain(tag)).strip("/")
    t = re.sub(r"/+", "/", t)
    if not t.strip("_/"):
        return None
    if t.replace("/", "").isdigit():
        t = "_" + t
    return t


# -- helpers over the analysis --------------------------------------------------------------
def _sorted(annotations: Iterable[Annotation]) -> list[Annotation]:
    return sorted(annotations, key=lambda a: a.sort_key())


def _own_tags(a: Annotation) -> tuple[str, ...]:
    """The annotation's tags without its meaning (a highlight is tagged with its meaning as
    well, which the export states once)."""
    if not a.meaning:
        return a.tags
    return tuple(t for t in a.tags if t.casefold() != a.meaning.casefold())


def _user_tags(annotations: Sequence[Annotation]) -> list[str]:
    """Every tag the analyst typed, in the form Obsidian accepts, sorted, once each. A
    highlight's meaning is not one (the reader stores it as the highlight's tag too)."""
    tags: dict[str, str] = {}
    for a in annotations:
        for t in _own_tags(a):
            ob = obsidian_tag(t)
            if ob is not None:
                tags.setdefault(ob.casefold(), ob)
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


def _first_mention(analysis: Analysis, target_type: str, target_id: str) -> tuple[int, int] | None:
    """Where an actor, claim or source first appears in the text: an actor's first mention
    by name (not a pronoun), a claim's sentence, a source's first naming (its actor's first
    mention, or where a claim names it)."""
    spans: list[tuple[int, int]] = []
    actor_id: str | None = None
    if target_type == "claim":
        for c in analysis.claims:
            if c.id == target_id:
                spans.append((c.start, c.end))
    elif target_type == "actor":
        actor_id = target_id
    elif target_type == "source":
        src = analysis.source(target_id)
        if src is not None:
            actor_id = src.actor
            spans += [
                (c.source_span.start, c.source_span.end)
                for c in analysis.claims_by_source(src.id)
                if c.source_span is not None
            ]
    actor = analysis.actor(actor_id)
    if actor is not None:
        named = [m for m in actor.mentions if m.how != "pronoun"] or actor.mentions
        spans += [(m.start, m.end) for m in named]
    spans = [(s, e) for s, e in spans if 0 <= s < e <= len(analysis.text)]
    return min(spans) if spans else None


def _unique(values: Iterable[str]) -> list[str]:
    """Each value once (compared case-insensitively), first spelling and order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


def _marks_fields(anns: Sequence[Annotation]) -> list[str]:
    """The notes (each once, as typed) and one bullet each for the meanings, tags, grade and
    status of the annotations made on one passage."""
    out: list[str] = []
    for note in _unique(a.note for a in anns if a.note and a.note.strip()):
        out += ["", _paragraphs(note)]
    meta: list[str] = []
    meanings = _unique(a.meaning for a in anns if a.meaning)
    if meanings:
        meta.append(f"- Meaning: {md_escape(', '.join(meanings))}")
    tags = _unique(t for a in anns for t in _own_tags(a))
    if tags:
        meta.append("- Tags: " + ", ".join(_code(t) for t in tags))
    grade = _latest(anns, "grade")
    if grade:
        meta.append(f"- Grade: {md_escape(_grade_text(grade) or '')}")
    status = _latest(anns, "status")
    if status:
        meta.append(f"- Status: {md_escape(status)}")
    if meta:
        out += ["", *meta]
    return out


def _item_marks(anns: Sequence[Annotation], indent: str) -> list[str]:
    """Nested bullets for the notes and tags made on a claim, source or actor (its grade and
    status are stated on its own line, once)."""
    out: list[str] = []
    for note in _unique(a.note for a in anns if a.note and a.note.strip()):
        out.append(f"{indent}- Note: " + _paragraphs(note, indent=indent + "  "))
    tags = _unique(t for a in anns for t in _own_tags(a))
    if tags:
        out.append(f"{indent}- Tags: " + ", ".join(_code(t) for t in tags))
    return out


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
        tags = _own_tags(a)
        if tags:
            bits.append("tags " + ", ".join(tags))
        line = f"  - {a.kind.capitalize()}"
        if bits:
            line += ": " + md_escape(", ".join(bits))
        if a.note:
            line += (" — " if bits else ": ") + _paragraphs(a.note, indent="    ")
        out.append(line)
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
            + " ← ".join(f"{md_escape(s.name)} ({md_escape(s.kind)})" for s in chain)
        )
    else:
        out.append(f"{indent}- Source: the author (no attribution)")
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
        f"exported_at: {yaml_str(_iso(exported_at))}",
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
    anns = _sorted(annotations)
    model = _model(analysis)
    out = [*_front_matter(briefing, _user_tags(anns), model, exported_at)]
    out += ["", f"# {md_escape(briefing.title)}", ""]
    out.append(f"Source: {md_escape(briefing.origin)}  ")
    if briefing.url and briefing.url != briefing.origin:
        out.append(f"URL: {md_escape(briefing.url)}  ")
    if briefing.author:
        out.append(f"Author: {md_escape(briefing.author)}  ")
    if briefing.date is not None:
        out.append(f"Date: {briefing.date.isoformat()}  ")
    out.append(f"Briefing: {_code(briefing.id)}  ")
    out.append(
        f"Exported: {_iso(exported_at)}" + (f" · analysis by {md_escape(model)}" if model else "")
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
        out += ["", _blockquote(quote)]
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
            out.append(_blockquote(a.exact or ""))
            out += _marks_fields(group)
            out.append("")
        out.pop()

    if analysis is not None and whole_analysis:
        out += ["", "## Other claims", ""]
        rest_claims = [c for c in index.claims if c.id not in shown_in]
        out += ["_None._"] if not rest_claims else ["Claims no mark touches.", ""]
        for j, c in enumerate(rest_claims):
            if j and (c.start, c.end) == (rest_claims[j - 1].start, rest_claims[j - 1].end):
                out += [f"### Claim {md_escape(c.id)} (the same sentence)", ""]
            else:
                sentence = _blockquote(text[c.start : c.end])
                out += [f"### Claim {md_escape(c.id)}", "", sentence, ""]
            content = _claim_content(text, c)
            if content and content != text[c.start : c.end]:
                out.append(f"- Content: {md_escape(content)}")
            out += _claim_analysis(analysis, c, "")
            out.append("")
        if out[-1] == "":
            out.pop()

    if analysis is not None and (whole_analysis or sources):
        out += ["", "## Sources", ""]
        listed = [s for s in analysis.sources if whole_analysis or s.id in sources]
        if not listed:
            out += ["_None found._"]
        for src in listed:
            mine = on_items.get(("source", src.id), [])
            bits = [md_escape(src.kind)]
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
            out.append(f"- {md_escape(key[0].capitalize())} {_code(key[1])}")
            out += _target_entries(rest[key])
    out.append("")
    return "\n".join(out)


# -- W3C Web Annotation ---------------------------------------------------------------------
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: the project's own terms, so that JSON-LD processing keeps them (the W3C context defines
#: none of them): ``brief-tui:`` names a term of this vocabulary, the rest are Dublin Core
PROJECT_CONTEXT: dict[str, Any] = {
    "brief-tui": "urn:brief-tui:terms:",
    "title": "dcterms:title",
    "author": "dcterms:creator",
    "date": {"@id": "dcterms:date", "@type": "xsd:date"},
    "origin": "brief-tui:origin",
    "model": "brief-tui:model",
}
CONTEXT: list[Any] = [W3C_CONTEXT, PROJECT_CONTEXT]
_MOTIVATION = {
    "highlight": "highlighting",
    "note": "commenting",
    "tag": "tagging",
    "grade": "assessing",
}


def briefing_urn(briefing_id: str) -> str:
    """The IRI of one version of a briefing: the SHA-256 of its normalised text, which the
    positions count in."""
    return f"urn:brief-tui:briefing:{briefing_id}"


_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def document_iri(briefing: Briefing) -> str | None:
    """Where the briefing was read from, as an IRI others can resolve: its http(s) address or
    a ``file:`` URI; None for standard input."""
    for candidate in (briefing.url, briefing.origin):
        parts = urlsplit(candidate) if candidate else None
        if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
            return quote(candidate, safe=_IRI_SAFE)
    origin = Path(briefing.origin)
    if briefing.origin and not briefing.origin.startswith("<") and origin.is_absolute():
        return origin.as_uri()
    return None


def _text_source(briefing: Briefing) -> dict[str, Any]:
    """The text the selectors point into: this version of the briefing, and where it was
    read from (``via``)."""
    source: dict[str, Any] = {
        "id": briefing_urn(briefing.id),
        "type": "Text",
        "format": "text/plain",
    }
    iri = document_iri(briefing)
    if iri is not None:
        source["via"] = iri
    return source


def _quote_selector(exact: str, prefix: str, suffix: str) -> dict[str, Any]:
    return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}


def _w3c_item(a: Annotation, briefing: Briefing, analysis: Analysis | None) -> dict[str, Any]:
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
    for t in _own_tags(a):
        body.append({"type": "TextualBody", "purpose": "tagging", "value": t})
    if a.meaning:
        body.append({"type": "TextualBody", "purpose": "classifying", "value": a.meaning})
    if a.grade:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.grade})
    if a.status:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.status})
    selectors: list[dict[str, Any]] = []
    target: dict[str, Any]
    if a.orphan:
        # The quote belongs to an earlier version of the text, which the store no longer
        # holds: the target is the document as it was when the note was made, found by
        # its quote; the position it had no longer holds anywhere.
        iri = document_iri(briefing)
        target = {"source": iri if iri is not None else briefing_urn(briefing.id)}
        made = _iso_text(a.created_at)
        if made is not None:
            target["state"] = {"type": "TimeState", "sourceDate": made}
        if a.exact is not None:
            selectors.append(_quote_selector(a.exact, a.prefix or "", a.suffix or ""))
    else:
        target = {"source": _text_source(briefing)}
        span: tuple[int, int] | None = None
        if a.has_text_anchor:
            assert a.start is not None and a.end is not None and a.exact is not None
            selectors.append(_quote_selector(a.exact, a.prefix or "", a.suffix or ""))
            selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
        elif a.target_type != "text" and a.target_id and analysis is not None:
            span = _first_mention(analysis, a.target_type, a.target_id)
        if span is not None and analysis is not None and analysis.briefing_id == briefing.id:
            sel = make_selector(briefing.text, *span)
            selectors.append(_quote_selector(sel.exact, sel.prefix, sel.suffix))
            selectors.append({"type": "TextPositionSelector", "start": sel.start, "end": sel.end})
    if a.target_type != "text":
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "urn:brief-tui:analysis-id",
                "value": f"{a.target_type}={a.target_id}",
            }
        )
    if len(selectors) == 1:
        target["selector"] = selectors[0]
    elif selectors:
        target["selector"] = selectors
    item: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": _MOTIVATION.get(a.kind, a.kind),
    }
    for key, value in (("created", a.created_at), ("modified", a.updated_at)):
        when = _iso_text(value)
        if when is not None:
            item[key] = when
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
    """A W3C Web Annotation ``AnnotationCollection``; with annotations, its one
    ``AnnotationPage`` (``first`` and ``last``) holds one ``Annotation`` each, in text order.
    Text targets carry a TextQuoteSelector and a TextPositionSelector (offsets in Unicode
    code points of the briefing's text); notes on an actor, claim or source carry those of
    its first mention (when the analysis is given) and a FragmentSelector naming it; an
    orphan carries its quote only. Serialise with :func:`json_text`."""
    anns = _sorted(annotations)
    items = [_w3c_item(a, briefing, analysis) for a in anns]
    collection_id = f"{briefing_urn(briefing.id)}:annotations"
    about: dict[str, Any] = {
        "id": briefing_urn(briefing.id),
        "type": "Text",
        "title": briefing.title,
        "origin": briefing.origin,
    }
    iri = document_iri(briefing)
    if iri is not None:
        about["via"] = iri
    if briefing.author:
        about["author"] = briefing.author
    if briefing.date is not None:
        about["date"] = briefing.date.isoformat()
    about["model"] = _model(analysis)
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": briefing.title,
        "total": len(items),
        "generated": _iso(exported_at),
        "generator": {"type": "Software", "name": GENERATOR},
        "brief-tui:briefing": about,
    }
    if items:
        page_id = f"{collection_id}:page-1"
        collection["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            # described, not only named: as the model's example has it (and the test suite
            # reads a page's partOf as an object)
            "partOf": {"id": collection_id, "label": briefing.title, "total": len(items)},
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = page_id
    return collection
