"""The cue and hedge lexicons as spaCy matchers, built once per vocabulary (one per process).

- Hedges: a ``PhraseMatcher`` on lower-cased tokens over every phrase of hedges.py
  ("could not be independently verified", "roughly even odds", "probably").
- Cue candidates: a ``Matcher`` that finds the tokens a cue can start at (a verb whose lemma
  is a cue verb, "according", a cue noun, a cue verb the tagger took for a plural noun:
  "…, NIS estimates", "The department notes, …"), so that extraction looks at those tokens only.

What follows a match (the parse: the cue's subject and clause, a modal's tag) stays in
extract.py and hedges.py: single-lemma tests on a token already found (``NEEDS_CLAUSE``,
``DOCUMENT_NOUNS``, the content rules) stay set look-ups, the clearer and faster form there.
"""

from __future__ import annotations

from typing import Any

from .cues import NEEDS_CLAUSE, NOMINAL_CUES, VERB_CUES
from .hedges import phrases

#: match ids of the cue candidate patterns
CUE_VERB = "CUE_VERB"
ACCORDING = "ACCORDING"
CUE_NOUN = "CUE_NOUN"
CUE_PLURAL = "CUE_PLURAL"

_BUILT: dict[int, tuple[Any, Any, Any]] = {}


def _cased(words: set[str] | list[str] | dict[str, str]) -> list[str]:
    """Each lower-case word as spaCy may give its lemma: as is, Capitalised, UPPER."""
    return sorted({v for w in words for v in (w, w.capitalize(), w.upper())})


def plural_forms() -> list[str]:
    """Words the tagger may take for plural nouns that are cue verbs ("estimates", "says"):
    the word less its "s" (or "es") is a cue verb that needs no clause."""
    out = set()
    for v in VERB_CUES:
        for w in (v + "s", v + "es"):
            lemma = next((x for x in (w[:-1], w[:-2]) if x in VERB_CUES), None)
            if lemma is not None and lemma not in NEEDS_CLAUSE:
                out.add(w)
    return sorted(out)


def _build(vocab: Any) -> tuple[Any, Any, Any]:
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    hedge = PhraseMatcher(vocab, attr="LOWER")
    for words in phrases():
        hedge.add("HEDGE", [Doc(vocab, words=list(words))])
    cue = Matcher(vocab)
    cue.add(CUE_VERB, [[{"POS": "VERB", "LEMMA": {"IN": _cased(VERB_CUES)}}]])
    cue.add(ACCORDING, [[{"LOWER": "according"}]])
    cue.add(CUE_NOUN, [[{"POS": "NOUN", "LEMMA": {"IN": _cased(NOMINAL_CUES)}}]])
    cue.add(CUE_PLURAL, [[{"TAG": {"IN": ["NNS", "NNPS", "NN"]}, "LOWER": {"IN": plural_forms()}}]])
    every = sorted({w for v in VERB_CUES for w in (v + "s", v + "es")})
    cue.add(CUE_PLURAL, [[{"TAG": "NNS", "LOWER": {"IN": every}}]])
    return vocab, hedge, cue


def _matchers(doc: Any) -> tuple[Any, Any]:
    key = id(doc.vocab)
    built = _BUILT.get(key)
    if built is None or built[0] is not doc.vocab:
        built = _BUILT[key] = _build(doc.vocab)
    return built[1], built[2]


def cue_candidates(doc: Any) -> list[int]:
    """Indices of the tokens of ``doc`` where a cue may start, in text order."""
    if not all(doc.has_annotation(a) for a in ("POS", "TAG", "LEMMA")):
        # tokens alone (a text too long to parse): only "according to" can be seen
        return [t.i for t in doc if t.lower_ == "according"]
    _, cue = _matchers(doc)
    return sorted({start for _, start, _ in cue(doc)})


def hedge_matches(doc: Any) -> dict[int, int]:
    """For each token index where a hedge phrase starts, the end of the longest one."""
    hedge, _ = _matchers(doc)
    longest: dict[int, int] = {}
    for _, start, end in hedge(doc):
        if end > longest.get(start, start):
            longest[start] = end
    return longest
