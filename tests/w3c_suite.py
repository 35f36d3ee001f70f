"""A small runner for the W3C Web Annotation data model's test assertions (tests/w3c/).

Each ``*.test`` file lists JSON schemas (draft-04), one assertion each; an assertion passes
when the document's validity matches its ``expectedResult``. The MUST tests
(``annotationMusts`` …) are the conformance bar; the optional tests' "should" assertions
say which recommended features an export implements. Formats ("uri", "date-time") are
checked (jsonschema's FormatChecker with rfc3986-validator and rfc3339-validator).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

W3C = Path(__file__).resolve().parent / "w3c"
BASE = "https://w3c-annotation-tests.invalid/"

#: the suite's MUST tests (tests.json names them), by what they are given
ANNOTATION_MUSTS = (
    "annotationMusts.test (wpt annotations/)",
    "bodyMusts.test (wpt bodiesTargets/)",
    "targetMusts.test (wpt bodiesTargets/)",
    "specificResourceMusts.test (wpt specificResource/)",
)
COLLECTION_MUSTS = ("collectionMusts.test (wpt collections/)",)
PAGE_MUSTS = ("pageMusts.test (wpt collections/pages/)",)
ANNOTATION_OPTIONALS = (
    "annotations/annotationOptionals.test",
    "annotations/annotationsAgentOptionals.test",
)
COLLECTION_OPTIONALS = ("collections/collectionOptionals.test",)
PAGE_OPTIONALS = ("collections/pages/pageOptionals.test",)


@dataclass(frozen=True)
class Result:
    assertion: str
    level: str  # "must", "should" or "may"
    passed: bool
    message: str


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((W3C / "defs").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + path.name, Resource(contents=schema, specification=DRAFT4)))
    return Registry().with_resources(resources)


def _locate(name: str) -> Path:
    # the suite names body, target and selector assertions from annotations/
    for path in (W3C / "assertions" / name, W3C / "assertions" / "annotations" / name):
        if path.exists():
            return path
    raise FileNotFoundError(name)


@cache
def _assertion(name: str) -> tuple[dict[str, Any], Draft4Validator]:
    path = _locate(name)
    schema = json.loads(path.read_text(encoding="utf-8"))
    # registered beside the definitions it refers to, so its relative $refs resolve there
    uri = BASE + path.name
    registry = _registry().with_resource(uri, Resource(contents=schema, specification=DRAFT4))
    validator = Draft4Validator({"$ref": uri}, registry=registry, format_checker=FormatChecker())
    return schema, validator


def assertions_of(test: str) -> list[str]:
    """The assertions of a MUST test (by its name in tests.json) or of an optionals test
    (by its path under assertions/)."""
    musts = json.loads((W3C / "tests.json").read_text(encoding="utf-8"))
    if test in musts:
        return list(musts[test])
    doc = json.loads((W3C / "assertions" / test).read_text(encoding="utf-8"))
    return list(doc["assertions"])


def run(tests: tuple[str, ...], doc: dict[str, Any]) -> list[Result]:
    """Every assertion of ``tests`` applied to ``doc``."""
    out: list[Result] = []
    for test in tests:
        for name in assertions_of(test):
            schema, validator = _assertion(name)
            valid = validator.is_valid(doc)
            expected = schema.get("expectedResult", "valid") == "valid"
            out.append(
                Result(
                    name,
                    schema.get("assertionType", "must"),
                    valid == expected,
                    schema.get("errorMessage", ""),
                )
            )
    return out


def with_context(item: dict[str, Any], context: Any) -> dict[str, Any]:
    """An annotation taken out of its collection, as the suite wants one: carrying the
    collection's ``@context``."""
    return {"@context": context, **item}
