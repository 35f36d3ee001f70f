"""Shared fixtures. Every test runs with its own temporary data and config directories,
never the user's real ones, and with animations off (Pilot waits for them otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "seeds" / "north-korean-troops-in-russia.txt"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BRIEF_TUI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # the colours as a truecolor terminal shows them (tests/test_colours.py tries the others)
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("BRIEF_TUI_MODEL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield base


@pytest.fixture(scope="session")
def loaded_model():
    """The real spaCy model, loaded once for the whole run."""
    from brief_tui.analysis.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["BRIEF_TUI_DATA_DIR"])


# -- a real PostgreSQL server (tests/pg.py) --------------------------------------------------
def _started_server():
    """A PgServer, started (the test is skipped, with the reason, where none can be)."""
    from tests.pg import PgServer, why_unavailable

    reason = why_unavailable()
    if reason:
        pytest.skip(reason)
    server = PgServer()
    server.start()
    return server


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL cluster for the whole run, on 127.0.0.1 and a free port; skipped with
    the reason only where the server binaries are absent."""
    server = _started_server()
    yield server
    server.destroy()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a new, empty database on the session's server (one per test)."""
    return pg_server.create_database()


@pytest.fixture
def own_server():
    """A server of the test's own (a PgServer): the test stops and starts it again."""
    server = _started_server()
    yield server
    server.destroy()
