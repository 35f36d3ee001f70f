"""Markdown and W3C Web Annotation export: deterministic, escaped, readable back."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from brief_tui.analysis.model import (
    Actor,
    Analysis,
    Claim,
    Cue,
    Figure,
    Hedge,
    Mention,
    Source,
    Span,
)
from brief_tui.briefing import Briefing, briefing_from_text
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import export_markdown, export_w3c_json, json_text, md_escape
from brief_tui.library.store import Store

TITLE = 'Seoul: "troops" moving # to the front\n--- line'
TEXT = (
    "SEOUL - North Korean troops may be moving to the front line, South Korea's spy agency "
    "said, according to lawmaker Lee Seong-kweun. About 3,000 soldiers arrived in October.\n"
    "* Not a list item: [not a link](x) and <b>not html</b>.\n"
)
WHEN = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)


def span(quote: str) -> tuple[int, int]:
    i = TEXT.index(quote)
    return i, i + len(quote)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Briefing, Analysis]:
    store = Store.open(tmp_path / "data")
    # (a title read from a document is one line; one from the database may hold anything)
    b = replace(briefing_from_text(TEXT, "/home/analyst/in: box/brief.txt"), title=TITLE)
    store.add_briefing(b)
    s, e = span("About 3,000 soldiers")
    store.add_annotation(
        b.id,
        "note",
        start=s,
        end=e,
        note='Check: "3,000" vs 1,500?\n# not a heading\n\n---\nsecond paragraph',
        tags=["troops", "figures: check"],
        meaning="doubt",
    )
    s, e = span("North Korean troops")
    store.add_annotation(b.id, "highlight", start=s, end=e, meaning="key", tags=["troops"])
    s, e = span("* Not a list item: [not a link](x) and <b>not html</b>.")
    store.add_annotation(b.id, "highlight", start=s, end=e, meaning="follow-up")
    store.add_annotation(b.id, "grade", target_type="source", target_id="s2", grade="B")
    store.add_annotation(
        b.id,
        "grade",
        target_type="claim",
        target_id="c1",
        grade="3",
        status="disputed",
        note="Only one source.",
    )
    store.add_annotation(
        b.id, "note", target_type="actor", target_id="a1", note="Intelligence committee member"
    )
    store.add_annotation(
        b.id, "note", target_type="claim", target_id="c99", note="claim gone from analysis"
    )
    orphan = store.add_annotation(b.id, "highlight", start=0, end=5, note="was the dateline")
    assert store.path is not None
    import sqlite3

    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE annotations SET orphan = 1 WHERE id = ?", (orphan.id,))
    conn.commit()
    conn.close()

    lee = span("Lee Seong-kweun")
    analysis = Analysis(
        briefing_id=b.id,
        title=b.title,
        text=b.text,
        model_name="en_core_web_sm",
        model_version="3.8.0",
        actors=[
            Actor(
                "a1",
                "Lee Seong-kweun",
                "person",
                ["Lee Seong-kweun", "Lee"],
                ["lawmaker"],
                [Mention(lee[0], lee[1], "Lee Seong-kweun")],
            ),
            Actor("a2", "North Korea", "place", ["North Korean", "Pyongyang"], [], []),
        ],
        sources=[
            Source("s1", "Lee Seong-kweun", "person", actor="a1", descriptor="lawmaker", via="s2"),
            Source("s2", "NIS", "intelligence", descriptor="South Korea's spy agency"),
        ],
        claims=[
            Claim(
                "c1",
                0,
                TEXT.index(" About"),
                [Span(8, 59)],
                cue=Cue(*span("said"), "said", "neutral"),
                source="s1",
                quote="indirect",
                hedges=[Hedge(*span("may"), "may", "possible", (0.3, 0.6))],
            ),
            Claim(
                "c2",
                TEXT.index("About"),
                TEXT.index("\n"),
                figures=[
                    Figure(
                        *span("About 3,000 soldiers"),
                        "About 3,000 soldiers",
                        3000.0,
                        "about",
                        "soldiers",
                    )
                ],
            ),
        ],
    )
    return store, b, analysis


def front_matter(md: str) -> dict[str, Any]:
    """A tiny reader for the front matter we write: ``key: scalar`` and ``key:`` followed by
    ``  - item`` lines; scalars are YAML double-quoted strings (JSON syntax), null or []."""
    lines = md.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    out: dict[str, Any] = {}
    key = None
    for line in lines[1:end]:
        if line.startswith("  - "):
            assert key is not None
            out[key].append(json.loads(line[4:]))
            continue
        assert not line.startswith(" "), line
        key, _, value = line.partition(": ")
        if line.endswith(":") and not value:
            key = line[:-1]
            out[key] = []
        else:
            out[key] = json.loads(value)
    return out


def test_markdown_front_matter(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    md = export_markdown(b, store.annotations(b.id), analysis, exported_at=WHEN)
    fm = front_matter(md)
    assert fm == {
        "title": b.title,
        "aliases": [b.title],
        "source": "/home/analyst/in: box/brief.txt",
        "briefing_id": b.id,
        "exported_at": "2026-05-01T12:30:00Z",
        "model": "en_core_web_sm 3.8.0",
        # Obsidian's form of each tag ("figures:-check" has a character tags may not hold);
        # the meanings of highlights (key, doubt, follow-up) are not tags nobody typed
        "tags": ["figures_-check", "troops"],
    }
    # nothing in the front matter spans lines: a newline in the title is escaped
    title = dataclasses.replace(b, title="Seoul\n--- line")
    md = export_markdown(title, store.annotations(b.id), analysis, exported_at=WHEN)
    assert md.split("\n")[1] == 'title: "Seoul\\n--- line"'


def test_markdown_without_analysis(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, _ = setup
    md = export_markdown(b, store.annotations(b.id), None, exported_at=WHEN)
    assert front_matter(md)["model"] is None
    assert "## Claims" not in md
    assert "## Notes on actors, claims and sources" in md
    assert "Intelligence committee member" in md


def test_markdown_sections_and_order(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    md = export_markdown(b, store.annotations(b.id), analysis, exported_at=WHEN)
    body = md.split("\n---\n", 1)[1]
    heads = [line for line in body.split("\n") if line.startswith("## ")]
    # what was made, and the sources and actors it touches: no list of every claim
    assert heads == [
        "## Highlights and notes",
        "## Orphaned annotations",
        "## Sources",
        "## Actors",
        "## Notes on actors, claims and sources",
    ]
    hl = body.split("## Highlights and notes")[1].split("## Orphaned")[0]
    # text order, one entry per passage
    assert hl.index("North Korean troops") < hl.index("About 3,000") < hl.index("Not a list item")
    assert "> North Korean troops" in hl
    assert "- Meaning: key" in hl and "- Tags: `troops`, `figures:-check`" in hl
    # the note: escaped so it cannot become a heading or a rule, line breaks kept
    assert 'Check: "3,000" vs 1,500?\\\n\\# not a heading\n\n\\---\\\nsecond paragraph' in hl
    # quoted markup is shown literally
    assert "> \\* Not a list item: \\[not a link\\](x) and \\<b\\>not html\\</b\\>." in hl
    # the claims the marks touch, in the passage that touches them, graded once
    first = hl.split("### 2.")[0]
    assert first.startswith("\n\n### 1. Highlight + grade (characters 8–27)")
    assert "- Claim c1 · credibility 3 (possibly true), disputed" in first
    assert "Source chain: Lee Seong-kweun (person) ← NIS (intelligence)" in first
    assert "Hedges: may (possible)" in first and "  - Note: Only one source." in first
    assert body.count("possibly true") == 1 and body.count("disputed") == 1
    assert "Figures: About 3,000 soldiers" in hl
    assert "Source: the author (no attribution)" in hl
    orphans = body.split("## Orphaned annotations")[1].split("## Sources")[0]
    assert "> SEOUL" in orphans and "was the dateline" in orphans
    sources = body.split("## Sources")[1].split("## Actors")[0]
    assert (
        "**NIS** (s2): intelligence; South Korea's spy agency; "
        "reliability B (usually reliable); 0 claims" in sources
    )
    assert "**Lee Seong-kweun** (s1): person; lawmaker; via NIS; 1 claim" in sources
    assert body.count("usually reliable") == 1
    actors = body.split("## Actors")[1].split("## Notes on")[0]
    assert "**Lee Seong-kweun** (person) — aliases: Lee — lawmaker — 1 mention" in actors
    assert "Intelligence committee member" in actors
    assert "North Korea" not in actors  # no mark on it
    rest = body.split("## Notes on actors, claims and sources")[1]
    assert "`c99`" in rest and "claim gone from analysis" in rest

    # the whole analysis when asked: every actor, source and claim, each once
    whole = export_markdown(
        b, store.annotations(b.id), analysis, exported_at=WHEN, whole_analysis=True
    ).split("\n---\n", 1)[1]
    assert [line for line in whole.split("\n") if line.startswith("## ")] == [
        "## Highlights and notes",
        "## Orphaned annotations",
        "## Other claims",
        "## Author statements",
        "## Sources",
        "## Actors",
        "## Notes on actors, claims and sources",
    ]
    assert whole.split("## Other claims")[0] == body.split("## Sources")[0]
    actors = whole.split("## Actors")[1].split("## Notes on")[0]
    assert "aliases: North Korean, Pyongyang" in actors
    # attributed claims and the author's statements apart, each counted
    other, own = (
        whole.split("## Other claims")[1].split("## Sources")[0].split("## Author statements")
    )
    n_own = sum(1 for c in analysis.claims if not c.attributed)
    assert other.lstrip().startswith(f"{len(analysis.attributed_claims())} attributed claim")
    assert own.lstrip().startswith(f"{n_own} author statement")
    assert "Source: the author (no attribution)" not in other and "- Kind: " not in own


def test_markdown_is_deterministic(setup: tuple[Store, Briefing, Analysis], tmp_path: Path) -> None:
    store, b, analysis = setup
    anns = store.annotations(b.id)
    one = export_markdown(b, anns, analysis, exported_at=WHEN)
    two = export_markdown(b, list(reversed(anns)), analysis, exported_at=WHEN)
    assert one == two
    store.close()
    again = Store.open(tmp_path / "data")
    assert export_markdown(b, again.annotations(b.id), analysis, exported_at=WHEN) == one


def test_md_escape() -> None:
    assert md_escape("a_b*c") == "a\\_b\\*c"
    assert md_escape("# x") == "\\# x"
    assert md_escape("1. x\n2. y") == "1\\. x 2. y"
    assert md_escape("-1 C") == "\\-1 C"


def test_w3c_json(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    anns = store.annotations(b.id)
    doc = json.loads(json_text(export_w3c_json(b, anns, analysis, exported_at=WHEN)))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    assert doc["total"] == len(anns) == 8
    page = doc["first"]
    assert page["type"] == "AnnotationPage"
    assert page["id"] == doc["last"] and page["partOf"]["id"] == doc["id"]
    items: list[dict[str, Any]] = page["items"]
    assert [i["id"] for i in items] == [f"urn:uuid:{a.id}" for a in anns]
    by_id = {i["id"]: i for i in items}
    for a in anns:
        item = by_id[f"urn:uuid:{a.id}"]
        assert item["type"] == "Annotation"
        target = item["target"]
        sels = target.get("selector", [])
        sels = sels if isinstance(sels, list) else [sels]
        types = {s["type"]: s for s in sels}
        if a.orphan:
            # an earlier version of the document, found by its quote: not this text's id,
            # and no position
            assert target["source"] == "file:///home/analyst/in%3A%20box/brief.txt"
            assert target["state"]["type"] == "TimeState"
            assert set(types) == {"TextQuoteSelector"}
            assert types["TextQuoteSelector"]["exact"] == a.exact
            assert item["brief-tui:orphan"] is True
            continue
        assert target["source"] == {
            "id": f"urn:brief-tui:briefing:{b.id}",
            "type": "Text",
            "format": "text/plain",
            "via": "file:///home/analyst/in%3A%20box/brief.txt",
        }
        if "TextQuoteSelector" in types:
            q, p = types["TextQuoteSelector"], types["TextPositionSelector"]
            assert TEXT[p["start"] : p["end"]] == q["exact"]
            assert TEXT[: p["start"]].endswith(q["prefix"])
            assert TEXT[p["end"] :].startswith(q["suffix"])
        else:
            assert a.target_type != "text" and set(types) == {"FragmentSelector"}
        if a.exact is not None:
            assert (q["exact"], q["prefix"], q["suffix"]) == (a.exact, a.prefix, a.suffix)
            assert (p["start"], p["end"]) == (a.start, a.end)
        if a.target_type != "text":
            assert types["FragmentSelector"]["value"] == f"{a.target_type}={a.target_id}"
        if a.note:
            assert {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": a.note,
            } in item["body"]
        tagging = [x["value"] for x in item.get("body", []) if x["purpose"] == "tagging"]
        assert tagging == [t for t in a.tags if t != a.meaning]
        assert "brief-tui:orphan" not in item
    motivations = {i["motivation"] for i in items}
    assert motivations == {"highlighting", "commenting", "assessing"}
    assert export_w3c_json(b, list(reversed(anns)), analysis, exported_at=WHEN) == export_w3c_json(
        b, anns, analysis, exported_at=WHEN
    )


def test_w3c_notes_on_analysis_items_point_at_their_first_mention(
    setup: tuple[Store, Briefing, Analysis],
) -> None:
    store, b, analysis = setup
    doc = export_w3c_json(b, store.annotations(b.id), analysis, exported_at=WHEN)
    quotes = {}
    for item in doc["first"]["items"]:
        sels = item["target"].get("selector", [])
        sels = sels if isinstance(sels, list) else [sels]
        frag = [s["value"] for s in sels if s["type"] == "FragmentSelector"]
        quote = [s["exact"] for s in sels if s["type"] == "TextQuoteSelector"]
        if frag:
            quotes[frag[0]] = quote[0] if quote else None
    assert quotes["actor=a1"] == "Lee Seong-kweun"
    assert quotes["source=s2"] is None  # NIS has no actor and no claim naming it
    assert quotes["claim=c1"] == TEXT[: TEXT.index(" About")]
    assert quotes["claim=c99"] is None  # gone from the analysis: its id only
    # without the analysis only the id is known
    bare = export_w3c_json(b, store.annotations(b.id), None, exported_at=WHEN)
    for item in bare["first"]["items"]:
        if "FragmentSelector" in json.dumps(item):
            assert item["target"]["selector"]["type"] == "FragmentSelector"


def test_empty_export() -> None:
    b = briefing_from_text("Just text.\n", "x")
    md = export_markdown(b, [], None, exported_at=WHEN)
    assert front_matter(md)["tags"] == []
    assert "_None._" in md
    doc = export_w3c_json(b, [], exported_at=WHEN)
    # a page holds one or more annotations: an empty collection has none
    assert doc["total"] == 0 and "first" not in doc and "last" not in doc


def test_naive_datetime_is_taken_as_utc() -> None:
    b = briefing_from_text("x\n", "x")
    md = export_markdown(b, [], None, exported_at=datetime(2026, 1, 2, 3, 4, 5))
    assert front_matter(md)["exported_at"] == "2026-01-02T03:04:05Z"


def test_export_accepts_plain_annotation_objects() -> None:
    b = briefing_from_text("Alpha beta gamma.\n", "x")
    a = Annotation(
        id="1",
        briefing_id=b.id,
        kind="highlight",
        start=6,
        end=10,
        exact="beta",
        prefix="Alpha ",
        suffix=" gamma.\n",
        created_at="t",
        updated_at="t",
    )
    assert "> beta" in export_markdown(b, [a], None, exported_at=WHEN)


# -- authors: shown in a team library's export, absent from a local one ---------------------
#: each author as the Markdown shows it: as text, a control character replaced
SHOWN = {"ann": "ann", "*bob*": "\\*bob\\*", "c\x1b[2Jd": "c\ufffd\\[2Jd"} | {
    n: n for n in ("dee", "eve", "fay", "gus", "hal", "ida", "jo")
}


def _authored(anns: list[Annotation]) -> list[Annotation]:
    """The setup's annotations as a team library holds them: each by an analyst of its own
    (one name a Markdown reader would take for emphasis, one with a control character)."""
    assert len(anns) <= len(SHOWN)
    return [replace(a, author=name) for a, name in zip(anns, SHOWN, strict=False)]


def test_markdown_names_each_annotations_author_in_a_team_library(
    setup: tuple[Store, Briefing, Analysis],
) -> None:
    store, b, analysis = setup
    local = export_markdown(b, store.annotations(b.id), analysis, exported_at=WHEN)
    assert "By: " not in local and " — by " not in local

    anns = _authored(store.annotations(b.id))
    md = export_markdown(b, anns, analysis, exported_at=WHEN)
    assert "\x1b" not in md
    authors = {a.note: a.author for a in anns if a.note}
    # every note followed by its author, escaped as text
    for note, author in authors.items():
        shown = SHOWN[author or ""]
        last = note.strip().splitlines()[-1]
        assert re.search(re.escape(md_escape(last)) + r" — by " + re.escape(shown), md), note
    # the authors of the other marks (highlights, grades) in their passage's or item's By line
    for a in anns:
        if not a.note:
            shown = SHOWN[a.author or ""]
            assert re.search(r"- By: [^\n]*" + re.escape(shown), md), a
