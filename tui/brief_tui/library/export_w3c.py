"""Export a briefing's annotations as a W3C Web Annotation collection (JSON-LD)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from brief_tui.analysis.model import Analysis
from brief_tui.briefing.load import Briefing
from brief_tui.library.anchoring import make_selector
from brief_tui.library.annotations import (
    Annotation,
)

from .escaping import iso_text, iso_time

GENERATOR = "brief-tui"


# -- helpers over the analysis --------------------------------------------------------------
def in_text_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    return sorted(annotations, key=lambda a: a.sort_key())


def own_tags(a: Annotation) -> tuple[str, ...]:
    """The annotation's tags without its meaning (a highlight is tagged with its meaning as
    well, which the export states once)."""
    if not a.meaning:
        return a.tags
    return tuple(t for t in a.tags if t.casefold() != a.meaning.casefold())


def model_label(analysis: Analysis | None) -> str | None:
    if analysis is None:
        return None
    return f"{analysis.model_name} {analysis.model_version}".strip()


def _first_mention(analysis: Analysis, target_type: str, target_id: str) -> tuple[int, int] | None:
    """Where an actor, claim or source first appears in the text: an actor's first mention
    by name (not a pronoun), a claim's sentence, a source's first naming (its actor's first
    mention, or where a claim names it)."""
    spans: list[tuple[int, int]] = []
    actor_id: str | None = None
    if target_type == "claim":
        for c in analysis.claims:
            if c.id == target_id:
                spans.append((c.start, c.end))
    elif target_type == "actor":
        actor_id = target_id
    elif target_type == "source":
        src = analysis.source(target_id)
        if src is not None:
            actor_id = src.actor
            spans += [
                (c.source_span.start, c.source_span.end)
                for c in analysis.claims_by_source(src.id)
                if c.source_span is not None
            ]
    actor = analysis.actor(actor_id)
    if actor is not None:
        named = [m for m in actor.mentions if m.how != "pronoun"] or actor.mentions
        spans += [(m.start, m.end) for m in named]
    spans = [(s, e) for s, e in spans if 0 <= s < e <= len(analysis.text)]
    return min(spans) if spans else None


# -- W3C Web Annotation ---------------------------------------------------------------------
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


#: the project's own terms, so that JSON-LD processing keeps them (the W3C context defines
#: none of them): ``brief-tui:`` names a term of this vocabulary, the rest are Dublin Core
PROJECT_CONTEXT: dict[str, Any] = {
    "brief-tui": "urn:brief-tui:terms:",
    "title": "dcterms:title",
    "author": "dcterms:creator",
    "date": {"@id": "dcterms:date", "@type": "xsd:date"},
    "origin": "brief-tui:origin",
    "model": "brief-tui:model",
}


CONTEXT: list[Any] = [W3C_CONTEXT, PROJECT_CONTEXT]


_MOTIVATION = {
    "highlight": "highlighting",
    "note": "commenting",
    "tag": "tagging",
    "grade": "assessing",
}


def briefing_urn(briefing_id: str) -> str:
    """The IRI of one version of a briefing: the SHA-256 of its normalised text, which the
    positions count in."""
    return f"urn:brief-tui:briefing:{briefing_id}"


_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def document_iri(briefing: Briefing) -> str | None:
    """Where the briefing was read from, as an IRI others can resolve: its http(s) address or
    a ``file:`` URI; None for standard input."""
    for candidate in (briefing.url, briefing.origin):
        parts = urlsplit(candidate) if candidate else None
        if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
            return quote(candidate, safe=_IRI_SAFE)
    origin = Path(briefing.origin)
    if briefing.origin and not briefing.origin.startswith("<") and origin.is_absolute():
        return origin.as_uri()
    return None


def _text_source(briefing: Briefing) -> dict[str, Any]:
    """The text the selectors point into: this version of the briefing, and where it was
    read from (``via``)."""
    source: dict[str, Any] = {
        "id": briefing_urn(briefing.id),
        "type": "Text",
        "format": "text/plain",
    }
    iri = document_iri(briefing)
    if iri is not None:
        source["via"] = iri
    return source


def analyst_agent(name: str) -> dict[str, Any]:
    """The analyst who made an annotation in a team library, as a W3C Agent: a Person with
    their name, identified by it (an analyst's name is who they are in the library)."""
    return {"id": f"urn:brief-tui:analyst:{quote(name, safe='')}", "type": "Person", "name": name}


def _quote_selector(exact: str, prefix: str, suffix: str) -> dict[str, Any]:
    return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}


