"""The help screen: every key the app answers to, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from brief_tui.ui.safe import Static


def _keys(binding: Binding, keymap: dict[str, str]) -> str:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    pretty = []
    for k in keys.split(","):
        k = k.strip()
        pretty.append(
            {
                "question_mark": "?",
                "slash": "/",
                "space": "space",
                "pagedown": "PgDn",
                "pageup": "PgUp",
                "escape": "esc",
                "shift+tab": "shift+tab",
                "left_square_bracket": "[",
                "right_square_bracket": "]",
                "left_curly_bracket": "{",
                "right_curly_bracket": "}",
            }.get(k, k)
        )
    return " ".join(pretty)


def binding_rows(
    sections: Iterable[tuple[str, Iterable[BindingType]]], keymap: dict[str, str] | None = None
) -> list[tuple[str, str, str, str]]:
    """(section, keys, description, id) for every binding with a description."""
    rows = []
    for section, bindings in sections:
        for b in bindings:
            if not isinstance(b, Binding) or not b.description:
                continue
            rows.append((section, _keys(b, keymap or {}), b.description, b.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Up", id="help.up", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 85%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Keys", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim")
        section = None
        for sec, keys, desc, bid in self.rows:
            if sec != section:
                if section is not None:
                    table.add_row("", "", "")
                table.add_row(Text(sec, style="bold underline"), "", "")
                section = sec
            table.add_row(keys, desc, bid)
        with VerticalScroll():
            yield Static(Text("brief-tui — keys", style="bold"))
            yield Static(table, id="help-table")
            yield Static(
                Text(
                    "tab / shift+tab move between the article and the side panel's list; "
                    "[ and ] change the panel's tab from anywhere. "
                    "Press esc, q or ? to close.",
                    style="dim",
                )
            )

    def action_scroll(self, n: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=n, animate=False)
