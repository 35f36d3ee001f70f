"""The reader's own marks: select, highlight, note, tag, grade, undo, export.

Every action is written to the store the moment it is made (one transaction each), in a
worker thread (another process holding the database must not freeze the screen) that posts
a :class:`SaveFinished` back; the screen is then refreshed from what the store holds, so
what is shown is what is saved. The note editor stays open until its save succeeded; a note
that could not be saved is kept as a draft on disk (:mod:`brief_tui.library.drafts`) and
offered back when the briefing is opened again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual.binding import Binding

from brief_tui.library.annotations import Annotation
from brief_tui.ui import palette
from brief_tui.ui.article import ArticleView, combine_marks
from brief_tui.ui.messages import SaveFinished
from brief_tui.ui.targets import WORD as _WORD
from brief_tui.ui.targets import Target, Targets, word_at

if TYPE_CHECKING:
    from brief_tui.library.drafts import Draft
    from brief_tui.library.store.protocol import LibraryStore as Store
    from brief_tui.ui.dialogs import GradeChoice, NoteEditor
    from brief_tui.ui.host import ReaderHost

ANNOTATION_BINDINGS = [
    Binding("v", "visual", "Select (visual)", id="annotate.visual"),
    Binding("w", "word(1)", "Next word", id="annotate.next_word", show=False),
    Binding("W", "word(-1)", "Prev word", id="annotate.prev_word", show=False),
    Binding("h", "highlight", "Highlight", id="annotate.highlight"),
    Binding("a", "note", "Note", id="annotate.note"),
    Binding("t", "tags", "Tag", id="annotate.tags", show=False),
    Binding("r", "grade", "Grade", id="annotate.grade", show=False),
    Binding("u", "undo", "Undo", id="annotate.undo", show=False),
    Binding("x", "export", "Export", id="annotate.export"),
]

_SAVES = itertools.count(1)


class Annotator:
    """The reader's own marks on one reader screen: the selection, the annotations shown,
    and the saves in flight."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host
        #: where a visual selection began (v), while selecting
        self.visual_anchor: tuple[int, int] | None = None
        #: the selected span (kept after the second v for h, a and t)
        self.selection: tuple[int, int] | None = None
        #: what the store holds for the briefing, as shown
        self.annotations: list[Annotation] = []
        #: saves in flight: token -> (action, on_done, on_fail)
        self.pending_saves: dict[int, tuple[str, Any, Any]] = {}
        self._drafts_offered = ""
        self.targets = Targets(host)

    def reset(self) -> None:
        """Another briefing is shown."""
        self.visual_anchor = None
        self.selection = None
        self.annotations = []

    # ------------------------------------------------------------------ helpers
    def _article(self) -> ArticleView | None:
        return self.host.article()

    def _writable(self) -> Store | None:
        host = self.host
        store = host.store
        if store is None:
            host.notify(
                "The notes store is still opening; try again in a moment.", severity="warning"
            )
            return None
        if store.read_only:
            host.notify(
                f"Read-only: {host.read_only_reason or store.warning}. Nothing was saved.",
                severity="error",
                timeout=8,
            )
            return None
        return store

    def _save(
        self,
        action: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_fail: Callable[[str], None] | None = None,
        *,
        failed: Callable[[str], str] | None = None,
        succeeded: Callable[[], None] | None = None,
    ) -> None:
        """Run one store write in a worker; ``on_done(result)`` or ``on_fail(message)`` runs
        on the UI thread afterwards (after the screen shows what the store holds).
        ``failed(message)`` and ``succeeded()`` run in the worker (for disk work: the
        draft), ``failed`` returning the message to show."""
        from brief_tui.library.store import StoreError

        host = self.host
        store = host.store
        briefing_id = host.briefing.id
        token = next(_SAVES)
        self.pending_saves[token] = (action, on_done, on_fail)

        def work() -> None:
            try:
                result = fn()
            except (StoreError, ValueError, KeyError, OSError) as e:
                message = _reason(e)
                if failed is not None:
                    message = failed(message)
                host.post_message(SaveFinished(token, None, message, None))
                return
            if succeeded is not None:
                succeeded()
            notes: list[Annotation] | None = None
            if store is not None:
                try:
                    notes = store.annotations(briefing_id)
                except StoreError:
                    notes = None
            host.post_message(SaveFinished(token, result, None, notes))

        host.app.run_worker(work, thread=True, group="save", exit_on_error=False)

    def save_finished(self, message: SaveFinished) -> None:
        """A save's outcome, on the UI thread: show what the store holds, then say so."""
        pending = self.pending_saves.pop(message.token, None)
        if pending is None:
            return
        action, on_done, on_fail = pending
        if message.error is not None:
            self.host.notify(f"Could not {action}: {message.error}", severity="error", timeout=10)
            if on_fail is not None:
                on_fail(message.error)
            return
        if message.annotations is not None:
            self.show_annotations(message.annotations)
        if on_done is not None:
            on_done(message.result)

    def _add(
        self,
        store: Store,
        kind: str,
        target: Target,
        on_done: Callable[[Annotation], None] | None = None,
        **fields: Any,
    ) -> None:
        """Make one annotation of ``kind`` on ``target``, saved at once (see ``_save``)."""
        briefing_id = self.host.briefing.id
        self._save(
            f"save the {kind}",
            lambda: store.add_annotation(
                briefing_id,
                kind,
                target_type=target.target_type,
                target_id=target.target_id,
                start=target.start,
                end=target.end,
                **fields,
            ),
            on_done,
        )

    def reload_annotations(self) -> None:
        """Show what the store holds: marks in the article, rows in the Notes tab."""
        if self.host.store is None:
            return
        self.show_annotations(self.host.store.annotations(self.host.briefing.id))

    def show_annotations(self, annotations: list[Annotation]) -> None:
        """Show these annotations (read from the store by the caller, which may be a worker:
        the UI thread then never waits for the store while the worker writes)."""
        self.annotations = annotations
        panel = self.host.panel()
        if panel is None:  # not composed yet
            return
        store = self.host.store
        panel.set_annotations(self.annotations, store.analyst if store is not None else None)
        if self._drafts_offered != self.host.briefing.id:
            self._drafts_offered = self.host.briefing.id
            # after what is already queued: the store being handed over, when it is opening
            self.host.app.call_later(self._offer_draft)
        article = self._article()
        if article is None:
            return
        spans: list[tuple[int, int, Style]] = []
        for a in self.annotations:
            if a.orphan or a.start is None or a.end is None or a.target_type != "text":
                continue
            if a.meaning:
                spans.append((a.start, a.end, self.host.marks.meanings[a.meaning]))
            elif a.note or a.tags:
                spans.append((a.start, a.end, self.host.marks.note))
        article.set_layer("annotations", spans)
        self.update_gutter()

    def _gutter_marks(self) -> dict[int, tuple[str, Style]]:
        marks: dict[int, tuple[str, Style]] = {}
        for a in self.annotations:
            if a.orphan:
                continue
            start = a.start
            if start is None and a.target_type == "claim" and self.host.analysis is not None:
                claim = next((c for c in self.host.analysis.claims if c.id == a.target_id), None)
                start = claim.start if claim else None
            if start is None:
                continue
            if a.grade or a.status:
                mark = (a.grade or "") + ((a.status or "")[:1])
            elif a.note:
                mark = "✎"
            elif a.meaning:
                mark = palette.MEANING_MARKS[a.meaning]
            elif a.tags:
                mark = "#"
            else:
                continue
            prev = marks.get(start)
            if prev is not None:
                mark = combine_marks([prev[0].strip(), mark])
            marks[start] = (" " + mark, self.host.marks.gutter)
        return marks

    def update_gutter(self) -> None:
        article = self._article()
        if article is None:
            return
        article.set_gutter(self._gutter_marks(), (palette.CURSOR_MARK, self.host.marks.gutter))

    def cursor_moved(self) -> None:
        article = self._article()
        if article is None:
            return
        if self.visual_anchor is not None:
            if article.current is not None:
                a0, a1 = self.visual_anchor
                c0, c1 = article.current
                self.selection = (min(a0, c0), max(a1, c1))
            if self.selection is not None:
                article.set_layer("current", [(*self.selection, self.host.marks.selection)])
            if self.selection is not None:
                size = self.selection[1] - self.selection[0]
                self.host.focus_label = f"selection: {size} characters"
        elif self.selection is not None:
            # a kept selection goes when the reader moves on: h must not act on a
            # selection no longer shown (the move has drawn its own mark)
            self.selection = None
            if self.host.focus_label.startswith("selection"):
                self.host.focus_label = ""

    # ------------------------------------------------------------------ selection
    def visual(self) -> None:
        article = self._article()
        if article is None:
            return
        if self.visual_anchor is not None:
            # the second v ends the selecting and keeps the selection for h, a or t (esc
            # drops it)
            self.visual_anchor = None
            if self.selection is not None:
                size = self.selection[1] - self.selection[0]
                self.host.focus_label = (
                    f"selection: {size} characters · h a t act on it, esc drops it"
                )
                self.host.update_status()
            return
        span = article.current or word_at(self.host.briefing.text, article.cursor)
        if span is None:
            return
        self.visual_anchor = span
        self.selection = span
        article.current = span
        article.set_layer("current", [(*span, self.host.marks.selection)])
        self.host.focus_label = "visual: w/W words, )/( sentences, }/{ paragraphs; h a t act"
        self.host.update_status()

    def end_visual(self) -> None:
        self.visual_anchor = None
        self.selection = None
        if self.host.focus_label.startswith(("selection", "visual")):
            self.host.focus_label = ""
        article = self._article()
        if article is not None:
            article.set_layer("current", [])

    def word(self, n: int) -> None:
        article = self._article()
        if article is None:
            return
        text = self.host.briefing.text
        cur = article.current or (article.cursor, article.cursor)
        if n > 0:
            m = _WORD.search(text, cur[1])
            span = (m.start(), m.end()) if m else None
        else:
            starts = [m for m in _WORD.finditer(text, max(0, cur[0] - 200), cur[0])]
            span = (starts[-1].start(), starts[-1].end()) if starts else None
        if span is None:
            self.host.app.bell()
            return
        if self.visual_anchor is not None and n < 0 and self.selection:
            # shrink from the end when moving back inside the selection
            s0 = self.selection[0]
            if span[1] > self.visual_anchor[0]:
                self.selection = (s0, span[1])
                article.current = span
                article.set_layer("current", [(*self.selection, self.host.marks.selection)])
                article.cursor = span[0]
                article.scroll_to_offset(span[0])
                return
        article.show_current(span, "word")

    # ------------------------------------------------------------------ targets
    def _text_target(self) -> Target | None:
        return self.targets.text(self.selection)

    def _target(self) -> Target | None:
        return self.targets.panel() or self.targets.text(self.selection)

    def _quote(self, t: Target) -> str | None:
        return self.host.briefing.text[t.start : t.end] if t.span else None

    def _claim_at_cursor(self) -> Target | None:
        return self.targets.claim_at_cursor(self.selection)

    # ------------------------------------------------------------------ actions
    def highlight(self) -> None:
        target = self._text_target()
        if target is None or self._writable() is None:
            return
        quote = self._quote(target) or ""

        def done(meaning: str | None) -> None:
            store = self._writable()
            if meaning is None or store is None:
                return

            def saved(a: Annotation) -> None:
                self.host.notify(f"Highlighted as {meaning}: “{_short(quote)}”")
                self.end_visual()

            self._add(store, "highlight", target, saved, meaning=meaning, tags=[meaning])

        from brief_tui.ui.dialogs import HighlightPicker

        self.host.app.push_screen(HighlightPicker(quote), done)

    def _drafts_dir(self) -> Path:
        from brief_tui.library.paths import data_dir, drafts_dir

        if self.host.store is not None and self.host.store.path is not None:
            return drafts_dir(self.host.store.path.parent)
        return drafts_dir(data_dir(self.host.data_dir))

    def note(self, existing: Annotation | None = None, draft: Draft | None = None) -> None:
        """Write a note on the target (or edit ``existing``; ``draft``: a kept draft offered
        back). The editor stays open until the note is saved; if it cannot be, its text is
        kept as a draft on disk too."""
        if self._writable() is None:
            return
        if existing is not None:
            target = Target(
                existing.target_type, existing.target_id, existing.start, existing.end, "the mark"
            )
            panel = self.host.panel()
            label = panel.describe_target(existing, 60) if panel else "the mark"
            quote = existing.exact
        elif draft is not None:
            target = Target(draft.target_type, draft.target_id, draft.start, draft.end, "")
            label, quote = draft.label or "the kept draft", draft.quote
        else:
            t = self._target()
            if t is None:
                return
            target, label, quote = t, t.label, self._quote(t)
        from brief_tui.library.drafts import Draft, remove_draft, save_draft

        folder = self._drafts_dir()
        briefing_id = self.host.briefing.id
        kept: list[Draft] = [draft] if draft is not None else []

        def save(editor: NoteEditor, note: str) -> None:
            store = self._writable()
            if store is None:
                editor.failed("Nothing was saved: the store cannot be written.")
                return
            this = Draft(
                briefing_id,
                note,
                annotation_id=existing.id if existing is not None else None,
                target_type=target.target_type,
                target_id=target.target_id,
                start=target.start,
                end=target.end,
                label=label,
                quote=quote,
            )
            if existing is None and not note.strip():
                self.host.notify("The note is empty: nothing was saved.", severity="warning")
                for d in kept:
                    remove_draft(folder, d)
                editor.dismiss(None)
                return

            def write() -> Annotation:
                if existing is not None:
                    return store.update_annotation(existing.id, note=note.rstrip() or None)
                return store.add_annotation(
                    briefing_id,
                    "note",
                    target_type=target.target_type,
                    target_id=target.target_id,
                    start=target.start,
                    end=target.end,
                    note=note.rstrip(),
                )

            def keep(reason: str) -> str:  # (in the worker)
                try:
                    where = save_draft(folder, this)
                except OSError as e:
                    return f"{reason}. The draft could not be kept either ({_reason(e)})"
                kept[:] = [this]
                return f"{reason}. The text is kept as a draft ({where})"

            def forget() -> None:  # (in the worker)
                for d in (*kept, this):
                    remove_draft(folder, d)

            def done(_: Annotation) -> None:
                kept.clear()
                editor.saved()
                self.host.notify("Note saved.")
                self.end_visual()

            self._save("save the note", write, done, editor.failed, failed=keep, succeeded=forget)

        def closed(note: str | None) -> None:
            if note is not None or not kept:
                return
            if draft is not None and kept == [draft]:  # a restored draft dismissed: discard it
                remove_draft(folder, draft)
                self.host.notify("The draft was discarded.")
            else:
                self.host.notify(
                    "The unsaved note is kept as a draft: it is offered again when this "
                    "briefing is opened.",
                    severity="warning",
                    timeout=10,
                )

        from brief_tui.ui.dialogs import NoteEditor

        text = draft.text if draft is not None else (existing.note or "" if existing else "")
        hint = "ctrl+s saves · esc cancels"
        if draft is not None:
            hint = f"a draft kept {draft.saved_at} · ctrl+s saves it · esc discards it"
        self.host.app.push_screen(NoteEditor(label, quote, text, on_save=save, hint=hint), closed)

    def _offer_draft(self) -> None:
        """Open the newest note draft kept for this briefing (a save that failed before)."""
        from brief_tui.library.drafts import drafts_for

        drafts = drafts_for(self._drafts_dir(), self.host.briefing.id)
        app = self.host.app
        if not drafts or self.host.store is None or self.host.store.read_only:
            return
        if len(app.screen_stack) > 1:  # another dialog or screen is in front
            self.host.notify(
                f"{len(drafts)} unsaved note draft(s) kept for this briefing: reopen it to "
                "save them.",
                severity="warning",
            )
            return
        draft = drafts[0]
        existing = None
        if draft.annotation_id is not None:
            existing = self._annotation(draft.annotation_id)
            if existing is None:  # the note is gone: save the text as a new note
                draft = replace(draft, annotation_id=None)
        more = f" ({len(drafts) - 1} more after it)" if len(drafts) > 1 else ""
        self.host.notify(
            f"An unsaved note was kept as a draft: here it is again{more}.", timeout=10
        )
        self.note(existing=existing, draft=draft)

    def tags(self) -> None:
        store = self._writable()
        if store is None:
            return
        target = self._target()
        if target is None:
            return

        def done(tags: list[str] | None) -> None:
            store = self._writable()
            if not tags or store is None:
                return

            def saved(a: Annotation) -> None:
                self.host.notify("Tagged " + " ".join("#" + t for t in a.tags))
                self.end_visual()

            self._add(store, "tag", target, saved, tags=tags)

        from brief_tui.ui.dialogs import TagEditor

        self.host.app.push_screen(TagEditor(target.label, store.all_tags(), []), done)

    def grade(self) -> None:
        store = self._writable()
        if store is None:
            return
        target = self.targets.panel()
        if target is not None and target.target_type == "actor":
            self.host.notify(
                "Actors are not graded: grade their claims (Claims tab) or their sources "
                "(Sources tab).",
                severity="warning",
            )
            return
        if target is None:
            target = self._claim_at_cursor()
        if target is None:
            self.host.notify(
                "Grade a claim or a source: select it in the side panel, "
                "or put the cursor in a claim.",
                severity="warning",
            )
            return
        previous = [  # the reader's own grade is changed; the team's others stay theirs
            a
            for a in self.annotations
            if a.kind == "grade"
            and a.target_type == target.target_type
            and a.target_id == target.target_id
            and a.author in (None, store.analyst)
        ]
        grade = next((a.grade for a in reversed(previous) if a.grade), None)
        status = next((a.status for a in reversed(previous) if a.status), None)
        name = target.label
        if target.target_type == "source" and self.host.analysis is not None:
            from brief_tui.ui.panel import source_label

            name = source_label(self.host.analysis, target.target_id)
        if target.target_type == "claim" and self.host.analysis is not None:
            name = _short(self.host.briefing.text[target.start or 0 : target.end or 0], 60)

        def done(choice: GradeChoice | None) -> None:
            store = self._writable()
            if choice is None or store is None:
                return

            def saved(_: Annotation) -> None:
                shown = " · ".join(x for x in (choice.grade, choice.status) if x)
                if shown:
                    self.host.notify(f"Graded {target.target_type}: {shown}")
                else:
                    self.host.notify(f"Grade cleared from the {target.target_type}")

            if previous:
                self._save(
                    "grade",
                    lambda: store.update_annotation(
                        previous[-1].id, grade=choice.grade, status=choice.status
                    ),
                    saved,
                )
            else:
                self._add(store, "grade", target, saved, grade=choice.grade, status=choice.status)

        from brief_tui.ui.dialogs import GradePicker

        self.host.app.push_screen(GradePicker(target.target_type, name, grade, status), done)

    def undo(self) -> None:
        """Undo this reader's latest action on the briefing (never another reader's)."""
        store = self._writable()
        if store is None:
            return
        briefing_id = self.host.briefing.id

        def undone(what: str | None) -> None:
            if what is None:
                self.host.notify("Nothing to undo.")
            else:
                self.host.notify(what[:1].upper() + what[1:])

        self._save("undo", lambda: store.undo(briefing_id), undone)

    # ------------------------------------------------------------------ Notes tab
    def _annotation(self, annotation_id: str) -> Annotation | None:
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def jump_to_annotation(self, annotation_id: str) -> None:
        a = self._annotation(annotation_id)
        article = self._article()
        if a is None or article is None:
            return
        if a.orphan:
            self.host.notify(
                "This mark's text is no longer in the briefing (orphan): "
                f"“{_short(a.exact or '')}”",
                severity="warning",
            )
            return
        if a.target_type == "actor" and a.start is None and a.target_id:
            self.host.jump_to_actor(a.target_id)
            return
        if a.target_type == "source" and a.start is None and a.target_id:
            self.host.jump_to_source(a.target_id)
            return
        if a.start is None or a.end is None:
            return
        article.set_layer("focus", [(a.start, a.end, self.host.marks.content)])
        article.show_current((a.start, a.end), "note")
        article.set_layer("current", [])
        article.focus()

    def _theirs(self, a: Annotation, doing: str) -> bool:
        """True (and the reader is told) when ``a`` is another analyst's: in a shared
        library each analyst edits and deletes only their own."""
        store = self.host.store
        mine = store is None or store.analyst is None or a.author in (None, store.analyst)
        if not mine:
            self.host.notify(
                f"This {a.kind} is {a.author}'s: only they can {doing} it.", severity="warning"
            )
        return not mine

    def edit_note(self, key: str) -> None:
        a = self._annotation(key)
        if a is not None and not self._theirs(a, "edit"):
            self.note(existing=a)

    def delete_note(self, key: str) -> None:
        store = self._writable()
        a = self._annotation(key)
        if store is None or a is None or self._theirs(a, "delete"):
            return
        self._save(
            "delete",
            lambda: store.delete_annotation(a.id),
            lambda _: self.host.notify("Deleted — press u to undo."),
        )

    # ------------------------------------------------------------------ export
    def export(self) -> None:
        from brief_tui.ui.exporting import export

        export(self.host, lambda: self.annotations)


def _reason(e: BaseException) -> str:
    """One line saying why ``e`` happened, for a message."""
    if isinstance(e, OSError):
        return f"{e.strerror or e}" + (f": {e.filename}" if e.filename else "")
    if isinstance(e, KeyError) and e.args:
        return str(e.args[0])
    return str(e) or type(e).__name__


def _short(text: str, n: int = 50) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"
