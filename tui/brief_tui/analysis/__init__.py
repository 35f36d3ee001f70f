"""The analysis layer: plain data out of text (entities, actors, claims, sources, hedges,
figures). No Textual, no SQLite; spaCy is imported lazily (see nlp.py)."""

from __future__ import annotations

from .model import Analysis
from .nlp import LoadedModel, ModelUnavailable, load_model
from .pipeline import ANALYSER_VERSION, analyze

__all__ = [
    "ANALYSER_VERSION",
    "Analysis",
    "LoadedModel",
    "ModelUnavailable",
    "analyze",
    "load_model",
]
