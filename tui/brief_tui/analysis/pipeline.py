"""``analyze(text) -> Analysis``: paragraphs piped through spaCy in batches, plain records
extracted per paragraph (the Docs are dropped), then the document-wide steps (actors, sources,
figure links, profile) run over the accumulated records after every batch."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from . import actors as _actors
from . import claims as _claims
from .chunks import paragraphs
from .model import ANALYSER_VERSION, Analysis, Span
from .nlp import LoadedModel, load_model
from .records import ChunkData, EntRec, dtext


def _extract(doc: Any, start: int, end: int, headline: bool) -> ChunkData:
    data = ChunkData(start, end)
    for s in _sents(doc):
        # trim white space at sentence edges
        a = s.start_char
        b = s.end_char
        txt = dtext(doc)
        while a < b and txt[a].isspace():
            a += 1
        while b > a and txt[b - 1].isspace():
            b -= 1
        if b > a:
            data.sentences.append((start + a, start + b))
    data.entities = [
        EntRec(start + e.start_char, start + e.end_char, e.label_, e.text) for e in doc.ents
    ]
    _actors.extract(doc, start, data)
    _claims.extract(doc, start, data, headline=headline)
    return data


def _sents(doc: Any) -> list[Any]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]] if len(doc) else []


#: a partial result is assembled no sooner than this many times the time the last one took
#: after it: partial results then cost at most 1/(1 + PARTIAL_SPACING) of the analysis
#: (at 300k words a partial takes ~2 s: one every ~16 s; with 2 the analysis took 1.7x raw
#: spaCy)
PARTIAL_SPACING = 8


def analyze(
    text: str,
    *,
    title: str = "",
    briefing_id: str = "",
    model: LoadedModel | None = None,
    model_name: str | None = None,
    on_progress: Callable[[Analysis, float], None] | None = None,
    batch_chars: int = 50_000,
    progress_interval: float = 1.0,
) -> Analysis:
    """Analyse ``text``. Loads the model (``model_name`` or the default choice) unless
    ``model`` is given. Calls ``on_progress(partial, fraction)`` after the first batch of
    about ``batch_chars`` characters, then at most every ``progress_interval`` seconds (and
    never more often than :data:`PARTIAL_SPACING` times the time a partial result takes to
    assemble, so the document-wide steps stay a bounded share of the work), and once at the
    end; with
    ``progress_interval <= 0`` after every batch. The returned Analysis equals the last
    partial one. Without ``on_progress`` it assembles only once."""
    if model is None:
        model = load_model(model_name)
    nlp = model.nlp
    bid = briefing_id or hashlib.sha256(text.encode("utf-8")).hexdigest()
    total = len(text)
    chunks: list[ChunkData] = []
    paras = list(paragraphs(text))
    first_para = paras[0] if paras else None

    def build() -> Analysis:
        return assemble(chunks, text, title=title, briefing_id=bid, model=model)

    batch_chars = max(1, batch_chars)
    i = 0
    result: Analysis | None = None
    next_report = 0.0  # monotonic time before which no partial result is assembled
    while i < len(paras):
        batch: list[tuple[int, int]] = []
        size = 0
        while i < len(paras) and (not batch or size < batch_chars):
            batch.append(paras[i])
            size += paras[i][1] - paras[i][0]
            i += 1
        texts = (text[s:e] for s, e in batch)
        for (s, e), doc in zip(batch, nlp.pipe(texts, batch_size=64), strict=True):
            headline = (s, e) == first_para and len(paras) > 1 and _looks_like_headline(text[s:e])
            chunks.append(_extract(doc, s, e, headline))
            del doc
        done = batch[-1][1]
        last = i >= len(paras)
        if on_progress is None:
            if last:
                result = build()
            continue
        now = time.monotonic()
        if not last and now < next_report:
            continue
        result = build()
        if progress_interval > 0:
            took = time.monotonic() - now
            next_report = time.monotonic() + max(progress_interval, PARTIAL_SPACING * took)
        on_progress(result, 1.0 if last else (done / total if total else 1.0))
    if result is None:
        result = build()
        if on_progress is not None:
            on_progress(result, 1.0)
    return result


def _looks_like_headline(line: str) -> bool:
    s = line.rstrip()
    return len(s) < 200 and not s.endswith((".", "?", "!", ":", ";", ",", "”", '"'))


def assemble(
    chunks: list[ChunkData], text: str, *, title: str, briefing_id: str, model: LoadedModel
) -> Analysis:
    """Document-wide steps over the plain records: cheap, deterministic."""
    sentences = [Span(a, b) for c in chunks for a, b in c.sentences]
    an = Analysis(
        briefing_id=briefing_id,
        title=title,
        text=text,
        model_name=model.name,
        model_version=model.version,
        sentences=sentences,
        analyser_version=ANALYSER_VERSION,
    )
    group = _actors.group(chunks, text)
    an.entities = group.entities
    an.actors = group.actors
    an.claims, an.sources, an.measures = _claims.assemble(chunks, text, group)
    an.profile = _claims.profile(an)
    return an
