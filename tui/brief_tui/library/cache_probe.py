"""A briefing's cached analysis, looked up (and read) before the store is opened.

The reader starts the analysis process at launch (spaCy then loads on the other core while
the reader draws) unless the analysis is cached: then the process would only compete with
the reader for the CPU, and the cached analysis is read at once instead, while the reader
draws its first frame. This look-up is what decides, so it is cheap and safe to get wrong: a
read-only query by the cache's keys, without opening the store (no checks, no migrations,
no writes). Any doubt (no file, a team library, a damaged or locked file, another schema,
no model) is "not cached", and the reader goes the usual way (opens the store, asks it,
starts the process when it has no answer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brief_tui.analysis.model import Analysis

#: seconds the look-up waits for a lock held by another brief-tui
_WAIT_S = 0.05

#: where a cached analysis would be: the database file and the cache's key
CacheKey = tuple[Path, tuple[str, str, str, str]]


def cache_key(
    briefing_id: str,
    model: str | None,
    *,
    library: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> CacheKey | None:
    """The local library's file and the key a cached analysis of ``briefing_id`` has there:
    by the model the reader would choose (``model``, else the default choice), at its
    installed version, by this analyser. None when there is no such file or model. The
    library is found as ``open_library`` finds it: ``library`` when it names a data dir,
    else ``data_dir``, else the default."""
    from brief_tui.library.paths import data_dir as resolve_data_dir
    from brief_tui.library.paths import db_path

    spec = library or None  # (as config.library_spec gives it: the environment's included)
    if spec is not None and "://" in str(spec):
        return None  # a server's library (a team library): asked when it is opened
    path = db_path(resolve_data_dir(spec if spec is not None else data_dir))
    if not path.is_file():
        return None
    from brief_tui.analysis.model import ANALYSER_VERSION
    from brief_tui.analysis.nlp import ModelUnavailable, choose_model, model_version

    try:
        name = choose_model(model)
    except ModelUnavailable:
        return None
    version = model_version(name)
    if version is None:
        return None
    return path, (briefing_id, name, version, ANALYSER_VERSION)


def analysis_cached(
    briefing_id: str,
    model: str | None,
    *,
    library: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> bool:
    """True when the local library caches the analysis of ``briefing_id`` (see
    :func:`cache_key`)."""
    key = cache_key(briefing_id, model, library=library, data_dir=data_dir)
    return key is not None and is_cached(key)


_WHERE = """c.briefing_id = ? AND c.model_name = ? AND c.model_version = ?
            AND c.analyser_version = ?"""


def is_cached(key: CacheKey) -> bool:
    """Whether the cache holds a row under ``key`` (its content is not read)."""
    rows = _query(key, f"SELECT 1 FROM analysis_cache c WHERE {_WHERE}")
    return bool(rows)


def read_cached(
    key: CacheKey, around: Callable[[], AbstractContextManager[object]] | None = None
) -> Analysis | None:
    """The analysis cached under ``key``: what the first screen shows decoded now, the rest
    when first asked for (inside ``around``); None when there is none or it cannot be read
    (the store is asked again later)."""
    rows = _query(
        key,
        f"""SELECT c.json, b.text FROM analysis_cache c
            LEFT JOIN briefings b ON b.id = c.briefing_id WHERE {_WHERE}""",
    )
    if not rows:
        return None
    raw, text = rows[0]
    if not isinstance(raw, str):
        return None
    from brief_tui.analysis.cache_row import FIRST_PARTS, collector_paused, decode_cached

    text = text if isinstance(text, str) else None
    return decode_cached(raw, text, first=FIRST_PARTS, around=around or collector_paused)


class ReadAhead:
    """A cached analysis being read in a thread of its own, from the moment its look-up
    found it (``around``: what the read runs inside, e.g. the reader's heap policy)."""

    def __init__(
        self,
        key: CacheKey,
        around: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.briefing_id = key[1][0]
        self._read: Future[Analysis | None] = Future()
        threading.Thread(
            target=self._run, args=(key, around), name="brief-tui cache read", daemon=True
        ).start()

    def _run(self, key: CacheKey, around: Callable[[], AbstractContextManager[object]]) -> None:
        analysis = None
        try:
            with around():
                analysis = read_cached(key, around)
        except Exception:  # noqa: BLE001 - read ahead: the store is asked again after it
            analysis = None
        finally:
            self._read.set_result(analysis)

    def result(self) -> Analysis | None:
        """The analysis (waiting for the read), or None if it could not be read."""
        return self._read.result()

    def when_read(self, callback: Callable[[Analysis | None], object]) -> None:
        """Call ``callback`` with :meth:`result` once it is read (at once if it is)."""
        self._read.add_done_callback(lambda done: callback(done.result()))


def read_ahead(
    briefing_id: str,
    model: str | None,
    *,
    library: str | Path | None = None,
    data_dir: str | Path | None = None,
    around: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> ReadAhead | None:
    """Start reading the cached analysis of ``briefing_id`` (see :func:`cache_key`) if the
    library holds one; None if it does not."""
    key = cache_key(briefing_id, model, library=library, data_dir=data_dir)
    if key is None or not is_cached(key):
        return None
    return ReadAhead(key, around)


def _query(key: CacheKey, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    path, values = key
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_WAIT_S)
    except (sqlite3.Error, ValueError, OSError):
        return []
    try:
        return list(conn.execute(sql, values).fetchmany(1))
    except sqlite3.Error:
        return []
    finally:
        conn.close()
