"""Performance benchmark of the reader on big briefings (issue 5).

Run:  python tests/benchmarks/bench_perf.py [--sizes 1k,100k,300k] [--runs N]
                                             [--analysis-runs M] [--no-analysis] [--no-keys]
                                             [--keep DIR] [--src TREE]

``--keep DIR`` keeps the briefings and the libraries figure (2) analysed in DIR, and a next
run with the same DIR reopens those (figure 2 is then not measured again); ``--src TREE``
runs the brief_tui of another tree (e.g. an older commit's ``tui``) with this benchmark:
with both, two versions reopen the same cached analyses, one after the other.

Briefings: "1k" is the bundled sample (~650 words); "100k", "300k" (any "<n>k") are built by
stitching the sample's paragraphs with names, places and numbers varied (tests/bigtext.py) in
a temporary directory. Every figure is measured in a fresh child process started headless
(160x50) and is the median of several runs, printed next to a reference measured in the same
run:

1. launch -> article visible: from just before the process is started to the first frame
   that holds the article's lines (the frame is encoded as for a terminal). Reference: a bare
   Textual app (one Static), launch -> first frame.
2. launch -> analysis complete: to the first frame after the complete analysis is applied
   (empty data directory, so no cache). Reference: a process that imports spaCy, loads the
   same model and runs the same pipeline over the same paragraphs with ``nlp.pipe``.
3. key latency p50/p95 while the analysis runs: 50 page-downs, then 50 entity jumps (``e``),
   each posted as a Key event; the latency is from posting to the first frame painted after
   the key was handled (no Pilot). Reference: the same keys after the analysis is complete.
   (``BENCH_PROFILE=FILE`` writes a cProfile of the keys after the analysis to FILE.)
4. reopen of an analysed briefing -> fully analysed view (the analysis in the article and in
   the side panel's list), with the cache the run of (2) left in its data directory; says
   whether spaCy was imported. Reference: figure (1). 4b: the same briefing reopened inside
   a running reader, as from its library (the reader started on the sample, analysed,
   then opens it): from the request to the analysed view.
5. peak RSS (ru_maxrss) of the reader in (2) and of its analysis process (the analysis runs
   in a process of its own). Reference: the raw spaCy process.

Goals (issue 5): (1) within 1.5x the bare app; (2) within 1.3x raw spaCy; (3) p95 < 50 ms;
(4) < 0.5 s at 100k words; (5) < 600 MB at 300k words. Issue 16: (4) within 2x the bare app's
first paint (bare runs alternated with the reopens); a last table gives these ratios by size
(key p95 over every key of figure 3, running and idle).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
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
SIZE = (160, 50)
TIMEOUT = 3600
#: never the user's own directories: set by main() to a temporary directory
_SCRATCH = Path(tempfile.gettempdir())
#: the tree whose brief_tui the children run (--src)
_SRC = REPO / "tui"


# ---------------------------------------------------------------------------- child side
def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_rss_mb() -> float:
    """Peak RSS of the largest finished child (the analysis process, once it is reaped)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _report(data: dict) -> None:
    sys.stdout.write("RESULT " + json.dumps(data) + "\n")
    sys.stdout.flush()
    os._exit(0)  # do not wait for worker threads (an analysis process dies with the reader)


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
            _report({"t": time.monotonic() - launch, "rss": _rss_mb()})

    app._display = hooked  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


def _encode(app, renderable) -> None:  # type: ignore[no-untyped-def]
    """What the terminal driver would do with the frame (headless apps skip it)."""
    from textual._compositor import CompositorUpdate

    if isinstance(renderable, CompositorUpdate):
        renderable.render_segments(app.console)


