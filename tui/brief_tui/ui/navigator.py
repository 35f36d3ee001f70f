"""Finding one's way in the text: the search (``/``, n, N) and the jumps from the side panel
to an actor's mentions, a claim, a source's claims or a dated sentence. The reader screen
owns one :class:`Navigator` and sees it through the same :class:`ReaderHost` as the others."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.binding import Binding

from brief_tui.ui.panel.base import plural

if TYPE_CHECKING:
    from rich.style import Style

    from brief_tui.ui.host import ReaderHost


#: the reader's keys for finding its way (the screen lists them with its own)
NAVIGATION_BINDINGS = [
    Binding("slash", "search", "Search", id="app.search"),
    Binding("n", "search_step(1)", "Next match", id="app.search_next"),
    Binding("N", "search_step(-1)", "Prev match", id="app.search_prev", show=False),
    Binding("c", "claim_step(1)", "Next claim", id="app.next_claim", show=False),
    Binding("C", "claim_step(-1)", "Prev claim", id="app.prev_claim", show=False),
]


def search_pattern(query: str) -> re.Pattern[str]:
    """Case-insensitive; a straight quote also finds the curly ones, and any run of spaces
    finds any run of white space (line breaks included)."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", query.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
            continue
        for ch in token:
            if ch in "'’‘":
                parts.append("['’‘]")
            elif ch in '"“”':
                parts.append('["“”]')
            else:
                parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE)


