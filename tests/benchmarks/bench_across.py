"""Benchmark of Across and Figures across briefings on libraries of 1k, 10k and 100k analysed
briefings (issue 19: under 200 ms at 100k).

The library: one ~300-word briefing analysed once by spaCy, then stored N times (written in
one transaction) with its analysis cached under each copy, the names of its actors and
sources and its units made unique in 99 of 100 copies: each name and unit of the original is
in 1 % of the library (1,000 briefings at 100k). Figures: Across for an actor and for a
source, Figures for one briefing; the same look-ups reading every analysed briefing (as
before the index: ``across_candidates`` None), at the sizes where that ends in minutes at
most; the reference is one cached analysis read (``latest_cached_analysis``), measured in
the same run.

Run:  .venv/bin/python tests/benchmarks/bench_across.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from brief_tui.analysis.model import Analysis  # noqa: E402
from brief_tui.library.crossref import across_actor, across_source, figures_across  # noqa: E402
from brief_tui.library.names import index_keys  # noqa: E402
from brief_tui.library.store import Store  # noqa: E402
from brief_tui.library.store.protocol import Candidates  # noqa: E402


class WholeLibrary(Store):
    """Every analysed briefing read, as before the index."""

    def across_candidates(self, keys: Sequence[str], *, limit: int) -> Candidates | None:
        return None

    def unanalysed_naming(self, forms: Sequence[str], *, limit: int) -> list[str] | None:
        return None


def base_analysis() -> Analysis:
    from brief_tui.analysis.pipeline import analyze
    from brief_tui.briefing import load_briefing
    from brief_tui.resources import sample_briefing

    b = load_briefing(sample_briefing())
    text = b.text[: b.text.index("\n", 1500)]
    return analyze(text, title="Seoul warns")


def variant(an: Analysis, i: int) -> Analysis:
    if i % 100 == 0:
        return dataclasses.replace(an, briefing_id=f"{i:064x}")
    tag = f" {i}"
    actors = [
        dataclasses.replace(a, name=a.name + tag, aliases=[x + tag for x in a.aliases])
        for a in an.actors
    ]
    sources = [dataclasses.replace(s, name=s.name + tag) for s in an.sources]
    claims = [
        dataclasses.replace(
            c,
            figures=[
                dataclasses.replace(f, unit=f.unit + tag if f.unit else f.unit) for f in c.figures
            ],
        )
        for c in an.claims
    ]
    return dataclasses.replace(
        an, briefing_id=f"{i:064x}", actors=actors, sources=sources, claims=claims
    )


def build(data: Path, an: Analysis, n: int) -> float:
    Store.open(data).close()
    t0 = time.perf_counter()
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with sqlite3.connect(data / "library.sqlite3") as conn:
        for i in range(n):
            v = variant(an, i)
            when = (start + timedelta(minutes=i)).isoformat()
            conn.execute(
                "INSERT INTO briefings (id, title, origin, format, text, added_at,"
                " last_opened_at, encoding, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    v.briefing_id,
                    f"Briefing {i}",
                    f"/b/{i}.txt",
                    "text",
                    an.text,
                    when,
                    when,
                    "utf-8",
                    "{}",
                ),
            )
            conn.execute(
                "INSERT INTO analysis_cache VALUES (?, ?, ?, ?, ?, ?)",
                (
                    v.briefing_id,
                    an.model_name,
                    an.model_version,
                    an.analyser_version,
                    json.dumps(v.to_cache(with_text=False), separators=(",", ":")),
                    when,
                ),
            )
            conn.executemany(
                "INSERT INTO across_keys VALUES (?, ?)",
                ((k, v.briefing_id) for k in index_keys(v)),
            )
            conn.execute("INSERT INTO across_indexed VALUES (?)", (v.briefing_id,))
    return time.perf_counter() - t0


def median_ms(fn: Callable[[], object], runs: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, out


def measure(
    data: Path, n: int, an: Analysis, *, whole: bool
) -> list[tuple[int, str, float, float | None]]:
    actor = max(an.actors, key=lambda a: len(a.mentions))
    source = next(s for s in an.sources if s.actor is not None)
    me = f"{0:064x}"
    store = Store.open(data)
    before_store = WholeLibrary.open(data) if whole else None
    ref, _ = median_ms(lambda: store.latest_cached_analysis(me))
    print(f"  reference: one cached analysis read {ref:.2f} ms")
    figures: dict[str, Callable[[Store], object]] = {
        f"Across, actor {actor.name!r}": lambda s: across_actor(s, me, actor),
        f"Across, source {source.name!r}": lambda s: across_source(s, me, an, source),
        "Figures of one briefing": lambda s: figures_across(s, me),
    }
    rows: list[tuple[int, str, float, float | None]] = []
    for name, fn in figures.items():
        t, out = median_ms(lambda fn=fn: fn(store))  # type: ignore[misc]
        size = len(out) if isinstance(out, list) else 0
        line = f"  {name:44s} {t:8.1f} ms  {t / ref:7.0f}x ref  ({size} found)"
        before = None
        if before_store is not None:
            before, _ = median_ms(lambda fn=fn: fn(before_store), runs=1)  # type: ignore[misc]
            line += f"   before: {before:8.0f} ms ({before / t:5.1f}x slower)"
        print(line)
        rows.append((n, name, t, before))
    store.close()
    if before_store is not None:
        before_store.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument(
        "--whole-up-to",
        type=int,
        default=10_000,
        help="read the whole library (as before) up to this size",
    )
    ns = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    an = base_analysis()
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    rows: list[tuple[int, str, float, float | None]] = []
    for n in [int(s) for s in ns.sizes.split(",") if s]:
        scratch = Path(tempfile.mkdtemp(prefix="brief-tui-across-", dir=base))
        try:
            built = build(scratch / "data", an, n)
            print(f"\n{n:,} briefings (built in {built:.0f} s)")
            rows += measure(scratch / "data", n, an, whole=n <= ns.whole_up_to)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print("\n| briefings | look-up | now | before (whole library) |")
    print("|---|---|---|---|")
    for n, name, t, before in rows:
        b = f"{before:.0f} ms" if before is not None else "not run"
        print(f"| {n:,} | {name} | {t:.0f} ms | {b} |")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
