"""The Markdown export as a report: by default what the analyst made (highlights, notes, tags,
grades) with the claims and sources those marks touch, one entry per passage with everything
on it; the whole analysis only when asked (``--whole-analysis``, a switch in the dialog).
Through the real command on the sample briefing, and through the dialog with Pilot."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from textual.widgets import Checkbox, Input, RadioButton

from brief_tui.analysis import analyze
from brief_tui.analysis.model import Analysis, Claim, Source, Span
from brief_tui.briefing import Briefing, briefing_from_text, load_briefing
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import export_markdown
from brief_tui.library.store import Store
from brief_tui.ui.dialogs import ExportDialog
from tests.conftest import SAMPLE
from tests.test_export_output import export
from tests.uihelpers import make_app, wait_for_analysis

WHEN = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
SENTENCE_START = "The National Intelligence Service is"
FLAG = "--whole-analysis"


@dataclass
class Sample:
    store: Store
    briefing: Briefing
    analysis: Analysis
    #: the sentence "The National Intelligence Service is … session Tuesday."
    span: tuple[int, int]

    @property
    def sentence(self) -> str:
        return self.briefing.text[self.span[0] : self.span[1]]

    def claims_in_sentence(self) -> list[Claim]:
        s, e = self.span
        return [c for c in self.analysis.claims if c.start < e and s < c.end]


@pytest.fixture(scope="session")
def sample_analysis(loaded_model: object) -> tuple[Briefing, Analysis]:
    b = load_briefing(str(SAMPLE))
    return b, analyze(b.text, title=b.title, briefing_id=b.id, model=loaded_model)  # type: ignore[arg-type]


@pytest.fixture
def sample(data_dir: Path, sample_analysis: tuple[Briefing, Analysis]) -> Sample:
    """The sample in the library with its analysis cached (the command loads no model)."""
    b, analysis = sample_analysis
    store = Store.open(data_dir)
    store.add_briefing(b)
    store.put_cached_analysis(analysis)
    s = b.text.index(SENTENCE_START)
    e = b.text.index(".", s) + 1
    return Sample(store, b, analysis, (s, e))


def highlight(sample: Sample) -> None:
    """A highlight as the reader makes it: a meaning, and the meaning as its tag."""
    s, e = sample.span
    sample.store.add_annotation(
        sample.briefing.id, "highlight", start=s, end=e, meaning="key", tags=["key"]
    )


def run(tmp_path: Path, *args: str) -> str:
    proc = export(str(SAMPLE), *args, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def body_of(md: str) -> str:
    """Everything after the front matter."""
    return md.split("\n---\n", 1)[1]


def claim_ids(md: str) -> set[str]:
    return set(re.findall(r"\bClaim (c\d+)\b", md))


@pytest.mark.slow
def test_one_highlight_exports_what_was_made_not_the_analysis(
    sample: Sample, tmp_path: Path
) -> None:
    highlight(sample)
    sample.store.close()
    md = run(tmp_path)
    # 276 lines before: every claim, source and actor of the analysis
    assert len(md.splitlines()) <= 45, md
    body = body_of(md)
    touched = sample.claims_in_sentence()
    assert touched and claim_ids(body) == {c.id for c in touched}
    assert "Claims" not in [ln.removeprefix("## ") for ln in body.splitlines()]
    assert "## Actors" not in body  # no mark on an actor
    # the sources shown are those of the touched claims, each once
    names = {sample.analysis.source(c.source).name for c in touched if c.source}  # type: ignore[union-attr]
    assert names and all(body.count(f"**{n}**") == 1 for n in names)
    assert "Mark Rutte" not in body  # a source no mark touches
    assert body.count("the author (no attribution)") <= sum(1 for c in touched if not c.source)
    assert body.count(sample.sentence) == 1

    # asked for, the whole analysis is there: every claim once, every source and actor
    whole = run(tmp_path, FLAG)
    assert len(whole.splitlines()) > 150
    wbody = body_of(whole)
    assert claim_ids(wbody) == {c.id for c in sample.analysis.claims}
    for c in sample.analysis.claims:
        assert len(re.findall(rf"\bClaim {c.id}\b", wbody)) == 1, c.id
    for s in sample.analysis.sources:
        assert f"**{s.name}** ({s.id})" in wbody
    for a in sample.analysis.actors:
        assert f"**{a.name}** ({a.kind})" in wbody
    assert wbody.count(sample.sentence) == 1  # its claim is shown in its passage only


@pytest.mark.slow
def test_highlight_note_and_tag_on_one_sentence_are_one_entry(
    sample: Sample, tmp_path: Path
) -> None:
    highlight(sample)
    s, e = sample.span
    b = sample.briefing.id
    sample.store.add_annotation(b, "note", start=s, end=e, note="Check the NIS readout.")
    sample.store.add_annotation(b, "tag", start=s, end=e, tags=["troops", "nis"])
    sample.store.close()
    for args in ((), (FLAG,)):
        body = body_of(run(tmp_path, *args))
        passage = body.split("## Highlights and notes")[1].split("\n## ")[0]
        assert len(re.findall(r"^### ", passage, re.M)) == 1, passage
        assert passage.startswith("\n\n### 1. Highlight + note + tag (characters")
        assert body.count(sample.sentence) == 1
        assert body.count("Check the NIS readout.") == 1
        assert body.count("`troops`") == 1 and body.count("`nis`") == 1
        assert body.count("- Meaning: key") == 1
        assert "`key`" not in body  # the meaning is stated once, not again as a tag


@pytest.mark.slow
def test_a_grade_is_written_once(sample: Sample, tmp_path: Path) -> None:
    claim = next(c for c in sample.claims_in_sentence() if c.source)
    b = sample.briefing.id
    # as the reader grades: a claim at the cursor (its sentence), a source in the Sources tab
    sample.store.add_annotation(
        b,
        "grade",
        target_type="claim",
        target_id=claim.id,
        start=claim.start,
        end=claim.end,
        grade="2",
        status="corroborated",
    )
    assert claim.source is not None
    sample.store.add_annotation(b, "grade", target_type="source", target_id=claim.source, grade="B")
    sample.store.add_annotation(
        b, "note", target_type="source", target_id=claim.source, note="Sits on the committee."
    )
    sample.store.close()
    for args in ((), (FLAG,)):
        body = body_of(run(tmp_path, *args))
        assert body.count("probably true") == 1, body
        assert body.count("corroborated") == 1
        assert body.count("usually reliable") == 1
        assert body.count("Sits on the committee.") == 1
        assert f"- Claim {claim.id} · credibility 2 (probably true), corroborated" in body
    # the JSON holds one annotation per mark, each grade once
    js = run(tmp_path, "--format", "json")
    assert js.count('"value": "2"') == 1 and js.count('"value": "B"') == 1


def test_meanings_are_not_tags_unless_tagged() -> None:
    text = "Alpha said the troops moved. Beta denied it.\n"
    b = briefing_from_text(text, "x")

    def ann(i: str, kind: str, **kw: object) -> Annotation:
        return Annotation(i, b.id, kind, start=0, end=28, exact=text[:28], **kw)  # type: ignore[arg-type]

    made = [ann("1", "highlight", meaning="key", tags=("key",))]
    fm = yaml.safe_load(export_markdown(b, made, None, exported_at=WHEN).split("---\n")[1])
    assert fm["tags"] == []
    # a meaning the analyst also typed as a tag is one
    made.append(ann("2", "tag", tags=("key", "troops")))
    fm = yaml.safe_load(export_markdown(b, made, None, exported_at=WHEN).split("---\n")[1])
    assert fm["tags"] == ["key", "troops"]


def test_marks_on_sources_and_claims_without_positions_find_their_place() -> None:
    """A grade or note made in the side panel (no position) is shown with its claim in the
    claim's passage, or with its source; an item gone from the analysis keeps its notes."""
    text = "Alpha said the troops moved. Beta denied it.\n"
    b = replace(briefing_from_text(text, "x"), title="T")
    analysis = Analysis(
        b.id,
        b.title,
        text,
        "m",
        "1",
        sources=[Source("s1", "Alpha", "person"), Source("s2", "Beta", "person")],
        claims=[Claim("c1", 0, 28, source="s1"), Claim("c2", 29, 44, source="s2")],
    )
    anns = [
        Annotation("1", b.id, "grade", target_type="claim", target_id="c2", grade="4"),
        Annotation("2", b.id, "note", target_type="claim", target_id="c2", note="Denial only."),
        Annotation("3", b.id, "grade", target_type="source", target_id="s2", grade="C"),
        Annotation("4", b.id, "note", target_type="claim", target_id="c9", note="Gone."),
    ]
    md = export_markdown(b, anns, analysis, exported_at=WHEN)
    body = body_of(md)
    assert "> Beta denied it." in body and body.count("Beta denied it.") == 1
    assert "- Claim c2 · credibility 4 (doubtful)" in body and body.count("doubtful") == 1
    assert "Denial only." in body
    assert "**Beta** (s2): person; reliability C (fairly reliable); 1 claim" in body
    assert body.count("fairly reliable") == 1
    assert "Alpha" not in body  # nothing touches claim c1 or its source
    assert "`c9`" in body.split("## Notes on actors, claims and sources")[1]
    whole = body_of(export_markdown(b, anns, analysis, exported_at=WHEN, whole_analysis=True))
    assert "### Claim c1" in whole.split("## Other claims")[1]
    assert "**Alpha** (s1)" in whole


