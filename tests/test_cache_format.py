"""The analysis cache's private compact form, and what Store.open checks when.

The cache keeps ``Analysis.to_cache()`` (arrays, columns, no briefing text when the store has
it); the public ``Analysis.to_json()`` schema is unchanged. Opening checks the tables holding
the reader's work every time and the whole file once a day, or after SQLite met damage."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pytest

from brief_tui.analysis import analyze
from brief_tui.analysis import model as analysis_model
from brief_tui.analysis.cache_row import CACHE_ROW, FIRST_PARTS, cache_row, read_cache_row
from brief_tui.analysis.model import (
    CACHE_PARTS,
    SCHEMA,
    Analysis,
    Claim,
    Cue,
    Entity,
    Figure,
    Hedge,
    Mention,
    Span,
    TextSpan,
)
from brief_tui.briefing import Briefing, briefing_from_text
from brief_tui.library import paths
from brief_tui.library.cache_probe import read_cached
from brief_tui.library.store import FULL_CHECK_EVERY_S, Store, StoreDamaged

KEYS = ("model_name", "model_version", "analyser_version")


@pytest.fixture(scope="module")
def sample_briefing(sample_text: str) -> Briefing:
    return briefing_from_text(sample_text, "/briefings/sample.txt")


@pytest.fixture(scope="module")
def sample(loaded_model, sample_briefing: Briefing) -> Analysis:
    b = sample_briefing
    return analyze(b.text, title=b.title, briefing_id=b.id, model=loaded_model)


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def _keys(an: Analysis) -> tuple[str, str, str, str]:
    return (an.briefing_id, an.model_name, an.model_version, an.analyser_version)


def _raw_rows(store: Store) -> list[str]:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        return [r[0] for r in conn.execute("SELECT json FROM analysis_cache")]
    finally:
        conn.close()


def _set_row(store: Store, data: str) -> None:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE analysis_cache SET json = ?", (data,))
    conn.commit()
    conn.close()


# -- the public JSON form does not change -------------------------------------------------------
def _reference_to_json(an: Analysis) -> dict[str, Any]:
    """``Analysis.to_json`` as it was written with ``dataclasses.asdict``."""

    def claim_json(c: Claim) -> dict[str, Any]:
        d = asdict(c)
        d["hedges"] = [{**asdict(h), "band": list(h.band) if h.band else None} for h in c.hedges]
        return d

    return {
        "schema": SCHEMA,
        "briefing": {
            "id": an.briefing_id,
            "title": an.title,
            "chars": len(an.text),
            "text": an.text,
        },
        "model": {"name": an.model_name, "version": an.model_version},
        "analyser_version": an.analyser_version,
        "entities": [asdict(e) for e in an.entities],
        "actors": [asdict(a) for a in an.actors],
        "sources": [asdict(s) for s in an.sources],
        "claims": [claim_json(c) for c in an.claims],
        "sentences": [asdict(s) for s in an.sentences],
        "profile": an.profile,
        "measures": [{**asdict(m), "figures": [list(f) for f in m.figures]} for m in an.measures],
    }


def test_to_json_is_the_public_schema_unchanged(sample: Analysis) -> None:
    assert sample.claims and sample.measures and any(c.hedges for c in sample.claims)
    want = json.dumps(_reference_to_json(sample), ensure_ascii=False)
    assert json.dumps(sample.to_json(), ensure_ascii=False) == want  # keys in the same order
    assert Analysis.from_json(json.loads(want)) == sample


def test_value_records_stay_hashable() -> None:
    assert len({Span(1, 2), Span(1, 2), Span(1, 3)}) == 2
    hedge = Hedge(0, 4, "may", "unlikely", (0.2, 0.45))
    assert hash(hedge) == hash(Hedge(0, 4, "may", "unlikely", (0.2, 0.45)))
    for value in (
        TextSpan(0, 1, "a"),
        Entity(0, 1, "GPE", "a", "a1"),
        Mention(0, 1, "a"),
        Cue(0, 4, "said", "neutral"),
        Figure(0, 3, "100", 100.0, None, "troop", "m1"),
    ):
        assert {value: 1}[value] == 1


def test_the_cache_layout_names_every_field() -> None:
    """The column layouts of ``to_cache`` follow the classes' fields: a field added to a
    class must be added there too (and CACHE_FORMAT's number raised)."""
    assert tuple(f.name for f in fields(Span)) == analysis_model._SPAN
    assert tuple(f.name for f in fields(Entity)) == analysis_model._ENTITY
    assert tuple(f.name for f in fields(Mention)) == analysis_model._MENTION
    layouts = {
        Analysis: 13,
        Claim: 11,
        Cue: 4,
        TextSpan: 3,
        Hedge: 5,
        Figure: 7,
        analysis_model.Actor: 6,
        analysis_model.Source: 8,
        analysis_model.Measure: 4,
    }
    for cls, n in layouts.items():
        assert len(fields(cls)) == n, cls.__name__


# -- the cache round trip -----------------------------------------------------------------------
def test_real_analysis_round_trips_through_the_cache(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    got = store.get_cached_analysis(*_keys(sample))
    assert got is not None
    assert got == sample
    assert got.to_json() == sample.to_json()
    latest = store.latest_cached_analysis(sample.briefing_id)
    assert latest == sample
    # stored compactly, without the text the briefings table holds
    (raw,) = _raw_rows(store)
    row = json.loads(raw)
    assert row["schema"] == CACHE_ROW
    head = row["head"]
    assert head["briefing"][2] == len(sample.text) and head["briefing"][3] is None
    assert len(raw) < len(json.dumps(sample.to_json(), ensure_ascii=False)) / 2
    assert store.claim_counts() == {sample.briefing_id: len(sample.claims)}
    # a window of the library asks for its own briefings only
    assert store.claim_counts([sample.briefing_id, "f" * 64]) == {
        sample.briefing_id: len(sample.claims)
    }
    assert store.claim_counts(["f" * 64]) == {}


def test_text_is_kept_when_the_store_does_not_hold_it(store: Store, sample: Analysis) -> None:
    store.put_cached_analysis(sample)  # its briefing was never added
    (raw,) = _raw_rows(store)
    assert json.loads(raw)["head"]["briefing"][3] == sample.text
    assert store.get_cached_analysis(*_keys(sample)) == sample
    assert store.latest_cached_analysis(sample.briefing_id) == sample


def test_a_stored_briefing_with_another_text_does_not_lend_it(
    store: Store, sample: Analysis
) -> None:
    other = briefing_from_text("Something else entirely.\n", "/briefings/other.txt")
    store.add_briefing(other)
    # an analysis filed under that briefing's id but of another text keeps its own text
    odd = Analysis.from_json(
        {**sample.to_json(), "briefing": {**sample.to_json()["briefing"], "id": other.id}}
    )
    store.put_cached_analysis(odd)
    got = store.get_cached_analysis(*_keys(odd))
    assert got is not None and got.text == sample.text and got == odd


def test_in_memory_round_trip_does_not_share_lists(sample: Analysis) -> None:
    back = Analysis.from_cache(sample.to_cache())
    assert back == sample
    back.actors[0].aliases.append("x")
    back.profile["x"] = 1
    assert "x" not in sample.actors[0].aliases and "x" not in sample.profile


# -- a row in parts, decoded part by part ---------------------------------------------------------
@pytest.mark.parametrize("first", [(), FIRST_PARTS, CACHE_PARTS, ("claims",)])
@pytest.mark.parametrize("with_text", [True, False])
def test_a_row_in_parts_reads_back_exactly_the_same_analysis(
    sample: Analysis, first: tuple[str, ...], with_text: bool
) -> None:
    row = cache_row(sample.to_cache(with_text=with_text))
    back = read_cache_row(row, None if with_text else sample.text, first=first)
    assert isinstance(back, Analysis)
    assert back == sample and sample == back  # (either way round)
    assert back == Analysis.from_cache(sample.to_cache())
    for f in fields(Analysis):
        assert getattr(back, f.name) == getattr(sample, f.name), f.name
    assert back.to_json() == sample.to_json() and back.to_cache() == sample.to_cache()
    assert repr(back) == repr(sample)
    assert back.unreadable_parts == []  # type: ignore[attr-defined]


def test_a_damaged_later_part_reads_as_empty_when_read_ahead(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    """The reader's first read decodes what its first screen shows: a later part found
    damaged when asked for reads as empty (never an error); the store's own reads, which
    decode every part, call the row a miss."""
    d = sample.to_cache(with_text=False)
    d["claims"][0].pop()
    row = cache_row(d)
    with pytest.raises(ValueError):
        read_cache_row(row, sample.text, first=CACHE_PARTS)
    back = read_cache_row(row, sample.text, first=FIRST_PARTS)
    assert back.entities == sample.entities and back.actors == sample.actors
    assert back.claims == [] and back.unreadable_parts == ["claims"]  # type: ignore[attr-defined]
    assert back.sources == sample.sources and back.measures == sample.measures

    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    _set_row(store, row)
    assert store.get_cached_analysis(*_keys(sample)) is None
    assert store.path is not None
    key = (store.path, _keys(sample))
    ahead = read_cached(key)
    assert ahead is not None and ahead.entities == sample.entities and ahead.claims == []


def test_a_part_asked_for_by_two_threads_is_decoded_once(sample: Analysis) -> None:
    back = read_cache_row(cache_row(sample.to_cache()), first=())
    got: list[object] = []
    ready = threading.Barrier(4)

    def ask() -> None:
        ready.wait()
        got.append(back.claims)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(g is got[0] for g in got) and got[0] == sample.claims


# -- rows in other forms ------------------------------------------------------------------------
def test_row_in_the_public_form_is_still_read(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    """Rows cached before the compact form hold to_json(): read as they are."""
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    _set_row(store, json.dumps(sample.to_json(), ensure_ascii=False))
    assert store.get_cached_analysis(*_keys(sample)) == sample
    assert store.latest_cached_analysis(sample.briefing_id) == sample
    assert store.claim_counts() == {sample.briefing_id: len(sample.claims)}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.update(schema="brief-tui/analysis-cache@0"), id="older-format"),
        pytest.param(lambda d: d.update(schema="brief-tui/analysis-cache@99"), id="newer-format"),
        pytest.param(lambda d: d.pop("schema"), id="no-format"),
        pytest.param(lambda d: d["entities"][0].pop(), id="short-column"),
        pytest.param(lambda d: d["entities"].pop(), id="missing-column"),
        pytest.param(lambda d: d["claims"][0].pop(), id="short-claim"),
        pytest.param(lambda d: d["briefing"].__setitem__(2, 5), id="other-text-length"),
        pytest.param(lambda d: d.pop("actors"), id="no-actors"),
    ],
)
def test_unreadable_row_is_a_miss_not_an_error(
    store: Store, sample_briefing: Briefing, sample: Analysis, change
) -> None:
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    d = sample.to_cache(with_text=False)  # (a row in one object, as written before parts)
    change(d)
    _set_row(store, json.dumps(d))
    assert store.get_cached_analysis(*_keys(sample)) is None
    assert store.latest_cached_analysis(sample.briefing_id) is None
    store.put_cached_analysis(sample)  # the next analysis replaces it
    assert store.get_cached_analysis(*_keys(sample)) == sample


def test_a_row_in_one_object_is_still_read(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    """Rows cached before the parts (CACHE_FORMAT in one object) are read as they are."""
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    _set_row(store, json.dumps(sample.to_cache(with_text=False), separators=(",", ":")))
    assert store.get_cached_analysis(*_keys(sample)) == sample
    assert store.claim_counts() == {sample.briefing_id: len(sample.claims)}


def _with_head(raw: str, change) -> str:
    """A row in parts with its head changed (its parts left where they are)."""
    start = len('{"schema":"' + CACHE_ROW + '","head":')
    head, end = json.JSONDecoder().raw_decode(raw, start)
    change(head)
    return raw[:start] + json.dumps(head, separators=(",", ":")) + raw[end:]


def _shift(head: dict, part: str, by: int, which: int = 0) -> None:
    head["parts"][part][which] += by


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda r: r.replace(CACHE_ROW, CACHE_ROW[:-1] + "9", 1), id="newer-format"),
        pytest.param(lambda r: r[:-20] + "}", id="cut-short"),
        pytest.param(lambda r: _with_head(r, lambda h: _shift(h, "claims", 1)), id="moved"),
        pytest.param(
            lambda r: _with_head(r, lambda h: _shift(h, "measures", 10**6, 1)), id="past-the-end"
        ),
        pytest.param(
            lambda r: _with_head(r, lambda h: h["parts"].update(entities=["12", "40"])),
            id="offsets-not-numbers",
        ),
        pytest.param(lambda r: _with_head(r, lambda h: h.pop("parts")), id="no-parts"),
        pytest.param(
            lambda r: _with_head(r, lambda h: h["briefing"].__setitem__(2, 5)),
            id="other-text-length",
        ),
        pytest.param(
            lambda r: re.sub(r'("entities":\[\[)\d', r"\1x", r, count=1), id="first-part-damaged"
        ),
    ],
)
def test_a_damaged_row_in_parts_is_a_miss(
    store: Store, sample_briefing: Briefing, sample: Analysis, damage
) -> None:
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    (raw,) = _raw_rows(store)
    _set_row(store, damage(raw))
    assert store.get_cached_analysis(*_keys(sample)) is None
    assert store.latest_cached_analysis(sample.briefing_id) is None


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", '"text"', "{}", '{"schema": null}'])
def test_garbage_row_is_a_miss(store: Store, sample: Analysis, raw: str) -> None:
    store.put_cached_analysis(sample)
    _set_row(store, raw)
    assert store.get_cached_analysis(*_keys(sample)) is None
    assert store.latest_cached_analysis(sample.briefing_id) is None


