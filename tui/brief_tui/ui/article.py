"""The article pane: a ScrollView that wraps the text once per width and renders only the
visible lines (Textual's Line API), with styled layers laid over character offsets."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from brief_tui.ui.wrap import CONTROL as _CONTROL
from brief_tui.ui.wrap import wrap_paragraph

GUTTER = 3
#: a layer change of at most this many spans (old and new) redraws only their lines
FEW_SPANS = 16
#: texts longer than this (characters; ~30k words) get their first frame from a wrap of their
#: first screens only: the whole of a 300k-word text takes ~50 ms to wrap
FIRST_SCREEN_FROM = 200_000


#: spans longer than this (characters) are kept apart in a layer (see Layer)
_LONG_SPAN = 2048


def combine_marks(marks: list[str], room: int = GUTTER - 1) -> str:
    """The margin's marks of one line in the ``room`` it has: each kind once, a note's ✎
    always among them (a highlight's ★ beside it, not instead of it)."""
    chars: list[str] = []
    for mark in marks:
        for ch in mark:
            if ch not in chars:
                chars.append(ch)
    if len(chars) <= room:
        return "".join(chars)
    if "✎" in chars:
        others = [c for c in chars if c != "✎"]
        return "".join(others[: room - 1]) + "✎"
    return "".join(chars[:room])


_by_offsets = itemgetter(0, 1)


@dataclass(slots=True)
class Layer:
    """Spans with a style each, sorted by (start, end); spans may overlap.

    Spans up to ``_LONG_SPAN`` characters are found by bisecting their starts (looking back
    by the longest of them); the few longer ones (a whole paragraph or claim shown as the
    current item) are kept apart and checked one by one, so that one long span does not make
    every line scan the whole layer."""

    spans: list[tuple[int, int, Style]] = field(default_factory=list)
    short: list[tuple[int, int, Style]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    long: list[tuple[int, int, Style]] = field(default_factory=list)
    longest: int = 0

    @classmethod
    def build(cls, spans: Iterable[tuple[int, int, Style]]) -> Layer:
        items = sorted((s for s in spans if s[1] > s[0]), key=_by_offsets)
        short = [s for s in items if s[1] - s[0] <= _LONG_SPAN]
        long = [s for s in items if s[1] - s[0] > _LONG_SPAN] if len(short) < len(items) else []
        return cls(
            spans=items,
            short=short,
            starts=[s[0] for s in short],
            long=long,
            longest=max((e - s for s, e, _ in short), default=0),
        )

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        hi = bisect_left(self.starts, end)
        lo = bisect_left(self.starts, start - self.longest)
        found = [s for s in self.short[lo:hi] if s[1] > start]
        if self.long:
            extra = [s for s in self.long if s[0] < end and s[1] > start]
            if extra:
                found = sorted(found + extra, key=_by_offsets)
        return found


#: Layers are drawn in this order; later ones are combined over earlier ones.
LAYER_ORDER = (
    "entities",
    "hedges",
    "claims",
    "annotations",
    "focus",
    "search",
    "current",
    "filter",
)


class ArticleView(ScrollView, can_focus=True):
    """Shows one briefing's text. Offsets everywhere are indices into ``text``."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
        #: paragraphs wrapped so far at ``_wrap_width``: fewer than all only between the
        #: mount of a long text and its first frame (see ``on_mount``)
        self._wrapped = 0
        self._layers: dict[str, Layer] = {name: Layer() for name in LAYER_ORDER}
        #: finished strips (gutter, styled text, padded and cropped to the view) by line index
        self._strip_cache: LRUCache[int, Strip] = LRUCache(1024)
        self._strip_width = -1
        self._base_style: Style | None = None
        self._entities: list[tuple[int, int, str]] = []
        self._entity_index: list[int] = []
        #: entities given but not all laid yet (see set_entities), and the text range whose
        #: entities are laid meanwhile
        self._pending_entities: tuple[Sequence[tuple[int, int, str]], dict[str, Style]] | None
        self._pending_entities = None
        self._laid = (0, 0)
        self._sentences: list[tuple[int, int]] = []
        self._sentence_starts: list[int] = []
        self.current: tuple[int, int] | None = None
        self.gutter_marks: dict[int, tuple[str, Style]] = {}
        self._gutter_offsets: list[int] = []
        #: the reading-position mark drawn in the gutter's first column on the cursor's line
        self.cursor_mark: tuple[str, Style] = ("›", Style(bold=True))
        #: width of the scrollable content, kept from the last resize (asking the widget
        #: for its region costs a compositor look-up, too much to do for every line)
        self._content_width = 0
        self._when_drawn: Callable[[], object] | None = None
        #: True while the view scrolls to show the cursor (it must not follow the view then)
        self._keep_cursor = False

    # ------------------------------------------------------------------ layout
    @property
    def text_width(self) -> int:
        return max(8, self.content_width - GUTTER - 1)

    @property
    def content_width(self) -> int:
        if self._content_width <= 0:
            self._content_width = self.scrollable_content_region.width
        return self._content_width

    @property
    def _partial(self) -> bool:
        return self._wrapped < len(self.paragraphs)

    def _rewrap(self, *, first_screen: bool = False) -> None:
        """Wrap the whole text for the current width, once per width (a 300k-word text takes
        ~50 ms), keeping the text at the top of the view at the top.

        With ``first_screen`` only the paragraphs that fill the first few screens are wrapped
        (the scroll bar's size is estimated from them): what a long text's first frame needs.
        The rest is wrapped by the next call without it (``on_mount`` asks for it after the
        first frame; anything that needs line numbers beyond the first screens, such as
        ``line_of``, asks first)."""
        if self.content_width <= 0:
            return  # not laid out yet: wrapping to a made-up width would be wasted
        width = self.text_width
        if width == self._wrap_width and not self._partial:
            return
        go_on = width == self._wrap_width  # a partial wrap at this width: finish it
        anchor = self.top_offset() if self._lines and not go_on else 0
        lines: list[tuple[int, int]] = self._lines if go_on else []
        extend = lines.extend
        text = self.text
        find = text.find
        paragraphs = self.paragraphs
        first = self._wrapped if go_on else 0
        enough = 3 * max(1, self.scrollable_content_region.height) if first_screen else 0
        i = first
        for i in range(first, len(paragraphs)):
            ps, pe = paragraphs[i]
            if i:
                lines.append((ps, ps))  # blank line between paragraphs
            # a paragraph holding newlines (from a format handler) breaks at each of them
            s = ps
            nl = find("\n", s, pe)
            while nl >= 0:
                extend(wrap_paragraph(text, s, nl, width))
                s = nl + 1
                nl = find("\n", s, pe)
            extend(wrap_paragraph(text, s, pe, width))
            if enough and len(lines) >= enough:
                break
        else:
            i = len(paragraphs) - 1
        self._wrapped = i + 1 if paragraphs else 0
        self._lines = lines or [(0, 0)]
        self._line_starts = [s for s, _ in self._lines]
        self._wrap_width = width
        self._strip_cache.clear()
        height = len(self._lines)
        if self._partial:  # as many lines again per character as wrapped so far
            done = max(1, paragraphs[self._wrapped - 1][1] if self._wrapped else 1)
            height = max(height, round(height * len(text) / done))
        self.virtual_size = Size(width + GUTTER, height)
        if anchor:
            # the text at the top stays at the top, unless that leaves the cursor's line out
            # of view: "here" stays on screen
            y = self.line_of(anchor)
            line, rows = self.line_of(self.cursor), max(1, self.scrollable_content_region.height)
            if not y <= line < y + rows:
                y = max(0, line - rows // 3)
            self._scroll_keeping_cursor(y)

    def on_resize(self) -> None:
        self._content_width = self.scrollable_content_region.width
        self._wrap_on_arrival()
        self.keep_cursor_in_view()
        self.refresh()

    def _scroll_keeping_cursor(self, y: float) -> None:
        """Scroll to line ``y`` without the cursor following the view (the caller has put
        the cursor's line in view)."""
        self._keep_cursor = True
        try:
            # force: a view just made has no scroll bar until its first layout, and Textual
            # ignores a scroll then (a briefing opened at an offset stayed at its top)
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        finally:
            self._keep_cursor = False

    def keep_cursor_in_view(self) -> None:
        """A smaller view (a resize, a bar shown below it): scroll so that the cursor's line
        is still on screen."""
        if not self._lines or self._wrap_width < 0:
            return
        line = self.line_of(self.cursor)
        top, rows = int(self.scroll_offset.y), max(1, self.scrollable_content_region.height)
        if not top <= line < top + rows:
            self._scroll_keeping_cursor(max(0, line - rows // 3))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """However the view scrolled (the wheel, the scroll bar, a key), the cursor stays on
        screen: the reading mark is always where v, h and a act."""
        super().watch_scroll_y(old_value, new_value)
        if not self._keep_cursor and round(old_value) != round(new_value):
            self._cursor_follow_view()

    def on_mount(self) -> None:
        self._content_width = self.scrollable_content_region.width
        self._wrap_on_arrival()

    def _wrap_on_arrival(self) -> None:
        if self._wrap_width < 0 and len(self.text) > FIRST_SCREEN_FROM:
            # the first wrap of a long text: its first frame needs its first screens only;
            # the rest is wrapped just after that frame
            self._rewrap(first_screen=True)
            if self._wrap_width >= 0:
                self.call_after_refresh(self._rewrap)
        else:
            self._rewrap()

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus, CSS): the cached strips carry the old base style."""
        super().notify_style_update()
        self._base_style = None
        self._strip_cache.clear()

    @property
    def lines(self) -> list[tuple[int, int]]:
        """Wrapped lines as (start, end) offsets (computed for the current width)."""
        self._rewrap()
        return self._lines

    def line_of(self, offset: int) -> int:
        """Index of the wrapped line holding ``offset``."""
        if self._partial and offset >= self.paragraphs[self._wrapped][0]:
            self._rewrap()  # beyond the first screens wrapped so far
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
        old = self._layers[name]
        new = self._layers[name] = Layer.build(spans)
        if len(old.spans) + len(new.spans) <= FEW_SPANS:
            # a handful of spans (the current item, a selection): redraw only their lines
            self._refresh_spans([(s, e) for s, e, _ in old.spans + new.spans])
        else:
            self.refresh_lines()

    def _refresh_spans(self, spans: Iterable[tuple[int, int]]) -> None:
        """Redraw the lines holding these text spans (and nothing else)."""
        if not self._lines:
            return
        top = int(self.scroll_offset.y)
        bottom = top + max(1, self.scrollable_content_region.height)
        for start, end in spans:
            first = self.line_of(start)
            last = self.line_of(max(start, end - 1))
            for line in range(first, last + 1):
                self._strip_cache.discard(line)
            # only what is on screen needs painting; the rest is drawn when scrolled to
            a, b = max(first, top), min(last, bottom)
            if a <= b:
                super().refresh_lines(a, b - a + 1)

    def watch_cursor(self, old: int, new: int) -> None:
        old_line, new_line = self.line_of(old), self.line_of(new)
        if old_line != new_line:  # the reading-position mark moves with it
            self._refresh_spans([(old, old), (new, new)])

    def layer_spans(self, name: str) -> list[tuple[int, int]]:
        self._lay_all_entities()
        return [(s, e) for s, e, _ in self._layers[name].spans]

    def set_entities(self, spans: Sequence[tuple[int, int, str]], styles: dict[str, Style]) -> None:
        """Lay entities over the text. Those around the lines on screen (a screen above and
        below) are laid now; the rest (a long analysis has tens of thousands) just after the
        next frame, or as soon as anything needs them (a line beyond, an entity jump)."""
        self._pending_entities = (spans, styles)
        if not self._lines or len(spans) <= 4 * FEW_SPANS:
            self._lay_all_entities()
            return
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        last = len(self._lines) - 1
        lo = self._lines[min(max(0, top - height), last)][0]
        hi = self._lines[min(top + 2 * height, last)][1] + 1
        self._laid = (lo, hi)
        plain = Style()
        self.set_layer(
            "entities",
            [(s, e, styles.get(label, plain)) for s, e, label in spans if s < hi and e > lo],
        )
        self.call_after_refresh(self._lay_all_entities)

    def _lay_all_entities(self) -> None:
        pending, self._pending_entities = self._pending_entities, None
        if pending is None:
            return
        spans, styles = pending
        self._entities = sorted(spans)
        self._entity_index = [s for s, _, _ in self._entities]
        plain = Style()
        styled = [(s, e, styles.get(label, plain)) for s, e, label in self._entities]
        if self._laid == (0, 0):
            self.set_layer("entities", styled)
            return
        # the lines drawn meanwhile showed these same entities: no redraw
        self._laid = (0, 0)
        self._layers["entities"] = Layer.build(styled)

    @property
    def _entity_spans(self) -> list[tuple[int, int, str]]:
        self._lay_all_entities()
        return self._entities

    @property
    def _entity_starts(self) -> list[int]:
        self._lay_all_entities()
        return self._entity_index

    def set_sentences(self, sentences: Sequence[tuple[int, int]]) -> None:
        self._sentences = sorted(sentences)
        self._sentence_starts = [s for s, _ in self._sentences]

    def set_gutter(
        self, marks: dict[int, tuple[str, Style]], cursor_mark: tuple[str, Style] | None = None
    ) -> None:
        """Marks shown in the left margin, keyed by text offset (drawn on that offset's line),
        and the reading-position mark the cursor's line shows in its first column."""
        cursor_mark = cursor_mark or self.cursor_mark
        if marks == self.gutter_marks and cursor_mark == self.cursor_mark:
            return
        self.gutter_marks = marks
        self.cursor_mark = cursor_mark
        self._gutter_offsets = sorted(marks)
        self.refresh_lines()

    def refresh_lines(self, y_start: int | None = None, line_count: int = 1) -> None:
        """Drop the cached strips and redraw: the whole view (no arguments: after a layer or
        gutter change) or the text lines ``y_start``.. (as ``ScrollView.refresh_lines``)."""
        self._strip_cache.clear()  # only the visible lines are drawn again: cheap
        if y_start is None:
            self.refresh()
        else:
            super().refresh_lines(y_start, line_count)

    # ------------------------------------------------------------------ render
    def _style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` (on the message loop) once the text has been drawn: just after
        the frame that first shows it, not after the frames that settle the layout after it."""
        self._when_drawn = callback

    def render_line(self, y: int) -> Strip:
        if self.text_width != self._wrap_width:  # (a partial wrap is enough to draw)
            self._wrap_on_arrival()
        if self._when_drawn is not None and self._wrap_width >= 0:
            callback, self._when_drawn = self._when_drawn, None
            self.app.call_later(callback)
        width = self.content_width
        if width != self._strip_width:
            self._strip_cache.clear()
            self._strip_width = width
        index = int(self.scroll_offset.y) + y
        strip = self._strip_cache.get(index)
        if strip is None:
            base = self._style()
            if index >= len(self._lines):
                return Strip.blank(width, base)
            strip = self._render_text_line(index).extend_cell_length(width, base).crop(0, width)
            self._strip_cache.set(index, strip)
        return strip

    def _gutter_for(self, index: int) -> tuple[str, Style] | None:
        """The mark of the first offset from this line's start up to the next line's."""
        offsets = self._gutter_offsets
        if not offsets:
            return None
        start = self._lines[index][0]
        nxt = self._lines[index + 1][0] if index + 1 < len(self._lines) else len(self.text) + 1
        i = bisect_left(offsets, start)
        found: list[tuple[str, Style]] = []
        while i < len(offsets) and offsets[i] < max(nxt, start + 1):
            found.append(self.gutter_marks[offsets[i]])
            i += 1
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        return (" " + combine_marks([m[0].strip() for m in found]), found[0][1])

    def _render_text_line(self, index: int) -> Strip:
        start, end = self._lines[index]
        if self._pending_entities is not None and not self._laid[0] <= start <= end < self._laid[1]:
            self._lay_all_entities()  # a line beyond those laid first
        base = self._style()
        segments: list[Segment] = []
        mark = self._gutter_for(index) if start != end else None
        if start != end and index == self.line_of(self.cursor):
            # column 1 shows the reading position, columns 2-3 the line's own mark
            own = mark[0][1:] if mark else ""
            mark = (self.cursor_mark[0] + own, self.cursor_mark[1])
        if mark:
            segments.append(Segment(mark[0][:GUTTER].ljust(GUTTER), base + mark[1]))
        else:
            segments.append(Segment(" " * GUTTER, base))
        if start == end:
            return Strip(segments)
        raw = self.text[start:end].translate(_CONTROL)
        active: list[tuple[int, int, Style]] = []
        for name in LAYER_ORDER:
            layer = self._layers[name]
            if layer.spans:
                active.extend(layer.overlapping(start, end))
        if not active:
            segments.append(Segment(raw, base))
            return Strip(segments)
        cuts = {start, end}
        for s, e, _ in active:
            cuts.add(max(s, start))
            cuts.add(min(e, end))
        points = sorted(cuts)
        for a, b in pairwise(points):
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
                self._scroll_keeping_cursor(max(0, line - height // 3))
        else:
            self._scroll_keeping_cursor(line)

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

    def _move_cursor_to(self, offset: int, what: str = "scroll") -> None:
        """Scrolling (or a click) took the reading position along: the item marked before
        is left behind, so motions start from where the reader now is."""
        self.cursor = offset
        if self.current is not None and offset != self.current[0]:
            # (inside a long paragraph too: v would otherwise start at its first line,
            # scrolled away from the mark)
            self.current = None
            self.set_layer("current", [])
        self.post_message(self.CursorMoved(self, offset, what))

    def go_to(self, offset: int, what: str = "move") -> None:
        """Put the cursor at ``offset`` (a click, a passage a filter keeps) and bring it
        into view."""
        self._move_cursor_to(offset, what)
        self.scroll_to_offset(offset)

    def action_top(self) -> None:
        self._scroll_keeping_cursor(0)
        self._move_cursor_to(0)

    def action_bottom(self) -> None:
        self._rewrap()
        self._scroll_keeping_cursor(self.max_scroll_y)
        if self._lines:
            # the first line of the last screen: where the reader's eye lands
            top = min(int(self.scroll_offset.y), len(self._lines) - 1)
            self._move_cursor_to(self._lines[top][0])

    def _cursor_follow_view(self) -> None:
        """After scrolling, keep the cursor on screen: move it to the first visible line."""
        if not self._lines:
            return
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        line = self.line_of(self.cursor)
        if not (top <= line < bottom):
            self._move_cursor_to(self._lines[min(top, len(self._lines) - 1)][0])

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
