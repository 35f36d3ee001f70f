"""The side panel: one widget per tab (actors.py, claims.py, sources.py, notes.py, across.py,
timeline.py), the panel itself (side.py), the Line-API list they share (lines.py) and what
they draw from (base.py)."""

from brief_tui.ui.panel.across import AcrossPane, AcrossTab, FiguresPane
from brief_tui.ui.panel.actors import ActorList
from brief_tui.ui.panel.base import (
    CLAIMS_SHOWN,
    SOURCE_KINDS,
    PanelData,
    PanelList,
    claim_excerpt,
    plural,
    source_label,
)
from brief_tui.ui.panel.claims import ClaimList
from brief_tui.ui.panel.lines import Column, LineList, Row
from brief_tui.ui.panel.notes import NotesList
from brief_tui.ui.panel.side import TABS, SidePanel, reader_list_bindings
from brief_tui.ui.panel.sources import SourceList
from brief_tui.ui.panel.timeline import EventList, TimelineTab

__all__ = [
    "CLAIMS_SHOWN",
    "SOURCE_KINDS",
    "TABS",
    "AcrossPane",
    "AcrossTab",
    "ActorList",
    "ClaimList",
    "Column",
    "EventList",
    "FiguresPane",
    "LineList",
    "NotesList",
    "PanelData",
    "PanelList",
    "Row",
    "SidePanel",
    "SourceList",
    "TimelineTab",
    "claim_excerpt",
    "plural",
    "reader_list_bindings",
    "source_label",
]
