"""Benchmark of the library at scale as the reader shows it (issue 19), on libraries of 1k,
10k and 100k briefings built in one transaction (bench_library_window.build), every figure
next to a reference measured in the same run:

1. launch -> first rows: `brief-tui` with no path (the reader starts on the sample and opens
   the library first, as it does when the library holds more than the sample), from just
   before the process starts to the first frame holding the library's rows. Reference: a
   bare Textual app, launch -> first frame (runs alternated with the library's).
2. search first page: in the same process, a second after the first rows, the search box
   given "kursk troops" -> the first frame holding the hits with their snippets (the
   worker's query and the drawing).
   Also: the library screen mounted -> its first rows (the part that is the library's; the
   rest is the reader's own start and the store's opening).
3. peak RSS of that reader (VmHWM), against the bare app's.
4. `brief-tui library --jsonl` / `--json`: wall time and peak RSS of the command.

Run:  .venv/bin/python tests/benchmarks/bench_library_screen.py [--sizes 1000,10000,100000]
                                                                 [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

SIZE = (160, 50)


# ---------------------------------------------------------------------------- child side
def _hwm_mb() -> float:
    with open("/proc/self/status") as f:
        return int(next(line.split()[1] for line in f if line.startswith("VmHWM"))) / 1024


def _report(data: dict[str, float]) -> None:
    sys.stdout.write("RESULT " + json.dumps(data) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _encode(app, renderable) -> None:  # type: ignore[no-untyped-def]
    from textual._compositor import CompositorUpdate

    if isinstance(renderable, CompositorUpdate):
        renderable.render_segments(app.console)


def child_bare(launch: float) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, a bare Textual app.")

    app = Bare()
    display = app._display

    def hooked(screen, renderable):  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None:
            _encode(app, renderable)
            _report({"t": time.monotonic() - launch, "rss": _hwm_mb()})

    app._display = hooked  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


def child_library(launch: float, data_dir: str) -> None:
    from brief_tui.ui import heap

    heap.hold()  # as cli.cmd_read does until the first frame
    from brief_tui.briefing import load_briefing
    from brief_tui.config import load_config
    from brief_tui.resources import sample_briefing
    from brief_tui.ui.app import BriefApp
    from brief_tui.ui.library_screen import LibraryScreen

    app = BriefApp(
        load_briefing(sample_briefing()),
        data_dir=Path(data_dir),
        analyse=False,
        config=load_config(),
        open_library=True,
    )
    display = app._display
    state: dict[str, float] = {}
    mount = LibraryScreen.on_mount

    def mounted(self: LibraryScreen) -> None:
        state.setdefault("pushed", time.monotonic())
        mount(self)

    LibraryScreen.on_mount = mounted  # type: ignore[method-assign]

    def hooked(screen, renderable):  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is None:
            return
        _encode(app, renderable)
        now = time.monotonic()
        scr = app.screen
        if not isinstance(scr, LibraryScreen):
            return
        if "rows" not in state:
            if scr.table.total and scr.table.row(0) is not None:
                state["rows"] = now - launch
                from textual.widgets import Input

                def ask() -> None:
                    state["asked"] = time.monotonic()
                    scr.query_one("#library-search", Input).value = "kursk troops"

                # once the reader's start-up work is over: the search alone is timed
                app.set_timer(1.0, ask)
            return
        if "asked" not in state:
            return
        if "search" not in state and scr.hits and scr.hit_list.row_count:
            state["search"] = now - state["asked"]
            _report(
                {
                    "t": state["rows"],
                    "screen": state["rows"] - (state["pushed"] - launch),
                    "search": state["search"],
                    "rss": _hwm_mb(),
                }
            )

    app._display = hooked  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


# ---------------------------------------------------------------------------- parent side
def run_child(*args: str, env: dict[str, str]) -> dict[str, float]:
    launch = time.monotonic()
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(launch), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, float] = json.loads(line[7:])
            return result
    raise RuntimeError(out.stderr[-3000:])


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``python -m brief_tui ARGS``, stdout read and
    dropped."""
    code = (
        "import atexit, os, runpy, sys\n"
        "def report():\n"
        "    with open('/proc/self/status') as f:\n"
        "        hwm = next(l.split()[1] for l in f if l.startswith('VmHWM'))\n"
        "    os.write(2, f'VMHWM {hwm}'.encode())\n"
        "atexit.register(report)\n"
        "sys.argv = ['brief_tui', *sys.argv[1:]]\n"
        "runpy.run_module('brief_tui', run_name='__main__', alter_sys=True)\n"
    )
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    while proc.stdout.read(1 << 16):
        pass
    err = proc.stderr.read().decode(errors="replace")
    proc.wait()
    wall = time.perf_counter() - t0
    hwm = err.rsplit("VMHWM", 1)[-1].split()
    return wall, (int(hwm[0]) / 1024 if hwm else float("nan"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", nargs="+")
    ns = ap.parse_args()
    if ns.child:
        launch = float(ns.child[0])
        if len(ns.child) == 1:
            child_bare(launch)
        else:
            child_library(launch, ns.child[1])
        return
    from bench_library_window import build

    print(f"load average at start: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    table = []
    for n in [int(s) for s in ns.sizes.split(",") if s]:
        scratch = Path(tempfile.mkdtemp(prefix="brief-tui-bench-", dir=base))
        try:
            data = scratch / "data"
            built = build(data, n)
            env = {
                **os.environ,
                "HOME": str(scratch),
                "BRIEF_TUI_DATA_DIR": str(data),
                "TEXTUAL_ANIMATIONS": "none",
                "TERM": "dumb",
            }
            run_child(str(data), env=env)  # warm: the sample is added once, caches filled
            bare, lib = [], []
            for _ in range(ns.runs):
                bare.append(run_child(env=env))
                lib.append(run_child(str(data), env=env))
            b = statistics.median(r["t"] for r in bare)
            first = statistics.median(r["t"] for r in lib)
            search = statistics.median(r["search"] for r in lib)
            screen = statistics.median(r["screen"] for r in lib)
            rss = max(r["rss"] for r in lib)
            bare_rss = max(r["rss"] for r in bare)
            jl = run_measured(["library", "--jsonl", "--data-dir", str(data)], env)
            js = run_measured(["library", "--json", "--data-dir", str(data)], env)
            print(f"\n{n:,} briefings (built in {built:.1f} s)")
            print(f"  bare Textual app, launch -> first frame   {b * 1000:7.0f} ms")
            print(
                f"  library, launch -> first rows             {first * 1000:7.0f} ms"
                f"   {first / b:4.2f}x the bare app"
            )
            print(
                f"  of which: library screen mounted -> rows  {screen * 1000:7.0f} ms"
                f"   {screen / b:4.2f}x the bare app"
            )
            print(
                f"  search, first page with snippets          {search * 1000:7.1f} ms"
                f"   {search / b:4.2f}x the bare app's first frame"
            )
            print(
                f"  peak RSS of the reader                    {rss:7.1f} MiB"
                f"   {rss / bare_rss:4.2f}x the bare app ({bare_rss:.1f} MiB)"
            )
            print(
                f"  library --jsonl                           {jl[0]:7.2f} s"
                f"   {jl[1]:7.1f} MiB   {jl[0] / b:5.1f}x the bare app's first frame"
            )
            print(
                f"  library --json                            {js[0]:7.2f} s"
                f"   {js[1]:7.1f} MiB   {js[0] / b:5.1f}x the bare app's first frame"
            )
            table.append((n, b, first, screen, search, rss, jl, js))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        "\n| briefings | bare app | first rows | ratio | screen -> rows | search page |"
        " reader RSS | --jsonl | --json |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n, b, first, screen, search, rss, jl, js in table:
        print(
            f"| {n:,} | {b * 1000:.0f} ms | {first * 1000:.0f} ms | {first / b:.2f}x |"
            f" {screen * 1000:.0f} ms | {search * 1000:.0f} ms | {rss:.0f} MiB |"
            f" {jl[0]:.2f} s, {jl[1]:.0f} MiB |"
            f" {js[0]:.2f} s, {js[1]:.0f} MiB |"
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
