"""The built wheel carries the stylesheets and the sample briefing, and installs the command."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_styles_and_seeds(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    wheel = next(tmp_path.glob("brief_tui-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "brief_tui/styles/app.tcss" in names
    assert "brief_tui/seeds/north-korean-troops-in-russia.txt" in names
    assert "brief_tui/ui/app.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "brief-tui = brief_tui.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
