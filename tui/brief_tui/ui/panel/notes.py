"""The Notes tab: the annotations in text order, with their authors in a shared library;
e edits a note, d deletes (the reader's own)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.ui.palette import MEANING_MARKS
from brief_tui.ui.panel.base import PanelData
from brief_tui.ui.panel.lines import Column, LineList, Row, words


class NotesList(LineList):
    kind = "note"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("mark", "Mark"),
        Column("where", "Where"),
        Column("note", "Note / tags"),
    )
    #: the columns in a shared library: who made each
    SHARED_COLUMNS: ClassVar[tuple[Column, ...]] = (
        COLUMNS[0],
        Column("author", "By"),
        *COLUMNS[1:],
    )

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.SHARED_COLUMNS if self._data is not None and self._data.shared else self.COLUMNS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit note", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
    ]

    def action_edit(self) -> None:
        key = self.selected_key()
        if key:
            self.post_message(self.Edit(key))

    def action_delete(self) -> None:
        key = self.selected_key()
        if key:
            self.post_message(self.Delete(key))

    _data: PanelData | None = None

    def detail(self, key: str) -> Text | None:
        """The selected note whole: what it is on, its mark, every line of it and its tags."""
        data = self._data
        a = next((a for a in data.annotations if a.id == key), None) if data else None
        if data is None or a is None:
            return None
        out = Text(end="")
        out.append("On: ", style="bold")
        out.append(clean_line(data.describe_target(a, limit=10_000)))
        if data.shared and a.author:
            out.append("\nBy: ", style="bold")
            out.append(clean_line(a.author))
            if a.author == data.analyst:
                out.append(" (you)", style="dim")
            out.append(clean_line(f" · {(a.updated_at or a.created_at)[:16].replace('T', ' ')}"))
        marks = " · ".join(x for x in (a.meaning, a.grade, a.status) if x)
        if marks or a.orphan:
            out.append("\nMark: ", style="bold")
            out.append(clean_line(("orphan " if a.orphan else "") + marks))
        if a.tags:
            out.append("\nTags: ", style="bold")
            out.append(clean_line(" ".join("#" + t for t in a.tags)), style="cyan")
        if a.note and a.note.strip():
            out.append("\n")
            out.append(clean_text(a.note.strip()))
        return out

    def show_data(self, data: PanelData) -> None:
        self._data = data
        marks = data.marks
        rows: list[Row] = []
        for a in data.annotations:
            mark = Text(end="")
            if a.orphan:
                mark.append("orphan ", style=marks.orphan)
            if a.meaning:
                mark.append(
                    f"{MEANING_MARKS[a.meaning]} {a.meaning}", style=marks.meanings[a.meaning]
                )
            elif a.grade or a.status:
                mark.append(
                    words(" · ".join(x for x in (a.grade, a.status) if x)).plain, style="bold"
                )
            else:
                mark.append(a.kind)
            body = Text(end="")
            if a.note:
                first = a.note.strip().splitlines()[0] if a.note.strip() else ""
                body.append(words(first[:60]).plain)
            if a.tags:
                tags = " ".join("#" + t for t in a.tags)
                body.append(("  " if a.note else "") + words(tags).plain, style="cyan")
            where = words(
                data.describe_target(a), style="italic" if a.target_type == "text" else ""
            )
            if data.shared:
                by = words(a.author or "", style="bold" if a.author == data.analyst else "")
                rows.append(Row(a.id, (mark, by, where, body)))
            else:
                rows.append(Row(a.id, (mark, where, body)))
        self.set_rows(rows)
