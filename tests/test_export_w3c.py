"""The JSON export as an outside tool reads it: the W3C annotation-model test suite's MUST
assertions on every annotation, the collection and the page; its SHOULDs for the collection
and page; timestamps in UTC 'Z'; terms JSON-LD keeps; and a round trip through a small
independent reader that places every quote back in the text, code points and all."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief_tui.analysis.model import Analysis
from brief_tui.briefing import Briefing, briefing_from_text
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import PROJECT_CONTEXT, json_text
from brief_tui.library.output import export_text
from brief_tui.library.store import Store
from tests import w3c_suite as w3c
from tests.test_export import TEXT, WHEN
from tests.test_export import setup as setup  # the fixture

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _export(store: Store, b: Briefing, analysis: Analysis | None) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(export_text(b, store.annotations(b.id), analysis, "json"))
    return doc


def _failed(results: list[w3c.Result], level: str = "must") -> list[str]:
    return [f"{r.assertion}: {r.message}" for r in results if r.level == level and not r.passed]


def test_every_must_of_the_w3c_suite_holds(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    doc = _export(store, b, analysis)
    items = doc["first"]["items"]
    assert len(items) == 8  # highlights, notes, tags, grades, an orphan, a vanished claim
    n = 0
    for item in items:
        results = w3c.run(w3c.ANNOTATION_MUSTS, w3c.with_context(item, doc["@context"]))
        assert not _failed(results), item
        n += len(results)
    collection = w3c.run(w3c.COLLECTION_MUSTS, doc)
    # the page as the suite takes it: embedded in its collection, and on its own
    page = w3c.run(w3c.PAGE_MUSTS, doc)
    alone = w3c.run(w3c.PAGE_MUSTS, {"@context": doc["@context"], **doc["first"]})
    assert not _failed(collection) and not _failed(page) and not _failed(alone)
    assert n == 56 * len(items) and len(collection) == 10 and len(page) == 15


def test_the_collection_and_page_shoulds_hold(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    doc = _export(store, b, analysis)
    results = w3c.run(w3c.COLLECTION_OPTIONALS, doc) + w3c.run(w3c.PAGE_OPTIONALS, doc)
    shoulds = {r.assertion.rsplit("/", 1)[1]: r.passed for r in results if r.level == "should"}
    assert shoulds == {
        "5.1-collectionLabelImplemented.json": True,
        "5.1-collectionLastImplemented.json": True,
        "5.1-collectionTotalImplemented.json": True,
        "5.2-pagePartOfImplemented.json": True,
        "5.2-pageStartIndexImplemented.json": True,
    }
    # and the annotations' own SHOULDs that concern what they hold: a quote selector has
    # its prefix and suffix, a fragment selector says what it conforms to
    for item in doc["first"]["items"]:
        results = w3c.run(w3c.ANNOTATION_OPTIONALS, w3c.with_context(item, doc["@context"]))
        got = {r.assertion.rsplit("/", 1)[1]: r.passed for r in results}
        sels = json.dumps(item["target"])
        if "TextQuoteSelector" in sels:
            assert got["4.2.4-prefix.json"] and got["4.2.4-suffix.json"]
        if "FragmentSelector" in sels:
            assert got["4.2.1-conformsTo.json"]


def test_an_empty_export_is_a_valid_collection_without_a_page() -> None:
    b = briefing_from_text("Just text.\n", "/tmp/x.txt")
    doc = json.loads(export_text(b, [], None, "json", exported_at=WHEN))
    assert doc["total"] == 0 and "first" not in doc
    assert not _failed(w3c.run(w3c.COLLECTION_MUSTS, doc))


def test_times_are_utc_with_z(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    doc = _export(store, b, analysis)
    assert UTC_Z.match(doc["generated"])
    for item in doc["first"]["items"]:
        assert UTC_Z.match(item["created"]) and UTC_Z.match(item["modified"])


# Terms http://www.w3.org/ns/anno.jsonld defines (Web Annotation Vocabulary, appendix A.3).
ANNO_TERMS = frozenset(
    [
        "@context",
        "id",
        "type",
        "body",
        "target",
        "source",
        "selector",
        "state",
        "motivation",
        "purpose",
        "value",
        "format",
        "language",
        "processingLanguage",
        "textDirection",
        "created",
        "modified",
        "generated",
        "creator",
        "generator",
        "rights",
        "canonical",
        "via",
        "label",
        "total",
        "first",
        "last",
        "next",
        "prev",
        "partOf",
        "items",
        "startIndex",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "conformsTo",
        "refinedBy",
        "sourceDate",
        "sourceDateStart",
        "sourceDateEnd",
        "cached",
        "name",
        "nickname",
        "email",
        "homepage",
        "bodyValue",
    ]
)


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        out = set(node)
        for k, v in node.items():
            if k != "@context":
                out |= _keys(v)
        return out
    if isinstance(node, list):
        return set().union(*(_keys(v) for v in node)) if node else set()
    return set()


def test_every_term_means_something_to_json_ld(setup: tuple[Store, Briefing, Analysis]) -> None:
    store, b, analysis = setup
    doc = _export(store, b, analysis)
    assert doc["@context"] == ["http://www.w3.org/ns/anno.jsonld", PROJECT_CONTEXT]
    prefixes = {k for k, v in PROJECT_CONTEXT.items() if isinstance(v, str) and v.endswith(":")}
    for key in _keys(doc):
        prefix, colon, _ = key.partition(":")
        assert key in ANNO_TERMS or key in PROJECT_CONTEXT or (colon and prefix in prefixes), key
    # the briefing's own id is an absolute IRI, not bare hex (a relative IRI in JSON-LD)
    assert doc["brief-tui:briefing"]["id"] == f"urn:brief-tui:briefing:{b.id}"
    assert doc["brief-tui:briefing"]["via"] == "file:///home/analyst/in%3A%20box/brief.txt"


def test_a_url_briefing_is_targeted_by_its_address() -> None:
    b = Briefing(
        id="ab" * 32,
        title="t",
        text="Alpha beta gamma.\n",
        origin="https://example.org/news/a b?x=1",
        url="https://example.org/news/a b?x=1",
    )
    a = Annotation("1", b.id, "highlight", start=6, end=10, exact="beta", prefix="Alpha ")
    doc = json.loads(export_text(b, [a], None, "json", exported_at=WHEN))
    assert doc["first"]["items"][0]["target"]["source"]["via"] == (
        "https://example.org/news/a%20b?x=1"
    )
    assert not _failed(
        w3c.run(w3c.ANNOTATION_MUSTS, w3c.with_context(doc["first"]["items"][0], doc["@context"]))
    )


# -- a round trip through an independent reader ----------------------------------------------
def read_quotes(json_doc: str, text: str) -> list[tuple[str, str]]:
    """A minimal reader of W3C annotations: for each annotation with a TextPositionSelector,
    the text at that position and the TextQuoteSelector's quote (checking its context)."""
    doc = json.loads(json_doc)
    out = []
    for item in doc.get("first", {}).get("items", []):
        sels = item["target"].get("selector", [])
        sels = sels if isinstance(sels, list) else [sels]
        by_type = {s["type"]: s for s in sels}
        if "TextPositionSelector" not in by_type:
            continue
        pos, quote = by_type["TextPositionSelector"], by_type["TextQuoteSelector"]
        start, end = pos["start"], pos["end"]
        assert text[max(0, start - len(quote["prefix"])) : start] == quote["prefix"]
        assert text[end : end + len(quote["suffix"])] == quote["suffix"]
        out.append((text[start:end], quote["exact"]))
    return out


HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(
            list("\x1b\x07\x7f\x85\x92\x9b\u202e\u2066\u200f\u2028\ufeff\ufffe\uffff\U0001f600")
        ),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quote=HOSTILE, before=HOSTILE, after=HOSTILE, note=HOSTILE, tag=HOSTILE, title=HOSTILE)
def test_quotes_and_notes_survive_exactly(
    quote: str, before: str, after: str, note: str, tag: str, title: str
) -> None:
    # a record as a damaged or hostile database could hand it over: nothing cleaned
    text = before + quote + after
    b = Briefing(id="cd" * 32, title=title, text=text, origin="/tmp/b.txt")
    s, e = len(before), len(before) + len(quote)
    a = Annotation(
        "2",
        b.id,
        "note",
        start=s,
        end=e,
        exact=quote,
        prefix=before[-32:],
        suffix=after[:32],
        note=note,
        tags=(tag,),
        created_at="2026-01-01T00:00:00+00:00",
        updated_at="2026-01-01T00:00:00.5+02:00",
    )
    out = export_text(b, [a], None, "json", exported_at=datetime(2026, 1, 1, tzinfo=UTC))
    # nothing a terminal acts on, raw
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    assert read_quotes(out, text) == [(quote, quote)]
    doc = json.loads(out)
    item = doc["first"]["items"][0]
    assert item["body"][0]["value"] == note and doc["label"] == title
    assert item["modified"] == "2025-12-31T22:00:00Z"
    assert json_text(doc) == out


