"""The analysis in a process of its own, streaming its progress as JSON lines.

Why a process and not a thread: spaCy and the document-wide steps are CPU work that holds
the interpreter lock; in a thread they slowed every key the reader pressed (entity jumps
took up to a second while a 100k-word briefing was analysed) and the reader's frames slowed
the analysis in turn. In a process of its own the analysis has a core to itself, and it can
start (importing spaCy and loading the model take seconds) while the reader is still
drawing its first frame.

Protocol. The parent writes one line of JSON to the child's stdin, then the briefing's text
in UTF-8 (not inside the JSON: encoding 1.8 MB of text as JSON took the reader ~20 ms of its
first frame), and closes it::

    {"title": ..., "briefing_id": ..., "model": name or null,
     "batch_chars": n, "progress_interval": seconds, "processes": n or absent}\n
    <the text>

The child answers with one JSON object per line on stdout:

    {"event": "loaded", "model": name, "version": version, "warning": text or ""}
    {"event": "progress", "fraction": f, "analysis": {...}}   (zero or more)
    {"event": "done", "analysis": {...}}
    {"event": "error", "kind": "model" | "failed", "message": "..."}

A long text is split across the cores (``processes``, default: every core the child may
use): forks of the child make the records of its last paragraphs (see ``analyze``). The
child runs at a lower priority (``os.nice``), its forks too: the reader keeps its keys.
Partial results are assembled and written by short-lived forks of the child (Linux), so
that spaCy never waits for them; the child waits for a fork still writing before it writes
``done`` or ``error``, so lines never interleave.

An analysis on the wire is in the compact form of the analysis cache
(``Analysis.to_cache``) without the briefing text (the parent has it). The child ends
itself if its parent goes away.

Run as ``python -m brief_tui.analysis.child``; :class:`AnalysisProcess` is the parent side.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from .lifeline import die_with_parent

if TYPE_CHECKING:
    from .model import Analysis


class AnalysisProcessError(Exception):
    """The analysis process failed or ended without a result."""


@dataclass
class Event:
    kind: str  # loaded | progress | done | error
    fraction: float = 0.0
    analysis: Analysis | None = None
    model: str = ""
    version: str = ""
    error_kind: str = ""
    message: str = ""


def _wire(analysis: Analysis) -> dict[str, Any]:
    return analysis.to_cache(with_text=False)


def _unwire(data: dict[str, Any], text: str) -> Analysis:
    from .model import Analysis  # on the parent's reading thread, not on its start-up path

    return Analysis.from_cache(data, text)


# ---------------------------------------------------------------------------- parent side
class AnalysisProcess:
    """A running analysis child. Start it early: its imports overlap the reader's start."""

    #: characters per batch of paragraphs (see ``analyze``)
    BATCH_CHARS = 50_000
    #: at most one partial result per this many seconds: each is serialised here and
    #: read back by the reader, which shares a core with the reader's frames
    PROGRESS_INTERVAL = 2.0

    def __init__(
        self,
        text: str,
        *,
        title: str,
        briefing_id: str,
        model: str | None = None,
    ) -> None:
        self.text = text
        self.briefing_id = briefing_id
        self._stopped = False
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "brief_tui.analysis.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        _lower_priority(self._proc.pid)  # at once: the child's own start-up yields too
        header = json.dumps(
            {
                "title": title,
                "briefing_id": briefing_id,
                "model": model,
                "batch_chars": self.BATCH_CHARS,
                "progress_interval": self.PROGRESS_INTERVAL,
            },
            ensure_ascii=False,
        )
        request = header.encode("utf-8") + b"\n" + text.encode("utf-8")
        # a big briefing fills the pipe: write from a thread so the caller never waits
        self._writer = threading.Thread(
            target=self._write, args=(self._proc.stdin, request), daemon=True
        )
        self._writer.start()

    @staticmethod
    def _write(pipe: IO[bytes] | None, data: bytes) -> None:
        if pipe is None:
            return
        try:
            pipe.write(data)
            pipe.close()
        except (BrokenPipeError, OSError, ValueError):  # the child was stopped first
            pass

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    @property
    def pid(self) -> int:
        """The process id (to watch it, or signal it, from outside)."""
        return self._proc.pid

    def events(self) -> Iterator[Event]:
        """The child's events as they come (blocks; meant for a worker thread). Ends after
        ``done`` or ``error``; raises :class:`AnalysisProcessError` if the child ends
        without either (it crashed, ran out of memory or was stopped)."""
        stdout = self._proc.stdout
        assert stdout is not None
        for raw in stdout:
            try:
                msg = json.loads(raw)
            except ValueError:
                continue  # not ours (a library printing to stdout): skip it
            kind = msg.get("event")
            if kind == "loaded":
                # message: the model's files differ from the tested ones ("" when not)
                yield Event(
                    "loaded",
                    model=msg["model"],
                    version=msg["version"],
                    message=msg.get("warning") or "",
                )
            elif kind in ("progress", "done"):
                analysis = _unwire(msg["analysis"], self.text)
                yield Event(kind, fraction=msg.get("fraction", 1.0), analysis=analysis)
                if kind == "done":
                    self._proc.wait()
                    return
            elif kind == "error":
                yield Event("error", error_kind=msg.get("kind", ""), message=msg.get("message", ""))
                self._proc.wait()
                return
        code = self._proc.wait()
        if self._stopped:
            return  # stopped on purpose: nobody waits for the result
        raise AnalysisProcessError(f"the analysis process ended without a result (exit {code})")

    def stop(self) -> None:
        """Stop the child (a result nobody waits for any more). Safe to call twice and
        from another thread than the one reading :meth:`events`, which then ends."""
        self._stopped = True
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


