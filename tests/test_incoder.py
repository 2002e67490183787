"""The pair classifier inside the event coder (dyad.classify.incoder, dyad.classify.opinion).

Sentences here are made up for the tests. Recall figures with and without the classifier come from
bench/events.py (--classifier off|shipped|oof), not from here.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyad.classify.opinion import CHOSEN, KEPT, POLICIES, Opinion, Policy, combined_confidence, decide, policy_named
from dyad.model import ActorRef, Event
from dyad.ontology import Ontology
from dyad.settings import Settings

TEXTS = [
    "Egypt hosted talks with Israel on Monday.",
    "Russia accused Ukraine of shelling the power plant.",
    "The United States urged Qatar to expel Hamas leaders, and Turkey condemned Israel.",
    "Norway sent food aid to Sudan after the floods.",
]
TYPES = st.sampled_from(["CONSULT", "ACCUSE", "ASSAULT", "AGREE", "CONCEDE", "RETREAT", "REQUEST"])
PROBS = st.floats(0, 1).map(lambda p: round(p, 2))


@pytest.fixture(scope="module")
def ontology() -> Ontology:
    return Ontology.load()


@pytest.fixture(scope="module")
def coder_off():
    """A Coder with the classifier switched off (the rule coder alone, with its own confidence)."""
    from dyad.pipeline import Coder

    return Coder.from_settings(Settings(classifier="off", confidence="rules"))


def _event(event_type="CONSULT", why="lexicon verb 'meet' -> CONSULT; actor by subject (kb)", **kw) -> Event:
    return Event("a1", 0, "Egypt met Israel.", event_type, ActorRef("Egypt", "Egypt", "EGY"),
                 ActorRef("Israel", "Israel", "ISR"), mode=kw.pop("mode", None), why=why, **kw)


# -- the opinion clause and the policy: pure -------------------------------------------------------------------

@given(TYPES, PROBS, TYPES, PROBS, PROBS, st.sampled_from([None, "accuse", "host"]), st.sampled_from([None, KEPT, CHOSEN]))
def test_an_opinion_reads_back_from_its_clause(kind, p, lexicon, lp, rule, mode, verdict):
    opinion = Opinion(kind, p, lexicon, p if kind == lexicon else lp, rule, None if kind == lexicon else mode)
    parsed = Opinion.parse("lexicon verb 'x' -> " + lexicon + "; actor by subject (kb)" + opinion.clause(verdict))
    assert parsed is not None
    back, before = parsed
    assert before == "lexicon verb 'x' -> " + lexicon + "; actor by subject (kb)"
    assert (back.event_type, back.lexicon_type, back.probability, back.rule) == (kind, lexicon, p, rule)
    if kind != lexicon:
        assert (back.lexicon_probability, back.mode) == (lp, mode)


def test_a_why_without_an_opinion_has_none():
    assert Opinion.parse("lexicon verb 'meet' -> CONSULT; actor by subject (kb)") is None
    assert Opinion.parse(None) is None


def test_record_policy_keeps_the_lexicon_type_and_says_the_classifier_disagrees(ontology):
    opinion = Opinion("ACCUSE", 0.93, "CONSULT", 0.02, 0.7, "accuse")
    ev = decide(_event(why=_event().why + opinion.clause(), confidence=0.7), POLICIES["record"], ontology)
    assert ev.event_type == "CONSULT"
    assert "lexicon verb 'meet' -> CONSULT" in ev.why and "classifier ACCUSE 0.93" in ev.why
    assert ev.why.endswith(": lexicon kept")
    assert ev.confidence == pytest.approx(combined_confidence(0.7, 0.02))


def test_override_policy_takes_a_confident_classifier_and_keeps_the_lexicon_type_in_why(ontology):
    opinion = Opinion("ACCUSE", 0.93, "CONSULT", 0.02, 0.7, "accuse")
    lexicon_event = _event(why=_event().why + opinion.clause(), cameo="040", score=1.0)
    ev = decide(lexicon_event, Policy(override=True, threshold=0.9), ontology)
    assert ev.event_type == "ACCUSE"
    assert ev.cameo == ontology.cameo("ACCUSE", ev.mode) and ev.score == ontology.score("ACCUSE", ev.mode)
    assert "-> CONSULT" in ev.why and ev.why.endswith(": classifier chosen")
    assert ev.confidence == pytest.approx(combined_confidence(0.7, 0.93))
    # below the threshold the lexicon stays; deciding again changes nothing
    assert decide(lexicon_event, Policy(override=True, threshold=0.95), ontology).event_type == "CONSULT"
    assert decide(ev, Policy(override=True, threshold=0.9), ontology) == ev


def test_override_leaves_a_pair_with_several_acts_to_the_lexicon(ontology):
    """The classifier judges the pair, not the trigger: "met and agreed" keeps both of the lexicon's types."""
    from dyad.classify.incoder import decide_all

    met = _event(why="lexicon verb 'meet' -> CONSULT" + Opinion("SUPPORT", 0.93, "CONSULT", 0.01, 0.65).clause())
    agreed = _event("AGREE", why="lexicon verb 'agree' -> AGREE" + Opinion("SUPPORT", 0.93, "AGREE", 0.02, 0.65).clause())
    policy = POLICIES["override"]
    assert [e.event_type for e in decide_all([met, agreed], policy, ontology)] == ["CONSULT", "AGREE"]
    assert [e.event_type for e in decide_all([met], policy, ontology)] == ["SUPPORT"]
    # without `sole`, both become SUPPORT and count once
    assert [e.event_type for e in decide_all([met, agreed], replace(policy, sole=False), ontology)] == ["SUPPORT"]


