"""`brief-tui library add PATH...` (import without the reader, --analyse into the cache) and
`brief-tui library --json/--jsonl` streaming, run as real processes on temporary libraries."""

from __future__ import annotations

import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text, load_briefing
from brief_tui.library.crossref import library_listing
from brief_tui.library.store import Store
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow

ARTICLE = (
    "Seoul says troops moved\n\n"
    "South Korea's spy agency said on Monday that North Korea had sent 3,000 more troops "
    "to Russia, according to lawmakers briefed on the matter.\n"
)


def brief(*args: str, stdin: str | None = None, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", *args, "--data-dir", str(data_dir)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "TERM": "dumb"},
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder as a desk has one: text, Markdown, HTML, a nested folder, a binary file, an
    empty file, a FIFO, a hidden folder."""
    top = tmp_path / "articles"
    (top / "nested" / "deeper").mkdir(parents=True)
    (top / ".cache").mkdir()
    shutil.copy(SAMPLE, top / "sample.txt")
    (top / "seoul.txt").write_text(ARTICLE, encoding="utf-8")
    (top / "nested" / "brief.md").write_text(
        "# Kyiv briefing\n\nUkraine's military intelligence said on Tuesday that the troops "
        "were seen near Kursk.\n",
        encoding="utf-8",
    )
    (top / "nested" / "deeper" / "page.html").write_text(
        "<!doctype html><html><head><title>Tokyo report</title></head><body><article><p>"
        "Japan's defence ministry said the launch was detected at dawn, Reuters reported."
        "</p></article></body></html>",
        encoding="utf-8",
    )
    (top / "nested" / "photo.bin").write_bytes(bytes(range(256)) * 8)
    (top / "empty.txt").write_bytes(b"")
    os.mkfifo(top / "pipe")
    (top / ".cache" / "hidden.txt").write_text("not imported\n", encoding="utf-8")
    return top


def test_add_a_folder_twice(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "one.txt").write_text("Paris said the talks would resume.\n", encoding="utf-8")
    (extra / "two.md").write_text("# Two\n\nBerlin said so too.\n", encoding="utf-8")
    (extra / "three.txt").write_text("Rome, from standard input, agreed.\n", encoding="utf-8")
    proc = brief(
        "library",
        "add",
        str(folder),
        str(extra / "*.md"),  # a glob we expand (quoted in a shell)
        "-",
        stdin=f"{extra / 'one.txt'}\n\n{extra / 'three.txt'}\n",
        data_dir=data,
    )
    no_traceback(proc)
    assert proc.returncode == 2  # some could not be read
    assert proc.stdout.strip() == (
        "7 added, 0 already there, 2 could not be read, 1 empty (not stored)"
    )
    problems = proc.stderr.strip().splitlines()
    assert len(problems) == 3, proc.stderr
    assert all(line.startswith("brief-tui: ") for line in problems)
    assert any("photo.bin" in line and "binary" in line for line in problems)
    assert any("pipe" in line and "FIFO" in line for line in problems)
    assert any("empty.txt" in line for line in problems)
    assert "\x1b" not in proc.stderr and "\r" not in proc.stderr  # no progress bar in a pipe

    expected = {
        load_briefing(p).id
        for p in (
            folder / "sample.txt",
            folder / "seoul.txt",
            folder / "nested" / "brief.md",
            folder / "nested" / "deeper" / "page.html",
            extra / "one.txt",
            extra / "two.md",
            extra / "three.txt",
        )
    }
    with Store.open(data) as store:
        stored = store.list_briefings()
        assert {b.id for b in stored} == expected
        html = next(b for b in stored if b.origin.endswith("page.html"))
        assert html.title == "Tokyo report" and html.format == "html"

    again = brief("library", "add", str(folder), str(extra), data_dir=data)
    no_traceback(again)
    assert again.returncode == 2
    assert again.stdout.strip() == (
        "0 added, 7 already there, 2 could not be read, 1 empty (not stored)"
    )
    with Store.open(data) as store:
        assert len(store.list_briefings()) == 7

    clean = brief("library", "add", str(extra), data_dir=data)
    assert clean.returncode == 0 and clean.stderr == ""
    assert clean.stdout.strip() == "0 added, 3 already there, 0 could not be read"


def test_add_names_what_matches_nothing(tmp_path: Path) -> None:
    proc = brief(
        "library",
        "add",
        str(tmp_path / "missing.txt"),
        str(tmp_path / "nothing-*.md"),
        "https://example.com/a",
        data_dir=tmp_path / "data",
    )
    no_traceback(proc)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3
    assert any("missing.txt: no such file" in line for line in lines)
    assert any("nothing-*.md: no file matches" in line for line in lines)
    assert any("a URL" in line for line in lines)
    assert proc.stdout.strip() == "0 added, 0 already there, 3 could not be read"
    bad = brief("library", "add", "--processes", "0", str(tmp_path), data_dir=tmp_path / "d")
    assert bad.returncode == 2 and "--processes" in bad.stderr


def test_add_help_tells_the_exit_status(tmp_path: Path) -> None:
    proc = brief("library", "add", "--help", data_dir=tmp_path)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "Exit status: 0 when every file was read" in text
    assert "2 when some could not be" in text


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "brief_tui", "library", "add", str(tmp_path / "a.txt")],
            stdout=subprocess.PIPE,
            stderr=secondary,
            text=True,
            timeout=120,
            env={**os.environ, "BRIEF_TUI_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm"},
        )
        os.close(secondary)
        secondary = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # (Linux: EIO once the other end is closed and drained)
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(primary)
        if secondary >= 0:
            os.close(secondary)
    assert proc.returncode == 0
    assert b"Reading" in drawn and b"1/1" in drawn
    assert proc.stdout.strip() == "1 added, 0 already there, 0 could not be read"


def test_add_analyse_fills_the_readers_cache(tmp_path: Path, loaded_model) -> None:
    """After `library add --analyse`, the reader opens the briefing analysed from the cache
    without loading spaCy, and the analysis is the one a single process makes."""
    from brief_tui.analysis import analyze
    from tests.test_cache import run_app

    data = tmp_path / "data"
    other = tmp_path / "seoul.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    proc = brief(
        "library", "add", "--analyse", "--processes", "2", str(SAMPLE), str(other), data_dir=data
    )
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2 added, 0 already there, 0 could not be read, 2 analysed"

    opened = run_app(data)  # the reader, on the sample, in a process of its own
    assert opened["source"] == "cache"
    assert opened["spacy_loaded"] is False
    assert opened["state"] == "done" and opened["claims"] > 0

    briefing = load_briefing(other)
    with Store.open(data) as store:
        cached = store.latest_cached_analysis(briefing.id)
    assert cached is not None
    here = analyze(briefing.text, title=briefing.title, briefing_id=briefing.id, model=loaded_model)
    assert cached.to_json() == here.to_json()

    again = brief("library", "add", "--analyse", str(SAMPLE), str(other), data_dir=data)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (
        "0 added, 2 already there, 0 could not be read, 0 analysed (2 analysed before)"
    )


def test_ctrl_c_keeps_what_was_stored(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(40):
        (folder / f"{i:02}.txt").write_text(f"Briefing {i}\n\n{text}", encoding="utf-8")
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief_tui", "library", "add", "--analyse", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BRIEF_TUI_DATA_DIR": str(data)},
        start_new_session=True,  # its own process group: Ctrl-C reaches all of it, as in a shell
    )
    try:
        # Ctrl-C once the first analysis is cached (the import is then well under way)
        from brief_tui.library.paths import db_path

        db = db_path(data)
        for _ in range(1200):
            if proc.poll() is not None:
                break
            if db.exists():
                try:
                    with Store.open(data, check=False) as store:
                        if any(
                            store.latest_cached_analysis(b.id) for b in store.list_briefings()[:40]
                        ):
                            break
                except Exception:  # noqa: BLE001 - the file is being created
                    pass
            time.sleep(0.1)
        assert proc.poll() is None, "the import ended before it could be stopped"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert out.startswith("stopped: 40 added")
    # and no analysis process is left running
    left = _group_members(proc.pid)
    for _ in range(100):
        if not left:
            break
        time.sleep(0.1)
        left = _group_members(proc.pid)
    assert left == []
    with Store.open(data) as store:
        kept = store.list_briefings()
        assert len(kept) == 40
        assert sum(store.latest_cached_analysis(b.id) is not None for b in kept) >= 1


def _group_members(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_pool_goes_on_when_a_process_dies() -> None:
    """A process killed on one briefing (out of memory, say) costs that briefing only."""
    import multiprocessing

    from brief_tui.analysis.pool import Done, Failed, Job, analyse_many

    text = SAMPLE.read_text(encoding="utf-8")
    jobs = [Job(f"id{i}", f"t{i}", f"Briefing {i}\n\n{text}") for i in range(6)]
    results: list[Done | Failed] = []
    killed = False
    for result in analyse_many(jobs, processes=2, nice=0):
        results.append(result)
        if not killed:
            victim = multiprocessing.active_children()[0]
            os.kill(victim.pid or 0, signal.SIGKILL)
            killed = True
    assert sorted(r.job.briefing_id for r in results) == [f"id{i}" for i in range(6)]
    failed = [r for r in results if isinstance(r, Failed)]
    assert len(failed) <= 1
    assert all("ended on it" in r.message for r in failed)
    from brief_tui.analysis.model import Analysis

    done = [Analysis.from_cache(r.cache, r.job.text) for r in results if isinstance(r, Done)]
    assert len(done) >= 5 and all(a.briefing_id.startswith("id") and a.claims for a in done)
    assert multiprocessing.active_children() == []


def test_expand_paths(tmp_path: Path) -> None:
    import io

    from brief_tui.library.importer import expand_paths

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x\n")
    (tmp_path / "a" / ".h.txt").write_text("h\n")
    (tmp_path / "b.md").write_text("b\n")
    (tmp_path / "loop").symlink_to(tmp_path)  # a link back up: not followed
    paths, problems = expand_paths(
        [str(tmp_path), str(tmp_path / "*.md"), "-"],
        io.StringIO(f"{tmp_path / 'a' / 'x.txt'}\r\n\n{tmp_path / 'zz*'}\n"),
    )
    assert paths == [str(tmp_path / "b.md"), str(tmp_path / "a" / "x.txt")]  # each once
    assert problems == [f"{tmp_path / 'zz*'}: no file matches"]


# -- library --json / --jsonl --------------------------------------------------------------
@pytest.fixture(scope="module")
def big_library() -> Iterator[Path]:
    """A library of 3,000 briefings, one with a hostile title, built by the store itself
    (in memory-backed storage when there is some: a commit each is quick there)."""
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="brief-tui-test-", dir=base))
    try:
        with Store.open(folder) as store:
            for i in range(3000):
                store.add_briefing(
                    briefing_from_text(
                        f"Briefing {i}\n\nSeoul said on Monday that {i} troops moved.\n",
                        f"/briefings/{i:04}.txt",
                    )
                )
            store.add_briefing(
                briefing_from_text("Evil \x1b]52;c;aGk=\x07 \u202etitle\n\nBody.\n", "/x.txt")
            )
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_library_json_streams_the_same_listing(big_library: Path) -> None:
    with Store.open(big_library) as store:
        expected = library_listing(store)
    assert len(expected) == 3001
    proc = brief("library", "--json", data_dir=big_library)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected
    # the same text as the whole array written at once was
    from brief_tui.briefing.untrusted import json_escape_unsafe

    whole = json_escape_unsafe(json.dumps(expected, ensure_ascii=False, indent=2))
    assert proc.stdout == whole + "\n"
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout and "\x07" not in proc.stdout

    lines = brief("library", "--jsonl", data_dir=big_library)
    assert lines.returncode == 0, lines.stderr
    assert [json.loads(line) for line in lines.stdout.splitlines()] == expected
    assert "\x1b" not in lines.stdout and "\u202e" not in lines.stdout


def test_library_jsonl_arrives_while_running_and_stops_quietly(big_library: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief_tui", "library", "--jsonl", "--data-dir", str(big_library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = json.loads(proc.stdout.readline())
    # 3,000 rows fill the pipe many times over: the command is still writing
    assert proc.poll() is None
    assert first["title"].startswith("Evil")  # the most recently opened
    proc.stdout.close()  # the reader of the pipe goes away (as `| head -1` does)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


def test_library_json_empty(tmp_path: Path) -> None:
    for flag, out in (("--json", "[]\n"), ("--jsonl", "")):
        proc = brief("library", flag, data_dir=tmp_path / "data")
        assert proc.returncode == 0 and proc.stdout == out, proc.stderr
