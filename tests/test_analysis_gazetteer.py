"""The country table comes from a maintained data package (countryinfo, via
scripts/build_gazetteer.py) shipped as JSON in the package, plus the project's own additions."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis.gazetteer import CAPITALS, COUNTRY_VARIANTS, DEMONYMS

#: countries the hand-written table of 76 lacked, with a capital and a demonym each
MISSING_BEFORE = {
    "Mali": ("Bamako", "Malian"),
    "Niger": ("Niamey", "Nigerien"),
    "Somalia": ("Mogadishu", "Somali"),
    "Haiti": ("Port-au-Prince", "Haitian"),
    "Kosovo": ("Pristina", "Kosovar"),
    "Moldova": ("Chisinau", "Moldovan"),
    "Sri Lanka": ("Colombo", "Sri Lankan"),
    "Nepal": ("Kathmandu", "Nepalese"),
}


@pytest.mark.parametrize("country", sorted(MISSING_BEFORE))
def test_country_capital_and_demonym_are_known(country: str) -> None:
    capital, demonym = MISSING_BEFORE[country]
    assert COUNTRY_VARIANTS[country] == country
    assert CAPITALS[capital] == country
    assert DEMONYMS[demonym] == country


def test_the_data_file_says_where_it_comes_from_and_is_large() -> None:
    data = json.loads(
        files("brief_tui.analysis").joinpath("data", "countries.json").read_text("utf-8")
    )
    assert "countryinfo" in data["source"] and "MIT" in data["source"]
    assert len(data["countries"]) > 190


def test_shared_demonyms_and_codes_do_not_mislead() -> None:
    # "American" belongs to the United States, not to a territory sharing it; ISO codes and
    # ordinary words from the data's other spellings are not country names
    assert DEMONYMS["American"] == "United States"
    assert DEMONYMS["Dominican"] == "Dominican Republic"
    for word in ("IT", "CAN", "Island", "ML"):
        assert word not in COUNTRY_VARIANTS
    # the project's own additions stay
    assert COUNTRY_VARIANTS["U.S."] == "United States"
    assert CAPITALS["Washington"] == "United States"
    assert CAPITALS["Kiev"] == "Ukraine"


def test_a_demonym_of_a_newly_known_country_is_a_mention_of_it(loaded_model) -> None:
    an = analyze(
        "Malian troops entered the town on Monday. Mali has asked for help, and the "
        "Nigerien army said it would send soldiers.",
        model=loaded_model,
    )
    by_name = {a.name: a for a in an.actors}
    # before: "Mali" was a person and "Nigerien" (tagged PERSON by the model) too
    assert by_name["Mali"].kind == "place", [(a.name, a.kind) for a in an.actors]
    niger = by_name["Niger"]
    assert [an.text[m.start : m.end] for m in niger.mentions] == ["Nigerien"]
