"""Benchmark of `brief-tui library add` (import, and --analyse on 1 and on every core) and of
`brief-tui library --jsonl/--json` on large libraries (issue 19). Every figure is printed
next to a reference measured in the same run on the same machine.

Run:  .venv/bin/python tests/benchmarks/bench_library.py [--files 200] [--words 800]
                                                          [--sizes 10000,100000]

1. import of N generated articles (tests/bigtext.py, ~W words each) into an empty library on
   disk, as a user runs it (a fresh process, output to a pipe): files/s and the command's
   peak RSS (ru_maxrss of the main process).
2. the same with --analyse --processes 1 and --processes P (P = cores): the command's wall
   time and words/s, and the pool alone (brief_tui.analysis.pool.analyse_many in this
   process, model loaded: words/s from the model loaded to the last result). References: raw
   spaCy in one process (``nlp.pipe`` over the same paragraphs, the same model) and
   brief-tui's ``analyze`` in one process.
3. `library --jsonl` and `--json` on libraries of 10k and 100k briefings (built with
   Store.add_briefing on memory-backed storage when there is some): wall time and peak RSS,
   against the listing as `library --json` made it before it streamed (every row in a
   list, then one json.dumps), run the same way.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bigtext import make_text  # noqa: E402

# the listing as `brief-tui library --json` wrote it before it streamed (its code at 37c95f0,
# with the source column simplified): every row in memory, then one json.dumps
OLD_JSON = r"""
import json, sys
from brief_tui.briefing.untrusted import json_escape_unsafe
from brief_tui.library.store import Store
store = Store.open(sys.argv[1])
counts = store.claim_counts()
rows = []
for info in store.list_briefings():
    meta = store.briefing_meta(info.id)
    date = meta.get("date")
    rows.append({
        "id": info.id, "title": info.title, "source": info.origin.rsplit("/", 1)[-1],
        "origin": info.origin, "format": info.format,
        "date": date if isinstance(date, str) and date else None,
        "author": meta.get("author") or None, "url": meta.get("url") or None,
        "chars": info.chars, "claims": counts.get(info.id),
        "annotations": info.annotation_count, "last_opened": info.last_opened_at,
        "added": info.added_at,
    })
store.close()
print(json_escape_unsafe(json.dumps(rows, ensure_ascii=False, indent=2)))
"""


# Peak RSS is the process's own VmHWM, read as it exits: ru_maxrss from wait4 would also
# count the pages of this (large, spaCy-loaded) process it was forked from.
MEASURE = r"""
import atexit, os, runpy, sys
def report():
    with open("/proc/self/status") as f:
        hwm = next(line.split()[1] for line in f if line.startswith("VmHWM"))
    os.write(2, f"\nVMHWM {hwm}\n".encode())
