"""Modal dialogs for annotating: choose a highlight meaning, write a note, tag, grade,
export, confirm."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, TextArea

from brief_tui.library.annotations import (
    CLAIM_GRADE_LABELS,
    MEANINGS,
    SOURCE_GRADE_LABELS,
    STATUSES,
)
from brief_tui.ui.palette import DEFAULT_MARKS
from brief_tui.ui.safe import Label, Static

MEANING_KEYS = {str(i + 1): m for i, m in enumerate(MEANINGS)}

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
{name} .quote {{ color: $text-muted; text-style: italic; margin-bottom: 1; max-height: 4; }}
"""


def _quote_line(quote: str, limit: int = 200) -> str:
    q = " ".join(quote.split())
    return "“" + (q if len(q) <= limit else q[: limit - 1] + "…") + "”"


class HighlightPicker(ModalScreen[str | None]):
    """After `h`: a digit picks the meaning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(key, f"pick('{meaning}')", f"Highlight: {meaning}", id=f"highlight.{meaning}")
            for key, meaning in MEANING_KEYS.items()
        ],
        Binding("escape", "dismiss_none", "Cancel", id="highlight.cancel"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="HighlightPicker")

    def __init__(self, quote: str) -> None:
        super().__init__()
        self.quote = quote

    def compose(self) -> ComposeResult:
        marks = getattr(self.app, "marks", DEFAULT_MARKS)
        with Vertical():
            yield Label("Highlight as…", classes="title")
            yield Static(_quote_line(self.quote), classes="quote")
            text = Text()
            for key, meaning in MEANING_KEYS.items():
                text.append(f" {key} ", style="bold reverse")
                text.append(" ")
                text.append(f" {meaning} ", style=marks.meanings[meaning])
                text.append("   ")
            yield Static(text)
            yield Static("esc cancels", classes="hint")

    def action_pick(self, meaning: str) -> None:
        self.dismiss(meaning)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class NoteEditor(ModalScreen[str | None]):
    """A multi-line note. ctrl+s saves, escape cancels.

    With ``on_save`` the editor stays open while the note is saved: ``on_save(editor,
    text)`` starts the save, which ends with :meth:`saved` (the editor closes) or
    :meth:`failed` (it stays open with its text and the message)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel", priority=True),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NoteEditor")
        + """
    NoteEditor TextArea { height: 10; }
    NoteEditor #note-error { color: $error; margin-top: 1; display: none; }
    """
    )

    def __init__(
        self,
        target: str,
        quote: str | None,
        note: str = "",
        *,
        on_save: Callable[[NoteEditor, str], None] | None = None,
        hint: str = "ctrl+s saves · esc cancels",
    ) -> None:
        super().__init__()
        self.target = target
        self.quote = quote
        self.note = note
        self.on_save = on_save
        self.hint = hint
        #: a save was started and has not ended yet
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Note on {self.target}", classes="title")
            if self.quote:
                yield Static(_quote_line(self.quote), classes="quote")
            area = TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield area
            yield Static(id="note-error")
            yield Static(self.hint, classes="hint", id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if self.on_save is None:
            self.dismiss(text)
            return
        if self.saving:
            self.app.bell()
            return
        self.saving = True
        self.query_one(TextArea).read_only = True  # what is saved is what is shown
        self.query_one("#note-hint", Static).update("saving…")
        self.on_save(self, text)

    def saved(self) -> None:
        """The save succeeded: close with the text."""
        self.saving = False
        self.dismiss(self.query_one(TextArea).text)

    def failed(self, message: str) -> None:
        """The save failed: stay open with the text, saying why (``message`` is plain text)."""
        self.saving = False
        self.query_one(TextArea).read_only = False
        error = self.query_one("#note-error", Static)
        error.update(Text(message))
        error.display = True
        self.query_one("#note-hint", Static).update("ctrl+s tries again · esc closes")

    def action_cancel(self) -> None:
        if self.saving:  # closing now could lose the note if the save then fails
            self.app.bell()
            return
        self.dismiss(None)


class TagSuggester(Suggester):
    """Completes the last comma-separated tag from the tags already in use."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.lstrip()
        if not stem:
            return None
        used = {t.strip().casefold() for t in head.split(",")}
        for tag in self.tags:
            if tag.casefold().startswith(stem.casefold()) and tag.casefold() not in used:
                prefix = value[: len(value) - len(stem)]
                return prefix + tag
        return None


class TagEditor(ModalScreen[list[str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel")
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="TagEditor")

    def __init__(self, target: str, known: list[str], current: list[str]) -> None:
        super().__init__()
        self.target = target
        self.known = known
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Tags for {self.target}", classes="title")
            yield Input(
                ", ".join(self.current),
                placeholder="tags, separated by commas",
                suggester=TagSuggester(self.known),
                id="tags-input",
            )
            known = ", ".join(self.known[:20]) if self.known else "none yet"
            yield Static(
                f"→ or tab accepts a completion · enter saves · esc cancels\nin use: {known}",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        tags = [t.strip() for t in event.value.split(",") if t.strip()]
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class GradeChoice:
    grade: str | None
    status: str | None


class GradePicker(ModalScreen[GradeChoice | None]):
    """A source gets A–F; a claim gets 1–6 and a status."""

    DEFAULT_CSS = DIALOG_CSS.format(name="GradePicker")
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(
                k.lower(), f"press('{k.lower()}')", f"Source: {k} ({label})", id=f"grade.source_{k}"
            )
            for k, label in SOURCE_GRADE_LABELS.items()
            if k != "F"
        ],
        Binding("f", "press('f')", "Source: F (cannot be judged) · claim: false", id="grade.f"),
        *[
            Binding(k, f"press('{k}')", f"Claim: {k} ({label})", id=f"grade.claim_{k}")
            for k, label in CLAIM_GRADE_LABELS.items()
        ],
        Binding("u", "press('u')", "Claim status: unverified", id="grade.unverified"),
        Binding("c", "press('c')", "Claim status: corroborated", id="grade.corroborated"),
        Binding("d", "press('d')", "Claim status: disputed", id="grade.disputed"),
        Binding("x", "press('x')", "Clear the grade", id="grade.clear"),
        Binding("escape", "cancel", "Cancel", id="grade.cancel"),
    ]

    STATUS_KEYS: ClassVar[dict[str, str]] = {
        "u": "unverified",
        "c": "corroborated",
        "d": "disputed",
        "f": "false",
    }

    def __init__(
        self, target_type: str, target: str, grade: str | None, status: str | None
    ) -> None:
        super().__init__()
        self.target_type = target_type
        self.target = target
        self.grade = grade
        self.status = status

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Grade {self.target_type}: {self.target}", classes="title")
            text = Text()
            labels = SOURCE_GRADE_LABELS if self.target_type == "source" else CLAIM_GRADE_LABELS
            heading = "Reliability (Admiralty)" if self.target_type == "source" else "Credibility"
            text.append(heading + "\n", style="bold")
            for key, label in labels.items():
                mark = "●" if key == self.grade else " "
                text.append(
                    f" {mark} {key.lower() if key.isalpha() else key} ", style="bold reverse"
                )
                text.append(f"  {key}: {label}\n")
            if self.target_type == "claim":
                text.append("\nStatus\n", style="bold")
                for key, status in self.STATUS_KEYS.items():
                    mark = "●" if status == self.status else " "
                    text.append(f" {mark} {key} ", style="bold reverse")
                    text.append(f"  {status}\n")
            yield Static(text, id="grade-options")
            yield Static("press a key to set it (x clears the grade) · esc closes", classes="hint")

    def action_press(self, char: str) -> None:
        """One key of the picker: a grade, a status, or x to clear."""
        if char == "x":
            self.dismiss(GradeChoice(None, None))
        elif self.target_type == "source" and char.upper() in SOURCE_GRADE_LABELS:
            self.dismiss(GradeChoice(char.upper(), None))
        elif self.target_type == "claim" and char in CLAIM_GRADE_LABELS:
            self.dismiss(GradeChoice(char, self.status))
        elif self.target_type == "claim" and char in self.STATUS_KEYS:
            self.dismiss(GradeChoice(self.grade, self.STATUS_KEYS[char]))
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)


assert set(GradePicker.STATUS_KEYS.values()) == set(STATUSES)


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: Path
    format: str
    #: the reader said yes to replacing the file already at ``path``
    overwrite: bool = False
    #: Markdown with every claim, source and actor of the analysis, not only what is marked
    whole_analysis: bool = False


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Where and how to export, and whether the Markdown holds the whole analysis or only
    what was marked and what it touches (the default). A path that may not be written (a
    directory, a link, a device, a folder that does not exist) is refused here with the
    reason; an existing file is replaced only after a yes (see :mod:`brief_tui.ui.confirm`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel")
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportDialog")
        + """
    ExportDialog #export-error { color: $error; height: auto; }
    """
    )

    def __init__(self, default_path: Path) -> None:
        super().__init__()
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export notes", classes="title")
            yield Input(str(self.default_path), id="export-path")
            yield Static("", id="export-error")
            with RadioSet(id="export-format"):
                yield RadioButton(
                    "Markdown (front matter, for Obsidian and friends)", value=True, id="fmt-md"
                )
                yield RadioButton("JSON (W3C Web Annotation collection)", id="fmt-json")
            yield Checkbox(
                "Include the whole analysis (every claim, source and actor)",
                id="export-whole",
                tooltip="Markdown only. Without it: your marks, the claims they touch and "
                "their sources.",
            )
            with Horizontal():
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")
            yield Static("enter in the path exports · esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return "json" if pressed is not None and pressed.id == "fmt-json" else "md"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        path_input = self.query_one(Input)
        path = Path(path_input.value)
        fmt = self._format()
        path_input.value = str(path.with_suffix(".json" if fmt == "json" else ".md"))
        # the JSON holds the annotations only
        self.query_one("#export-whole", Checkbox).disabled = fmt == "json"

    def _refuse(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message))
        self.app.bell()

    def _go(self) -> None:
        from brief_tui.library.output import ExportError, check_target
        from brief_tui.ui.confirm import ReplaceFileDialog

        value = self.query_one(Input).value.strip()
        if not value:
            self._refuse("Give a file name to export to.")
            return
        path = Path(value).expanduser()
        try:
            kind = check_target(path)
        except ExportError as e:
            self._refuse(str(e))
            return
        fmt = self._format()
        whole = fmt == "md" and self.query_one("#export-whole", Checkbox).value
        if kind != "file":
            self.dismiss(ExportChoice(path, fmt, whole_analysis=whole))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(ExportChoice(path, fmt, overwrite=True, whole_analysis=whole))
            else:
                self.query_one(Input).focus()

        self.app.push_screen(ReplaceFileDialog(path), answered)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._go()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self._go()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="title")
            yield Static("y: yes · n or esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
