"""The cue and hedge lexicons as spaCy matchers (analysis/matchers.py): the longest hedge
phrase wins, a phrase never runs over a sentence, "May" the month is no hedge, and the cue
candidates are the tokens a cue can start at."""

from __future__ import annotations

from brief_tui.analysis import analyze
from brief_tui.analysis.hedges import find_hedges
from brief_tui.analysis.matchers import cue_candidates, hedge_matches, plural_forms


def _hedges(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    longest = hedge_matches(doc)
    return [(h.text, h.level) for s in doc.sents for h in find_hedges(s, 0, longest)]


def test_longest_hedge_phrase_wins(loaded_model):
    got = _hedges(
        loaded_model.nlp,
        "The claim could not be independently verified. A strike is very likely soon.",
    )
    assert got == [
        ("could not be independently verified", "uncalibrated"),
        ("very likely", "very likely"),
    ]


def test_month_may_is_not_a_hedge_but_the_modal_is(loaded_model):
    got = _hedges(loaded_model.nlp, "Talks began in May. They may resume in June.")
    assert got == [("may", "uncalibrated")]


def test_hedge_phrase_does_not_run_over_its_span(loaded_model):
    # a sentence ending inside "very likely" keeps only what lies inside it
    doc = loaded_model.nlp("A deal is very likely now")
    longest = hedge_matches(doc)
    assert [h.text for h in find_hedges(doc[0:5], 0, longest)] == ["very likely"]
    assert [h.text for h in find_hedges(doc[0:4], 0, longest)] == []
    assert [(h.text, h.level) for h in find_hedges(doc[4:6], 0, longest)] == [("likely", "likely")]


def test_cue_candidates_are_cue_verbs_nouns_and_according(loaded_model):
    doc = loaded_model.nlp(
        "According to the ministry, the army said the claim that it fired was false."
    )
    words = [doc[i].lower_ for i in cue_candidates(doc)]
    assert words == ["according", "said", "claim"]
    # a plural-looking cue verb with no clause needed, but not one that needs a clause
    assert "estimates" in plural_forms() and "adds" not in plural_forms()


def test_analysis_finds_the_cues_the_matcher_offers(loaded_model):
    an = analyze(
        "North Korea has about 20 warheads, NIS estimates. According to Reuters, talks may resume.",
        model=loaded_model,
    )
    cues = [c.cue.text for c in an.claims if c.cue]
    assert cues == ["estimates", "According to"]
