"""Datelines, headline colons, anonymous sources and transcript openers: each case one rule,
with the text that broke it (issue 14)."""

from __future__ import annotations

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis.chunks import dateline_end, paragraphs
from brief_tui.analysis.model import Analysis


def _claims(an: Analysis) -> list[tuple[str, str | None]]:
    out = []
    for c in an.claims:
        s = an.source(c.source)
        out.append((" / ".join(an.text[f.start : f.end] for f in c.content), s.name if s else None))
    return out


@pytest.mark.parametrize(
    ("line", "dateline"),
    [
        ("WASHINGTON (AFP) - Trump said it.", "WASHINGTON (AFP)"),
        ("SEOUL, Oct 29 (Reuters) - North Korea fired.", "SEOUL, Oct 29 (Reuters)"),
        ("Washington (AFP) President Trump said it.", "Washington (AFP)"),
        ("NEW YORK, Jan. 5, 2020 (AP) -- Stocks fell.", "NEW YORK, Jan. 5, 2020 (AP)"),
        ("MOSCOW — The Kremlin said it.", "MOSCOW"),
        ("Sen. Ted Cruz (R-Texas) said it.", None),
        ("NATO — the alliance met.", None),
        ("The White House (AP) said it.", None),
    ],
)
def test_a_dateline_is_cut_off_its_paragraph(line: str, dateline: str | None) -> None:
    d = dateline_end(line, 0, len(line))
    assert (line[: d[0]] if d else None) == dateline
    if d:
        assert next(line[s:e] for s, e in paragraphs(line)) == dateline


def test_a_dateline_is_never_a_source_nor_a_claim(loaded_model) -> None:
    for text in (
        "WASHINGTON (AFP) - President Trump said on Tuesday that he would meet Kim.",
        "Washington (AFP) President Trump said on Tuesday that he would meet Kim.",
        "SEOUL, Oct 29 (Reuters) - North Korea fired two missiles, the military said.",
    ):
        an = analyze(text, model=loaded_model)
        claims = _claims(an)
        # before: "WASHINGTON" was the source, "(AFP" an author statement, and
        # "Washington (AFP) President" Trump's descriptor
        assert all("AFP" not in c and "Reuters" not in c for c, _ in claims), claims
        for s in an.sources:
            assert s.name.upper() not in {"WASHINGTON", "SEOUL", "AFP", "REUTERS"}, s
            assert "AFP" not in (s.descriptor or ""), s
        assert len([c for c in an.claims if c.cue]) == 1


def test_a_headline_colon_credits_the_name_before_it(loaded_model) -> None:
    an = analyze(
        "WikiLeaks: Clinton flattered Obama\n"
        "The emails show that Hillary Clinton praised the president.",
        model=loaded_model,
    )
    # before: an author statement "WikiLeaks: Clinton flattered Obama"
    assert ("Clinton flattered Obama", "WikiLeaks") in _claims(an)


@pytest.mark.parametrize("label", ["Update", "Photo", "Image", "10:30"])
def test_a_headline_label_or_time_is_no_source(loaded_model, label: str) -> None:
    an = analyze(
        f"{label}: Clinton flattered Obama in emails\nThe emails were released on Monday.",
        model=loaded_model,
    )
    assert all(src != label for _, src in _claims(an)), _claims(an)


def _source_of(an: Analysis, content: str):
    for c in an.claims:
        if any(content in an.text[f.start : f.end] for f in c.content):
            return an.source(c.source)
    raise AssertionError(_claims(an))


@pytest.mark.parametrize(
    ("text", "name", "descriptor", "country"),
    [
        # before: source "France", kind official, descriptor "A"
        (
            "A French diplomat, speaking on condition of anonymity, said the talks had failed.",
            "A French diplomat",
            "diplomat",
            "France",
        ),
        # before: "United States", official, descriptor "senior"
        (
            "A senior U.S. official said the strike was imminent.",
            "A senior U.S. official",
            "senior official",
            "United States",
        ),
        (
            "Officials who declined to be named said the plan was dead.",
            "Officials",
            "officials",
            None,
        ),
        (
            "A source familiar with the matter said the deal was close.",
            "A source familiar with the matter",
            "source familiar with the matter",
            None,
        ),
    ],
)
def test_an_anonymous_source_keeps_its_descriptor_and_country(
    loaded_model, text: str, name: str, descriptor: str, country: str | None
) -> None:
    s = _source_of(analyze(text, model=loaded_model), "the")
    assert s is not None
    assert (s.name, s.kind, s.actor, s.descriptor, s.country) == (
        name,
        "anonymous",
        None,
        descriptor,
        country,
    )


def test_a_countrys_military_is_a_body_of_that_country_not_the_country(loaded_model) -> None:
    an = analyze("The South Korean military said the North fired two missiles.", model=loaded_model)
    s = _source_of(an, "fired")
    assert s is not None
    # before: "South Korea", official (the country itself)
    assert s.name == "The South Korean military"
    assert s.kind == "official"
    assert s.country == "South Korea"
    a = an.actor(s.actor)
    assert a is None or a.kind == "organisation"


def test_source_country_and_unresolved_survive_json_and_cache(loaded_model) -> None:
    an = analyze(
        "A French diplomat said the talks had failed. The congressman said it was over.",
        model=loaded_model,
    )
    assert {(s.country, s.unresolved) for s in an.sources} >= {("France", False)}
    back = Analysis.from_json(an.to_json())
    assert back.sources == an.sources
    assert Analysis.from_cache(an.to_cache(), an.text).sources == an.sources
    js = an.to_json()["sources"]
    assert all("country" in s and "unresolved" in s for s in js)
    # an analysis written before 2.1 (no country, no unresolved) still reads
    old = an.to_json()
    for s in old["sources"]:
        del s["country"], s["unresolved"]
    assert all(s.country is None and not s.unresolved for s in Analysis.from_json(old).sources)


def test_discourse_openers_in_turns_make_no_claims(loaded_model) -> None:
    an = analyze(
        "WALLACE: Let me ask you about the wall. You know, it is a big issue.\n"
        "PENCE: Let me say this. I mean, the president has been clear.\n"
        "WALLACE: Well, let me tell you, the wall is coming. Let me say that it will be built.\n"
        "PENCE: I mean it.",
        model=loaded_model,
    )
    got = _claims(an)
    # before: "Let" twice as a claim (cues "ask", "say"), fillers inside the contents
    assert ("it is a big issue", "WALLACE") in got
    assert ("the president has been clear", "PENCE") in got
    assert ("the wall is coming", "WALLACE") in got
    assert ("that it will be built", "WALLACE") in got
    assert ("I mean it", "PENCE") in got  # "I mean" with an object is no filler
    for content, _ in got:
        assert len(content.split()) >= 2, got
        assert not content.lower().startswith(("let me", "you know", "i mean,")), got
