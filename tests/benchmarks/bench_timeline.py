"""Benchmark of the Timeline on a 300-page report (~300k words), and of the briefing's date
(read on every open), before and after dates went to dateparser.

"Before" is the hand-written briefing/dates.py of ``--before`` (a git revision, read with
``git show``: 37c95f0, the last one with it); "after" is ``analysis.timeline.timeline`` over
the analysis of the same text (spaCy's DATE entities, as the reader has them once the text
is analysed) and the plain-text fallback ``briefing.dates.timeline``. The spaCy analysis of
the text is timed too, as the reference of the same run.

The text is tests/bigtext.py's, with a dated sentence added to every fourth paragraph
("On 3 March 2011 …", "in June 1998", "last Friday", "two weeks ago" …), so that it holds
thousands of distinct date expressions (dateparser's cost is per distinct expression).

Run:  .venv/bin/python tests/benchmarks/bench_timeline.py [--words 300000] [--before REV]
Each timing is in a fresh process (cold: imports and dateparser's first call included).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bigtext import make_text  # noqa: E402

_MONTHS = "January February March April May June July August September October November December"
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
_FORMS = [
    "On {d} {m} {y}, the ministry said troops had moved.",
    "The pact was signed in {m} {y} after long talks.",
    "Officials met on {m} {d}, {y}, and again last {wd}.",
    "The agency warned {n} weeks ago that shelling would resume in {m}.",
    "Since {y} the border has been closed, and it will reopen next {wd}.",
    "The report, dated {d} {m} {y}, was released earlier this month.",
]


def dated_text(words: int) -> str:
    rng = random.Random(7)
    lines = make_text(words).split("\n")
    out = []
    for i, line in enumerate(lines):
        if i % 4 == 3 and line:
            form = rng.choice(_FORMS)
            line += " " + form.format(
                d=rng.randint(1, 28),
                m=rng.choice(_MONTHS.split()),
                y=rng.randint(1990, 2024),
                wd=rng.choice(_DAYS.split()),
                n=rng.choice(["two", "three", "four", "5", "6"]),
            )
        out.append(line)
    return "\n".join(out)


_OLD_TIMELINE = """
import datetime, importlib.util, json, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("old_dates", sys.argv[1])
mod = importlib.util.module_from_spec(spec); sys.modules["old_dates"] = mod
spec.loader.exec_module(mod)
text = open(sys.argv[2], encoding="utf-8").read()
t1 = time.perf_counter()
events = mod.timeline(text, datetime.date(2024, 10, 29))
t2 = time.perf_counter()
print(json.dumps({"s": t2 - t1, "events": len(events), "distinct": len({e.text for e in events})}))
"""

_NEW_TEXT_TIMELINE = """
import datetime, json, sys, time
from brief_tui.briefing.dates import timeline
text = open(sys.argv[1], encoding="utf-8").read()
t1 = time.perf_counter()
events = timeline(text, datetime.date(2024, 10, 29))
t2 = time.perf_counter()
print(json.dumps({"s": t2 - t1, "events": len(events), "distinct": len({e.text for e in events})}))
"""

_ANALYSE = """
import json, sys, time
from brief_tui.analysis import analyze
text = open(sys.argv[1], encoding="utf-8").read()
t1 = time.perf_counter()
an = analyze(text)
t2 = time.perf_counter()
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(an.to_json()))
print(json.dumps({"s": t2 - t1, "dates": sum(e.label in ("DATE", "TIME") for e in an.entities)}))
"""

_NEW_ANALYSIS_TIMELINE = """
import datetime, json, sys, time
from brief_tui.analysis.model import Analysis
an = Analysis.from_json(json.loads(open(sys.argv[1], encoding="utf-8").read()))
from brief_tui.analysis.timeline import timeline
t1 = time.perf_counter()
events = timeline(an, datetime.date(2024, 10, 29))
t2 = time.perf_counter()
again = time.perf_counter()
timeline(an, datetime.date(2024, 10, 29))
warm = time.perf_counter() - again
print(json.dumps({"s": t2 - t1, "warm": warm, "events": len(events),
                  "distinct": len({e.text for e in events})}))
