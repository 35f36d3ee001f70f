"""Names of actors: their comparable form, the titles in front of a person's name, acronyms,
and the small word classes both the per-paragraph extraction (actors.py) and the grouping
passes (grouping.py) use."""

from __future__ import annotations

import functools
import re

from .gazetteer import ACRONYMS, TITLE_WORDS

ACTOR_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
PLACE_NOUNS = {
    "region",
    "province",
    "oblast",
    "city",
    "town",
    "village",
    "county",
    "district",
    "state",
    "area",
    "border",
    "peninsula",
    "island",
    "islands",
    "prefecture",
    "governorate",
    "municipality",
    "capital",
}
LOC_PREPS = {
    "in",
    "near",
    "from",
    "to",
    "into",
    "at",
    "across",
    "toward",
    "towards",
    "outside",
    "inside",
    "around",
    "through",
    "via",
}
#: honorifics and titles stripped from the front of a person's name ("Sen.", "Billionaire")
HONORIFICS = {"billionaire", "commissioner", "sen", "rep", "gov", "gen", "lt", "col", "st"}
#: expansion -> its acronyms (without dots), in table order
ACRO_OF: dict[str, list[str]] = {}
for _acro, _full in ACRONYMS.items():
    if "." not in _acro:
        ACRO_OF.setdefault(_full, []).append(_acro)
#: small words of names, left out of initials ("Ministry of Defence" -> MD)
SMALL_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "on",
    "de",
    "du",
    "la",
    "le",
    "des",
    "in",
    "to",
    "&",
    "'s",
    "a",
    "an",
    "at",
    "del",
    "der",
    "von",
    "van",
}


def clean(s: str) -> str:
    return " ".join(
        s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()
    )


@functools.lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The comparable form of a name: straight quotes, single spaces, no leading "the", no
    trailing possessive."""
    s = clean(name)
    if s.lower().startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    elif s.endswith("'") and not s.endswith(".'"):
        s = s[:-1]
    return s.strip(" ,;:")


def person_name(k: str) -> str:
    """A person's name without the titles in front of it ("Sen. Ted Cruz" -> "Ted Cruz",
    "Billionaire Sheldon Adelson" -> "Sheldon Adelson"); at least one word stays."""
    ws = k.split()
    i = 0
    while i < len(ws) - 1:
        w = ws[i].lower().rstrip(".")
        if w in TITLE_WORDS or (w + ".") in TITLE_WORDS or w in HONORIFICS:
            i += 1
        else:
            break
    return " ".join(ws[i:]) if i else k


def initials(name: str) -> str:
    words = re.split(r"[\s\-]+", name)
    return "".join(
        w[0] for w in words if w and w.lower() not in SMALL_WORDS and w[0].isalpha()
    ).upper()


def is_acronym(k: str) -> bool:
    bare = k.replace(".", "")
    return (
        2 <= len(bare) <= 7
        and bare.isalnum()
        and sum(c.isupper() for c in bare) >= max(2, len(bare) - 1)
        and " " not in k
    )
