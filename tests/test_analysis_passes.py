"""Each grouping pass of the actors on its own, on hand-made mention records (no model)."""

from __future__ import annotations

from brief_tui.analysis.grouping import (
    Keyed,
    add_missed_surnames,
    attach_descriptions,
    build_actors,
    country_key,
    drop_things,
    key_mention,
    link_person_names,
    name_actors,
    one_label_per_name,
    short_countries,
    vote_labels,
)
from brief_tui.analysis.organisations import link_organisations
from brief_tui.analysis.records import DescRec, EntRec


def ent(start: int, text: str, label: str, **kw: object) -> EntRec:
    return EntRec(start, start + len(text), label, text, **kw)  # type: ignore[arg-type]


def keys(ms: list[Keyed]) -> list[str]:
    return [m.key for m in ms]


def test_surnames_spacy_missed_after_the_full_name():
    ents = [ent(20, "Jake Tapper", "PERSON")]
    out = add_missed_surnames(ents, [(0, 6, "Tapper"), (60, 66, "Tapper"), (70, 75, "Smith")])
    assert [(e.start, e.text, e.label) for e in out] == [
        (20, "Jake Tapper", "PERSON"),
        (60, "Tapper", "PERSON"),
    ]


def test_label_voting_a_surname_tagged_org_is_the_person():
    ents = [ent(0, "Donald Trump", "PERSON"), ent(30, "Trump", "ORG")]
    assert [e.label for e in one_label_per_name(ents)] == ["PERSON", "PERSON"]


def test_label_voting_keeps_a_surname_used_as_a_place():
    ents = [ent(0, "George Washington", "PERSON"), ent(40, "Washington", "GPE", dep="pobj")]
    ents[1].prep = "in"
    assert one_label_per_name(ents)[1].label == "GPE"


def test_label_voting_an_even_split_goes_one_way_for_every_mention():
    # "Scientology" as often LOC as ORG: one label (organisation), so one actor
    ents = [
        ent(0, "Scientology", "LOC"),
        ent(40, "Scientology", "ORG"),
        ent(80, "Scientology", "LOC"),
        ent(120, "Scientology", "ORG"),
    ]
    assert {e.label for e in one_label_per_name(ents)} == {"ORG"}
    # a majority still wins
    ents.append(ent(160, "Scientology", "LOC"))
    assert {e.label for e in one_label_per_name(ents)} <= {"GPE", "LOC"}


def test_label_voting_a_product_label_takes_the_actor_label_of_the_name():
    ents = [ent(0, "Crimea", "GPE"), ent(20, "Crimea", "EVENT"), ent(40, "Crimea", "GPE")]
    assert [e.label for e in vote_labels(ents)] == ["GPE", "GPE", "GPE"]


def test_titles_are_not_part_of_a_persons_key():
    assert key_mention(ent(0, "Sen. Ted Cruz", "PERSON")).key == "P:Ted Cruz"
    assert key_mention(ent(0, "Billionaire Sheldon Adelson", "PERSON")).key == ("P:Sheldon Adelson")


def test_metonyms_capital_as_actor_and_seat_of_government():
    assert country_key(ent(0, "Seoul", "GPE", dep="nsubj"), "Seoul") == ("C:South Korea", "metonym")
    assert country_key(ent(0, "Kremlin", "FAC", dep="nsubj"), "Kremlin") == ("C:Russia", "metonym")
    # a capital as a place ("a visit to Seoul") stays a place of its own
    visit = ent(0, "Seoul", "GPE", dep="pobj", prep="to")
    assert country_key(visit, "Seoul") is None
    assert key_mention(visit).key == "L:Seoul"


def test_demonyms_and_adjectives():
    m = key_mention(ent(0, "South Korean", "NORP", dep="nsubj"))
    assert (m.key, m.how, m.kind) == ("C:South Korea", "demonym", "place")
    assert key_mention(ent(0, "Koryo", "NORP", dep="amod", gov="peninsula")).key == ""
    assert key_mention(ent(0, "Republicans", "NORP", dep="nsubj")).key == "G:Republicans"


