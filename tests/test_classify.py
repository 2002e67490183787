"""The pair classifier (dyad.classify): shipped model, JSON lines command, training, span finding.

Sentences here are made up for the tests. Accuracy figures come from bench/classify.py, not from here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest
from click.testing import CliRunner

from conftest import shared_path
from dyad.classify import Example, PairClassifier, PairInput, Prediction, TrainConfig, train
from dyad.classify.classifier import Analyser, load_nlp
from dyad.classify.linear import LinearModel
from dyad.classify.spans import locate, pair_spans
from dyad.cli import main
from dyad.ontology import Ontology
from dyad.settings import Settings

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}

MADE_UP = [
    PairInput("p1", "Police in Veloria arrested the opposition leader at his home on Tuesday.", "Police in Veloria",
              "the opposition leader"),
    PairInput("p2", "Artillery from Norland shelled villages in Ostmark overnight, killing four people.",
              "Artillery from Norland", "villages in Ostmark"),
    PairInput("p3", "The foreign minister of Veloria met her Norland counterpart in Geneva.",
              "The foreign minister of Veloria", "her Norland counterpart"),
    PairInput("p4", "The rebels freed the captured aid workers and handed them to the Red Cross.", "The rebels",
              "the captured aid workers"),
    PairInput("p5", "Thousands of dock workers went on strike against the port authority.",
              "Thousands of dock workers", "the port authority"),
    PairInput("p6", "Ostmark condemned Norland for the border incident.", "Ostmark", "Norland"),
    PairInput("p7", "The cabinet resigned.", "The cabinet", None),
    PairInput("p8", "Nobody in this sentence is named.", "Veloria", "Norland"),
]


@pytest.fixture(scope="module")
def classifier() -> PairClassifier:
    return PairClassifier.load()


def test_importing_the_package_loads_nothing_heavy():
    code = "import sys, dyad.classify; print(any(m in sys.modules for m in ('spacy', 'sklearn')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_shipped_model_is_small_and_readable():
    model_file = resources.files("dyad.classify") / "data" / "model.npz"
    assert model_file.stat().st_size < 20 * 1024 * 1024 if hasattr(model_file, "stat") else True
    with model_file.open("rb") as fh:
        model = LinearModel.load(fh)
    assert set(model.labels) <= PLOVER_TYPES | {"YIELD"}
    assert len(model.labels) == 15
    # the vocabulary holds words, lemmas and parse relations, never whole sentences
    assert max(len(name) for name in model.vocabulary) < 80


def test_shipped_model_predicts_a_plover_type_for_every_pair(classifier):
    predictions = classifier.predict(MADE_UP)
    assert [p.id for p in predictions] == [p.id for p in MADE_UP]
    for p in predictions:
        assert isinstance(p, Prediction)
        assert p.event_type in PLOVER_TYPES
        assert 0.0 < p.confidence <= 1.0
        assert len(p.alternatives) == 3
        assert all(a.confidence <= p.confidence for a in p.alternatives)
        assert p.mode is None or Ontology.load().mode(p.event_type, p.mode)


def test_clear_made_up_pairs_get_their_type(classifier):
    got = {p.id: p for p in classifier.predict(MADE_UP)}
    assert got["p1"].event_type == "COERCE"
    assert got["p2"].event_type == "ASSAULT"
    assert got["p3"].event_type == "CONSULT"
    assert got["p4"].event_type == "RETREAT" and got["p4"].mode == "release"  # YIELD resolved by the lexicon
    assert got["p6"].event_type == "ACCUSE"


def test_predict_batches_give_the_same_answers(classifier):
    whole = classifier.predict(MADE_UP)
    in_twos = classifier.predict(MADE_UP, batch_size=2)
    assert [(p.event_type, p.mode, round(p.confidence, 6)) for p in whole] == \
           [(p.event_type, p.mode, round(p.confidence, 6)) for p in in_twos]
    assert classifier.predict([]) == []


def test_spans_are_found_in_the_sentence():
    s = "Norland accused Ostmark, and Ostmark accused Norland."
    assert locate(s, "Ostmark") == (16, 23)
    assert locate(s, "norland", avoid=(0, 7)) == (45, 52)  # case-insensitive, not overlapping the actor
    assert locate(s, "Ostmark", start=29) == (29, 36)
    assert locate(s, "Veloria") is None and locate(s, None) is None
    actor, recipient = pair_spans(PairInput("x", s, "Norland", "Norland"))
    assert actor == (0, 7) and recipient == (45, 52)


def _analysed(nlp, sentence, actor, recipient, trigger=None):
    from dyad.classify.features import analyse
    from dyad.events.lexicon import load_lexicon

    actor_span, recipient_span = pair_spans(PairInput("x", sentence, actor, recipient))
    return analyse(nlp(sentence), actor_span, recipient_span, load_lexicon(), trigger)


def _trigger_features(analysis):
    return {f for f in analysis.features if f.split("=")[0] in {"tl", "tt", "tlt", "tpa", "tpr", "tm", "tcue"}}


def test_a_pair_alone_takes_the_lexicon_trigger_on_its_path_with_its_modality(nlp):
    """In pair mode the nearest lexicon trigger between actor and recipient stands in for the event's trigger."""
    feats = _trigger_features(_analysed(nlp, "Ostmark refused to meet Veloria.", "Ostmark", "Veloria"))
    assert {"tl=meet", "tt=CONSULT", "tlt=meet_CONSULT", "tpr=dobj", "tm=negated", "tcue=refused"} <= feats
    feats = _trigger_features(_analysed(nlp, "Norland hosted talks with Ostmark.", "Norland", "Ostmark"))
    assert {"tl=talk", "tt=CONSULT", "tpa=^dobj nsubj", "tpr=prep pobj"} <= feats
    assert "tpr=none" in _trigger_features(_analysed(nlp, "The cabinet resigned.", "The cabinet", None))