atexit.register(report)
if sys.argv[1] == "-c":
    code = sys.argv[2]
    sys.argv = sys.argv[2:]
    exec(compile(code, "<measured>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MiB), exit status and the tail of stdout of
    ``python -m args...`` (or ``python -c CODE args...``)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    out, err = b"", b""
    assert proc.stdout is not None and proc.stderr is not None
    while chunk := proc.stdout.read(1 << 16):
        out = out[-2000:] + chunk  # the tail only: the listing is read and dropped
    err = proc.stderr.read()
    code = proc.wait()
    wall = time.perf_counter() - t0
    hwm = [line for line in err.decode(errors="replace").splitlines() if line.startswith("VMHWM")]
    rss = int(hwm[-1].split()[1]) / 1024 if hwm else float("nan")
    return wall, rss, code, out.decode(errors="replace")


def brief(*args: str) -> list[str]:
    return ["brief_tui", *args]


def bench_import(files: int, words: int) -> None:
    from brief_tui.analysis.chunks import paragraphs
    from brief_tui.analysis.nlp import load_model
    from brief_tui.analysis.pipeline import analyze
    from brief_tui.analysis.pool import NICE, Job, analyse_many, cpu_count

    cores = cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = base / "articles"
        folder.mkdir()
        texts = [make_text(words, seed=i + 1) for i in range(files)]
        for i, text in enumerate(texts):
            (folder / f"{i:05}.txt").write_text(text, encoding="utf-8")
        total_words = sum(len(t.split()) for t in texts)
        print(f"\n1-2. library add: {files} files, {total_words:,} words, {cores} cores")

        # references: raw spaCy and brief-tui's analysis, one process (this one)
        loaded = load_model()
        nlp = loaded.nlp
        t0 = time.perf_counter()
        for text in texts:
            for _ in nlp.pipe((text[s:e] for s, e in paragraphs(text)), batch_size=64):
                pass
        raw = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i, text in enumerate(texts):
            analyze(text, briefing_id=str(i), model=loaded)
        ours = time.perf_counter() - t0
        print(f"  reference: raw spaCy, 1 process        {total_words / raw:8,.0f} words/s")
        print(
            f"  reference: analyze(), 1 process        {total_words / ours:8,.0f} words/s"
            f"  ({ours / raw:4.2f}x raw spaCy's time)"
        )

        # the pool alone, model loading left out; at the priority it runs at (nice 10:
        # other work on the machine comes first) and at this process's own
        for nice in (0, NICE):
            for n in sorted({1, cores}):
                jobs = [Job(str(i), "", t) for i, t in enumerate(texts)]
                began = time.perf_counter()

                def loaded(_event: object) -> None:
                    nonlocal began
                    began = time.perf_counter()

                t0 = time.perf_counter()
                count = sum(1 for _ in analyse_many(jobs, processes=n, nice=nice, on_loaded=loaded))
                took = time.perf_counter() - began
                assert count == files
                print(
                    f"  pool, {n} process{'es' if n > 1 else '  '}, nice {nice:<2} (model loaded) "
                    f"{total_words / took:8,.0f} words/s  ({raw / took:4.2f}x raw spaCy's speed;"
                    f" with loading {time.perf_counter() - t0:5.1f} s)"
                )

        env = {**os.environ, "HOME": str(base / "home"), "TERM": "dumb"}
        env.pop("BRIEF_TUI_DATA_DIR", None)
        for label, extra in (
            ("import only", []),
            ("--analyse --processes 1", ["--analyse", "--processes", "1"]),
            (f"--analyse --processes {cores}", ["--analyse", "--processes", str(cores)]),
        ):
            data = base / f"data-{len(extra)}-{extra[-1] if extra else 0}"
            wall, rss, code, out = run_measured(
                brief("library", "add", str(folder), "--data-dir", str(data), *extra), env
            )
            assert code == 0, out
            rate = (
                f"{files / wall:7.1f} files/s"
                if not extra
                else f"{total_words / wall:7,.0f} words/s ({raw / wall:4.2f}x raw spaCy)"
            )
            print(
                f"  CLI {label:<28} {wall:6.1f} s  {rate}  peak RSS {rss:6.1f} MiB"
                f"   [{out.strip().splitlines()[-1]}]"
            )


def build_library(folder: Path, n: int) -> None:
    from brief_tui.briefing import briefing_from_text
    from brief_tui.library.store import Store

    text = make_text(300, seed=7)
    with Store.open(folder) as store:
        for i in range(n):
            store.add_briefing(
                briefing_from_text(f"Briefing {i}\n\n{text}", f"/briefings/{i:06}.txt")
            )


def bench_listing(sizes: list[int]) -> None:
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    print("\n3. library listing (wall, peak RSS of the command)")
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix="brief-tui-bench-", dir=base))
        try:
            t0 = time.perf_counter()
            build_library(folder, n)
            print(f"  {n:,} briefings (built in {time.perf_counter() - t0:.0f} s)")
            env = {**os.environ, "TERM": "dumb"}
            old = run_measured(["-c", OLD_JSON, str(folder)], env)
            print(f"    before: --json, whole list    {old[0]:6.2f} s  peak RSS {old[1]:7.1f} MiB")
            for flag in ("--jsonl", "--json"):
                new = run_measured(brief("library", flag, "--data-dir", str(folder)), env)
                assert new[2] == 0
                print(
                    f"    now: {flag:<7} streamed        {new[0]:6.2f} s  peak RSS "
                    f"{new[1]:7.1f} MiB  ({new[0] / old[0]:4.2f}x time, "
                    f"{new[1] / old[1]:4.2f}x memory of before)"
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--skip-import", action="store_true")
    ap.add_argument("--skip-listing", action="store_true")
    ns = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    if not ns.skip_import:
        bench_import(ns.files, ns.words)
    if not ns.skip_listing:
        bench_listing([int(s) for s in ns.sizes.split(",") if s])
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
