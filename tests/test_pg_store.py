"""The library's interface (LibraryStore) on both backends: the local SQLite store and the
team library on a real PostgreSQL server the suite starts (tests/pg.py). Then what only a
team library has: authors, each analyst's own notes, undo per analyst, PostgreSQL's search,
live notifications."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from brief_tui.analysis.model import Actor, Analysis, Claim, Mention, Source, Span
from brief_tui.briefing import Briefing, briefing_from_text
from brief_tui.library.anchoring import make_selector
from brief_tui.library.reanchor import reanchor_all
from brief_tui.library.store import LibraryStore, NotYours, Store, StoreError

pytestmark = pytest.mark.slow

TEXT = (
    "North Korea has sent troops to Russia, South Korea's spy agency said. "
    "Lawmaker Lee Seong-kweun said the troops may be moving to the front line. "
    "The Kremlin declined to comment.\n"
)
OTHER = "Drone strikes hit Kharkiv overnight, officials said. Nobody was hurt.\n"

Opener = Callable[..., LibraryStore]


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store on one library (each call a new reader): SQLite or PostgreSQL."""
    opened: list[LibraryStore] = []
    if request.param == "sqlite":

        def open_one(analyst: str = "ann") -> LibraryStore:
            s = Store.open(tmp_path / "data")
            opened.append(s)
            return s
    else:
        from brief_tui.library.store.postgres import PgStore

        url = request.getfixturevalue("pg_url")

        def open_one(analyst: str = "ann") -> LibraryStore:
            s = PgStore.open(url, analyst=analyst)
            opened.append(s)
            return s

    yield open_one
    for s in opened:
        s.close()


@pytest.fixture
def store(opener: Opener) -> LibraryStore:
    return opener()


@pytest.fixture
def briefing(store: LibraryStore) -> Briefing:
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    store.add_briefing(b)
    return b


