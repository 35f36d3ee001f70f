"""The reader application: themes, configuration and the keymap. It shows a
:class:`ReaderScreen` (one briefing) and, from there, the library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from brief_tui.briefing import Briefing
from brief_tui.briefing.untrusted import clean_line, clean_text
from brief_tui.config import Config, library_spec, load_config, reader_model
from brief_tui.resources import styles_dir
from brief_tui.ui import heap, palette
from brief_tui.ui.help import HelpScreen, binding_rows
from brief_tui.ui.messages import LibraryChanged
from brief_tui.ui.navigator import search_pattern
from brief_tui.ui.screens.reader import ReaderScreen, StatusLine, bindings_of
from brief_tui.ui.session import HeadStart, SessionOptions
from brief_tui.ui.themes import MONO, THEMES

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis
    from brief_tui.library.annotations import Annotation
    from brief_tui.library.store.protocol import LibraryStore as Store

__all__ = ["BriefApp", "StatusLine", "search_pattern"]

#: notifications shown at once
MAX_TOASTS = 3


class BriefApp(App[None]):
    """brief-tui's reader: one briefing at a time, and the library."""

    CSS_PATH = str(styles_dir() / "app.tcss")
    TITLE = "brief-tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("tab", "app.focus_next", "Next pane", id="app.focus_next", show=False),
        Binding(
            "shift+tab", "app.focus_previous", "Prev pane", id="app.focus_previous", show=False
        ),
    ]

    def __init__(
        self,
        briefing: Briefing,
        *,
        model_name: str | None = None,
        data_dir: Path | None = None,
        library: str | None = None,
        analyse: bool = True,
        config: Config | None = None,
        open_library: bool = False,
        analysis_process: HeadStart | None = None,
    ) -> None:
        self.config = config if config is not None else load_config()
        super().__init__()
        if self.no_color:
            # NO_COLOR means no colour at all: Textual's default is a greyscale filter
            from textual.filter import Monochrome, NoColor

            self._filters = [f for f in self._filters if not isinstance(f, Monochrome)]
            self._filters.append(NoColor())
        for theme in THEMES:
            self.register_theme(theme)
        self.marks = palette.DEFAULT_MARKS
        self.theme = MONO if self.no_color else self.config.theme
        self.marks = self._build_marks()
        self.heap = heap.HeapKeeper()
        self.reader = ReaderScreen(
            briefing,
            SessionOptions(
                model_name=reader_model(model_name, self.config),
                data_dir=data_dir,
                analyse=analyse,
                open_library=open_library,
                library=library_spec(library, self.config),
                analyst=self.config.analyst,
            ),
            marks=self.marks,
            keeper=self.heap,
            export_dir=self.config.export_dir,
            process=analysis_process,
        )

    def get_default_screen(self) -> Screen[None]:
        return self.reader

    # ------------------------------------------------------------------ the reader, for scripts
    @property
    def briefing(self) -> Briefing:
        return self.reader.briefing

    @property
    def analysis(self) -> Analysis | None:
        return self.reader.analysis

    @property
    def analysis_state(self) -> str:
        return self.reader.analysis_state

    @property
    def analysis_source(self) -> str:
        return self.reader.analysis_source

    @property
    def store(self) -> Store | None:
        return self.reader.store

    @property
    def annotations(self) -> list[Annotation]:
        return self.reader.annotations

    def search(self, query: str) -> int:
        return self.reader.search(query)

    # ------------------------------------------------------------------ notifications
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, always as text: its words often hold a title, a quote, a path or
        a config value (screens' ``notify`` passes ``markup=True`` by default: ignored)."""
        super().notify(
            clean_text(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
        # (the notification is added when its message is handled: trim after that)
        self.call_later(self._trim_toasts)

    def _trim_toasts(self) -> None:
        """At most MAX_TOASTS at once, the newest: a pile would cover the panel's legend."""
        current = list(self._notifications)
        if len(current) > MAX_TOASTS:
            for old in current[: len(current) - MAX_TOASTS]:
                self._unnotify(old, refresh=False)
            self._refresh_notifications()

    # ------------------------------------------------------------------ keys
    def all_bindings(self) -> list[tuple[str, list[Binding]]]:
        """Every binding by section (the help screen, the palette and the keymap check)."""
        from brief_tui.ui.dialogs import (
            ExportDialog,
            GradePicker,
            HighlightPicker,
            NoteEditor,
            TagEditor,
        )
        from brief_tui.ui.library_screen import HitList, LibraryScreen
        from brief_tui.ui.library_table import WindowTable

        library = [LibraryScreen, HitList, WindowTable]
        return [
            *self.reader.all_bindings(),
            ("Highlight meanings (after h)", bindings_of(HighlightPicker)),
            ("Note editor", bindings_of(NoteEditor)),
            ("Tag editor", bindings_of(TagEditor)),
            ("Grade picker", bindings_of(GradePicker)),
            ("Export dialog", bindings_of(ExportDialog)),
            ("Library (L)", [b for cls in library for b in bindings_of(cls)]),
            ("Help", bindings_of(HelpScreen)),
        ]

    def _apply_config(self) -> None:
        keymap = {}
        # only with a keymap: the bindings of the dialogs are imported with them
        known = (
            {b.id for _, bindings in self.all_bindings() for b in bindings if b.id}
            if self.config.keymap
            else set()
        )
        for binding_id, keys in self.config.keymap.items():
            if binding_id in known:
                keymap[binding_id] = keys
            else:
                self.config.problems.append(
                    f"{self.config.path}: keymap: no binding has the id {binding_id!r} "
                    "(press ? for the ids)"
                )
        if keymap:
            self.set_keymap(keymap)
        for problem in self.config.problems:
            self.notify(problem, title="Configuration", severity="warning", timeout=20)

    def on_mount(self) -> None:
        self._apply_config()
        # decided before the first frame: the library, when it opens first, is drawn first
        if self.reader.session.open_first():
            self.reader.action_library(at_once=True)

    def on_library_changed(self, message: LibraryChanged) -> None:
        """Another analyst changed the team library (told to the reader, then here): an open
        library screen shows it."""
        from brief_tui.ui.library_screen import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.library_changed()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(binding_rows(self.all_bindings(), dict(self._keymap))))

    async def action_quit(self) -> None:
        self.reader.save_position()
        await super().action_quit()

    def on_unmount(self) -> None:
        self.reader.session.cancel()
        self.heap.stop()

    # ------------------------------------------------------------------ theme
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(palette.DARK_VARIABLES)

    def _build_marks(self) -> palette.Marks:
        # the theme's own variables (theme_variables lags a theme change by one refresh)
        theme = self.get_theme(self.theme)
        variables = {**palette.DARK_VARIABLES, **(theme.variables if theme else {})}
        for meaning, colour in self.config.highlights.items():
            variables[f"mark-{meaning}"] = colour
        return palette.Marks.build(
            variables,
            mono=self.theme == MONO or self.no_color,
            # 16 or 8 colours (TERM=xterm, the Linux console): backgrounds would merge
            few_colours=self.console.color_system in ("standard", "windows"),
        )

    def watch_theme(self, theme: str) -> None:
        self.marks = self._build_marks()
        reader = getattr(self, "reader", None)  # (a theme is set before the reader exists)
        if reader is not None and reader.is_mounted:
            reader.restyle(self.marks)
