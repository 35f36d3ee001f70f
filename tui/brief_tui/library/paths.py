"""Where brief-tui keeps its data. Functions only: nothing is computed or created at import."""

from __future__ import annotations

import os
from pathlib import Path

#: environment variable that overrides the data directory (the CLI's --data-dir wins over it)
ENV_DATA_DIR = "BRIEF_TUI_DATA_DIR"
#: file name of the SQLite database inside the data directory
DB_NAME = "library.sqlite3"


def data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory: ``explicit`` if given, else ``$BRIEF_TUI_DATA_DIR``, else
    ``platformdirs.user_data_dir("brief-tui")``. The directory is not created here."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("brief-tui", appauthor=False))


def db_path(data_dir: str | Path) -> Path:
    """The database file inside ``data_dir``."""
    return Path(data_dir) / DB_NAME


def drafts_dir(data_dir: str | Path) -> Path:
    """Where notes that could not be saved yet are kept, beside the database."""
    return Path(data_dir) / "drafts"
