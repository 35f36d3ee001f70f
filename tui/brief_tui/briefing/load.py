"""Load a briefing from a path or standard input into an immutable ``Briefing``.

A briefing's text is normalised (line ends to LF, BOM removed, trailing whitespace of the
whole text kept as is otherwise) and its id is the SHA-256 of that text, so that the same
article opened twice maps to the same saved annotations.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

#: Refuse to read files larger than this (bytes); a briefing of 300 pages is ~2 MB of text.
MAX_BYTES = 64 * 1024 * 1024


class BriefingError(Exception):
    """A briefing could not be read. The message is one line, fit to show a user."""


@dataclass(frozen=True, slots=True)
class Briefing:
    id: str
    title: str
    text: str
    #: where it came from: an absolute path, "<stdin>", or later a URL
    origin: str
    #: (start, end) of each paragraph in ``text``
    paragraphs: tuple[tuple[int, int], ...] = field(default=())
    #: the document format it was read as ("text", "markdown", ...)
    format: str = "text"
    #: the encoding the bytes were decoded with
    encoding: str = "utf-8"

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


def normalise_text(text: str) -> str:
    """The canonical form the id is computed on: LF line ends, no BOM, no NULs."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


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
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def briefing_from_text(
    text: str, origin: str, *, fmt: str = "text", encoding: str = "utf-8", title: str | None = None
) -> Briefing:
    text = normalise_text(text)
    name = Path(origin).name if origin not in ("<stdin>",) else "standard input"
    return Briefing(
        id=briefing_id(text),
        title=title or _title_of(text, name),
        text=text,
        origin=origin,
        paragraphs=paragraph_spans(text),
        format=fmt,
        encoding=encoding,
    )


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    # control characters other than tab, LF, CR, FF make up a good part: not text
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and ctrl / len(head) > 0.05


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding used)."""
    if _looks_binary(data):
        raise BriefingError(f"{where}: this is a binary file, not a text briefing")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise BriefingError(
            f"{where}: not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "convert it with e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def _read_stream(stream: BinaryIO, where: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BriefingError(f"{where}: larger than {MAX_BYTES // (1024 * 1024)} MB; not opened")
    return data


def load_briefing(source: str | Path) -> Briefing:
    """Read a briefing from a path, or from standard input when ``source`` is ``-``."""
    if str(source) == "-":
        data = _read_stream(sys.stdin.buffer, "standard input")
        text, enc = decode_bytes(data, "standard input")
        return briefing_from_text(text, "<stdin>", encoding=enc)
    path = Path(source).expanduser()
    shown = str(source)
    if not path.exists():
        raise BriefingError(f"{shown}: no such file")
    if path.is_dir():
        raise BriefingError(f"{shown}: is a directory, not a briefing file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BriefingError(
                f"{shown}: {size / 1e6:.0f} MB is larger than the "
                f"{MAX_BYTES // (1024 * 1024)} MB limit; not opened"
            )
        with path.open("rb") as f:
            data = _read_stream(f, shown)
    except PermissionError:
        raise BriefingError(f"{shown}: permission denied") from None
    except OSError as e:
        raise BriefingError(f"{shown}: cannot be read ({e.strerror or e})") from None
    text, enc = decode_bytes(data, shown)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return briefing_from_text(text, str(path.resolve()), fmt=fmt, encoding=enc)
