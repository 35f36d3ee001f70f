"""Writing exports: the chosen format as text, and a file written whole or not at all, only
where it should be.

What ``-o PATH`` (or the export dialog) does with what is already at PATH:

- nothing there: a new file, written whole (a temporary file beside it, then linked into
  place, so a file that appears meanwhile is not replaced either);
- a regular file: replaced whole (atomically, keeping its permissions), only when
  ``overwrite`` is given (``--force``, or a yes in the dialog);
- a FIFO or a character device (``/dev/stdout``, ``/dev/null``, a terminal), directly or
  through a symbolic link: written through, never replaced; a FIFO nobody reads is refused
  at once instead of waiting;
- a symbolic link to anything else, a directory, a block device, a socket: refused;
- a directory that does not exist: refused (directories are not made silently).

Every refusal is an :class:`ExportError` with a one-line message.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal

from brief_tui.analysis.model import Analysis
from brief_tui.briefing import Briefing
from brief_tui.briefing.untrusted import clean_line, clean_text, is_clean
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import export_markdown, export_w3c_json, json_text

#: what is at an export's path: nothing yet, a regular file, or a FIFO/character device
Target = Literal["new", "file", "stream"]

FORMATS: Final = ("md", "json")


class ExportError(Exception):
    """An export that was refused or failed; the message is one line, fit for a terminal."""


def export_text(
    briefing: Briefing,
    annotations: Sequence[Annotation],
    analysis: Analysis | None,
    fmt: str,
    *,
    exported_at: datetime | None = None,
    whole_analysis: bool = False,
) -> str:
    """``fmt`` is "md" (Markdown with YAML front matter: what the analyst made and what it
    touches, with ``whole_analysis`` the whole analysis too) or "json" (W3C Web Annotation:
    one annotation per mark, whatever ``whole_analysis`` says). Either holds no character a
    terminal would act on."""
    now = exported_at or datetime.now(UTC).replace(microsecond=0)
    if fmt == "json":
        return json_text(export_w3c_json(briefing, annotations, analysis, exported_at=now))
    if fmt != "md":
        raise ValueError(f"unknown export format {fmt!r} (md or json)")
    return export_markdown(
        briefing, annotations, analysis, exported_at=now, whole_analysis=whole_analysis
    )


def for_terminal(text: str) -> str:
    """``text`` unchanged if nothing in it acts on a terminal (what the exporters write),
    else cleaned: the last guard before a terminal."""
    return text if is_clean(text) else clean_text(text)


def _name(path: Path) -> str:
    return clean_line(str(path), 200)


def check_target(path: Path) -> Target:
    """What is at ``path``, if an export may write there; :class:`ExportError` if not."""
    path = path.expanduser()
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise ExportError(f"{_name(path.parent)}: not a directory") from None
    except OSError as e:
        raise ExportError(f"{_name(path)}: cannot export there ({e.strerror or e})") from e
    if st is None:
        parent = path.parent
        if not parent.exists():
            raise ExportError(
                f"{_name(parent)}: no such directory (make it first, or export elsewhere)"
            )
        if not parent.is_dir():
            raise ExportError(f"{_name(parent)}: not a directory")
        return "new"
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(f"{_name(path)} is a directory: give a file name in it")
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            raise ExportError(
                f"{_name(path)} is a symbolic link to nothing: not replaced"
            ) from None
        if stat.S_ISFIFO(target.st_mode) or stat.S_ISCHR(target.st_mode):
            return "stream"
        raise ExportError(
            f"{_name(path)} is a symbolic link: not replaced; give the file it points to"
            " (or leave out -o for standard output)"
        )
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return "stream"
    what = "a block device" if stat.S_ISBLK(st.st_mode) else "not a regular file"
    raise ExportError(f"{_name(path)} is {what}: not written")


def write_export(path: Path, text: str, *, overwrite: bool = False) -> Target:
    """Write ``text`` (UTF-8) to ``path`` as the module docstring says; returns what was
    there. Raises :class:`ExportError` (one line) when refused or when writing fails."""
    path = path.expanduser()
    kind = check_target(path)
    try:
        if kind == "stream":
            _write_through(path, text)
        elif kind == "file":
            if not overwrite:
                raise ExportError(f"{_name(path)} exists: not replaced (--force replaces it)")
            _replace(path, text)
        else:
            _create(path, text)
    except ExportError:
        raise
    except OSError as e:
        raise ExportError(f"{_name(path)}: cannot write ({e.strerror or e})") from e
    return kind


def _write_through(path: Path, text: str) -> None:
    """Write into a FIFO or character device as it is (no create, no truncate)."""
    flags = os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ENXIO:
            raise ExportError(f"{_name(path)}: nothing is reading from this FIFO") from e
        raise
    try:
        st = os.fstat(fd)
        if not (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
            # replaced by something else since it was looked at: leave it alone
            raise ExportError(f"{_name(path)} changed while exporting: not written")
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        data = (for_terminal(text) if os.isatty(fd) else text).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _temporary(path: Path, text: str, mode: int) -> str:
    """A complete, synced copy of ``text`` beside ``path``; its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask  # an ordinary file, not mkstemp's private 0600


def _create(path: Path, text: str) -> None:
    tmp = _temporary(path, text, _default_mode())
    try:
        try:
            os.link(tmp, path)  # fails if anything appeared at path meanwhile
        except FileExistsError:
            raise ExportError(f"{_name(path)} appeared while exporting: not replaced") from None
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK):
                raise
            # a file system without hard links: the same check, then a rename
            if os.path.lexists(path):
                raise ExportError(f"{_name(path)} appeared while exporting: not replaced") from None
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_dir(path)


def _replace(path: Path, text: str) -> None:
    before = os.lstat(path)
    tmp = _temporary(path, text, stat.S_IMODE(before.st_mode))
    try:
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(
            now.st_mode
        ):
            raise ExportError(f"{_name(path)} changed while exporting: not replaced")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_dir(path)
