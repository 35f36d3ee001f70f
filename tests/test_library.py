"""The library across briefings: a briefing's metadata kept by the store, actors and sources
found in the other briefings (same alias normalisation as within one), figures of the same
measure side by side with repeats of one origin grouped, the listing and `brief-tui library`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brief_tui.analysis import LoadedModel
from brief_tui.analysis.model import (
    Actor,
    Analysis,
    Claim,
    Figure,
    Mention,
    Source,
    Span,
)
from brief_tui.briefing import Briefing, Heading, briefing_from_text
from brief_tui.cli_library import cmd_library
from brief_tui.library.crossref import (
    across,
    across_actor,
    across_source,
    actor_keys,
    figures_across,
    library_listing,
    name_key,
)
from brief_tui.library.store import Store

A_TEXT = (
    "North Korea has sent about 10,000 troops to Russia, the National Intelligence Service "
    "said. Lawmaker Lee Seong-kweun said the spy agency expected more. The U.S.'s envoy "
    "agreed.\n"
)
B_TEXT = (
    "Citing the NIS, lawmaker Park Sun-won said about 10,000 troops had gone to Russia. "
    "The NIS declined to say more. Lee Jae-myung, the opposition leader, said the US knew. "
    "Lee called it grave.\n"
)
C_TEXT = (
    "The State Department said 12,000 troops were in Russia's Kursk region. "
    "Drone strikes hit Kharkiv overnight.\n"
)
D_TEXT = "Nobody has analysed this one yet, but the NIS appears in it twice: NIS.\n"


def mentions(text: str, *words: str) -> list[Mention]:
    out = []
    for w in words:
        for m in re.finditer(re.escape(w), text):
            out.append(Mention(m.start(), m.end(), w))
    return sorted(out, key=lambda m: m.start)


def fig(text: str, words: str, value: float, unit: str = "troop") -> Figure:
    i = text.index(words)
    return Figure(i, i + len(words), words, value, "about", unit)


def claim(cid: str, text: str, sentence: str, source: str | None, *figs: Figure) -> Claim:
    i = text.index(sentence)
    return Claim(
        cid,
        i,
        i + len(sentence),
        [Span(i, i + len(sentence))],
        source=source,
        quote="indirect",
        figures=list(figs),
    )


def analysis_of(
    b: Briefing, actors: list[Actor], sources: list[Source], claims: list[Claim]
) -> Analysis:
    return Analysis(
        briefing_id=b.id,
        title=b.title,
        text=b.text,
        model_name="test",
        model_version="1",
        actors=actors,
        sources=sources,
        claims=claims,
    )


def a_analysis(b: Briefing) -> Analysis:
    t = b.text
    return analysis_of(
        b,
        [
            Actor(
                "a1",
                "National Intelligence Service",
                "organisation",
                ["the spy agency", "NIS"],
                mentions=mentions(t, "National Intelligence Service", "the spy agency"),
            ),
            Actor(
                "a2", "Lee Seong-kweun", "person", ["Lee"], mentions=mentions(t, "Lee Seong-kweun")
            ),
            Actor("a3", "United States", "place", ["U.S.'s"], mentions=mentions(t, "U.S.'s")),
            Actor("a4", "Russia", "place", [], mentions=mentions(t, "Russia")),
        ],
        [Source("s1", "National Intelligence Service", "intelligence", actor="a1")],
        [
            claim(
                "c1",
                t,
                "North Korea has sent about 10,000 troops to Russia",
                "s1",
                fig(t, "about 10,000 troops", 10_000),
            )
        ],
    )


def b_analysis(b: Briefing) -> Analysis:
    t = b.text
    return analysis_of(
        b,
        [
            Actor("a1", "NIS", "organisation", [], mentions=mentions(t, "NIS")),
            Actor("a2", "Park Sun-won", "person", [], mentions=mentions(t, "Park Sun-won")),
            Actor("a3", "Lee Jae-myung", "person", ["Lee"], mentions=mentions(t, "Lee")),
            Actor("a4", "the US", "place", [], mentions=mentions(t, "the US")),
            Actor("a5", "Russia", "place", [], mentions=mentions(t, "Russia")),
        ],
        [
            Source("s1", "NIS", "intelligence", actor="a1"),
            Source("s2", "Park Sun-won", "person", actor="a2", via="s1"),
        ],
        [
            claim(
                "c1",
                t,
                "about 10,000 troops had gone to Russia",
                "s2",
                fig(t, "about 10,000 troops", 10_000),
            )
        ],
    )


def c_analysis(b: Briefing) -> Analysis:
    t = b.text
    return analysis_of(
        b,
        [
            Actor(
                "a1",
                "State Department",
                "organisation",
                [],
                mentions=mentions(t, "State Department"),
            ),
            Actor("a2", "Russia", "place", ["Russia's"], mentions=mentions(t, "Russia's")),
        ],
        [Source("s1", "State Department", "official", actor="a1")],
        [
            claim(
                "c1",
                t,
                "12,000 troops were in Russia's Kursk region",
                "s1",
                fig(t, "12,000 troops", 12_000),
            )
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def library(store: Store) -> dict[str, Briefing]:
    """Four briefings: A, B and C analysed (by hand), D never analysed."""
    out = {}
    for key, text, make in (
        ("a", A_TEXT, a_analysis),
        ("b", B_TEXT, b_analysis),
        ("c", C_TEXT, c_analysis),
        ("d", D_TEXT, None),
    ):
        b = briefing_from_text(text, f"/briefings/{key}.txt")
        store.add_briefing(b)
        if make is not None:
            store.put_cached_analysis(make(b))
        out[key] = b
    return out


# -- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.", "United States"),
        ("the US", "the United States"),
        ("the U.S.'s", "US"),
        ("NIS", "National Intelligence Service"),
        ("the National Intelligence Service’s", "NIS"),
        ("North Korean", "North Korea"),
        ("DPRK", "North Korea"),
        ("Kim Jong Un’s", "kim jong un"),
        ("U.N.", "UN"),
    ],
)
def test_name_key_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b) is not None


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("us") != name_key("US")  # a pronoun is not the United States
    assert name_key("South Korea") != name_key("North Korea")
    assert name_key("") is None and name_key("the ") is None


def test_actor_keys_leave_out_descriptions_and_bare_surnames() -> None:
    keys = actor_keys("Lee Seong-kweun", ["Lee", "the lawmaker"], kind="person")
    assert keys == {"lee seong-kweun"}
    org = actor_keys(
        "National Intelligence Service", ["the spy agency", "NIS"], kind="organisation"
    )
    assert org == {"national intelligence service"}


# -- the store keeps what a briefing knows -------------------------------------------------------
def test_store_keeps_author_date_url_format_encoding(store: Store) -> None:
    text = "# Troops in Kursk\n\nSeoul says 10,000 troops went.\n"
    b = briefing_from_text(
        text,
        "https://example.org/kursk",
        fmt="markdown",
        encoding="cp1252",
        author="Jane Roe",
        date=dt.date(2024, 10, 29),
        url="https://example.org/kursk?x=1",
        headings=(Heading(1, 0, 17, "# Troops in Kursk"),),
        title="Troops in Kursk",
    )
    store.add_briefing(b)
    got = store.get_briefing(b.id)
    assert got == b
    assert (got.author, got.date, got.url, got.format, got.encoding) == (
        "Jane Roe",
        dt.date(2024, 10, 29),
        "https://example.org/kursk?x=1",
        "markdown",
        "cp1252",
    )
    assert store.briefing_meta(b.id)["date"] == "2024-10-29"


def test_store_keeps_paragraphs_a_handler_made(store: Store) -> None:
    text = "A code block\nof two lines\n\nand a paragraph\n"
    paragraphs = ((0, 25), (27, 42))  # the first block spans two lines
    b = briefing_from_text(text, "x.md", fmt="markdown", paragraphs=paragraphs)
    assert b.paragraphs == paragraphs
    store.add_briefing(b)
    got = store.get_briefing(b.id)
    assert got is not None and got.paragraphs == paragraphs


def test_store_meta_merges(store: Store) -> None:
    b = briefing_from_text("Kharkiv was hit overnight.\n", "x", author="AP")
    store.add_briefing(b, meta={"tags": ["ukraine"]})
    assert store.briefing_meta(b.id) == {"author": "AP", "tags": ["ukraine"]}
    store.add_briefing(b)  # opened again without meta: the caller's keys stay
    assert store.briefing_meta(b.id) == {"author": "AP", "tags": ["ukraine"]}
    store.add_briefing(b, meta={"author": "Reuters"})  # the caller's word wins
    got = store.get_briefing(b.id)
    assert got is not None and got.author == "Reuters" and got.date is None
    plain = briefing_from_text("Nothing known about this one.\n", "y")
    store.add_briefing(plain)
    assert store.briefing_meta(plain.id) == {}
    assert store.get_briefing(plain.id) == plain


# -- actors and sources across briefings ---------------------------------------------------------
def test_actor_across_briefings(store: Store, library: dict[str, Briefing]) -> None:
    a, b, d = library["a"], library["b"], library["d"]
    an = store.latest_cached_analysis(a.id)
    assert an is not None
    nis = an.actor("a1")
    assert nis is not None
    hits = across_actor(store, a.id, nis)
    assert [h.briefing_id for h in hits] == [b.id, d.id]
    hb, hd = hits
    assert hb.analysed and hb.mentions == 2 and hb.claims == 1  # Park via NIS counts
    assert hb.first_offset == B_TEXT.index("NIS") and hb.names == ("NIS",)
    assert not hd.analysed and hd.mentions == 2 and hd.first_offset == D_TEXT.index("NIS")
    # a bare surname does not make Lee Seong-kweun into Lee Jae-myung
    lee = an.actor("a2")
    assert lee is not None and across_actor(store, a.id, lee) == []
    # U.S.'s in A, the US in B: one actor
    us = an.actor("a3")
    assert us is not None
    assert [(h.briefing_id, h.names) for h in across_actor(store, a.id, us)] == [
        (b.id, ("the US",))
    ]
    # Russia: B and C (Russia's), not A itself
    russia = an.actor("a4")
    assert russia is not None
    assert {h.briefing_id for h in across_actor(store, a.id, russia)} == {b.id, library["c"].id}


def test_source_across_briefings(store: Store, library: dict[str, Briefing]) -> None:
    a, b = library["a"], library["b"]
    bn = store.latest_cached_analysis(b.id)
    assert bn is not None
    nis = bn.source("s1")
    assert nis is not None
    hits = across_source(store, b.id, bn, nis)
    assert hits[0].briefing_id == a.id and hits[0].claims == 1 and hits[0].mentions == 2
    assert hits[0].first_offset == A_TEXT.index("National Intelligence Service")
    assert across(store, b.id, "Park Sun-won", kind="person") == []


def test_across_kind_and_empty_names(store: Store, library: dict[str, Briefing]) -> None:
    a = library["a"]
    assert across(store, a.id, "Russia", kind="person") == []  # a person is not a place
    assert across(store, a.id, "", []) == []


# -- figures across briefings ---------------------------------------------------------------------
def test_figures_side_by_side_with_one_origin_grouped(
    store: Store, library: dict[str, Briefing]
) -> None:
    a, b, c = library["a"], library["b"], library["c"]
    (m,) = figures_across(store)
    assert m.unit == "troop" and set(m.briefing_ids) == {a.id, b.id, c.id}
    assert {(r.briefing_id, r.value, r.source, r.origin) for r in m.reports} == {
        (a.id, 10_000, "National Intelligence Service", "National Intelligence Service"),
        (b.id, 10_000, "Park Sun-won", "NIS"),
        (c.id, 12_000, "State Department", "State Department"),
    }
    # A's NIS and B's lawmaker citing the NIS are one origin, not corroboration
    assert m.independent == 2
    groups = {frozenset(g.briefing_ids): g for g in m.origins}
    assert set(groups) == {frozenset({a.id, b.id}), frozenset({c.id})}
    assert groups[frozenset({a.id, b.id})].value == 10_000
    assert m.agreement == "conflicting"  # 10,000 against 12,000
    b_report = next(r for r in m.reports if r.briefing_id == b.id)
    assert b_report.chain == ("Park Sun-won", "NIS")
    assert B_TEXT[b_report.offset :].startswith("about 10,000 troops")
    # filters
    assert figures_across(store, c.id, unit="troops")[0].unit == "troop"
    assert figures_across(store, library["d"].id) == []
    assert figures_across(store, unit="missile") == []


def test_same_words_are_one_origin(store: Store) -> None:
    wire = "Officials estimated that some 3,000 drones had been delivered to the front by October."
    briefings = []
    for i, source in enumerate(("Reuters", "Yonhap", "AP")):
        text = f"{source} report. {wire}\n"
        b = briefing_from_text(text, f"w{i}.txt")
        store.add_briefing(b)
        store.put_cached_analysis(
            analysis_of(
                b,
                [],
                [Source("s1", source, "news-agency")],
                [claim("c1", text, wire, "s1", fig(text, "some 3,000 drones", 3000, "drone"))],
            )
        )
        briefings.append(b)
    other = "Kyiv said 3,100 drones were launched.\n"
    ob = briefing_from_text(other, "k.txt")
    store.add_briefing(ob)
    store.put_cached_analysis(
        analysis_of(
            ob,
            [],
            [Source("s1", "Kyiv", "official")],
            [
                claim(
                    "c1",
                    other,
                    "3,100 drones were launched",
                    "s1",
                    fig(other, "3,100 drones", 3100, "drone"),
                )
            ],
        )
    )
    (m,) = figures_across(store)
    assert len(m.reports) == 4 and m.independent == 2  # three copies of one wire story, and Kyiv
    assert m.agreement == "corroborated"
    one_origin = figures_across(store, briefings[0].id)
    assert one_origin[0].unit == "drone"


def test_real_analyses_share_an_actor(
    store: Store, loaded_model: LoadedModel, sample_text: str
) -> None:
    from brief_tui.analysis import analyze

    other = (
        "KYIV, Nov 4 - Ukraine's military intelligence said North Korean troops had reached "
        "Kursk. NATO Secretary General Mark Rutte said the deployment was a dangerous escalation.\n"
    )
    ids = []
    for text, origin in ((sample_text, "sample.txt"), (other, "kyiv.txt")):
        b = briefing_from_text(text, origin)
        store.add_briefing(b)
        store.put_cached_analysis(
            analyze(b.text, title=b.title, briefing_id=b.id, model=loaded_model)
        )
        ids.append(b.id)
    an = store.latest_cached_analysis(ids[0])
    assert an is not None
    rutte = next(a for a in an.actors if a.name == "Mark Rutte")
    (hit,) = across_actor(store, ids[0], rutte)
    assert hit.briefing_id == ids[1] and hit.mentions >= 1
    assert other[hit.first_offset or 0 :].startswith("Mark Rutte")
    back = store.latest_cached_analysis(ids[1])
    assert back is not None
    north_korea = next(a for a in back.actors if a.name == "North Korea")  # "North Korean troops"
    (hit,) = across_actor(store, ids[1], north_korea)
    assert hit.briefing_id == ids[0] and hit.mentions > 5


# -- the listing and `brief-tui library` -----------------------------------------------------------
def test_library_listing(store: Store, library: dict[str, Briefing]) -> None:
    a = library["a"]
    store.add_annotation(a.id, "note", start=0, end=5, note="check")
    dated = briefing_from_text(
        "Seoul, Oct 29 (Yonhap) - More troops.\n",
        "https://www.yna.co.kr/x",
        fmt="html",
        date=dt.date(2024, 10, 29),
        url="https://www.yna.co.kr/x",
    )
    store.add_briefing(dated)
    rows = library_listing(store)
    assert [r["id"] for r in rows][:2] == [dated.id, library["d"].id]  # last opened first
    by_id = {r["id"]: r for r in rows}
    assert by_id[a.id]["claims"] == 1 and by_id[a.id]["annotations"] == 1
    assert by_id[library["d"].id]["claims"] is None  # never analysed
    assert by_id[dated.id]["date"] == "2024-10-29" and by_id[dated.id]["source"] == "yna.co.kr"
    assert by_id[a.id]["source"] == "a.txt" and by_id[a.id]["origin"] == "/briefings/a.txt"
    assert set(rows[0]) >= {"id", "title", "source", "date", "claims", "annotations", "last_opened"}
    json.dumps(rows)


def test_cli_library_json(
    store: Store, library: dict[str, Briefing], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cmd_library(["--json", "--data-dir", str(tmp_path / "data")]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == {b.id for b in library.values()}
    assert cmd_library(["--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert "Library (4 briefings)" in out and "Last opened" in out


def test_cli_library_module_empty(tmp_path: Path) -> None:
    env = {**os.environ, "BRIEF_TUI_DATA_DIR": str(tmp_path / "empty")}
    out = subprocess.run(
        [sys.executable, "-m", "brief_tui.cli_library", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    assert "textual" not in out.stderr
