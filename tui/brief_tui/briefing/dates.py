"""The briefing's date, and one date expression turned into a calendar date.

- :func:`dateline_date` and :func:`parse_date_string`: the date of the briefing itself, from
  its first lines or a metadata value (HTML ``<meta>``, PDF ``/CreationDate``, front matter).
  They run on every open, so the forms a document states its date in are read with the
  standard library; dateparser (whose first call costs half a second) only reads the rest.
- :func:`resolve_expression`: "Tuesday", "last week", "in June", "29 October 2024" → a date
  and a precision, read by dateparser against the briefing's date, with the rules of news on
  top (a bare weekday is the most recent such day on or before the briefing's date).
- :class:`DatedEvent`: one dated mention, shared by the analysis layer's Timeline
  (``brief_tui.analysis.timeline``, from spaCy's DATE entities) and :func:`timeline`, the
  plain-text fallback used when no analysis is at hand.

Every pattern here runs on document text: each is linear (no nested quantifiers).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

Precision = str  # "day", "week", "month" or "year"

# fmt: off
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH_WORDS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
))
_WEEKDAY_WORDS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
#: words that tie a count or a unit to the briefing's date ("three years" alone is a duration)
_ANCHORS = frozenset((
    "ago", "last", "next", "this", "previous", "yesterday", "today", "tomorrow", "tonight",
))
# fmt: on


@dataclass(frozen=True, slots=True)
class DatedEvent:
    """A date expression in the text and the date it stands for.

    ``start``/``end`` are offsets of the expression in the text; ``date`` is the day, or
    the first day of the week (Monday), month or year the expression names, as
    ``precision`` says; ``sentence_start``/``sentence_end`` is the sentence it is in."""

    start: int
    end: int
    text: str
    date: _dt.date
    precision: Precision
    sentence_start: int = 0
    sentence_end: int = 0
    #: True when it was resolved against the briefing date (not written out in full)
    relative: bool = False

    @property
    def label(self) -> str:
        """The date as a reader would write it at its precision."""
        d = self.date
        if self.precision == "year":
            return f"{d.year}"
        if self.precision == "month":
            return d.strftime("%B %Y")
        if self.precision == "week":
            return f"week of {d.isoformat()}"
        return d.isoformat()


# --------------------------------------------------------------------------- one expression

#: words before the date itself: "on", "since", "early", "the end of", "mid-" …
_LEAD = re.compile(
    r"(?:on|in|since|by|until|till|through|during|from|before|after|of|at|the|early|late"
    r"|mid|earlier|later|start|beginning|end|middle)\b[\s,-]*",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_ISO = re.compile(r"\d{4}-\d\d-\d\d")
_NUMERIC_JOIN = re.compile(r"\d[-/.:]\d")
_YEAR_TOKEN = re.compile(r"1\d\d\d|20\d\d|21\d\d")
_MAX_EXPRESSION = 80


@functools.lru_cache(maxsize=64)
def _parser(prefer: str, base: _dt.date) -> DateDataParser:
    from dateparser.date import DateDataParser

    # English only: other languages read more words as dates; no timestamp parsers (a long
    # number is not a date in prose)
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": _dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "PARSERS": ["relative-time", "absolute-time"],
        },
    )


def _dateparser(core: str, base: _dt.date, prefer: str) -> tuple[_dt.datetime, str] | None:
    data = _parser(prefer, base).get_date_data(core)
    if data.date_obj is None or data.period not in ("day", "week", "month", "year"):
        return None
    return data.date_obj, str(data.period)


def _lead_stripped(expr: str) -> str:
    core = expr.strip(" \t\n,.;:()\"'“”‘’")
    for _ in range(6):  # "the end of", "early", "mid-": a few words at most
        m = _LEAD.match(core)
        if not m or m.end() == len(core):
            break
        core = core[m.end() :]
    return core


@functools.lru_cache(maxsize=16384)
def resolve_expression(
    expr: str, base: _dt.date | None, future: bool = False
) -> tuple[_dt.date, Precision, bool] | None:
    """The date ``expr`` names, its precision and whether it was read against ``base``.

    None when it is not a placeable date: a duration ("three years", "four days"), an age
    ("52"), a decade ("the 1990s"), an ordinary word ("may", "march", "sunday"), a range
    ("2024-25"), or a relative expression without a ``base``. ``future`` reads an expression
    without a year forward (a future cue in its clause: "will meet on Thursday")."""
    if len(expr) > _MAX_EXPRESSION:
        return None
    core = _lead_stripped(expr)
    tokens = _TOKEN.findall(core)
    if not tokens:
        return None
    words = [t.lower() for t in tokens]
    months = [t for t in tokens if t.lower() in _MONTH_WORDS]
    weekdays = [t for t in tokens if t.lower() in _WEEKDAY_WORDS]
    if any(not t[0].isupper() for t in months + weekdays) or len({m[:3] for m in months}) > 1:
        return None  # "troops may march", "a sunday school", "May March"
    iso = _ISO.fullmatch(core) is not None
    if not iso and _NUMERIC_JOIN.search(core):
        return None  # "2024-25", "11/9/2024" (which day?), "8:00"
    has_year = iso or any(_YEAR_TOKEN.fullmatch(t) for t in tokens)
    counts = [t for t in tokens if t.isdigit() and not (iso or _YEAR_TOKEN.fullmatch(t))]
    if "ago" not in words and any(len(t) > 2 or not months for t in counts):
        return None  # "52", "250": a count, not a date (a day goes with a month)
    if not (iso or has_year or months or weekdays or _ANCHORS.intersection(words)):
        return None  # "three years", "12 months", "8 a.m."
    relative = not has_year
    if base is None:
        if relative:
            return None
        base = _dt.date(2000, 1, 1)  # only fills parts an absolute date leaves out
    if iso or (has_year and _WRITTEN.fullmatch(core)):
        # the common full dates of long reports, read without dateparser (~1 ms a call)
        full = _safe_date(*map(int, core.split("-"))) if iso else _written_date(core)
        return (full, "day", False) if full else None
    bare_weekday = bool(weekdays) and not (months or has_year or "last" in words or "next" in words)
    bare_weekday = bare_weekday and "this" not in words
    got = _dateparser(core, base, "future" if future else "past")
    if got is None:
        return None
    when, period = got
    if when.second or when.microsecond:
        return None  # seconds arithmetic: "1990s" read as 1,990 seconds ago
    day = when.date()
    if bare_weekday and not future and day == base - _dt.timedelta(days=7):
        day = base  # news: "Tuesday" in a Tuesday briefing is that day
    if future and relative and not bare_weekday:
        # "is due in October" in an October briefing is this October, not the next
        past = _dateparser(core, base, "past")
        if past is not None and _same_period(past[0].date(), base, period):
            day = past[0].date()
    return _start_of(day, period), period, relative


def _same_period(d: _dt.date, base: _dt.date, period: str) -> bool:
    if period == "day":
        return d == base
    return period == "month" and (d.year, d.month) == (base.year, base.month)


def _start_of(d: _dt.date, period: str) -> _dt.date:
    if period == "week":
        return d - _dt.timedelta(days=d.weekday())
    if period == "month":
        return d.replace(day=1)
    if period == "year":
        return _dt.date(d.year, 1, 1)
    return d


def looks_like_a_name(text: str, start: int, end: int) -> bool:
    """ "the Sunday Times", "The Monday Club": a weekday after "the" that is part of a name."""
    before = text[max(0, start - 4) : start]
    after = text[end : end + 2]
    return (
        before.lower() == "the "
        and len(after) == 2
        and after[0] == " "
        and after[1].isupper()
        and text[start:end].lower() in _WEEKDAY_WORDS
    )


# --------------------------------------------------------------------------- plain-text fallback

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MO = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YR = r"(?:19|20)\d\d"
_DAYNUM = r"[0-3]?\d(?:st|nd|rd|th)?"
_IN = r"(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ee]arly|[Ll]ate)"
_REL = r"(?:[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious)"
_CANDIDATE_SOURCE = "|".join(
    (
        rf"\b(?:{_REL} )?{_WD}(?:,? {_MO} {_DAYNUM}(?:,? {_YR})?)?\b",
        rf"\b{_MO}(?: {_DAYNUM}(?:,? {_YR})?|,? {_YR})\b",
        # a month alone only after a preposition ("in June"; not "troops May March")
        rf"\b(?:{_IN}|{_REL}) {_MO}\b",
        rf"\b{_DAYNUM} (?:of )?{_MO}(?:,? {_YR})?\b",
        r"\b\d{4}-[01]\d-[0-3]\d\b",
        rf"\b(?:{_IN} |[Mm]id-){_YR}\b(?![-/]\d)",
        r"\b(?:[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow|[Ll]ast night"
        r"|[Tt]his (?:morning|afternoon|evening))\b",
        rf"\b(?:(?:[Ee]arlier|[Ll]ater) )?{_REL} (?:week|month|year)\b",
        r"\b(?:\d{1,3}|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight"
        r"|[Nn]ine|[Tt]en) (?:day|week|month|year)s? ago\b",
    )
)


@functools.cache
def _candidates() -> re.Pattern[str]:
    return re.compile(_CANDIDATE_SOURCE)  # compiled on first use: opening a briefing needs none


_REACH = 400


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of the line between the full stops around [start, end): the fallback's
    sentence (the analysis has spaCy's; this one does not know "Mr." from an ending)."""
    # within a reach of the expression: a line with no stop in it may be megabytes long
    line_start = text.rfind("\n", max(0, start - _REACH), start) + 1 or max(0, start - _REACH)
    line_end = text.find("\n", end, end + _REACH)
    line_end = min(len(text), end + _REACH) if line_end < 0 else line_end
    s = max(text.rfind(p, line_start, start) for p in (". ", "? ", "! "))
    s = line_start if s < 0 else s + 2
    cuts = [i for i in (text.find(p, end, line_end) for p in (". ", "? ", "! ")) if i >= 0]
    e = min(cuts) + 1 if cuts else line_end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def timeline(text: str, base_date: _dt.date | None) -> list[DatedEvent]:
    """The dated mentions of ``text`` in calendar order (then text order), found without an
    analysis: a plain-text fallback for ``brief_tui.analysis.timeline.timeline``. Every
    expression without a year is read as past (news mostly is)."""
    events: list[DatedEvent] = []
    for m in _candidates().finditer(text):
        if looks_like_a_name(text, m.start(), m.end()):
            continue
        resolved = resolve_expression(m.group(), base_date)
        if resolved is None:
            continue
        s, e = _sentence_around(text, m.start(), m.end())
        date, precision, relative = resolved
        events.append(DatedEvent(m.start(), m.end(), m.group(), date, precision, s, e, relative))
    return sorted(events, key=lambda ev: (ev.date, ev.start))


