"""Whether the local library holds a briefing's analysis, asked before anything is opened.

The reader starts the analysis process at launch (spaCy then loads on the other core while
the reader draws) unless the analysis is cached: then the process would only compete with
the reader for the CPU while the cache is read. This look-up is what decides, so it is
cheap and safe to get wrong: a read-only query of the cache's keys, without opening the
store (no checks, no migrations, no writes), reading none of the row's content. Any doubt
(no file, a team library, a damaged or locked file, another schema, no model) is "not
known", and the process starts as before; a row that turns out unreadable later is a miss,
after which the reader starts the process itself.
"""

from __future__ import annotations

from pathlib import Path

#: seconds the look-up waits for a lock held by another brief-tui
_WAIT_S = 0.05


def analysis_cached(
    briefing_id: str,
    model: str | None,
    *,
    library: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> bool:
    """True when the local library caches the analysis of ``briefing_id`` by the model the
    reader would choose (``model``, else the default choice), at its installed version, by
    this analyser. The library is found as ``open_library`` finds it: ``library`` when it
    names a data dir, else ``data_dir``, else the default."""
    from brief_tui.library.paths import data_dir as resolve_data_dir
    from brief_tui.library.paths import db_path

    spec = library or None  # (as config.library_spec gives it: the environment's included)
    if spec is not None and "://" in str(spec):
        return False  # a server's library (a team library): asked when it is opened
    path = db_path(resolve_data_dir(spec if spec is not None else data_dir))
    if not path.is_file():
        return False
    from brief_tui.analysis.model import ANALYSER_VERSION
    from brief_tui.analysis.nlp import ModelUnavailable, choose_model, model_version

    try:
        name = choose_model(model)
    except ModelUnavailable:
        return False
    version = model_version(name)
    if version is None:
        return False
    return _row_exists(path, (briefing_id, name, version, ANALYSER_VERSION))


def _row_exists(path: Path, key: tuple[str, str, str, str]) -> bool:
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_WAIT_S)
    except (sqlite3.Error, ValueError, OSError):
        return False
    try:
        row = conn.execute(
            """SELECT 1 FROM analysis_cache WHERE briefing_id = ? AND model_name = ?
               AND model_version = ? AND analyser_version = ?""",
            key,
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None
