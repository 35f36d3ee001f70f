"""Large briefings for the size tests and the performance benchmark, made by stitching the
sample's paragraphs with names, places and numbers varied (so that the entity, actor and claim
counts grow with the text, as in a real long report). Deterministic for a given seed.
Standard library only: the benchmark imports this in child processes."""

from __future__ import annotations

import random
import re
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "seeds" / "north-korean-troops-in-russia.txt"

_FIRST = [
    "Lee",
    "Park",
    "Kim",
    "Choi",
    "Anna",
    "Pavel",
    "Olena",
    "Tomas",
    "Maria",
    "John",
    "Aiko",
    "Dmitri",
    "Hannah",
    "Sergei",
    "Lucia",
    "Omar",
    "Ingrid",
    "Viktor",
    "Mei",
    "Raj",
]
_LAST = [
    "Seong-kweun",
    "Petrov",
    "Kowalski",
    "Novak",
    "Schmidt",
    "Andersen",
    "Moreau",
    "Rossi",
    "Tanaka",
    "Ivanenko",
    "Haddad",
    "Lindqvist",
    "Costa",
    "Okafor",
    "Brennan",
]
_PLACES = [
    "Kursk",
    "Kharkiv",
    "Belgorod",
    "Vladivostok",
    "Pyongyang",
    "Donetsk",
    "Zaporizhzhia",
    "Rostov",
    "Seoul",
    "Kyiv",
    "Odesa",
    "Bryansk",
]
_NAMES = [
    "Mark Rutte",
    "Lee Seong-kweun",
    "Yoon Suk Yeol",
    "Choe Son Hui",
    "Matthew Miller",
    "Kim Jong Un",
    "Vladimir Putin",
    "Volodymyr Zelenskyy",
]
_PLACE_RE = re.compile(r"\b(" + "|".join(["Kursk", "Pyongyang", "Seoul", "Moscow"]) + r")\b")
_NUM_RE = re.compile(r"\d+(?:,\d{3})*")


def sample_paragraphs() -> list[str]:
    return [p for p in SAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]


def make_text(words: int, *, seed: int = 1) -> str:
    """About ``words`` words of briefing-like text: a title, then sections of varied sample
    paragraphs, one paragraph per line."""
    rng = random.Random(seed)
    paras = sample_paragraphs()
    body = paras[1:]
    out = [f"Consolidated briefing {seed}: {paras[0]}"]
    count = len(out[0].split())
    section = 0
    while count < words:
        section += 1
        heading = f"Section {section}: {rng.choice(_PLACES)} and {rng.choice(_PLACES)}"
        out.append(heading)
        count += len(heading.split())
        for p in rng.sample(body, k=min(len(body), 6)):
            names = {
                n: f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for n in _NAMES if rng.random() < 0.4
            }
            for old, new in names.items():
                p = p.replace(old, new)
            p = _PLACE_RE.sub(lambda m: rng.choice(_PLACES) if rng.random() < 0.5 else m.group(), p)
            p = _NUM_RE.sub(lambda m: f"{rng.randint(2, 40000):,}", p)
            out.append(p)
            count += len(p.split())
            if count >= words:
                break
    return "\n".join(out) + "\n"


def write_text(directory: Path, words: int, *, seed: int = 1) -> Path:
    path = Path(directory) / f"briefing-{words // 1000}k-{seed}.txt"
    if not path.exists():
        path.write_text(make_text(words, seed=seed), encoding="utf-8")
    return path