def test_a_pair_without_a_lexicon_trigger_takes_the_verb_that_governs_both(nlp):
    feats = _trigger_features(_analysed(nlp, "Norland painted the walls of Ostmark.", "Norland", "Ostmark"))
    assert {"tl=paint", "tt=none", "tpa=nsubj", "tpr=dobj prep pobj"} <= feats


def test_a_given_trigger_replaces_the_stand_in_and_names_the_mode(nlp):
    from dyad.classify.features import TriggerAt

    sentence = "Norland accused Ostmark of shelling the plant."
    alone = _analysed(nlp, sentence, "Norland", "Ostmark")
    given = _analysed(nlp, sentence, "Norland", "Ostmark", TriggerAt(4, "ASSAULT"))  # "shelling"
    assert "tl=accuse" in alone.features and alone.triggers[0][0] == "ACCUSE"
    assert {"tl=shell", "tt=ASSAULT", "tpa=^pcomp ^prep nsubj"} <= set(given.features)
    assert given.triggers[0][0] == "ASSAULT"
    # everything but the trigger's own features is the pair's, the same either way
    assert {f for f in alone.features if not f.startswith("t")} == {f for f in given.features if not f.startswith("t")}


def _write_jsonl(path, pairs):
    path.write_text("".join(json.dumps({"id": p.id, "sentence": p.sentence, "actor": p.actor,
                                        "recipient": p.recipient}) + "\n" for p in pairs))


