"""Write tui/brief_tui/analysis/data/countries.json from the countryinfo package (MIT).

Run at development time, not at run time:
``pip install -e '.[gazetteer]' && python scripts/build_gazetteer.py``.
The shipped JSON is what the analysis reads (gazetteer.py); the project's own additions
(Kosovo, capitals named for their governments, short names like "U.S.") stay in gazetteer.py.

Kept per country: its common name, demonyms (singular and a regular plural), capital(s) with
an ASCII spelling beside an accented one, and other spellings that read as names (official
long forms like "Republic of Mali"; ISO codes and native-script spellings left out, since
"IT" or "CAN" would match ordinary words).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tui" / "brief_tui" / "analysis" / "data"

#: entries left out: uninhabited, defunct, or duplicates of another entry
SKIP = {
    "Antarctica",
    "Bouvet Island",
    "Heard Island and McDonald Islands",
    "United States Minor Outlying Islands",
    "French Southern and Antarctic Lands",
    "British Indian Ocean Territory",
    "South Georgia",
    "Serbia and Montenegro",
    "Antilles néerlandaises",
    "Holy See (Vatican City State)",
    "Palestine, State of",
    "Burma",
    "Scotland",
    "Wales",
}
#: the names news uses where countryinfo has another form
RENAME = {
    "The Bahamas": "Bahamas",
    "The Gambia": "Gambia",
    "Republic of Macedonia": "North Macedonia",
    "Vatican City State": "Vatican City",
    "Virgin Islands, British": "British Virgin Islands",
    "Virgin Islands, U.S.": "U.S. Virgin Islands",
    "Swaziland": "Eswatini",
    "Cocos (Keeling) Islands": "Cocos Islands",
}
#: capitals that are also common given names or surnames ("Victoria said", "Hamilton"):
#: never read as a country's government
NAME_CAPITALS = {
    "Victoria",
    "Hamilton",
    "Douglas",
    "Stanley",
    "Kingston",
    "Jamestown",
    "Adamstown",
    "Plymouth",
    "The Valley",
    "Georgetown",
    "Saint John's",
    "Male",
    "Malé",
    "Washington D.C.",
    "Praia",
    "Victoria City",
}
#: other spellings that are ordinary words ("Island" is Iceland's own name)
WORD_VARIANTS = {"Island"}


def ascii_fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).replace("ș", "s")


def plural(demonym: str) -> str | None:
    """ "Malian" -> "Malians"; none for "Chinese", "Swiss", "French", "British"."""
    low = demonym.lower()
    if low.endswith(("ese", "ss", "sh", "ch", "s", "x")):
        return None
    return demonym + "s"


def is_name(spelling: str) -> bool:
    """An ASCII spelling that reads as a name: not an ISO code, not "Korea, Republic of"."""
    return (
        spelling.isascii()
        and len(spelling) > 3
        and not spelling.isupper()
        and "," not in spelling
        and "(" not in spelling
        and spelling not in WORD_VARIANTS
    )


def build() -> dict[str, object]:
    import countryinfo

    countries: dict[str, dict[str, list[str]]] = {}
    seen_codes: set[str] = set()
    population: dict[str, int] = {}
    for c in countryinfo.all_countries():
        info = c.info()
        raw = str(info.get("name") or "").strip()
        if not raw or raw in SKIP:
            continue
        code = str((info.get("ISO") or {}).get("alpha2") or "")
        if code and code in seen_codes:
            continue
        seen_codes.add(code)
        name = RENAME.get(raw, raw)
        cap = info.get("capital")
        caps = [str(x) for x in (cap if isinstance(cap, list) else [cap]) if x]
        capitals: list[str] = []
        for k in caps:
            if "/" in k:
                continue
            for v in (k, ascii_fold(k)):
                if v not in capitals and v not in NAME_CAPITALS:
                    capitals.append(v)
        dem = str(info.get("demonym") or "").strip()
        demonyms: list[str] = []
        for d in dem.split("/"):
            d = d.strip()
            if d and d.isascii():
                demonyms.append(d)
                p = plural(d)
                if p:
                    demonyms.append(p)
        variants = [
            s for s in (str(x) for x in info.get("altSpellings") or []) if is_name(s) and s != name
        ]
        if raw != name:
            variants.insert(0, raw)
        population[name] = int(info.get("population") or 0)
        countries[name] = {
            "demonyms": sorted(set(demonyms), key=demonyms.index),
            "capitals": capitals,
            "variants": sorted(set(variants), key=variants.index),
        }
    # a demonym several entries share ("American": the United States and the Northern
    # Mariana Islands; "Dominican") belongs to the most populous one
    owner: dict[str, str] = {}
    for name, entry in countries.items():
        for d in entry["demonyms"]:
            if d not in owner or population[name] > population[owner[d]]:
                owner[d] = name
    for name, entry in countries.items():
        entry["demonyms"] = [d for d in entry["demonyms"] if owner[d] == name]
    return {
        "source": f"countryinfo {version('countryinfo')} (MIT licence), "
        "https://github.com/porimol/countryinfo; built by scripts/build_gazetteer.py",
        "countries": dict(sorted(countries.items())),
    }


def main() -> int:
    try:
        data = build()
    except ImportError:
        print("countryinfo is not installed: pip install -e '.[gazetteer]'", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "countries.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{path}: {len(data['countries'])} countries")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
