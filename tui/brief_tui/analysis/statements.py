"""Author statements: what is left of a sentence around its attributions is a statement of the
author's own only when it is a full clause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


_FINITE = {"VBD", "VBZ", "VBP", "MD"}


_SUBJ_DEPS = {"nsubj", "nsubjpass", "expl"}


# the last word of a fragment whose complement went with the attribution: "comes after",
# "who was also briefed by", "the ... of the"
_DANGLING_TAGS = {"IN", "TO", "DT", "PDT", "WDT", "WP", "WP$", "WRB", "CC"}


_DANGLING_DEPS = {"prep", "agent", "mark", "det", "aux", "auxpass", "cc", "case", "dative"}


#: the fewest words a remainder needs to be a statement of its own
MIN_STATEMENT_WORDS = 4


def full_statement(doc: Any, run: list[int], cue_ids: set[int]) -> list[int]:
    """The tokens of ``run`` (what is left of a sentence around its attributions) when it is
    a full statement of its own, else nothing. A full statement has at least
    ``MIN_STATEMENT_WORDS`` words, does not end in a word whose complement went with the
    attribution ("The assessment comes after", "who was also briefed by"), and holds a
    finite verb with its subject whose clause is not subordinate to a word outside the run:
    a main or coordinated clause, or a relative clause on the cue ("…, NIS estimates, which
    … is unlikely to tip the balance"); not an adverbial clause ("…, Lee said after the spy
    agency briefed parliamentarians") nor a relative clause on the source ("lawmaker Park
    Sun-won who was also briefed by the spy agency told reporters")."""
    toks = [doc[i] for i in run]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].pos_ == "CCONJ"):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].pos_ == "CCONJ"):
        toks.pop(0)
    if sum(1 for t in toks if t.is_alpha or t.like_num) < MIN_STATEMENT_WORDS:
        return []
    last = toks[-1]
    if last.dep_ != "prt" and (last.tag_ in _DANGLING_TAGS or last.dep_ in _DANGLING_DEPS):
        return []
    ids = {t.i for t in toks}
    for v in toks:
        if v.pos_ not in {"VERB", "AUX"}:
            continue
        kids = list(v.children)
        if not any(c.dep_ in _SUBJ_DEPS and c.i in ids for c in kids):
            continue
        if v.tag_ not in _FINITE and not any(
            c.dep_ in {"aux", "auxpass"} and c.tag_ in _FINITE and c.i in ids for c in kids
        ):
            continue
        # the top of the clause inside the run
        top = v
        while top.dep_ != "ROOT" and top.head.i in ids and top.head is not top:
            top = top.head
        if top.dep_ in {"ROOT", "conj", "parataxis"} or (
            top.dep_ == "relcl" and top.head.i in cue_ids
        ):
            return [t.i for t in toks]
    return []
