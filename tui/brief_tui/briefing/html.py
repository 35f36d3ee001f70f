"""HTML briefings: the article's main text extracted with trafilatura.

Title, author, date and the page's URL come from the page's metadata; menus, ads, scripts
and footers are dropped. The extracted blocks (headings, paragraphs, list items, quotes,
table rows) become paragraphs of the text, separated by a blank line.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from brief_tui.briefing.dates import dateline_date, parse_date_string
from brief_tui.briefing.model import (
    Briefing,
    BriefingError,
    TextBuilder,
    briefing_from_text,
)

#: an lxml element (lxml ships no type information)
_Element = Any

#: elements of trafilatura's output tree that hold a block of reading text
_BLOCKS = frozenset({"head", "p", "item", "quote", "code", "row", "fw"})
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def _quiet() -> None:
    # These libraries log warnings about odd pages; with no handler configured Python
    # prints them on stderr, over the terminal UI. A NullHandler keeps them to themselves.
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _text_of(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _has_block_inside(el: _Element) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())


def _walk(el: _Element, out: TextBuilder) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _BLOCKS and not _has_block_inside(el):
        if tag == "row":
            cells = [_text_of(c) for c in el if isinstance(c.tag, str)]
            out.add(" | ".join(c for c in cells if c))
            return
        level = 0
        if tag == "head":
            rend = str(el.get("rend") or "h2")
            level = int(rend[1:]) if rend[1:].isdigit() else 2
        out.add(_text_of(el), heading_level=level, keep_lines=(tag == "code"))
        return
    if el.text and el.text.strip():
        out.add(el.text)
    for child in el:
        _walk(child, out)
        if child.tail and child.tail.strip():
            out.add(child.tail)


def extract_html(html: str) -> tuple[TextBuilder, dict[str, str]]:
    """The article text of an HTML page, and its metadata (title, author, date, url)."""
    _quiet()
    try:
        from trafilatura import bare_extraction
    except ImportError as e:  # lxml_html_clean missing, most often
        raise BriefingError(
            f"HTML support is not installed ({e}); pip install trafilatura lxml_html_clean"
        ) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc: Any = bare_extraction(
                html,
                with_metadata=True,
                include_tables=True,
                include_formatting=False,
                include_links=False,
            )
            if doc is None or not (doc.text or "").strip():
                # short pages fall under trafilatura's size thresholds: favour recall
                doc = bare_extraction(html, with_metadata=True, favor_recall=True) or doc
        except Exception as e:  # noqa: BLE001 (a parser error deep inside lxml/trafilatura)
            raise BriefingError(
                f"this HTML could not be parsed ({type(e).__name__}: {e})"
            ) from None
    out = TextBuilder()
    meta: dict[str, str] = {}
    if doc is None:
        return out, meta
    body = getattr(doc, "body", None)
    if body is not None and len(body):
        _walk(body, out)
    if not out.paragraphs and (doc.text or "").strip():
        for line in str(doc.text).split("\n"):
            out.add(line.lstrip("-• ") if line.startswith(("- ", "• ")) else line)
    for key in ("title", "author", "date", "url"):
        value = getattr(doc, key, None)
        if value:
            meta[key] = str(value)
    return out, meta


def briefing_from_html(
    html: str, origin: str, *, encoding: str = "utf-8", url: str = ""
) -> Briefing:
    blocks, meta = extract_html(html)
    if not blocks.paragraphs:
        if not html.strip():
            return briefing_from_text("", origin, fmt="html", encoding=encoding, url=url)
        raise BriefingError("no article text could be found in this HTML page")
    text = blocks.text
    date = parse_date_string(meta.get("date")) or dateline_date(text)
    return briefing_from_text(
        text,
        origin,
        fmt="html",
        encoding=encoding,
        title=meta.get("title") or next((h.text for h in blocks.headings), None),
        author=meta.get("author", ""),
        date=date,
        url=url or meta.get("url", ""),
        paragraphs=tuple(blocks.paragraphs),
        headings=tuple(blocks.headings),
    )
