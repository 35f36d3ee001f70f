"""Attribution rules on short texts the gold sets do not hold: each case is one rule, with
the text that broke it."""

from __future__ import annotations

from brief_tui.analysis import analyze
from brief_tui.analysis.model import Analysis, Claim


def _claim(an: Analysis, start: str) -> Claim:
    for c in an.claims:
        if c.content and an.text[c.content[0].start :].startswith(start):
            return c
    raise AssertionError(
        f"no claim starting {start!r}: "
        f"{[' / '.join(an.text[f.start : f.end] for f in c.content) for c in an.claims]}"
    )


def _source_name(an: Analysis, c: Claim) -> str | None:
    s = an.source(c.source)
    return s.name if s else None


def test_according_to_inside_a_reported_clause_is_not_a_chain(loaded_model):
    # "Z learned that, according to X, ...": X's claim inside Z's, not Z via X
    an = analyze(
        "Wikinews has learned that according to an Internet posting made a day ago, the "
        "Church of Scientology's website is being attacked by hackers.",
        model=loaded_model,
    )
    learned = next(c for c in an.claims if c.cue and c.cue.text == "learned")
    assert an.source(an.source(learned.source).via) is None
    posting = next(c for c in an.claims if c.cue and c.cue.text == "according to")
    assert "posting" in (posting.source_span.text if posting.source_span else "")


def test_relative_who_is_the_person_it_stands_for(loaded_model):
    an = analyze(
        "He traveled to Florida to meet with Devocht, who had told Montalvo he would assist "
        "him with future employment and housing.",
        model=loaded_model,
    )
    c = _claim(an, "he would assist him")
    assert c.source_span is not None and c.source_span.text == "Devocht"


def test_relative_which_with_a_cognition_verb_has_no_source(loaded_model):
    an = analyze(
        "The ministry cut the budget by half, which means that schools will close.",
        model=loaded_model,
    )
    assert not any(c.cue and c.cue.text == "means" for c in an.claims)


def test_a_caption_is_not_a_transcript_turn(loaded_model):
    an = analyze("Belle Image: Nick Moreau.\n\nThe fair opened on Monday.", model=loaded_model)
    assert not [c for c in an.claims if c.attributed]


def test_capitalised_role_noun_after_its_article_is_the_person(loaded_model):
    an = analyze(
        "Critics of U.S. President Donald Trump's policies spoke out. The President "
        "intervened to allow the team to enter the country.",
        model=loaded_model,
    )
    trump = next(a for a in an.actors if a.name == "Donald Trump")
    assert "The President" in [m.text for m in trump.mentions]


def test_quotation_before_a_full_stop_is_not_the_next_attribution(loaded_model):
    an = analyze(
        'Messages of support had grown into a "support movement". Professor Marc Lamont '
        'Hill commented, "Hoping that the movement translates into a national conversation."',
        model=loaded_model,
    )
    c = next(c for c in an.claims if c.cue and c.cue.text == "commented")
    assert an.text[c.content[0].start :].lstrip('"').startswith("Hoping")


def test_as_clause_attributes_the_clause_it_hangs_on(loaded_model):
    an = analyze(
        "As the minister said on Monday, the talks will resume in June. "
        "As expected, the talks failed.",
        model=loaded_model,
    )
    c = _claim(an, "the talks will resume in June")
    assert c.cue is not None and c.cue.text == "said"
    assert c.source_span is not None and c.source_span.text == "the minister"
    assert not any(c.cue and c.cue.text == "expected" for c in an.claims)


def test_role_noun_with_a_place_is_the_person_of_a_kin_role(loaded_model):
    # "the California congressman" is Rep. Hunter, not California
    an = analyze(
        "Rep. Duncan Hunter spoke on Monday. The California congressman said the wall "
        "would be built.",
        model=loaded_model,
    )
    assert _source_name(an, _claim(an, "the wall would be built")) == "Duncan Hunter"


def test_person_description_resolves_to_the_person_it_describes(loaded_model):
    an = analyze(
        "The billionaire Sheldon Adelson gave money. The 70-year-old billionaire said he "
        "would give more.",
        model=loaded_model,
    )
    assert _source_name(an, _claim(an, "he would give more")) == "Sheldon Adelson"


def test_description_with_no_antecedent_stays_the_phrase_unresolved(loaded_model):
    an = analyze("The Texas man said he was fine.", model=loaded_model)
    s = an.source(_claim(an, "he was fine").source)
    assert s is not None and s.name == "The Texas man" and s.unresolved and s.actor is None


