"""Where the shipped files (styles, seeds) are: inside the package when installed from a
wheel, at the repository root when running from a checkout or an editable install."""

from __future__ import annotations

from pathlib import Path


def _find(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"brief-tui is missing its {name}/ folder (looked in {here})")


def styles_dir() -> Path:
    return _find("styles")


def seeds_dir() -> Path:
    return _find("seeds")


def sample_briefing() -> Path:
    return seeds_dir() / "north-korean-troops-in-russia.txt"
