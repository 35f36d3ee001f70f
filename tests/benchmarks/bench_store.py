"""Benchmark of the library layer: how long an annotation takes to be durable, how long
export takes for 1,000 annotations, writing and reading a cached analysis, and opening the
store. Each figure is printed next to a
reference measured in the same run on the same machine.

Run:  .venv/bin/python tests/benchmarks/bench_store.py
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from brief_tui.briefing import briefing_from_text
from brief_tui.library.export import export_markdown, export_w3c_json
from brief_tui.library.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "seeds" / "north-korean-troops-in-russia.txt"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
    return f"median {statistics.median(xs) * 1e3:8.3f} ms   p95 {p95 * 1e3:8.3f} ms"


def row(name: str, xs: list[float], ref: list[float] | None = None) -> None:
    ratio = f"  ({statistics.median(xs) / statistics.median(ref):5.1f}x reference)" if ref else ""
    print(f"  {name:<46} {ms(xs)}{ratio}")


def main() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    long_text = "\n\n".join([text] * 30)  # ~120k characters, so 1,000 spans fit without overlap
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        store = Store.open(tmpd / "data")
        b = briefing_from_text(long_text, str(tmpd / "brief.txt"))
        store.add_briefing(b)

        # -- durability: add_annotation returns after COMMIT (WAL, synchronous=FULL) ------
        n = 500
        step = len(long_text) // (n + 1)
        i = iter(range(10**9))

        def add() -> None:
            k = next(i) % n
            store.add_annotation(
                b.id,
                "note",
                start=k * step,
                end=k * step + 40,
                note="checked against the NIS briefing",
                tags=["troops", "nis"],
            )

        adds = timed(add, n)

        ref_conn = sqlite3.connect(tmpd / "ref.sqlite3", isolation_level=None)
        ref_conn.execute("PRAGMA journal_mode = WAL")
        refs: dict[str, list[float]] = {}
        for sync in ("FULL", "NORMAL"):
            ref_conn.execute(f"PRAGMA synchronous = {sync}")
            ref_conn.execute(f"CREATE TABLE t_{sync} (id TEXT PRIMARY KEY, note TEXT) STRICT")

            def bare(sync: str = sync) -> None:
                ref_conn.execute("BEGIN IMMEDIATE")
                ref_conn.execute(
                    f"INSERT INTO t_{sync} VALUES (?, ?)", (str(time.perf_counter_ns()), "x" * 40)
                )
                ref_conn.execute("COMMIT")

            refs[sync] = timed(bare, n)
        ref_conn.close()

        print(f"Annotation durable (add_annotation returned = committed), {n} runs")
        row("add_annotation (WAL, synchronous=FULL)", adds, refs["FULL"])
        row("reference: bare INSERT+COMMIT, synchronous=FULL", refs["FULL"])
        row("reference: bare INSERT+COMMIT, synchronous=NORMAL", refs["NORMAL"])

        # -- a few other single actions ---------------------------------------------------
        a = store.annotations(b.id)[0]
        notes = iter(range(10**9))
        row(
            "update_annotation (note)",
            timed(lambda: store.update_annotation(a.id, note=f"n{next(notes)}"), 200),
        )
        row("undo (of an update)", timed(lambda: store.undo(), 100))

        # -- export of 1,000 annotations ---------------------------------------------------
        for k in range(n, 1000):
            store.add_annotation(
                b.id,
                "highlight",
                start=(k - n) * step + 50,
                end=(k - n) * step + 80,
                meaning="key",
                tags=["key-fact"],
            )
        anns = store.annotations(b.id)
        assert len(anns) == 1000, len(anns)
        when = datetime(2026, 1, 1, tzinfo=UTC)
        runs = 15
        load = timed(lambda: store.annotations(b.id), runs)
        md = timed(lambda: export_markdown(b, anns, None, exported_at=when), runs)
        js = timed(
            lambda: json.dumps(
                export_w3c_json(b, anns, None, exported_at=when), ensure_ascii=False, indent=2
            ),
            runs,
        )
        records = [{**asdict(x), "tags": list(x.tags)} for x in anns]
        ref = timed(lambda: json.dumps(records, ensure_ascii=False, indent=2), runs)
        size_md = len(export_markdown(b, anns, None, exported_at=when).encode())
        print(f"\nExport of 1,000 annotations ({runs} runs; Markdown {size_md / 1024:.0f} KiB)")
        row("annotations(briefing) from the store", load, ref)
        row("export_markdown", md, ref)
        row("export_w3c_json + json.dumps(indent=2)", js, ref)
        row("reference: json.dumps of the same records", ref)

        # -- the analysis cache: one analysis of the ~20k-word text ------------------------
        from brief_tui.analysis import analyze

        analysis = analyze(b.text, title=b.title, briefing_id=b.id)
        keys = (analysis.model_name, analysis.model_version, analysis.analyser_version)
        runs = 10
        put = timed(lambda: store.put_cached_analysis(analysis), runs)
        get = timed(lambda: store.get_cached_analysis(b.id, *keys), runs)
        assert store.get_cached_analysis(b.id, *keys) == analysis
        with sqlite3.connect(tmpd / "data" / "library.sqlite3") as reader:
            raw = reader.execute("SELECT json FROM analysis_cache").fetchone()[0]
        ref = timed(lambda: json.loads(raw), runs)
        print(
            f"\nAnalysis cache ({len(analysis.entities)} entities, "
            f"{len(analysis.claims)} claims; row {len(raw) / 1024:.0f} KiB; {runs} runs)"
        )
        row("put_cached_analysis", put, ref)
        row("get_cached_analysis", get, ref)
        row("reference: json.loads of the stored row", ref)

        # -- opening the store -------------------------------------------------------------
        store.close()
        big = briefing_from_text(" ".join(["word"] * 300_000) + "\n", "big")
        with Store.open(tmpd / "data") as s:
            s.add_briefing(big)
        size = (tmpd / "data" / "library.sqlite3").stat().st_size
        checked = timed(lambda: Store.open(tmpd / "data").close(), 10)
        unchecked = timed(lambda: Store.open(tmpd / "data", check=False).close(), 10)
        bare_open = timed(lambda: sqlite3.connect(tmpd / "data" / "library.sqlite3").close(), 10)
        print(f"\nOpening the store ({size / 1e6:.1f} MB database, 10 runs)")
        row("Store.open (quick_check, migrations check)", checked, bare_open)
        row("Store.open(check=False)", unchecked, bare_open)
        row("reference: sqlite3.connect + close", bare_open)


if __name__ == "__main__":
    main()
