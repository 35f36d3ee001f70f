"""Quality benchmark of brief_tui.analysis on the four GUM genres (news, interview, court,
bio: gold entities, coreference and attributions). Run:
``python tests/benchmarks/bench_quality.py`` (``--detail`` adds the entity and span figures).

Data: $BRIEF_TUI_GUM (a directory holding gum_<genre>_train.jsonl), else ../shared/data
relative to the repository root.

The split (fixed once, never tuned on the held-out half): in each genre file the records are
sorted by their ``id``; those at even positions (0, 2, 4, ...) are the TUNE half, those at odd
positions the HELD-OUT half. Rules are looked at and adjusted only against the tune half;
the held-out half is only ever measured (``--half tune`` prints the tune half alone).

The headline figures, per genre and half (those the issue measures):
- content+source F1 (overlap): a predicted attributed claim (one with a cue or a source)
  matched one-to-one to a gold attribution by content token overlap counts when its source
  is right too (the source span, or the mentions of the actor it resolves to, overlap the
  gold source or a mention of the gold source's coreference chain);
- content precision (overlap): matched predicted claims / predicted claims;
- reporting-verb recall: gold attributions whose cue holds a reporting verb (say, tell,
  report, announce, state, ... "according to": REPORTING below, a general class, not this
  data's list) found with the right source;
- actor grouping pairwise F1 over the gold coreference clusters of named mentions;
- persons listed twice: documents where another actor's name is the surname (a final part)
  of a person actor's full name;
- speed: words/s of analyze() against raw nlp.pipe over the same paragraphs (all genres).

``--detail`` also prints, per genre, precision / recall / F1 for
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


GENRES = ("news", "interview", "court", "bio")
#: reporting (communication) verbs in any inflection, and "according to": the cue class the
#: reporting-verb recall is measured on
REPORTING = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|telling|state|states|stated|stating"
    r"|report|reports|reported|reporting|announce[sd]?|announcing|add|adds|added|adding"
    r"|explain(?:s|ed|ing)?|write|writes|wrote|writing|written|claim(?:s|ed|ing)?"
    r"|note[sd]?|noting|declare[sd]?|declaring|comment(?:s|ed|ing)?|remark(?:s|ed|ing)?"
    r"|tweet(?:s|ed|ing)?|e-?mail(?:s|ed|ing)?|assert(?:s|ed|ing)?|reply|replie[sd]|replying"
    r"|answer(?:s|ed|ing)?|quote[sd]?|quoting|mention(?:s|ed|ing)?|insist(?:s|ed|ing)?"
    r"|argue[sd]?|arguing|confirm(?:s|ed|ing)?|den(?:y|ies|ied|ying)|admit(?:s|ted|ting)?"
    r"|according to)\b",
    re.I,
)


def data_dir() -> Path:
    env = os.environ.get("BRIEF_TUI_GUM")
    if env:
        p = Path(env)
        return p if p.is_dir() else p.parent
    return REPO.parent / "shared" / "data"


def load_genre(genre: str) -> tuple[list[dict], list[dict]]:
    """(tune, held-out) records of a genre: sorted by id, even positions tune, odd held out."""
    path = data_dir() / f"gum_{genre}_train.jsonl"
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    recs.sort(key=lambda r: r["id"])
    return recs[0::2], recs[1::2]


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
    (heads are final in English names) inside it, else one containing it with at most three
    more characters. A gold mention nested in a longer name ("Texas" in "University of
    Texas") is not the longer name's actor: the system has no mention for it."""
    best = None
    for s, e, aid in mentions:
        inside = gs <= s and e <= ge and (abs(e - ge) <= 2)
        contains = s <= gs and ge <= e and (e - s) - (ge - gs) <= 3
        if (inside or contains) and (best is None or (e - s) > (best[1] - best[0])):
            best = (s, e, aid)
    return best[2] if best else None


def score_grouping(rec, an, acc):
    text = rec["text"]
    # both sides without "the" and "'s", as the gold is compared ("The President")
    mentions = [(*norm_span(text, m.start, m.end), a.id) for a in an.actors for m in a.mentions]
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


