"""Team library against the local one, on this machine: a confirmed add_annotation (p50/p95)
and full-text search over 10,000 briefings, SQLite (FTS5) and PostgreSQL (tsvector + GIN) in
the same run. Then a team at work: 20 reader processes annotating one team library at once
(10,000 annotations in all): nothing lost, nothing twice, p50/p95 of a confirmed save, and
how long until the other readers of the same briefing have read a new note (as the reader
does: told by LISTEN/NOTIFY, reading the briefing's notes again, one read at a time).
Run: .venv/bin/python tests/benchmarks/bench_pg_store.py [--team-only] [--readers N]
Environment: BENCH_PACE_MS (each reader's time between notes, default 0: back to back),
BENCH_READ_GAP_MS (pause between live reads, default 200 as the reader), BENCH_FULL_READS=1
(every note read each time, as before), BENCH_NO_SHOW=1 (readers that only write)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from brief_tui.briefing import briefing_from_text
from brief_tui.library.store import LibraryStore, Store
from brief_tui.library.store.postgres import PgStore
from tests.pg import PgServer

_VOCABULARY = (
    "troops army drone strike kremlin agency minister border missile report officials "
    "ceasefire convoy refinery shelling envoy sanctions harbour pipeline summit"
)
WORDS = _VOCABULARY.split()


def text(i: int) -> str:
    w = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(120)]
    return f"Briefing {i} codename{i:05d}. " + " ".join(w) + ".\n"


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] * 1000


def bench(name: str, s: LibraryStore) -> dict[str, float]:
    b = briefing_from_text(text(0), "x")
    s.add_briefing(b)
    adds = []
    for i in range(500):
        t = time.perf_counter()
        s.add_annotation(b.id, "note", start=i % 50, end=i % 50 + 5, note=f"n{i}")
        adds.append(time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(1, 10_000):
        s.add_briefing(briefing_from_text(text(i), f"/b/{i}"))
    load = time.perf_counter() - t
    searches = []
    for q in ("kremlin", "codename04200", "drone convoy", "sanct"):
        for _ in range(5):
            t = time.perf_counter()
            s.search_briefings(q, limit=100)
            searches.append(time.perf_counter() - t)
    out = {
        "add p50 ms": pct(adds, 0.5),
        "add p95 ms": pct(adds, 0.95),
        "10k briefings s": load,
        "search p50 ms": statistics.median(searches) * 1000,
    }
    print(name, {k: round(v, 2) for k, v in out.items()})
    s.close()
    return out


# -- a team at work ---------------------------------------------------------------------------
#: readers showing each briefing (20 readers: 5 briefings, 4 analysts on each)
READERS_PER_BRIEFING = 4


def reader(
    url: str, me: int, bid: str, n: int, data_dir: str, out: str, total_on_mine: int
) -> None:
    """One reader process (``python bench_pg_store.py --reader …``): opens the team library as
    the reader does (offline-capable, listening), waits for the others, makes ``n`` notes on
    its briefing, each confirmed before the next, and records when each note the others made
    on that briefing was first read here."""
    from brief_tui.library.store.factory import open_library

    lib = open_library(url, analyst=f"analyst{me:02d}", data_dir=data_dir)
    seen: dict[str, float] = {}
    lock = threading.Lock()
    state = {"running": False, "again": False}
    reads: list[float] = []

    known: dict[str, object] = {}
    mark: list[int | None] = [None]
    full = os.environ.get("BENCH_FULL_READS")  # every note read each time (the way before)
    # the reader's pause between two live reads (ui/session.py LIVE_READ_GAP_S)
    gap = float(os.environ.get("BENCH_READ_GAP_MS", "200")) / 1000

    def read_loop() -> None:  # the Session's reload: one read at a time, one more if told
        while True:
            t = time.perf_counter()
            if full:
                notes, removed = lib.annotations(bid), []
                known.clear()
            else:  # what changed since the last read, merged (ui/session.py _read_notes)
                changes = lib.annotation_changes(bid, mark[0])
                notes, removed, mark[0] = changes.notes, changes.removed, changes.mark
                if changes.complete:
                    known.clear()
            for gone in removed:
                known.pop(gone, None)
            known.update((a.id, a) for a in notes)
            sorted(known.values(), key=lambda a: a.sort_key())  # type: ignore[attr-defined]
            now = time.time()
            reads.append(time.perf_counter() - t)
            for a in notes:
                seen.setdefault(a.id, now)
            if gap:  # changes heard meanwhile wait a little: one read takes more of them
                time.sleep(gap)
            with lock:
                if not state["again"]:
                    state["running"] = False
                    return
                state["again"] = False

    def heard(briefing_id: str) -> None:
        if briefing_id not in ("", bid):
            return
        with lock:
            if state["running"]:
                state["again"] = True
                return
            state["running"] = True
        threading.Thread(target=read_loop, daemon=True).start()

    if not os.environ.get("BENCH_NO_SHOW"):
        assert lib.listen(heard)
    Path(out + ".ready").touch()
    while not Path(out).parent.joinpath("go").exists():
        time.sleep(0.01)
    saves: list[float] = []
    made: list[tuple[str, float]] = []
    pace = float(os.environ.get("BENCH_PACE_MS", "0")) / 1000
    began = time.perf_counter()
    for i in range(n):
        if pace:  # an analyst's rhythm: one note every `pace` seconds, not back to back
            time.sleep(max(0.0, began + i * pace - time.perf_counter()))
        t = time.perf_counter()
        a = lib.add_annotation(bid, "note", start=i % 40, end=i % 40 + 5, note=f"r{me} n{i}")
        saves.append(time.perf_counter() - t)
        made.append((a.id, time.time()))
    deadline = time.monotonic() + (0 if os.environ.get("BENCH_NO_SHOW") else 120)
    while len(seen) < total_on_mine and time.monotonic() < deadline:
        time.sleep(0.05)
    pending = lib.pending_count() if hasattr(lib, "pending_count") else 0
    lib.close()
    Path(out).write_text(
        json.dumps(
            {
                "bid": bid,
                "saves": saves,
                "made": made,
                "seen": seen,
                "reads": reads,
                "pending": pending,
            }
        )
    )


def _briefing_ids(lib: LibraryStore) -> list[str]:
    return sorted(i.id for i in lib.list_briefings())


def team(url: str, readers: int = 20, total: int = 10_000) -> dict[str, float]:
    per = total // readers
    k = max(1, readers // READERS_PER_BRIEFING)
    with PgStore.open(url, analyst="setup") as s:
        for i in range(k):
            s.add_briefing(briefing_from_text(text(100_000 + i), f"/team/{i}"))
        bids = _briefing_ids(s)
    shows = [bids[r % k] for r in range(readers)]
    on = {b: per * shows.count(b) for b in bids}
    with tempfile.TemporaryDirectory() as d:
        here = Path(d)
        env = {**os.environ, "HOME": d, "BRIEF_TUI_DATA_DIR": d}
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--reader",
                    url,
                    str(r),
                    shows[r],
                    str(per),
                    str(here / f"d{r}"),
                    str(here / f"r{r}.json"),
                    str(on[shows[r]]),
                ],
                env=env,
            )
            for r in range(readers)
        ]
        while not all((here / f"r{r}.json.ready").exists() for r in range(readers)):
            if any(p.poll() not in (None, 0) for p in procs):
                raise SystemExit("a reader failed to start")
            time.sleep(0.05)
        t0 = time.perf_counter()
        (here / "go").touch()
        for p in procs:
            p.wait(timeout=900)
        wall = time.perf_counter() - t0
        results = [json.loads((here / f"r{r}.json").read_text()) for r in range(readers)]
    with PgStore.open(url, analyst="check") as s:
        stored = [a for b in bids for a in s.annotations(b)]
    made = {a for r in results for a, _ in r["made"]}
    ids = [a.id for a in stored]
    texts = [a.note for a in stored]
    saves = [x for r in results for x in r["saves"]]
    shown: list[float] = []
    unseen = 0
    for r in results:
        for other in results:
            if other is r or other["bid"] != r["bid"]:
                continue
            for a, confirmed in other["made"]:
                if a in r["seen"]:
                    shown.append(max(0.0, r["seen"][a] - confirmed))
                else:
                    unseen += 1
    reads = [x for r in results for x in r["reads"]]
    out = {
        "annotations stored": len(stored),
        "lost": len(made - set(ids)),
        "duplicated": len(ids) - len(set(ids)) + len(texts) - len(set(texts)),
        "left in journals": sum(r["pending"] for r in results),
        "save p50 ms": pct(saves, 0.5),
        "save p95 ms": pct(saves, 0.95),
        "save max ms": max(saves) * 1000,
        "shown elsewhere p50 ms": pct(shown, 0.5),
        "shown elsewhere p95 ms": pct(shown, 0.95),
        "shown elsewhere max ms": max(shown, default=float("nan")) * 1000,
        "never shown": unseen,
        "reads per reader": len(reads) / readers,
        "read p50 ms": pct(reads, 0.5),
        "wall s": wall,
        "saves/s": len(saves) / wall,
    }
    print(f"team: {readers} readers, {total} annotations, {k} briefings")
    for k, v in out.items():
        print(f"  {k:24} {v:.1f}" if isinstance(v, float) else f"  {k:24} {v}")
    return out


def main() -> None:
    if sys.argv[1:2] == ["--reader"]:
        url, me, bid, n, data_dir, out, total_on_mine = sys.argv[2:9]
        reader(url, int(me), bid, int(n), data_dir, out, int(total_on_mine))
        return
    readers = int(sys.argv[sys.argv.index("--readers") + 1]) if "--readers" in sys.argv else 20
    server = PgServer()
    server.start()
    try:
        if "--team-only" not in sys.argv:
            with tempfile.TemporaryDirectory() as d:
                lite = bench("sqlite  ", Store.open(d))
            pg = bench("postgres", PgStore.open(server.create_database(), analyst="bench"))
            print("ratios pg/sqlite:", {k: round(pg[k] / lite[k], 2) for k in pg})
        # the same save alone, as the reference the team's figures are read against
        alone = bench_alone(server.create_database())
        got = team(server.create_database(), readers=readers)
        print(
            f"ratios team/alone: save p50 {got['save p50 ms'] / alone['p50']:.2f}, "
            f"p95 {got['save p95 ms'] / alone['p95']:.2f}"
        )
    finally:
        server.destroy()


def bench_alone(url: str) -> dict[str, float]:
    """One reader saving 500 notes with nobody else writing (the team run's reference)."""
    from brief_tui.library.store.factory import open_library

    with tempfile.TemporaryDirectory() as d:
        lib = open_library(url, analyst="alone", data_dir=d)
        b = briefing_from_text(text(0), "x")
        lib.add_briefing(b)
        saves = []
        for i in range(500):
            t = time.perf_counter()
            lib.add_annotation(b.id, "note", start=i % 40, end=i % 40 + 5, note=f"n{i}")
            saves.append(time.perf_counter() - t)
        lib.close()
    out = {"p50": pct(saves, 0.5), "p95": pct(saves, 0.95)}
    print("alone (1 reader, TeamLibrary):", {k: round(v, 2) for k, v in out.items()})
    return out


if __name__ == "__main__":
    main()