def test_cue_verb_tagged_as_a_plural_noun_with_its_subject(loaded_model):
    an = analyze(
        'The U.S. Department of Agriculture notes, "Ground-level ozone causes more damage '
        'to plants than all other air pollutants combined", highlighting air quality.',
        model=loaded_model,
    )
    c = next(c for c in an.claims if c.cue and c.cue.text == "notes")
    assert _source_name(an, c) == "U.S. Department of Agriculture"
    assert c.quote == "direct"


def test_that_clause_on_the_statement_a_cue_verb_names(loaded_model):
    an = analyze(
        "Steve Whitmore, a representative for the LA Sheriff's office, told LA Weekly in a "
        "statement that the case was being dealt with as grand theft.",
        model=loaded_model,
    )
    c = _claim(an, "that the case was being dealt with")
    assert c.cue is not None and c.cue.text == "told"
    assert _source_name(an, c) == "Steve Whitmore"


def test_lead_in_with_a_colon_owns_the_quotation_of_the_next_paragraph(loaded_model):
    text = (
        "US President Barack Obama tweeted using his account:\n\n"
        '"Cool clock, Ahmed. Want to bring it to the White House?" It was shared widely.'
    )
    an = analyze(text, model=loaded_model)
    c = _claim(an, '"Cool clock')
    assert c.cue is not None and c.cue.text == "tweeted" and c.quote == "direct"
    assert _source_name(an, c) == "Barack Obama"
    assert [an.text[s.start : s.end] for s in c.content][-1].startswith("Want to bring")
    # what follows the quotation stays the author's
    assert _claim(an, "It was shared widely").source is None


def test_a_member_of_a_body_is_not_the_body(loaded_model):
    # "Member of House panel says": a member, kept as described, not "House"
    an = analyze(
        "Member of House panel says Russia meddled\n\nAn official at the Pentagon said the "
        "strike hit. A Google spokesman said the tool works.",
        model=loaded_model,
    )
    s = an.source(_claim(an, "Russia meddled").source)
    assert s is not None and s.name == "Member of House panel" and s.kind == "anonymous"
    s = an.source(_claim(an, "the strike hit").source)
    assert s is not None and s.descriptor == "official at the Pentagon"
    # a name in front of the role still names the body, with no article as descriptor
    s = an.source(_claim(an, "the tool works").source)
    assert s is not None and s.name == "Google" and s.descriptor is None


def test_an_organisation_statements_are_made_to_is_media(loaded_model):
    an = analyze(
        "The minister told Le Monde that he would resign. Le Monde reported that the vote "
        "was close.",
        model=loaded_model,
    )
    s = an.source(_claim(an, "that the vote was close").source)
    assert s is not None and s.name == "Le Monde" and s.kind == "media"


def test_a_cognition_verb_with_a_thing_as_subject_is_no_belief(loaded_model):
    an = analyze(
        "The trial was blinded. This means that the experimenter did not know the groups. "
        "I realise that the groups were small.",
        model=loaded_model,
    )
    assert not any(c.cue and c.cue.text == "means" for c in an.claims)
    assert _claim(an, "that the groups were small").cue is not None


def test_a_name_spacy_cut_into_two_places_is_a_person(loaded_model):
    # spaCy: GPE "Valeska" + GPE "Paris"; the surname alone then read as France's capital
    an = analyze(
        "Valeska Paris said she was held on a ship. Paris claims that her passport was taken.",
        model=loaded_model,
    )
    assert [(a.name, a.kind) for a in an.actors] == [("Valeska Paris", "person")]
    c = _claim(an, "that her passport was taken")
    assert _source_name(an, c) == "Valeska Paris"


def test_a_small_clause_after_a_cue_verb_reports_nothing(loaded_model):
    # "found himself unable", "declared it 'incomprehensible'": no finite clause, no claim
    an = analyze(
        "In 1661 Gordon found himself unable to obtain military employment in Scotland. "
        'Poisson declared it "incomprehensible". '
        "The inspectors found that the ship was unsafe.",
        model=loaded_model,
    )
    assert [c.cue.text for c in an.claims if c.attributed and c.cue] == ["found"]
    assert _claim(an, "that the ship was unsafe").cue is not None


def test_a_score_after_a_country_is_no_part_of_its_name(loaded_model):
    # spaCy: ORG "Sweden 1"; a second actor beside Sweden
    an = analyze(
        "Sweden faced South Korea in Nizhny Novgorod. Andreas Granqvist scored from the "
        "penalty spot, putting Sweden 1 – 0 up.",
        model=loaded_model,
    )
    assert "Sweden 1" not in [a.name for a in an.actors]
    sweden = next(a for a in an.actors if a.name == "Sweden")
    assert [m.text for m in sweden.mentions] == ["Sweden", "Sweden"]
