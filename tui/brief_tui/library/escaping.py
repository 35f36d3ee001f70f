"""Text an export writes, made safe for its format: everything in it comes from outside (the
document, the database, what was typed), and nothing in it may act on a terminal or break
the format. JSON and YAML keep every code point (escaped); Markdown shows controls as
U+FFFD, one for one, like the reader does."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from brief_tui.briefing.untrusted import clean_text

#: what JSON and YAML escape besides C0 (which json.dumps escapes): DEL, C1, bidi embeddings,
#: overrides, isolates and marks, the line and paragraph separators, the BOM, the
#: noncharacters U+FFFE/U+FFFF and lone surrogates
_ESCAPED = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _u_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def json_text(doc: Any) -> str:
    """``doc`` as JSON text (UTF-8, indented) with every control, bidi character and
    noncharacter written as a ``\\uXXXX`` escape: the code points survive exactly, and the
    text shown on a terminal cannot act on it."""
    return _ESCAPED.sub(_u_escape, json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar that YAML 1.1 and 1.2 readers accept: JSON string syntax
    (a subset of YAML's), with every character YAML does not allow raw (DEL, C1, U+FFFE,
    U+FFFF …) and the line breaks YAML 1.1 knows (U+0085, U+2028, U+2029) escaped. A lone
    surrogate, which no YAML reader accepts even escaped, becomes U+FFFD."""
    value = _SURROGATE.sub("\ufffd", value)
    return _ESCAPED.sub(_u_escape, json.dumps(value, ensure_ascii=False))


def _plain(text: str) -> str:
    """Text fit for a Markdown file shown on a terminal: CRLF as LF, every control but tab
    and newline and every bidi control replaced one for one (see briefing.untrusted)."""
    return clean_text(_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n")))


# Backslash-escaped wherever they are: CommonMark's inline syntax and Obsidian's (# starts a
# tag, ^ a block id, [[ a link, $ maths, ~~ strike-through).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#^])")


# Obsidian's %%comment%% and ==highlight== are not undone by a backslash: a doubled mark is
# broken with a character reference (shown as the character itself).
_DOUBLED = re.compile(r"([%=])(?=\1)")


_REFERENCE = {"%": "&#37;", "=": "&#61;"}


_LINE_START = re.compile(r"^(\s*)(\d+)?([>+=-]|(?<=\d)[.)])")


# Spaces or tabs that start a line would make an indented code block: they are kept visible
# as no-break spaces (a tab as four), which Markdown does not count as indentation.
_INDENT = re.compile(r"^[ \t]+")


def _indent(m: re.Match[str]) -> str:
    return m.group().replace("\t", "    ").replace(" ", "\u00a0")


def md_escape(text: str) -> str:
    """Escape text so Markdown (and Obsidian) shows it literally, one line (line breaks
    become spaces)."""
    return md_escape_lines(" ".join(_plain(text).splitlines()))


def md_escape_lines(text: str) -> str:
    """Escape each line so Markdown (and Obsidian) shows it literally; line breaks are kept."""
    out = []
    for line in _plain(text).split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = _DOUBLED.sub(lambda m: _REFERENCE[m.group(1)], line)
        line = _INDENT.sub(_indent, line)
        line = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) or "") + "\\" + m.group(3), line)
        out.append(line)
    return "\n".join(out)


def blockquote(text: str) -> str:
    lines = md_escape_lines(text).split("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def md_paragraphs(text: str, indent: str = "") -> str:
    """A multi-line note: escaped, single line breaks kept as hard breaks (trailing ``\\``),
    blank lines as paragraph breaks; every line after the first starts with ``indent`` (to
    stay inside a list item)."""
    lines = md_escape_lines(text.strip("\n")).split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        line = line.rstrip()
        if line.strip() and nxt.strip():
            line += "\\"
        if i and line.strip():
            line = indent + line
        out.append(line if line.strip() else "")
    return "\n".join(out)


def code_span(text: str) -> str:
    text = " ".join(_plain(text).splitlines())
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def iso_time(dt: datetime) -> str:
    """UTC as the W3C model asks: seconds, ending in 'Z'."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_text(value: str) -> str | None:
    """A stored ISO 8601 time in the form :func:`iso_time` writes, or None if it is not one."""
    try:
        return iso_time(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None


# Obsidian tags: letters, digits, _, - and / (nesting), and at least one non-digit.
_NOT_TAG = re.compile(r"[^\w/-]+")


def obsidian_tag(tag: str) -> str | None:
    """The form of ``tag`` Obsidian accepts as a tag (other characters become '_', an all-digit
    tag gets a leading '_'), or None if nothing of it is left."""
    t = _NOT_TAG.sub("_", _plain(tag)).strip("/")
    t = re.sub(r"/+", "/", t)
    if not t.strip("_/"):
        return None
    if t.replace("/", "").isdigit():
        t = "_" + t
    return t
