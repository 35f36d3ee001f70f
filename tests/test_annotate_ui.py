"""Annotating by keys in the real app; what is made is on screen, on disk, after a restart
and in both exports."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from brief_tui.library.store import Store
from brief_tui.ui.app import BriefApp
from brief_tui.ui.article import ArticleView
from brief_tui.ui.dialogs import ExportDialog, GradePicker, HighlightPicker, NoteEditor, TagEditor
from brief_tui.ui.panel import LineList, NotesList
from tests.conftest import SAMPLE
from tests.uihelpers import (
    make_app,
    saves_done,
    screen_text,
    style_of_text,
    wait_for_analysis,
)

SIZE = (150, 42)
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]")


async def ready(app: BriefApp, pilot) -> None:
    await wait_for_analysis(app, pilot)
    assert app.store is not None


def stored(data_dir: Path, briefing_id: str):
    with Store.open(data_dir) as store:
        return store.annotations(briefing_id)


async def test_highlight_current_sentence_with_meaning(data_dir: Path, loaded_model) -> None:
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        view = app.query_one(ArticleView)
        await pilot.press("right_parenthesis", "right_parenthesis")
        sentence = view.current
        assert sentence is not None
        await pilot.press("h")
        assert isinstance(app.screen, HighlightPicker)
        await pilot.press("2")
        await saves_done(app, pilot)
        await pilot.pause()
        saved = stored(data_dir, app.briefing.id)
        assert len(saved) == 1
        a = saved[0]
        assert (a.kind, a.meaning) == ("highlight", "doubt")
        assert app.briefing.text[a.start : a.end] == a.exact
        assert a.exact.startswith("South Korea warned that")
        assert "doubt" in a.tags
        # on screen: the sentence is drawn with the doubt background, entities keep their colour
        words = "South Korea"
        st = style_of_text(view, a.start, words)
        assert st.bgcolor == app.marks.meanings["doubt"].bgcolor
        assert st.color == app.marks.entity("GPE").color
        app.query_one("#tabs").active = "tab-notes"
        await pilot.pause()
        notes = app.query_one("#notes", NotesList)
        assert notes.row_count == 1


async def test_visual_selection_note_tags_grade_undo_and_restart(
    data_dir: Path, loaded_model
) -> None:
    app = make_app(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        view = app.query_one(ArticleView)
        # select "Lee Seong-kweun said after" with visual mode and word motions
        app.search("Lee Seong-kweun")
        await pilot.press("escape")  # clear the search marks; the cursor stays
        start = text.index("Lee Seong-kweun")
        assert view.cursor == start
        await pilot.press("v", "w", "w", "w")
        assert app.reader.selection == (start, start + len("Lee Seong-kweun said after"))
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        area = app.screen.query_one(TextArea)
        area.insert("Check against NIS readout.\nSecond line.")
        await pilot.press("ctrl+s")
        await saves_done(app, pilot)
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        saved = stored(data_dir, app.briefing.id)
        note = next(a for a in saved if a.kind == "note")
        assert note.exact == "Lee Seong-kweun said after"
        assert note.note == "Check against NIS readout.\nSecond line."
        assert note.prefix and note.suffix and len(note.prefix) == 32
        assert app.reader.selection is None  # acting ends the selection

        # tags on the current sentence, with completion from tags in use
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"troops, nis")
        await pilot.press("enter")
        await saves_done(app, pilot)
        await pilot.pause()
        await pilot.press("t")
        tag_input = app.screen.query_one(Input)
        await pilot.press("t", "r")
        await pilot.pause()
        assert tag_input._suggestion == "troops"
        await pilot.press("right", "enter")
        await saves_done(app, pilot)
        await pilot.pause()
        tags = [a.tags for a in stored(data_dir, app.briefing.id) if a.kind == "tag"]
        assert ("troops", "nis") in tags and ("troops",) in tags

        # grade a source in the Sources tab (Admiralty B)
        # and the claim at the cursor (2, corroborated)
        app.query_one("#tabs").active = "tab-sources"
        sources = app.query_one("#sources", LineList)
        sources.focus()
        await pilot.pause()
        miller = next(s for s in app.analysis.sources if s.name == "Matthew Miller")
        sources.move_cursor(row=sources.get_row_index(miller.id))
        await pilot.press("r")
        assert isinstance(app.screen, GradePicker)
        await pilot.press("b")
        await saves_done(app, pilot)
        await pilot.pause()
        claim = next(c for c in app.analysis.claims if c.source == miller.id)
        view.focus()
        view.cursor = claim.start
        await pilot.press("r", "2")
        await saves_done(app, pilot)
        await pilot.press("r", "c")
        await saves_done(app, pilot)
        await pilot.pause()
        grades = {
            (a.target_type, a.target_id): (a.grade, a.status)
            for a in stored(data_dir, app.briefing.id)
            if a.kind == "grade"
        }
        assert grades[("source", miller.id)] == ("B", None)
        assert grades[("claim", claim.id)] == ("2", "corroborated")
        assert app.query_one("#sources", LineList).get_cell(miller.id, "grade").plain == "B"
        # the margin shows the claim's grade
        line = view.line_of(claim.start)
        view.scroll_to_offset(claim.start)
        await pilot.pause()
        y = line - int(view.scroll_offset.y)
        assert "".join(seg.text for seg in view.render_line(y))[1:3] == "2c"

        # Notes tab: every annotation in text order; d deletes, u undoes the delete
        app.query_one("#tabs").active = "tab-notes"
        notes = app.query_one("#notes", NotesList)
        notes.focus()
        await pilot.pause()
        before = notes.row_count
        assert before == len(stored(data_dir, app.briefing.id)) == 5
        await pilot.press("d")
        await saves_done(app, pilot)
        await pilot.pause()
        assert notes.row_count == before - 1
        assert len(stored(data_dir, app.briefing.id)) == before - 1
        await pilot.press("u")
        await saves_done(app, pilot)
        await pilot.pause()
        assert notes.row_count == before
        # e edits the note of the selected row
        notes.move_cursor(row=notes.get_row_index(note.id))
        await pilot.press("e")
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).text = "Edited note."
        await pilot.press("ctrl+s")
        await saves_done(app, pilot)
        await pilot.pause()
        assert (
            next(a for a in stored(data_dir, app.briefing.id) if a.id == note.id).note
            == "Edited note."
        )
        # enter jumps to the annotated text
        await pilot.press("enter")
        await pilot.pause()
        assert view.current == (note.start, note.end)
        await pilot.press("q")

    # a new app on the same data directory shows them all
    app2 = make_app(SAMPLE)
    async with app2.run_test(size=SIZE) as pilot:
        await ready(app2, pilot)
        app2.query_one("#tabs").active = "tab-notes"
        await pilot.pause()
        assert app2.query_one("#notes", NotesList).row_count == 5
        shown = screen_text(app2)
        assert "Edited note." in shown
        assert "#troops" in shown
    # and both exports hold them (headless, through the CLI)
    md = subprocess.run(
        [sys.executable, "-m", "brief_tui", "export", str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("---\n")
    assert "Edited note." in md.stdout and "Lee Seong-kweun said after" in md.stdout
    assert "troops" in md.stdout
    js = subprocess.run(
        [sys.executable, "-m", "brief_tui", "export", str(SAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert js.returncode == 0, js.stderr
    doc = json.loads(js.stdout)
    items = doc["first"]["items"] if "first" in doc else doc["items"]
    assert len(items) == 5
    text_items = [i for i in items if "selector" in json.dumps(i)]
    assert any(
        "TextQuoteSelector" in json.dumps(i) and "TextPositionSelector" in json.dumps(i)
        for i in text_items
    )


async def test_export_dialog_writes_markdown(tmp_path: Path, data_dir: Path, loaded_model) -> None:
    from brief_tui.ui.confirm import ReplaceFileDialog

    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("right_parenthesis", "h", "1")
        await saves_done(app, pilot)
        # a folder that does not exist is not made: the dialog says so and stays open
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(tmp_path / "out" / "notes.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and not (tmp_path / "out").exists()
        assert "no such directory" in str(app.screen.query_one("#export-error").render())
        # nor is a directory replaced
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "is a directory" in str(app.screen.query_one("#export-error").render())
        target = tmp_path / "notes.md"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.exists()
        body = target.read_text(encoding="utf-8")
        assert body.startswith("---\ntitle:")
        assert "Seoul warns North Korean troops" in body
        # exporting again asks first: no keeps the file, yes replaces it (the same file
        # apart from the export time)
        target.write_text("mine")
        await pilot.press("x")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceFileDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and target.read_text() == "mine"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceFileDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (ExportDialog, ReplaceFileDialog))
        again = target.read_text(encoding="utf-8").splitlines()
        first = body.splitlines()
        assert [ln for ln in first if "xported" not in ln] == [
            ln for ln in again if "xported" not in ln
        ]


async def test_read_only_data_dir_opens_and_refuses_writes(tmp_path: Path, loaded_model) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits: make the directory unusable another way
        ro = tmp_path / "ro"
        ro.write_text("a file where the data directory should be")
        data = ro / "data"
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        data = ro
    app = make_app(SAMPLE, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.store is not None and app.store.read_only
        assert app.query_one(ArticleView).visible_lines()[0].startswith("Seoul warns")
        await pilot.press("right_parenthesis", "h")
        await pilot.pause()
        assert not isinstance(app.screen, HighlightPicker)
        messages = [n.message for n in app._notifications]
        assert any("Read-only" in m or "read-only" in m or "cannot" in m for m in messages), (
            messages
        )


async def test_corrupted_database_is_kept_aside(data_dir: Path, loaded_model) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = data_dir / "brief-tui.sqlite3"
    from brief_tui.library.paths import db_path

    db = db_path(data_dir)
    db.write_bytes(b"this is not a database" * 100)
    app = make_app(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.store is not None and not app.store.read_only
        kept = list(data_dir.glob(db.name + ".corrupt-*"))
        assert kept and kept[0].read_bytes().startswith(b"this is not a database")
        messages = [n.message for n in app._notifications]
        assert any("damaged" in m for m in messages), messages
        await pilot.press("right_parenthesis", "h", "3")
        await saves_done(app, pilot)
        await pilot.pause()
    assert len(stored(data_dir, app.briefing.id)) == 1


async def test_changed_file_reanchors_and_keeps_orphans(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "Alpha said the convoy left at dawn.\nBeta said nothing at all.\n", encoding="utf-8"
    )
    app = make_app(path, analyse=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)  # the store starts after the first paint
        await pilot.pause()
        store = app.store
        store.add_annotation(app.briefing.id, "note", start=0, end=35, note="dawn?")
        store.add_annotation(app.briefing.id, "highlight", start=36, end=61, meaning="key")
    path.write_text(
        "New first line.\nAlpha said the convoy left at dawn.\nGamma replaced the second line.\n",
        encoding="utf-8",
    )
    app2 = make_app(path, analyse=False)
    async with app2.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app2, pilot)  # the store starts after the first paint
        await pilot.pause()
        anns = app2.annotations
        assert len(anns) == 2
        placed = next(a for a in anns if a.note == "dawn?")
        assert (
            not placed.orphan
            and app2.briefing.text[placed.start : placed.end]
            == "Alpha said the convoy left at dawn."
        )
        orphan = next(a for a in anns if a.meaning == "key")
        assert orphan.orphan and orphan.exact == "Beta said nothing at all."
        app2.query_one("#tabs").active = "tab-notes"
        await pilot.pause()
        assert "orphan" in screen_text(app2)


class TerminalApp:
    """The real `brief-tui` command in a pseudo-terminal: type keys, read the screen."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: the real command
            os.environ["BRIEF_TUI_DATA_DIR"] = str(data_dir)
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [sys.executable, "-m", "brief_tui", *args])
        self.output = b""

    def read_until(self, needle: bytes, timeout: float) -> bool:
        """Read the screen until ``needle`` shows (escape codes removed). Reading all the
        time matters: a full terminal buffer would stall the app."""
        import select
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return False
                if needle in _ANSI.sub(b"", self.output):
                    return True
        return False

    def wait(self, seconds: float) -> None:
        self.read_until(b"\x00never", seconds)

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def screen_tail(self) -> str:
        return _ANSI.sub(b"", self.output)[-1500:].decode(errors="replace")

    def kill(self) -> None:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def highlight(self, sentence_moves: int, digit: bytes) -> None:
        """Move to a sentence, highlight it, and wait for the confirmation on screen."""
        self.output = b""
        self.type(b"g")
        self.wait(0.2)
        for _ in range(sentence_moves):
            self.type(b")")
            self.wait(0.1)
        self.type(b"h")
        assert self.read_until(b"Highlight as", 10), "the meaning picker did not open"
        self.type(digit)
        assert self.read_until(b"Highlighted", 20), self.screen_tail()