def span(quote: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(quote)
    return i, i + len(quote)


def _analysis(b: Briefing) -> Analysis:
    return Analysis(
        briefing_id=b.id,
        title=b.title,
        text=b.text,
        model_name="m",
        model_version="1",
        actors=[
            Actor(
                "a1", "Lee Seong-kweun", "person", ["Lee"], ["lawmaker"], [Mention(80, 95, "Lee")]
            )
        ],
        sources=[Source("s1", "NIS", "intelligence")],
        claims=[Claim("c1", 0, 70, [Span(0, 37)], source="s1")],
    )


# -- both backends --------------------------------------------------------------------------
def test_pgstore_offers_every_call_of_the_interface_with_the_same_signature() -> None:
    import inspect

    from brief_tui.library.store.postgres import PgStore

    for name, member in inspect.getmembers(LibraryStore):
        if name.startswith("_") and name not in ("__enter__", "__exit__"):
            continue
        ours = getattr(PgStore, name)
        if isinstance(member, property):
            assert isinstance(ours, property), name
        elif callable(member):
            assert inspect.signature(ours) == inspect.signature(member), name


def test_briefings_add_get_list_search_remove(store: LibraryStore) -> None:
    b1 = briefing_from_text(TEXT, "/briefs/a.txt")
    b2 = briefing_from_text(OTHER, "/briefs/b.md", fmt="markdown")
    info1 = store.add_briefing(b1, meta={"author": "Kim", "date": "2024-10-23"})
    assert info1.chars == len(TEXT) and info1.annotation_count == 0
    store.add_briefing(b2)
    assert [i.id for i in store.list_briefings()] == [b2.id, b1.id]
    again = store.add_briefing(b1)
    assert again.added_at == info1.added_at and again.last_opened_at > info1.last_opened_at
    assert [i.id for i in store.list_briefings()] == [b1.id, b2.id]
    assert store.briefing_meta(b1.id) == {"author": "Kim", "date": "2024-10-23"}
    assert str(store.briefing_date(b1.id)) == "2024-10-23"
    got = store.get_briefing(b2.id)
    assert got is not None
    assert (got.text, got.title, got.origin, got.format) == (OTHER, b2.title, b2.origin, "markdown")
    assert got.paragraphs == b2.paragraphs
    assert store.get_briefing("0" * 64) is None
    assert [i.id for i in store.briefings_from_origin("/briefs/a.txt")] == [b1.id]

    assert [i.id for i in store.search_briefings("kharkiv")] == [b2.id]
    assert [i.id for i in store.search_briefings("Kreml")] == [b1.id]  # as a prefix
    assert [i.id for i in store.search_briefings("troops spy")] == [b1.id]  # every word
    assert store.search_briefings("troops kharkiv") == []
    assert store.search_briefings('"unbalanced') == []

    store.set_reading_position(b1.id, 42)
    assert store.reading_position(b1.id) == 42
    store.add_annotation(b1.id, "highlight", start=0, end=11)
    store.add_annotation(b1.id, "note", start=12, end=15, note="n")
    store.put_cached_analysis(_analysis(b1))
    assert store.briefing_info(b1.id).annotation_count == 2  # type: ignore[union-attr]
    assert store.remove_briefing(b1.id) == 2
    assert store.get_briefing(b1.id) is None and store.annotations(b1.id) == []
    assert store.get_cached_analysis(b1.id, "m", "1", "1") is None
    assert store.search_briefings("Kremlin") == []
    assert store.undo() is None
    assert [i.id for i in store.list_briefings()] == [b2.id]


def test_library_windows_search_pages_and_listing(store: LibraryStore) -> None:
    """The library screen's calls, the same on both backends."""
    from brief_tui.briefing import briefing_from_text

    for i in range(12):
        body = "Troops moved near Kursk." if i % 4 == 0 else "The ministry said talks resumed."
        store.add_briefing(
            briefing_from_text(
                f"Brief {i:02d} {'alpha' if i % 2 else 'beta'}\n\n{body}\n", f"/w/{i}"
            )
        )
    assert store.count_briefings() == 12
    assert store.count_briefings(title_filter="ALPHA") == 6
    assert store.count_briefings(title_filter="%") == 0
    everything = store.list_briefings()
    assert [b.id for b in store.list_window(limit=4, offset=2)] == [b.id for b in everything[2:6]]
    titles = [b.title for b in store.list_window(sort="title", descending=False, limit=20)]
    assert titles == sorted(titles, key=str.lower)
    with pytest.raises(ValueError):
        store.list_window(sort="nope")
    hits = store.search_page("kursk", limit=10)
    assert len(hits) == 3
    assert all("Kursk" in h.snippet for h in hits)
    (s, e), *_ = hits[0].marks
    assert hits[0].snippet[s:e].lower().startswith("kursk")
    at = store.first_match(hits[0].info.id, "kursk")
    b = store.get_briefing(hits[0].info.id)
    assert b is not None and at is not None and b.text[at : at + 5] == "Kursk"
    assert store.search_page("") == []
    listed = list(store.iter_listing())
    assert [info.id for info, _, _ in listed] == [b.id for b in everything]


def test_annotations_quote_context_order_update_delete_tags(
    store: LibraryStore, briefing: Briefing
) -> None:
    s, e = span("Lee Seong-kweun")
    a = store.add_annotation(
        briefing.id, "highlight", start=s, end=e, meaning="key", tags=["#people", "Korea", "korea"]
    )
    assert (a.exact, a.prefix, a.suffix) == ("Lee Seong-kweun", TEXT[s - 32 : s], TEXT[e : e + 32])
    assert a.tags == ("people", "Korea") and a.created_at.endswith("+00:00")
    assert store.annotation(a.id) == a
    sel = make_selector(TEXT, *span("spy agency"))
    n = store.add_annotation(briefing.id, "note", selector=sel, note="which one?")
    g = store.add_annotation(briefing.id, "grade", target_type="source", target_id="s1", grade="B")
    head = store.add_annotation(briefing.id, "tag", start=0, end=5, tags=["troops", "NIS"])
    assert head.prefix == "" and head.exact == "North"
    assert [x.id for x in store.annotations(briefing.id)] == [head.id, n.id, a.id, g.id]
    assert store.annotations_on(briefing.id, "source", "s1") == [g]
    bad_fields: list[dict[str, object]] = [
        {"kind": "scribble", "start": 0, "end": 1},
        {"kind": "highlight"},
        {"kind": "highlight", "start": 5, "end": 10_000},
        {"kind": "grade", "target_type": "source", "target_id": "s1", "grade": "3"},
    ]
    for bad in bad_fields:
        kind = str(bad.pop("kind"))
        with pytest.raises(ValueError):
            store.add_annotation(briefing.id, kind, **bad)  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.add_annotation("f" * 64, "highlight", start=0, end=1)

    b = store.update_annotation(a.id, note='multi\nline: "note"', tags=["x y"], meaning="doubt")
    assert (b.note, b.tags, b.meaning) == ('multi\nline: "note"', ("x-y",), "doubt")
    assert b.updated_at > a.updated_at and b.created_at == a.created_at
    c = store.update_annotation(a.id, start=span("Russia")[0], end=span("Russia")[1])
    assert c.exact == "Russia"
    assert store.update_annotation(a.id, meaning="doubt") == c  # no change
    with pytest.raises(TypeError):
        store.update_annotation(a.id, created_at="x")
    with pytest.raises(KeyError):
        store.update_annotation("nope", note="x")
    assert store.all_tags() == ["NIS", "troops", "x-y"]
    assert store.delete_annotation(n.id) == n
    with pytest.raises(KeyError):
        store.delete_annotation(n.id)
    assert store.annotation(n.id) is None


def test_undo_per_reader_and_after_reopen(opener: Opener) -> None:
    one, two = opener(), opener()
    b = briefing_from_text(TEXT, "x")
    one.add_briefing(b)
    a = one.add_annotation(b.id, "highlight", start=0, end=5)
    edited = one.update_annotation(a.id, note="edited")
    mine = two.add_annotation(b.id, "note", start=6, end=11, note="two's")
    one.delete_annotation(a.id)
    assert one.undo() is not None and one.annotation(a.id) == edited
    assert one.undo() is not None and one.annotation(a.id) == a
    assert two.annotation(mine.id) == mine  # never another reader's
    one.close()
    three = opener()
    assert three.can_undo(b.id)
    msg = three.undo(b.id)  # one's add, handed over at close
    assert msg is not None and "add" in msg and three.annotation(a.id) is None
    assert three.undo() is None and two.annotation(mine.id) == mine


def test_analysis_cache_and_claim_counts(store: LibraryStore, briefing: Briefing) -> None:
    an = _analysis(briefing)
    assert store.get_cached_analysis(briefing.id, "m", "1", "1") is None
    store.put_cached_analysis(an)
    got = store.get_cached_analysis(briefing.id, "m", "1", "1")
    assert got is not None and got.to_json() == an.to_json()
    assert store.get_cached_analysis(briefing.id, "m", "2", "1") is None
    an.claims.append(Claim("c2", 71, 140))
    store.put_cached_analysis(an)
    latest = store.latest_cached_analysis(briefing.id)
    assert latest is not None and [c.id for c in latest.claims] == ["c1", "c2"]
    assert store.claim_counts() == {briefing.id: 2}
    assert store.claim_counts([briefing.id, "f" * 64]) == {briefing.id: 2}
    assert store.claim_counts(["f" * 64]) == {}


def test_reanchoring_moves_notes_and_their_undo(store: LibraryStore, briefing: Briefing) -> None:
    a = store.add_annotation(briefing.id, "note", start=span("Kremlin")[0],
                             end=span("Kremlin")[1], note="k")  # fmt: skip
    changed = briefing_from_text("Update. " + TEXT, briefing.origin)
    report = reanchor_all(store, briefing.id, changed)
    assert (report.moved, report.anchored, report.orphaned) == (1, 1, 0)
    moved = store.annotation(a.id)
    assert moved is not None and moved.briefing_id == changed.id
    assert moved.start == a.start + len("Update. ")  # type: ignore[operator]
    assert store.get_briefing(briefing.id) is None
    assert store.undo(changed.id) is not None and store.annotation(a.id) is None


def test_nul_and_hostile_text_round_trip(store: LibraryStore) -> None:
    text = "Zero\x00byte and \u202eRLO and \x1b]52;c;x\x07 end.\n"
    b = briefing_from_text(text, "/x\x00y")
    store.add_briefing(b, meta={"author": "a\x00b"})
    got = store.get_briefing(b.id)
    assert got is not None and len(got.text) == len(b.text) and "\x1b" not in got.text
    a = store.add_annotation(b.id, "note", start=0, end=4, note="n\x00o", tags=["t\x00"])
    assert store.annotation(a.id) is not None


# -- several processes, a killed writer: both backends ----------------------------------------
WRITER = textwrap.dedent(
    """
    import sys
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store.factory import open_library
    s = open_library(sys.argv[1], analyst=sys.argv[3])
    b = briefing_from_text(sys.argv[2], "x")
    s.add_briefing(b)
    for i in range(int(sys.argv[4])):
        a = s.add_annotation(b.id, "note", start=i % 50, end=i % 50 + 5, note=f"{sys.argv[3]}-{i}")
        print("ok", a.id, flush=True)
    if sys.argv[5] == "hang":
        import time; time.sleep(60)
    s.close()
    """
)


def _spec(opener: Opener, tmp_path: Path) -> str:
    probe = opener()
    spec = getattr(probe, "url", None) or str(tmp_path / "data")
    probe.close()
    return spec


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(tmp_path), "BRIEF_TUI_DATA_DIR": str(tmp_path / "local")}


