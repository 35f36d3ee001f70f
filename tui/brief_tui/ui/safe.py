"""Widgets and helpers that show text as text, never as markup.

Textual's ``Static``, ``Label``, ``OptionList`` and ``notify`` parse ``[…]`` as markup by
default, and DataTable cells given as ``str`` too: a title holding ``[/x]`` would crash the
reader and one holding ``[@click=…]`` would become a link that runs an action. Every widget
of the reader that shows words comes from here, with markup off; a string that reaches one is
also cleaned of what a terminal would act on (:mod:`brief_tui.briefing.untrusted`), whatever
its origin (the database and the config are untrusted too).
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual import widgets
from textual.content import Content
from textual.widgets.option_list import Option

from brief_tui.briefing.untrusted import clean_line, clean_text, is_clean

CellType = TypeVar("CellType")


def plain(text: str, style: str = "") -> Content:
    """Text from anywhere as Content: cleaned, never parsed as markup."""
    return Content.styled(clean_text(text), style) if style else Content(clean_text(text))


def cell(text: object, style: str = "", *, justify: Any = None) -> Text:
    """A table cell: one line of text, never markup."""
    return Text(clean_line(str(text)), style=style, justify=justify, end="")


def _safe(content: Any) -> Any:
    if isinstance(content, str):
        return Content(clean_text(content))
    if isinstance(content, Text) and not _clean_text_object(content):
        return Text(clean_text(content.plain), style=content.style, end="")
    return content


def _clean_text_object(text: Text) -> bool:
    return is_clean(text.plain)


class Static(widgets.Static):
    """``textual.widgets.Static`` that takes strings as text, not markup."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(_safe(content), **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(_safe(content), layout=layout)


class Label(widgets.Label):
    """``textual.widgets.Label`` that takes strings as text, not markup."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(_safe(content), **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(_safe(content), layout=layout)


class OptionList(widgets.OptionList):
    """``textual.widgets.OptionList`` whose prompts are text, not markup, and cleaned (a
    choice of sources or actors holds names from the document or the database)."""

    def __init__(self, *content: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(*content, **kwargs)

    def add_options(self, new_options: Any) -> Any:
        return super().add_options([_option(o) for o in new_options])

    def replace_option_prompt(self, option_id: str, prompt: Any) -> Any:
        return super().replace_option_prompt(option_id, _safe(prompt))

    def replace_option_prompt_at_index(self, index: int, prompt: Any) -> Any:
        return super().replace_option_prompt_at_index(index, _safe(prompt))


def _option(option: Any) -> Any:
    if type(option) is Option:  # (a subclass may draw its own prompt)
        return Option(_safe(option.prompt), option.id, option.disabled)
    return _safe(option)


def safe_message(message: str) -> str:
    """A notification's words, cleaned (the notification itself is shown without markup)."""
    return clean_text(message)


class DataTable(widgets.DataTable[CellType]):
    """``textual.widgets.DataTable`` whose string cells are text, not markup."""

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(_cell(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, _cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, _cell(value), **kwargs)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return cell(value)
    if isinstance(value, Text) and not _clean_text_object(value):
        return Text(clean_line(value.plain), style=value.style, justify=value.justify, end="")
    return value
