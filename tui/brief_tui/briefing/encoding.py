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

    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise BriefingError(f"{where}: not text in any encoding that could be recognised")
    enc = canonical_codec(best.encoding)
    text = str(best)
    if enc != "cp1252" and _is_single_byte(enc):
        # the detector's other single-byte readings, in its order, may read better
        readings = [(enc, text)]
        for match in results:
            other = canonical_codec(match.encoding or "")
            if other not in ("cp1252", enc) and _is_single_byte(other):
                readings.append((other, str(match)))
        enc, text = max(readings, key=lambda r: _coverage(r[1], _OTHER_ALPHABETS))
        western = cp1252_instead(data, text)
        if western is not None:
            text, enc = western, "cp1252"
    if _too_many_controls(text):
        raise BriefingError(binary_message(data, where))
    return text, enc


def _is_single_byte(enc: str) -> bool:
    """A code page of one byte per character (cp1250, latin-1, koi8-r, mac-roman …)."""
    if enc.startswith(("utf", "iso2022")):
        return False
    try:
        return len(bytes(range(256)).decode(enc, "replace")) == 256
    except LookupError:
        return False


# --------------------------------------------------------------------------- code pages
#
# Among single-byte code pages charset-normalizer often guesses wrong on short texts:
# Western European text in cp1252 comes back as cp1250 ("naïve" -> "naďve"), cp1257 or
# cp775 ("Café" -> "Cafķ"), Hungarian cp1250 as cp775. Of the single-byte readings it
# offers, the one whose accented letters one Central European, Baltic, Turkish, Cyrillic
# or Greek alphabet accounts for best is taken (ties in the detector's order). Then the
# same bytes read as cp1252 are preferred when every non-ASCII character that gives is a
# Western European letter or a typographic mark, when such letters stay a minority of the
# letters (Cyrillic read as cp1252 is all accents), and when one Western language's
# alphabet accounts for its accented letters at least as well as the other reading's are
# accounted for. Ties go to cp1252, by far the most common of these code pages.

#: accented letters of Western European languages (lower case)
_WESTERN_ALPHABETS: tuple[str, ...] = (
    "àâçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "àçéèíïòóúü",  # Catalan
    "áéèëïóöü",  # Dutch
    "åæøé",  # Danish, Norwegian
    "åäöé",  # Swedish, Finnish
    "áðéíóöúýþæ",  # Icelandic
)
#: accented letters of the languages the other single-byte code pages serve (lower case)
_OTHER_ALPHABETS: tuple[str, ...] = (
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Slovene, Croatian, Bosnian
    "ăâîşţșț",  # Romanian
    "äöüß",  # German
    "āčēģīķļņšū",  # Latvian
    "ąčęėįšųūž",  # Lithuanian
    "äöõüšž",  # Estonian
    "çğıöşü",  # Turkish
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґўђјљњћџѓќѕ",  # Cyrillic
    "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",  # Greek
)
_WESTERN_LETTERS = frozenset("".join(_WESTERN_ALPHABETS) + "šž")
#: typographic marks and symbols of Western text ("¿" and "¡" only before a word)
_WESTERN_MARKS = frozenset(
    "\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u20ac\u2122"
    "«»\u2039\u203a°§©®±·×÷£¥¢½¼¾¶†‡ªºµ"
)
#: above this share of accented letters among all letters a cp1252 reading is mojibake
_MAX_ACCENTED_SHARE = 0.3


def _coverage(text: str, alphabets: tuple[str, ...]) -> float:
    """The largest share of the non-ASCII letters of ``text`` that one alphabet accounts
    for (1.0 when there are none)."""
    letters = [c for c in text.lower() if ord(c) > 127 and c.isalpha() and c not in _WESTERN_MARKS]
    if not letters:
        return 1.0
    return max(sum(c in alphabet for c in letters) for alphabet in alphabets) / len(letters)


def cp1252_instead(data: bytes, detected: str) -> str | None:
    """The cp1252 reading of ``data`` when it should win over ``detected``, the reading of
    another single-byte code page (see above); None when the detected one stands."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return None  # a byte cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    if western == detected:
        return western
    accented = 0
    letters = 0
    previous = " "
    for c in western:
        if c in _WESTERN_MARKS:
            pass
        elif c.isalpha():
            letters += 1
            if ord(c) > 127:
                if c.lower() not in _WESTERN_LETTERS:
                    return None
                accented += 1
        elif ord(c) > 127 and (c not in "¿¡" or previous.isalnum()):
            return None  # a symbol, or "ka¿dy": a Polish "ż" read as cp1252
        previous = c
    if letters and accented / letters > _MAX_ACCENTED_SHARE:
        return None
    if _coverage(western, _WESTERN_ALPHABETS) < _coverage(detected, _OTHER_ALPHABETS):
        return None
    return western


_META_CHARSET = re.compile(
    rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
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
