"""The one boundary for text from outside: documents, titles, HTTP headers, config values,
error messages built from them, and what the database hands back.

A terminal acts on some characters instead of showing them: C0 controls (ESC starts the
sequences that write the clipboard, set the window title or reset the terminal), DEL, the C1
controls (U+0080-U+009F; U+009B alone is a CSI on some terminals) and the bidirectional
embeddings, overrides and isolates (they reorder what is shown, so a quote can read other
than it is). Text from outside passes through :func:`clean_text` (a body: one character for
one, so offsets stay the same) or :func:`clean_line` (a title, a table cell, an error line)
where it is read; whatever shows it then treats it as text, never as markup.
"""

from __future__ import annotations

import re

#: what stands for a character that must not reach a terminal (one character for one)
REPLACEMENT = "\ufffd"

_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))

_BODY = {cp: REPLACEMENT for cp in range(32) if cp not in (9, 10)}
# page breaks and vertical tabs (common in text taken from PDFs) and a lone carriage return
# end a line
_BODY.update({11: "\n", 12: "\n", 13: "\n"})
_BODY.update({cp: REPLACEMENT for cp in range(0x7F, 0xA0)})
_BODY.update({cp: REPLACEMENT for cp in _BIDI})

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\x85]")


def clean_text(text: str) -> str:
    """A body of text fit for a terminal: every control but tab and newline, and every bidi
    embedding, override or isolate, replaced one for one (offsets into it stay valid)."""
    if _UNSAFE.search(text) is None:  # the usual case, without a copy
        return text
    return text.translate(_BODY)


def clean_line(text: str, limit: int | None = None) -> str:
    """One line fit for a terminal: controls and bidi characters replaced, line breaks and
    runs of white space made one space, at most ``limit`` characters (an ellipsis ends a
    line cut short)."""
    if _UNSAFE_OR_BREAK.search(text) is not None:
        text = text.translate(_BODY)
    line = " ".join(text.split())
    if limit is not None and len(line) > limit:
        line = line[: max(0, limit - 1)].rstrip() + "…"
    return line


def is_clean(text: str) -> bool:
    """True when ``text`` holds nothing a terminal would act on (tab and newline allowed)."""
    return _UNSAFE.search(text) is None


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_escape_unsafe(dumped: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with every character a
    terminal would act on written as a ``\\uXXXX`` escape: the same JSON value, code points
    and all, but safe to print. (``json.dumps`` escapes C0 controls itself; these characters
    can only stand inside strings.)"""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
