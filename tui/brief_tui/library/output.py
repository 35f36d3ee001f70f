"""Writing exports: the chosen format as text, and a file written whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from brief_tui.analysis.model import Analysis
from brief_tui.briefing import Briefing
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import export_markdown, export_w3c_json


def export_text(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None,
    fmt: str,
    *,
    exported_at: datetime | None = None,
) -> str:
    """``fmt`` is "md" (Markdown with YAML front matter) or "json" (W3C Web Annotation)."""
    now = exported_at or datetime.now(UTC).replace(microsecond=0)
    if fmt == "json":
        doc = export_w3c_json(briefing, annotations, analysis, exported_at=now)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt != "md":
        raise ValueError(f"unknown export format {fmt!r} (md or json)")
    return export_markdown(briefing, annotations, analysis, exported_at=now)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: never a half file."""
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
