"""Benchmark of hostile inputs (issue 17): time and peak memory of load_briefing (what runs
before the reader's first frame) on PDF and HTML bombs, the Markdown sniffer's worst inputs
and a huge config file, each beside an ordinary input of the same size measured in the same
run (the ratio is the figure to watch). Each case runs in a fresh process, so that its peak
RSS is its own; a case still running after --limit seconds is killed and reported so.

Run:  .venv/bin/python tests/benchmarks/bench_hostile.py
      .venv/bin/python tests/benchmarks/bench_hostile.py --src /path/to/old/tui   (another tree)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# the code each case runs in its own process: build the input, time the call, print JSON
_CASE = r"""
import json, resource, sys, time
sys.path.insert(0, {tests!r})
import hostile
from pathlib import Path
kind, arg, path, build = {kind!r}, {arg!r}, Path({path!r}), {build!r}
data = b""
if not build:
    pass
elif kind == "pdf_bomb":
    path.write_bytes(hostile.pdf_bomb(arg[0], arg[1]))
elif kind == "pdf_pages":
    path.write_bytes(hostile.pdf_pages(arg))
elif kind == "html_attrs":
    path.write_text(hostile.html_attributes(arg))
elif kind == "html_nested":
    path.write_text(hostile.html_nested(arg))
elif kind == "html_plain":
    path.write_text(hostile.html_plain(arg))
elif kind == "sniff":
    path.write_bytes(dict(hostile.markdown_worst(64 * 1024)).get(arg) if arg else (
        b"Seoul said on Tuesday that North Korean troops moved. " * 1200)[:64 * 1024])
elif kind == "config":
    path.write_text("# " + "x" * arg + "\ntheme = 3\n")
if build:
    sys.exit(0)
from brief_tui.briefing import BriefingError, load_briefing
from brief_tui.briefing.load import looks_like_markdown
from brief_tui.config import load_config
if kind == "sniff":
    data = path.read_bytes()
t0 = time.perf_counter()
outcome = "ok"
if kind == "sniff":
    looks_like_markdown(data)
elif kind == "config":
    problems = load_config(path).problems
    outcome = problems[0][:90] if problems else "ok"
else:
    try:
        b = load_briefing(path)
        outcome = f"opened ({{len(b.text):,}} characters)"
    except BriefingError as e:
        outcome = str(e).split(": ", 1)[-1][:90]
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"s": elapsed, "peak_mb": peak / 1024, "outcome": outcome}}))
"""

MB = 1 << 20
#: (name, (kind, arg), reference (kind, arg))
CASES: list[tuple[str, tuple[str, object], tuple[str, object]]] = [
    ("PDF: one stream inflating to 70 MB", ("pdf_bomb", (70 * MB, 1)), ("pdf_pages", 300)),
    ("PDF: 8 pages sharing a 1 MB stream", ("pdf_bomb", (1 * MB, 8)), ("pdf_pages", 300)),
    ("PDF: 8 pages sharing an 8 MB stream", ("pdf_bomb", (8 * MB, 8)), ("pdf_pages", 300)),
    ("HTML: one tag with 20k attributes", ("html_attrs", 20_000), ("html_plain", 190_000)),
    ("HTML: one tag with 200k attributes", ("html_attrs", 200_000), ("html_plain", 1_900_000)),
    ("HTML: 100k nested elements", ("html_nested", 100_000), ("html_plain", 1_100_000)),
    ("Markdown sniffer: 64 kB of '**a '", ("sniff", "'**a ' repeated"), ("sniff", "")),
    ("Markdown sniffer: 64 kB of '['", ("sniff", "'[' repeated"), ("sniff", "")),
    ("Markdown sniffer: 64 kB of '!['", ("sniff", "'![' repeated"), ("sniff", "")),
    ("config: 33 MB", ("config", 33 * MB), ("config", 1000)),
]


def run(kind: str, arg: object, src: Path, limit: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        suffix = {"pdf_bomb": ".pdf", "pdf_pages": ".pdf", "config": ".toml"}.get(kind, ".html")
        path = str(Path(tmp) / f"doc{suffix}")
        env = {**os.environ, "PYTHONPATH": str(src), "HOME": tmp}
        build = _CASE.format(tests=str(REPO / "tests"), kind=kind, arg=arg, path=path, build=True)
        subprocess.run([sys.executable, "-c", build], check=True, env=env, cwd=tmp)
        code = _CASE.format(tests=str(REPO / "tests"), kind=kind, arg=arg, path=path, build=False)
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=limit,
                env=env,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired:
            return {"s": None, "peak_mb": None, "outcome": f"killed after {limit:g} s"}
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
            return {"s": None, "peak_mb": None, "outcome": f"failed: {tail[:80]}"}
        result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result


def fmt(r: dict[str, object], ref: dict[str, object]) -> str:
    s, peak = r["s"], r["peak_mb"]
    if not isinstance(s, float) or not isinstance(peak, float):
        return f"{'-':>9} {'-':>9}            {r['outcome']}"
    ratio = ""
    if isinstance(ref["s"], float) and isinstance(ref["peak_mb"], float) and ref["s"] > 0:
        ratio = f"({s / ref['s']:6.1f}x time, {peak / ref['peak_mb']:4.1f}x RSS of the reference)"
    return f"{s:8.3f}s {peak:7.0f} MB  {ratio}  {r['outcome']}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", type=Path, default=REPO / "tui", help="the tree holding brief_tui")
    parser.add_argument(
        "--limit", type=float, default=120.0, help="seconds before a case is killed"
    )
    parser.add_argument("-k", default="", help="only the cases whose name holds this")
    ns = parser.parse_args()
    print(f"brief_tui from {ns.src}; each case in a fresh process, killed after {ns.limit:g} s")
    for name, (kind, arg), (rkind, rarg) in CASES:
        if ns.k and ns.k not in name:
            continue
        ref = run(rkind, rarg, ns.src, ns.limit)
        r = run(kind, arg, ns.src, ns.limit)
        print(f"  {name:<40} {fmt(r, ref)}")
        print(f"  {'  reference: ' + rkind + ' ' + str(rarg):<40} {fmt(ref, ref)}")


if __name__ == "__main__":
    main()
