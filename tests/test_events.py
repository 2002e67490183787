"""Event coding on sentences written for these tests: types, arguments, modality, attribution, dates."""

from __future__ import annotations

from datetime import date

import pytest

from dyad.model import Modality

DAY = date(2024, 3, 14)  # a Thursday


def code(coder, text):
    return coder.code_text(text, DAY)


def triples(coded):
    return {(e.event_type, e.actor.country, e.recipient.country if e.recipient else None) for e in coded.events}


def test_verbal_event_with_subject_and_object(coder):
    assert ("ACCUSE", "CHN", "USA") in triples(code(coder, "China accused the United States of provoking tension."))


def test_coordinated_subjects_give_one_event_each(coder):
    got = triples(code(coder, "France and Germany condemned Russia on Monday."))
    assert {("ACCUSE", "FRA", "RUS"), ("ACCUSE", "DEU", "RUS")} <= got


def test_passive_agent_is_the_actor(coder):
    assert ("ASSAULT", "RUS", "UKR") in triples(code(coder, "Ukraine was attacked by Russia overnight."))


def test_object_control_request(coder):
    coded = code(coder, "Egypt asked Israel to open the border crossing.")
    assert ("REQUEST", "EGY", "ISR") in triples(coded)


def test_reciprocal_meeting_gives_both_directions(coder):
    got = triples(code(coder, "Officials held a meeting between Japan and South Korea in Tokyo."))
    assert {("CONSULT", "JPN", "KOR"), ("CONSULT", "KOR", "JPN")} <= got


def test_negation_and_potential_modality(coder):
    neg = code(coder, "Iran did not attack Israel.").events
    assert neg and all(e.modality is Modality.NEGATED for e in neg)
    pot = code(coder, "Turkey could impose sanctions on Sweden.").events
    assert pot and all(e.modality is Modality.POTENTIAL for e in pot)


def test_intended_act_is_coded_as_agree(coder):
    """PLOVER codes an intention to aid as AGREE (the single category), keeping the governed type in `why`."""
    evs = code(coder, "Brazil decided to send aid to Haiti.").events
    assert any(e.event_type == "AGREE" and "intended AID" in (e.why or "") for e in evs)


def test_attribution_according_to(coder):
    evs = code(coder, "Sudan's army shelled the city, according to local residents.").events
    assert evs and evs[0].attribution and "residents" in evs[0].attribution


def test_relative_date_resolves_to_past_weekday(coder):
    evs = code(coder, "Poland expelled Belarusian diplomats on Monday.").events
    assert evs and evs[0].date == date(2024, 3, 11) and evs[0].date_precision == "day"


def test_summary_sentence_yields_no_event(coder):
    assert not code(coder, "Overall, the talks between Chile and Peru mark a turning point.").events


def test_events_carry_cameo_and_score(coder):
    (ev, *_) = code(coder, "India condemned Pakistan.").events
    assert ev.cameo and ev.score is not None and ev.score < 0


@pytest.mark.parametrize("text, event_type", [
    ("Kenya agreed to a deal with Ethiopia.", "AGREE"),
    ("Qatar praised Egypt.", "SUPPORT"),
    ("Japan apologized to China.", "CONCEDE"),
    ("Canada shared intelligence with Britain.", "COOPERATE"),
    ("Germany sent weapons to Ukraine.", "AID"),
    ("Russia withdrew troops from Georgia.", "RETREAT"),
    ("Australia rejected China's proposal.", "REJECT"),
    ("North Korea threatened South Korea.", "THREATEN"),
    ("The United States imposed sanctions on Iran.", "SANCTION"),
    ("India deployed troops to the border with China.", "MOBILIZE"),
    ("Turkish police arrested Syrian refugees.", "COERCE"),
])
def test_type_coverage(coder, text, event_type):
    assert event_type in {e.event_type for e in code(coder, text).events}


