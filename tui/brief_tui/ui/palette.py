"""How entity kinds and the other marks look. Each kind has a colour *and* a text attribute
(bold, underline, italic …) so that the kinds still read apart on a monochrome terminal."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    title: str
    labels: tuple[str, ...]
    colour: str
    attrs: str
    #: a one-character marker shown in the legend (and usable where colour is absent)
    marker: str

    def style(self, *, colour: bool = True) -> Style:
        spec = self.attrs if not colour else f"{self.attrs} {self.colour}"
        return Style.parse(spec)


FAMILIES: tuple[Family, ...] = (
    Family("person", "Person", ("PERSON",), "#f2b134", "bold", "P"),
    Family("org", "Organisation", ("ORG",), "#5fb3f2", "underline", "O"),
    Family("place", "Country / place", ("GPE", "LOC", "FAC"), "#6fcf73", "italic", "G"),
    Family("group", "Nationality / group", ("NORP",), "#c792ea", "bold italic", "N"),
    Family("time", "Date / time", ("DATE", "TIME"), "#f78c6c", "underline italic", "D"),
    Family(
        "number",
        "Number / quantity",
        ("CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"),
        "#ff8fa3",
        "bold underline",
        "#",
    ),
    Family(
        "other",
        "Event / law / work / product",
        ("EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"),
        "#89ddff",
        "underline bold italic",
        "*",
    ),
)

_BY_LABEL = {label: fam for fam in FAMILIES for label in fam.labels}


def family_of(label: str) -> Family:
    return _BY_LABEL.get(label, FAMILIES[-1])


# Marks laid over the text. Backgrounds are used for marks so that the entity's own
# foreground colour and attribute stay visible under them.
SEARCH_MATCH = Style(bgcolor="#5c4a00")
SEARCH_CURRENT = Style(bgcolor="#b58900", color="black", bold=True)
FOCUS_MENTION = Style(bgcolor="#1d4a6e")
FOCUS_SENTENCE = Style(bgcolor="#26323f")
FOCUS_CONTENT = Style(bgcolor="#334455")
CURRENT_ITEM = Style(reverse=True)
HEDGE = Style(italic=True, underline=True, color="#c0a0ff")

# The reader's own marks: a background per highlight meaning (entity colours stay readable
# over them), a dotted underline for notes and tags without a meaning.
MEANING_STYLES: dict[str, Style] = {
    "key": Style(bgcolor="#1f5130"),
    "doubt": Style(bgcolor="#5e2129"),
    "follow-up": Style(bgcolor="#233d6b"),
}
MEANING_MARKS = {"key": "★", "doubt": "?", "follow-up": "→"}
NOTE_STYLE = Style(bgcolor="#3b3b3b", underline=True)
ORPHAN_STYLE = Style(color="#ff6b6b", italic=True)
GUTTER_STYLE = Style(color="#ffcc66", bold=True)
SELECTION = Style(bgcolor="#44475a", underline=True)
CURSOR_MARK = "›"