def test_surnames_go_to_the_nearest_full_name_before_them():
    ms = [
        key_mention(ent(0, "Jared Padalecki", "PERSON")),
        key_mention(ent(30, "Padalecki", "PERSON")),
        key_mention(ent(60, "Sherri Padalecki", "PERSON")),
        key_mention(ent(90, "Padalecki", "PERSON")),
        key_mention(ent(120, "Scientologist Tom Cruise", "PERSON")),
        key_mention(ent(160, "Tom Cruise", "PERSON")),
    ]
    link_person_names(ms)
    # salience: the one mentioned most so far wins over the nearest
    assert keys(ms) == [
        "P:Jared Padalecki",
        "P:Jared Padalecki",
        "P:Sherri Padalecki",
        "P:Jared Padalecki",
        "P:Tom Cruise",
        "P:Tom Cruise",
    ]
    assert ms[1].how == "alias"


def test_acronyms_go_to_their_expansion():
    ms = [
        key_mention(ent(0, "European Space Agency", "ORG", defined="ESA")),
        key_mention(ent(40, "ESA", "ORG")),
        key_mention(ent(60, "World Health Organization", "ORG")),
        key_mention(ent(90, "WHO", "ORG")),
        key_mention(ent(100, "NIS", "ORG")),
    ]
    link_organisations(ms)
    assert keys(ms) == [
        "O:European Space Agency",
        "O:European Space Agency",
        "O:World Health Organization",
        "O:World Health Organization",
        "O:NIS",  # the table's expansion only when the text names it
    ]
    assert ms[1].how == "acronym"


def test_one_word_persons_only_used_as_things_are_dropped():
    ms = [
        key_mention(ent(0, "Danube", "PERSON", thing=True)),
        key_mention(ent(30, "Danube", "PERSON", thing=True)),
        key_mention(ent(60, "Merkel", "PERSON", thing=True)),
        key_mention(ent(90, "Merkel", "PERSON", dep="nsubj")),
    ]
    drop_things(ms)
    assert keys(ms) == ["", "", "P:Merkel", "P:Merkel"]


def test_actors_take_their_kind_from_all_mentions_and_names_their_aliases():
    text = "Reuters said. Reuters reported. Reuters added. Reuters wrote."
    ms = [
        Keyed(ent(0, "Reuters", "ORG"), "ORG", "O:Reuters", "name", "organisation"),
        Keyed(ent(14, "Reuters", "PERSON"), "PERSON", "O:Reuters", "name", "person"),
        Keyed(ent(32, "Reuters", "ORG"), "ORG", "O:Reuters", "name", "organisation"),
    ]
    g, actors = build_actors(ms, text)
    assert [a.kind for a in g.actors] == ["organisation"]
    # the fourth "Reuters" spaCy missed is a mention too (one sense per discourse)
    assert len(g.actors[0].mentions) == 4
    name_actors(actors)
    assert g.actors[0].name == "Reuters" and g.actors[0].aliases == []


def test_descriptions_roles_and_appositives():
    text = "Jeff Rathke, the State Department spokesperson, said so. The spokesperson left."
    ms = [Keyed(ent(0, "Jeff Rathke", "PERSON"), "PERSON", "P:Jeff Rathke", "name", "person")]
    g, _ = build_actors(ms, text)
    appos = DescRec(13, 46, "the State Department spokesperson", "appositive", "spokesperson")
    appos.target = (0, 11)
    attach_descriptions(g, [appos])
    a = g.actors[0]
    assert a.descriptors == ["State Department spokesperson"]
    assert [(m.text, m.how) for m in a.mentions][-1] == (
        "the State Department spokesperson",
        "description",
    )