def _w3c_item(a: Annotation, briefing: Briefing, analysis: Analysis | None) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": a.note,
            }
        )
    for t in own_tags(a):
        body.append({"type": "TextualBody", "purpose": "tagging", "value": t})
    if a.meaning:
        body.append({"type": "TextualBody", "purpose": "classifying", "value": a.meaning})
    if a.grade:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.grade})
    if a.status:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": a.status})
    selectors: list[dict[str, Any]] = []
    target: dict[str, Any]
    if a.orphan:
        # The quote belongs to an earlier version of the text, which the store no longer
        # holds: the target is the document as it was when the note was made, found by
        # its quote; the position it had no longer holds anywhere.
        iri = document_iri(briefing)
        target = {"source": iri if iri is not None else briefing_urn(briefing.id)}
        made = iso_text(a.created_at)
        if made is not None:
            target["state"] = {"type": "TimeState", "sourceDate": made}
        if a.exact is not None:
            selectors.append(_quote_selector(a.exact, a.prefix or "", a.suffix or ""))
    else:
        target = {"source": _text_source(briefing)}
        span: tuple[int, int] | None = None
        if a.has_text_anchor:
            assert a.start is not None and a.end is not None and a.exact is not None
            selectors.append(_quote_selector(a.exact, a.prefix or "", a.suffix or ""))
            selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
        elif a.target_type != "text" and a.target_id and analysis is not None:
            span = _first_mention(analysis, a.target_type, a.target_id)
        if span is not None and analysis is not None and analysis.briefing_id == briefing.id:
            sel = make_selector(briefing.text, *span)
            selectors.append(_quote_selector(sel.exact, sel.prefix, sel.suffix))
            selectors.append({"type": "TextPositionSelector", "start": sel.start, "end": sel.end})
    if a.target_type != "text":
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "urn:brief-tui:analysis-id",
                "value": f"{a.target_type}={a.target_id}",
            }
        )
    if len(selectors) == 1:
        target["selector"] = selectors[0]
    elif selectors:
        target["selector"] = selectors
    item: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": _MOTIVATION.get(a.kind, a.kind),
    }
    for key, value in (("created", a.created_at), ("modified", a.updated_at)):
        when = iso_text(value)
        if when is not None:
            item[key] = when
    if a.author:
        item["creator"] = analyst_agent(a.author)
    if body:
        item["body"] = body
    item["target"] = target
    if a.orphan:
        item["brief-tui:orphan"] = True
    return item


def export_w3c_json(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None = None,
    *,
    exported_at: datetime,
) -> dict[str, Any]:
    """A W3C Web Annotation ``AnnotationCollection``; with annotations, its one
    ``AnnotationPage`` (``first`` and ``last``) holds one ``Annotation`` each, in text order.
    Text targets carry a TextQuoteSelector and a TextPositionSelector (offsets in Unicode
    code points of the briefing's text); notes on an actor, claim or source carry those of
    its first mention (when the analysis is given) and a FragmentSelector naming it; an
    orphan carries its quote only. Serialise with :func:`json_text`."""
    anns = in_text_order(annotations)
    items = [_w3c_item(a, briefing, analysis) for a in anns]
    collection_id = f"{briefing_urn(briefing.id)}:annotations"
    about: dict[str, Any] = {
        "id": briefing_urn(briefing.id),
        "type": "Text",
        "title": briefing.title,
        "origin": briefing.origin,
    }
    iri = document_iri(briefing)
    if iri is not None:
        about["via"] = iri
    if briefing.author:
        about["author"] = briefing.author
    if briefing.date is not None:
        about["date"] = briefing.date.isoformat()
    about["model"] = model_label(analysis)
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": briefing.title,
        "total": len(items),
        "generated": iso_time(exported_at),
        "generator": {"type": "Software", "name": GENERATOR},
        "brief-tui:briefing": about,
    }
    if items:
        page_id = f"{collection_id}:page-1"
        collection["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            # described, not only named: as the model's example has it (and the test suite
            # reads a page's partOf as an object)
            "partOf": {"id": collection_id, "label": briefing.title, "total": len(items)},
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = page_id
    return collection
