"""Reading aids: filters that dim all but what matters now, copying out (as a citation),
clicking entities, and the command palette's own commands."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import get_character_cell_size
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets.option_list import Option

from brief_tui.briefing.untrusted import clean_line
from brief_tui.ui.article import GUTTER, ArticleView
from brief_tui.ui.host import CommandsHost, ReadingFilter
from brief_tui.ui.panel import PanelList, plural
from brief_tui.ui.safe import Label, OptionList, Static, plain

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis, Claim
    from brief_tui.briefing import Briefing
    from brief_tui.ui.host import ReaderHost

READING_BINDINGS = [
    Binding("f", "filter", "Filter", id="reading.filter"),
    Binding("y", "copy", "Copy", id="reading.copy"),
]

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "right_parenthesis": ")",
    "left_parenthesis": "(",
    "right_curly_bracket": "}",
    "left_curly_bracket": "{",
}

FILTER_KINDS = {
    "source": "claims from a source",
    "hedged": "hedged sentences",
    "unsourced": "unsourced statements",
    "actor": "sentences mentioning an actor",
    "annotated": "annotated passages",
}


def claim_citation(briefing: Briefing, analysis: Analysis, claim: Claim) -> str:
    """‘…’ — Lee Seong-kweun (South Korean lawmaker), citing NIS; <title>, <date>."""
    text = analysis.text
    if claim.content:
        body = " … ".join(" ".join(text[c.start : c.end].split()) for c in claim.content)
    else:
        body = " ".join(text[claim.start : claim.end].split())
    body = body.strip().strip("“”\"'‘’").strip()
    # reported speech: "warned that X" cites X
    body = re.sub(r"^(?:that|whether)\s+", "", body)
    parts = [f"‘{body}’"]
    src = analysis.source(claim.source)
    if src is not None:
        who = src.name + (f" ({src.descriptor})" if src.descriptor else "")
        chain: list[str] = []
        seen = {src.id}
        via = analysis.source(src.via)
        while via is not None and via.id not in seen:
            seen.add(via.id)
            chain.append(via.name)
            via = analysis.source(via.via)
        if chain:
            who += ", citing " + ", citing ".join(chain)
        parts.append(f" — {who}")
    else:
        parts.append(" — unsourced (the author)")
    date = getattr(briefing, "date", None)
    where = briefing.title + (f", {date.isoformat()}" if date else "")
    return "".join(parts) + f"; {where}"


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one item from a list (enter), or esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        *[
            Binding(str(i), f"pick({i - 1})", f"Choose entry {i}", id=f"choice.{i}", show=False)
            for i in range(1, 10)
        ],
    ]

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            self.dismiss(self.choices[index][0])

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical { width: 80; max-width: 95%; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 1 2; }
    ChoiceScreen OptionList { height: auto; max-height: 24; }
    ChoiceScreen .title { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices])
            yield Static("enter chooses · esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Reading:
    """Reading aids on one reader screen: the filter, copying out, clicking entities."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        #: what the text is filtered to (None: everything is bright)
        self.reading_filter: ReadingFilter | None = None

    # ------------------------------------------------------------------ filters
    def filter(self) -> None:
        app = self.host
        if app.briefing.is_empty:
            return
        if self.reading_filter is not None:
            self.set_filter(None)
            return
        choices = [(k, f"{i + 1}  {v}") for i, (k, v) in enumerate(FILTER_KINDS.items())]
        app.app.push_screen(ChoiceScreen("Show only…", choices), self._filter_kind_chosen)

    def _filter_kind_chosen(self, kind: str | None) -> None:
        app = self.host
        if kind is None:
            return
        analysis = app.analysis
        if kind in ("source", "actor", "hedged", "unsourced") and analysis is None:
            app.notify("The analysis is not ready yet.", severity="warning")
            return
        if kind in ("source", "actor") and analysis is None:
            return
        if kind == "source" and analysis is not None:
            counts: dict[str, int] = {}
            for c in analysis.claims:
                if c.source:
                    counts[c.source] = counts.get(c.source, 0) + 1
            from brief_tui.ui.panel import source_label

            choices = [
                (s.id, f"{source_label(analysis, s.id)}  ({plural(counts.get(s.id, 0), 'claim')})")
                for s in sorted(analysis.sources, key=lambda s: -counts.get(s.id, 0))
            ]
            app.app.push_screen(
                ChoiceScreen("Claims from which source?", choices),
                partial(self._filter_target, "source"),
            )
        elif kind == "actor" and analysis is not None:
            choices = [
                (a.id, f"{a.name}  ({plural(len(a.mentions), 'mention')})")
                for a in sorted(analysis.actors, key=lambda a: -len(a.mentions))
            ]
            app.app.push_screen(
                ChoiceScreen("Sentences mentioning which actor?", choices),
                partial(self._filter_target, "actor"),
            )
        else:
            self.set_filter(ReadingFilter(kind, None, FILTER_KINDS[kind]))

    def _filter_target(self, kind: str, target: str | None) -> None:
        app = self.host
        if target is None or app.analysis is None:
            return
        if kind == "source":
            src = app.analysis.source(target)
            label = f"claims from {src.name if src else target}"
        else:
            actor = app.analysis.actor(target)
            label = f"sentences mentioning {actor.name if actor else target}"
        self.set_filter(ReadingFilter(kind, target, label))

    def set_filter(self, flt: ReadingFilter | None) -> None:
        self.reading_filter = flt
        self.apply_filter()
        app = self.host
        if flt is not None:
            kept = self.filter_spans(flt)
            article = app.article()
            if kept and article is not None:
                # the cursor stays in a passage kept, else goes to the next one (or the first)
                at = article.cursor
                if not any(s <= at < e for s, e in kept):
                    article.go_to(next((s for s, _ in kept if s >= at), kept[0][0]), "filter")
            app.notify(f"Showing {flt.label}: {plural(len(kept), 'passage')}. f or esc clears.")
        app.update_status()

    def filter_spans(self, flt: ReadingFilter) -> list[tuple[int, int]]:
        """The spans a filter keeps bright."""
        app = self.host
        analysis = app.analysis
        spans: list[tuple[int, int]] = []
        if flt.kind == "annotated":
            spans = [
                (a.start, a.end)
                for a in app.annotations
                if not a.orphan and a.start is not None and a.end is not None
            ]
        elif analysis is not None:
            if flt.kind == "source":
                spans = [
                    (c.start, c.end)
                    for c in analysis.claims
                    if c.source == flt.target or app.cites(c.source, flt.target)
                ]
            elif flt.kind == "hedged":
                spans = [(c.start, c.end) for c in analysis.claims if c.hedges]
            elif flt.kind == "unsourced":
                spans = [(c.start, c.end) for c in analysis.claims if not c.source]
            elif flt.kind == "actor":
                actor = analysis.actor(flt.target)
                if actor is not None:
                    sentences = [(s.start, s.end) for s in analysis.sentences]
                    import bisect

                    starts = [s for s, _ in sentences]
                    for m in actor.mentions:
                        i = bisect.bisect_right(starts, m.start) - 1
                        if i >= 0:
                            spans.append(sentences[i])
        return sorted(set(spans))

    def apply_filter(self) -> None:
        app = self.host
        article = app.article()
        if article is None:  # an empty briefing has no article
            return
        flt = self.reading_filter
        panel = app.panel()
        if flt is None:
            article.set_layer("filter", [])
            if panel is not None:
                panel.set_narrow(None)
            return
        kept = self.filter_spans(flt)
        if panel is not None:  # the Claims and Sources lists keep what the text keeps
            panel.set_narrow(kept, flt.label)
        dim = app.marks.dimmed
        out = []
        pos = 0
        for s, e in kept:
            if s > pos:
                out.append((pos, s, dim))
            pos = max(pos, e)
        if pos < len(app.briefing.text):
            out.append((pos, len(app.briefing.text), dim))
        article.set_layer("filter", out)

    # ------------------------------------------------------------------ copy
    def copy_text(self) -> tuple[str, str] | None:
        """(what, text) for `y`, from whatever is selected."""
        app = self.host
        analysis = app.analysis
        focused: object = app.app.focused
        key = focused.selected_key() if isinstance(focused, PanelList) else None
        kind = focused.kind if isinstance(focused, PanelList) else ""
        if kind == "claim" and analysis is not None and key is not None:
            claim = next((c for c in analysis.claims if c.id == key), None)
            if claim:
                return "the claim as a citation", claim_citation(app.briefing, analysis, claim)
        if kind == "note" and key is not None:
            a = next((x for x in app.annotations if x.id == key), None)
            if a is not None:
                quote = f"> {a.exact}\n\n" if a.exact else ""
                tags = (" " + " ".join("#" + t for t in a.tags)) if a.tags else ""
                return "the note", f"{quote}{a.note or ''}{tags}".strip()
        if key is not None and analysis is not None:
            if kind == "actor" and (actor := analysis.actor(key)):
                extra = [x for x in actor.aliases if x != actor.name]
                text = actor.name + (f" (also: {', '.join(extra)})" if extra else "")
                if actor.descriptors:
                    text += " — " + "; ".join(actor.descriptors)
                return "the actor", text
            if kind == "source" and (src := analysis.source(key)):
                from brief_tui.ui.panel import source_label

                text = source_label(analysis, src.id) + (
                    f" ({src.descriptor})" if src.descriptor else ""
                )
                return "the source", text
        article = app.article()
        if article is None:
            return None
        if app.selection is not None:
            s, e = app.selection
            return "the selected text", app.briefing.text[s:e]
        if analysis is not None:
            for c in analysis.claims:
                if c.start <= article.cursor < c.end and c.source:
                    return "the claim as a citation", claim_citation(app.briefing, analysis, c)
        sent = article.current_sentence()
        if sent:
            return "the sentence", app.briefing.text[sent[0] : sent[1]].strip()
        return None

    def copy(self) -> None:
        app = self.host
        got = self.copy_text()
        if got is None:
            app.notify("Nothing to copy here.", severity="warning")
            return
        what, text = got
        app.app.copy_to_clipboard(text)
        shown = text if len(text) <= 120 else text[:119] + "…"
        if clipboard_refused():
            app.notify(
                "Your terminal does not take clipboard writes (OSC 52); "
                f"select this by hand:\n{text}",
                title="Copy",
                severity="warning",
                timeout=30,
            )
        else:
            app.notify(f"Copied {what}: {shown}", title="Copy")

    # ------------------------------------------------------------------ mouse
    def offset_at(self, article: ArticleView, x: int, y: int) -> int | None:
        """The text offset under content coordinates (x, y) of the article, if any."""
        lines = article.lines
        index = int(article.scroll_offset.y) + y
        if not (0 <= index < len(lines)):
            return None
        start, end = lines[index]
        col = x - GUTTER
        if col < 0 or start == end:
            return None
        cells = 0
        for i in range(start, end):
            w = get_character_cell_size(app_char(article.text[i]))
            if cells <= col < cells + w:
                return i
            cells += w
        return None

    def click(self, event: events.Click) -> None:
        """A click in the text puts the cursor there (what v, h and a act on); a click on an
        entity also shows its actor's mentions, the one clicked as the current."""
        app = self.host
        widget = event.widget
        if not isinstance(widget, ArticleView):
            return
        offset_xy = event.get_content_offset(widget)
        if offset_xy is None:
            return
        off = self.offset_at(widget, offset_xy.x, offset_xy.y)
        if off is None:
            return
        widget.go_to(off, "click")
        if app.analysis is None:
            return
        entity = next((e for e in app.analysis.entities if e.start <= off < e.end), None)
        if entity is None or entity.actor is None:
            return
        app.jump_to_actor(entity.actor, at=off)
        panel = app.panel()
        if panel is not None:
            panel.select("tab-actors", entity.actor)