def test_component_in_a_users_pipeline():
    """dyad's components join a user's own spaCy pipeline; results on doc._.events."""
    import spacy

    import dyad.nlp  # noqa: F401  registers the factories
    from dyad.settings import Settings

    nlp = dyad.nlp.load_spacy(Settings())
    nlp.add_pipe("dyad_actors")
    nlp.add_pipe("dyad_events")
    doc = nlp("Norway condemned Hamas.")
    assert any(e.event_type == "ACCUSE" for e in doc._.events)


@pytest.mark.parametrize("text, expected", [
    ("The Kenya-backed Somali army retook the port.", ("supports", "KEN", "SOM")),
    ("Officials said Qatar-funded Hamas rejected the plan.", ("funds", "QAT", "Hamas")),
    ("Russia-allied Belarus hosted the talks.", ("ally", "RUS", "BLR")),
])
def test_hyphenated_compounds_state_ties(coder, text, expected):
    """"X-backed Y", "X-funded Y", "X-allied Y": a standing tie from X to Y (tie_compounds.tsv)."""
    kind, a, b = expected
    ties = code(coder, text).ties
    assert any(t.kind == kind and t.a.country == a and b in (t.b.country, t.b.affiliation) for t in ties), ties


def test_a_compound_on_one_conjunct_ties_only_that_one(coder):
    ties = code(coder, "Iran-armed Houthis and Saudi Arabia exchanged prisoners.").ties
    assert all(t.b.country != "SAU" for t in ties)


def test_a_title_line_and_paragraph_breaks_end_sentences_but_a_wrapped_line_does_not(coder):
    text = ("Peru recalls its envoy\nPeru recalled its ambassador to Mexico on Monday.\n\nThe foreign ministry said\n"
            "it would review all ties with Mexico.")
    coded = code(coder, text)
    assert coded.sentences == ["Peru recalls its envoy", "Peru recalled its ambassador to Mexico on Monday.",
                               "The foreign ministry said\nit would review all ties with Mexico."]
    assert {0, 1} <= {e.sentence_index for e in coded.events if e.actor.country == "PER"}  # both parsed apart


@pytest.mark.parametrize("text, expected", [
    ("Chadian troops exchanged fire with Sudanese soldiers on Friday.", {("ASSAULT", "TCD", "SDN"), ("ASSAULT", "SDN", "TCD")}),
    ("Georgian police clashed with Russian troops near the border.", {("ASSAULT", "GEO", "RUS"), ("ASSAULT", "RUS", "GEO")}),
    ("The Kenyan president met with Ugandan officials in Nairobi.", {("CONSULT", "KEN", "UGA"), ("CONSULT", "UGA", "KEN")}),
])
def test_reciprocal_acts_with_someone_go_both_ways(coder, text, expected):
    assert expected <= triples(code(coder, text))


def test_a_recipient_named_otherwise_does_not_act_back(coder):
    assert ("AGREE", "SEN", "MLI") not in triples(code(coder, "Mali pledged to Senegal that it would reopen the border."))


@pytest.mark.parametrize("text", [
    "Syria vowed to retaliate against Israel.",
    "The militia pledged to avenge its commander.",
    "Pakistan's army chief promised to crush the insurgents.",
])
def test_a_vow_to_retaliate_is_a_threat_never_a_promise(coder, text):
    types = {e.event_type for e in code(coder, text).events}
    assert "THREATEN" in types and "AGREE" not in types


def test_a_year_in_a_background_clause_is_not_the_events_date(coder):
    day = date(2024, 3, 8)
    for text in ("The EU extended the sanctions on Belarus, first imposed in 2020, on Wednesday.",
                 "The EU extended the sanctions on Belarus that were first imposed in 2020."):
        events = [e for e in coder.code_text(text, day).events if e.event_type == "SANCTION"]
        assert events and all(e.date and e.date.year == 2024 for e in events), text
    (event,) = [e for e in coder.code_text("In 2021 Canada imposed sanctions on Belarus.", day).events]
    assert event.date == date(2021, 1, 1) and event.date_precision == "year"  # a date of the act itself stays
