"""What an open checks. Every open checks the reader's own work (annotations, undo); the
briefings' texts, whose pages are most of a large library, are checked with the whole file
(once a day, and after damage was met). Damage in a text is then met when it is read: a
one-line StoreDamaged, the notes untouched, and the next open checks and salvages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text
from brief_tui.library import paths
from brief_tui.library.store import Store, StoreDamaged

TEXT = "The Kremlin said on Monday that talks would resume. " * 40


def _leaf_of(db: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    leaves = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype IN ('leaf', 'overflow') "
            "ORDER BY pageno",
            (table,),
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(leaves) > 5
    return leaves[len(leaves) // 2], size


def test_damage_in_a_text_is_met_when_read_and_salvaged_next(tmp_path: Path) -> None:
    d = tmp_path / "data"
    briefings = [briefing_from_text(f"Report {i}\n\n{TEXT}", f"r{i}.txt") for i in range(60)]
    with Store.open(d) as s:  # the first open checks the whole file and records it
        for b in briefings:
            s.add_briefing(b)
        s.add_annotation(briefings[0].id, "note", start=0, end=6, note="kept")
    db = paths.db_path(d)
    page, size = _leaf_of(db, "briefings")
    with open(db, "r+b") as f:
        f.seek((page - 1) * size + 8)
        f.write(bytes((i * 131 + 7) % 256 for i in range(size - 8)))

    # the full check is not due: this open does not read the texts, and succeeds
    s = Store.open(d, repair=True)
    assert s.warning is None
    assert [a.note for a in s.annotations(briefings[0].id)] == ["kept"]
    with pytest.raises(StoreDamaged) as e:
        for b in briefings:
            s.get_briefing(b.id)
    assert len(str(e.value).splitlines()) == 1
    s.close()

    # having met the damage, the next open checks everything and salvages the rest
    with Store.open(d, repair=True) as again:
        assert again.warning is not None and "salvaged" in again.warning
        assert [a.note for a in again.annotations(briefings[0].id)] == ["kept"]
        assert 40 <= len(again.list_briefings()) < 60