def app_char(ch: str) -> str:
    return " " if ch == "\t" else ch


def clipboard_refused() -> bool:
    """Terminals known to ignore OSC 52 clipboard writes."""
    term_program = os.environ.get("TERM_PROGRAM", "")
    term = os.environ.get("TERM", "")
    return term_program == "Apple_Terminal" or term in ("linux", "dumb")


class BriefCommands(Provider):
    """The command palette: every action of the app by name, with its key, plus jumps and
    filters for this briefing's actors and sources."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        app = self.screen
        if not isinstance(app, CommandsHost):
            return
        keymap = dict(self.app._keymap)
        for section, bindings in app.all_bindings():
            if section in (
                "Help",
                "Search box",
                "Note editor",
                "Tag editor",
                "Grade picker",
                "Export dialog",
                "Highlight meanings (after h)",
                "Library (L)",
                "Across tab",
            ):
                continue
            for b in bindings:
                if not b.description or not b.id:
                    continue
                keys = keymap.get(b.id, b.key)
                if section == "Article":
                    run: Callable[[], Any] = partial(app.run_article_action, b.action)
                elif section == "Claims tab":
                    run = partial(self._claims_action, app, b.action)
                elif section in (
                    "Side panel lists",
                    "Sources tab",
                    "Notes tab",
                    "Claim and note detail",
                ):
                    continue
                else:
                    run = partial(self.app.run_action, b.action, app)
                shown = " or ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))
                where = " on the Claims list" if section == "Claims tab" else ""
                yield b.description, run, f"key: {shown}{where} · {b.id}"
        for name in ("brief-dark", "brief-light", "brief-mono"):
            yield f"Theme: {name}", partial(setattr, self.app, "theme", name), "switch the theme"
        for kind, label in FILTER_KINDS.items():
            if kind not in ("source", "actor"):
                yield (
                    f"Filter: {label}",
                    partial(app.set_filter, ReadingFilter(kind, None, label)),
                    "key: f",
                )
        analysis = app.analysis
        if analysis is not None:
            for actor in sorted(analysis.actors, key=lambda a: -len(a.mentions)):
                yield (
                    f"Jump to actor: {actor.name}",
                    partial(app.jump_to_actor, actor.id),
                    f"{len(actor.mentions)} mentions",
                )
                yield (
                    f"Filter: sentences mentioning {actor.name}",
                    partial(
                        app.set_filter,
                        ReadingFilter("actor", actor.id, f"sentences mentioning {actor.name}"),
                    ),
                    "key: f",
                )
            for src in analysis.sources:
                yield f"Jump to source: {src.name}", partial(app.jump_to_source, src.id), src.kind
                yield (
                    f"Filter: claims from {src.name}",
                    partial(
                        app.set_filter, ReadingFilter("source", src.id, f"claims from {src.name}")
                    ),
                    "key: f",
                )
                yield (
                    f"Grade source: {src.name}",
                    partial(app.grade_source, src.id),
                    "key: r in Sources",
                )

    async def _claims_action(self, host: CommandsHost, action: str) -> None:
        """A key of the Claims list run from the palette: on that list, shown and focused."""
        panel = host.panel()
        if panel is None or not panel.ready:
            return
        panel.show_tab("tab-claims")
        panel.focus_list()
        listed = panel.list_of("tab-claims")
        if listed is not None:
            await self.app.run_action(action, listed)

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            # names hold actors' and sources' names: text, not markup
            yield DiscoveryHit(plain(name), run, help=escape(clean_line(help_text)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(escape(clean_line(name))),
                    run,
                    help=escape(clean_line(help_text)),
                )
