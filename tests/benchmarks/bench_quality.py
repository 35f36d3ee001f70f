"""Quality benchmark of brief_tui.analysis on GUM news (20 Wikinews stories with gold
entities, coreference and attributions). Run: ``python tests/benchmarks/bench_quality.py``.

Data: $BRIEF_TUI_GUM (the .jsonl file or its directory), else ../shared/data relative to the
repository root. Prints precision / recall / F1 for
- entities by type (person, organization, place), exact (after dropping "the" and "'s") and
  partial (same type, spans overlap);
- actor grouping: pairwise over gold coreference clusters of named person/org/place mentions;
- claim content: overlap (a predicted content overlaps a gold one, one-to-one), exact (same
  word tokens) and token-level;
- source: span overlap among matched claims, and resolved to the right coreference chain;
- speed: words/s of analyze() against raw nlp.pipe over the same paragraphs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tui"))

TYPE_OF = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
ACTOR_TYPES = ("person", "organization", "place")
_WORD = re.compile(r"\w+")


def data_path() -> Path:
    env = os.environ.get("BRIEF_TUI_GUM")
    if env:
        p = Path(env)
        return p / "gum_news_train.jsonl" if p.is_dir() else p
    return REPO.parent / "shared" / "data" / "gum_news_train.jsonl"


def prf(tp_p: float, n_pred: float, tp_r: float, n_gold: float) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def norm_span(text: str, s: int, e: int) -> tuple[int, int]:
    seg = text[s:e]
    low = seg.lower()
    for det in ("the ", "a ", "an "):
        if low.startswith(det):
            s += len(det)
            seg = seg[len(det) :]
            break
    for suf in ("'s", "’s", "'", "’"):
        if seg.endswith(suf):
            e -= len(suf)
            break
    return s, e


class Tok:
    """Word tokens of a text with their char spans, to turn spans into token-index sets."""

    def __init__(self, text: str):
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [a for a, _ in self.spans]

    def ids(self, frags) -> frozenset[int]:
        import bisect

        out = set()
        for s, e in frags:
            i = bisect.bisect_left(self.starts, s)
            # a token partly inside counts
            if i > 0 and self.spans[i - 1][1] > s:
                i -= 1
            while i < len(self.spans) and self.spans[i][0] < e:
                out.add(i)
                i += 1
        return frozenset(out)


def gold_frags(span) -> list[tuple[int, int]]:
    if span is None:
        return []
    return [tuple(x) for x in (span.get("spans") or [[span["start"], span["end"]]])]


def score_entities(rec, an, acc):
    text = rec["text"]
    gold = {
        (t, *norm_span(text, g["start"], g["end"]))
        for g in rec["entities"]
        if (t := g["label"]) in ACTOR_TYPES
    }
    pred = {
        (TYPE_OF[e.label], *norm_span(text, e.start, e.end))
        for e in an.entities
        if e.label in TYPE_OF
    }
    for t in ACTOR_TYPES:
        g = {x for x in gold if x[0] == t}
        p = {x for x in pred if x[0] == t}
        a = acc.setdefault(t, [0, 0, 0, 0, 0])
        a[0] += len(g & p)
        a[1] += len(p)
        a[2] += len(g)
        # partial: overlap, same type
        a[3] += sum(1 for x in p if any(y[1] < x[2] and x[1] < y[2] for y in g))
        a[4] += sum(1 for y in g if any(y[1] < x[2] and x[1] < y[2] for x in p))


def align(gs: int, ge: int, mentions):
    """The system mention standing for a gold mention: the longest one that shares its end
    (heads are final in English names) inside it, else the one containing it."""
    best = None
    for s, e, aid in mentions:
        inside = gs <= s and e <= ge and (abs(e - ge) <= 2)
        contains = s <= gs and ge <= e
        if (inside or contains) and (best is None or (e - s) > (best[1] - best[0])):
            best = (s, e, aid)
    return best[2] if best else None


def score_grouping(rec, an, acc):
    text = rec["text"]
    mentions = [(m.start, m.end, a.id) for a in an.actors for m in a.mentions]
    gold = [
        (g["cluster"], align(*norm_span(text, g["start"], g["end"]), mentions))
        for g in rec["entities"]
        if g["label"] in ACTOR_TYPES
    ]
    n = len(gold)
    for i in range(n):
        for j in range(i + 1, n):
            gsame = gold[i][0] == gold[j][0]
            ssame = gold[i][1] is not None and gold[i][1] == gold[j][1]
            acc[0] += gsame and ssame
            acc[1] += ssame
            acc[2] += gsame


def score_claims(rec, an, acc):
    text = rec["text"]
    tok = Tok(text)
    golds = [a for a in rec["attributions"]]
    gcont = [tok.ids(gold_frags(a["content"])) for a in golds]
    preds = [c for c in an.claims if c.source is not None or c.cue is not None]
    pcont = [tok.ids([(f.start, f.end) for f in c.content]) for c in preds]
    # one-to-one matching by overlap size
    pairs = sorted(
        (
            (len(pc & gc), i, j)
            for i, pc in enumerate(pcont)
            for j, gc in enumerate(gcont)
            if pc & gc
        ),
        reverse=True,
    )
    used_p, used_g, match = set(), set(), []
    for _ov, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        match.append((i, j))
    acc["pred"] += len(preds)
    acc["gold"] += len(golds)
    acc["overlap"] += len(match)
    acc["exact"] += sum(1 for i, j in match if pcont[i] == gcont[j])
    acc["tok_inter"] += sum(len(pcont[i] & gcont[j]) for i, j in match)
    acc["tok_pred"] += sum(len(x) for x in pcont)
    acc["tok_gold"] += sum(len(x) for x in gcont)
    # sources
    clusters = {}
    for m in rec["all_mentions"]:
        clusters.setdefault(m["cluster"], []).append((m["start"], m["end"]))
    acc["src_pred"] += sum(1 for c in preds if c.source_span is not None)
    acc["src_gold"] += sum(1 for a in golds if a["source"] is not None)
    for i, j in match:
        c, g = preds[i], golds[j]
        if c.source_span is None or g["source"] is None:
            continue
        ps = tok.ids([(c.source_span.start, c.source_span.end)])
        gs = tok.ids(gold_frags(g["source"]))
        if ps & gs:
            acc["src_overlap"] += 1
        if ps == gs:
            acc["src_exact"] += 1
        # resolved: the chain of the system source reaches the gold source's cluster
        ge = g.get("source_entity") or {}
        gm = clusters.get(ge.get("cluster"), []) if ge else []
        gm = gm or gold_frags(g["source"])
        src = an.source(c.source)
        sys_spans = [(c.source_span.start, c.source_span.end)]
        if src is not None and src.actor:
            act = an.actor(src.actor)
            if act is not None:
                sys_spans += [(m.start, m.end) for m in act.mentions]
        if any(a < d and c_ < b for a, b in sys_spans for c_, d in gm if (b - a) < 200):
            acc["src_chain"] += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show", action="store_true", help="print per-claim mismatches")
    args = ap.parse_args()

    from brief_tui.analysis import analyze
    from brief_tui.analysis.chunks import paragraphs
    from brief_tui.analysis.nlp import load_model

    recs = [
        json.loads(line)
        for line in data_path().read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    model = load_model()
    words = sum(len(r["text"].split()) for r in recs)
    # warm up
    analyze(recs[0]["text"], model=model)

    t0 = time.perf_counter()
    analyses = [analyze(r["text"], model=model) for r in recs]
    t_an = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in recs:
        for _ in model.nlp.pipe(r["text"][s:e] for s, e in paragraphs(r["text"])):
            pass
    t_raw = time.perf_counter() - t0

    ent_acc: dict = {}
    grp = [0, 0, 0]
    cl = dict.fromkeys(
        [
            "pred",
            "gold",
            "overlap",
            "exact",
            "tok_inter",
            "tok_pred",
            "tok_gold",
            "src_pred",
            "src_gold",
            "src_overlap",
            "src_exact",
            "src_chain",
        ],
        0,
    )
    for r, an in zip(recs, analyses, strict=False):
        score_entities(r, an, ent_acc)
        score_grouping(r, an, grp)
        score_claims(r, an, cl)

    out: dict[str, object] = {}
    rows = []
    for t in ACTOR_TYPES:
        tp, npred, ngold, pp, pg = ent_acc[t]
        rows.append((f"entities {t} exact", *prf(tp, npred, tp, ngold)))
        rows.append((f"entities {t} partial", *prf(pp, npred, pg, ngold)))
    tot = [sum(ent_acc[t][k] for t in ACTOR_TYPES) for k in range(5)]
    rows.append(("entities all exact", *prf(tot[0], tot[1], tot[0], tot[2])))
    rows.append(("entities all partial", *prf(tot[3], tot[1], tot[4], tot[2])))
    rows.append(("actor grouping (pairwise)", *prf(grp[0], grp[1], grp[0], grp[2])))
    rows.append(
        ("claim content overlap", *prf(cl["overlap"], cl["pred"], cl["overlap"], cl["gold"]))
    )
    rows.append(("claim content exact", *prf(cl["exact"], cl["pred"], cl["exact"], cl["gold"])))
    rows.append(
        (
            "claim content tokens",
            *prf(cl["tok_inter"], cl["tok_pred"], cl["tok_inter"], cl["tok_gold"]),
        )
    )
    rows.append(
        (
            "source span overlap",
            *prf(cl["src_overlap"], cl["src_pred"], cl["src_overlap"], cl["src_gold"]),
        )
    )
    rows.append(
        (
            "source span exact",
            *prf(cl["src_exact"], cl["src_pred"], cl["src_exact"], cl["src_gold"]),
        )
    )
    rows.append(
        (
            "source resolved to chain",
            *prf(cl["src_chain"], cl["src_pred"], cl["src_chain"], cl["src_gold"]),
        )
    )
    print(
        f"GUM news train: {len(recs)} stories, {words} words, {cl['gold']} gold attributions, "
        f"{cl['pred']} predicted claims with a cue/source"
    )
    print(f"{'metric':34} {'P':>6} {'R':>6} {'F1':>6}")
    for name, p, r, f in rows:
        print(f"{name:34} {p:6.3f} {r:6.3f} {f:6.3f}")
        out[name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
    print(
        f"speed: analyze {words / t_an:,.0f} words/s; raw nlp.pipe {words / t_raw:,.0f} words/s "
        f"(ratio {t_raw / t_an:.2f}); model {model.name} {model.version}"
    )
    out["speed"] = {"analyze_wps": round(words / t_an), "raw_wps": round(words / t_raw)}
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