def test_sigkill_after_confirmed_annotation_loses_nothing(tmp_path: Path, data_dir: Path) -> None:
    """A real process in a pseudo-terminal: highlight, wait for the confirmation on screen,
    SIGKILL it, and find the highlight on disk."""
    term = TerminalApp(data_dir, str(SAMPLE), "--no-analysis")
    try:
        assert term.read_until(b"Seoul", 30), "the reader did not show the briefing"
        term.wait(2.0)  # the store opens in a worker right after the first paint
        term.highlight(1, b"1")
    finally:
        term.kill()  # SIGKILL, right after the confirmation
    from brief_tui.briefing import load_briefing

    anns = stored(data_dir, load_briefing(SAMPLE).id)
    assert [a.meaning for a in anns] == ["key"]


def test_two_app_processes_annotating_at_once_lose_nothing(tmp_path: Path, data_dir: Path) -> None:
    """Two real app processes on one database, annotating in turns: every confirmed
    highlight of both is on disk."""
    first = TerminalApp(data_dir, str(SAMPLE), "--no-analysis")
    second = TerminalApp(data_dir, str(SAMPLE), "--no-analysis")
    try:
        for term in (first, second):
            assert term.read_until(b"Seoul", 30), "the reader did not show the briefing"
        first.wait(1.5)
        second.wait(1.5)
        for i in range(1, 4):
            first.highlight(i, b"1")
            second.highlight(i + 4, b"2")
        first.type(b"q")
        second.type(b"q")
        first.wait(1.0)
        second.wait(1.0)
    finally:
        first.kill()
        second.kill()
    from brief_tui.briefing import load_briefing

    anns = stored(data_dir, load_briefing(SAMPLE).id)
    assert sorted(a.meaning or "" for a in anns) == ["doubt"] * 3 + ["key"] * 3


