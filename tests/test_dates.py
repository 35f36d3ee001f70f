"""The briefing date and the resolution of the dates a text speaks of (for the Timeline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text, load_briefing
from brief_tui.briefing.dates import (
    DatedEvent,
    dateline_date,
    parse_date_string,
    resolve_dates,
    sentence_spans,
    timeline,
)

TUESDAY = dt.date(2024, 10, 29)  # the briefing date of most cases below: a Tuesday


def resolved(text: str, base: dt.date | None = TUESDAY) -> dict[str, tuple[dt.date, str]]:
    return {e.text: (e.date, e.precision) for e in resolve_dates(text, base)}


@pytest.mark.parametrize(
    ("text", "expression", "date", "precision"),
    [
        ("The agency briefed lawmakers on Tuesday.", "on Tuesday", TUESDAY, "day"),
        ("Yoon said Monday the troops could join.", "Monday", dt.date(2024, 10, 28), "day"),
        ("Officials met on Wednesday.", "on Wednesday", dt.date(2024, 10, 23), "day"),
        ("He left last Tuesday.", "last Tuesday", dt.date(2024, 10, 22), "day"),
        ("Talks will resume on Thursday.", "on Thursday", dt.date(2024, 10, 31), "day"),
        ("They meet next Monday.", "next Monday", dt.date(2024, 11, 4), "day"),
        ("Troops arrived last week.", "last week", dt.date(2024, 10, 21), "week"),
        ("More will come next week.", "next week", dt.date(2024, 11, 4), "week"),
        ("Kim met Putin in June.", "in June", dt.date(2024, 6, 1), "month"),
        ("In December they signed a pact.", "In December", dt.date(2023, 12, 1), "month"),
        ("The summit is due in December.", "in December", dt.date(2024, 12, 1), "month"),
        ("Exports rose this year.", "this year", dt.date(2024, 1, 1), "year"),
        ("Exports fell last year.", "last year", dt.date(2023, 1, 1), "year"),
        ("Earlier this month the NIS warned.", "Earlier this month", dt.date(2024, 10, 1), "month"),
        ("It began in 2022.", "in 2022", dt.date(2022, 1, 1), "year"),
        ("Since March 2022 it grew.", "Since March 2022", dt.date(2022, 3, 1), "month"),
        ("It was signed on 19 June 2024.", "on 19 June 2024", dt.date(2024, 6, 19), "day"),
        ("It was signed on June 19, 2024.", "on June 19, 2024", dt.date(2024, 6, 19), "day"),
        ("Filed 2024-10-01 in Seoul.", "2024-10-01", dt.date(2024, 10, 1), "day"),
        ("It was signed on Oct. 3.", "on Oct. 3", dt.date(2024, 10, 3), "day"),
        ("The vote on Nov. 5 was close.", "on Nov. 5", dt.date(2023, 11, 5), "day"),
        ("The vote on Nov. 5 will be close.", "on Nov. 5", dt.date(2024, 11, 5), "day"),
        ("Two days ago the border closed.", "Two days ago", dt.date(2024, 10, 27), "day"),
        ("It happened yesterday.", "yesterday", dt.date(2024, 10, 28), "day"),
        ("Seoul said today it would respond.", "today", TUESDAY, "day"),
    ],
)
def test_expressions_resolve_against_the_briefing_date(
    text: str, expression: str, date: dt.date, precision: str
) -> None:
    assert resolved(text)[expression] == (date, precision)


def test_weekday_is_the_most_recent_on_or_before_the_briefing_date() -> None:
    sunday = dt.date(2024, 11, 3)
    got = resolved("Troops moved Saturday, after talks on Sunday and a call on Monday.", sunday)
    assert got["Saturday"][0] == dt.date(2024, 11, 2)
    assert got["on Sunday"][0] == sunday
    assert got["on Monday"][0] == dt.date(2024, 10, 28)


def test_ordinary_words_are_not_dates() -> None:
    text = "Troops may march north. Protesters will march in may. A sunday school opened."
    assert resolve_dates(text, TUESDAY) == []


def test_without_a_briefing_date_only_full_dates_are_resolved() -> None:
    got = resolved(
        "On Tuesday, 12 troops left; on 1 May 2024 and in 2023 more went; last week too.", None
    )
    assert set(got) == {"on 1 May 2024", "in 2023"}


def test_events_link_to_their_sentence_by_offsets() -> None:
    text = (
        "Seoul warns on troops\n"
        "Lee Seong-kweun said on Tuesday that the NIS was watching. "
        "Mr. Lee added that Kim met Putin in June."
    )
    events = resolve_dates(text, TUESDAY)
    assert [e.text for e in events] == ["on Tuesday", "in June"]
    first, second = events
    assert text[first.start : first.end] == "on Tuesday"
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


def test_timeline_is_in_calendar_order() -> None:
    text = "Talks happened on Monday. The war began in 2022. Troops arrived last week."
    got = timeline(text, TUESDAY)
    assert [e.text for e in got] == ["in 2022", "last week", "on Monday"]
    assert all(isinstance(e, DatedEvent) for e in got)
    assert got[1].label == "week of 2024-10-21"


def test_sentence_spans_keep_abbreviations_and_lines() -> None:
    text = "Headline without stop\nU.S. officials said so. Gen. Kim agreed. It ended."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Headline without stop",
        "U.S. officials said so.",
        "Gen. Kim agreed.",
        "It ended.",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-29", dt.date(2024, 10, 29)),
        ("2024-10-29T08:00:00+09:00", dt.date(2024, 10, 29)),
        ("D:20241029083000+09'00'", dt.date(2024, 10, 29)),
        ("Tue, 29 Oct 2024 08:00:00 GMT", dt.date(2024, 10, 29)),
        ("29 October 2024", dt.date(2024, 10, 29)),
        ("October 29, 2024 at 8:00", dt.date(2024, 10, 29)),
        ("yesterday", None),
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
    events = {e.text: e.date for e in resolve_dates(b.text, b.date)}
    assert events["on Tuesday"] == TUESDAY and events["last week"] == dt.date(2024, 10, 21)
