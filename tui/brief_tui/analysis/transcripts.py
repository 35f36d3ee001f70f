"""Transcripts and Q&A interviews: a paragraph that is a speaker's turn ("PENCE:", "Q:", "A:",
"Jake Tapper:") is said by that speaker, and the speaker label names a person of the text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .model import Cue, TextSpan
from .records import ClaimRec, SourceRef, dtext

if TYPE_CHECKING:
    from .actors import Grouping


FIRST_PERSON = {"i", "me", "we", "us", "our", "my"}


#: a transcript turn: "PENCE:", "CHRIS WALLACE:", "Q:", "A:", or a name spaCy tags as a
#: person ("Jake Tapper:") at the start of a paragraph
_TURN = re.compile(
    r"\s*(Q|A|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}):\s"
)


def turn_speaker(doc: Any, offset: int) -> SourceRef | None:
    """The speaker of a paragraph that is a transcript turn, as a source."""
    text = dtext(doc)
    m = _TURN.match(text)
    if m is None:
        return None
    label = m.group(1)
    a, b = m.span(1)
    speaker = label in {"Q", "A"} or (label.isupper() and len(label) >= 3)
    # mixed case: only a name spaCy takes for a person ("Jake Tapper:")
    # mixed case: only a name spaCy takes for a person ("Jake Tapper:") before a clause (not
    # a caption such as "Belle Image: Nick Moreau.")
    if not speaker and not (
        any(e.label_ == "PERSON" and e.start_char == a and e.end_char == b for e in doc.ents)
        and any(x.pos_ in {"VERB", "AUX"} for x in doc if x.idx > m.end())
    ):
        return None
    return SourceRef(TextSpan(offset + a, offset + b, label), label.lower(), "turn", None, None)


SPEAKERS = {"q": "the interviewer (Q)", "a": "the interviewee (A)"}


def resolve_turn(g: Grouping, ref: SourceRef) -> str | None:
    """The person a transcript speaker label names: "PENCE" -> Mike Pence (by the full name
    or its last word); "A" -> the person most mentioned (the interviewee); "Q" stays the
    interviewer, unresolved."""
    label = ref.span.text.casefold()
    if label == "q":
        return None
    people = [a for a in g.actors if a.kind == "person"]
    if label == "a":
        best = max(people, key=lambda a: len(a.mentions), default=None)
        return best.id if best is not None else None
    for a in people:
        words = a.name.casefold().split()
        if a.name.casefold() == label or (words and words[-1] == label.split()[-1]):
            return a.id
    return None


#: "WikiLeaks: Clinton flattered Obama": a short name, a colon, a statement
_HEADLINE_COLON = re.compile(r"([A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}): +(\S.{8,})")
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
#: words before a colon that label a headline, not a source ("Update: ...", "Photo: ...")
_HEADLINE_LABELS = {
    "update",
    "updated",
    "image",
    "images",
    "photo",
    "photos",
    "video",
    "watch",
    "listen",
    "read",
    "breaking",
    "breaking news",
    "exclusive",
    "analysis",
    "opinion",
    "editorial",
    "comment",
    "commentary",
    "live",
    "note",
    "correction",
    "explainer",
    "factbox",
    "timeline",
    "interview",
    "review",
    "q",
    "a",
}


def headline_colon(doc: Any, offset: int) -> ClaimRec | None:
    """A headline "NAME: statement" as a claim of NAME (only a name: a proper noun or a
    named entity before the colon, not a label such as "Update:" or a time)."""
    text = dtext(doc)
    m = _HEADLINE_COLON.fullmatch(text.rstrip())
    if m is None or len(text) > 200:
        return None
    name = m.group(1)
    if name.casefold() in _HEADLINE_LABELS:
        return None
    a, b = m.span(1)
    toks = [t for t in doc if t.idx >= a and t.idx + len(t.text) <= b]
    if not toks or not any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_LABELS for t in toks):
        return None
    c0, c1 = m.span(2)
    # a statement has a finite verb: "Messina: An Interview with ..." is a title
    if not any(t.idx >= c0 and t.tag_ in {"VBD", "VBZ", "VBP", "MD"} for t in doc):
        return None
    rec = ClaimRec(offset, offset + c1)
    rec.content = [(offset + c0, offset + c1)]
    rec.cue = Cue(offset + b, offset + b + 1, ":", "report")
    rec.source = SourceRef(
        TextSpan(offset + a, offset + b, name),
        toks[-1].lemma_.lower(),
        "name",
        None,
        (offset + a, offset + b),
    )
    rec.headline = True
    return rec


#: fillers of speech ("you know", "I mean", "you see") when they take no object or clause
_FILLERS = {("you", "know"), ("i", "mean"), ("you", "see")}
_OPEN_BEFORE = {"so", "well", "but", "and", "now", "ok", "okay", "oh", "look"}


def discourse_openers(doc: Any, sent: Any, offset: int) -> list[tuple[int, int]]:
    """Character ranges of a sentence's discourse openers, which say nothing themselves:
    "Let me ask you (about the wall)", "Let me say (this)" up to a comma or the clause the
    verb reports, and the fillers "you know", "I mean" ("I mean it" is no filler)."""
    out: list[tuple[int, int]] = []
    for t in sent:
        low = t.lower_
        prev = doc[t.i - 1] if t.i > sent.start else None
        if (
            low == "let"
            and t.i + 2 < sent.end
            and doc[t.i + 1].lower_ in {"me", "us"}
            and (prev is None or prev.is_punct or prev.lower_ in _OPEN_BEFORE)
        ):
            verb = doc[t.i + 2]
            if any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children):
                continue  # "Let me say that ...": the verb reports a clause, a real cue
            j = t.i
            while j < sent.end and not (j > t.i and doc[j].is_punct):
                j += 1
            if j > t.i:
                last = doc[j - 1]
                out.append((offset + t.idx, offset + last.idx + len(last.text)))
        elif (
            prev is not None
            and (prev.lower_, low) in _FILLERS
            and prev.dep_ == "nsubj"
            and not any(c.dep_ in {"dobj", "ccomp", "xcomp", "attr"} for c in t.children)
            and (t.i + 1 >= sent.end or doc[t.i + 1].is_punct)
        ):
            out.append((offset + prev.idx, offset + t.idx + len(t.text)))
    return out


def without(
    content: list[tuple[int, int]], cut: list[tuple[int, int]], text: str, offset: int
) -> list[tuple[int, int]]:
    """``content`` with the ``cut`` ranges taken out, trimmed of spaces and punctuation at
    the edges of what is left; a piece the cut left without two words is dropped."""
    out: list[tuple[int, int]] = []
    for a, b in content:
        if not any(ca < b and cb > a for ca, cb in cut):
            out.append((a, b))
            continue
        pieces = [(a, b)]
        for ca, cb in cut:
            nxt = []
            for x, y in pieces:
                if cb <= x or ca >= y:
                    nxt.append((x, y))
                    continue
                if ca > x:
                    nxt.append((x, ca))
                if cb < y:
                    nxt.append((cb, y))
            pieces = nxt
        for x, y in pieces:
            while x < y and not text[x - offset].isalnum():
                x += 1
            while y > x and not (
                text[y - 1 - offset].isalnum() or text[y - 1 - offset] in "\"'”’)"
            ):
                y -= 1
            if len(re.findall(r"\w+", text[x - offset : y - offset])) >= 2:
                out.append((x, y))
    return out