def child_app(launch: float, mode: str, path: str, data_dir: str) -> None:
    # in the order of `brief-tui PATH` (cli.cmd_read): no garbage collection until the
    # first frame, and the analysis process starts before the reader's imports
    from brief_tui.ui import heap

    heap.hold()
    from brief_tui.briefing import load_briefing
    from brief_tui.cli import start_analysis
    from brief_tui.config import load_config

    target = load_briefing(path)
    # "switch": the reader starts on the sample (analysed) and then opens ``path`` as from
    # its library
    briefing = load_briefing(_sample()) if mode == "switch" else target
    config = load_config()
    try:
        process = start_analysis(briefing, None, config, data_dir)
    except TypeError:  # (--src: a brief_tui from before start_analysis knew the library)
        process = start_analysis(briefing, None, config)  # type: ignore[call-arg]

    from textual import events

    from brief_tui.ui.app import BriefApp
    from brief_tui.ui.article import ArticleView

    state = {"drawn": False, "handled": 0.0, "waiter": None, "keys_started": False}
    render_line = ArticleView.render_line

    def counting_render_line(self, y):  # type: ignore[no-untyped-def]
        strip = render_line(self, y)
        if self._lines:
            state["drawn"] = True
        return strip

    ArticleView.render_line = counting_render_line  # type: ignore[method-assign]
    for name in ("action_page", "action_entity"):
        original = getattr(ArticleView, name)

        def handled(self, n, _original=original):  # type: ignore[no-untyped-def]
            _original(self, n)
            state["handled"] = time.monotonic()
            if os.environ.get("BENCH_DEBUG"):
                print("handled", file=sys.stderr)

        setattr(ArticleView, name, handled)

    app = BriefApp(
        briefing,
        data_dir=Path(data_dir),
        analyse=True,
        config=config,
        analysis_process=process,
    )
    display = app._display
    latencies: dict[str, list[float]] = {
        "page_running": [],
        "entity_running": [],
        "page_done": [],
        "entity_done": [],
    }

    def hooked(screen, renderable):  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is None:
            return
        _encode(app, renderable)
        now = time.monotonic()
        waiter = state["waiter"]
        if waiter is not None and state["handled"]:
            waiter.set()
            state["frame"] = now
        if not state["drawn"]:
            return
        state.setdefault("painted", now)  # the first frame holding the article
        if mode == "visible":
            _report({"t": now - launch, "rss": _rss_mb()})
        elif mode == "switch" and analysed_view():
            if not state.get("switched"):
                if not state.get("switch_task"):
                    import asyncio

                    state["switch_task"] = asyncio.get_running_loop().create_task(switch())
                return
            if app.briefing.id != target.id or state.get("done_at"):
                return
            state["done_at"] = now
            _report(
                {
                    "t": now - state["switched"],
                    "rss": _rss_mb(),
                    "spacy_used": app.analysis_source != "cache",
                    "source": app.analysis_source,
                }
            )
        elif mode in ("analysed", "reopen") and analysed_view():
            if state.get("done_at"):
                return
            state["done_at"] = now
            result = {
                "t": now - launch,
                "rss": _rss_mb(),
                "spacy": "spacy" in sys.modules,
                "source": getattr(app, "analysis_source", ""),
                "entities": len(app.analysis.entities) if app.analysis else 0,
                "after_paint": now - state["painted"],
            }

            async def report_when_cached() -> None:
                # the analysis is cached just after it is shown: (4) reopens from that cache
                await app.workers.wait_for_complete()
                result["rss_analysis"] = _children_rss_mb()
                # as when the reader quits: the store is closed, and SQLite folds its
                # write-ahead log into the database; left as ``os._exit`` leaves it, the
                # cached analysis (megabytes) stays in the log and every reopen in (4) would
                # read it from there
                if app.store is not None:
                    app.store.close()
                _report(result)

            import asyncio

            state["task"] = asyncio.get_running_loop().create_task(report_when_cached())
        elif mode == "keys" and not state["keys_started"] and app.analysis is not None:
            if not app.analysis.entities:
                return
            state["keys_started"] = True
            # a task of its own: awaiting frames inside a message handler would block the
            # very message loop that handles the keys
            import asyncio

            state["task"] = asyncio.get_running_loop().create_task(run_keys())

    def analysed_view() -> bool:
        """The complete analysis in the article and in the side panel's list (the panel's
        tabs are mounted after the first frame; a cached analysis may come before them)."""
        from brief_tui.ui.panel import SidePanel

        if app.analysis_state != "done":
            return False
        panel = app.query(SidePanel)
        return bool(panel) and panel.first().ready and panel.first().analysis is app.analysis

    async def switch() -> None:
        """Once the sample is analysed and the reader idle: open ``path`` from the library
        (as the library screen does) and time it to the first frame of its analysed view."""
        import asyncio

        await app.workers.wait_for_complete()
        await asyncio.sleep(0.5)
        assert app.store is not None
        state["switched"] = time.monotonic()
        stored = app.store.get_briefing(target.id)
        # the reader is a screen of its own since issue 16 (before, the app itself)
        reader = getattr(app, "reader", app)
        try:
            reader.run_worker(reader.open_briefing(stored or target), exclusive=True, group="open")
        except (
            AttributeError,
            RuntimeError,
        ) as e:  # a failed switch would leave the run waiting for ever
            print(f"switch failed: {e!r}", file=sys.stderr)
            os._exit(1)

    async def press(key: str, char: str | None, into: list[float]) -> None:
        import asyncio

        view = app.query_one(ArticleView)
        # a key that would do nothing (at the end) paints nothing: start again from the top
        # (or, while analysing, no entity found yet after the reading position)
        at_end = (key == "pagedown" and view.scroll_offset.y >= view.max_scroll_y) or (
            key == "e" and view._step(view._entity_starts, 1) is None
        )
        if at_end:
            view.current = None
            view.action_top()
            await asyncio.sleep(0.05)
        state["handled"] = 0.0
        ev = asyncio.Event()
        state["waiter"] = ev
        t0 = time.monotonic()
        key_event = events.Key(key, char)
        key_event.set_sender(app)
        app.post_message(key_event)
        if os.environ.get("BENCH_DEBUG"):
            print("posted", key, app.focused, app.screen, file=sys.stderr)
        try:
            await asyncio.wait_for(ev.wait(), 2.0)
            into.append(state["frame"] - t0)
        except TimeoutError:
            into.append(float("nan"))
        state["waiter"] = None
        await asyncio.sleep(0.01)  # a fast reader: let the worker's updates interleave

    async def run_keys() -> None:
        import asyncio

        running_at_start = app.analysis_state
        for _ in range(50):
            await press("pagedown", None, latencies["page_running"])
        for _ in range(50):
            await press("e", "e", latencies["entity_running"])
        running_at_end = app.analysis_state
        while app.analysis_state not in ("done", "failed", "no model"):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        app.query_one(ArticleView).action_top()
        profile_to = os.environ.get("BENCH_PROFILE")
        if profile_to:  # where the time of the keys goes, after the analysis (main thread)
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        for _ in range(50):
            await press("pagedown", None, latencies["page_done"])
        for _ in range(50):
            await press("e", "e", latencies["entity_done"])
        if profile_to:
            profiler.disable()
            profiler.dump_stats(profile_to)
        _report(
            {
                "latencies": latencies,
                "state_at_start": running_at_start,
                "state_at_end": running_at_end,
                "rss": _rss_mb(),
            }
        )

    app._display = hooked  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


