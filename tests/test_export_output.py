"""Where an export is written: a regular file is replaced only when asked (atomically), a
FIFO or character device is written through and never replaced, anything else is refused
with one line, and missing directories are not made. Through write_export and through the
real `brief-tui export` process; stdout holds nothing a terminal would act on."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from brief_tui.analysis.model import Analysis
from brief_tui.briefing import load_briefing
from brief_tui.library.output import ExportError, check_target, write_export
from brief_tui.library.store import Store

TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_a_new_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    assert write_export(out, "één\n") == "new"
    assert out.read_text(encoding="utf-8") == "één\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]  # no temporary left


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    out.write_text("mine")
    out.chmod(0o600)
    with pytest.raises(ExportError, match=r"notes.md exists: not replaced \(--force"):
        write_export(out, "new")
    assert out.read_text() == "mine"
    assert write_export(out, "new", overwrite=True) == "file"
    assert out.read_text() == "new" and stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("overwrite", [False, True])
def test_symbolic_links_are_not_replaced(tmp_path: Path, overwrite: bool) -> None:
    real = tmp_path / "real.md"
    real.write_text("keep")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(ExportError, match="is a symbolic link: not replaced"):
        write_export(link, "x", overwrite=overwrite)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportError, match="symbolic link to nothing"):
        write_export(dangling, "x", overwrite=overwrite)
    assert link.is_symlink() and dangling.is_symlink() and real.read_text() == "keep"
    assert not (tmp_path / "nowhere").exists()


def test_directories_and_missing_directories_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a directory"):
        write_export(tmp_path, "x", overwrite=True)
    missing = tmp_path / "a" / "b" / "notes.md"
    with pytest.raises(ExportError, match="no such directory"):
        write_export(missing, "x")
    assert not (tmp_path / "a").exists()
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match="not a directory"):
        write_export(tmp_path / "file" / "notes.md", "x")


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # nobody reading: refused at once instead of waiting for ever
    with pytest.raises(ExportError, match="nothing is reading"):
        write_export(fifo, "x")
    got: list[bytes] = []
    ready = threading.Event()

    def read() -> None:
        # opened for reading and writing: a reader from the start, and no end of file
        # before the whole export has arrived
        fd = os.open(fifo, os.O_RDWR)
        ready.set()
        data = b""
        while len(data) < len(text):
            data += os.read(fd, 65536)
        got.append(data)
        os.close(fd)

    text = "x" * 200_000 + "\n"  # more than a pipe holds: the write waits for the reader
    reader = threading.Thread(target=read)
    reader.start()
    ready.wait(10)
    assert write_export(fifo, text) == "stream"
    reader.join(10)
    assert got == [text.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert check_target(Path("/dev/null")) == "stream"
    assert write_export(link, "x", overwrite=True) == "stream"
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- the real command ------------------------------------------------------------------------
HOSTILE_NOTE = "Check \x1b]52;c;UFdORUQ=\x1b\\ this\x9b2J \u202eevil\x92s %%hidden%% #tag"


@pytest.fixture
def briefing_file(tmp_path: Path, data_dir: Path) -> Path:
    """A briefing in the library with a cached analysis (so no model loads) and a note
    holding escape sequences, as a database from elsewhere could."""
    path = tmp_path / "brief.txt"
    path.write_text("Alpha said the troops moved.\n", encoding="utf-8")
    b = load_briefing(str(path))
    store = Store.open(data_dir)
    store.add_briefing(b)
    store.put_cached_analysis(
        Analysis(b.id, b.title, b.text, model_name="m", model_version="1", analyser_version="1")
    )
    store.add_annotation(b.id, "note", start=0, end=5, note=HOSTILE_NOTE, tags=["a\x1bb"])
    store.close()
    return path


def export(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", "export", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path), "TERM": "dumb"},
    )


def assert_refused(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("brief-tui: ") and words in err, err
    assert proc.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_stdout_holds_no_terminal_control(briefing_file: Path, tmp_path: Path, fmt: str) -> None:
    proc = export(str(briefing_file), "--format", fmt, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not TERMINAL_CONTROL.search(proc.stdout)
    if fmt == "json":  # every code point is there, escaped
        doc = json.loads(proc.stdout)
        assert doc["first"]["items"][0]["body"][0]["value"] == HOSTILE_NOTE
    else:
        # replaced visibly, one for one; Obsidian's comment and tag syntax kept inert
        shown = "Check \ufffd\\]52;c;UFdORUQ=\ufffd\\\\ this\ufffd2J \ufffdevil\ufffds"
        assert shown + " &#37;%hidden&#37;% \\#tag" in proc.stdout


@pytest.mark.slow
def test_cli_refuses_what_it_should_not_write(briefing_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    out.write_text("mine")
    assert_refused(export(str(briefing_file), "-o", str(out), tmp_path=tmp_path), "--force")
    assert out.read_text() == "mine"
    link = tmp_path / "link.md"
    link.symlink_to(out)
    proc = export(str(briefing_file), "-o", str(link), "--force", tmp_path=tmp_path)
    assert_refused(proc, "symbolic link")
    assert link.is_symlink() and out.read_text() == "mine"
    missing = tmp_path / "new-dir" / "notes.md"
    assert_refused(export(str(briefing_file), "-o", str(missing), tmp_path=tmp_path), "new-dir")
    assert not missing.parent.exists()
    assert_refused(export(str(briefing_file), "-o", str(tmp_path), tmp_path=tmp_path), "directory")
    # --force replaces the regular file, whole
    proc = export(str(briefing_file), "-o", str(out), "--force", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"exported 1 annotation to {out}\n"
    assert out.read_text(encoding="utf-8").startswith("---\ntitle:")


@pytest.mark.slow
def test_cli_writes_through_dev_stdout(briefing_file: Path, tmp_path: Path) -> None:
    proc = export(str(briefing_file), "-o", "/dev/stdout", "--format", "json", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] == 1
    assert stat.S_ISLNK(os.lstat("/dev/stdout").st_mode) or stat.S_ISCHR(
        os.stat("/dev/stdout").st_mode
    )
