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
import errno
import os
import re
import stat
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
# Every pattern here runs on untrusted bytes and stays linear: no nested quantifiers, and
# a span's characters exclude its own delimiters, so that a match tried from each of many
# openers stops at the next opener instead of scanning to the end of the line again.
_MD_SIGNS: tuple[re.Pattern[bytes], ...] = (
    # [text](target) or ![alt](image): a link to a URL, a path or an anchor
    re.compile(
        rb"!?\[[^\[\]\n]{1,500}\]\((?:[a-z][a-z0-9+.-]{0,30}:|/|\.|#|www\.)"
        rb"[^()\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,500}\")?\)"
    ),
    # **strong** or __strong__, opened and closed on the same line
    re.compile(
        rb"(?<![*\w])\*\*(?=[^\s*])[^*\n]*?(?<=[^\s*_])\*\*(?![*\w])"
        rb"|(?<![_\w])__(?=[^\s_])[^_\n]*?(?<=[^\s*_])__(?![_\w])"
    ),
    # *emphasis* or _emphasis_ around a word or phrase
    re.compile(rb"(?<![*\w])([*_])(?=[^\s*_])[^*_\n]*?(?<=[^\s*_])\1(?![*\w])"),
    # `inline code`
    re.compile(rb"(?<!`)`[^`\n]+`(?!`)"),
    # a table's delimiter row: | --- | :---: |
    re.compile(rb"^ {0,3}\|?(?: *:?-{3,}:? *\|)+ *:?-{3,}:? *\|? *$", re.MULTILINE),
)
#: a fence line (``` or ~~~ at a line start) and a bare one, which can close a code block
_MD_FENCE = re.compile(rb"^ {0,3}(?:```|~~~)([^\n]*)$", re.MULTILINE)
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
    signs = sum(1 for sign in _MD_SIGNS if sign.search(data)) + _has_fenced_code(data)
    if headings:
        return (
            signs >= 1
            or headings >= 3
            or (headings >= 2 and _MD_BLOCK_LINE.search(data) is not None)
        )
    return signs >= 2


def _has_fenced_code(data: bytes) -> bool:
    """A fence line followed, later, by a bare fence line that closes it (one pass: a
    pattern spanning from each opener to its closer rescanned the text from every opener)."""
    opened = False
    for m in _MD_FENCE.finditer(data):
        if opened and not m.group(1).strip():
            return True
        opened = True
    return False


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
    from brief_tui.briefing import limits

    try:
        with limits.budget():
            return _convert(data, origin, where, fmt, declared_charset, url)
    except BriefingError as e:
        message = str(e)
        raise BriefingError(
            message if message.startswith(where) else f"{where}: {message}"
        ) from None
    except limits.BudgetExceeded:
        raise BriefingError(
            f"{where}: reading it took longer than the {limits.extract_seconds():g} s limit"
            " (a document built to take this long?); not opened"
        ) from None
    except RecursionError:
        raise BriefingError(f"{where}: the document is nested too deeply to be read") from None
    except MemoryError:
        raise BriefingError(f"{where}: too large to be read into memory") from None


def _convert(
    data: bytes, origin: str, where: str, fmt: str, declared_charset: str | None, url: str
) -> Briefing:
    if fmt == "pdf":
        if not data.startswith(b"%PDF-"):
            raise BriefingError("not a PDF file (it does not start with %PDF-)")
        from brief_tui.briefing.pdf import briefing_from_pdf

        return briefing_from_pdf(data, origin, url=url)
    from brief_tui.briefing.encoding import decode_bytes as _decode

    if fmt == "html":
        from brief_tui.briefing.encoding import html_declared_charset

        text, enc = _decode(data, where, declared=declared_charset or html_declared_charset(data))
        from brief_tui.briefing.html import briefing_from_html

        return briefing_from_html(text, origin, encoding=enc, url=url)
    text, enc = _decode(data, where, declared=declared_charset)
    if fmt == "markdown":
        from brief_tui.briefing.markdown import briefing_from_markdown

        return briefing_from_markdown(text, origin, encoding=enc, url=url)
    return briefing_from_text(text, origin, encoding=enc, url=url)


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


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, shown: str) -> BriefingError:
    if stat.S_ISDIR(mode):
        return BriefingError(f"{shown}: is a directory, not a briefing file")
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return BriefingError(f"{shown}: is {kind}, not a briefing file; only regular files are read")


def _missing(path: Path, shown: str, error: OSError) -> BriefingError:
    """The message for a path that cannot be opened, naming the real cause."""
    if error.errno == errno.ELOOP:
        return BriefingError(f"{shown}: a loop of symbolic links; not opened")
    if error.errno == errno.ENOENT:
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return BriefingError(
                    f"{shown}: a symbolic link to {os.readlink(path)}, which does not exist"
                )
        except OSError:
            pass
        return BriefingError(f"{shown}: no such file")
    if error.errno == errno.ENOTDIR:
        return BriefingError(f"{shown}: no such file (a part of the path is not a directory)")
    if isinstance(error, PermissionError):
        return BriefingError(f"{shown}: permission denied")
    return BriefingError(f"{shown}: cannot be read ({error.strerror or error})")


def _read_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most the size limit. A FIFO, a device or a socket
    is refused before anything is read from it: it is opened without blocking and checked
    on the open descriptor (the path cannot be swapped between the check and the read)."""
    limit = _max_bytes()
    try:
        before = os.stat(path)
    except OSError as e:
        raise _missing(path, shown, e) from None
    if not stat.S_ISREG(before.st_mode):
        raise _not_regular(before.st_mode, shown)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise _missing(path, shown, e) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode, shown)
        if info.st_size > limit:
            raise BriefingError(
                f"{shown}: {_mb(info.st_size)} is larger than the {_mb(limit)} limit; not opened"
            )
        try:
            return _read_stream(f, shown)
        except OSError as e:
            raise BriefingError(f"{shown}: cannot be read ({e.strerror or e})") from None


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
    data = _read_file(path, shown)
    return briefing_from_bytes(data, str(path.resolve()), shown, name=path.name)
