"""Figures: numbers with their approximators and units ("about 10,000 troops", "millions of
rounds")."""

from __future__ import annotations

import re
from typing import Any

from .model import Claim, Figure, Measure, Source
from .records import dtext

APPROX_SINGLE = {
    "about",
    "around",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "some",
    "over",
    "under",
    "circa",
    "ca.",
    "approx.",
    "~",
    "estimated",
    "reportedly",
    "upwards",
}
APPROX_MULTI = [
    ("more", "than"),
    ("less", "than"),
    ("fewer", "than"),
    ("up", "to"),
    ("at", "least"),
    ("at", "most"),
    ("close", "to"),
    ("as", "many", "as"),
    ("as", "much", "as"),
    ("as", "few", "as"),
    ("an", "estimated"),
    ("just", "over"),
    ("just", "under"),
    ("well", "over"),
    ("in", "excess", "of"),
    ("no", "more", "than"),
    ("upwards", "of"),
]
#: vague quantity words and their order of magnitude
VAGUE = {
    "dozens": 24.0,
    "scores": 40.0,
    "hundreds": 100.0,
    "thousands": 1000.0,
    "tens": 10.0,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
WORD_NUM = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "hundred": 100,
    "thousand": 1000,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "half": 0.5,
}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
_NUM_RE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")


def parse_value(words: list[str]) -> float | None:
    """Value of a number written in digits and/or words: "10,000" -> 10000, "a hundred" ->
    100, "2.5 million" -> 2.5e6, "millions" -> 1e6."""
    total = 0.0
    cur = None
    for w in words:
        lw = w.lower().replace(",", "")
        if _NUM_RE.match(w):
            try:
                cur = (cur or 0) + float(lw)
            except ValueError:
                return None
        elif lw in VAGUE:
            return (cur or 1) * VAGUE[lw]
        elif lw in WORD_NUM:
            v = WORD_NUM[lw]
            if v >= 100 and cur is not None:
                cur *= v
                if v >= 1000:
                    total += cur
                    cur = None
            elif v >= 100:
                cur = v
            else:
                cur = (cur or 0) + v
        elif lw in {"and", "-"}:
            continue
        else:
            return None
    total += cur or 0
    return total if (total or cur is not None) else None


def _approx_before(toks: list[Any], i: int) -> int:
    """Index of the first token of an approximator ending just before toks[i], or i."""
    for phrase in sorted(APPROX_MULTI, key=len, reverse=True):
        L = len(phrase)
        if i - L >= 0 and tuple(t.lower_ for t in toks[i - L : i]) == phrase:
            return i - L
    if i - 1 >= 0 and toks[i - 1].lower_ in APPROX_SINGLE:
        return i - 1
    return i


