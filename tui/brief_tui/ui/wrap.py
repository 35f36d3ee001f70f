"""Word wrap measured in terminal cells, as Rich measures them, fast enough for a whole
book: the article wraps its text with :func:`wrap_paragraph` once per width, and the side
panel's lists their long lines."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate

from rich.cells import get_character_cell_size, split_graphemes

# Characters that would break the terminal are shown as a visible placeholder of one cell,
# so offsets and columns stay the same (C0 controls but the newline, DEL and C1 controls).
CONTROL = {i: "\u241f" for i in range(32) if i not in (9, 10)}
CONTROL[9] = " "
CONTROL.update({i: "\u2421" for i in range(127, 160)})


@functools.cache
def _not_single_cell() -> re.Pattern[str]:
    """A pattern matching any character that may not take exactly one cell as Rich (and so
    Textual) measures it: wide (CJK, emoji), zero-width (combining marks, joiners, variation
    selectors), and every character beyond the BMP. Control characters count as one cell:
    they are drawn as one-cell placeholders.

    Written as a negated class of BMP ranges, which ``re`` matches with a bitmap (a class
    listing the odd ranges themselves, astral ones included, is tested range by range and
    is ~80 times slower on a 2 MB text)."""
    try:
        from rich.cells import load_cell_table

        odd = sorted((s, e) for s, e, w in load_cell_table("auto").widths if w != 1 and e > 0)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other Rich
        odd = []
        for cp in range(32, 0x10000):
            if (cp < 127 or cp >= 160) and get_character_cell_size(chr(cp)) != 1:
                if odd and odd[-1][1] == cp - 1:
                    odd[-1] = (odd[-1][0], cp)
                else:
                    odd.append((cp, cp))
    single: list[tuple[int, int]] = []
    cur = 0
    for s, e in odd:
        if s > 0xFFFF:
            break
        if s > cur:
            single.append((cur, s - 1))
        cur = max(cur, e + 1)
    if cur <= 0xFFFF:
        single.append((cur, 0xFFFF))

    def esc(cp: int) -> str:
        return re.escape(chr(cp))

    body = "".join(esc(s) + ("-" + esc(e) if e > s else "") for s, e in single)
    return re.compile(f"[^{body}]")


class _CellWidths(dict[str, int]):
    """Cell width by character, filled from Rich on first sight (a dict lookup through
    ``map`` is several times faster than calling the lru-cached Rich function per character)."""

    def __missing__(self, ch: str) -> int:
        cp = ord(ch)
        # controls are drawn as one-cell placeholders (see CONTROL)
        width = self[ch] = 1 if cp < 32 or 127 <= cp < 160 else get_character_cell_size(ch)
        return width


_CELLS = _CellWidths()


def _zero_width(ch: str) -> bool:
    """A combining mark or another zero-width character (controls are drawn one cell wide)."""
    return _CELLS[ch] == 0


def _line_end_cells(chunk: str, width: int) -> tuple[int, int, int]:
    """Measure ``chunk`` as Rich does (but controls as one cell) and return (fit, total,
    rest): ``fit`` is the index of the first grapheme that does not fit in ``width`` cells
    (len(chunk) if all fit), ``total`` the cells of the chunk, and ``rest`` the index after
    the first grapheme (a line holds at least one)."""
    if "\u200d" not in chunk and "\ufe0f" not in chunk:
        widths = list(map(_CELLS.__getitem__, chunk))
        cum = list(accumulate(widths))
        total = cum[-1] if cum else 0
        fit = bisect_right(cum, width)
        rest = 1
        while rest < len(chunk) and widths[rest] == 0:
            rest += 1
        return fit, total, rest
    spans, total = split_graphemes(chunk.translate(CONTROL))
    cells = 0
    fit = len(chunk)
    for a, _b, c in spans:
        if cells + c > width:
            fit = a
            break
        cells += c
    rest = spans[0][1] if spans else 1
    return fit, total, rest


def wrap_paragraph(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] into lines of at most ``width`` cells.

    Returns (start, end) offsets of each line; the spaces a line breaks at belong to no
    line. Words longer than the width are broken hard, never inside a grapheme (a base
    character keeps its combining marks). Cells are counted as Rich counts them (wide
    characters two cells, combining marks none); stretches where every character is one cell
    wide, which is nearly all text, are wrapped with ``str.rfind`` without measuring.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    append = lines.append
    find_odd = _not_single_cell().search
    rfind = text.rfind
    pos = start
    m = find_odd(text, pos, end)
    odd = m.start() if m else end  # next character that is not one cell wide
    guess = width + 1
    while pos < end:
        if odd < pos:
            m = find_odd(text, pos, end)
            odd = m.start() if m else end
        stop = pos + width  # the line ends here if every character is one cell
        if stop >= end and odd >= end:
            append((pos, end))
            break
        if odd > stop:
            # the window pos..stop (inclusive) is all one-cell characters
            brk = rfind(" ", pos + 1, stop + 1)
            if brk < 0:
                brk = nxt = stop
            else:
                nxt = brk + 1
        else:
            # measure: take enough characters to overflow the width (or the paragraph)
            size = guess
            while True:
                chunk_end = min(end, pos + size)
                chunk = text[pos:chunk_end]
                fit, total, rest = _line_end_cells(chunk, width)
                if total > width or chunk_end >= end:
                    break
                size *= 2
            if fit >= len(chunk) and chunk_end >= end:
                append((pos, end))
                break
            guess = min(2 * width + 2, max(8, fit + fit // 4 + 4))
            i = pos + fit  # first character that does not fit
            if text[i] == " " and (i + 1 >= end or not _zero_width(text[i + 1])):
                brk, nxt = i, i + 1
            else:
                brk = rfind(" ", pos + 1, i)
                # a space carrying a combining mark is not a break
                while brk > pos and _zero_width(text[brk + 1]):
                    brk = rfind(" ", pos + 1, brk)
                if brk > pos:
                    nxt = brk + 1
                else:
                    brk = nxt = pos + max(fit, rest)
        e = brk
        while e > pos + 1 and text[e - 1] == " ":
            e -= 1
        append((pos, e))
        pos = nxt
        while pos < end and text[pos] == " ":
            pos += 1
    return lines or [(start, start)]
