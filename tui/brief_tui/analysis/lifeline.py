"""What the analysis child and its forks both need: dying with the process that started
them (a module of its own, so that neither imports the other)."""

from __future__ import annotations

import sys


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends, however it ends (a reader
    killed while spaCy loads would otherwise leave a process loading for seconds)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not glibc-like: the checks in progress() remain
        pass