def _lower_priority(pid: int) -> None:
    """The reader's frames and keys come first: the analysis process (``pid``, 0: this
    one) and its forks run at a lower priority than the reader, and take what the reader
    leaves of the cores. Set by the parent as soon as the child is started (its Python
    start-up and imports then yield to the reader's too), else by the child itself."""
    from .pool import NICE

    with contextlib.suppress(OSError, AttributeError):  # (no priorities: as it may)
        reader = os.getpriority(os.PRIO_PROCESS, os.getppid() if pid == 0 else 0)
        if os.getpriority(os.PRIO_PROCESS, pid) < reader + NICE:
            os.setpriority(os.PRIO_PROCESS, pid, min(reader + NICE, 19))


# ---------------------------------------------------------------------------- child side
def _send(out: IO[str], msg: dict[str, Any]) -> None:
    out.write(json.dumps(msg, ensure_ascii=False, separators=(",", ":")) + "\n")
    out.flush()


def main() -> int:
    # nothing but the protocol goes to stdout; anything a library prints goes to stderr
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    die_with_parent()
    parent = os.getppid()
    if parent == 1:  # the reader ended before this process got this far
        return 0
    request = json.loads(sys.stdin.buffer.readline().decode("utf-8"))
    text = sys.stdin.buffer.read().decode("utf-8")

    from .pool import cpu_count

    _lower_priority(0)  # (when the parent could not: its forks inherit it)

    from .nlp import ModelUnavailable, load_model
    from .pipeline import analyze

    try:
        loaded = load_model(request.get("model"))
    except ModelUnavailable as e:
        _send(out, {"event": "error", "kind": "model", "message": str(e)})
        return 0
    _send(
        out,
        {
            "event": "loaded",
            "model": loaded.name,
            "version": loaded.version,
            "warning": loaded.warning,
        },
    )

    def reader_check() -> None:
        if os.getppid() != parent:  # the reader is gone: nobody reads this any more
            os._exit(0)

    def progress(partial: Analysis, fraction: float) -> None:
        # partial results come from forks of this process (see ``analyze``), the last from
        # this process
        if fraction < 1.0:
            _send(out, {"event": "progress", "fraction": fraction, "analysis": _wire(partial)})

    try:
        result = analyze(
            text,
            title=request.get("title", ""),
            briefing_id=request.get("briefing_id", ""),
            model=loaded,
            on_progress=progress,
            batch_chars=int(request.get("batch_chars", 50_000)),
            progress_interval=float(request.get("progress_interval", 2.0)),
            fork_partials=True,
            on_batch=reader_check,
            processes=int(request.get("processes") or cpu_count()),
        )
        _send(out, {"event": "done", "analysis": _wire(result)})
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - reported to the reader, who shows it
        _send(out, {"event": "error", "kind": "failed", "message": f"{type(e).__name__}: {e}"})
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # at once: tearing down spaCy's model and the analysis takes an interpreter 0.3-0.5 s
    # that nobody waits for (everything written has been flushed)
    sys.stderr.flush()
    os._exit(code)
