"""Across and Figures read only the briefings whose analysis names what is looked up (an
index kept with the analysis cache): their answers equal a read of the whole library, an
analysis cached before the index existed is indexed when first needed, and a name found in
more briefings than are read says so by reading the most recently opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from brief_tui.briefing import Briefing
from brief_tui.library import crossref
from brief_tui.library.crossref import across, across_actor, across_source, figures_across
from brief_tui.library.store import Store
from brief_tui.library.store.protocol import Candidates
from tests.test_library import library, store

__all__ = ["library", "store"]


class WholeLibrary(Store):
    """The SQLite store without its index: every analysed briefing is read (as before)."""

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates | None:
        return None

    def unanalysed_naming(self, forms: Sequence[str], *, limit: int) -> list[str] | None:
        return None


def whole(path: Path) -> Store:
    return WholeLibrary.open(path)


def every_lookup(s: Store, briefings: dict[str, Briefing]) -> list[object]:
    out: list[object] = [figures_across(s, None)]
    for b in briefings.values():
        an = s.latest_cached_analysis(b.id)
        out.append(figures_across(s, b.id))
        out.append(figures_across(s, b.id, unit="troops"))
        if an is None:
            continue
        out += [across_actor(s, b.id, a) for a in an.actors]
        out += [across_source(s, b.id, an, src) for src in an.sources]
    out.append(across(s, "", "NIS"))  # D is never analysed: found in its text
    return out


def test_the_index_answers_as_a_read_of_the_whole_library(
    store: Store, library: dict[str, Briefing], tmp_path: Path
) -> None:
    indexed = every_lookup(store, library)
    assert any(indexed[1:])  # (the library has hits to compare)
    assert indexed == every_lookup(whole(tmp_path / "data"), library)
    nis = across(store, "", "NIS")
    assert {h.briefing_id for h in nis} == {library[k].id for k in "abd"}
    assert next(h for h in nis if h.briefing_id == library["d"].id).analysed is False


def test_analyses_cached_before_the_index_are_indexed_when_needed(
    store: Store, library: dict[str, Briefing], tmp_path: Path
) -> None:
    before = every_lookup(store, library)
    db = tmp_path / "data" / "library.sqlite3"
    with sqlite3.connect(db) as conn:  # as a library of schema 4 migrated to 5
        conn.execute("DELETE FROM across_keys")
        conn.execute("DELETE FROM across_indexed")
    with Store.open(tmp_path / "data") as reopened:
        assert every_lookup(reopened, library) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM across_indexed").fetchone()[0] == 3
        keys = {r[0] for r in conn.execute("SELECT key FROM across_keys")}
    assert {"name:national intelligence service", "unit:troop"} <= keys


def test_removing_a_briefing_removes_its_keys(
    store: Store, library: dict[str, Briefing], tmp_path: Path
) -> None:
    store.remove_briefing(library["a"].id)
    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as conn:
        left = conn.execute(
            "SELECT count(*) FROM across_keys WHERE briefing_id = ?", (library["a"].id,)
        ).fetchone()[0]
    assert left == 0
    assert library["a"].id not in {h.briefing_id for h in across(store, "", "NIS")}


def test_a_common_name_reads_the_most_recently_opened(
    store: Store, library: dict[str, Briefing], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crossref, "MAX_BRIEFINGS", 1)
    store.touch_briefing(library["a"].id)  # A is now the last opened
    found = store.across_candidates(["name:national intelligence service"], limit=1)
    assert found is not None and found.more == 1
    assert [info.id for info, _, _ in found.found] == [library["a"].id]
    hits = across(store, "", "National Intelligence Service")
    assert [h.briefing_id for h in hits if h.analysed] == [library["a"].id]
    assert hits.more == 1  # the pane says so
    # Figures of a briefing older than those read still count its own figures
    store.touch_briefing(library["c"].id)
    (m,) = figures_across(store, library["b"].id)
    assert set(m.briefing_ids) == {library["b"].id, library["c"].id}
