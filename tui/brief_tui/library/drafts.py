"""Notes that could not be saved yet (a full disk, a lock held by another process, a store
gone read-only): one small JSON file each in :func:`brief_tui.library.paths.drafts_dir`,
written atomically, offered back when the briefing is opened again and removed once saved.

A draft is keyed by what it is a note on (an annotation being edited, or a target: type,
id, span), so a second failed save of the same note replaces the first draft."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

#: drafts bigger than this are not read back (a note is a few kB; this is not one)
MAX_DRAFT_BYTES: Final = 4 * 1024 * 1024

__all__ = ["Draft", "drafts_for", "remove_draft", "save_draft"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A note's text and what it was written on."""

    briefing_id: str
    text: str
    annotation_id: str | None = None  # the note being edited, else a new one on the target
    target_type: str = "text"
    target_id: str | None = None
    start: int | None = None
    end: int | None = None
    label: str = ""
    quote: str | None = None
    saved_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def key(self) -> str:
        if self.annotation_id is not None:
            return f"edit:{self.annotation_id}"
        return f"new:{self.target_type}:{self.target_id}:{self.start}:{self.end}"

    def file_name(self) -> str:
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:16]
        return f"{self.briefing_id[:16]}-{digest}.json"


def save_draft(directory: Path, draft: Draft) -> Path:
    """Write ``draft`` into ``directory`` atomically (a temporary file, fsynced, renamed over
    the old draft of the same note). Returns its path; raises ``OSError``."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / draft.file_name()
    data = json.dumps(asdict(draft), ensure_ascii=False).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".draft-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _from_json(raw: Any) -> Draft | None:
    if not isinstance(raw, dict):
        return None
    try:
        d = Draft(
            briefing_id=str(raw["briefing_id"]),
            text=str(raw["text"]),
            annotation_id=_opt_str(raw.get("annotation_id")),
            target_type=str(raw.get("target_type") or "text"),
            target_id=_opt_str(raw.get("target_id")),
            start=_opt_int(raw.get("start")),
            end=_opt_int(raw.get("end")),
            label=str(raw.get("label") or ""),
            quote=_opt_str(raw.get("quote")),
            saved_at=str(raw.get("saved_at") or ""),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return d


def _opt_str(v: object) -> str | None:
    return None if v is None else str(v)


def _opt_int(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def drafts_for(directory: Path, briefing_id: str) -> list[Draft]:
    """The drafts kept for a briefing, the newest first (unreadable files are skipped)."""
    out: list[Draft] = []
    try:
        names = sorted(p for p in directory.glob(f"{briefing_id[:16]}-*.json"))
    except OSError:
        return []
    for path in names:
        try:
            if path.stat().st_size > MAX_DRAFT_BYTES:
                continue
            draft = _from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if draft is not None and draft.briefing_id == briefing_id:
            out.append(draft)
    out.sort(key=lambda d: d.saved_at, reverse=True)
    return out


def remove_draft(directory: Path, draft: Draft) -> None:
    """Forget a draft (saved or discarded). Best effort: a draft left behind is offered
    again, which loses nothing."""
    with contextlib.suppress(OSError):
        (directory / draft.file_name()).unlink(missing_ok=True)