def persons_twice(an) -> list[tuple[str, str]]:
    """(full name, other actor's name) where another actor is named by a final part of a
    person's full name ("Trump" beside "Donald Trump", "De Blasio" beside "Bill de Blasio")."""
    out = []
    fulls = [a for a in an.actors if a.kind == "person" and len(a.name.split()) >= 2]
    for p in fulls:
        pw = [w.casefold() for w in p.name.split()]
        for o in an.actors:
            if o is p:
                continue
            ow = [w.casefold() for w in o.name.replace("’", "'").split()]
            if ow and ow[-1].endswith("'s"):
                ow[-1] = ow[-1][:-2]
            if ow and len(ow) < len(pw) and pw[-len(ow) :] == ow:
                out.append((p.name, o.name))
    return out


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
    rv_hits: set[int] = set()
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
            acc["cs"] += 1
            if REPORTING.search(((g.get("cue") or {}).get("text")) or ""):
                acc["rv_hit"] += 1
                rv_hits.add(j)
    acc["rv_gold"] += sum(
        1 for a in golds if REPORTING.search(((a.get("cue") or {}).get("text")) or "")
    )
    if args_show:
        by_gold = {j: i for i, j in match}
        for j, a in enumerate(golds):
            cue = (a.get("cue") or {}).get("text") or ""
            if REPORTING.search(cue) and j not in rv_hits:
                got = preds[by_gold[j]] if j in by_gold else None
                print(
                    f"  RV-MISS [{rec['id']}] {cue!r}: {a['content']['text'][:70]!r} <- "
                    f"{(a['source'] or {}).get('text')!r}; system: "
                    + (
                        f"{got.source_span.text if got.source_span else None!r} "
                        f"({got.cue.text if got.cue else None!r})"
                        if got
                        else "no claim"
                    )
                )
        shown = {j for _, j in match}
        for j, a in enumerate(golds):
            if j not in shown:
                print(
                    f"  MISS [{rec['id']}] {(a.get('cue') or {}).get('text')!r}: "
                    f"{a['content']['text'][:90]!r} <- {(a['source'] or {}).get('text')!r}"
                )
        mp = {i for i, _ in match}
        for i, c in enumerate(preds):
            if i not in mp:
                ct = " / ".join(an.text[f.start : f.end] for f in c.content)[:90]
                print(
                    f"  EXTRA [{rec['id']}] {c.cue.text if c.cue else None!r}: {ct!r} <- "
                    f"{c.source_span.text if c.source_span else None!r}"
                )


args_show = False
args_groups = False


def show_groups(rec, an) -> None:
    """Print the gold clusters the system splits and the system actors that merge gold
    clusters, with the pairs each loses (largest first)."""
    text = rec["text"]
    mentions = [(*norm_span(text, m.start, m.end), a.id) for a in an.actors for m in a.mentions]
    names = {a.id: a.name for a in an.actors}
    gold = [
        (g["cluster"], g["text"], align(*norm_span(text, g["start"], g["end"]), mentions))
        for g in rec["entities"]
        if g["label"] in ACTOR_TYPES
    ]
    by_cl: dict = {}
    by_sys: dict = {}
    for cl, t, aid in gold:
        by_cl.setdefault(cl, []).append((t, aid))
        if aid is not None:
            by_sys.setdefault(aid, []).append((cl, t))
    rows = []
    for ms in by_cl.values():
        n = len(ms)
        same = sum(
            1
            for i in range(n)
            for j in range(i + 1, n)
            if ms[i][1] is not None and ms[i][1] == ms[j][1]
        )
        lost = n * (n - 1) // 2 - same
        if lost:
            parts: dict = {}
            for t, aid in ms:
                parts.setdefault(names.get(aid, "-"), []).append(t)
            desc = "; ".join(f"{k}: {sorted(set(v))[:4]} x{len(v)}" for k, v in parts.items())
            rows.append((lost, f"  SPLIT [{rec['id']}] lost {lost}: {desc}"))
    for aid, ms in by_sys.items():
        n = len(ms)
        wrong = sum(1 for i in range(n) for j in range(i + 1, n) if ms[i][0] != ms[j][0])
        if wrong:
            cls: dict = {}
            for cl, t in ms:
                cls.setdefault(cl, []).append(t)
            desc = "; ".join(f"{sorted(set(v))[:3]} x{len(v)}" for v in cls.values())
            rows.append((wrong, f"  MERGE [{rec['id']}] {names[aid]!r} wrong {wrong}: {desc}"))
    for _, line in sorted(rows, key=lambda r: -r[0]):
        print(line)


CL_KEYS = (
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
    "cs",
    "rv_hit",
    "rv_gold",
)


def evaluate(recs, analyses) -> dict:
    ent_acc: dict = {}
    grp = [0, 0, 0]
    cl = dict.fromkeys(CL_KEYS, 0)
    twice_docs = []
    for r, an in zip(recs, analyses, strict=True):
        score_entities(r, an, ent_acc)
        score_grouping(r, an, grp)
        if args_groups:
            show_groups(r, an)
        score_claims(r, an, cl)
        tw = persons_twice(an)
        if tw:
            twice_docs.append((r["id"], tw))
    cs = prf(cl["cs"], cl["pred"], cl["cs"], cl["gold"])
    return {
        "docs": len(recs),
        "gold": cl["gold"],
        "pred": cl["pred"],
        "cs_p": cs[0],
        "cs_r": cs[1],
        "cs_f1": cs[2],
        "content_p": prf(cl["overlap"], cl["pred"], cl["overlap"], cl["gold"])[0],
        "content_r": prf(cl["overlap"], cl["pred"], cl["overlap"], cl["gold"])[1],
        "rv_recall": cl["rv_hit"] / cl["rv_gold"] if cl["rv_gold"] else 0.0,
        "rv_gold": cl["rv_gold"],
        "group_f1": prf(grp[0], grp[1], grp[0], grp[2])[2],
        "twice": len(twice_docs),
        "twice_docs": twice_docs,
        "_ent": ent_acc,
        "_cl": cl,
        "_grp": grp,
    }