def test_override_leaves_an_intention_coded_as_its_own_type_to_the_lexicon(ontology):
    """"decided to reassess ties" fires SANCTION and is coded THREATEN (modal_types.tsv); PLV draws no such line."""
    why = ("lexicon verb 'reassess tie' -> SANCTION; actor by subject (kb); intended by 'decided'; "
           "a intended SANCTION (governed) is coded THREATEN")
    ev = _event("THREATEN", why=why + Opinion("SANCTION", 0.9, "THREATEN", 0.03, 0.8).clause())
    assert decide(ev, POLICIES["override"], ontology).event_type == "THREATEN"
    assert decide(ev, replace(POLICIES["override"], recoded=True), ontology).event_type == "SANCTION"


def test_agreement_raises_confidence_with_the_classifier_probability(ontology):
    opinion = Opinion("CONSULT", 0.99, "CONSULT", 0.99, 0.6)
    ev = decide(_event(why=_event().why + opinion.clause()), POLICIES["override"], ontology)
    assert ev.event_type == "CONSULT" and ev.why.endswith("agrees, rule 0.60")
    assert ev.confidence == pytest.approx(combined_confidence(0.6, 0.99))
    assert combined_confidence(0.6, 0.99) > combined_confidence(0.6, 0.2)


def test_concede_and_a_yield_classifier_label_agree(ontology):
    assert Opinion("RETREAT", 0.8, "CONCEDE", 0.8, 0.7).agrees


def test_an_event_without_opinion_is_left_alone(ontology):
    ev = _event()
    assert decide(ev, POLICIES["override"], ontology) is ev


def test_unknown_policy_names_are_refused():
    with pytest.raises(ValueError, match="off, record, override"):
        policy_named("sometimes")


def test_an_unknown_classifier_setting_fails_before_loading_anything():
    from dyad.nlp import build_pipeline

    with pytest.raises(ValueError, match="unknown classifier setting 'sometimes'"):
        build_pipeline(Settings(classifier="sometimes"))


def test_settings_read_the_classifier_from_the_environment():
    s = Settings.from_env({"DYAD_CLASSIFIER": "off", "DYAD_CLASSIFIER_MODEL": "/tmp/m.npz"})
    assert (s.classifier, s.classifier_model) == ("off", "/tmp/m.npz")
    assert Settings.from_env({}).classifier == "record"  # see POLICIES in dyad.classify.opinion for why