def test_person_names_a_longer_form_is_the_same_person():
    ms = [
        key_mention(ent(0, "Jared Tristan Padalecki", "PERSON")),
        key_mention(ent(40, "Jared Padalecki", "PERSON")),
        key_mention(ent(80, "Daniel Bernoulli FRS", "PERSON")),
        key_mention(ent(120, "Daniel Bernoulli", "PERSON")),
        key_mention(ent(160, "Patrick Leopold Gordon of Auchleuchries", "PERSON")),
        key_mention(ent(220, "Patrick Gordon", "PERSON")),
        # no shorter form in the text: its own name
        key_mention(ent(260, "George Herbert Bush", "PERSON")),
    ]
    link_person_names(ms)
    assert keys(ms) == [
        "P:Jared Padalecki",
        "P:Jared Padalecki",
        "P:Daniel Bernoulli",
        "P:Daniel Bernoulli",
        "P:Patrick Gordon",
        "P:Patrick Gordon",
        "P:George Herbert Bush",
    ]
    assert ms[0].how == "alias"


def test_keys_a_place_without_the_adjective_in_front():
    assert (
        key_mention(ent(0, "a united Germany", "GPE")).key
        == key_mention(ent(30, "Germany", "GPE")).key
    )
    assert key_mention(ent(0, "downtown Taipei", "GPE")).key == "L:Taipei"


def test_person_names_a_short_form_never_goes_to_a_described_full_name():
    # "Cruise" after "Scientologist Tom Cruise" and before "Tom Cruise" is Tom Cruise
    ms = [
        key_mention(ent(0, "Scientologist Tom Cruise", "PERSON")),
        key_mention(ent(40, "Cruise", "PERSON")),
        key_mention(ent(80, "Tom Cruise", "PERSON")),
    ]
    link_person_names(ms)
    assert keys(ms) == ["P:Tom Cruise"] * 3


def test_organisations_the_head_and_the_object_of_an_of_name_are_that_name():
    # "the Church", "Scientology" beside "the Church of Scientology": one organisation
    ms = [
        key_mention(ent(0, "the Church of Scientology", "ORG")),
        key_mention(ent(40, "Scientology", "ORG")),
        key_mention(ent(80, "The Church", "ORG")),
        key_mention(ent(120, "Texas", "GPE")),
        key_mention(ent(140, "University of Texas", "ORG")),
    ]
    link_organisations(ms)
    assert keys(ms) == ["O:Church of Scientology"] * 3 + ["L:Texas", "O:University of Texas"]
    # two names of the same head: "the University" stays itself
    ms = [
        key_mention(ent(0, "University of Helsinki", "ORG")),
        key_mention(ent(30, "University of Copenhagen", "ORG")),
        key_mention(ent(60, "University", "ORG")),
    ]
    link_organisations(ms)
    assert keys(ms)[2] == "O:University"


def test_a_name_at_the_front_of_an_organisations_name_is_a_mention_of_its_actor():
    text = "The U.S. said so. The U.S. Department of Agriculture notes it. Google Science Fair."
    ms = [
        key_mention(ent(4, "U.S.", "GPE")),
        key_mention(ent(22, "U.S. Department of Agriculture", "ORG")),
        key_mention(ent(63, "Google Science Fair", "ORG")),
    ]
    g, _ = build_actors(ms, text)
    us = next(a for a in g.actors if a.name == "United States")
    assert [(m.start, m.text) for m in us.mentions] == [(4, "U.S."), (22, "U.S.")]
    # an organisation the text does not name on its own gets no actor from inside a name
    assert [a.name for a in g.actors] == [
        "United States",
        "U.S. Department of Agriculture",
        "Google Science Fair",
    ]


def test_countries_a_short_name_of_the_one_country_named_in_full():
    ms = [
        key_mention(ent(0, "South Korea", "GPE")),
        key_mention(ent(20, "Korea", "GPE")),
        key_mention(ent(40, "Korea Republic", "GPE")),
    ]
    short_countries(ms)
    assert keys(ms) == ["C:South Korea"] * 3
    # both Koreas named: "Korea" is neither
    ms = [
        key_mention(ent(0, "South Korea", "GPE")),
        key_mention(ent(20, "North Korea", "GPE")),
        key_mention(ent(40, "Korea", "GPE")),
    ]
    short_countries(ms)
    assert keys(ms)[2] == "L:Korea"
