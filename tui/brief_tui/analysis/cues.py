"""The cue lexicon: verbs and phrases that introduce what someone said, believes or reported,
each with a stance class.

Stance classes:
- neutral: plain reporting (say, tell, add, note)
- assertive: the source presents it as fact (confirm, insist, stress, assert)
- warning: the source warns of a risk (warn, caution)
- estimative: an estimate, belief or judgement (estimate, believe, assess, expect)
- accusatory: blame (accuse, allege, blame)
- denial: the source rejects it (deny, reject, dismiss)
- report: the source published or announced it (report, announce, reveal, according to)
- admission: the source concedes it (admit, acknowledge, concede)
- descriptive: the source characterises something (describe, call, label)
- commissive: the source commits to it (promise, pledge, vow, threaten)
- disputed: the source argues or claims it (claim, argue, contend)
- belief: a cognition verb: what the source thinks, knows or realises (mean, realise, assume)

The classes are general verb classes (communication, cognition, judgement; after Levin's
and VerbNet's), not the words of one text. Each class gives a claim kind (:func:`claim_kind`):
reported speech, stance (accusing, denying: with its target as content), intention
(commissive), belief (estimative, cognition), evidence (a document or data as the source).
"""

from __future__ import annotations

#: verb lemma -> stance
VERB_CUES: dict[str, str] = {
    # neutral
    "say": "neutral",
    "tell": "neutral",
    "add": "neutral",
    "note": "neutral",
    "explain": "neutral",
    "state": "neutral",
    "comment": "neutral",
    "remark": "neutral",
    "write": "neutral",
    "mention": "neutral",
    "reply": "neutral",
    "respond": "neutral",
    "answer": "neutral",
    "continue": "neutral",
    "observe": "neutral",
    "tweet": "neutral",
    "post": "neutral",
    "email": "neutral",
    "brief": "neutral",
    "testify": "neutral",
    "recall": "neutral",
    "ask": "neutral",
    "point": "neutral",
    "quote": "neutral",
    "cite": "neutral",
    "read": "neutral",
    "speak": "neutral",
    # assertive
    "confirm": "assertive",
    "insist": "assertive",
    "stress": "assertive",
    "assert": "assertive",
    "emphasize": "assertive",
    "emphasise": "assertive",
    "declare": "assertive",
    "maintain": "assertive",
    "affirm": "assertive",
    "underline": "assertive",
    "show": "assertive",
    "prove": "assertive",
    "find": "assertive",
    "conclude": "assertive",
    "determine": "assertive",
    "verify": "assertive",
    "establish": "assertive",
    "demonstrate": "assertive",
    "rule": "assertive",
    "certify": "assertive",
    # warning
    "warn": "warning",
    "caution": "warning",
    "alert": "warning",
    # estimative
    "estimate": "estimative",
    "believe": "estimative",
    "think": "estimative",
    "assess": "estimative",
    "expect": "estimative",
    "predict": "estimative",
    "project": "estimative",
    "suspect": "estimative",
    "judge": "estimative",
    "forecast": "estimative",
    "suggest": "estimative",
    "speculate": "estimative",
    "theorize": "estimative",
    "theorise": "estimative",
    "reckon": "estimative",
    "fear": "estimative",
    "doubt": "estimative",
    "reason": "estimative",
    "indicate": "estimative",
    "calculate": "estimative",
    "feel": "estimative",
    "know": "estimative",
    "learn": "estimative",
    # accusatory
    "accuse": "accusatory",
    "allege": "accusatory",
    "blame": "accusatory",
    "charge": "accusatory",
    "criticize": "accusatory",
    "criticise": "accusatory",
    "condemn": "accusatory",
    "complain": "accusatory",
    # denial
    "deny": "denial",
    "reject": "denial",
    "dismiss": "denial",
    "refute": "denial",
    "dispute": "denial",
    "rebut": "denial",
    # report
    "report": "report",
    "announce": "report",
    "reveal": "report",
    "disclose": "report",
    "publish": "report",
    "release": "report",
    "inform": "report",
    "publicize": "report",
    "leak": "report",
    # admission
    "admit": "admission",
    "acknowledge": "admission",
    "concede": "admission",
    "recognize": "admission",
    "recognise": "admission",
    # descriptive
    "describe": "descriptive",
    "call": "descriptive",
    "characterize": "descriptive",
    "characterise": "descriptive",
    "label": "descriptive",
    "term": "descriptive",
    # commissive
    "promise": "commissive",
    "pledge": "commissive",
    "vow": "commissive",
    "threaten": "commissive",
    "guarantee": "commissive",
    # disputed
    "claim": "disputed",
    "argue": "disputed",
    "contend": "disputed",
    "counter": "disputed",
    "retort": "disputed",
    "agree": "neutral",
    "demand": "neutral",
    # cognition: belief and knowledge
    "mean": "belief",
    "realize": "belief",
    "realise": "belief",
    "remember": "belief",
    "suppose": "belief",
    "assume": "belief",
    "presume": "belief",
    "understand": "belief",
    "notice": "belief",
    "wonder": "belief",
    "imagine": "belief",
    "decide": "belief",
    "discover": "belief",
    "see": "belief",
    "hear": "belief",
    "worry": "belief",
    "guess": "belief",
    "consider": "belief",
    "hope": "estimative",
    "urge": "neutral",
    # Verbs of intention (plan, want, intend) and of stance towards a target (support,
    # oppose, praise, endorse) were tried as cues: on GUM (tune half) they cost more
    # precision than they gave recall (GUM does not annotate them as attributions), so the
    # intention and stance kinds come from commissive, accusatory and denial verbs only.
}

