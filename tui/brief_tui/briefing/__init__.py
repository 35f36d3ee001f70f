"""Reading briefings: paths, standard input, decoding and normalisation. No Textual here."""

from brief_tui.briefing.load import (
    Briefing,
    BriefingError,
    briefing_from_text,
    load_briefing,
    normalise_text,
    paragraph_spans,
)

__all__ = [
    "Briefing",
    "BriefingError",
    "briefing_from_text",
    "load_briefing",
    "normalise_text",
    "paragraph_spans",
]
