"""Notes survive failures: a full disk, a lock held by another process, a store gone
read-only, two readers undoing, a damaged page. Real files and real processes throughout.

How each failure is made:
- full disk: ``PRAGMA max_page_count`` on the store's own connection (SQLite then returns
  SQLITE_FULL, as it does on ENOSPC); a real full tmpfs where ``mount`` is permitted;
- lock: a second ``python -c`` process holding ``BEGIN EXCLUSIVE`` on the file;
- gone read-only: ``chattr +i`` on the open database (root ignores permission bits) where
  the file system has it; in the app, ``PRAGMA query_only`` (SQLITE_READONLY);
- damage: garbage written over one leaf page of the annotations table of a 200-note file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from brief_tui.briefing import Briefing, briefing_from_text, load_briefing
from brief_tui.library import paths
from brief_tui.library.drafts import drafts_for
from brief_tui.library.store import (
    BUSY_TIMEOUT_S,
    Store,
    StoreBusy,
    StoreFull,
    StoreReadOnly,
)
from brief_tui.ui.app import BriefApp
from brief_tui.ui.dialogs import NoteEditor
from tests.conftest import SAMPLE
from tests.uihelpers import make_app, wait_for_analysis

TEXT = (
    "North Korea has sent troops to Russia, South Korea's spy agency said. "
    "Lawmaker Lee Seong-kweun said the troops may be moving to the front line. "
    "The Kremlin declined to comment.\n"
) * 20
SIZE = (150, 42)
BIG_NOTE = "a note longer than a page " * 800  # needs new pages: meets max_page_count


def _filled(d: Path, n: int = 1, *, busy_timeout: float = BUSY_TIMEOUT_S) -> tuple[Store, Briefing]:
    s = Store.open(d, busy_timeout=busy_timeout)
    b = briefing_from_text(TEXT, "x")
    s.add_briefing(b)
    for i in range(n):
        s.add_annotation(b.id, "note", start=i, end=i + 10, note=f"note {i}")
    return s, b


def _cap_pages(store: Store) -> None:
    """The database may not grow any more: the next write that needs a page fails."""
    conn = store.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")


# -- a full disk -------------------------------------------------------------------------------
def test_full_disk_says_full_and_keeps_what_was_saved(tmp_path: Path) -> None:
    s, b = _filled(tmp_path / "data", 3)
    _cap_pages(s)
    with pytest.raises(StoreFull) as e:
        s.add_annotation(b.id, "note", start=0, end=5, note=BIG_NOTE)
    msg = str(e.value)
    assert "full" in msg and "schema" not in msg and "\n" not in msg
    assert [a.note for a in s.annotations(b.id)] == ["note 0", "note 1", "note 2"]
    s.close()


@contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
def test_real_full_disk_on_open_and_on_write(tmp_path: Path) -> None:
    """A real full file system (a 1 MB tmpfs): the messages say the disk is full."""
    with _tmpfs(tmp_path / "small", "1m") as mnt:
        s, b = _filled(mnt / "data", 2)
        filler = mnt / "filler"
        with open(filler, "wb") as f, pytest.raises(OSError):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        with pytest.raises(StoreFull) as e:
            for _ in range(20):
                s.add_annotation(b.id, "note", start=0, end=5, note=BIG_NOTE)
        assert "full" in str(e.value)
        assert [a.note for a in s.annotations(b.id)][:2] == ["note 0", "note 1"]
        s.close()
        fresh = Store.open(mnt / "fresh")  # a new library on a full disk
        assert fresh.read_only and fresh.warning is not None
        assert "full" in fresh.warning and "schema" not in fresh.warning, fresh.warning
        fresh.close()


# -- a lock held by another process ------------------------------------------------------------
HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    """
)


