"""The article pane: a ScrollView that wraps the text once per width and renders only the
visible lines (Textual's Line API), with styled layers laid over character offsets."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

GUTTER = 2

# Characters that would break the terminal are shown as a visible placeholder of one cell,
# so offsets and columns stay the same.
_CONTROL = {i: "\u241f" for i in range(32) if i not in (9, 10)}
_CONTROL[9] = " "
_CONTROL[127] = "\u2421"


def wrap_paragraph(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] into lines of at most ``width`` cells.

    Returns (start, end) offsets of each line; the spaces a line breaks at belong to no
    line. Words longer than the width are broken hard. Wide characters count two cells.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    para = text[start:end]
    if para.isascii():
        pos = 0
        n = len(para)
        while pos < n:
            if n - pos <= width:
                lines.append((start + pos, end))
                break
            brk = para.rfind(" ", pos, pos + width + 1)
            if brk <= pos:
                brk = pos + width
                lines.append((start + pos, start + brk))
                pos = brk
            else:
                lines.append((start + pos, start + brk))
                pos = brk + 1
            while pos < n and para[pos] == " ":
                pos += 1
        return lines or [(start, start)]
    # general case: count cells character by character
    pos = 0
    n = len(para)
    while pos < n:
        cells = 0
        i = pos
        last_space = -1
        while i < n:
            ch = para[i]
            w = get_character_cell_size(ch) if ch != "\t" else 1
            if cells + w > width:
                break
            if ch == " ":
                last_space = i
            cells += w
            i += 1
        if i >= n:
            lines.append((start + pos, end))
            break
        if para[i] == " ":
            brk, nxt = i, i + 1
        elif last_space > pos:
            brk, nxt = last_space, last_space + 1
        else:
            brk = nxt = max(i, pos + 1)
        lines.append((start + pos, start + brk))
        pos = nxt
        while pos < n and para[pos] == " ":
            pos += 1
    return lines or [(start, start)]


@dataclass(slots=True)
class Layer:
    """Spans with a style each, sorted by start; spans may overlap."""

    spans: list[tuple[int, int, Style]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    longest: int = 0

    @classmethod
    def build(cls, spans: Iterable[tuple[int, int, Style]]) -> Layer:
        items = sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], s[1]))
        return cls(
            spans=items,
            starts=[s[0] for s in items],
            longest=max((e - s for s, e, _ in items), default=0),
        )

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        hi = bisect_left(self.starts, end)
        lo = bisect_left(self.starts, start - self.longest)
        return [s for s in self.spans[lo:hi] if s[1] > start]


#: Layers are drawn in this order; later ones are combined over earlier ones.
LAYER_ORDER = ("entities", "hedges", "claims", "annotations", "focus", "search", "current")


class ArticleView(ScrollView, can_focus=True):
    """Shows one briefing's text. Offsets everywhere are indices into ``text``."""

    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", id="article.down", show=False),
        Binding("k,up", "scroll_lines(-1)", "Up", id="article.up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", id="article.page_down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", id="article.page_up", show=False),
        Binding("g,home", "top", "Top", id="article.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="article.bottom", show=False),
        Binding("e", "entity(1)", "Next entity", id="article.next_entity"),
        Binding("E", "entity(-1)", "Prev entity", id="article.prev_entity", show=False),
        Binding(")", "sentence(1)", "Next sentence", id="article.next_sentence", show=False),
        Binding("(", "sentence(-1)", "Prev sentence", id="article.prev_sentence", show=False),
        Binding("}", "paragraph(1)", "Next paragraph", id="article.next_paragraph", show=False),
        Binding("{", "paragraph(-1)", "Prev paragraph", id="article.prev_paragraph", show=False),
    ]

    DEFAULT_CSS = """
    ArticleView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    #: the character offset the reader is at (start of the current item)
    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    class CursorMoved(Message):
        def __init__(self, view: ArticleView, offset: int, what: str) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.what = what

    def __init__(
        self,
        text: str,
        paragraphs: Sequence[tuple[int, int]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text
        self.paragraphs: list[tuple[int, int]] = list(paragraphs)
        self._para_starts = [p[0] for p in self.paragraphs]
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrap_width = -1
        self._layers: dict[str, Layer] = {name: Layer() for name in LAYER_ORDER}
        self._strip_cache: dict[int, Strip] = {}
        self._entity_spans: list[tuple[int, int, str]] = []
        self._entity_starts: list[int] = []
        self._sentences: list[tuple[int, int]] = []
        self._sentence_starts: list[int] = []
        self.current: tuple[int, int] | None = None
        self.gutter_marks: dict[int, tuple[str, Style]] = {}

    # ------------------------------------------------------------------ layout
    @property
    def text_width(self) -> int:
        return max(8, self.scrollable_content_region.width - GUTTER - 1)

    def _rewrap(self) -> None:
        width = self.text_width
        if width == self._wrap_width:
            return
        anchor = self.top_offset() if self._lines else 0
        lines: list[tuple[int, int]] = []
        text = self.text
        for i, (ps, pe) in enumerate(self.paragraphs):
            if i:
                lines.append((ps, ps))  # blank line between paragraphs
            lines.extend(wrap_paragraph(text, ps, pe, width))
        self._lines = lines or [(0, 0)]
        self._line_starts = [s for s, _ in self._lines]
        self._wrap_width = width
        self._strip_cache.clear()
        self.virtual_size = Size(width + GUTTER, len(self._lines))
        if anchor:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._rewrap()
        self.refresh()

    def on_mount(self) -> None:
        self._rewrap()

    @property
    def lines(self) -> list[tuple[int, int]]:
        """Wrapped lines as (start, end) offsets (computed for the current width)."""
        self._rewrap()
        return self._lines

    def line_of(self, offset: int) -> int:
        """Index of the wrapped line holding ``offset``."""
        # a blank separator line starts where the next paragraph starts; bisect_right
        # lands on the paragraph's own first line, which is the one we want
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def top_offset(self) -> int:
        if not self._lines:
            return 0
        y = min(int(self.scroll_offset.y), len(self._lines) - 1)
        return self._lines[y][0]

    def visible_lines(self) -> list[str]:
        """The text of the lines on screen (for tests and the status line)."""
        self._rewrap()
        y0 = int(self.scroll_offset.y)
        h = self.scrollable_content_region.height
        return [self.text[s:e] for s, e in self._lines[y0 : y0 + h]]

    # ------------------------------------------------------------------ layers
    def set_layer(self, name: str, spans: Iterable[tuple[int, int, Style]]) -> None:
        self._layers[name] = Layer.build(spans)
        self.refresh_lines()

    def layer_spans(self, name: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in self._layers[name].spans]

    def set_entities(self, spans: Sequence[tuple[int, int, str]], styles: dict[str, Style]) -> None:
        self._entity_spans = sorted(spans)
        self._entity_starts = [s for s, _, _ in self._entity_spans]
        self.set_layer(
            "entities", ((s, e, styles.get(label, Style())) for s, e, label in self._entity_spans)
        )

    def set_sentences(self, sentences: Sequence[tuple[int, int]]) -> None:
        self._sentences = sorted(sentences)
        self._sentence_starts = [s for s, _ in self._sentences]

    def set_gutter(self, marks: dict[int, tuple[str, Style]]) -> None:
        """Marks shown in the left margin, keyed by text offset (drawn on that offset's line)."""
        self.gutter_marks = marks
        self.refresh_lines()

    def refresh_lines(self) -> None:
        self._strip_cache.clear()
        self.refresh()

    # ------------------------------------------------------------------ render
    def render_line(self, y: int) -> Strip:
        self._rewrap()
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strip_cache.get(index)
        if strip is None:
            strip = self._render_text_line(index)
            if len(self._strip_cache) > 4096:
                self._strip_cache.clear()
            self._strip_cache[index] = strip
        return strip.extend_cell_length(width, self.rich_style).crop(0, width)

    def _gutter_for(self, start: int, end: int) -> tuple[str, Style] | None:
        if not self.gutter_marks:
            return None
        for off, mark in self.gutter_marks.items():
            if start <= off < max(end, start + 1):
                return mark
        return None

    def _render_text_line(self, index: int) -> Strip:
        start, end = self._lines[index]
        base = self.rich_style
        segments: list[Segment] = []
        mark = self._gutter_for(start, end) if start != end else None
        if mark:
            segments.append(Segment(mark[0][:GUTTER].ljust(GUTTER), base + mark[1]))
        else:
            segments.append(Segment(" " * GUTTER, base))
        if start == end:
            return Strip(segments)
        raw = self.text[start:end].translate(_CONTROL)
        active: list[tuple[int, int, Style]] = []
        for name in LAYER_ORDER:
            active.extend(self._layers[name].overlapping(start, end))
        if not active:
            segments.append(Segment(raw, base))
            return Strip(segments)
        cuts = {start, end}
        for s, e, _ in active:
            cuts.add(max(s, start))
            cuts.add(min(e, end))
        points = sorted(cuts)
        for a, b in zip(points, points[1:]):
            style = base
            for s, e, st in active:
                if s < b and e > a:
                    style = style + st
            segments.append(Segment(raw[a - start : b - start], style))
        return Strip(segments)

    # ------------------------------------------------------------------ moving
    def scroll_to_offset(self, offset: int, *, center: bool = True) -> None:
        self._rewrap()
        line = self.line_of(offset)
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if center:
            if not (top <= line < top + height - 1):
                self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)
        else:
            self.scroll_to(y=line, animate=False, immediate=True)

    def show_current(self, span: tuple[int, int] | None, what: str = "") -> None:
        """Mark ``span`` as the current item, move the cursor there and bring it in view."""
        self.current = span
        self.set_layer("current", [(span[0], span[1], Style(reverse=True))] if span else [])
        if span:
            self.cursor = span[0]
            self.scroll_to_offset(span[0])
            self.post_message(self.CursorMoved(self, span[0], what))

    def action_scroll_lines(self, n: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + n, animate=False, immediate=True)
        self._cursor_follow_view()

    def action_page(self, n: int) -> None:
        h = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + n * h, animate=False, immediate=True)
        self._cursor_follow_view()

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = 0

    def action_bottom(self) -> None:
        self._rewrap()
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self.cursor = self._lines[-1][0] if self._lines else 0

    def _cursor_follow_view(self) -> None:
        """After scrolling, keep the cursor on screen: move it to the first visible line."""
        if not self._lines:
            return
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        line = self.line_of(self.cursor)
        if not (top <= line < bottom):
            self.cursor = self._lines[min(top, len(self._lines) - 1)][0]

    def _step(self, starts: list[int], n: int) -> int | None:
        """Index of the next (n>0) or previous (n<0) start relative to the cursor."""
        if not starts:
            return None
        cur = self.current[0] if self.current else self.cursor
        if n > 0:
            i = bisect_right(starts, cur)
            if self.current is None and i > 0 and starts[i - 1] == cur:
                i -= 1
            return i if i < len(starts) else None
        i = bisect_left(starts, cur) - 1
        return i if i >= 0 else None

    def action_entity(self, n: int) -> None:
        i = self._step(self._entity_starts, n)
        if i is None:
            self.app.bell()
            return
        s, e, label = self._entity_spans[i]
        self.show_current((s, e), f"entity {i + 1}/{len(self._entity_spans)}: {label}")

    def action_sentence(self, n: int) -> None:
        spans = self._sentences or self.paragraphs
        starts = self._sentence_starts if self._sentences else self._para_starts
        i = self._step(starts, n)
        if i is None:
            self.app.bell()
            return
        self.show_current(spans[i], f"sentence {i + 1}/{len(spans)}")

    def action_paragraph(self, n: int) -> None:
        i = self._step(self._para_starts, n)
        if i is None:
            self.app.bell()
            return
        self.show_current(self.paragraphs[i], f"paragraph {i + 1}/{len(self.paragraphs)}")

    def current_sentence(self) -> tuple[int, int] | None:
        """The sentence holding the cursor (or the paragraph before the analysis is ready)."""
        spans = self._sentences or self.paragraphs
        starts = self._sentence_starts if self._sentences else self._para_starts
        i = bisect_right(starts, self.cursor) - 1
        if i < 0:
            return spans[0] if spans else None
        return spans[i]

    def region_of_offset(self, offset: int) -> Region:
        return Region(GUTTER, self.line_of(offset), 1, 1)