class Navigator:
    """The search's state and the jumps; every move ends with the status line redrawn."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        self.query = ""
        self.matches: list[tuple[int, int]] = []
        self.index = -1
        #: the claim (in text order) c / C last went to
        self.claim_index = -1

    def reset(self) -> None:
        self.query, self.matches, self.index = "", [], -1
        self.claim_index = -1

    # ------------------------------------------------------------------ search
    def search(self, query: str) -> int:
        """Highlight every case-insensitive match of ``query``; move to the first one at or
        after the cursor. Returns the number of matches."""
        host = self.host
        article = host.article()
        if article is None:
            return 0
        self.query = query
        self.matches = []
        self.index = -1
        if query.strip():
            pattern = search_pattern(query)
            self.matches = [(m.start(), m.end()) for m in pattern.finditer(host.briefing.text)]
        article.set_layer("search", ((s, e, host.marks.search) for s, e in self.matches))
        if self.matches:
            cursor = article.cursor
            idx = next((i for i, (s, _) in enumerate(self.matches) if s >= cursor), 0)
            self.goto_match(idx)
        else:
            article.set_layer("current", [])
            if query:
                host.notify(f"No match for “{query}”", severity="warning")
        host.update_status()
        return len(self.matches)

    def goto_match(self, idx: int) -> None:
        article = self.host.article()
        if article is None:
            return
        self.index = idx
        span = self.matches[idx]
        article.current = span
        article.set_layer("current", [(span[0], span[1], self.host.marks.search_current)])
        article.cursor = span[0]
        article.scroll_to_offset(span[0])
        # the reader moved: a selection kept from before is not what h acts on any more
        article.post_message(article.CursorMoved(article, span[0], "match"))
        self.host.update_status()

    def step(self, n: int) -> None:
        """n / N: the next or previous match; with no search, the next or previous of the
        highlighted mentions or claims."""
        host = self.host
        article = host.article()
        if article is None:
            return
        if not self.matches:
            spans = article.layer_spans("focus")
            if spans:
                cur = article.current[0] if article.current else article.cursor
                if n > 0:
                    nxt = next((sp for sp in spans if sp[0] > cur), spans[0])
                else:
                    nxt = next((sp for sp in reversed(spans) if sp[0] < cur), spans[-1])
                article.show_current(nxt, "mention")
                where = spans.index(nxt) + 1
                host.focus_label = re.sub(r" \(\d+/\d+\)$", "", host.focus_label)
                host.focus_label += f" ({where}/{len(spans)})"
                host.update_status()
                return
            if self.query:
                host.app.bell()
            return
        self.goto_match((self.index + n) % len(self.matches))

    def restyle(self) -> None:
        """Draw the matches again in the current marks (after a theme change)."""
        article = self.host.article()
        if article is None:
            return
        marks = self.host.marks
        article.set_layer("search", ((s, e, marks.search) for s, e in self.matches))
        if self.matches and 0 <= self.index < len(self.matches):
            span = self.matches[self.index]
            article.set_layer("current", [(span[0], span[1], marks.search_current)])

    # ------------------------------------------------------------------ jumps
    def _show_across(
        self, kind: str, name: str, aliases: list[str], actor_kind: str | None
    ) -> None:
        host = self.host
        if host.store is not None and (panel := host.panel()) is not None:
            panel.show_across(
                host.store, host.briefing.id, kind, name, aliases, actor_kind=actor_kind
            )

    def jump_to_actor(self, actor_id: str, *, at: int | None = None) -> None:
        """An actor's mentions marked, the first (or the one holding ``at``) current."""
        host = self.host
        article = host.article()
        if host.analysis is None or article is None:
            return
        actor = host.analysis.actor(actor_id)
        if actor is None or not actor.mentions:
            return
        spans = sorted((m.start, m.end) for m in actor.mentions)
        self._show_across("actor", actor.name, list(actor.aliases), actor.kind)
        article.set_layer("focus", ((s, e, host.marks.focus) for s, e in spans))
        host.focus_label = f"{actor.name}: {plural(len(spans), 'mention')}"
        here = next((sp for sp in spans if at is not None and sp[0] <= at < sp[1]), spans[0])
        article.show_current(here, f"actor {actor.name}")
        article.focus()
        host.update_status()

    def jump_to_claim(self, claim_id: str) -> None:
        host = self.host
        article = host.article()
        if host.analysis is None or article is None:
            return
        claim = next((c for c in host.analysis.claims if c.id == claim_id), None)
        if claim is None:
            return
        spans: list[tuple[int, int, Style]] = [(claim.start, claim.end, host.marks.sentence)]
        spans += [(f.start, f.end, host.marks.content) for f in claim.content]
        article.set_layer("focus", spans)
        src = host.analysis.source(claim.source)
        host.focus_label = f"claim by {src.name}" if src else "unsourced statement"
        article.show_current((claim.start, claim.end), "claim")
        article.set_layer("current", [])
        article.focus()
        host.update_status()

    def claim_step(self, n: int) -> None:
        """c / C: the next or previous claim in text order from the cursor, shown as a jump
        from the Claims list shows it; the bell past the first or the last. When the Claims
        list is filtered (its keys or f), only the claims it shows."""
        host = self.host
        article = host.article()
        if host.analysis is None or article is None:
            return
        panel = host.panel()
        data = panel.data if panel is not None else None
        filtered = data is not None and data.claims_filtered
        pool = data.shown_claims() if data is not None and filtered else host.analysis.claims
        claims = sorted(pool, key=lambda c: (c.start, c.end, c.id))
        if not claims:
            host.app.bell()
            if data is not None and filtered:
                host.notify(
                    f"No claim is shown ({data.claims_filter_words()}): backspace on the "
                    "Claims list or f clears the filter.",
                    severity="warning",
                )
            return
        cursor = article.cursor
        # on a claim's sentence (several claims may share one): step from that claim
        at = self.claim_index if 0 <= self.claim_index < len(claims) else -1
        if at < 0 or claims[at].start != cursor:
            at = -1
        if at >= 0:
            target = at + n
        elif n > 0:
            # a claim starting at the cursor but not shown yet is the next one
            shown = article.current
            target = next(
                (
                    i
                    for i, c in enumerate(claims)
                    if c.start > cursor or (c.start == cursor and shown != (c.start, c.end))
                ),
                len(claims),
            )
        else:
            target = next((i for i in reversed(range(len(claims))) if claims[i].start < cursor), -1)
        if not 0 <= target < len(claims):
            host.app.bell()
            return
        claim = claims[target]
        self.jump_to_claim(claim.id)
        self.claim_index = target
        host.focus_label += f" ({target + 1}/{len(claims)}{' shown' if filtered else ''})"
        if panel is not None:  # the Claims list follows, if it is built
            widget = panel.list_of("tab-claims")
            if widget is not None and widget.holds(claim.id):
                widget.move_cursor(row=widget.get_row_index(claim.id))
        host.update_status()

    def jump_to_source(self, source_id: str) -> None:
        host = self.host
        article = host.article()
        analysis = host.analysis
        if analysis is None or article is None:
            return
        src = analysis.source(source_id)
        claims = [
            c for c in analysis.claims if c.source == source_id or self.cites(c.source, source_id)
        ]
        if src is None or not claims:
            host.notify("No claim in the text rests on this source.", severity="warning")
            return
        backer = analysis.actor(src.actor)
        if backer is not None:
            self._show_across("source", backer.name, [*backer.aliases, src.name], backer.kind)
        else:
            self._show_across("source", src.name, [], None)
        article.set_layer("focus", ((c.start, c.end, host.marks.sentence) for c in claims))
        host.focus_label = f"{src.name}: {plural(len(claims), 'claim')}"
        article.show_current((claims[0].start, claims[0].end), "source")
        article.set_layer("current", [])
        article.focus()
        host.update_status()

    def jump_to_event(self, key: str) -> None:
        """A Timeline row ("start:end:at"): its sentence, with the date's place in it."""
        article = self.host.article()
        if article is None:
            return
        start, end, at = (int(x) for x in key.split(":"))
        marks = self.host.marks
        article.set_layer("focus", [(start, end, marks.sentence), (at, at + 1, marks.content)])
        article.show_current((start, end), "dated sentence")
        article.set_layer("current", [])
        article.focus()

    def cites(self, source_id: str | None, origin: str | None) -> bool:
        """True when ``source_id`` cites ``origin`` somewhere along its chain."""
        analysis = self.host.analysis
        if analysis is None or origin is None:
            return False
        seen: set[str] = set()
        src = analysis.source(source_id)
        while src is not None and src.id not in seen:
            if src.via == origin:
                return True
            seen.add(src.id)
            src = analysis.source(src.via)
        return False
