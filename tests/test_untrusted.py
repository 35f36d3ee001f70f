"""Hostile text: nothing a document (or the database, or a config file) holds reaches the
terminal as a control sequence or is read as markup, in the reader or in the headless
commands. Property-based where the input space is wide (Hypothesis), plus the reproductions
that were found by hand."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brief_tui.briefing import briefing_from_text, load_briefing
from brief_tui.briefing.untrusted import (
    REPLACEMENT,
    clean_line,
    clean_text,
    is_clean,
    json_escape_unsafe,
)
from brief_tui.ui.app import BriefApp, StatusLine
from brief_tui.ui.article import ArticleView
from tests.procs import child_env, read_pty
from tests.uihelpers import screen_text

REPO = Path(__file__).resolve().parent.parent

OSC52 = "\x1b]52;c;UFdORUQ=\x1b\\"
TITLE_SET = "\x1b]0;owned\x07"

#: what a terminal acts on: C0 but tab and newline, DEL, C1, bidi embeddings and isolates
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: pieces an attacker would use, and pieces of ordinary text
_HOSTILE_PIECES = [
    OSC52,
    TITLE_SET,
    "\x1b[2J",
    "\x1bc",
    "\x9b31m",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "[",
    "]",
    "[/]",
    "[/x]",
    "[b]",
    "[LIVE]",
    "[@click=app.screenshot('.bashrc','.')]Breaking news[/]",
    "[link=http://x]l[/link]",
    "[$accent]",
    "\\[",
    "**",
    "%%",
    "#tag",
    "Reuters",
    " said ",
    "“quote”",
    "北京",
    "🙂",
    "e\u0301",
    "\t",
]
pieces = st.sampled_from(_HOSTILE_PIECES)
controls = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(
    lambda c: not c.isalnum() and c not in "\n"
)
fragment = st.one_of(pieces, controls, st.text(min_size=1, max_size=6))
hostile = st.lists(fragment, min_size=1, max_size=12).map("".join)


# ---------------------------------------------------------------------- the boundary itself
@given(st.text())
def test_clean_text_keeps_offsets_and_leaves_nothing_unsafe(s: str) -> None:
    out = clean_text(s)
    assert len(out) == len(s)
    assert is_clean(out)
    assert UNSAFE.search(out) is None
    # what was safe is untouched
    for a, b in zip(s, out, strict=True):
        if not UNSAFE.match(a):
            assert a == b


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_clean_line_is_one_safe_line(s: str, limit: int) -> None:
    out = clean_line(s, limit)
    assert "\n" not in out and "\t" not in out and "\r" not in out
    assert UNSAFE.search(out) is None
    assert len(out) <= limit


@given(st.recursive(st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_json_escapes_keep_the_value(value: object) -> None:
    dumped = json_escape_unsafe(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert UNSAFE.search(dumped) is None


def test_a_briefing_is_clean_once_read(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(f"Report {OSC52} ok\n\nThe Pentagon said\x0ctroops moved.\n")
    b = load_briefing(str(path))
    assert "\x1b" not in b.text and "\x1b" not in b.title
    assert b.title.startswith("Report ") and REPLACEMENT in b.title
    assert len(b.text) == len(f"Report {OSC52} ok\n\nThe Pentagon said\x0ctroops moved.\n")
    # a page break ends a line (and so a paragraph)
    assert b.text[b.paragraphs[-1][0] :].startswith("troops moved.")


# ---------------------------------------------------------------------- the reader (Pilot)
async def _shows(app: BriefApp, literal: str) -> bool:
    return literal in screen_text(app)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=hostile, body=hostile)
async def test_reader_shows_hostile_text_literally(title: str, body: str) -> None:
    briefing = briefing_from_text(f"{title}\n\nThe minister said {body} today.\n", "t.txt")
    app = BriefApp(briefing, analyse=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        status = app.query_one(StatusLine)
        shown = screen_text(app)
        assert UNSAFE.search(shown) is None
        head = briefing.title if len(briefing.title) <= 60 else briefing.title[:59] + "…"
        # the title is on the status line as written (markup is not read as markup)
        assert str(status.render()).startswith(head.split("[")[0][:20])
        assert head in str(status.render())
        # the reader's own words around it survive too
        assert "analysis: off" in str(status.render())
        await pilot.press("y")  # copy the sentence under the cursor
        await pilot.pause()
        assert app.is_running


async def test_reader_survives_markup_in_title_and_sentence(tmp_path: Path) -> None:
    text = (
        "[@click=app.screenshot('.bashrc','.')]Breaking news[/] [LIVE] [/x]\n\n"
        "The minister said [/y] nothing [@click=app.quit]here[/].\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_text(text)
    app = BriefApp(load_briefing(str(path)), analyse=False, data_dir=tmp_path / "data")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "[@click=app.screenshot('.bashrc','.')]Breaking news[/] [LIVE] [/x]" in shown
        status = app.query_one(StatusLine)
        assert "Breaking news[/] [LIV" in str(status.render())
        # no link was made of the title: its words carry no action
        for strip in app.screen._compositor.render_strips():
            for seg in strip:
                assert not (seg.style and seg.style.meta.get("@click")), seg
        # copy and highlight a sentence holding markup: shown, never parsed
        app.query_one(ArticleView).focus()
        app.search("minister")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.clipboard == "The minister said [/y] nothing [@click=app.quit]here[/]."
        assert any("[/y]" in n.message for n in app._notifications)
        await pilot.press("h")
        await pilot.pause()
        assert "[@click=app.quit]here[/]" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert any(n.message.startswith("Highlighted as key") for n in app._notifications)
        assert app.is_running
    assert not (tmp_path / ".bashrc").exists()


async def test_notifications_are_text(tmp_path: Path) -> None:
    app = BriefApp(briefing_from_text("Title\n\nBody.\n", "t.txt"), analyse=False)
    async with app.run_test(size=(120, 30)) as pilot:
        app.notify("[b]x[/] [/nope] " + OSC52, title="[/t]")
        await pilot.pause(0.3)
        # the reader screen's own notifications (quotes, grades, export errors) pass the same
        # way: Screen.notify asks for markup by default, and the app takes them as text
        app.screen.notify("Highlighted as key: “[/y] [@click=app.quit]x[/]”")
        await pilot.pause(0.3)
        (quoted,) = [n for n in app._notifications if n.message.startswith("Highlighted")]
        assert quoted.markup is False and "[@click=app.quit]x[/]" in quoted.message
        (note,) = [n for n in app._notifications if n.title == "[/t]"]
        assert note.markup is False  # shown as Content(message): the words as they are
        assert note.message.startswith("[b]x[/] [/nope] ")
        assert "\x1b" not in note.message


# ---------------------------------------------------------------------- headless commands


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", *args],
        capture_output=True,
        text=True,
        env=child_env(tmp_path, COLUMNS="200"),
        timeout=120,
    )


@pytest.mark.slow
def test_analyze_and_library_print_no_control_and_no_markup(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    title = f"Report {OSC52} [/x] [LIVE] {TITLE_SET}\u202eevil"
    path.write_text(f"{title}\n\nThe Pentagon said [/y] troops moved, Reuters reported.\n")
    out = _run(tmp_path, "analyze", str(path))
    assert out.returncode == 0, out.stderr
    for stream in (out.stdout, out.stderr):
        assert UNSAFE.search(stream) is None, stream
    assert "[/x] [LIVE]" in out.stdout
    assert "/y] troops moved" in out.stdout
    js = _run(tmp_path, "analyze", str(path), "--json")
    assert js.returncode == 0 and UNSAFE.search(js.stdout) is None
    assert json.loads(js.stdout)["briefing"]["title"].startswith("Report ")
    # the library, as the reader would have stored it (the title straight in the database,
    # as an older version or another tool may have written it)
    from brief_tui.library.store import Store

    store = Store.open(tmp_path / "data")
    b = load_briefing(str(path))
    store.add_briefing(b)
    store.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as conn:
        conn.execute("UPDATE briefings SET title = ? WHERE id = ?", (title, b.id))
    lib = _run(tmp_path, "library")
    assert lib.returncode == 0, lib.stderr
    assert UNSAFE.search(lib.stdout) is None, lib.stdout
    assert "[/x]" in lib.stdout
    lj = _run(tmp_path, "library", "--json")
    assert UNSAFE.search(lj.stdout) is None
    assert json.loads(lj.stdout)[0]["title"] == title  # the same value, escaped in JSON


@pytest.mark.slow
def test_error_lines_are_one_clean_line(tmp_path: Path) -> None:
    name = tmp_path / f"missing{OSC52}[/x].txt"
    out = _run(tmp_path, str(name))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert UNSAFE.search(out.stderr) is None
    assert "[/x]" in out.stderr


# ---------------------------------------------------------------------- a real terminal


@pytest.mark.slow
def test_a_document_cannot_write_the_clipboard_or_the_title(tmp_path: Path) -> None:
    """The reader in a pseudo-terminal on a document carrying OSC 52 (clipboard), OSC 0
    (window title), a screen clear and a terminal reset: none of them reaches the terminal."""
    import pty

    path = tmp_path / "t.txt"
    path.write_text(
        f"Report {OSC52} ok {TITLE_SET}\n\nThe Pentagon said troops moved.\x1b[2J\x1bc {OSC52}\n"
    )
    env = child_env(tmp_path, COLUMNS="200")
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(
            sys.executable,
            [sys.executable, "-m", "brief_tui", str(path), "--no-analysis"],
            env,
        )
    try:
        out = read_pty(fd, b"Pentagon", 30)
        out += read_pty(fd, b"\x00never", 1.0)
        os.write(fd, b"q")
        out += read_pty(fd, b"\x00never", 2.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"Pentagon" in out
    assert b"\x1b]52" not in out  # the clipboard write (its payload shows, as text)
    assert b"]52;c;UFdORUQ=" in out
    assert b"\x1b]0;" not in out and b"\x1b]2;" not in out
    assert b"\x1bc" not in out  # a full reset
    # Textual's own output: only CSI sequences and its own OSC 22 (pointer shape)
    oscs = re.findall(rb"\x1b\](\d+);", out)
    assert set(oscs) <= {b"22"}, oscs


# ---------------------------------------------------------------------- very long texts
def test_a_long_text_is_announced_with_an_estimate() -> None:
    from brief_tui.analysis.estimate import LONG_AFTER, duration, long_text_warning

    assert long_text_warning("A short text. " * 1000) is None
    warning = long_text_warning("word " * 6_000_000)  # ~5 million words: ~17 minutes
    assert warning is not None
    assert "5.0 million words" in warning and "minutes" in warning
    assert duration(LONG_AFTER) == "about 30 seconds"
    assert duration(3 * 3600) == "about 3.0 hours"


@pytest.mark.slow
def test_analyze_says_before_a_long_analysis(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Long report\n\n" + "The minister said troops moved. " * 40_000)
    out = subprocess.run(
        [sys.executable, "-m", "brief_tui", "analyze", str(path), "--model", "no_such_model"],
        capture_output=True,
        text=True,
        env=child_env(tmp_path, COLUMNS="200"),
        timeout=120,
    )
    # the note comes first, before the model is even looked for
    first = out.stderr.splitlines()[0]
    assert first.startswith("brief-tui: note: ") and "its analysis will take about" in first


def test_what_the_database_holds_is_cleaned_when_read(tmp_path: Path) -> None:
    """A library written by an older version (or another program) may hold anything."""
    import sqlite3

    from brief_tui.library.store import Store

    b = briefing_from_text("Title\n\nThe minister said troops moved.\n", "/x/t.txt")
    with Store.open(tmp_path / "data") as store:
        store.add_briefing(b)
    raw_text = f"Title\n\nThe minister {OSC52} said troops moved.\n"
    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as conn:
        conn.execute(
            "UPDATE briefings SET title = ?, text = ? WHERE id = ?",
            (f"T {TITLE_SET}\u202e", raw_text, b.id),
        )
    with Store.open(tmp_path / "data") as store:
        got = store.get_briefing(b.id)
    assert got is not None
    assert is_clean(got.title) and is_clean(got.text)
    assert len(got.text) == len(raw_text)  # offsets into it still hold