def detail_rows(ev: dict) -> list[tuple[str, float, float, float]]:
    ent_acc, cl, grp = ev["_ent"], ev["_cl"], ev["_grp"]
    rows = []
    for t in ACTOR_TYPES:
        tp, npred, ngold, pp, pg = ent_acc.get(t, [0] * 5)
        rows.append((f"entities {t} exact", *prf(tp, npred, tp, ngold)))
        rows.append((f"entities {t} partial", *prf(pp, npred, pg, ngold)))
    rows.append(("actor grouping (pairwise)", *prf(grp[0], grp[1], grp[0], grp[2])))
    for name, k, n in (
        ("claim content overlap", "overlap", None),
        ("claim content exact", "exact", None),
        ("claim content tokens", "tok_inter", ("tok_pred", "tok_gold")),
        ("source span overlap", "src_overlap", ("src_pred", "src_gold")),
        ("source resolved to chain", "src_chain", ("src_pred", "src_gold")),
        ("content+source", "cs", None),
    ):
        a, b = n or ("pred", "gold")
        rows.append((name, *prf(cl[k], cl[a], cl[k], cl[b])))
    return rows


def main() -> None:
    global args_show, args_groups
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show", action="store_true", help="print missed and extra claims")
    ap.add_argument("--groups", action="store_true", help="print split and merged actors")
    ap.add_argument("--detail", action="store_true", help="entity and span figures too")
    ap.add_argument("--half", choices=("tune", "held-out", "both"), default="both")
    ap.add_argument("--genre", choices=GENRES, action="append", help="only these genres")
    args = ap.parse_args()
    args_show = args.show
    args_groups = args.groups

    from brief_tui.analysis import analyze
    from brief_tui.analysis.chunks import paragraphs
    from brief_tui.analysis.nlp import load_model

    model = load_model()
    halves = ("tune", "held-out") if args.half == "both" else (args.half,)
    data = {g: dict(zip(("tune", "held-out"), load_genre(g), strict=True)) for g in GENRES}
    genres = args.genre or list(GENRES)
    all_recs = [r for g in genres for h in halves for r in data[g][h]]
    analyze(all_recs[0]["text"], model=model)  # warm up

    words = sum(len(r["text"].split()) for r in all_recs)
    t0 = time.perf_counter()
    analyses = {id(r): analyze(r["text"], model=model) for r in all_recs}
    t_an = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in all_recs:
        for _ in model.nlp.pipe(r["text"][s:e] for s, e in paragraphs(r["text"])):
            pass
    t_raw = time.perf_counter() - t0

    out: dict[str, object] = {}
    hdr = (
        f"{'genre':9} {'half':8} {'docs':>4} {'gold':>4} {'pred':>4} {'CS-P':>5} {'CS-R':>5} "
        f"{'CS-F1':>5} {'cP':>5} {'cR':>5} {'RV-R':>5} {'(n)':>4} {'grpF1':>5} {'twice':>5}"
    )
    print(hdr)
    for g in genres:
        for h in halves:
            recs = data[g][h]
            if args.show or args.groups:
                print(f"-- {g} {h}")
            ev = evaluate(recs, [analyses[id(r)] for r in recs])
            print(
                f"{g:9} {h:8} {ev['docs']:4d} {ev['gold']:4d} {ev['pred']:4d} "
                f"{ev['cs_p']:5.3f} {ev['cs_r']:5.3f} {ev['cs_f1']:5.3f} {ev['content_p']:5.3f} "
                f"{ev['content_r']:5.3f} {ev['rv_recall']:5.3f} {ev['rv_gold']:4d} "
                f"{ev['group_f1']:5.3f} {ev['twice']:5d}"
            )
            if args.detail:
                for name, p, rr, f in detail_rows(ev):
                    print(f"    {name:32} P {p:5.3f} R {rr:5.3f} F1 {f:5.3f}")
                for doc, tw in ev["twice_docs"]:
                    print(f"    twice in {doc}: {tw}")
            out[f"{g}/{h}"] = {
                k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in ev.items()
                if not k.startswith("_") and k != "twice_docs"
            }
    print(
        f"speed: analyze {words / t_an:,.0f} words/s; raw nlp.pipe {words / t_raw:,.0f} words/s "
        f"(analyze takes {t_an / t_raw:.2f}x raw spaCy; {words} words); "
        f"model {model.name} {model.version}"
    )
    out["speed"] = {
        "analyze_wps": round(words / t_an),
        "raw_wps": round(words / t_raw),
        "ratio": round(t_an / t_raw, 3),
    }
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