def test_two_processes_annotating_at_once_lose_nothing(tmp_path: Path, data_dir: Path) -> None:
    """Two real processes write to one database at the same time (the store each app uses)."""
    code = (
        "import sys\n"
        "from brief_tui.briefing import load_briefing\n"
        "from brief_tui.library.store import Store\n"
        "b = load_briefing(sys.argv[1])\n"
        "s = Store.open(sys.argv[2])\n"
        "s.add_briefing(b)\n"
        "for i in range(100):\n"
        "    s.add_annotation(b.id, 'note', start=i, end=i + 5, note=sys.argv[3] + str(i))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(SAMPLE), str(data_dir), tag])
        for tag in ("first-", "second-")
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    from brief_tui.briefing import load_briefing

    anns = stored(data_dir, load_briefing(SAMPLE).id)
    notes = {a.note for a in anns}
    assert len(anns) == 200
    assert {f"first-{i}" for i in range(100)} <= notes and {
        f"second-{i}" for i in range(100)
    } <= notes
    con = sqlite3.connect(
        next(data_dir.glob("*.sqlite3"))
        if list(data_dir.glob("*.sqlite3"))
        else next(data_dir.glob("*.db"))
    )
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_cli_export_bad_input(tmp_path: Path, fmt: str) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "brief_tui",
            "export",
            str(tmp_path / "missing.txt"),
            "--format",
            fmt,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip().startswith("brief-tui: ") and len(proc.stderr.strip().splitlines()) == 1
    )
