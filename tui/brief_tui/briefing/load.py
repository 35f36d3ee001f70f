"""Load a briefing from a path, standard input or an http(s) URL into an immutable ``Briefing``.

A briefing's text is normalised (line ends to LF, BOM removed) and its id is the SHA-256 of
that text, so that the same article opened twice maps to the same saved annotations. A
plain UTF-8 text file with LF line ends is kept exactly: offsets into the file are offsets
into the text.

Formats: plain text (any common encoding), Markdown, HTML, PDF; chosen by the file's
extension, else by its first bytes (``%PDF-``, ``<!doctype html``/``<html``), or for a URL
by the server's content type. The handlers for Markdown, HTML and PDF (and their
libraries) are imported only when such a file is opened.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import BinaryIO

from brief_tui.briefing import model
from brief_tui.briefing.model import (
    MAX_BYTES,
    Briefing,
    BriefingError,
    Heading,
    briefing_from_text,
    briefing_id,
    normalise_text,
    paragraph_spans,
)

__all__ = [
    "MAX_BYTES",
    "Briefing",
    "BriefingError",
    "Heading",
    "briefing_from_text",
    "briefing_id",
    "decode_bytes",
    "detect_format",
    "load_briefing",
    "normalise_text",
    "paragraph_spans",
]

FORMATS = ("text", "markdown", "html", "pdf")

_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".pdf": "pdf",
}
_CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/pdf": "pdf",
    "text/plain": "text",
}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)


def _max_bytes() -> int:
    # read at call time, so that a test (or a caller) can lower the limit
    return model.MAX_BYTES


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding used). UTF-8 first (with or
    without BOM), then UTF-16/32 by BOM, then detection (charset-normalizer)."""
    from brief_tui.briefing.encoding import decode_bytes as _decode

    return _decode(data, where)


