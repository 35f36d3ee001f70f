"""The analysis against hand-written gold for three more texts (tests/fixtures/extra_gold.json):
an interview transcript, an article with chains across and within sentences, and names whose
labels flip between mentions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis.model import Analysis

GOLD = json.loads(
    (Path(__file__).parent / "fixtures" / "extra_gold.json").read_text(encoding="utf-8")
)
TEXTS = {t["id"]: t for t in GOLD["texts"]}
_done: dict[str, Analysis] = {}


@pytest.fixture
def analysed(loaded_model):
    def get(tid: str) -> Analysis:
        if tid not in _done:
            _done[tid] = analyze(TEXTS[tid]["text"], model=loaded_model)
        return _done[tid]

    return get


def _claim(an: Analysis, start: str):
    for c in an.claims:
        if c.content and an.text[c.content[0].start :].startswith(start):
            return c
    raise AssertionError(
        f"no claim starting {start!r}: {[an.text[c.start : c.end] for c in an.claims]}"
    )


CASES = [(t["id"], c) for t in GOLD["texts"] for c in t["claims"]]


@pytest.mark.parametrize(
    ("tid", "gold"), CASES, ids=[f"{t}:{c['content_start'][:25]}" for t, c in CASES]
)
def test_claim_matches_gold(analysed, tid, gold):
    an = analysed(tid)
    c = _claim(an, gold["content_start"])
    src = an.source(c.source)
    assert src is not None, gold
    assert (src.name, src.kind) == (gold["source"], gold["source_kind"])
    via = an.source(src.via)
    assert (via.name if via else None) == gold["via"]
    assert c.kind == gold["kind"] and c.attributed


@pytest.mark.parametrize("tid", [t["id"] for t in GOLD["texts"]])
def test_attributed_claims_and_author_statements_are_apart(analysed, tid):
    an, gold = analysed(tid), TEXTS[tid]
    assert an.profile["claims"] == len(an.attributed_claims())
    if "author_statements" in gold:
        assert len(an.author_statements()) == gold["author_statements"]
    for junk in gold.get("not_claims", []):
        assert not any(
            an.text[c.content[0].start :].startswith(junk) for c in an.claims if c.content
        ), junk


@pytest.mark.parametrize("tid", [t["id"] for t in GOLD["texts"] if "actors" in t])
def test_one_actor_per_person(analysed, tid):
    an, gold = analysed(tid), TEXTS[tid]
    names = [a.name for a in an.actors]
    for g in gold["actors"]:
        assert names.count(g["name"]) == 1, (g["name"], names)
        a = next(a for a in an.actors if a.name == g["name"])
        assert a.kind == g["kind"]
        for alias in g["aliases"]:
            assert alias in a.aliases, (alias, a.aliases)
        for m in a.mentions:
            if m.how in {"pronoun", "description"}:
                assert m.text not in a.aliases
    for t in gold.get("not_actors", []):
        assert t not in names, (t, names)
    # every mention of a person's name has the person's label, whatever the model said
    for e in an.entities:
        if e.text.replace("’s", "").replace("'s", "") in {"Trump", "Cruz"}:
            assert e.label == "PERSON", e
