"""How long the analysis of a text will take, said before it starts when that is long."""

from __future__ import annotations

#: words the analysis gets through per second on one core of a modest machine (the small
#: English model's full pipeline, with the project's own passes; measured 5,000-6,000)
WORDS_PER_SECOND = 5_000.0
#: a text whose analysis is estimated to take longer than this (seconds) is announced
LONG_AFTER = 30.0
#: characters per word in English news, with the spaces (counting words exactly in a 30 MB
#: text would itself take a while)
_CHARS_PER_WORD = 6.0


def estimated_words(text: str) -> int:
    return round(len(text) / _CHARS_PER_WORD)


def estimated_seconds(text: str) -> float:
    return estimated_words(text) / WORDS_PER_SECOND


def duration(seconds: float) -> str:
    """'about 40 seconds', 'about 3 minutes', 'about 1.5 hours'."""
    if seconds < 90:
        return f"about {max(10, round(seconds / 10) * 10)} seconds"
    minutes = seconds / 60
    if minutes < 90:
        return f"about {round(minutes)} minutes"
    return f"about {minutes / 60:.1f} hours"


def long_text_warning(text: str) -> str | None:
    """A sentence for a text whose analysis will take long, else None."""
    seconds = estimated_seconds(text)
    if seconds <= LONG_AFTER:
        return None
    words = estimated_words(text)
    size = f"{words / 1e6:.1f} million" if words >= 1e6 else f"{round(words, -3):,}"
    return f"A long text (~{size} words): its analysis will take {duration(seconds)}."
