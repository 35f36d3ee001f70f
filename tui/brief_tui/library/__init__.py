"""The library layer: the local store (briefings, annotations, undo, analysis cache; the
package ``store``, behind the ``LibraryStore`` interface), annotation anchors and
re-anchoring (above the store), cross-references and export. No Textual here.

The names below are loaded on first use, so importing one small module of the layer (the
annotation record, say) does not load SQLite, RapidFuzz and the exporters with it."""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ReanchorReport": "anchoring",
    "Selector": "anchoring",
    "make_selector": "anchoring",
    "reanchor": "reanchor",
    "reanchor_all": "reanchor",
    "Annotation": "annotations",
    "export_markdown": "export",
    "export_w3c_json": "export",
    "data_dir": "paths",
    "db_path": "paths",
    "BriefingInfo": "store",
    "LibraryStore": "store",
    "Store": "store",
    "StoreBusy": "store",
    "StoreError": "store",
    "StoreReadOnly": "store",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
