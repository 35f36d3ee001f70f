"""The briefing date, and the dates a text speaks of placed on a calendar (the Timeline):
spaCy's DATE entities read by dateparser against the briefing's date, with the rules of news
(analysis/timeline.py), one expression at a time (briefing.dates.resolve_expression), and the
plain-text fallback used without an analysis (briefing.dates.timeline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis.model import Analysis
from brief_tui.analysis.timeline import timeline as analysis_timeline
from brief_tui.analysis.timeline import timeline_of
from brief_tui.briefing import briefing_from_text, load_briefing
from brief_tui.briefing.dates import (
    DatedEvent,
    dateline_date,
    parse_date_string,
    resolve_expression,
    timeline,
)

TUESDAY = dt.date(2024, 10, 29)  # the briefing date of most cases below: a Tuesday

# (sentence, the DATE entity spaCy finds in it, the date, its precision)
CASES = [
    ("The agency briefed lawmakers on Tuesday.", "Tuesday", TUESDAY, "day"),
    ("Yoon said Monday the troops could join.", "Monday", dt.date(2024, 10, 28), "day"),
    ("Officials met on Wednesday.", "Wednesday", dt.date(2024, 10, 23), "day"),
    ("He left last Tuesday.", "last Tuesday", dt.date(2024, 10, 22), "day"),
    ("Talks will resume on Thursday.", "Thursday", dt.date(2024, 10, 31), "day"),
    ("They meet next Monday.", "next Monday", dt.date(2024, 11, 4), "day"),
    ("Troops arrived last week.", "last week", dt.date(2024, 10, 21), "week"),
    ("More will come next week.", "next week", dt.date(2024, 11, 4), "week"),
    ("Kim met Putin in June.", "June", dt.date(2024, 6, 1), "month"),
    ("In December they signed a pact.", "December", dt.date(2023, 12, 1), "month"),
    ("The summit is due in December.", "December", dt.date(2024, 12, 1), "month"),
    ("Exports rose this year.", "this year", dt.date(2024, 1, 1), "year"),
    ("Exports fell last year.", "last year", dt.date(2023, 1, 1), "year"),
    ("Earlier this month the NIS warned.", "Earlier this month", dt.date(2024, 10, 1), "month"),
    ("Output fell earlier this year.", "earlier this year", dt.date(2024, 1, 1), "year"),
    ("It began in 2022.", "2022", dt.date(2022, 1, 1), "year"),
    ("Since March 2022 it grew.", "March 2022", dt.date(2022, 3, 1), "month"),
    ("It was signed on 19 June 2024.", "19 June 2024", dt.date(2024, 6, 19), "day"),
    ("It was signed on June 19, 2024.", "June 19, 2024", dt.date(2024, 6, 19), "day"),
    ("Filed 2024-10-01 in Seoul.", "2024-10-01", dt.date(2024, 10, 1), "day"),
    ("It was signed on Oct. 3.", "Oct. 3", dt.date(2024, 10, 3), "day"),
    ("The vote on Nov. 5 was close.", "Nov. 5", dt.date(2023, 11, 5), "day"),
    ("The vote on Nov. 5 will be close.", "Nov. 5", dt.date(2024, 11, 5), "day"),
    ("Two days ago the border closed.", "Two days ago", dt.date(2024, 10, 27), "day"),
    ("It happened yesterday.", "yesterday", dt.date(2024, 10, 28), "day"),
    ("Seoul said today it would respond.", "today", TUESDAY, "day"),
    ("The shelling last night was heavy.", "last night", dt.date(2024, 10, 28), "day"),
]


@pytest.fixture(scope="module")
def cases_analysis(loaded_model) -> Analysis:
    """Every case a line of its own, analysed once."""
    return analyze("\n".join(c[0] for c in CASES), model=loaded_model)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


@pytest.mark.parametrize(("sentence", "entity", "date", "precision"), CASES)
def test_date_entities_resolve_against_the_briefing_date(
    cases_analysis: Analysis, sentence: str, entity: str, date: dt.date, precision: str
) -> None:
    line = [c[0] for c in CASES].index(sentence)
    got = {
        ev.text: (ev.date, ev.precision)
        for ev in analysis_timeline(cases_analysis, TUESDAY)
        if _line_of(cases_analysis.text, ev.start) == line
    }
    assert got == {entity: (date, precision)}


def test_ordinary_words_and_names_are_not_dates(loaded_model) -> None:
    text = (
        "Troops may march north. Protesters will march in may. A sunday school opened.\n"
        "The Sunday Times reported that the troops May March.\n"
        "He served for three years and four days, aged 52, in the 1990s.\n"
        "The fiscal 2024-25 budget grew for 12 months. They met at 8 a.m."
    )
    an = analyze(text, model=loaded_model)
    assert any(e.label in ("DATE", "TIME") for e in an.entities)  # spaCy did see some
    assert analysis_timeline(an, TUESDAY) == []
    assert timeline(text, TUESDAY) == []


def test_events_link_to_their_sentence_by_offsets(loaded_model) -> None:
    text = (
        "Seoul warns on troops\n"
        "Lee Seong-kweun said on Tuesday that the NIS was watching. "
        "Mr. Lee added that Kim met Putin in June."
    )
    events = sorted(
        analysis_timeline(analyze(text, model=loaded_model), TUESDAY), key=lambda e: e.start
    )
    assert [e.text for e in events] == ["Tuesday", "June"]
    first, second = events
    assert text[first.start : first.end] == "Tuesday"
    assert (
        text[first.sentence_start : first.sentence_end]
        == "Lee Seong-kweun said on Tuesday that the NIS was watching."
    )
    assert (
        text[second.sentence_start : second.sentence_end]
        == "Mr. Lee added that Kim met Putin in June."
    )
    assert first.relative and second.relative
    assert (first.label, second.label) == ("2024-10-29", "June 2024")


def test_analysis_timeline_is_in_calendar_order_and_needs_a_date_for_relative_ones(
    loaded_model,
) -> None:
    an = analyze(
        "Talks happened on Monday. The war began in 2022. Troops arrived last week. "
        "It was signed on 19 June 2024.",
        model=loaded_model,
    )
    got = analysis_timeline(an, TUESDAY)
    assert [e.text for e in got] == ["2022", "19 June 2024", "last week", "Monday"]
    assert all(isinstance(e, DatedEvent) for e in got)
    assert got[2].label == "week of 2024-10-21"
    assert [e.text for e in analysis_timeline(an, None)] == ["2022", "19 June 2024"]


def test_the_sample_briefing_timeline(loaded_model, sample_text: str) -> None:
    an = analyze(sample_text, model=loaded_model)
    got = {(e.text, e.label) for e in analysis_timeline(an, TUESDAY)}
    assert ("Tuesday", "2024-10-29") in got and ("Monday", "2024-10-28") in got
    assert ("this year", "2024") in got
    # what the reader calls: the analysis when it is of this text, else the text alone
    assert timeline_of(an, sample_text, TUESDAY) == analysis_timeline(an, TUESDAY)
    assert timeline_of(None, sample_text, TUESDAY) == timeline(sample_text, TUESDAY)
    assert "Friday" in {e.text for e in timeline_of(an, sample_text + " On Friday.", TUESDAY)}


# ---------------------------------------------------------------- one expression, rule by rule


def _date(expression: str, base: dt.date | None = TUESDAY, future: bool = False) -> dt.date:
    got = resolve_expression(expression, base, future)
    assert got is not None, expression
    return got[0]


def test_news_rule_a_bare_weekday_is_the_most_recent_on_or_before_the_briefing_date() -> None:
    sunday = dt.date(2024, 11, 3)
    assert resolve_expression("Saturday", sunday) == (dt.date(2024, 11, 2), "day", True)
    assert resolve_expression("on Sunday", sunday) == (sunday, "day", True)
    assert resolve_expression("Monday", sunday) == (dt.date(2024, 10, 28), "day", True)
    assert resolve_expression("Tuesday morning", TUESDAY) == (TUESDAY, "day", True)
    # "last" and "next" say which one; a future cue reads forward (never the day itself)
    assert _date("last Sunday", sunday) == dt.date(2024, 10, 27)
    assert _date("Tuesday", TUESDAY, True) == dt.date(2024, 11, 5)


@pytest.mark.parametrize(
    ("expression", "date", "precision"),
    [
        ("29 October 2024", TUESDAY, "day"),
        ("October 2024", dt.date(2024, 10, 1), "month"),
        ("2023", dt.date(2023, 1, 1), "year"),
        ("this week", dt.date(2024, 10, 28), "week"),
        ("two weeks ago", dt.date(2024, 10, 14), "week"),
        ("last month", dt.date(2024, 9, 1), "month"),
        ("a decade ago", dt.date(2014, 1, 1), "year"),
        ("early 2024", dt.date(2024, 1, 1), "year"),
        ("mid-2023", dt.date(2023, 1, 1), "year"),
        ("the start of March 2022", dt.date(2022, 3, 1), "month"),
    ],
)
def test_precision_is_day_week_month_or_year(
    expression: str, date: dt.date, precision: str
) -> None:
    assert resolve_expression(expression, TUESDAY) == (date, precision, "20" not in expression)


@pytest.mark.parametrize(
    ("expression", "past", "future"),
    [
        ("in June", dt.date(2024, 6, 1), dt.date(2025, 6, 1)),
        ("December", dt.date(2023, 12, 1), dt.date(2024, 12, 1)),
        # the briefing's own month and day stay where they are, either way
        ("October", dt.date(2024, 10, 1), dt.date(2024, 10, 1)),
        ("Oct. 29", TUESDAY, TUESDAY),
        ("last week", dt.date(2024, 10, 21), dt.date(2024, 10, 21)),  # says its own direction
    ],
)
def test_expressions_without_a_year_read_back_or_forward(
    expression: str, past: dt.date, future: dt.date
) -> None:
    assert _date(expression) == past
    assert _date(expression, TUESDAY, True) == future


def test_without_a_briefing_date_only_dates_with_a_year_are_placed() -> None:
    assert resolve_expression("19 June 2024", None) == (dt.date(2024, 6, 19), "day", False)
    assert resolve_expression("March 2022", None) == (dt.date(2022, 3, 1), "month", False)
    for relative in ("Tuesday", "last week", "in June", "earlier this year", "yesterday"):
        assert resolve_expression(relative, None) is None, relative


@pytest.mark.parametrize(
    "expression",
    [
        "may",  # the verb
        "march",  # the verb
        "May March",  # "troops May March" (two months: not one date)
        "sunday",  # "a sunday school"
        "Sunday Times",
        "three years",  # durations
        "12 months",
        "52",  # an age
        "the 1990s",  # a decade: 1,990 seconds ago to dateparser
        "2024-25",  # a fiscal year
        "11/9/2024",  # which day?
        "8 a.m.",
        "1700000000",  # a timestamp to dateparser's default parsers
        "Mardi",  # other languages are not read
        "2 mai 2024",
        "x" * 200,
    ],
)
def test_what_is_not_a_date(expression: str) -> None:
    assert resolve_expression(expression, TUESDAY) is None


def test_the_sunday_times_is_a_name_in_text() -> None:
    text = "The Sunday Times said so. On Sunday Kim left."
    assert [(e.start, e.date) for e in timeline(text, TUESDAY)] == [(29, dt.date(2024, 10, 27))]


# ---------------------------------------------------------------- the plain-text fallback


def test_fallback_timeline_is_in_calendar_order() -> None:
    text = "Talks happened on Monday. The war began in 2022. Troops arrived last week."
    got = timeline(text, TUESDAY)
    assert [e.text for e in got] == ["in 2022", "last week", "Monday"]
    assert got[1].label == "week of 2024-10-21"
    assert text[got[2].sentence_start : got[2].sentence_end] == "Talks happened on Monday."


def test_fallback_without_a_briefing_date_places_only_full_dates() -> None:
    got = timeline(
        "On Tuesday, 12 troops left; on 1 May 2024 and in 2023 more went; last week too.", None
    )
    assert {e.text for e in got} == {"1 May 2024", "in 2023"}


def test_fallback_on_one_endless_line_keeps_its_sentences_short() -> None:
    # a hostile document: megabyte lines without a stop, date words all along
    text = "on Monday and in June " * 20_000
    got = timeline(text, TUESDAY)
    assert len(got) == 40_000
    assert max(e.sentence_end - e.sentence_start for e in got) <= 820


# ---------------------------------------------------------------- the briefing's own date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-29", dt.date(2024, 10, 29)),
        ("2024-10-29T08:00:00+09:00", dt.date(2024, 10, 29)),
        ("D:20241029083000+09'00'", dt.date(2024, 10, 29)),
        ("Tue, 29 Oct 2024 08:00:00 GMT", dt.date(2024, 10, 29)),
        ("29 October 2024", dt.date(2024, 10, 29)),
        ("October 29, 2024 at 8:00", dt.date(2024, 10, 29)),
        ("29.10.2024", dt.date(2024, 10, 29)),  # read by dateparser
        ("yesterday", None),
        ("October 2024", None),  # not a day
        ("", None),
        (None, None),
        ("2024-02-30", None),
    ],
)
def test_parse_date_string(value: str | None, expected: dt.date | None) -> None:
    assert parse_date_string(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEOUL, Oct. 29, 2024 (Reuters) - North Korea said troops moved.", dt.date(2024, 10, 29)),
        (
            "Headline\nBy Jane Roe\nPublished: 29 October 2024 08:00 KST\nBody text.",
            dt.date(2024, 10, 29),
        ),
        ("Headline\nTuesday, October 29, 2024\nBody text.", dt.date(2024, 10, 29)),
        (
            "Headline\nThe war began on 24 February 2022, "
            "officials recalled at length in a long first paragraph.",
            None,
        ),
        ("Seoul warns on troops\nSouth Korea warned on Tuesday.", None),
    ],
)
def test_dateline(text: str, expected: dt.date | None) -> None:
    assert dateline_date(text) == expected


def test_briefing_date_from_each_kind_of_source(tmp_path: Path) -> None:
    assert (
        briefing_from_text("SEOUL, Oct. 29, 2024 (Yonhap) -- Troops moved.", "<stdin>").date
        == TUESDAY
    )
    assert briefing_from_text("No date here.\n", "<stdin>").date is None
    assert briefing_from_text("x", "<stdin>", date=dt.date(2020, 1, 1)).date == dt.date(2020, 1, 1)
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>T</title><meta name='date' content='2024-10-29'></head><body><article>"
        "<p>South Korea warned on Tuesday that North Korean troops may be moving to the frontline, "
        "officials said after a closed-door session with lawmakers in Seoul.</p>"
        "<p>The spy agency said last week that more troops would follow in the coming months.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    b = load_briefing(page)
    assert b.date == TUESDAY
    events = {e.text: e.date for e in timeline(b.text, b.date)}
    assert events["Tuesday"] == TUESDAY and events["last week"] == dt.date(2024, 10, 21)
