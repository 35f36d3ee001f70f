"""PDF briefings (PDFs with a text layer) read with pypdf.

pypdf gives the text of each page line by line, with each line's position. Paragraphs are
rebuilt from that: a larger vertical gap than the usual line spacing, or a short line that
ends a sentence, ends a paragraph; a paragraph that runs over a page break is joined again
(page numbers and running headers/footers repeated on most pages are dropped), and words
hyphenated at a line end are joined ("move-" + "ment" → "movement"). Lines set in a
clearly larger font than the body become headings.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from brief_tui.briefing import limits
from brief_tui.briefing.dates import dateline_date, parse_date_string
from brief_tui.briefing.model import (
    Briefing,
    BriefingError,
    TextBuilder,
    briefing_from_text,
)

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;…][\"”’')\]]*$")
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_FILE_TITLE = re.compile(
    r"\.(?:docx?|odt|rtf|txt|pdf|indd|pptx?)$|^Microsoft Word - |^untitled$", re.IGNORECASE
)


@dataclass(slots=True)
class _Line:
    text: str
    y: float
    size: float
    page: int


def _page_lines(page: Any, number: int, budget: limits.Budget) -> list[_Line]:
    lines: list[_Line] = []
    buf: list[str] = []
    pos: list[tuple[float, float] | None] = [None]

    def flush() -> None:
        text = "".join(buf).translate(_LIGATURES)
        if text.strip():
            y, size = pos[0] or (0.0, 0.0)
            lines.append(_Line(" ".join(text.split()), y, size, number))
        buf.clear()
        pos[0] = None

    def where(cm: Any, tm: Any, size: Any) -> tuple[float, float]:
        try:
            y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
            scale = abs(float(tm[3]) * float(cm[3])) or 1.0
            return y, float(size) * scale
        except (TypeError, ValueError, IndexError):
            return 0.0, 0.0

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        budget.add_text(len(text))
        budget.check()
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                flush()
            if not part:
                continue
            if part.strip():
                here = where(cm, tm, size)
                current = pos[0]
                # pypdf does not always end a line with "\n" (e.g. when the font changes
                # at a line start): a move to another baseline starts a new line too
                if (
                    i == 0
                    and current is not None
                    and current[1]
                    and abs(here[0] - current[0]) > 0.5 * current[1]
                ):
                    flush()
                    current = None
                if current is None:
                    pos[0] = here
            buf.append(part)

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Page numbers, and running headers/footers found on most pages."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    repeated: set[str] = set()
    if len(pages) >= 3:
        counts: Counter[str] = Counter()
        for lines in pages:
            edge = {key(ln) for ln in lines[:2] + lines[-2:]}
            counts.update(edge)
        repeated = {k for k, n in counts.items() if n >= max(3, 0.6 * len(pages))}
    out: list[list[_Line]] = []
    for lines in pages:
        kept = []
        for i, ln in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (_PAGE_NUMBER.match(ln.text) or key(ln) in repeated):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _join(parts: list[str], b: str) -> None:
    """Append the line ``b`` to the paragraph being built of ``parts`` (a list, not one
    string: adding to a string copies it, which made a long paragraph quadratic)."""
    a = parts[-1]
    if a.endswith("\u00ad"):
        parts[-1] = a[:-1]
    elif a.endswith("-") and (a[-2:-1] or "".join(parts[-2:])[-2:-1]).isalpha():
        if b[:1].islower():
            parts[-1] = a[:-1]  # a word split by hyphenation
        # else "North-" + "Korean": a real hyphen
    else:
        parts.append(" ")
    parts.append(b)


def rebuild_paragraphs(pages: list[list[_Line]]) -> TextBuilder:
    lines = [ln for page in _drop_furniture(pages) for ln in page]
    out = TextBuilder()
    if not lines:
        return out
    gaps = [
        prev.y - ln.y
        for prev, ln in pairwise(lines)
        if prev.page == ln.page and prev.size and 0 < prev.y - ln.y < 3 * prev.size
    ]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    sizes = [ln.size for ln in lines if ln.size]
    body_size = statistics.median_high(sizes) if sizes else 0.0
    lengths = sorted(len(ln.text) for ln in lines)
    full = lengths[int(0.9 * (len(lengths) - 1))] or 1

    def heading_level(ln: _Line) -> int:
        if body_size and ln.size > 1.15 * body_size and len(ln.text) < 150:
            return 1 if ln.size > 1.5 * body_size else 2
        return 0

    current: list[str] = [""]
    current_level = 0
    for prev, ln in zip([None, *lines], lines, strict=False):
        level = heading_level(ln)
        new_block = prev is None
        if prev is not None:
            ends_sentence = bool(_SENTENCE_END.search(prev.text))
            short = len(prev.text) < 0.75 * full
            if level != current_level or (
                prev.page == ln.page and usual_gap and prev.y - ln.y > 1.45 * usual_gap
            ):
                new_block = True
            elif prev.page == ln.page and usual_gap and prev.y - ln.y < -0.5 * usual_gap:
                new_block = ends_sentence  # a new column: only a finished sentence ends it
            elif short and (ends_sentence or not ln.text[:1].islower()):
                new_block = True  # a paragraph's last line, or a line of its own (a title)
            elif prev.page != ln.page:
                new_block = ends_sentence and not ln.text[:1].islower() and short
        if new_block:
            out.add("".join(current), heading_level=current_level)
            current, current_level = [ln.text], level
        else:
            _join(current, ln.text)
    out.add("".join(current), heading_level=current_level)
    return out


def _quiet() -> None:
    logger = logging.getLogger("pypdf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _content_key(page: Any) -> tuple[Any, ...] | None:
    """What a page draws, when it is made of shared objects: its content streams and its
    fonts, by object number. Pages with the same key have the same text (None: the page's
    content is its own)."""
    contents = page.get("/Contents")
    refs = contents if isinstance(contents, list) else [contents]
    streams = []
    for ref in refs:
        number = getattr(ref, "idnum", None)
        if number is None:
            return None
        streams.append((number, getattr(ref, "generation", 0)))
    fonts: Any = None
    try:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources is not None else None
        if font_dict is not None:
            fonts = tuple(sorted((str(k), str(v)) for k, v in font_dict.get_object().items()))
    except (AttributeError, TypeError, ValueError):
        return None
    return (tuple(streams), fonts)


def _all_pages(reader: Any) -> list[list[_Line]]:
    """The lines of every page, within the text cap and the time budget. Pages that draw the
    same shared content stream are read once (the rest reuse its lines, and count again
    towards the cap): a stream shared by many pages cannot multiply the work."""
    budget = limits.current()
    seen: dict[tuple[Any, ...], list[_Line]] = {}
    pages: list[list[_Line]] = []
    for number, page in enumerate(reader.pages):
        budget.check()
        key = _content_key(page)
        if key is not None and key in seen:
            lines = [_Line(ln.text, ln.y, ln.size, number) for ln in seen[key]]
            budget.add_text(sum(len(ln.text) for ln in lines))
        else:
            _check_content_size(page, budget)
            lines = _page_lines(page, number, budget)
            if key is not None:
                seen[key] = lines
        pages.append(lines)
    return pages


def _check_content_size(page: Any, budget: limits.Budget) -> None:
    """Refuse a page whose content streams inflate past the text cap: drawing that much is
    not a page of a briefing, and pypdf's parsing of it would take minutes. (pypdf keeps
    the decoded data: its extraction does not decode it again.)"""
    contents = page.get("/Contents")
    if contents is None:
        return
    refs = contents if isinstance(contents, list) else [contents]
    size = 0
    for ref in refs:
        stream = ref.get_object()
        if stream is None or not hasattr(stream, "get_data"):
            continue
        size += len(stream.get_data())
        budget.check()
        if size > budget.max_chars:
            raise BriefingError(
                f"this PDF holds a page whose content inflates past the"
                f" {_mb(budget.max_chars)} limit (a compression bomb?); not opened"
            )


@contextlib.contextmanager
def _decoding_limits(cap: int) -> Iterator[None]:
    """pypdf (7 and later) stops decoding a stream at a configurable size: make that the
    text cap, so that a bomb stops there instead of at pypdf's 75 MB."""
    try:
        from pypdf import apply_configuration  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        yield
        return
    with apply_configuration(
        zlib_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        array_based_stream_maximum_output_length=cap,
        maximum_declared_stream_length=max(cap, 75_000_000),
    ):
        yield


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def briefing_from_pdf(data: bytes, origin: str, *, url: str = "") -> Briefing:
    if b"%%EOF" not in data[-4096:]:
        raise BriefingError("this PDF is truncated (no end-of-file marker); not opened")
    _quiet()
    try:
        from pypdf import PdfReader
    except ImportError as e:
        raise BriefingError(f"PDF support is not installed ({e}); pip install pypdf") from None
    with warnings.catch_warnings(), _decoding_limits(limits.max_text()):
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                ok: Any = 0
                try:
                    ok = reader.decrypt("")
                except Exception:  # noqa: BLE001 (a decryption failure of any kind)
                    ok = 0
                if not ok:
                    raise BriefingError("this PDF is encrypted (password protected); not opened")
            pages = _all_pages(reader)
            meta: dict[str, str] = {}
            try:
                raw: Any = reader.metadata or {}
                for key in ("/Title", "/Author", "/CreationDate"):
                    value = raw.get(key)
                    if value is not None and str(value).strip():
                        meta[key] = str(value).strip()
            except Exception:  # noqa: BLE001 (metadata is optional)
                pass
        except BriefingError:
            raise
        except Exception as e:  # noqa: BLE001 (pypdf raises many kinds on damaged files)
            if type(e).__name__ == "LimitReachedError":
                raise BriefingError(
                    f"this PDF holds a stream that inflates past the {_mb(limits.max_text())}"
                    " limit (a compression bomb?); not opened"
                ) from None
            detail = str(e) or type(e).__name__
            raise BriefingError(
                f"this PDF is damaged or truncated and could not be read ({detail})"
            ) from None
    if not pages:
        raise BriefingError("this PDF has no pages")
    blocks = rebuild_paragraphs(pages)
    if not blocks.paragraphs:
        raise BriefingError(
            "this PDF has no text layer (a scanned image?); run it through OCR first, e.g. ocrmypdf"
        )
    text = blocks.text
    title = meta.get("/Title", "")
    if _FILE_TITLE.search(title):
        title = ""
    date = dateline_date(text) or parse_date_string(meta.get("/CreationDate"))
    return briefing_from_text(
        text,
        origin,
        fmt="pdf",
        encoding="pdf",
        title=title or next((h.text for h in blocks.headings), None),
        author=meta.get("/Author", ""),
        date=date,
        url=url,
        paragraphs=tuple(blocks.paragraphs),
        headings=tuple(blocks.headings),
    )