def child_spacy(launch: float, path: str) -> None:
    import spacy

    from brief_tui.analysis.chunks import paragraphs
    from brief_tui.analysis.nlp import choose_model
    from brief_tui.briefing import load_briefing

    text = load_briefing(path).text
    nlp = spacy.load(choose_model(None))
    n = 0
    for doc in nlp.pipe((text[s:e] for s, e in paragraphs(text)), batch_size=64):
        n += len(doc.ents)
    _report(
        {"t": time.monotonic() - launch, "rss": _rss_mb(), "entities": n, "pipes": nlp.pipe_names}
    )


# ---------------------------------------------------------------------------- parent side
def run_child(*args: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_SRC), str(REPO)])
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(_SCRATCH / var.lower())
    launch = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", f"{launch!r}", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"child {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def med(values: list[float]) -> float:
    vals = [v for v in values if v == v]
    return statistics.median(vals) if vals else float("nan")


def pct(values: list[float], p: float) -> float:
    vals = sorted(v for v in values if v == v)
    if not vals:
        return float("nan")
    k = max(0, min(len(vals) - 1, round(p / 100 * (len(vals) - 1))))
    return vals[k]


def _sample() -> Path:
    sys.path.insert(0, str(REPO))
    from tests.bigtext import SAMPLE

    return SAMPLE


def briefing_for(size: str, directory: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from tests.bigtext import SAMPLE, write_text

    if size in ("1k", "sample"):
        return SAMPLE
    return write_text(directory, int(float(size.rstrip("kK")) * 1000))


def fmt_s(v: float) -> str:
    return f"{v:.3f} s" if v == v else "n/a"


def fmt_ms(v: float) -> str:
    return f"{v * 1000:.1f} ms" if v == v else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1k,100k,300k")
    ap.add_argument("--runs", type=int, default=5, help="runs of the quick figures (1, 4)")
    ap.add_argument(
        "--analysis-runs",
        type=int,
        default=3,
        help="runs of the figures that analyse the whole text (2, 3, 5)",
    )
    ap.add_argument("--no-analysis", action="store_true", help="only figure 1")
    ap.add_argument("--no-keys", action="store_true", help="without figure 3 (key latency)")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) briefings and analyses here")
    ap.add_argument("--src", type=Path, default=REPO / "tui", help="the tree holding brief_tui")
    opts = ap.parse_args()
    global _SCRATCH, _SRC
    _SRC = opts.src.resolve()

    # as an installed package has them (pip compiles at install): without bytecode every run
    # would compile brief-tui's modules again (~100 ms), which the bare app does not pay
    compileall.compile_dir(_SRC / "brief_tui", quiet=1)
    print(f"brief_tui from {_SRC}", file=sys.stderr)
    rows: list[tuple[str, str, str, str, str]] = []
    #: per briefing: the ratios of the goals (issue 16), printed as a table of their own
    summary: dict[str, dict[str, float]] = {}
    with contextlib.ExitStack() as stack:
        if opts.keep is not None:
            opts.keep.mkdir(parents=True, exist_ok=True)
            tmpdir = opts.keep.resolve()
        else:
            tmpdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="brief-bench-")))
        _SCRATCH = tmpdir
        for size in [s.strip() for s in opts.sizes.split(",") if s.strip()]:
            path = briefing_for(size, tmpdir)
            words = len(path.read_text(encoding="utf-8").split())
            label = f"{size} ({words:,} words)"
            print(f"[{label}] launch -> article visible ...", file=sys.stderr)
            # alternated, so that both see the same moments of a noisy machine
            bare, vis = [], []
            for i in range(opts.runs):
                bare.append(run_child("bare")["t"])
                dd = tmpdir / f"data-visible-{size}-{i}"
                shutil.rmtree(dd, ignore_errors=True)  # (left by a run with --keep)
                vis.append(run_child("visible", str(path), str(dd))["t"])
            b, v = med(bare), med(vis)
            b0 = b
            summary[label] = {"paint": v / b, "bare": b}
            rows.append(
                (
                    label,
                    "1 launch -> article visible",
                    fmt_s(v),
                    f"bare Textual app {fmt_s(b)}",
                    f"{v / b:.2f}x",
                )
            )
            if opts.no_analysis:
                continue
            print(f"[{label}] launch -> analysis complete ...", file=sys.stderr)
            raw, done, rss, rss_child, rss_raw = [], [], [], [], []
            cache_dir = tmpdir / f"data-analysed-{size}"
            kept = (cache_dir / "library.sqlite3").is_file()
            for i in range(0 if kept else opts.analysis_runs):
                r = run_child("spacy", str(path))
                raw.append(r["t"])
                rss_raw.append(r["rss"])
                dd = (
                    cache_dir
                    if i == opts.analysis_runs - 1
                    else tmpdir / f"data-analysed-{size}-{i}"
                )
                a = run_child("analysed", str(path), str(dd))
                done.append(a["t"])
                rss.append(a["rss"])
                rss_child.append(a["rss_analysis"])
            r_, d_ = med(raw), med(done)
            rows.append(
                (
                    label,
                    "2 launch -> analysis complete",
                    fmt_s(d_),
                    f"raw spaCy nlp.pipe {fmt_s(r_)}",
                    f"{d_ / r_:.2f}x" if not kept else f"(the analysis kept in {cache_dir})",
                )
            )

            print(f"[{label}] reopen (cache) ...", file=sys.stderr)
            # alternated with the bare app again: the ratio compares the same moments
            reo = []
            for _ in range(opts.runs):
                bare.append(run_child("bare")["t"])
                reo.append(run_child("reopen", str(path), str(cache_dir)))
            ro = med([r["t"] for r in reo])
            # in the same processes: from the article's first frame to the analysed panel
            after_paint = med([r.get("after_paint", float("nan")) for r in reo])
            b = med(bare)
            spacy_loaded = any(r["spacy"] for r in reo)
            sources = {r["source"] for r in reo}
            rows.append(
                (
                    label,
                    "4 reopen -> fully analysed view",
                    fmt_s(ro),
                    f"article visible {fmt_s(v)}",
                    f"{ro / b:.2f}x bare; spaCy {'LOADED' if spacy_loaded else 'not loaded'}; "
                    f"from {'/'.join(sorted(sources)) or '?'}",
                )
            )
            summary[label] = {"paint": v / b0, "reopen": ro / b, "bare": b}
            summary[label]["after_paint"] = after_paint

            print(f"[{label}] reopen inside the reader ...", file=sys.stderr)
            sw = [run_child("switch", str(path), str(cache_dir)) for _ in range(opts.runs)]
            rows.append(
                (
                    label,
                    "4b reopen in the reader -> analysed view",
                    fmt_s(med([r["t"] for r in sw])),
                    "(from the library, reader running)",
                    "from the cache"
                    if all(r["source"] == "cache" for r in sw)
                    else "NOT all from the cache",
                )
            )

            if opts.no_keys:
                summary[label]["rss"] = med(rss)
                summary[label]["rss_analysis"] = med(rss_child)
                continue
            print(f"[{label}] key latency ...", file=sys.stderr)
            lat: dict[str, list[float]] = {}
            states = []
            for i in range(opts.analysis_runs):
                dd = tmpdir / f"data-keys-{size}-{i}"
                shutil.rmtree(dd, ignore_errors=True)
                k = run_child("keys", str(path), str(dd))
                for name, vals in k["latencies"].items():
                    lat.setdefault(name, []).extend(vals)
                states.append(f"{k['state_at_start']}..{k['state_at_end']}")
            for key, what in (("page", "page-down"), ("entity", "entity jump")):
                running, idle = lat.get(f"{key}_running", []), lat.get(f"{key}_done", [])
                rows.append(
                    (
                        label,
                        f"3 {what} p50/p95 while analysing",
                        f"{fmt_ms(pct(running, 50))} / {fmt_ms(pct(running, 95))}",
                        f"analysis done {fmt_ms(pct(idle, 50))} / {fmt_ms(pct(idle, 95))}",
                        f"analysis {', '.join(states)}" if key == "page" else f"n={len(running)}",
                    )
                )
            every = [v for name, vals in lat.items() for v in vals]
            summary[label]["p95"] = pct(every, 95)
            summary[label]["rss"] = med(rss)
            summary[label]["rss_analysis"] = med(rss_child)
            rows.append(
                (
                    label,
                    "5 peak RSS (reader + analysis)",
                    f"{med(rss):.0f} MB + analysis process {med(rss_child):.0f} MB",
                    f"raw spaCy {med(rss_raw):.0f} MB",
                    "",
                )
            )

    headers = ("briefing", "figure", "brief-tui", "reference (same run)", "ratio / note")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(
        f"runs: quick figures {opts.runs}, analysis figures {opts.analysis_runs}; medians; "
        f"headless {SIZE[0]}x{SIZE[1]}; {os.cpu_count()} CPUs"
    )
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    print()
    print(
        "| briefing | first paint ÷ bare (goal 1.5x) | reopen → analysed panel ÷ bare "
        "(goal 2x) | reopen: first frame -> analysed panel | key p95 (goal 50 ms) "
        "| peak RSS reader + analysis |"
    )
    print("|---|---|---|---|---|---|")
    for label, s in summary.items():
        nan = float("nan")
        print(
            f"| {label} | {s['paint']:.2f}x | {s.get('reopen', nan):.2f}x "
            f"| {fmt_ms(s.get('after_paint', nan))} | {fmt_ms(s.get('p95', nan))} "
            f"| {s.get('rss', nan):.0f} + {s.get('rss_analysis', nan):.0f} MB |"
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        launch_at = float(sys.argv[2])
        kind, rest = sys.argv[3], sys.argv[4:]
        if kind == "bare":
            child_bare(launch_at)
        elif kind == "spacy":
            child_spacy(launch_at, rest[0])
        else:
            child_app(launch_at, kind, rest[0], rest[1])
        sys.exit("child ended without a result")
    main()
