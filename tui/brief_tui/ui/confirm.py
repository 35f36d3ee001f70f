"""The export dialog's confirm step: replace a file that is already there?"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from brief_tui.briefing.untrusted import clean_line


class ReplaceFileDialog(ModalScreen[bool]):
    """Asked before an export replaces an existing file; no (esc) is the default."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", id="replace.yes"),
        Binding("n,escape", "answer(False)", "Keep the file", id="replace.no"),
    ]
    DEFAULT_CSS = """
    ReplaceFileDialog { align: center middle; }
    ReplaceFileDialog > Vertical {
        width: 76; max-width: 95%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ReplaceFileDialog .title { text-style: bold; margin-bottom: 1; }
    ReplaceFileDialog .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            # the path was typed or configured: shown as text, never as markup
            yield Static(Text(f"{clean_line(self.path.name, 60)} exists."), classes="title")
            yield Static(Text(f"in {clean_line(str(self.path.parent), 200)}"))
            with Horizontal():
                yield Button("Replace", variant="warning", id="replace-yes")
                yield Button("Keep it", variant="primary", id="replace-no")
            yield Static("y replaces it · n or esc keeps it", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#replace-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "replace-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
