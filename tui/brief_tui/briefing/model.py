"""The immutable ``Briefing`` and the small helpers every format shares.

Standard library only: this module is imported on the plain-text path.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from brief_tui.briefing.untrusted import clean_line, clean_text

#: Refuse to read files larger than this (bytes). A briefing of 300 pages is ~2 MB of text;
#: a saved web page with inline images or a PDF with pictures is larger, but 50 MB is not a
#: briefing any more.
MAX_BYTES = 32 * 1024 * 1024


class BriefingError(Exception):
    """A briefing could not be read. The message is one line, fit to show a user."""

    def __init__(self, message: str) -> None:
        # one line, always, and fit for a terminal: a message built from an exception, a
        # file name or a server's answer may carry newlines and escape sequences
        super().__init__(clean_line(str(message)))


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of the document (Markdown ``#``, HTML ``<h1>``…): level 1–6 and its span."""

    level: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Briefing:
    id: str
    title: str
    text: str
    #: where it came from: an absolute path, "<stdin>", or the URL as given
    origin: str
    #: (start, end) of each paragraph in ``text`` (headings are paragraphs too)
    paragraphs: tuple[tuple[int, int], ...] = field(default=())
    #: the document format it was read as: "text", "markdown", "html" or "pdf"
    format: str = "text"
    #: the encoding the bytes were decoded with (Python codec name, e.g. "utf-8", "cp1252")
    encoding: str = "utf-8"
    #: the author(s) as the document states them, "" when unknown
    author: str = ""
    #: the briefing's date (document metadata or its dateline), None when unknown
    date: _dt.date | None = None
    #: the address it was fetched from (after redirects) or the page's own URL, "" if none
    url: str = ""
    #: the document's headings, in order; each is also one of ``paragraphs``
    headings: tuple[Heading, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        # (not ``strip()``: that copies the whole text, 2-3 ms for a 300-page report)
        return not self.text or self.text.isspace()


def normalise_text(text: str) -> str:
    """The canonical form the id is computed on: LF line ends, no BOM, and no character a
    terminal would act on (see :mod:`brief_tui.briefing.untrusted`)."""
    return clean_text(_line_ends(text))


def _line_ends(text: str) -> str:
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def briefing_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Paragraphs are runs of non-blank lines. In plain news text every line is usually a
    paragraph of its own, and a blank line always ends one."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return tuple(spans)


def _title_of(text: str, fallback: str) -> str:
    pos = 0
    while pos < len(text):  # line by line: a 300-page report is not split whole for this
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end].strip().lstrip("#").strip()
        if line:
            return clean_line(line, 200)
        pos = end + 1
    return fallback


def display_name(origin: str) -> str:
    if origin == "<stdin>":
        return "standard input"
    if "://" in origin:
        return clean_line(origin)
    return clean_line(Path(origin).name)


def briefing_from_text(
    text: str,
    origin: str,
    *,
    fmt: str = "text",
    encoding: str = "utf-8",
    title: str | None = None,
    author: str = "",
    date: _dt.date | None = None,
    url: str = "",
    paragraphs: tuple[tuple[int, int], ...] | None = None,
    headings: tuple[Heading, ...] = (),
) -> Briefing:
    """Build a Briefing from text. Without ``date`` the date is looked for in a dateline.

    ``paragraphs`` and ``headings`` given by a format handler must be offsets into the text
    as passed (handlers pass text that is already normalised)."""
    line_ended = _line_ends(text)
    if paragraphs is None or line_ended != text:
        paragraphs = paragraph_spans(line_ended)
        if line_ended != text:
            headings = ()
    # controls are replaced one for one: the handler's offsets still hold (a page break or a
    # vertical tab becomes a line break, which may split a paragraph the handler drew)
    normalised = clean_text(line_ended)
    if normalised is not line_ended:
        if "\n" in normalised and normalised.count("\n") != line_ended.count("\n"):
            paragraphs = paragraph_spans(normalised)
        headings = tuple(Heading(h.level, h.start, h.end, clean_line(h.text)) for h in headings)
    if date is None:
        from brief_tui.briefing.dates import dateline_date

        date = dateline_date(normalised)
    return Briefing(
        id=briefing_id(normalised),
        title=clean_line(title or "", 200) or _title_of(normalised, display_name(origin)),
        text=normalised,
        origin=origin,
        paragraphs=paragraphs,
        format=fmt,
        encoding=encoding,
        author=clean_line(author, 300),
        date=date,
        url=clean_line(url),
        headings=headings,
    )


class TextBuilder:
    """Accumulates blocks (paragraphs, headings) into one text with their offsets.

    Blocks are separated by a blank line; whitespace inside a block is collapsed to single
    spaces unless ``keep_lines`` (code), so that every block is one line of the text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.paragraphs: list[tuple[int, int]] = []
        self.headings: list[Heading] = []

    def add(self, block: str, *, heading_level: int = 0, keep_lines: bool = False) -> None:
        block = block.replace("\ufeff", "").replace("\u00ad", "")
        if keep_lines:
            lines = [ln.rstrip() for ln in block.replace("\r", "").split("\n")]
            block = "\n".join(ln for ln in lines if ln.strip())
        else:
            block = " ".join(block.split())
        if not block:
            return
        if self._parts:
            self._parts.append("\n\n")
            self._len += 2
        start = self._len
        self._parts.append(block)
        self._len += len(block)
        self.paragraphs.append((start, self._len))
        if heading_level:
            self.headings.append(Heading(min(max(heading_level, 1), 6), start, self._len, block))

    @property
    def text(self) -> str:
        return "".join(self._parts)


def is_url(source: str) -> bool:
    """Whether ``source`` names an address (scheme://...) rather than a file. Here, not in
    fetch.py: opening a file should not import the HTTP client."""
    return _URL.match(source) is not None


#: a scheme of two characters or more, then "://" (one letter is a Windows drive: C://x);
#: not urllib's parser, which raises on some addresses ("http://[::1")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