def test_classify_command_round_trip(tmp_path):
    source = tmp_path / "pairs.jsonl"
    _write_jsonl(source, MADE_UP[:4])
    res = CliRunner().invoke(main, ["classify", str(source)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["p1", "p2", "p3", "p4"]
    for r in lines:
        assert set(r) == {"id", "event_type", "mode", "confidence"}
        assert r["event_type"] in PLOVER_TYPES


def test_classify_command_reads_stdin_and_names_a_bad_line():
    good = json.dumps({"id": "a", "sentence": "Ostmark condemned Norland.", "actor": "Ostmark", "recipient": "Norland"})
    res = CliRunner().invoke(main, ["classify", "-"], input=good + "\n")
    assert res.exit_code == 0 and json.loads(res.stdout)["id"] == "a"
    res = CliRunner().invoke(main, ["classify", "-"], input=good + "\n{\"id\": \"b\"}\n")
    assert res.exit_code == 1
    assert "line 2" in res.stderr and "Traceback" not in res.output


TINY = [
    ("ASSAULT", "Norland", "Ostmark", "Norland bombed Ostmark."),
    ("ASSAULT", "Rebels", "a convoy", "Rebels attacked a convoy near the river."),
    ("ASSAULT", "Gunmen", "the police", "Gunmen shot at the police."),
    ("CONSULT", "Veloria", "Norland", "Veloria met Norland in Geneva."),
    ("CONSULT", "The envoy", "the king", "The envoy held talks with the king."),
    ("CONSULT", "Ostmark", "Veloria", "Ostmark hosted Veloria for a visit."),
    ("RETREAT", "The army", "the town", "The army withdrew from the town."),
    ("CONCEDE", "The minister", "the victims", "The minister apologised to the victims."),
]


def _tiny():
    return [Example(PairInput(f"t{n}", s, a, r), t) for n, (t, a, r, s) in enumerate(TINY)]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp(Settings())


def test_training_on_a_tiny_dataset_runs_and_reloads(tmp_path, nlp):
    config = TrainConfig(C=1.0, own_data=False, max_iter=200)
    model = train(_tiny(), config=config, nlp=nlp)
    assert set(model.labels) == {"ASSAULT", "CONSULT", "YIELD"}  # CONCEDE and RETREAT train as YIELD
    path = tmp_path / "tiny.npz"
    model.save(path)
    again = train(_tiny(), config=config, nlp=nlp)
    again.save(tmp_path / "again.npz")
    assert path.read_bytes() == (tmp_path / "again.npz").read_bytes()  # deterministic
    clf = PairClassifier(LinearModel.load(path), Analyser(nlp))
    (p,) = clf.predict([PairInput("q", "Veloria bombed Norland.", "Veloria", "Norland")])
    assert p.event_type in {"ASSAULT", "CONSULT", "RETREAT", "CONCEDE"}


def test_training_needs_two_types(nlp):
    with pytest.raises(ValueError):
        train(_tiny()[:3], config=TrainConfig(own_data=False), nlp=nlp)


def test_a_file_that_is_no_model_is_refused(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError):
        LinearModel.load(bad)
    res = CliRunner().invoke(main, ["classify", "--model", str(bad), "-"], input="")
    assert res.exit_code == 1 and "not a dyad classifier model" in res.stderr


def test_train_command_on_a_made_up_gold_folder(tmp_path):
    gold = tmp_path / "gold" / "plv_train"
    gold.mkdir(parents=True)
    header = "\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_root\n"
    rows = [f"{n}\t{n}\t{s}\t{s.replace(a, '<s>' + a + '</s>', 1).replace(r, '<t>' + r + '</t>', 1)}\t{a}\t{r}\t"
            f"{'YIELD' if t in ('CONCEDE', 'RETREAT') else t}\n" for n, (t, a, r, s) in enumerate(TINY)]
    (gold / "PLV_train.tsv").write_text(header + "".join(rows))
    out = tmp_path / "model.npz"
    res = CliRunner().invoke(main, ["train", "--gold", str(tmp_path / "gold"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    model = LinearModel.load(out)
    assert model.meta["trained_on"]["PLV_train"] == len(TINY)
    assert model.meta["trained_on"]["dyad_pairs"] > 100


def test_train_command_without_gold_is_a_clean_error(tmp_path):
    res = CliRunner().invoke(main, ["train", "--gold", str(tmp_path), "--out", str(tmp_path / "m.npz")])
    assert res.exit_code == 1 and "PLV_train.tsv" in res.stderr


@pytest.mark.shared
def test_plv_train_reads_as_fifteen_types_with_its_marked_spans():
    from dyad.classify.training import read_plv

    examples = read_plv(shared_path("gold", "plv_train", "PLV_train.tsv"), dev_only=False)
    assert len(examples) == 1050
    dev = read_plv(shared_path("gold", "plv_train", "PLV_train.tsv"))  # training never sees the held-out fold
    assert 800 < len(dev) < 900 and {e.pair.id for e in dev} < {e.pair.id for e in examples}
    assert len({e.event_type for e in examples}) == 15 and "YIELD" in {e.event_type for e in examples}
    unmarked = 0
    for e in examples:
        actor, recipient = pair_spans(e.pair)
        if actor is None:  # PLV writes "An actor" where no actor is marked
            unmarked += 1
        else:
            assert e.pair.sentence[actor[0]:actor[1]] == e.pair.actor
        if e.pair.recipient is not None:
            assert e.pair.sentence[recipient[0]:recipient[1]] == e.pair.recipient
    assert unmarked < 10
