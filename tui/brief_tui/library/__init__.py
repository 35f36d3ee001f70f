"""The library layer: the local store (briefings, annotations, undo, analysis cache),
annotation anchoring and export. No Textual here."""

from brief_tui.library.anchoring import (
    ReanchorReport,
    Selector,
    make_selector,
    reanchor,
    reanchor_all,
)
from brief_tui.library.annotations import Annotation
from brief_tui.library.export import export_markdown, export_w3c_json
from brief_tui.library.paths import data_dir, db_path
from brief_tui.library.store import (
    BriefingInfo,
    Store,
    StoreBusy,
    StoreError,
    StoreReadOnly,
)

__all__ = [
    "Annotation",
    "BriefingInfo",
    "ReanchorReport",
    "Selector",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
    "data_dir",
    "db_path",
    "export_markdown",
    "export_w3c_json",
    "make_selector",
    "reanchor",
    "reanchor_all",
]
