"""The analysis layer: plain data out of text (entities, actors, claims, sources, hedges,
figures). No Textual, no SQLite; spaCy is imported lazily (see nlp.py).

The names below are loaded on first use: the reader needs the data model at start, not the
pipeline's modules (their imports and dataclasses cost its first frame tens of ms)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ANALYSER_VERSION, Analysis
    from .nlp import LoadedModel, ModelUnavailable, load_model
    from .pipeline import analyze

_WHERE = {
    "ANALYSER_VERSION": "model",
    "Analysis": "model",
    "LoadedModel": "nlp",
    "ModelUnavailable": "nlp",
    "analyze": "pipeline",
    "load_model": "nlp",
}

__all__ = [
    "ANALYSER_VERSION",
    "Analysis",
    "LoadedModel",
    "ModelUnavailable",
    "analyze",
    "load_model",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