def find_figures(sent: Any, offset: int) -> list[Figure]:
    """Figures in a spaCy sentence Span."""
    toks = list(sent)
    n = len(toks)
    out: list[Figure] = []
    used: set[int] = set()
    base = toks[0].i if toks else 0
    i = 0
    while i < n:
        t = toks[i]
        is_num = (t.like_num or t.lower_ in VAGUE) and t.ent_type_ not in _SKIP_ENTS
        if t.lower_ in {"a", "an", "one", "half"}:
            is_num = (
                i + 1 < n
                and toks[i + 1].lower_ in {"hundred", "thousand", "million", "billion", "dozen"}
                and t.ent_type_ not in _SKIP_ENTS
            )
        if not is_num or i in used:
            i += 1
            continue
        # the number: a run of number-ish tokens
        j = i
        while (
            j + 1 < n
            and (
                toks[j + 1].like_num
                or toks[j + 1].lower_ in WORD_NUM
                or (toks[j + 1].lower_ in {"and"} and j + 2 < n and toks[j + 2].like_num)
            )
            and toks[j + 1].ent_type_ not in _SKIP_ENTS
        ):
            j += 1
        words = [x.text for x in toks[i : j + 1]]
        value = parse_value(words)
        if value is None:
            i = j + 1
            continue
        a = _approx_before(toks, i)
        approx = " ".join(x.lower_ for x in toks[a:i]) or None
        if toks[i].lower_ in VAGUE:
            approx = approx or toks[i].lower_
        # unit: the noun the number counts
        unit = None
        k_end = j
        head = toks[j].head
        if (
            toks[j].dep_ in {"nummod", "quantmod", "amod", "compound"}
            and head.pos_ in {"NOUN", "PROPN"}
            and head.i > toks[j].i
        ):
            unit = head
        elif (
            j + 2 < n
            and toks[j + 1].lower_ == "of"
            and toks[j + 2].pos_ in {"NOUN", "PROPN", "ADJ", "DET", "PRON"}
        ):
            # "millions of rounds of ...", "a hundred of its military vocabulary"
            for k in range(j + 2, min(n, j + 6)):
                if toks[k].pos_ in {"NOUN", "PROPN"}:
                    unit = toks[k]
                    break
        elif j + 1 < n and toks[j + 1].pos_ in {"NOUN", "SYM"} and toks[j + 1].i == toks[j].i + 1:
            unit = toks[j + 1]
        if toks[i].text in {"$", "€", "£"} or (i > 0 and toks[i - 1].text in {"$", "€", "£"}):
            unit = unit  # currency handled below
        cur = toks[i - 1].text if i > 0 and toks[i - 1].text in {"$", "€", "£", "¥"} else None
        if cur and a == i:
            a = i - 1
            a = _approx_before(toks, a)
            approx = " ".join(x.lower_ for x in toks[a : i - 1]) or approx
        unit_text = None
        if unit is not None:
            k_end = max(k_end, unit.i - base)
            unit_text = unit.lemma_.lower()
        elif t.ent_type_ == "PERCENT" or (
            j + 1 < n and toks[j + 1].text in {"%", "percent", "per"}
        ):
            unit_text = "percent"
            k_end = j + 1 if j + 1 < n and toks[j + 1].text in {"%", "percent"} else j
        if cur:
            unit_text = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}[cur] + (
                f" {unit_text}" if unit_text and unit_text not in {"million", "billion"} else ""
            )
        start = offset + toks[a].idx
        end = offset + toks[k_end].idx + len(toks[k_end].text)
        out.append(
            Figure(
                start,
                end,
                dtext(sent.doc)[toks[a].idx : toks[k_end].idx + len(toks[k_end].text)],
                value,
                approx,
                unit_text,
            )
        )
        used.update(range(a, k_end + 1))
        i = k_end + 1
    return out


def link_figures(claims: list[Claim], sources: list[Source]) -> list[Measure]:
    """Figures with the same unit in different claims are one measure: corroborating when
    their values agree within 25 %, conflicting otherwise."""
    by_unit: dict[str, list[tuple[int, int, Figure]]] = {}
    for ci, c in enumerate(claims):
        for fi, f in enumerate(c.figures):
            if f.unit and f.value is not None and f.unit not in {"percent"}:
                by_unit.setdefault(f.unit, []).append((ci, fi, f))
    measures: list[Measure] = []
    for unit, figs in by_unit.items():
        if len({ci for ci, _, _ in figs}) < 2:
            continue
        m = Measure(id=f"m{len(measures) + 1}", unit=unit)
        vals = [f.value for _, _, f in figs if f.value]
        lo, hi = (min(vals), max(vals)) if vals else (0, 0)
        m.agreement = "corroborating" if lo and hi / lo <= 1.25 else "conflicting"
        for ci, fi, f in figs:
            c = claims[ci]
            c.figures[fi] = Figure(f.start, f.end, f.text, f.value, f.approx, f.unit, m.id)
            m.figures.append((c.id, fi))
        measures.append(m)
    return measures