def detect_format(data: bytes, name: str = "", content_type: str = "") -> str:
    """ "text", "markdown", "html" or "pdf", from the content type, the name and the bytes."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    fmt = _CONTENT_TYPES.get(content_type.lower())
    if fmt:
        return fmt
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = data[:2048]
    from brief_tui.briefing.encoding import bom_encoding

    bom = bom_encoding(head)
    if bom is not None:
        with contextlib.suppress(LookupError):  # a BOM naming a codec Python lacks
            head = head[bom[1] :].decode(bom[0], "ignore").encode("utf-8")
    if _HTML_START.match(head):
        return "html"
    if suffix not in _PLAIN_SUFFIXES and looks_like_markdown(data[:_MARKDOWN_SNIFF_BYTES]):
        return "markdown"
    return "text"


#: extensions that say "plain text": such files are never sniffed for Markdown
_PLAIN_SUFFIXES = frozenset({".txt", ".text"})
_MARKDOWN_SNIFF_BYTES = 64 * 1024
_MD_ATX_HEADING = re.compile(rb"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
_MD_SIGNS: tuple[re.Pattern[bytes], ...] = (
    # [text](target) or ![alt](image): a link to a URL, a path or an anchor
    re.compile(
        rb"!?\[[^\]\n]+\]\((?:[a-z][a-z0-9+.-]*:|/|\.|#|www\.)[^)\s]*(?:\s+\"[^\"\n]*\")?\)"
    ),
    # **strong** or __strong__, opened and closed on the same line
    re.compile(rb"(?<![*\w])(\*\*|__)(?=[^\s*_])[^\n]*?(?<=[^\s*_])\1(?![*\w])"),
    # *emphasis* or _emphasis_ around a word or phrase
    re.compile(rb"(?<![*\w])([*_])(?=[^\s*_])[^*_\n]*?(?<=[^\s*_])\1(?![*\w])"),
    # a fenced code block
    re.compile(
        rb"^ {0,3}(?:```|~~~)[^\n]*\n.*?^ {0,3}(?:```|~~~)[ \t]*$", re.MULTILINE | re.DOTALL
    ),
    # `inline code`
    re.compile(rb"(?<!`)`[^`\n]+`(?!`)"),
    # a table's delimiter row: | --- | :---: |
    re.compile(rb"^ {0,3}\|?(?: *:?-{3,}:? *\|)+ *:?-{3,}:? *\|? *$", re.MULTILINE),
)
#: a list item or a block quote
_MD_BLOCK_LINE = re.compile(rb"^ {0,3}(?:[-*+]|\d{1,9}[.)]|>)[ \t]+\S", re.MULTILINE)
_MD_FRONT_MATTER = re.compile(
    rb"\A---[ \t]*\r?\n(?:[A-Za-z_][\w-]*:[^\n]*\r?\n)+---[ \t]*\r?$", re.MULTILINE
)


def looks_like_markdown(data: bytes) -> bool:
    """Whether text with no telling name or content type is Markdown. Conservative: it needs
    ATX headings ("# Title" at a line start) together with inline Markdown (a
    ``[link](url)``, ``**strong**``, ``*emphasis*``, code), or with lists or quotes under
    two headings or more, or three headings; or two kinds of inline Markdown; or YAML front
    matter. A "#hashtag", a "- " list or a "*" footnote of plain news text is not enough."""
    if _MD_FRONT_MATTER.match(data):
        return True
    headings = len(_MD_ATX_HEADING.findall(data))
    signs = sum(1 for sign in _MD_SIGNS if sign.search(data))
    if headings:
        return (
            signs >= 1
            or headings >= 3
            or (headings >= 2 and _MD_BLOCK_LINE.search(data) is not None)
        )
    return signs >= 2


def _read_stream(stream: BinaryIO, where: str) -> bytes:
    limit = _max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BriefingError(f"{where}: larger than the {_mb(limit)} limit; not opened")
    return data


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"


def briefing_from_bytes(
    data: bytes,
    origin: str,
    where: str,
    *,
    fmt: str | None = None,
    name: str = "",
    content_type: str = "",
    declared_charset: str | None = None,
    url: str = "",
) -> Briefing:
    """Turn the bytes of a document into a Briefing. ``where`` starts every error message."""
    if fmt is None:
        fmt = detect_format(data, name, content_type)
    if not data.strip():
        return briefing_from_text("", origin, fmt=fmt, url=url)
    try:
        if fmt == "pdf":
            if not data.startswith(b"%PDF-"):
                raise BriefingError("not a PDF file (it does not start with %PDF-)")
            from brief_tui.briefing.pdf import briefing_from_pdf

            return briefing_from_pdf(data, origin, url=url)
        if fmt == "html":
            from brief_tui.briefing.encoding import decode_bytes as _decode
            from brief_tui.briefing.encoding import html_declared_charset

            text, enc = _decode(
                data, where, declared=declared_charset or html_declared_charset(data)
            )
            from brief_tui.briefing.html import briefing_from_html

            return briefing_from_html(text, origin, encoding=enc, url=url)
        from brief_tui.briefing.encoding import decode_bytes as _decode

        text, enc = _decode(data, where, declared=declared_charset)
        if fmt == "markdown":
            from brief_tui.briefing.markdown import briefing_from_markdown

            return briefing_from_markdown(text, origin, encoding=enc, url=url)
        return briefing_from_text(text, origin, encoding=enc, url=url)
    except BriefingError as e:
        message = str(e)
        raise BriefingError(
            message if message.startswith(where) else f"{where}: {message}"
        ) from None
    except RecursionError:
        raise BriefingError(f"{where}: the document is nested too deeply to be read") from None
    except MemoryError:
        raise BriefingError(f"{where}: too large to be read into memory") from None


def load_url(url: str, *, timeout: float | None = None) -> Briefing:
    from brief_tui.briefing.fetch import DEFAULT_TIMEOUT, fetch

    got = fetch(
        url, timeout=DEFAULT_TIMEOUT if timeout is None else timeout, max_bytes=_max_bytes()
    )
    ctype = got.content_type
    if (
        ctype
        and ctype not in _CONTENT_TYPES
        and not ctype.startswith("text/")
        and not got.data.startswith(b"%PDF-")
    ):
        raise BriefingError(f"{url}: the server sent {got.content_type}, not a page or a text")
    name = Path(got.url.split("?", 1)[0].split("#", 1)[0]).name
    content_type = got.content_type if got.content_type in _CONTENT_TYPES else ""
    return briefing_from_bytes(
        got.data,
        url,
        url,
        name=name,
        content_type=content_type,
        declared_charset=got.charset,
        url=got.url,
    )


def load_briefing(source: str | Path, *, timeout: float | None = None) -> Briefing:
    """Read a briefing from a path, from standard input when ``source`` is ``-``, or from an
    http(s) URL (``timeout`` in seconds bounds the whole fetch). Every failure is a
    ``BriefingError`` with a one-line message; an empty document is an empty Briefing."""
    if str(source) == "-":
        data = _read_stream(sys.stdin.buffer, "standard input")
        return briefing_from_bytes(data, "<stdin>", "standard input")
    if isinstance(source, str) and model.is_url(source):
        return load_url(source, timeout=timeout)
    path = Path(source).expanduser()
    shown = str(source)
    limit = _max_bytes()
    try:
        if not path.exists():
            raise BriefingError(f"{shown}: no such file")
        if path.is_dir():
            raise BriefingError(f"{shown}: is a directory, not a briefing file")
        size = path.stat().st_size
        if size > limit:
            raise BriefingError(
                f"{shown}: {_mb(size)} is larger than the {_mb(limit)} limit; not opened"
            )
        with path.open("rb") as f:
            data = _read_stream(f, shown)
    except PermissionError:
        raise BriefingError(f"{shown}: permission denied") from None
    except OSError as e:
        raise BriefingError(f"{shown}: cannot be read ({e.strerror or e})") from None
    return briefing_from_bytes(data, str(path.resolve()), shown, name=path.name)
