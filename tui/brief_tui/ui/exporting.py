"""Export from the reader: the dialog (format, path, the whole analysis or not), then the
notes written where the reader chose."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brief_tui.library.annotations import Annotation
    from brief_tui.ui.dialogs import ExportChoice
    from brief_tui.ui.host import ReaderHost


def slug(title: str) -> str:
    s = re.sub(r"[^\w]+", "-", title.lower()).strip("-")
    if len(s) > 60:
        s = s[:61].rsplit("-", 1)[0]  # whole words only
    return (s or "briefing") + "-notes"


def export(host: ReaderHost, annotations: Callable[[], list[Annotation]]) -> None:
    """Ask where and how, then write the reader's ``annotations`` (as they are then)."""
    folder = host.export_dir
    default = (folder or Path.cwd()) / (slug(host.briefing.title) + ".md")
    from brief_tui.ui.dialogs import ExportDialog

    def chosen(choice: ExportChoice | None) -> None:
        # the dialog has refused what may not be written and asked before replacing a file
        if choice is not None:
            write(host, annotations(), choice)

    host.app.push_screen(ExportDialog(default), chosen)


def write(host: ReaderHost, annotations: list[Annotation], choice: ExportChoice) -> None:
    from brief_tui.library.output import ExportError, export_text, write_export

    try:
        text = export_text(
            host.briefing,
            annotations,
            host.analysis,
            choice.format,
            whole_analysis=choice.whole_analysis,
        )
        write_export(choice.path, text, overwrite=choice.overwrite)
    except ExportError as e:
        host.notify(f"Not exported: {e}", severity="error", timeout=10)
        return
    from brief_tui.briefing.untrusted import clean_line
    from brief_tui.ui.panel import plural

    where = clean_line(str(choice.path), 120)
    host.notify(f"Exported {plural(len(annotations), 'note')} to {where}")
