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