"""

_DATELINE = """
import importlib.util, json, sys, time
text = open(sys.argv[2], encoding="utf-8").read()
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("dates", sys.argv[1])
mod = importlib.util.module_from_spec(spec); sys.modules["dates"] = mod
spec.loader.exec_module(mod)
t1 = time.perf_counter()
got = mod.dateline_date(text)
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "s": t2 - t1, "date": str(got)}))
"""


def run(code: str, *args: str) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "tui"))
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--before", default="37c95f0")
    ns = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        text_path = d / "report.txt"
        text = dated_text(ns.words)
        text_path.write_text(text, encoding="utf-8")
        print(f"text: {len(text.split()):,} words, {len(text):,} characters")
        old = d / "old_dates.py"
        try:
            old.write_bytes(
                subprocess.run(
                    ["git", "show", f"{ns.before}:tui/brief_tui/briefing/dates.py"],
                    cwd=REPO,
                    capture_output=True,
                    check=True,
                ).stdout
            )
        except (OSError, subprocess.CalledProcessError):
            old = Path()
            print(f"(no {ns.before} in git here: the 'before' rows are skipped)")

        print("\nThe Timeline (seconds; cold: a fresh process, imports excluded)")
        before = run(_OLD_TIMELINE, str(old), str(text_path)) if old.name else None
        if before:
            print(f"  before: regexes over the text        {before['s']:7.2f} s   {before}")
        analysis_path = d / "analysis.json"
        spacy = run(_ANALYSE, str(text_path), str(analysis_path))
        print(f"  (reference) spaCy analysis of the text {spacy['s']:7.2f} s   {spacy}")
        after = run(_NEW_ANALYSIS_TIMELINE, str(analysis_path))
        ratio = f"{after['s'] / before['s']:.2f}x before" if before else ""  # type: ignore[operator]
        print(f"  after: analysis.timeline (cold)      {after['s']:7.2f} s   {ratio}   {after}")
        fallback = run(_NEW_TEXT_TIMELINE, str(text_path))
        ratio = f"{fallback['s'] / before['s']:.2f}x before" if before else ""  # type: ignore[operator]
        print(
            f"  after: briefing.dates.timeline        {fallback['s']:7.2f} s   {ratio}   {fallback}"
        )

        hostile = d / "hostile.txt"
        hostile.write_text("on Monday and in June " * 50_000, encoding="utf-8")  # one 1.1 MB line
        if old.name:
            got = run(_OLD_TIMELINE, str(old), str(hostile))
            print(f"  one 1.1 MB line of dates, before     {got['s']:7.2f} s   {got}")
        got = run(_NEW_TEXT_TIMELINE, str(hostile))
        print(f"  one 1.1 MB line of dates, fallback   {got['s']:7.2f} s   {got}")

        print(
            "\nThe briefing's date on open (dateline_date, ms; a fresh process"
            "\n  loading briefing/dates.py alone)"
        )
        wire = d / "wire.txt"
        wire.write_text("SEOUL, Oct. 29, 2024 (Reuters) - Troops moved.\n" + text[:5000])
        published = d / "published.txt"
        published.write_text("Headline\nBy Jane Roe\nPublished: 29 October 2024\n" + text[:5000])
        new = REPO / "tui" / "brief_tui" / "briefing" / "dates.py"
        for name, path in (("no dateline", text_path), ("wire", wire), ("published", published)):
            for which in ("old", "new"):
                if which == "old" and not old.name:
                    continue
                runs = [
                    run(_DATELINE, str(old if which == "old" else new), str(path)) for _ in range(5)
                ]
                imp = statistics.median(float(r["import"]) for r in runs) * 1e3  # type: ignore[arg-type]
                call = statistics.median(float(r["s"]) for r in runs) * 1e3  # type: ignore[arg-type]
                print(
                    f"  {name:<12} {which}: import {imp:6.1f} ms   call {call:6.2f} ms"
                    f"   (median of 5) -> {runs[0]['date']}"
                )


if __name__ == "__main__":
    main()