def test_two_processes_write_at_once(opener: Opener, tmp_path: Path) -> None:
    spec = _spec(opener, tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, spec, TEXT, who, "150", "end"],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(tmp_path),
        )
        for who in ("ann", "bob")
    ]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    with opener() as s:
        notes = [a.note for a in s.annotations(briefing_from_text(TEXT, "x").id)]
    assert len(notes) == 300 and len(set(notes)) == 300


def test_sigkill_after_a_confirmed_note_loses_nothing(opener: Opener, tmp_path: Path) -> None:
    spec = _spec(opener, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, spec, TEXT, "ann", "3", "hang"],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
    )
    assert proc.stdout is not None
    ids = [proc.stdout.readline().split()[1] for _ in range(3)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    with opener() as s:
        assert sorted(a.id for a in s.annotations(briefing_from_text(TEXT, "x").id)) == sorted(ids)


# -- the team library only --------------------------------------------------------------------
@pytest.fixture
def team(pg_url: str) -> Iterator[Callable[[str], LibraryStore]]:
    from brief_tui.library.store.postgres import PgStore

    opened: list[PgStore] = []

    def open_as(analyst: str) -> PgStore:
        s = PgStore.open(pg_url, analyst=analyst)
        opened.append(s)
        return s

    yield open_as
    for s in opened:
        s.close()


def test_authors_and_each_analysts_own_notes(team: Callable[[str], LibraryStore]) -> None:
    ann, bob = team("ann"), team("bob")
    with pytest.raises(StoreError, match=r"^unknown briefing 0123456789ab; add it"):
        ann.add_annotation("0123456789abcdef", "note", target_type="claim", target_id="c1")
    b = briefing_from_text(TEXT, "x")
    ann.add_briefing(b)
    a = ann.add_annotation(b.id, "note", start=0, end=5, note="ann's")
    g = bob.add_annotation(b.id, "grade", target_type="source", target_id="s1", grade="C")
    assert (a.author, g.author) == ("ann", "bob")
    assert [x.author for x in bob.annotations(b.id)] == ["ann", "bob"]
    with pytest.raises(NotYours, match="ann's"):
        bob.update_annotation(a.id, note="bob was here")
    with pytest.raises(NotYours):
        bob.delete_annotation(a.id)
    with pytest.raises(NotYours, match="other analysts"):
        bob.remove_briefing(b.id)
    assert ann.annotation(a.id) == a  # untouched
    assert bob.undo() is not None and bob.annotation(g.id) is None  # bob's own grade
    assert bob.undo() is None  # never ann's add
    assert ann.annotation(a.id) == a
    # each analyst's reading position
    ann.set_reading_position(b.id, 10)
    bob.set_reading_position(b.id, 99)
    assert (ann.reading_position(b.id), bob.reading_position(b.id)) == (10, 99)


def test_search_is_postgresql_text_search(team: Callable[[str], LibraryStore]) -> None:
    s = team("ann")
    b1, b2 = briefing_from_text(TEXT, "1"), briefing_from_text(OTHER, "2")
    s.add_briefing(b1)
    s.add_briefing(b2)
    assert [i.id for i in s.search_briefings("troop")] == [b1.id]  # stemmed: troops
    assert [i.id for i in s.search_briefings('"spy agency"')] == [b1.id]  # a phrase
    assert s.search_briefings('"agency spy"') == []
    assert [i.id for i in s.search_briefings("kharkiv or kremlin")] == [b1.id, b2.id] or [
        i.id for i in s.search_briefings("kharkiv or kremlin")
    ] == [b2.id, b1.id]
    assert [i.id for i in s.search_briefings("said -drone")] == [b1.id]  # exclusion


def test_listen_hears_another_analysts_note(team: Callable[[str], LibraryStore]) -> None:
    ann, bob = team("ann"), team("bob")
    b = briefing_from_text(TEXT, "x")
    ann.add_briefing(b)
    heard: list[str] = []
    got = threading.Event()

    def on_change(briefing_id: str) -> None:
        heard.append(briefing_id)
        got.set()

    ann.listen(on_change)  # type: ignore[attr-defined]
    for _ in range(50):  # until the listener is connected (no notification is replayed)
        bob.add_annotation(b.id, "highlight", start=0, end=5)
        if got.wait(0.2):
            break
    assert heard and heard[0] == b.id


def test_schema_is_versioned(pg_url: str) -> None:
    import psycopg

    from brief_tui.library.store.postgres import SCHEMA_VERSION, PgStore

    with PgStore.open(pg_url, analyst="ann") as s:
        assert s.schema_version == SCHEMA_VERSION
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE brief_tui_schema SET version = 99")
    with PgStore.open(pg_url, analyst="ann") as s:
        assert s.read_only and s.warning is not None and "newer brief-tui" in s.warning
        with pytest.raises(StoreError):
            s.add_briefing(briefing_from_text(TEXT, "x"))


def test_across_uses_the_team_library(team: Callable[[str], LibraryStore]) -> None:
    """The Across view's look-up on a team library finds the briefings (and analyses) other
    analysts added, not only the reader's own."""
    from brief_tui.library.crossref import across

    ann, bob = team("ann"), team("bob")
    mine = briefing_from_text(OTHER, "/briefs/mine.txt")
    ann.add_briefing(mine)
    theirs = briefing_from_text(TEXT, "/briefs/bobs.txt")
    bob.add_briefing(theirs)
    bob.put_cached_analysis(_analysis(theirs))
    (hit,) = across(ann, mine.id, "Lee Seong-kweun", ["Lee"], kind="person")
    assert hit.briefing_id == theirs.id and hit.analysed and hit.mentions == 1


def test_annotation_changes_since_a_mark(opener: Opener) -> None:
    """Every backend answers all notes first; the team library then only what changed since
    (adds, edits, removals, undone adds), the local one all again."""
    s = opener()
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    s.add_briefing(b)
    first = s.add_annotation(b.id, "note", start=0, end=5, note="one")
    gone = s.add_annotation(b.id, "note", start=6, end=9, note="two")
    got = s.annotation_changes(b.id)
    assert got.complete and [a.id for a in got.notes] == [first.id, gone.id]
    s.update_annotation(first.id, note="one, edited")
    s.delete_annotation(gone.id)
    added = s.add_annotation(b.id, "highlight", start=10, end=12)
    undone = s.add_annotation(b.id, "highlight", start=13, end=15)
    s.undo(b.id)
    later = s.annotation_changes(b.id, got.mark)
    if got.mark is None:  # the local library: everything again
        assert later.complete and [a.id for a in later.notes] == [first.id, added.id]
        return
    assert not later.complete
    assert {a.id: a.note for a in later.notes} == {first.id: "one, edited", added.id: None}
    assert set(later.removed) == {gone.id, undone.id}
    assert s.annotation_changes(b.id, s.annotation_changes(b.id, later.mark).mark).notes == []


def test_annotation_changes_miss_no_write_committed_out_of_order(
    team: Callable[[str], LibraryStore],
) -> None:
    """A write whose transaction began before a read and committed after it is in the next
    answer, though a later write committed first."""
    from brief_tui.library.store.postgres.notes import new_annotation
    from brief_tui.library.store.postgres.rows import ANN_COLUMNS, row_params

    ann, bob = team("ann"), team("bob")
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    ann.add_briefing(b)
    slow = new_annotation("bob", b.id, "note", start=0, end=5, note="slow", text=TEXT)
    written, commit = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with bob._tx() as conn:  # type: ignore[attr-defined]
            conn.execute(
                f"INSERT INTO annotations ({ANN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)})",
                row_params(slow, "bob"),
            )
            written.set()
            commit.wait(10)

    t = threading.Thread(target=slow_writer)
    t.start()
    assert written.wait(10)
    quick = bob.add_annotation(b.id, "note", start=6, end=9, note="quick")
    seen = ann.annotation_changes(b.id)
    assert [a.id for a in seen.notes] == [quick.id]
    commit.set()
    t.join()
    after = ann.annotation_changes(b.id, seen.mark)
    assert slow.id in [a.id for a in after.notes]
