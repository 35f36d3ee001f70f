"""The briefing's date, and the dates its text speaks of, resolved against it.

``resolve_dates(text, base_date)`` finds date expressions ("on Tuesday", "last week",
"in June", "this year", "29 October 2024", "two days ago" …) and turns each into a
calendar date with a precision, for a Timeline. News is mostly told in the past tense, so
a bare weekday is the most recent such day on or before the briefing date, and a month
(or a day) without a year is the most recent one on or before it; an explicit future cue
in the same clause ("will meet on Thursday", "is due in June", "on 5 November will
decide") turns the search forward.

Standard library only, no state: every function takes what it needs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass

Precision = str  # "day", "week", "month" or "year"

MONTHS: dict[str, int] = {}
# word tables stay compact
# fmt: off
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
# fmt: on
for _i, _name in enumerate(_MONTH_NAMES, start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}

# fmt: off
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
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


# --------------------------------------------------------------------------- patterns

_MONTH = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PREP = (
    r"(?:(?:on|in|since|by|until|till|through|during|from|before|after|of|early|late|mid-?"
    r"|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)\s+)"
)

#: compiled on first use (10 ms: opening a briefing whose first lines hold no year skips it)
_PATTERN_SOURCE = "|".join(
    (
        # 2024-10-29
        r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
        # (on) October 29, 2024 / Oct. 29 2024 / Tuesday, October 29, 2024
        r"(?P<mdy>\b(?:on\s+)?(?:"
        + _WEEKDAY.replace("wd", "wd1")
        + r",?\s+)?"
        + _MONTH.format(g="m1")
        + r"\s+"
        + _DAY.format(g="d1")
        + r"(?:,?\s+(?P<y1>(?:19|20)\d\d))?\b(?!\s*[:.]?\d))",
        # (on) 29 October 2024 / 29th of October
        r"(?P<dmy>\b(?:on\s+)?(?:"
        + _WEEKDAY.replace("wd", "wd2")
        + r",?\s+)?"
        + _DAY.format(g="d2")
        + r"\s+(?:of\s+)?"
        + _MONTH.format(g="m2")
        + r"(?:,?\s+(?P<y2>(?:19|20)\d\d))?\b)",
        # (in) October 2024
        r"(?P<my>\b" + _PREP + r"?" + _MONTH.format(g="m3") + r",?\s+(?P<y3>(?:19|20)\d\d)\b)",
        # in June / since March / early May
        r"(?P<mo>\b" + _PREP + r"(?:(?P<mrel>last|next|this)\s+)?" + _MONTH.format(g="m4") + r"\b)",
        # in 2023 / since 2022 / early 2024
        r"(?P<yr>\b" + _PREP + r"(?P<y5>(?:19|20)\d\d)\b(?![-/]\d))",
        # (on|last|next|this) Tuesday (morning)
        r"(?P<wk>\b(?:(?P<wrel>on|last|next|this|early|late)\s+)?"
        + _WEEKDAY
        + r"(?:\s+(?:morning|afternoon|evening|night))?\b)",
        # today, yesterday, tomorrow, tonight, this morning, last night
        (
            r"(?P<rel>\b(?:(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
            r"|(?P<yest>yesterday|last\s+night)|(?P<tom>tomorrow))\b)"
        ),
        # last week / this year / earlier this month / next year
        (
            r"(?P<per>\b(?:(?:earlier|later)\s+)?(?P<prel>last|this|next|previous)\s+"
            r"(?P<unit>week|month|year)\b)"
        ),
        # two days ago / 3 weeks ago
        (
            r"(?P<ago>\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten"
            r"|eleven|twelve)\s+(?P<aunit>day|week|month|year)s?\s+ago\b)"
        ),
    )
)


@functools.cache
def _pattern() -> re.Pattern[str]:
    return re.compile(_PATTERN_SOURCE, re.IGNORECASE)


#: words that put the event after the briefing date when they precede it in the clause
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|'ll|is\s+to|are\s+to|(?:is|are|was|were)\s+due|due\s+to|plans?\s+to"
    r"|planned|scheduled|expected\s+to|set\s+to|(?:is|are)\s+going\s+to|upcoming|coming)\b",
    re.IGNORECASE,
)

_FUTURE_AFTER = re.compile(
    r"^[\s,]*(?:will|shall|is\s+to|are\s+to|(?:is|are)\s+(?:due|scheduled|expected|set|planned))\b",
    re.IGNORECASE,
)

_CAPITALISED = ("m1", "m2", "m3", "m4", "wd")


# --------------------------------------------------------------------------- sentences

# fmt: off
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen",
    "rep", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "corp", "co", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g",
    "i.e", "approx", "est", "dept",
))
# fmt: on
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE_STOP = re.compile(r"([A-Za-z.]+)\.$")
_ABBREVIATION_REACH = 24


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a line end always ends a sentence (headlines)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        s = line.group()
        start = 0
        for m in _SENTENCE_END.finditer(s):
            # the word before the stop, looked for in its last characters only (searching
            # the sentence so far made a line of "a. a. a." quadratic)
            before = s[max(start, m.start() - _ABBREVIATION_REACH) : m.start() + 1]
            word = _WORD_BEFORE_STOP.search(before)
            if word and (
                word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1
            ):
                continue
            end = m.end()
            chunk = s[start:end]
            stripped = chunk.rstrip()
            if stripped.strip():
                lead = len(chunk) - len(chunk.lstrip())
                spans.append((base + start + lead, base + start + len(stripped)))
            start = end
        chunk = s[start:]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((base + start + lead, base + start + len(chunk.rstrip())))
    return spans


# --------------------------------------------------------------------------- resolution


def _month_of(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _add_months(d: _dt.date, months: int) -> _dt.date:
    total = d.year * 12 + (d.month - 1) + months
    return _dt.date(total // 12, total % 12 + 1, 1)


def _is_future(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """A future cue in the clause before the expression, or right after it when the
    expression opens its sentence ("On Monday, the leaders will meet")."""
    s0, s1 = sentence
    before = text[max(s0, start - 60) : start]
    clause = re.split(r"[,;:]\s", before)[-1] if ", " in before else before
    if re.search(r"\bsaid\b|\bsays\b|\btold\b", clause):
        clause = re.split(r"\bsaid\b|\bsays\b|\btold\b", clause)[-1]
    if _FUTURE_CUE.search(clause) or _FUTURE_AFTER.match(text[end : min(s1, end + 40)]):
        return True
    if text[s0:start].strip(' "“‘(') == "":
        return bool(_FUTURE_CUE.search(text[end : min(s1, end + 50)]))
    return False


def _undated_year(month: int, day: int, base: _dt.date, future: bool) -> _dt.date | None:
    cand = _safe_date(base.year, month, day)
    if cand is None:
        return None
    if future:
        if cand < base:
            return _safe_date(base.year + 1, month, day)
        return cand
    if cand > base:
        return _safe_date(base.year - 1, month, day)
    return cand


def _resolve(
    m: re.Match[str], text: str, base: _dt.date | None, sentence: tuple[int, int]
) -> tuple[_dt.date, Precision, bool] | None:
    g = m.groupdict()
    for key in _CAPITALISED:
        if g.get(key) and not g[key][0].isupper():
            return None  # "may", "march", "sun…" as ordinary words
    for key in ("wd1", "wd2"):
        if g.get(key) and not g[key][0].isupper():
            return None
    start, end = m.start(), m.end()

    def future() -> bool:
        return _is_future(text, start, end, sentence)

    if g["iso"]:
        d = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
        return (d, "day", False) if d else None
    if g["mdy"] or g["dmy"]:
        month = _month_of(g["m1"] or g["m2"])
        day = int(g["d1"] or g["d2"])
        year = g["y1"] or g["y2"]
        if year:
            d = _safe_date(int(year), month, day)
            return (d, "day", False) if d else None
        if base is None or not 1 <= day <= 31:
            return None
        d = _undated_year(month, day, base, future())
        return (d, "day", True) if d else None
    if g["my"]:
        return _dt.date(int(g["y3"]), _month_of(g["m3"]), 1), "month", False
    if g["mo"]:
        if base is None:
            return None
        month = _month_of(g["m4"])
        rel = (g["mrel"] or "").lower()
        if rel == "this":
            return _dt.date(base.year, month, 1), "month", True
        if rel == "last":
            year = base.year if month < base.month else base.year - 1
            return _dt.date(year, month, 1), "month", True
        if rel == "next":
            year = base.year if month > base.month else base.year + 1
            return _dt.date(year, month, 1), "month", True
        cand = _dt.date(base.year, month, 1)
        if future():
            if month < base.month:
                cand = _dt.date(base.year + 1, month, 1)
        elif month > base.month:
            cand = _dt.date(base.year - 1, month, 1)
        return cand, "month", True
    if g["yr"]:
        return _dt.date(int(g["y5"]), 1, 1), "year", False
    if g["wk"]:
        if base is None:
            return None
        wd = WEEKDAYS[g["wd"].lower()]
        rel = (g["wrel"] or "").lower()
        back = (base.weekday() - wd) % 7  # days back to the most recent such day (0 = today)
        ahead = (wd - base.weekday()) % 7
        if rel == "last":
            d = base - _dt.timedelta(days=back or 7)
        elif rel == "next":
            d = base + _dt.timedelta(days=ahead or 7)
        elif rel == "this":
            d = _monday(base) + _dt.timedelta(days=wd)
        elif future():
            d = base + _dt.timedelta(days=ahead or 7)
        else:
            d = base - _dt.timedelta(days=back)
        return d, "day", True
    if g["rel"]:
        if base is None:
            return None
        if g["today"]:
            return base, "day", True
        if g["yest"]:
            return base - _dt.timedelta(days=1), "day", True
        return base + _dt.timedelta(days=1), "day", True
    if g["per"]:
        if base is None:
            return None
        step = {"last": -1, "previous": -1, "this": 0, "next": 1}[g["prel"].lower()]
        unit = g["unit"].lower()
        if unit == "week":
            return _monday(base) + _dt.timedelta(weeks=step), "week", True
        if unit == "month":
            return _add_months(base, step), "month", True
        return _dt.date(base.year + step, 1, 1), "year", True
    if g["ago"]:
        if base is None:
            return None
        raw = g["n"].lower()
        n = _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(raw)
        unit = g["aunit"].lower()
        try:
            if unit == "day":
                return base - _dt.timedelta(days=n), "day", True
            if unit == "week":
                return _monday(base - _dt.timedelta(weeks=n)), "week", True
            if unit == "month":
                return _add_months(base, -n), "month", True
            return _dt.date(base.year - n, 1, 1), "year", True
        except (OverflowError, ValueError):
            return None
    return None


def resolve_dates(text: str, base_date: _dt.date | None) -> list[DatedEvent]:
    """Every date expression of ``text`` that can be placed on a calendar, in text order.

    Without a ``base_date`` only the dates written out in full (with a year) are returned."""
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    events: list[DatedEvent] = []
    for m in _pattern().finditer(text):
        i = bisect_right(starts, m.start()) - 1
        sentence = sentences[i] if i >= 0 else (m.start(), m.end())
        if sentence[1] < m.start():
            sentence = (m.start(), m.end())
        resolved = _resolve(m, text, base_date, sentence)
        if resolved is None:
            continue
        date, precision, relative = resolved
        events.append(
            DatedEvent(
                start=m.start(),
                end=m.end(),
                text=m.group(),
                date=date,
                precision=precision,
                sentence_start=sentence[0],
                sentence_end=sentence[1],
                relative=relative,
            )
        )
    return events


def timeline(text: str, base_date: _dt.date | None) -> list[DatedEvent]:
    """The dated events of ``text`` in calendar order (then text order), for a Timeline."""
    return sorted(resolve_dates(text, base_date), key=lambda e: (e.date, e.start))


# --------------------------------------------------------------------------- the briefing date

_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_NUMERIC = re.compile(r"^\s*((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T)")


def parse_date_string(value: str | None) -> _dt.date | None:
    """A date from a metadata value: ISO dates and datetimes, PDF ``D:YYYYMMDD…``,
    RFC 2822 ("Tue, 29 Oct 2024 08:00:00 GMT") and written dates ("29 October 2024")."""
    if not value:
        return None
    value = value.strip()
    m = _PDF_DATE.match(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    m = _NUMERIC.match(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        from email.utils import parsedate_to_datetime  # (the email package: 20 ms to import)

        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    for ev in resolve_dates(value, None):
        if ev.precision == "day":
            return ev.date
    return None


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
            d = _first_full_date(m.group("rest"))
            if d:
                return d
    for line in lines[:6]:
        if len(line) <= 60:
            d = _first_full_date(line)
            if d:
                return d
    return None


_YEAR = re.compile(r"(?:19|20)\d\d")


def _first_full_date(s: str) -> _dt.date | None:
    if not _YEAR.search(s):  # a full date has a year
        return None
    for ev in resolve_dates(s, None):
        if ev.precision == "day" and not ev.relative:
            return ev.date
    return None
