"""Reading briefings: paths, standard input and URLs; decoding; HTML, Markdown and PDF to
plain text with paragraph offsets; the briefing's date. No Textual here.

Importing this package is cheap: the format handlers (trafilatura, markdown-it, pypdf,
charset-normalizer) are imported only when a file of their kind is opened.
"""

from brief_tui.briefing.load import (
    MAX_BYTES,
    Briefing,
    BriefingError,
    Heading,
    briefing_from_text,
    decode_bytes,
    detect_format,
    load_briefing,
    normalise_text,
    paragraph_spans,
)

__all__ = [
    "MAX_BYTES",
    "Briefing",
    "BriefingError",
    "Heading",
    "briefing_from_text",
    "decode_bytes",
    "detect_format",
    "load_briefing",
    "normalise_text",
    "paragraph_spans",
]
