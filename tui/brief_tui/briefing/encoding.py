"""Decoding the bytes of a text briefing: BOMs, UTF-8 first, then detection.

charset-normalizer is imported only when the bytes are not UTF-8.
"""

from __future__ import annotations

import codecs
import re

from brief_tui.briefing.model import BriefingError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: magic numbers of common binary files, to say what a refused file looks like
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
)


def binary_message(data: bytes, where: str) -> str:
    kind = next((name for magic, name in _MAGIC if data.startswith(magic)), "")
    what = f"a binary file ({kind})" if kind else "a binary file"
    return f"{where}: this is {what}, not a text briefing"


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) when the bytes start with a Unicode byte-order mark."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    # control characters other than tab, LF, CR, FF, ESC and SUB make up a good part: not text
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 26, 27))
    return bool(head) and ctrl / len(head) > 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: every other byte of ASCII-range text is a NUL."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0) / len(head[0::2])
    odd_nuls = head[1::2].count(0) / len(head[1::2])
    if odd_nuls > 0.6 and even_nuls < 0.1:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.1:
        return "utf-16-be"
    return None


def _too_many_controls(text: str) -> bool:
    head = text[:8192]
    ctrl = sum(1 for c in head if (ord(c) < 32 and c not in "\t\n\r\f\x1a\x1b") or c == "\x00")
    return bool(head) and ctrl / len(head) > 0.05


def canonical_codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def decode_bytes(data: bytes, where: str, *, declared: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding used).

    Order: a BOM decides; then UTF-8; then an encoding the container declared (HTTP header,
    HTML meta); then detection with charset-normalizer. Binary data is refused."""
    if not data:
        return "", "utf-8"
    bom = bom_encoding(data)
    if bom is not None:
        enc, skip = bom
        try:
            return data[skip:].decode(enc), enc
        except UnicodeDecodeError:
            raise BriefingError(
                f"{where}: starts with a {enc} byte-order mark but is not valid {enc}"
            ) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            if not _too_many_controls(text):
                return text, utf16
    if looks_binary(data):
        raise BriefingError(binary_message(data, where))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        enc = canonical_codec(declared)
        if enc not in ("utf-8",):
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass
    return _detect(data, where)


def _detect(data: bytes, where: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise BriefingError(f"{where}: not text in any encoding that could be recognised")
    enc = canonical_codec(best.encoding)
    text = str(best)
    # Short western texts are often labelled cp1250 or latin-1 when cp1252 reads them the
    # same: say cp1252, the encoding such files nearly always are.
    if enc != "cp1252" and enc in _SINGLE_BYTE_WESTERN:
        try:
            if data.decode("cp1252") == text:
                enc = "cp1252"
        except UnicodeDecodeError:
            pass
    if _too_many_controls(text):
        raise BriefingError(binary_message(data, where))
    return text, enc


_SINGLE_BYTE_WESTERN = frozenset(
    canonical_codec(n)
    for n in (
        "latin-1",
        "iso8859-15",
        "cp1250",
        "cp1257",
        "cp1254",
        "iso8859-2",
        "iso8859-9",
        "mac-roman",
    )
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def html_declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 kB (meta tag or XML prolog)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
