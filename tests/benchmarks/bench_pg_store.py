"""Team library against the local one, on this machine: a confirmed add_annotation (p50/p95)
and full-text search over 10,000 briefings, SQLite (FTS5) and PostgreSQL (tsvector + GIN) in
the same run. Run: .venv/bin/python tests/benchmarks/bench_pg_store.py"""

from __future__ import annotations

import statistics
import sys
import tempfile
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


def main() -> None:
    server = PgServer()
    server.start()
    try:
        with tempfile.TemporaryDirectory() as d:
            lite = bench("sqlite  ", Store.open(d))
        pg = bench("postgres", PgStore.open(server.create_database(), analyst="bench"))
        print("ratios pg/sqlite:", {k: round(pg[k] / lite[k], 2) for k in pg})
    finally:
        server.destroy()


if __name__ == "__main__":
    main()
