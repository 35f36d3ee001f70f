"""Every meaning the article and the legend mark stays distinguishable in truecolor, in the
256-colour palette (a terminal without COLORTERM), in 16 colours and in monochrome."""

from __future__ import annotations

from itertools import combinations

import pytest
from rich.color import ColorSystem
from rich.style import Style

from brief_tui.briefing import briefing_from_text
from brief_tui.ui import palette
from brief_tui.ui.app import BriefApp
from brief_tui.ui.panel import SidePanel

#: marks that can be on screen together, each with its own meaning
MEANINGFUL = ("search", "search_current", "focus", "content", "note", "selection")


def _marks(m: palette.Marks) -> dict[str, Style]:
    out = {name: getattr(m, name) for name in MEANINGFUL}
    out.update({f"meaning:{k}": v for k, v in m.meanings.items()})
    return out


def _as_shown(style: Style, system: ColorSystem | None) -> tuple[object, ...]:
    """What a terminal of that colour system shows: the downgraded colours and attributes."""
    bg = style.bgcolor
    fg = style.color
    if system is not None:
        bg = bg.downgrade(system) if bg else None
        fg = fg.downgrade(system) if fg else None
    attrs = tuple(
        bool(getattr(style, a))
        for a in ("bold", "dim", "italic", "underline", "overline", "strike", "reverse")
    )
    return (
        bg.get_truecolor() if bg else None,
        fg.get_truecolor() if fg else None,
        attrs,
    )


@pytest.mark.parametrize("variables", ["dark", "light"])
@pytest.mark.parametrize("system", [None, ColorSystem.EIGHT_BIT], ids=["truecolor", "256"])
def test_colour_marks_differ(variables: str, system: ColorSystem | None) -> None:
    v = palette.DARK_VARIABLES if variables == "dark" else palette.LIGHT_VARIABLES
    marks = _marks(palette.Marks.build(v))
    for (a, sa), (b, sb) in combinations(marks.items(), 2):
        assert _as_shown(sa, system) != _as_shown(sb, system), f"{a} and {b} look the same"


@pytest.mark.parametrize("kind", ["mono", "few_colours"])
def test_attribute_marks_differ(kind: str) -> None:
    marks = _marks(palette.Marks.build(palette.DARK_VARIABLES, **{kind: True}))
    for (a, sa), (b, sb) in combinations(marks.items(), 2):
        assert _as_shown(sa, None) != _as_shown(sb, None), f"{a} and {b} look the same"


@pytest.mark.parametrize(
    ("env", "theme", "expect"),
    [
        ({"COLORTERM": "truecolor"}, "brief-dark", "colours"),
        ({"COLORTERM": "", "TERM": "xterm-256color"}, "brief-dark", "colours"),
        ({"COLORTERM": "", "TERM": "xterm"}, "brief-dark", "attributes"),
        ({"COLORTERM": "truecolor"}, "brief-mono", "attributes"),
    ],
)
async def test_legend_swatches_differ_on_each_terminal(
    env: dict[str, str], theme: str, expect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    app = BriefApp(briefing_from_text("T\n\nBody.\n", "t.txt"), analyse=False)
    async with app.run_test(size=(160, 40)) as pilot:
        app.theme = theme
        await pilot.pause()
        panel = app.query_one(SidePanel)
        legend = panel.legend(app.marks)
        swatches = {}
        for span in legend.spans:
            word = legend.plain[span.start : span.end].strip()
            if word in ("search", "selected", "★ key", "? doubt", "→ follow-up"):
                style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
                swatches[word] = _as_shown(style, app.console._color_system)
        assert len(swatches) == 5
        assert len(set(swatches.values())) == 5, swatches
        has_bg = any(s[0] is not None for s in swatches.values())
        assert has_bg == (expect == "colours")