def test_importing_the_component_module_loads_nothing_heavy():
    code = ("import sys, dyad.classify.incoder, dyad.classify.opinion; "
            "print(any(m in sys.modules for m in ('spacy', 'sklearn')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- in the coder ----------------------------------------------------------------------------------------------

def test_the_coder_runs_the_classifier_after_the_event_coder(coder, coder_off):
    names = coder.nlp.pipe_names
    assert names.index("dyad_classifier") == names.index("dyad_events") + 1
    assert "dyad_classifier" not in coder_off.nlp.pipe_names


def test_every_event_carries_both_decisions(coder):
    events = [e for text in TEXTS for e in coder.code_text(text).events]
    assert events
    for ev in events:
        parsed = Opinion.parse(ev.why)
        assert parsed is not None, ev.why
        opinion, before = parsed
        assert before.startswith("lexicon ")  # the rule coder's reason, with the lexicon's type, comes first
        assert 0.0 <= opinion.probability <= 1.0 and 0.0 < ev.confidence < 1.0  # calibrated (dyad_confidence)
        assert ev.to_dict()["why"] == ev.why


def test_with_the_classifier_off_the_coder_codes_as_the_rule_coder_alone(coder_off):
    """Off: no opinion anywhere. Record (the lexicon decides): the same events, only `why` and `confidence` grow."""
    from dyad.pipeline import Coder

    recording = Coder.from_settings(Settings(classifier="record", confidence="rules"))
    for text in TEXTS:
        off = coder_off.code_text(text).events
        assert all(Opinion.parse(e.why) is None for e in off)
        on = recording.code_text(text).events
        stripped = []
        for ev in on:
            opinion, before = Opinion.parse(ev.why)
            stripped.append(replace(ev, why=before, confidence=opinion.rule))
        assert [replace(e, confidence=round(e.confidence, 2)) for e in off] == stripped


def test_the_classifier_reuses_the_coder_parse_and_finds_the_pair(coder):
    from dyad.classify.incoder import locate_pair

    doc = coder.nlp("Officials said on Monday that Egypt hosted talks with Israel in Cairo.")
    (ev, *_) = [e for e in doc._.events if e.recipient is not None]
    sent = list(doc.sents)[ev.sentence_index]
    actor, recipient = locate_pair(ev, sent, doc._.actor_spans)
    assert sent.text[actor[0] : actor[1]] == ev.actor.text
    assert sent.text[recipient[0] : recipient[1]] == ev.recipient.text


def test_each_event_is_judged_with_its_own_trigger(coder):
    """Two events of one pair in a sentence ("met ... and accused") give the model their own triggers."""
    from dyad.classify.features import analyse
    from dyad.classify.incoder import locate_pair, trigger_of

    doc = coder.nlp("Egypt met Israel on Monday and accused Israel of blocking aid.")
    events = [e for e in doc._.events if e.recipient is not None and e.recipient.text == "Israel"]
    assert {e.trigger for e in events} == {"met", "accused"}
    sent = list(doc.sents)[0]
    copy = sent.as_doc()
    seen = {}
    for ev in events:
        actor, recipient = locate_pair(ev, sent, doc._.actor_spans)
        trigger = trigger_of(ev, sent, (actor, recipient))
        assert copy[trigger.index].text == ev.trigger
        lexicon = coder.nlp.get_pipe("dyad_classifier").lex
        seen[ev.trigger] = {f for f in analyse(copy, actor, recipient, lexicon, trigger).features
                            if f.startswith(("tl=", "tt="))}
    assert seen == {"met": {"tl=meet", "tt=CONSULT"}, "accused": {"tl=accuse", "tt=ACCUSE"}}


def test_the_trigger_is_the_token_the_lexicon_clause_names():
    """Of two tokens written as the trigger, the one whose lemma `why` names; of equals, the one nearest the pair."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from dyad.classify.incoder import trigger_of

    words = ["Egypt", "talks", "to", "Israel", "after", "talks", "failed"]
    doc = Doc(Vocab(), words=words, lemmas=["Egypt", "talk", "to", "Israel", "after", "talks", "fail"])
    ev = replace(_event(why="lexicon noun 'talks' -> CONSULT; actor by noun (kb)"), trigger="talks")
    assert trigger_of(ev, doc[:], ()).index == 5
    ev = replace(ev, why="lexicon verb 'talk' -> CONSULT; actor by subject (kb)")
    assert trigger_of(ev, doc[:], ()).index == 1
    ev = replace(ev, why="the reason was lost")
    assert trigger_of(ev, doc[:], [(len("Egypt talks to Israel after "), len("Egypt talks to Israel after talks"))]) \
        .index == 5  # nearest the recipient; no type without the lexicon clause
    assert trigger_of(ev, doc[:], ()).event_type is None
    assert trigger_of(replace(ev, trigger="met"), doc[:], ()) is None


def test_a_model_file_from_settings_is_used(tmp_path):
    """DYAD_CLASSIFIER_MODEL names a model written by `dyad train`; the component loads it once."""
    from dyad.classify.incoder import EventTypeClassifier
    from dyad.classify.linear import LinearModel

    shipped = EventTypeClassifier.load()
    path = tmp_path / "model.npz"
    shipped.model.save(path)
    loaded = EventTypeClassifier.load(str(path))
    assert loaded.model.labels == shipped.model.labels
    assert isinstance(loaded.model, LinearModel)
