"""Benchmark of one long briefing analysed on every core (issue 19): ``analyze`` in one
process and split across N processes (forks sharing the loaded model), against raw spaCy in
one process (``nlp.pipe`` over the same paragraphs), all in this process with the model
loaded once, run alternately so that each sees the same moments of a shared machine. Also
checks that the split result equals the one-process result.

Run:  .venv/bin/python tests/benchmarks/bench_split.py [--words 100000] [--rounds 2]
                                                       [--processes 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from brief_tui.analysis.chunks import paragraphs  # noqa: E402
from brief_tui.analysis.nlp import load_model  # noqa: E402
from brief_tui.analysis.pipeline import analyze  # noqa: E402
from tests.bigtext import make_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--processes", type=int, default=2)
    ns = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    model = load_model()
    text = make_text(ns.words, seed=3)
    print(f"{len(text.split()):,} words, {len(text):,} characters, model {model.name}")
    raw, one, split = [], [], []
    same = True
    for r in range(ns.rounds):
        t0 = time.perf_counter()
        for _ in model.nlp.pipe((text[s:e] for s, e in paragraphs(text)), batch_size=64):
            pass
        raw.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        a1 = analyze(text, model=model)
        one.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        a2 = analyze(text, model=model, processes=ns.processes)
        split.append(time.perf_counter() - t0)
        same = same and a1.to_json() == a2.to_json()
        print(
            f"  round {r + 1}: raw spaCy {raw[-1]:6.1f} s, analyze 1 process {one[-1]:6.1f} s,"
            f" {ns.processes} processes {split[-1]:6.1f} s   (load {os.getloadavg()[0]:.1f})"
        )
    r_, o_, s_ = (statistics.median(x) for x in (raw, one, split))
    print(f"raw spaCy, one process             {r_:6.1f} s")
    print(f"analyze, one process               {o_:6.1f} s   {o_ / r_:4.2f}x raw spaCy")
    print(
        f"analyze, {ns.processes} processes               {s_:6.1f} s   {s_ / r_:4.2f}x raw spaCy"
        f"   ({o_ / s_:4.2f}x faster than one process)"
    )
    print(f"split result equals one process: {same}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
