"""Limits on the work a document can cause: the time budget for turning a document's bytes
into text, and the cap on the text extracted (a small compressed PDF can hold far more
text than its size).

The time budget is enforced two ways. Code of this package calls :meth:`Budget.check`
between steps (pages, blocks). Inside a library call (pypdf parsing one huge content stream,
lxml, trafilatura) nothing of ours runs: on the main thread a timer signal (SIGALRM)
interrupts it; on another thread only the checks between steps apply.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

from brief_tui.briefing import model
from brief_tui.briefing.model import BriefingError

#: seconds allowed for reading one document into text (decoding, parsing, extracting); a
#: 300-page PDF takes a few seconds, an HTML page a fraction of one
EXTRACT_SECONDS = 20.0
#: after the budget has run out, the timer fires again this often, in case library code
#: swallowed the first interruption
_REPEAT = 0.2


class BudgetExceeded(BaseException):
    """Raised inside extraction when the time budget has run out. A BaseException so that
    a library's ``except Exception`` does not swallow it; turned into a BriefingError."""


class TextTooLarge(BriefingError):
    """The text extracted so far has passed the size limit."""


def max_text() -> int:
    """The cap on the characters of text extracted from one document (read at call time,
    so that a test can lower it)."""
    return model.MAX_BYTES


def extract_seconds() -> float:
    return EXTRACT_SECONDS


class Budget:
    """The deadline and the text count of one document's extraction."""

    def __init__(self, seconds: float, max_chars: int) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.max_chars = max_chars
        self.chars = 0

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded

    def add_text(self, n: int) -> None:
        """Count ``n`` more characters of extracted text; raises TextTooLarge past the cap."""
        self.chars += n
        if self.chars > self.max_chars:
            raise TextTooLarge(
                f"its text is larger than the {_mb(self.max_chars)} limit (it inflates far"
                " past the file's size); not opened"
            )


_local = threading.local()


def current() -> Budget:
    """The budget of the extraction running on this thread (a generous one when none runs,
    so that format handlers can be called on their own)."""
    budget: Budget | None = getattr(_local, "budget", None)
    if budget is None:
        return Budget(extract_seconds(), max_text())
    return budget


@contextlib.contextmanager
def budget(seconds: float | None = None) -> Iterator[Budget]:
    """The extraction's budget for this thread; on the main thread a timer signal enforces
    its deadline inside library code too (unless someone else uses SIGALRM)."""
    b = Budget(extract_seconds() if seconds is None else seconds, max_text())
    previous = getattr(_local, "budget", None)
    _local.budget = b
    use_alarm = (
        previous is None
        and threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, _expired)
    )
    if use_alarm:
        signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, max(b.seconds, 0.001), _REPEAT)
    try:
        yield b
    finally:
        _local.budget = previous
        if use_alarm:
            _stop_alarm()


def _expired(signum: int, frame: FrameType | None) -> None:
    raise BudgetExceeded


def _stop_alarm() -> None:
    # the timer may fire while it is being stopped: stop it again until it is stopped
    for _ in range(100):
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            return
        except BudgetExceeded:
            continue


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} characters"