@pytest.mark.slow
def test_the_command_names_the_switch(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "brief_tui", "export", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and FLAG in proc.stdout
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert FLAG in readme.split("## Export")[1].split("\n## ")[0]


@pytest.mark.slow
def test_the_switch_is_refused_for_json(sample: Sample, tmp_path: Path) -> None:
    sample.store.close()
    proc = export(str(SAMPLE), "--format", "json", FLAG, tmp_path=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("brief-tui: ") and FLAG in err


async def test_the_dialog_exports_the_whole_analysis_only_when_asked(
    sample: Sample, tmp_path: Path
) -> None:
    sample.store.close()
    app = make_app(SAMPLE)
    async with app.run_test(size=(150, 42)) as pilot:
        await wait_for_analysis(app, pilot)
        assert app.analysis is not None
        await pilot.press("right_parenthesis", "h", "1")
        await pilot.pause()
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        switch = app.screen.query_one("#export-whole", Checkbox)
        assert switch.value is False and "whole analysis" in str(switch.label)
        app.screen.query_one(Input).value = str(tmp_path / "report.md")
        await pilot.press("enter")
        await pilot.pause()
        report = (tmp_path / "report.md").read_text(encoding="utf-8")
        assert "## Other claims" not in report
        assert claim_ids(body_of(report)) < {c.id for c in app.analysis.claims}

        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(tmp_path / "whole.md")
        await pilot.click("#export-whole")
        assert app.screen.query_one("#export-whole", Checkbox).value is True
        # JSON holds the annotations only: the switch does not apply to it
        await pilot.click("#fmt-json")
        assert app.screen.query_one("#export-whole", Checkbox).disabled
        await pilot.click("#fmt-md")
        assert not app.screen.query_one("#export-whole", Checkbox).disabled
        assert app.screen.query_one("#fmt-md", RadioButton).value
        app.screen.query_one(Input).value = str(tmp_path / "whole.md")
        await pilot.click("#export-go")
        await pilot.pause()
        whole = (tmp_path / "whole.md").read_text(encoding="utf-8")
        assert "## Other claims" in whole
        assert claim_ids(body_of(whole)) == {c.id for c in app.analysis.claims}
        assert len(whole.splitlines()) > 3 * len(report.splitlines())


def test_a_claim_touched_by_two_passages_is_shown_once() -> None:
    text = "Alpha said the troops moved. Beta denied it.\n"
    b = replace(briefing_from_text(text, "x"), title="T")
    analysis = Analysis(
        b.id,
        b.title,
        text,
        "m",
        "1",
        sources=[Source("s1", "Alpha", "person")],
        claims=[Claim("c1", 0, 28, [Span(11, 27)], source="s1")],
    )

    def mark(i: str, s: int, e: int, **kw: object) -> Annotation:
        return Annotation(i, b.id, "highlight", start=s, end=e, exact=text[s:e], **kw)  # type: ignore[arg-type]

    anns = [
        mark("1", 0, 5, meaning="doubt", tags=("doubt",)),  # "Alpha", the source's name
        mark("2", 0, 28, meaning="key", tags=("key",)),  # the whole sentence
        Annotation("3", b.id, "grade", target_type="claim", target_id="c1", grade="5"),
        Annotation("4", b.id, "tag", target_type="source", target_id="s1", tags=("press",)),
    ]
    body = body_of(export_markdown(b, anns, analysis, exported_at=WHEN))
    assert len(re.findall(r"^- Claim c1\b(?!: in passage)", body, re.M)) == 1
    first = body.split("### 2.")[0]
    # shown in full where it is first touched, with its grade; the content, since the
    # passage ("Alpha") does not hold it
    assert "- Claim c1 · credibility 5 (improbable)" in first
    assert "  - Content: the troops moved" in first
    assert first.count("Highlight + grade") == 1
    assert "- Claim c1: in passage 1" in body.split("### 2.")[1]
    assert body.count("improbable") == 1
    assert "- **Alpha** (s1): person; 1 claim\n  - Tags: `press`" in body


def test_the_whole_analysis_lists_claims_and_author_statements_apart(
    sample_analysis: tuple[Briefing, Analysis],
) -> None:
    b, analysis = sample_analysis
    whole = body_of(export_markdown(b, [], analysis, exported_at=WHEN, whole_analysis=True))
    other, own = (
        whole.split("## Other claims")[1].split("## Sources")[0].split("## Author statements")
    )
    prof = analysis.profile
    assert prof["claims"] and prof["author_statements"]
    assert other.lstrip().startswith(f"{prof['claims']} attributed claims in the briefing")
    assert own.lstrip().startswith(f"{prof['author_statements']} author statements")
    assert other.count("### Claim") == prof["claims"]
    assert own.count("### Claim") == prof["author_statements"]
    # each attributed claim says its kind; an author statement has no source
    assert other.count("- Kind: ") == prof["claims"] and "- Kind: belief" in other
    assert "- Kind: " not in own and "the author (no attribution)" in own
    sources = whole.split("## Sources")[1].split("## Actors")[0]
    assert "**Korean Central News Agency** (s" in sources and "state media;" in sources


def test_a_media_source_is_labelled_as_media(loaded_model: object) -> None:
    b = replace(
        load_briefing(str(SAMPLE)),
        text="Reuters reported that the talks had collapsed. Polls show that voters are split.",
    )
    analysis = analyze(b.text, title="t", briefing_id=b.id, model=loaded_model)  # type: ignore[arg-type]
    whole = body_of(export_markdown(b, [], analysis, exported_at=WHEN, whole_analysis=True))
    sources = whole.split("## Sources")[1].split("## Actors")[0]
    assert "**Reuters** (s1): media: press, agency or broadcaster;" in sources
    assert "Source chain: Reuters (media: press, agency or broadcaster)" in whole
    assert "- Kind: evidence" in whole