@contextmanager
def held_lock(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the write lock on ``db`` until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.write("\n")
            proc.stdin.flush()
        proc.wait(30)


@pytest.mark.slow
def test_lock_held_by_another_process_is_named(tmp_path: Path) -> None:
    s, b = _filled(tmp_path / "data", busy_timeout=0.2)
    with held_lock(s.path), pytest.raises(StoreBusy) as e:  # type: ignore[arg-type]
        s.add_annotation(b.id, "note", start=0, end=5, note="while locked")
    assert "another brief-tui" in str(e.value) and "0.2 s" in str(e.value)
    s.add_annotation(b.id, "note", start=0, end=5, note="after")  # the lock is gone
    assert sorted(a.note or "" for a in s.annotations(b.id)) == ["after", "note 0"]
    s.close()


# -- a store gone read-only --------------------------------------------------------------------
def test_store_gone_read_only_is_named(tmp_path: Path) -> None:
    s, b = _filled(tmp_path / "data")
    assert s.path is not None
    # (not the -shm: SQLite maps it in memory, and a write to an immutable mapping is a
    # SIGBUS, not an error)
    files = [s.path, s.path.with_name(s.path.name + "-wal")]
    done = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True, check=False)
    if done.returncode != 0:
        s.close()
        pytest.skip("chattr +i is not available on this file system")
    try:
        with pytest.raises(StoreReadOnly) as e:
            s.add_annotation(b.id, "note", start=0, end=5, note="x")
        assert "read-only" in str(e.value) and "I/O" not in str(e.value), str(e.value)
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)
    assert [a.note for a in s.annotations(b.id)] == ["note 0"]
    s.close()


# -- two readers undoing -----------------------------------------------------------------------
OTHER_READER = textwrap.dedent(
    """
    import sys
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store import Store
    s = Store.open(sys.argv[1])
    b = briefing_from_text(sys.argv[2], "x")
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "add":
            print(s.add_annotation(b.id, "note", start=0, end=5, note="theirs").id, flush=True)
        elif cmd == "undo":
            print(s.undo(b.id), flush=True)
        elif cmd == "close":
            s.close()
            print("closed", flush=True)
            break
    """
)


@pytest.mark.slow
def test_two_reader_processes_undo_only_their_own(tmp_path: Path) -> None:
    d = tmp_path / "data"
    mine, b = _filled(d, 0)
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_READER, str(d), TEXT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdin is not None and other.stdout is not None

    def ask(cmd: str) -> str:
        other.stdin.write(cmd + "\n")  # type: ignore[union-attr]
        other.stdin.flush()  # type: ignore[union-attr]
        return other.stdout.readline().strip()  # type: ignore[union-attr]

    try:
        mine.add_annotation(b.id, "note", start=0, end=5, note="mine")
        theirs = ask("add")
        # my undo takes my note, not the other reader's later one
        assert mine.undo(b.id) == "undid: add note “North”"
        assert [a.note for a in mine.annotations(b.id)] == ["theirs"]
        assert mine.undo(b.id) is None and not mine.can_undo(b.id)
        assert [a.id for a in mine.annotations(b.id)] == [theirs]
        # theirs undoes theirs
        assert ask("undo").startswith("undid: add note")
        assert mine.annotations(b.id) == []
        # a reader that closed hands its history over: undo works after a restart
        ask("add")
        assert ask("close") == "closed"
    finally:
        other.stdin.close()
        other.wait(30)
    assert mine.undo(b.id) is not None and mine.annotations(b.id) == []
    mine.close()


# -- a damaged page ----------------------------------------------------------------------------
def _library_with_200_notes(d: Path) -> tuple[Briefing, Path]:
    s, b = _filled(d, 200)
    s.close()
    return b, paths.db_path(d)


