"""The Timeline: spaCy's DATE (and day-naming TIME) entities placed on the calendar.

``timeline(analysis, base_date)`` reads each entity with dateparser against the briefing's
date (``briefing.dates.resolve_expression``: precision day / week / month / year, and news's
rule that a bare weekday is the most recent one on or before the briefing's date), reads its
clause for a future cue ("will meet on Thursday", "is due in December") that turns an
expression without a year forward, and ties it to its sentence. No spaCy call here: the
entities and sentences are the analysis's own, so the Timeline costs a pass over them and
one dateparser call per distinct expression.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right

from brief_tui.briefing.dates import DatedEvent, looks_like_a_name, resolve_expression
from brief_tui.briefing.dates import timeline as text_timeline

from .model import Analysis

#: a TIME entity names a day only with one of these ("last night", "Tuesday morning");
#: "8 a.m." alone is a time of the briefing's own day, not a point on a timeline
_DAY_WORD = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|night|morning|afternoon|evening|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)

#: words that put the event after the briefing date when they precede it in the clause
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|'ll|is\s+to|are\s+to|(?:is|are|was|were)\s+due|due\s+to|plans?\s+to"
    r"|planned|scheduled|expected\s+to|set\s+to|(?:is|are)\s+going\s+to|upcoming|coming)\b",
    re.IGNORECASE,
)
_FUTURE_AFTER = re.compile(
    r"[\s,]*(?:will|shall|is\s+to|are\s+to|(?:is|are)\s+(?:due|scheduled|expected|set|planned))\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:]\s")
_SPEECH = re.compile(r"\b(?:said|says|told)\b")


def reads_as_future(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """A future cue in the clause before the expression (after the last "said" there), or
    right after it ("on Nov. 5 will decide"; "On Monday, the leaders will meet")."""
    s0, s1 = sentence
    clause = _CLAUSE_BREAK.split(text[max(s0, start - 60) : start])[-1]
    clause = _SPEECH.split(clause)[-1]
    if _FUTURE_CUE.search(clause) or _FUTURE_AFTER.match(text, end, min(s1, end + 40)):
        return True
    if text[s0:start].strip(' "“‘(') == "":  # the expression opens its sentence
        return bool(_FUTURE_CUE.search(text, end, min(s1, end + 50)))
    return False


def timeline(analysis: Analysis, base_date: dt.date | None) -> list[DatedEvent]:
    """The dated mentions of the analysed text in calendar order (then text order).

    Without a ``base_date`` only the dates written out with their year are placed."""
    text = analysis.text
    starts = [s.start for s in analysis.sentences]
    ends = [s.end for s in analysis.sentences]
    events: list[DatedEvent] = []
    for e in analysis.entities:
        if e.label != "DATE" and not (e.label == "TIME" and _DAY_WORD.search(e.text)):
            continue
        if looks_like_a_name(text, e.start, e.end):
            continue
        i = bisect_right(starts, e.start) - 1
        sentence = (starts[i], ends[i]) if i >= 0 and ends[i] >= e.end else (e.start, e.end)
        future = base_date is not None and reads_as_future(text, e.start, e.end, sentence)
        resolved = resolve_expression(e.text, base_date, future)
        if resolved is None:
            continue
        date, precision, relative = resolved
        events.append(
            DatedEvent(e.start, e.end, e.text, date, precision, *sentence, relative=relative)
        )
    events.sort(key=lambda ev: (ev.date, ev.start))
    return events


def timeline_of(
    analysis: Analysis | None, text: str, base_date: dt.date | None
) -> list[DatedEvent]:
    """The Timeline from ``analysis`` when it is the (complete) analysis of ``text``, else
    from the text alone (``briefing.dates.timeline``: no model, analysis off or not done)."""
    if analysis is not None and analysis.text == text:
        return timeline(analysis, base_date)
    return text_timeline(text, base_date)
