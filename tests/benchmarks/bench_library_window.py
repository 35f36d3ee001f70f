"""Benchmark of the library at scale: a window of rows in three orders (first page and a
deep one), a title filter, counting, a page of full-text search with snippets, and finding
where a hit's match is, on a library of N briefings (default 100,000) built in one
transaction. Each figure is printed with its ratio to a reference measured in the same run:
opening the store.

Run:  .venv/bin/python tests/benchmarks/bench_library_window.py [--n 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from brief_tui.library.store import Store

WORDS = [
    "ministry",
    "said",
    "talks",
    "troops",
    "border",
    "moved",
    "officials",
    "report",
    "agency",
    "sources",
    "claimed",
    "minister",
    "government",
    "election",
    "parliament",
    "sanctions",
    "ceasefire",
    "drone",
    "strike",
    "port",
    "grain",
    "deal",
    "summit",
    "envoy",
    "spokesman",
    "statement",
    "analysts",
    "warned",
    "expected",
    "denied",
]


def build(data: Path, n: int) -> float:
    """N briefings of ~300 words each, inserted in one transaction (the FTS triggers run)."""
    store = Store.open(data)
    store.close()
    rng = random.Random(7)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    import sqlite3

    with sqlite3.connect(data / "library.sqlite3") as conn:
        rows = []
        for i in range(n):
            text = f"Briefing {i}\n\n" + " ".join(rng.choice(WORDS) for _ in range(300))
            if i % 1000 == 0:
                text += " Kursk"
            when = (start + timedelta(minutes=i)).isoformat()
            rows.append(
                (
                    hashlib.sha256(text.encode()).hexdigest(),
                    f"Briefing {i} {rng.choice(WORDS)}",
                    f"/b/{i}.txt",
                    "text",
                    text,
                    when,
                    when,
                    "utf-8",
                    json.dumps({}),
                )
            )
        conn.executemany(
            "INSERT INTO briefings (id, title, origin, format, text, added_at, last_opened_at,"
            " encoding, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return time.perf_counter() - t0


def median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--keep", metavar="DIR", help="build the library here once and reuse it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.keep) if args.keep else Path(tmp) / "data"
        if not (data / "library.sqlite3").exists():
            built = build(data, args.n)
            print(f"library of {args.n:,} briefings built in {built:.1f} s")
        t0 = time.perf_counter()
        Store.open(data, check=False).close()
        print(
            f"first open (a migration, when the library is older) {time.perf_counter() - t0:.2f} s"
        )
        ref = median_ms(lambda: Store.open(data, check=False).close())
        store = Store.open(data, check=False)
        figures = {
            "first window, newest opened": lambda: store.list_window(limit=50),
            "first window, by title": lambda: store.list_window(sort="title", limit=50),
            "window at 90%": lambda: store.list_window(limit=50, offset=args.n * 9 // 10),
            "title filter, first window": lambda: store.list_window(title_filter="envoy"),
            "count": lambda: store.count_briefings(),
            "search, first page with snippets": lambda: store.search_page("kursk troops"),
            "search, a common word": lambda: store.search_page("ministry"),
        }
        hits = store.search_page("kursk")
        if hits:
            first = hits[0].info.id
            figures["where the match is (one hit)"] = lambda: store.first_match(first, "kursk")
        # last, as it changes the library: a briefing from the middle removed (each run
        # another), with its row in the full-text index
        middle = iter([i.id for i in store.list_window(limit=7, offset=args.n // 2)])
        figures["removing a briefing"] = lambda: store.remove_briefing(next(middle))
        print(f"reference: opening the store {ref:.2f} ms")
        for name, fn in figures.items():
            t = median_ms(fn)
            print(f"{name:36s} {t:8.2f} ms   {t / ref:6.1f}x the reference")
        store.close()


if __name__ == "__main__":
    main()
