"""HTML briefings: the article's main text extracted with trafilatura.

Title, author, date and the page's URL come from the page's metadata; menus, ads, scripts
and footers are dropped. The extracted blocks (headings, paragraphs, list items, quotes,
table rows) become paragraphs of the text, separated by a blank line.
"""

from __future__ import annotations

import contextlib
import logging
import re
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


# ------------------------------------------------------------------ whole-page fallback
#
# On a short page trafilatura's last resort is the text of the whole <body> as one <p>, its
# text runs joined by "\n": navigation included, headings and paragraphs flattened into one
# block. Such a result is rebuilt here from the page itself, block by block, without the
# page's furniture.

#: elements whose text is not the article's
_FURNITURE = (
    "nav",
    "aside",
    "footer",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "menu",
    "dialog",
)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
#: elements whose boundaries end a paragraph
_HTML_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "ul",
    }
)
_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _is_whole_page_dump(body: _Element) -> bool:
    """trafilatura's last resort: the page's text runs in a single <p>, one per line."""
    if len(body) != 1:
        return False
    only = body[0]
    return bool(only.tag == "p" and not len(only) and "\n" in (only.text or ""))


def _tag(el: _Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _is_furniture(el: _Element) -> bool:
    tag = _tag(el)
    if tag in _FURNITURE or str(el.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    # a site's header (logo, menu), not an article's header with its headline
    return (
        tag == "header"
        and not any(_tag(d) in _HTML_HEADINGS for d in el.iterdescendants())
        and not any(_tag(a) in ("article", "main") for a in el.iterancestors())
    )


def _page_blocks(tree: _Element) -> TextBuilder:
    """The blocks of a parsed page's <body>, navigation, forms and footers left out."""
    body = tree.find(".//body")
    out = TextBuilder()
    if body is None:
        return out
    for el in list(body.iter()):
        if _is_furniture(el) and el.getparent() is not None:
            el.drop_tree()  # keeps the element's tail, the text after it
    buf: list[str] = []

    def flush() -> None:
        out.add(" ".join(buf))
        buf.clear()

    def walk(el: _Element) -> None:
        if not isinstance(el.tag, str):
            return  # a comment or a processing instruction (its tail is the parent's)
        tag = _tag(el)
        if tag in _HTML_HEADINGS or tag in ("tr", "pre"):
            flush()
            if tag == "tr":
                cells = [_text_of(c) for c in el if _tag(c) in ("td", "th")]
                out.add(" | ".join(c for c in cells if c))
            elif tag == "pre":
                out.add(el.text_content(), keep_lines=True)
            else:
                out.add(_text_of(el), heading_level=_HTML_HEADINGS[tag])
            return
        block = tag in _HTML_BLOCKS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(body)
    flush()
    return out


# ------------------------------------------------------------------ title

_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•-]\s+")
_WORD = re.compile(r"\w+")


def _page_title(tree: _Element) -> str:
    """The page's <title> without a site name after a separator ("Headline | Site")."""
    el = tree.find(".//title")
    if el is None:
        return ""
    title = " ".join(el.text_content().split())
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        last = parts[-1]
        rest = title[: len(title) - len(last)].rstrip(" |–—·•-")
        if len(last.split()) <= 4 and len(rest.split()) >= 2:
            title = rest
    return title


def _choose_title(found: str, tree: _Element | None) -> str:
    """trafilatura's title, unless it took the page's <h1> over a <title> the <h1> does not
    restate: then the <title>. (A <h1> that contains every word of the <title> is the full
    headline and stays.)"""
    if tree is None:
        return found
    page_title = _page_title(tree)
    if not page_title:
        return found
    h1s = [_text_of(h) for h in tree.iter("h1")]
    if not found or found in h1s:
        title_words = {w.lower() for w in _WORD.findall(page_title)}
        found_words = {w.lower() for w in _WORD.findall(found)}
        if not found or not title_words <= found_words:
            return page_title
    return found


# ------------------------------------------------------------------ absurd markup
#
# libxml2's HTML parser (under lxml and trafilatura) checks each attribute of a tag against
# the ones before it: one tag with 20k attributes takes a second to parse, 50k take 25 s,
# 200k many minutes. No page needs more than a few hundred; a tag with more keeps its name
# and loses its attributes before the page is parsed. (Deep nesting is no such risk:
# libxml2 stops nesting at 256 levels.)

#: attributes one tag may keep
MAX_ATTRIBUTES = 1000
#: only tags at least this long can hold that many attributes: shorter ones are not looked at
_LONG_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9:-]{{0,40}})([^<>]{{{2 * MAX_ATTRIBUTES},}})>?")
#: one attribute: a name, and a value (quoted values taken whole)
_ATTRIBUTE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]*))?""")


def defuse_markup(html: str) -> str:
    """``html`` with the attributes of any tag holding more than ``MAX_ATTRIBUTES`` of them
    removed; the same string when there is none (the usual case)."""
    if _LONG_TAG.search(html) is None:
        return html
    tamed = 0

    def tame(m: re.Match[str]) -> str:
        nonlocal tamed
        for count, _ in enumerate(_ATTRIBUTE.finditer(m.group(2)), 1):
            if count > MAX_ATTRIBUTES:
                tamed += 1
                return f"<{m.group(1)}>"
        return m.group(0)

    out = _LONG_TAG.sub(tame, html)
    return out if tamed else html


def extract_html(html: str) -> tuple[TextBuilder, dict[str, str]]:
    """The article text of an HTML page, and its metadata (title, author, date, url)."""
    _quiet()
    html = defuse_markup(html)
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
    tree = _parse(html)
    body = getattr(doc, "body", None)
    if body is not None and len(body):
        if tree is not None and _is_whole_page_dump(body):
            out = _page_blocks(tree)
            tree = _parse(html)  # _page_blocks dropped parts of it
        if not out.paragraphs:
            _walk(body, out)
    if not out.paragraphs and (doc.text or "").strip():
        for line in str(doc.text).split("\n"):
            out.add(line.lstrip("-• ") if line.startswith(("- ", "• ")) else line)
    for key in ("title", "author", "date", "url"):
        value = getattr(doc, key, None)
        if value:
            meta[key] = str(value)
    title = _choose_title(meta.get("title", ""), tree)
    if title:
        meta["title"] = title
    return out, meta


def _parse(html: str) -> _Element | None:
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception:  # noqa: BLE001 (lxml fails in many ways on broken pages)
        return None


def _too_deep(html: str) -> bool:
    """Whether the parser stopped at its nesting limit (it drops what lies deeper)."""
    import lxml.etree  # type: ignore[import-untyped]

    parser = lxml.etree.HTMLParser()
    with contextlib.suppress(lxml.etree.LxmlError, ValueError):
        lxml.etree.fromstring(html, parser)
    return any("Excessive depth" in e.message for e in parser.error_log)


def briefing_from_html(
    html: str, origin: str, *, encoding: str = "utf-8", url: str = ""
) -> Briefing:
    blocks, meta = extract_html(html)
    if not blocks.paragraphs:
        if not html.strip():
            return briefing_from_text("", origin, fmt="html", encoding=encoding, url=url)
        if _too_deep(html):
            raise BriefingError(
                "this HTML page nests its elements more than 256 levels deep, past what the"
                " HTML parser reads; no article text could be found"
            )
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
