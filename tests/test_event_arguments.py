"""Argument rules of the event coder, each on sentences written for this test: who acts when the subject is a
part of a group, a weapon or a pronoun; recipients found behind objects and places; intentions stated by the
future tense or an adjective; demands stated as obligations."""

from __future__ import annotations

from datetime import date

DAY = date(2024, 3, 14)


def events(coder, text):
    return coder.code_text(text, DAY).events


def found(coder, text):
    return {(e.event_type, e.actor.country, e.recipient.country if e.recipient else None) for e in events(coder, text)}


def test_an_organisation_the_knowledge_base_does_not_list_acts_by_name(coder):
    [event] = [e for e in events(coder, "The Harbour Relief Alliance delivered food aid to Yemen on Monday.")
               if e.event_type == "AID"]
    assert event.actor.text == "Harbour Relief Alliance" and event.actor.country is None
    assert event.recipient.country == "YEM"


def test_members_and_numbers_of_a_group_act_for_it(coder):
    assert ("ASSAULT", "RUS", "UKR") in found(coder, "Dozens of Russian soldiers attacked Ukraine near the river.")


def test_weapons_as_subjects_name_who_fired_them(coder):
    assert ("ASSAULT", "ISR", None) in {(t, a, None) for t, a, _ in
                                        found(coder, "Israeli missiles struck a depot outside the town.")}


def test_a_place_is_the_recipient_when_nobody_else_is_named(coder):
    assert ("RETREAT", "ETH", "SDN") in found(coder, "Ethiopia declared a ceasefire in Sudan on Tuesday.")


def test_the_owner_of_a_refused_request_is_the_recipient(coder):
    assert ("REJECT", "PAK", "IND") in found(coder, "Pakistan refused a request from India to open its airspace.")


def test_future_meetings_and_willingness_are_agreements(coder):
    assert ("AGREE", "FRA", "DEU") in found(coder, "France will meet Germany in Paris next week.")
    assert ("AGREE", "JPN", "KEN") in found(coder, "Japan is willing to send doctors to Kenya.")


def test_a_future_refusal_is_a_rejection_and_announced_coercion_a_threat(coder):
    assert ("REJECT", "ISR", None) in {(t, a, None) for t, a, _ in
                                       found(coder, "Israel will not release the prisoners.")}
    types = {e.event_type for e in events(coder, "Chile will impose a curfew in the capital.")}
    assert "THREATEN" in types and "COERCE" not in types


def test_a_reported_obligation_is_a_request_to_the_obliged(coder):
    assert ("REQUEST", "BRA", "ARG") in found(coder, "Brazil says Argentina must reopen the border.")
    # an obligation of no actor ("society", "children") is no demand of anyone
    assert not [e for e in events(coder, "Brazil says Argentine society should be patient.") if e.event_type == "REQUEST"]


def test_a_pronoun_is_reported_by_its_antecedent_in_the_same_sentence(coder):
    [event] = [e for e in events(coder, "Hungary says it will not accept the migrants.") if e.event_type == "REJECT"]
    assert event.actor.text == "Hungary" and "'it' = 'Hungary'" in event.why


def test_an_agentless_arrest_in_a_country_is_that_state_s_act(coder):
    [event] = [e for e in events(coder, "The blogger was arrested in Egypt on Sunday.") if e.event_type == "COERCE"]
    [stated] = [e for e in events(coder, "Egypt arrested the blogger on Sunday.") if e.event_type == "COERCE"]
    assert event.actor.country == "EGY" and "actor by place" in event.why and event.confidence < stated.confidence
