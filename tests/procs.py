"""Helpers for tests that run brief-tui as a real process: an environment with its own
home, data and config directories, and reading a pseudo-terminal until a marker."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This process's environment with a private home, data dir and config dir under
    ``tmp_path``, the checkout's sources first on the path, and ``extra`` on top."""
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        BRIEF_TUI_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(REPO / "tui"),
    )
    env.update(extra)
    return env


def read_pty(fd: int, until: bytes, seconds: float) -> bytes:
    """What the pseudo-terminal ``fd`` gives until ``until`` has come or ``seconds`` pass."""
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and until not in out:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out
