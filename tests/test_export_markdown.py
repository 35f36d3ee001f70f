"""The Markdown export as other tools read it: front matter that YAML 1.1 (PyYAML) and
strict YAML 1.2 (ruamel.yaml) readers load back exactly, tags Obsidian accepts, and note
text that CommonMark (markdown-it-py) and Obsidian show as typed: no code block, heading,
list, HTML, comment, highlight, tag or link made from it, and nothing a terminal acts on."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from brief_tui.analysis.model import Actor, Analysis, Mention
from brief_tui.briefing import Briefing
from brief_tui.briefing.untrusted import clean_text
from brief_tui.library.annotations import Annotation
from brief_tui.library.escaping import md_paragraphs, obsidian_tag
from brief_tui.library.export import export_markdown

WHEN = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
TEXT = "Alpha said the troops moved. Beta denied it.\n"
MD = MarkdownIt("commonmark")
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OBSIDIAN_TAG = re.compile(r"^[\w/-]+$")

FRAGMENTS = [
    # Obsidian: comment, highlight, tag, link, embed, block id, maths, strike-through
    "%%", "==", "#tag", " #word", "[[", "]]", "![[", "^abc", "$x$", "~~",
    # Markdown blocks: indentation, quote, lists, headings, fences, rules, setext, HTML, tables
    "    ", "\t", "> ", "- ", "* ", "+ ", "# ", "1. ", "1) ", "```", "~~~", "---", "===",
    "<div>", "<!--", "|", "&amp;", "&#37;", "\\", "`", "*", "_", "[x](y)", "<http://a>",
    # line breaks of every kind, controls YAML and terminals refuse
    "\n", "\n\n", "\r\n", "\r", "\x0b", "\x0c", "\x1b]52;c;UFdORUQ=\x1b\\", "\x07", "\x7f",
    "\x85", "\x92", "\x9b", "\ufffe", "\uffff", "\u202e", "\u2066", "\u2028", "\ufeff",
    "\u00a0", "a", "word", " ", "2024", "é", "\U0001f600",
]  # fmt: skip
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=25,
).map("".join)


def _split(md: str) -> tuple[str, str]:
    assert md.startswith("---\n")
    end = md.index("\n---\n", 4)
    return md[4 : end + 1], md[end + 5 :]


def _rendered_lines(tokens: list) -> list[str]:  # type: ignore[type-arg]
    """The text CommonMark shows, one entry per line (breaks and paragraphs split lines)."""
    lines = [""]
    for tok in tokens:
        if tok.type == "paragraph_open" and lines[-1]:
            lines.append("")
        for child in tok.children or []:
            if child.type in ("softbreak", "hardbreak"):
                lines.append("")
            else:
                lines[-1] += child.content
    return lines


def _typed_lines(note: str) -> list[str]:
    """The note's lines as typed, after the one-for-one cleaning every export does."""
    return clean_text(note.replace("\r\n", "\n")).split("\n")


def _squash(lines: list[str]) -> list[str]:
    return ["".join(line.split()) for line in lines if "".join(line.split())]


def _export(title: str, note: str, tag: str, whole_analysis: bool = False) -> str:
    b = Briefing(
        id="ab" * 32,
        title=title,
        text=TEXT,
        origin="/tmp/brief.txt",
        author=title,
        url="https://example.org/a",
        date=date(2024, 5, 1),
    )
    anns = [
        Annotation(
            "1",
            b.id,
            "note",
            start=0,
            end=5,
            exact="Alpha",
            suffix=TEXT[5:37],
            note=note,
            tags=(tag,),
            meaning="key",
            created_at="2026-01-01T00:00:00+00:00",
        ),
        Annotation("2", b.id, "note", target_type="actor", target_id="a1", note=note),
        Annotation("3", b.id, "note", target_type="source", target_id="gone", note=note),
    ]
    analysis = Analysis(
        briefing_id=b.id,
        title=title,
        text=TEXT,
        model_name="m",
        model_version="1",
        actors=[Actor("a1", "Alpha", "person", ["Alpha"], [], [Mention(0, 5, "Alpha")])],
    )
    return export_markdown(b, anns, analysis, exported_at=WHEN, whole_analysis=whole_analysis)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, note=HOSTILE, tag=HOSTILE)