def test_latest_skips_an_unreadable_row_for_an_older_readable_one(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    newer = Analysis.from_json({**sample.to_json(), "model": {"name": "other", "version": "9"}})
    store.put_cached_analysis(newer)
    assert store.latest_cached_analysis(sample.briefing_id) == newer
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE analysis_cache SET json = '{}' WHERE model_name = 'other'")
    conn.commit()
    conn.close()
    assert store.latest_cached_analysis(sample.briefing_id) == sample


# -- what Store.open checks ---------------------------------------------------------------------
def _record(d: Path) -> Path:
    db = paths.db_path(d)
    return db.with_name(db.name + ".checked")


def _cache_pages(db: Path) -> list[int]:
    """The overflow pages holding the cached analyses."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'analysis_cache' AND pagetype = 'overflow' "
            "ORDER BY pageno"
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        conn.close()
    return [r[0] for r in rows]


def _scribble(db: Path, pages: list[int]) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    for p in pages:
        data[(p - 1) * page : (p - 1) * page + 200] = b"\xff" * 200
    db.write_bytes(bytes(data))


def _filled(d: Path, briefing: Briefing, analysis: Analysis) -> None:
    with Store.open(d) as s:
        s.add_briefing(briefing)
        s.add_annotation(briefing.id, "note", start=0, end=5, note="precious")
        s.put_cached_analysis(analysis)


def test_a_full_check_is_recorded_and_trusted_for_a_day(
    tmp_path: Path, sample_briefing: Briefing, sample: Analysis
) -> None:
    d = tmp_path / "data"
    _filled(d, sample_briefing, sample)
    record = _record(d)
    assert record.exists()  # the first open checked the whole (new) file
    first = json.loads(record.read_text())
    with Store.open(d) as s:
        assert s.warning is None
    assert json.loads(record.read_text()) == first  # trusted: no full check this time
    # older than a day: checked again, and recorded
    record.write_text(json.dumps({**first, "checked_at": time.time() - FULL_CHECK_EVERY_S - 1}))
    with Store.open(d) as s:
        assert s.warning is None
    again = json.loads(record.read_text())
    assert again["checked_at"] > time.time() - 60
    # a record of another file (another inode) or of a longer one is not trusted either
    for stale in ({"ino": again["ino"] + 1}, {"size": again["size"] + 4096}):
        record.write_text(json.dumps({**again, **stale, "checked_at": time.time() - 5}))
        with Store.open(d) as s:
            assert s.warning is None
        assert json.loads(record.read_text())["ino"] == again["ino"]
        assert json.loads(record.read_text())["size"] == paths.db_path(d).stat().st_size


def test_damage_in_the_annotations_is_caught_on_every_open(
    tmp_path: Path, sample_briefing: Briefing, sample: Analysis
) -> None:
    d = tmp_path / "data"
    _filled(d, sample_briefing, sample)
    db = paths.db_path(d)
    assert _record(d).exists()  # so only the every-open check runs below
    conn = sqlite3.connect(db)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'annotations'"
    ).fetchone()
    conn.close()
    _scribble(db, [root])
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning
    assert any(p.name.startswith(db.name + ".corrupt-") for p in d.iterdir())
    # the briefing is salvaged; the one note was on the damaged page
    assert [b.id for b in s.list_briefings()] == [sample_briefing.id]
    assert "salvaged 0 of 1 annotation" in s.warning
    s.close()


def test_damage_in_the_cache_is_a_miss_then_caught_at_the_next_open(
    tmp_path: Path, sample_briefing: Briefing, sample: Analysis
) -> None:
    d = tmp_path / "data"
    _filled(d, sample_briefing, sample)
    db = paths.db_path(d)
    pages = _cache_pages(db)
    assert pages  # the cached analysis does not fit in a page
    _scribble(db, pages)
    # the cache is not among the tables checked on every open: it opens, the notes are there
    with Store.open(d) as s:
        assert s.warning is None
        assert [a.note for a in s.annotations(sample_briefing.id)] == ["precious"]
        # reading the damaged analysis is a miss, not an error ...
        assert s.get_cached_analysis(*_keys(sample)) is None
        assert s.latest_cached_analysis(sample.briefing_id) is None
        # ... and has the next open check the whole file
        assert not _record(d).exists()
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning
    aside = [p for p in d.iterdir() if p.name.startswith(db.name + ".corrupt-")]
    assert len(aside) == 1
    # salvaged: the note is in the new file; the damaged analysis was not readable
    assert [a.note for a in s.annotations(sample_briefing.id)] == ["precious"]
    assert s.latest_cached_analysis(sample_briefing.id) is None
    s.close()
    # the annotation is still in the file kept aside
    conn = sqlite3.connect(aside[0])
    assert conn.execute("SELECT note FROM annotations").fetchall() == [("precious",)]
    conn.close()


def test_damage_met_while_reading_raises_store_damaged(
    tmp_path: Path, sample_briefing: Briefing
) -> None:
    d = tmp_path / "data"
    with Store.open(d) as s:
        s.add_briefing(sample_briefing)
        for i in range(300):
            s.add_annotation(sample_briefing.id, "note", start=i, end=i + 5, note="n" * 300)
    db = paths.db_path(d)
    conn = sqlite3.connect(db)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'briefings_fts_data'"
    ).fetchone()
    conn.close()
    _scribble(db, [root])  # the full-text index is not checked on every open
    with Store.open(d) as s:
        assert s.warning is None
        with pytest.raises(StoreDamaged) as e:
            s.search_briefings("troops")
        assert "damaged" in str(e.value)
        assert not _record(d).exists()
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning
    s.close()


def test_open_without_a_record_runs_the_full_check(
    tmp_path: Path, sample_briefing: Briefing, sample: Analysis
) -> None:
    d = tmp_path / "data"
    _filled(d, sample_briefing, sample)
    db = paths.db_path(d)
    _scribble(db, _cache_pages(db)[-3:])
    os.remove(_record(d))  # e.g. a database copied in from elsewhere
    s = Store.open(d, repair=True)
    assert s.warning is not None and "damaged" in s.warning
    s.close()


def test_the_every_open_check_leaves_check_constraints_enforced(
    tmp_path: Path, sample_briefing: Briefing, sample: Analysis
) -> None:
    """The every-open check skips the rows' CHECK constraints (the structure is what tells
    damage); the store's connection enforces them again afterwards."""
    d = tmp_path / "data"
    _filled(d, sample_briefing, sample)
    assert _record(d).exists()
    with Store.open(d) as s:
        conn = s.db.conn
        assert conn.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE annotations SET kind = 'no such kind'")
        assert [a.kind for a in s.annotations(sample_briefing.id)] == ["note"]


def test_reading_ahead_imports_no_store(
    store: Store, sample_briefing: Briefing, sample: Analysis
) -> None:
    """The reader's read at launch decodes a cached row with the analysis layer alone: the
    store's modules (tens of ms to import, while the reader imports Textual) come later."""
    import subprocess
    import sys

    store.add_briefing(sample_briefing)
    store.put_cached_analysis(sample)
    assert store.path is not None
    code = (
        "import json, sys; from pathlib import Path\n"
        "from brief_tui.library.cache_probe import read_cached\n"
        "an = read_cached((Path(sys.argv[1]), tuple(json.loads(sys.argv[2]))))\n"
        "print(json.dumps([len(an.entities) if an else None,\n"
        "    sorted(m for m in sys.modules if m.startswith('brief_tui.library.store'))]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(store.path), json.dumps(_keys(sample))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    entities, store_modules = json.loads(done.stdout)
    assert entities == len(sample.entities) > 0
    assert store_modules == []