def _damage_one_leaf(db: Path) -> int:
    """Garbage over one leaf page in the middle of the annotations table; its number."""
    conn = sqlite3.connect(db)
    leaves = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'annotations' AND pagetype = 'leaf' "
            "ORDER BY pageno"
        )
    ]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(leaves) > 5
    page = leaves[len(leaves) // 2]
    with open(db, "r+b") as f:
        f.seek((page - 1) * page_size + 8)
        f.write(bytes((i * 131 + 7) % 256 for i in range(page_size - 8)))
    return page


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _cli(d: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEF_TUI_DATA_DIR": str(d), "HOME": str(d.parent)}
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_damaged_page_read_only_commands_leave_it_repair_salvages(tmp_path: Path) -> None:
    d = tmp_path / "data"
    b, db = _library_with_200_notes(d)
    _damage_one_leaf(db)
    before = _digest(db)
    listing = _cli(d, "library")
    assert "damaged" in listing.stderr and "brief-tui library repair" in listing.stderr
    assert "Traceback" not in listing.stderr
    # nothing moved, nothing written
    assert _digest(db) == before
    assert not list(d.glob("*.corrupt-*"))
    repaired = _cli(d, "library", "repair")
    assert repaired.returncode == 0, repaired.stderr
    msg = repaired.stderr.strip()
    assert len(msg.splitlines()) == 1
    kept = list(d.glob(db.name + ".corrupt-*"))
    assert len(kept) == 1 and _digest(kept[0]) == before  # the original, untouched
    assert str(kept[0]) in msg
    with Store.open(d) as s:
        assert s.warning is None
        notes = [a.note for a in s.annotations(b.id)]
    # every note but those of the one damaged page (a few per page) is back
    assert 180 <= len(notes) < 200
    assert f"salvaged {len(notes)} of 200 annotations" in msg
    assert _cli(d, "library").returncode == 0


def test_reader_salvages_a_damaged_page(tmp_path: Path) -> None:
    d = tmp_path / "data"
    b, db = _library_with_200_notes(d)
    _damage_one_leaf(db)
    with Store.open(d, repair=True) as s:
        assert s.warning is not None and "of 200 annotations" in s.warning
        assert not s.read_only
        assert 180 <= len(s.annotations(b.id)) < 200
        # it works as a library again: a new note, searched, undone
        s.add_annotation(b.id, "note", start=0, end=5, note="after the repair")
        assert s.search_briefings("Kremlin")
        assert s.undo(b.id) is not None


def test_unreadable_briefing_keeps_its_notes(tmp_path: Path) -> None:
    """A briefing whose row is lost: its notes are kept (as orphans under a stand-in), and
    they are placed again when the document is opened again."""
    d = tmp_path / "data"
    s, b = _filled(d, 3)
    s.close()
    db = paths.db_path(d)
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'briefings'").fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
    with Store.open(d, repair=True) as s:
        assert s.warning is not None and "salvaged 3 annotations" in s.warning
        assert "1 briefing text" in s.warning
        notes = s.annotations(b.id)
        assert [a.note for a in notes] == ["note 0", "note 1", "note 2"]
        assert all(a.orphan for a in notes)
        s.add_briefing(b)  # the document opened again
        notes = s.annotations(b.id)
        assert [a.orphan for a in notes] == [False] * 3
        got = s.get_briefing(b.id)
        assert got is not None and got.text == b.text


# -- the reader: the editor stays open, a draft is kept, nothing blocks ------------------------
async def _open_editor(app: BriefApp, pilot, text: str) -> NoteEditor:  # type: ignore[no-untyped-def]
    await wait_for_analysis(app, pilot)
    assert app.store is not None
    await pilot.press("right_parenthesis", "a")
    editor = app.screen
    assert isinstance(editor, NoteEditor)
    editor.query_one(TextArea).insert(text)
    return editor


async def _until(pilot, ok, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.02)


async def test_failed_save_keeps_the_editor_its_text_and_a_draft(data_dir: Path) -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_editor(app, pilot, BIG_NOTE)
        assert app.store is not None
        _cap_pages(app.store)  # the disk is full
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: not editor.saving, "the save to fail")
        assert app.screen is editor  # still open, with everything typed
        assert editor.query_one(TextArea).text == BIG_NOTE
        error = str(editor.query_one("#note-error", Static).render())
        assert "full" in error and "draft" in error
        drafts = drafts_for(paths.drafts_dir(data_dir), app.briefing.id)
        assert [d.text for d in drafts] == [BIG_NOTE]
        # room again: the same editor saves it, closes, and the draft is gone
        app.store.db.conn.execute("PRAGMA max_page_count = 1073741823")
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: app.screen is not editor, "the editor to close")
        assert [a.note for a in app.annotations] == [BIG_NOTE.rstrip()]
        assert drafts_for(paths.drafts_dir(data_dir), app.briefing.id) == []


