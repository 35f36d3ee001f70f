"""How entity kinds and the other marks look.

Each entity kind has a colour *and* a text attribute (bold, underline, italic …) so that the
kinds still read apart on a monochrome terminal. Colours are theme variables
(``entity-person``, ``mark-search`` …): the app builds a :class:`Marks` from the current
theme's variables, and rebuilds it when the theme changes. In the monochrome theme (and with
``NO_COLOR``) every mark is drawn with attributes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.style import Style

from brief_tui.library.annotations import MEANINGS


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    title: str
    labels: tuple[str, ...]
    attrs: str

    @property
    def variable(self) -> str:
        return f"entity-{self.key}"

    def style(self, colour: str | None = None) -> Style:
        return Style.parse(f"{self.attrs} {colour}" if colour else self.attrs)


FAMILIES: tuple[Family, ...] = (
    Family("person", "Person", ("PERSON",), "bold"),
    Family("org", "Organisation", ("ORG",), "underline"),
    Family("place", "Country / place", ("GPE", "LOC", "FAC"), "italic"),
    Family("group", "Nationality / group", ("NORP",), "bold italic"),
    Family("time", "Date / time", ("DATE", "TIME"), "underline italic"),
    Family(
        "number",
        "Number / quantity",
        ("CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"),
        "bold underline",
    ),
    Family(
        "other",
        "Event / law / work / product",
        ("EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"),
        "underline bold italic",
    ),
)

_BY_LABEL = {label: fam for fam in FAMILIES for label in fam.labels}

MEANING_MARKS = {"key": "★", "doubt": "?", "follow-up": "→"}
CURSOR_MARK = "›"


def family_of(label: str) -> Family:
    return _BY_LABEL.get(label, FAMILIES[-1])


#: The dark defaults; themes override any of them. The background marks are colours of the
#: xterm 256-colour palette, each its own: a terminal without truecolor (no COLORTERM) shows
#: them as they are, so no two meanings fall on one colour (tests/test_colours.py).
DARK_VARIABLES: dict[str, str] = {
    "entity-person": "#f2b134",
    "entity-org": "#5fb3f2",
    "entity-place": "#6fcf73",
    "entity-group": "#c792ea",
    "entity-time": "#f78c6c",
    "entity-number": "#ff8fa3",
    "entity-other": "#89ddff",
    "mark-hedge": "#c0a0ff",
    "mark-cue": "#e6db74",
    "mark-search": "#5f5f00",
    "mark-search-current": "#af8700",
    "mark-focus": "#005f87",
    "mark-sentence": "#262626",
    "mark-content": "#444444",
    "mark-key": "#005f00",
    "mark-doubt": "#5f0000",
    "mark-follow-up": "#5f005f",
    "mark-note": "#585858",
    "mark-selection": "#5f5f87",
    "mark-gutter": "#ffcc66",
    "mark-orphan": "#ff6b6b",
}

LIGHT_VARIABLES: dict[str, str] = {
    "entity-person": "#9a5b00",
    "entity-org": "#0b5fa5",
    "entity-place": "#1e7a24",
    "entity-group": "#7b3fa0",
    "entity-time": "#b3441e",
    "entity-number": "#b0204a",
    "entity-other": "#00707f",
    "mark-hedge": "#6a3fc0",
    "mark-cue": "#7a6a00",
    "mark-search": "#ffffaf",
    "mark-search-current": "#ffd700",
    "mark-focus": "#afd7ff",
    "mark-sentence": "#eeeeee",
    "mark-content": "#dadada",
    "mark-key": "#d7ffd7",
    "mark-doubt": "#ffd7d7",
    "mark-follow-up": "#d7d7ff",
    "mark-note": "#ffd7af",
    "mark-selection": "#d7afff",
    "mark-gutter": "#a05a00",
    "mark-orphan": "#c0001a",
}


def _fg(v: Mapping[str, str], name: str) -> str | None:
    return v.get(name) or DARK_VARIABLES.get(name)


@dataclass(frozen=True, slots=True)
class Marks:
    """Every style the article and panel draw with, for one theme."""

    mono: bool
    entities: dict[str, Style] = field(default_factory=dict)  # by family key
    hedge: Style = Style()
    cue: Style = Style()
    search: Style = Style()
    search_current: Style = Style()
    current: Style = Style()
    focus: Style = Style()
    sentence: Style = Style()
    content: Style = Style()
    meanings: dict[str, Style] = field(default_factory=dict)
    note: Style = Style()
    selection: Style = Style()
    gutter: Style = Style()
    orphan: Style = Style()
    dimmed: Style = Style()

    def entity(self, label: str) -> Style:
        return self.entities[family_of(label).key]

    @classmethod
    def build(
        cls, variables: Mapping[str, str], *, mono: bool = False, few_colours: bool = False
    ) -> Marks:
        """The marks of a theme. ``mono``: attributes only; ``few_colours`` (a terminal of 16
        or 8 colours, where the backgrounds would fall on one or two colours): entities in
        their colours, marks by attributes as in mono."""
        if mono or few_colours:
            # each mark its own set of attributes; reverse marks what is found, selected or
            # the reader's own (the margin's ★ ? → ✎ tell the meanings apart too)
            return cls(
                mono=mono,
                entities={
                    f.key: f.style(None if mono else _fg(variables, f.variable)) for f in FAMILIES
                },
                hedge=Style(italic=True, overline=True),
                cue=Style(overline=True),
                search=Style(reverse=True),
                search_current=Style(reverse=True, bold=True, underline=True),
                current=Style(reverse=True, bold=True),
                focus=Style(reverse=True, overline=True),
                sentence=Style(overline=True),
                content=Style(reverse=True, bold=True),
                meanings={
                    "key": Style(reverse=True, italic=True),
                    "doubt": Style(reverse=True, dim=True),
                    "follow-up": Style(reverse=True, underline=True, overline=True),
                },
                note=Style(underline=True, overline=True),
                selection=Style(reverse=True, underline=True),
                gutter=Style(bold=True),
                orphan=Style(italic=True, strike=True),
                dimmed=Style(dim=True),
            )

        def bg(name: str) -> Style:
            return Style(bgcolor=_fg(variables, name))

        return cls(
            mono=False,
            entities={f.key: f.style(_fg(variables, f.variable)) for f in FAMILIES},
            hedge=Style(italic=True, overline=True, color=_fg(variables, "mark-hedge")),
            cue=Style(color=_fg(variables, "mark-cue"), overline=False),
            search=bg("mark-search"),
            search_current=Style(bgcolor=_fg(variables, "mark-search-current"), bold=True),
            current=Style(reverse=True),
            focus=bg("mark-focus"),
            sentence=bg("mark-sentence"),
            content=bg("mark-content"),
            meanings={m: bg(f"mark-{m}") for m in MEANINGS},
            note=Style(bgcolor=_fg(variables, "mark-note"), underline=True),
            selection=Style(bgcolor=_fg(variables, "mark-selection"), underline=True),
            gutter=Style(color=_fg(variables, "mark-gutter"), bold=True),
            orphan=Style(color=_fg(variables, "mark-orphan"), italic=True),
            dimmed=Style(dim=True),
        )


DEFAULT_MARKS = Marks.build(DARK_VARIABLES)