#: claim kind of each stance class (a document or data source makes it evidence)
KIND_OF_STANCE: dict[str, str] = {
    "estimative": "belief",
    "belief": "belief",
    "commissive": "intention",
    "accusatory": "stance",
    "denial": "stance",
}


def claim_kind(stance: str, source_how: str | None) -> str:
    """speech | stance | belief | intention | evidence, from the cue's class and the source."""
    if source_how == "document":
        return "evidence"
    return KIND_OF_STANCE.get(stance, "speech")


#: verbs that only count as cues when they take a clausal complement ("that ...", a quote),
#: since their ordinary uses are not speech ("read a book", "call a meeting").
NEEDS_CLAUSE: frozenset[str] = frozenset(
    {
        "add",
        "continue",
        "note",
        "show",
        "find",
        "read",
        "call",
        "point",
        "recall",
        "ask",
        "know",
        "learn",
        "feel",
        "hope",
        "fear",
        "post",
        "release",
        "establish",
        "determine",
        "reason",
        "counter",
        "agree",
        "urge",
        "demand",
        "speak",
        "indicate",
        "recognize",
        "recognise",
        "publish",
        "conclude",
        "prove",
        "demonstrate",
        "suggest",
        "write",
        "maintain",
        "charge",
        "expect",
        "answer",
        "reply",
        "respond",
        "judge",
        "calculate",
        "project",
        "label",
        "term",
        "brief",
        "cite",
        "quote",
        "inform",
        "leak",
        "verify",
        "describe",
        "mention",
        "declare",
        "underline",
        "disclose",
        "reveal",
        "accuse",
        "blame",
        "criticize",
        "criticise",
        "condemn",
        "complain",
        "reject",
        "dismiss",
        "dispute",
        "promise",
        "threaten",
        "guarantee",
        "alert",
        "assess",
        "affirm",
        "admit",
        "acknowledge",
        "concede",
        "deny",
        "rule",
        "certify",
        # cognition and perception verbs speak of a claim only with a clause
        "mean",
        "realize",
        "realise",
        "remember",
        "suppose",
        "assume",
        "presume",
        "understand",
        "notice",
        "wonder",
        "imagine",
        "decide",
        "discover",
        "see",
        "hear",
        "worry",
        "guess",
        "consider",
    }
)

#: nominalisations of cue verbs whose "that" clause (or "saying" clause) is a claim:
#: "the announcement that", "speculation that", "a statement saying"
NOMINAL_CUES: dict[str, str] = {
    "announcement": "report",
    "statement": "report",
    "claim": "disputed",
    "assertion": "assertive",
    "allegation": "accusatory",
    "accusation": "accusatory",
    "belief": "belief",
    "speculation": "estimative",
    "news": "report",
    "report": "report",
    "suggestion": "estimative",
    "warning": "warning",
    "promise": "commissive",
    "pledge": "commissive",
    "admission": "admission",
    "denial": "denial",
    "fear": "estimative",
    "hope": "estimative",
    "view": "belief",
    "argument": "disputed",
    "insistence": "assertive",
    "assurance": "assertive",
    "remark": "neutral",
    "comment": "neutral",
    "confirmation": "assertive",
    "estimate": "estimative",
    "prediction": "estimative",
    "rumor": "estimative",
    "rumour": "estimative",
    "message": "neutral",
    "letter": "report",
    "tweet": "neutral",
}

#: multi-word / prepositional cues: lower-cased text -> stance. The source follows them.
PHRASE_CUES: dict[str, str] = {
    "according to": "report",
    "citing": "neutral",
    "quoting": "neutral",
    "in a statement": "report",
    "told reporters": "neutral",
    "in the words of": "neutral",
    "as reported by": "report",
    "as quoted by": "neutral",
    "said in a statement": "report",
}

#: nouns that, as the subject of a cue or object of "according to", are documents
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    {
        "statement",
        "report",
        "document",
        "study",
        "survey",
        "memo",
        "letter",
        "filing",
        "release",
        "communique",
        "communiqué",
        "assessment",
        "analysis",
        "poll",
        "data",
        "figures",
        "record",
        "records",
        "transcript",
        "cable",
        "paper",
        "research",
        "review",
        "investigation",
        "audit",
        "estimate",
        "estimates",
        "reports",
        "documents",
        "studies",
        "indictment",
        "complaint",
        "lawsuit",
        "ruling",
        "verdict",
        "decree",
        "order",
        "bill",
        "law",
        "resolution",
        "tweet",
        "post",
        "email",
        "website",
        "article",
        "book",
        "sign",
        "notice",
        "announcement",
        "briefing",
        "dossier",
        "findings",
        "evidence",
    }
)


def verb_stance(lemma: str) -> str | None:
    return VERB_CUES.get(lemma.lower())


def cue_count() -> int:
    """Number of distinct cues in the lexicon (verbs plus phrases)."""
    return len(set(VERB_CUES)) + len(PHRASE_CUES)