async def test_draft_is_offered_back_when_the_briefing_is_opened_again(data_dir: Path) -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_editor(app, pilot, "typed before the store went read-only")
        assert app.store is not None
        app.store.db.conn.execute("PRAGMA query_only = 1")  # writes now fail: SQLITE_READONLY
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: not editor.saving, "the save to fail")
        assert "read-only" in str(editor.query_one("#note-error", Static).render())
        await pilot.press("escape")  # closed without saving: the draft stays on disk
        assert not isinstance(app.screen, NoteEditor)
        assert any("kept as a draft" in n.message for n in app._notifications)
    with Store.open(data_dir) as s:
        assert s.annotations(load_briefing(SAMPLE).id) == []
    app2 = make_app(SAMPLE, analyse=False)
    async with app2.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app2, pilot)
        await _until(pilot, lambda: isinstance(app2.screen, NoteEditor), "the draft")
        editor = app2.screen
        assert editor.query_one(TextArea).text == "typed before the store went read-only"
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: app2.screen is not editor, "the editor to close")
        assert [a.note for a in app2.annotations] == ["typed before the store went read-only"]
    assert drafts_for(paths.drafts_dir(data_dir), load_briefing(SAMPLE).id) == []


@pytest.mark.slow
async def test_save_waiting_for_a_lock_does_not_block_the_reader(data_dir: Path) -> None:
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_editor(app, pilot, "written while another process holds the lock")
        assert app.store is not None and app.store.path is not None
        area = editor.query_one(TextArea)
        with held_lock(app.store.path) as holder:
            await pilot.press("ctrl+s")  # returns at once: the save waits in a worker
            assert editor.saving and app.screen is editor
            before = area.cursor_location
            await pilot.press("home")  # a key is handled while the lock is still held
            assert area.cursor_location != before
            assert holder.poll() is None and editor.saving  # (still held, still saving)
        await _until(pilot, lambda: app.screen is not editor, "the save after the lock")
        assert [a.note for a in app.annotations] == ["written while another process holds the lock"]


async def test_undo_in_one_reader_leaves_another_readers_note(data_dir: Path) -> None:
    """`u` in this window does not delete a note another reader (a Store in another
    process) made on the same briefing afterwards."""
    app = make_app(SAMPLE, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open_editor(app, pilot, "mine")
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: app.screen is not editor, "the save")
        code = (
            "import sys\n"
            "from brief_tui.briefing import load_briefing\n"
            "from brief_tui.library.store import Store\n"
            "b = load_briefing(sys.argv[1])\n"
            "with Store.open(sys.argv[2]) as s:\n"
            "    s.add_annotation(b.id, 'note', start=0, end=5, note='theirs')\n"
        )
        subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(data_dir)], check=True)
        await pilot.press("escape", "u")
        await _until(
            pilot, lambda: any("ndid" in n.message for n in app._notifications), "the undo"
        )
    with Store.open(data_dir) as s:
        assert [a.note for a in s.annotations(app.briefing.id)] == ["theirs"]


def test_library_on_a_garbage_file_leaves_it(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    db = paths.db_path(d)
    db.write_bytes(b"not a database at all\n" * 300)
    out = _cli(d, "library")
    assert "damaged" in out.stderr and "Traceback" not in out.stderr
    assert db.read_bytes() == b"not a database at all\n" * 300
    assert sorted(p.name for p in d.iterdir()) == [db.name]
    shutil.rmtree(d)
