"""The layer contracts of DESIGN.md, checked two ways.

1. Each non-UI layer is imported, every module of it, in a fresh interpreter, and the modules it
   pulled in are compared with what the layer may not see: Textual and the UI never below the
   UI; the library (the store) never from analysis; nothing else of brief_tui from briefing.
2. import-linter's contracts in pyproject.toml (the full layering, cli > ui > library >
   analysis > briefing, by static analysis of every import) when import-linter is installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tui"

NO_UI = ("textual", "brief_tui.ui", "brief_tui.cli")

# layer -> modules (and their submodules) that importing the whole layer must not load
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "brief_tui.briefing": (
        *NO_UI,
        "brief_tui.analysis",
        "brief_tui.library",
        "brief_tui.config",
        "brief_tui.resources",
        "sqlite3",
    ),
    "brief_tui.analysis": (*NO_UI, "brief_tui.library", "sqlite3"),
    "brief_tui.library": NO_UI,
    "brief_tui.config": NO_UI,
    "brief_tui.resources": NO_UI,
}

_PROBE = """
import importlib, json, pkgutil, sys
name = sys.argv[1]
package = importlib.import_module(name)
imported = [name]
for info in pkgutil.walk_packages(getattr(package, "__path__", []), prefix=name + "."):
    importlib.import_module(info.name)
    imported.append(info.name)
print(json.dumps({"imported": imported, "modules": sorted(sys.modules)}))
"""


def _child_env() -> dict[str, str]:
    # the checkout's source first; and no coverage measurement in the child, whose own data
    # file (SQLite) would show up in sys.modules
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SOURCE), env.get("PYTHONPATH")) if p)
    return env


def _loaded_by(layer: str) -> tuple[list[str], list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, layer],
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["imported"], result["modules"]


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer: str) -> None:
    imported, modules = _loaded_by(layer)
    assert imported, layer
    bad = sorted(m for m in modules if any(_matches(m, f) for f in FORBIDDEN[layer]))
    assert not bad, f"importing every module of {layer} ({len(imported)}) loaded {bad}"


def test_analysis_leaves_spacy_unloaded_until_asked() -> None:
    _, modules = _loaded_by("brief_tui.analysis")
    assert "spacy" not in modules


@pytest.mark.skipif(
    importlib.util.find_spec("importlinter") is None, reason="import-linter is not installed"
)
def test_import_linter_contracts() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout, proc.stdout
