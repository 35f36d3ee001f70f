"""What needs a real terminal or a real pipe: the reader fed by standard input keeps the
keyboard; output piped into a reader that stops early ends quietly."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.procs import child_env, read_pty

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_reader_on_standard_input_takes_keys_from_the_terminal(tmp_path: Path) -> None:
    """``cat FILE | brief-tui -`` in a real terminal: the reader shows the text and quits on
    q (it used to read keys from the exhausted pipe, spin and ignore q)."""
    import pty

    doc = tmp_path / "t.txt"
    doc.write_text("Report\n\nThe Pentagon said troops moved.\n")
    env = child_env(tmp_path, TERM="xterm-256color")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child: a shell pipeline in the pty
        os.execve(
            "/bin/sh",
            [
                "/bin/sh",
                "-c",
                f'cat "{doc}" | "{sys.executable}" -m brief_tui - --no-analysis; echo "EXIT=$?"',
            ],
            env,
        )
    try:
        out = read_pty(fd, b"Pentagon", 30)
        assert b"Pentagon" in out
        time.sleep(0.5)
        os.write(fd, b"q")
        out += read_pty(fd, b"EXIT=", 10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"EXIT=0" in out


@pytest.mark.slow
@pytest.mark.parametrize("command", [["library", "--json"], ["analyze", "{doc}", "--json"]])
def test_output_into_head_ends_quietly(tmp_path: Path, command: list[str]) -> None:
    doc = tmp_path / "long.txt"
    doc.write_text("Long report\n\n" + "The minister said troops moved to the border. " * 3000)
    env = child_env(tmp_path, TERM="xterm-256color")
    # a library long enough that its JSON does not fit the pipe's buffer
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store import Store

    store = Store.open(tmp_path / "data")
    for i in range(400):
        store.add_briefing(briefing_from_text(f"Briefing {i}\n\nText {i}.\n", f"/b/{i}.txt"))
    store.close()
    args = [a.replace("{doc}", str(doc)) for a in command]
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # as head -1 does, then goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    status = proc.wait(timeout=120)
    assert first.strip() in (b"[", b"{")
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert status == 0


@pytest.mark.slow
def test_analyze_is_readable_at_80_columns(tmp_path: Path) -> None:
    """At 80 columns the tables keep their essential columns and the claims come one a
    block: no column squeezed to a few letters a line."""
    from rich.cells import cell_len

    sample = REPO / "seeds" / "north-korean-troops-in-russia.txt"
    env = child_env(tmp_path, TERM="xterm-256color")
    env["COLUMNS"] = "80"
    out = subprocess.run(
        [sys.executable, "-m", "brief_tui", "analyze", str(sample)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    flat = " ".join(out.stdout.split())
    # a claim's content reads as a sentence, its source and cue on the line above
    assert "Lee Seong-kweun said" in flat
    assert "dragging in new players" in flat
    assert "hedges: possibly" in flat