def test_markdown_export_reads_back_as_written(title: str, note: str, tag: str) -> None:
    for whole in (False, True):
        _reads_back_as_written(title, note, tag, whole)


def _reads_back_as_written(title: str, note: str, tag: str, whole: bool) -> None:
    md = _export(title, note, tag, whole)
    assert not TERMINAL_CONTROL.search(md)
    front, body = _split(md)
    # the front matter: the same values in a YAML 1.1 and a strict YAML 1.2 reader
    one = yaml.safe_load(front)
    two = YAML(typ="safe", pure=True).load(io.StringIO(front))
    for fm in (one, two):
        assert fm["title"] == title and fm["author"] == title and fm["aliases"] == [title]
        assert str(fm["date"]) == "2024-05-01"
        assert all(OBSIDIAN_TAG.match(t) and not t.replace("/", "").isdigit() for t in fm["tags"])
        assert obsidian_tag(tag) is None or obsidian_tag(tag) in fm["tags"]
    # the body: no structure from the note (only what the exporter writes)
    tokens = MD.parse(body)
    kinds = {t.type for t in tokens}
    assert not kinds & {"code_block", "fence", "html_block", "hr"}
    assert not any(c.type == "html_inline" for t in tokens for c in t.children or [])
    heads = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    # the title, the note's passage, the sections (all of them with the whole analysis)
    assert heads[1:] == [
        "Highlights and notes",
        "1. Note (characters 0–5)",
        *(["Other claims", "Author statements", "Sources"] if whole else []),
        "Actors",
        "Notes on actors, claims and sources",
    ]


@settings(max_examples=300, deadline=None)
@given(note=HOSTILE)
def test_a_note_is_shown_as_typed(note: str) -> None:
    for indent in ("", "    "):
        md = md_paragraphs(note, indent=indent)
        # Obsidian's own syntax is broken up or escaped in the source
        assert "%%" not in md and "==" not in md
        assert not re.search(r"(?<![\\&])[#\[\]^]", md.replace("\\\\", ""))
        source = ("  - Note: " + md) if indent else md
        tokens = MD.parse(source)
        allowed = {"paragraph_open", "inline", "paragraph_close"}
        if indent:
            allowed |= {
                "bullet_list_open",
                "list_item_open",
                "list_item_close",
                "bullet_list_close",
            }
            assert [t.type for t in tokens].count("list_item_open") == 1
        assert {t.type for t in tokens} <= allowed, [t.type for t in tokens]
        assert not any(c.type == "html_inline" for t in tokens for c in t.children or [])
        shown = _rendered_lines(tokens)
        if indent:
            shown[0] = shown[0].removeprefix("Note:")
        # every character shows (white space aside), on the line it was typed on
        assert _squash(shown) == _squash(_typed_lines(note.strip("\n")))


def test_notes_on_actors_keep_their_lines_and_paragraphs() -> None:
    md = _export("T", "first line\nsecond line\n\n    indented, not code\n\tand a tab", "x")
    notes = md.split("## Actors")[1]
    tokens = MD.parse(notes)
    item = next(t for t in tokens if t.type == "inline" and "first line" in t.content)
    assert [c.type for c in item.children or []].count("hardbreak") == 1
    assert "code_block" not in {t.type for t in tokens}
    text = [t.content for t in tokens if t.type == "inline"]
    # a second paragraph inside the bullet; the tab stays visible as no-break spaces
    assert "indented, not code\\\n" + "\u00a0" * 4 + "and a tab" in text


def test_obsidian_tags() -> None:
    assert obsidian_tag("2024") == "_2024"
    assert obsidian_tag("figures: check") == "figures_check"
    assert obsidian_tag("a.b&c[d]") == "a_b_c_d_"
    assert obsidian_tag("région/nord") == "région/nord"
    assert obsidian_tag("%%") is None