def test_lone_surrogates_are_written_as_escapes() -> None:
    assert json_text({"a": "x\ud800y"}) == '{\n  "a": "x\\ud800y"\n}\n'
    assert json.loads(json_text({"a": "x\ud800y"})) == {"a": "x\ud800y"}


@pytest.mark.parametrize("fmt", ["json"])
def test_the_sample_round_trips(fmt: str, tmp_path: Path) -> None:
    b = briefing_from_text(TEXT, str(tmp_path / "b.txt"))
    store = Store.open(tmp_path / "data")
    store.add_briefing(b)
    for quote in ("North Korean troops", "spy agency", "About 3,000 soldiers", "<b>"):
        i = TEXT.index(quote)
        store.add_annotation(b.id, "highlight", start=i, end=i + len(quote))
    out = export_text(b, store.annotations(b.id), None, fmt)
    assert sorted(read_quotes(out, b.text)) == sorted(
        (q, q) for q in ("North Korean troops", "spy agency", "About 3,000 soldiers", "<b>")
    )


def test_a_team_librarys_annotations_carry_their_creator(
    setup: tuple[Store, Briefing, Analysis],
) -> None:
    store, b, analysis = setup
    local = _export(store, b, analysis)
    assert all("creator" not in item for item in local["first"]["items"])

    anns = store.annotations(b.id)
    names = ["ann", "Kim Ji-woo", "o'brien/ops"]
    team = [replace(a, author=names[i % 3]) for i, a in enumerate(anns)]
    doc = json.loads(export_text(b, team, analysis, "json", exported_at=WHEN))
    ids = set()
    for item in doc["first"]["items"]:
        made = next(a for a in team if item["id"] == f"urn:uuid:{a.id}")
        creator = item["creator"]
        assert creator["type"] == "Person" and creator["name"] == made.author
        ids.add(creator["id"])
        alone = w3c.with_context(item, doc["@context"])
        assert not _failed(w3c.run(w3c.ANNOTATION_MUSTS, alone)), item
        got = {
            r.assertion.rsplit("/", 1)[1]: r.passed
            for r in w3c.run(w3c.ANNOTATION_OPTIONALS, alone)
        }
        # the suite's SHOULDs for a creator: an id (a URI) and a type; a name
        assert got["3.3.2-annotationCreatorAgentIdImplemented.json"], creator
        assert got["3.3.2-annotationCreatorAgentTypeImplemented.json"], creator
        assert got["3.3.2-annotationCreatorAgentNameImplemented.json"], creator
    assert len(ids) == 3  # one id per analyst
    prefixes = {k for k, v in PROJECT_CONTEXT.items() if isinstance(v, str) and v.endswith(":")}
    for key in _keys(doc):
        prefix, colon, _ = key.partition(":")
        assert key in ANNO_TERMS or key in PROJECT_CONTEXT or (colon and prefix in prefixes), key
