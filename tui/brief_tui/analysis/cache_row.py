"""A cached analysis as the store keeps it: read part by part, in the order it is needed.

A row (:data:`CACHE_ROW`) is the value of :meth:`Analysis.to_cache` (:data:`CACHE_FORMAT`)
written as one JSON object whose first member, after the schema, is a "head": the briefing,
the model, the analyser version and where in the row each part lies (entities, actors,
sources, claims, sentences, profile, measures). The row is still one JSON value (SQLite's
JSON functions count its claims), but a reader decodes only the head and the parts it
names first; every other part is decoded when it is first read. The reader's first screen
needs the entities and the actors, not the claims: a big briefing's analysis is shown
sooner.

:func:`decode_cached` reads a row in any form the store has written. Nothing here imports
spaCy, Textual or the store: the reader reads a cached analysis at launch with this alone.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import fields
from typing import Any

from .model import CACHE_PARTS, Analysis, decode_part
from .model import SCHEMA as ANALYSIS_SCHEMA

#: the store's row of a cached analysis (:func:`cache_row`)
CACHE_ROW = "brief-tui/analysis-cache@4"
_ROW_START = '{"schema":"' + CACHE_ROW + '","head":'
_JSON = json.JSONDecoder()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around reading (or writing) a cached analysis:
    that makes some 200,000 containers, none of them garbage, and the allocations alone
    started collections that walked the whole heap again and again (half of the time a read
    took). Threads overlapping here leave it on; one that was already off is left alone."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: the parts of a cached analysis the reader's first screen shows (the entities over the
#: text, the Actors tab): read first when the reader opens a briefing
FIRST_PARTS = ("entities", "sentences", "actors", "profile")


def decode_cached(
    raw: str,
    text: str | None,
    *,
    first: tuple[str, ...] = CACHE_PARTS,
    around: Callable[[], AbstractContextManager[object]] = collector_paused,
) -> Analysis | None:
    """A cache row's analysis (``text``: the stored briefing's, for a row without it), or
    ``None`` if the row is in no form this version reads. Of a row in parts
    (:func:`cache_row`) only the parts named in ``first`` are decoded now (a damaged
    one makes the row a miss), the others when first read (inside ``around``; a damaged
    one reads as empty)."""
    try:
        with around():
            if is_cache_row(raw):
                return read_cache_row(raw, text, first=first, around=around)
            d = json.loads(raw)
            if not isinstance(d, dict):
                return None
            if d.get("schema") == ANALYSIS_SCHEMA:  # written before the compact form
                return Analysis.from_json(d)
            return Analysis.from_cache(d, text)
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None


def cache_row(d: dict[str, Any]) -> str:
    """A value of :meth:`Analysis.to_cache` as a row of :data:`CACHE_ROW` (ASCII)."""
    body: list[str] = []
    parts: dict[str, list[int]] = {}
    at = 0
    for name in CACHE_PARTS:
        key, value = f',"{name}":', json.dumps(d[name], separators=(",", ":"))
        at += len(key)
        parts[name] = [at, at + len(value)]
        at += len(value)
        body += (key, value)
    head = {
        "briefing": d["briefing"],
        "model": d["model"],
        "analyser_version": d["analyser_version"],
        "parts": parts,
    }
    return _ROW_START + json.dumps(head, separators=(",", ":")) + "".join(body) + "}"


def is_cache_row(raw: str) -> bool:
    return raw.startswith(_ROW_START)


def read_cache_row(
    raw: str,
    text: str | None = None,
    *,
    first: tuple[str, ...] = CACHE_PARTS,
    around: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> Analysis:
    """The analysis of a :func:`cache_row` (``text``: the briefing's, for a row without it):
    the parts named in ``first`` decoded now, each other part when it is first read (inside
    ``around``, e.g. with the collector paused). Raises ``ValueError`` (also ``KeyError``,
    ``TypeError``, ``IndexError``) for a row it cannot read or whose ``first`` parts it
    cannot; a later part found unreadable reads as empty (and is named in the analysis's
    ``unreadable_parts``)."""
    if not is_cache_row(raw):
        raise ValueError("not a cached analysis row")
    head, end = _JSON.raw_decode(raw, len(_ROW_START))
    briefing_id, title, chars, own_text = head["briefing"]
    if own_text is not None:
        text = own_text
    if not isinstance(text, str) or len(text) != chars:
        raise ValueError("the cached analysis is of another text")
    model_name, model_version = head["model"]
    parts = head["parts"]
    pending: dict[str, str] = {}
    for name in CACHE_PARTS:
        start, stop = parts[name]
        key = f',"{name}":'
        if not (
            type(start) is int
            and type(stop) is int
            and len(key) <= start <= stop <= len(raw) - end
            and raw.startswith(key, end + start - len(key))
        ):
            raise ValueError("malformed parts in a cached analysis row")
        pending[name] = raw[end + start : end + stop]
    an = _PartsAnalysis.__new__(_PartsAnalysis)
    an.briefing_id, an.title, an.text = briefing_id, title, text
    an.model_name, an.model_version = model_name, model_version
    an.analyser_version = head["analyser_version"]
    an._pending, an._lock, an._around = pending, threading.Lock(), around
    an.unreadable_parts = []
    with around():
        for name in first:
            an._decode(name, strict=True)
    return an


class _PartsAnalysis(Analysis):
    """An :class:`Analysis` whose parts are decoded when first read (:func:`read_cache_row`);
    otherwise the same, and equal to the same analysis read at once."""

    __slots__ = ("_around", "_lock", "_pending", "unreadable_parts")
    _pending: dict[str, str]
    _lock: threading.Lock
    _around: Callable[[], AbstractContextManager[object]]
    unreadable_parts: list[str]

    def __getattr__(self, name: str) -> Any:
        # called only for an attribute not set yet: a part still to decode
        pending = object.__getattribute__(self, "_pending")
        if name not in pending:
            raise AttributeError(name)
        with self._lock:  # (two threads may ask at once: the part is decoded once)
            if name in pending:
                with self._around():
                    self._decode(name, strict=False)
        return object.__getattribute__(self, name)

    def _decode(self, name: str, *, strict: bool) -> None:
        try:
            value = decode_part(name, json.loads(self._pending[name]))
        except (ValueError, KeyError, TypeError, IndexError, RecursionError):
            if strict:
                raise
            value = {} if name == "profile" else []
            self.unreadable_parts.append(name)
        object.__setattr__(self, name, value)
        del self._pending[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Analysis):
            return NotImplemented
        return _values(self) == _values(other)

    __hash__ = None  # type: ignore[assignment]  # (as Analysis's: a mutable dataclass)

    def __repr__(self) -> str:
        return "Analysis" + Analysis.__repr__(self).removeprefix(type(self).__qualname__)


def _values(an: Analysis) -> tuple[Any, ...]:
    return tuple(getattr(an, f.name) for f in fields(Analysis))
