"""A list of the side panel with the selected item shown whole below it: the Claims and
Notes tabs, whose rows are cut to fit (a claim's excerpt, a note's first line) while the
analyst needs the whole of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll

from brief_tui.ui.safe import Static

if TYPE_CHECKING:
    from rich.text import Text

    from brief_tui.ui.panel.lines import LineList


class DetailBox(VerticalScroll, can_focus=False):
    """Out of the focus chain: tab goes from the list back to the article."""


class DetailTab(Vertical):
    """``list`` above, the whole of its selected item below (hidden when nothing is
    selected); the detail scrolls with the mouse, or ctrl+d / ctrl+u from the list, when it
    is taller than its box (half the tab: at 80x24 a long claim's sentence)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+d,shift+down", "detail(1)", "Scroll the detail down", id="detail.down", show=False
        ),
        Binding(
            "ctrl+u,shift+up", "detail(-1)", "Scroll the detail up", id="detail.up", show=False
        ),
    ]

    def action_detail(self, step: int) -> None:
        box = self.box
        box.scroll_to(
            y=box.scroll_offset.y + step * max(1, box.scrollable_content_region.height - 1),
            animate=False,
        )

    DEFAULT_CSS = """
    DetailTab { height: 1fr; }
    DetailTab > .detail-box {
        height: auto; max-height: 50%; border-top: solid $primary-muted; padding: 0 1;
    }
    DetailTab > .detail-box > Static { height: auto; }
    """

    def __init__(self, lst: LineList) -> None:
        self.list = lst
        self.text = Static(id=f"{lst.id}-detail")
        self.box = DetailBox(self.text, classes="detail-box")
        self.box.display = False
        super().__init__()
        lst.on_select = self.show

    def mount_parts(self) -> None:
        """Mount the list and the detail just after this tab itself (not at its compose):
        the list is then in the DOM at once, as a tab's bare list is."""
        self.mount(self.list, self.box)

    def show(self, detail: Text | None) -> None:
        self.box.display = detail is not None
        self.text.update(detail if detail is not None else "")
