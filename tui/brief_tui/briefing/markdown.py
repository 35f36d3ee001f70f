"""Markdown briefings: headings and paragraphs kept as structure, markup removed.

The text the analysis sees is plain: emphasis, code ticks, link targets, images and raw
HTML are gone, link text stays. Each block (heading, paragraph, list item, quote, code
block, table row) becomes one paragraph of the text, blocks separated by a blank line.
A YAML front matter block gives title, author and date when present.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from brief_tui.briefing.dates import parse_date_string
from brief_tui.briefing.model import Briefing, TextBuilder, briefing_from_text

if TYPE_CHECKING:
    from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
#: a tag; "<" is not part of one, so that a run of "<" without ">" is not rescanned
_HTML_TAG = re.compile(r"<[^<>]*>")


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group("body").split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def _inline_text(token: Token) -> str:
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        # images, raw inline HTML and the markers of emphasis/links carry no reading text
    return "".join(out)


def markdown_blocks(text: str) -> TextBuilder:
    """The plain text of a Markdown document, block by block."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    out = TextBuilder()
    heading = 0
    row: list[str] | None = None
    for tok in tokens:
        if tok.type == "heading_open":
            heading = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            if row is not None:
                out.add(" | ".join(cell for cell in row if cell))
            row = None
        elif tok.type == "inline":
            content = _inline_text(tok)
            if row is not None:
                row.append(" ".join(content.split()))
            else:
                out.add(content, heading_level=heading)
        elif tok.type in ("fence", "code_block"):
            out.add(tok.content, keep_lines=True)
        elif tok.type == "html_block":
            out.add(_HTML_TAG.sub(" ", tok.content))
    return out


def briefing_from_markdown(
    text: str, origin: str, *, encoding: str = "utf-8", url: str = ""
) -> Briefing:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _front_matter(text)
    blocks = markdown_blocks(body)
    headings = tuple(blocks.headings)
    title = meta.get("title") or next((h.text for h in headings if h.level == 1), "")
    return briefing_from_text(
        blocks.text,
        origin,
        fmt="markdown",
        encoding=encoding,
        title=title or None,
        author=meta.get("author", "") or meta.get("authors", ""),
        date=parse_date_string(meta.get("date")),
        url=url,
        paragraphs=tuple(blocks.paragraphs),
        headings=headings,
    )