# --------------------------------------------------------------------------- the briefing date

_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_NUMERIC = re.compile(r"^\s*((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T)")
#: "29 October 2024", "29th of Oct. 2024", "October 29, 2024", "Oct. 29 2024"
_WRITTEN = re.compile(
    r"\b(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th)? (?:of )?(?P<m1>[A-Z][a-z]{2,8})\.?"
    r"|(?P<m2>[A-Z][a-z]{2,8})\.? (?P<d2>[0-3]?\d)(?:st|nd|rd|th)?),? (?P<y>(?:19|20)\d\d)\b"
)
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _written_date(s: str) -> _dt.date | None:
    """The first day written out with its year in ``s``, read with the standard library."""
    for m in _WRITTEN.finditer(s):
        name = (m.group("m1") or m.group("m2")).lower()
        if name not in _MONTH_WORDS:
            continue
        d = _safe_date(int(m.group("y")), _MONTHS[name[:3]], int(m.group("d1") or m.group("d2")))
        if d:
            return d
    return None


def parse_date_string(value: str | None) -> _dt.date | None:
    """A date from a metadata value: ISO dates and datetimes, PDF ``D:YYYYMMDD…``,
    RFC 2822 ("Tue, 29 Oct 2024 08:00:00 GMT"), written dates ("29 October 2024"), and
    what else dateparser reads as a day with a year."""
    if not value:
        return None
    value = value.strip()[:200]
    m = _PDF_DATE.match(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    m = _NUMERIC.match(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    written = _written_date(value)  # (RFC 2822 too: "Tue, 29 Oct 2024 08:00:00 GMT")
    if written or not _HAS_YEAR.search(value):
        return written
    try:
        from email.utils import parsedate_to_datetime  # (the email package: 8 ms to import)

        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser_day(value)


@functools.lru_cache(maxsize=256)
def _dateparser_day(value: str) -> _dt.date | None:
    from dateparser import parse

    got = parse(
        value,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]},
    )
    return got.date() if got else None


_LABELLED = re.compile(
    r"^\W*(?:published|updated|posted|date|dated|last\s+updated|first\s+published)\b\s*(?:on|:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_WIRE = re.compile(r"^(?P<place>[A-Z][A-Z .'’/-]{1,40}),?\s+(?P<rest>.{6,60}?)\s*(?:\(|[-—–])")


def dateline_date(text: str) -> _dt.date | None:
    """The briefing's date from its first lines: a "Published: …" / "Date: …" line, a wire
    dateline ("SEOUL, Oct. 29, 2024 (Reuters) —"), or a short line that is a date.
    Only full dates (with a year) count."""
    lines = [ln.strip() for ln in text[:3000].split("\n") if ln.strip()][:12]
    for line in lines:
        m = _LABELLED.match(line)
        if m:
            d = parse_date_string(m.group("rest")[:80])
            if d:
                return d
    for line in lines[:6]:
        m = _WIRE.match(line)
        if m:
            d = _written_date(m.group("rest"))
            if d:
                return d
    for line in lines[:6]:
        if len(line) <= 60:
            d = _written_date(line)
            if d:
                return d
    return None
