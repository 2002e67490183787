"""Article-level gold and its scorer: hand-made gold and coded articles (no ../shared needed), the frozen split and
the guard that keeps the test part out of everything dyad learns or tunes, and the shipped gold files."""

from __future__ import annotations

import ast
import csv
import json
import subprocess
import sys
from datetime import date

import pytest
from click.testing import CliRunner

from conftest import ROOT, shared_path
from dyad.evaluate.agreement import agreement, cohen_kappa
from dyad.evaluate.articles import GoldArgument, GoldArticle, GoldEvent, GoldTie, check_article, parse_article
from dyad.evaluate.identity import identity_of, is_identity
from dyad.evaluate.splits import is_dev, split_of
from dyad.evaluate.truth import coded_sentences, score_articles
from dyad.model import ActorRef, Article, CodedArticle, Event, Modality, Tie

# An invented three-sentence article (written for these tests).
TEXT = ("The Ruritanian foreign minister met his Freedonian counterpart in Vienna on Monday. "
        "The weather was mild. "
        "Rebels shelled a village near the border, officials said.")
SENTS = ((0, 83), (84, 105), (106, 163))

RUR_GOV = ActorRef("The Ruritanian foreign minister", "foreign minister", "FRA", "GOV")
FRE_GOV = ActorRef("his Freedonian counterpart", "counterpart", "DEU", "GOV")
REBELS = ActorRef("Rebels", "rebels", None, "REB")


def _event(sentence: int, etype: str, actor: ActorRef, recipient: ActorRef | None, confidence: float = 0.8,
           modality: Modality = Modality.ASSERTED, attribution: str | None = None) -> Event:
    text = TEXT[SENTS[sentence][0]:SENTS[sentence][1]]
    return Event("a1", sentence, text, etype, actor, recipient, modality=modality, attribution=attribution,
                 date=date(2020, 3, 2), date_precision="day", confidence=confidence, trigger="t")


def _gold(events=(), ties=()) -> GoldArticle:
    return GoldArticle("guardian:1", SENTS, tuple(events), tuple(ties))


def _coded(events=(), ties=()) -> CodedArticle:
    return CodedArticle(Article.make(TEXT), [TEXT[s:e] for s, e in SENTS], events=list(events), ties=list(ties))


MEETING = GoldEvent(0, "CONSULT", GoldArgument("FRA", "GOV"), GoldArgument("DEU", "GOV"), "met", mutual=True,
                    date="2020-03-02", date_precision="day")
SHELLING = GoldEvent(2, "ASSAULT", GoldArgument("UNK", "REB"), None, "shelled", attribution="officials")


def score(events, gold_events=(MEETING, SHELLING), ties=(), gold_ties=()):
    gold = [_gold(gold_events, gold_ties)]
    return score_articles(gold, {"guardian:1": _coded(events, ties)}, {"guardian:1": TEXT}, "t")


def test_coded_sentences_are_found_in_order_in_the_text():
    assert coded_sentences(TEXT, [TEXT[s:e] for s, e in SENTS]) == list(SENTS)
    assert coded_sentences(TEXT, ["not there"]) == [None]


def test_a_mutual_gold_event_wants_both_directions_and_unk_matches_an_unresolved_actor():
    events = [_event(0, "CONSULT", RUR_GOV, FRE_GOV), _event(0, "CONSULT", FRE_GOV, RUR_GOV),
              _event(2, "ASSAULT", REBELS, None, attribution="officials")]
    s = score(events)
    assert (s.gold_events, s.coded_events) == (3, 3)
    assert s.strict.precision == s.strict.recall == 1.0
    assert s.fields["attribution"] == (3, 3) and s.fields["date"] == (2, 2)  # the shelling has no gold date: not judged
    assert not s.errors


def test_one_direction_of_a_meeting_and_a_wrong_recipient_are_counted_as_such():
    events = [_event(0, "CONSULT", RUR_GOV, FRE_GOV), _event(2, "ASSAULT", REBELS, FRE_GOV)]
    s = score(events)
    assert (s.strict.tp_pred, s.strict.tp_gold) == (1, 1)
    assert s.strict.precision == 0.5 and s.strict.recall == pytest.approx(1 / 3)
    assert s.relaxed.tp_gold == 2  # the shelling has the right type and actor
    assert s.errors["wrong recipient (gold has none)"] == 1
    assert s.errors["missed event (sentence coded with other events)"] == 1  # the other direction
    assert s.fields["recipient"] == (1, 2)


def test_an_event_in_a_sentence_without_one_is_an_extra_and_sentence_detection_sees_it():
    s = score([_event(1, "ACCUSE", RUR_GOV, None, confidence=0.3)])
    assert s.errors["extra event (sentence holds no event)"] == 1
    assert s.errors["missed event (no event coded in the sentence)"] == 3
    assert (s.sentence_detection.tp_pred, s.sentence_detection.n_pred, s.sentence_detection.n_gold) == (0, 1, 2)
    assert s.strict.precision == 0.0


def test_wrong_type_wrong_actor_and_modality_are_told_apart():
    events = [_event(0, "AGREE", RUR_GOV, FRE_GOV), _event(0, "CONSULT", REBELS, RUR_GOV),
              _event(2, "ASSAULT", REBELS, None, modality=Modality.POTENTIAL)]
    s = score(events)
    assert s.errors["wrong type"] == 1
    assert s.errors["wrong actor (unresolved)"] == 1
    assert s.errors["modality: gold asserted, coded potential"] == 1
    assert s.strict.tp_gold == 1 and s.strict_modality.tp_gold == 0
    assert s.fields["modality"] == (0, 1)


def test_thresholds_drop_low_confidence_events_and_calibration_bins_them():
    events = [_event(0, "CONSULT", RUR_GOV, FRE_GOV, confidence=0.95),
              _event(1, "ACCUSE", RUR_GOV, None, confidence=0.15)]
    s = score(events)
    at = dict(s.thresholds)
    assert at[0.0].n_pred == 2 and at[0.0].precision == 0.5
    assert at[0.5].n_pred == 1 and at[0.5].precision == 1.0 and at[0.5].recall == at[0.0].recall
    assert [(lo, n) for lo, _, _, n in s.calibration] == [(0.1, 1), (0.9, 1)]
    assert s.ece == pytest.approx(0.5 * 0.05 + 0.5 * 0.15)


def test_ties_compare_identities_and_ally_is_unordered():
    gold_ties = [GoldTie("ally", "FRA", "DEU", 0), GoldTie("supports", "FRA", "ORG:Freedonian Rebels", 2)]
    ties = [Tie("ally", FRE_GOV, RUR_GOV, "a1", 0, "met"), Tie("funds", RUR_GOV, REBELS, "a1", 2, "x")]
    s = score([], ties=ties, gold_ties=gold_ties)
    assert (s.ties.tp_pred, s.ties.n_pred, s.ties.n_gold) == (1, 2, 2)


def test_identities_follow_organisations_then_states():
    assert identity_of(ActorRef("Isis fighters", "x", None, "REB", "Islamic State")) == "ISIS"
    assert identity_of(ActorRef("the minister", "x", "TUR", "GOV")) == "TUR"
    assert identity_of(ActorRef("Nato", "North Atlantic Treaty Organization", None, "IGO", None)) == "NATO"
    assert identity_of(ActorRef("an unknown league", "Unknown League", None, None, "Unknown League")) \
        == "ORG:Unknown League"
    assert identity_of(ActorRef("police")) is None
    assert is_identity("SYR") and is_identity("ORG:Some Group") and is_identity("UNK")
    assert not is_identity("XYZ") and not is_identity("ORG:")


def test_check_article_names_every_kind_of_problem():
    raw = {"article": "guardian:1", "sentences": [list(s) for s in SENTS],
           "events": [{"sentence": 0, "trigger": "greeted", "type": "MEETING", "actor": {"id": "FOO", "span": "He"},
                       "recipient": None, "modality": "likely"},
                      {"sentence": 7, "trigger": "met", "type": "CONSULT", "actor": "FRA"},
                      {"sentence": 0, "trigger": "met", "type": "ASSAULT", "mode": "visit", "actor": "FRA",
                       "attribution": TEXT[:80]}],
           "ties": [{"sentence": 0, "kind": "friend", "a": "FRA", "b": "DEU"}]}
    problems = "\n".join(check_article(parse_article(raw), TEXT))
    for expected in ("type 'MEETING' is not a PLOVER type", "trigger 'greeted' is not in its sentence",
                     "actor identity 'FOO'", "actor span 'He' is not in its sentence", "modality 'likely'",
                     "sentence index 7", "mode 'visit' is not a mode of ASSAULT", "longer than 8 words",
                     "kind 'friend'"):
        assert expected in problems
    good = dict(raw, events=[{"sentence": 0, "trigger": "met", "type": "CONSULT", "mutual": True,
                              "actor": {"id": "FRA", "sector": "GOV", "span": "The Ruritanian foreign minister"},
                              "recipient": {"id": "DEU", "sector": "GOV"}}], ties=[])
    assert check_article(parse_article(good), TEXT) == []


def test_cohen_kappa_and_annotator_agreement():
    assert cohen_kappa([("A", "A"), ("B", "B")]) == 1.0
    assert cohen_kappa([("A", "B"), ("B", "A")]) == -1.0
    assert cohen_kappa([("A", "A"), ("A", "B"), ("B", "B"), ("B", "B")]) == pytest.approx(0.5)
    other = GoldEvent(2, "ASSAULT", GoldArgument("UNK"), GoldArgument("FRA"), "shelled")
    swapped = GoldEvent(0, "CONSULT", GoldArgument("DEU"), GoldArgument("FRA"), "met", mutual=True)
    agreed = agreement([_gold([MEETING, SHELLING])], [_gold([swapped, other])])
    assert agreed.aligned == 2 and agreed.type_kappa == 1.0 and agreed.actor_kappa == 1.0
    assert agreed.event_f1 == 0.5 and agreed.sentence_kappa == 1.0


def test_evaluate_articles_command_on_a_small_corpus(tmp_path):
    """`dyad evaluate --format articles` on a shared folder of one invented article, end to end."""
    from dyad.cli import main

    shared = tmp_path / "shared"
    (shared / "corpus" / "guardian").mkdir(parents=True)
    text = ("Turkish troops attacked Kurdish fighters near the border on Tuesday. "
            "The day was cold. "
            "Germany condemned Russia.")
    with (shared / "corpus" / "guardian" / "Guardian_SDF_sample.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "date", "text", "source"])
        writer.writerow(["7", "2019-01-10", text, "Guardian"])
    gold = {"article": "guardian:7", "sentences": [[0, 68], [69, 86], [87, 111]],
            "events": [{"sentence": 0, "trigger": "attacked", "type": "ASSAULT",
                        "actor": {"id": "TUR", "sector": "MIL", "span": "Turkish troops"},
                        "recipient": {"id": "YPG", "alt": ["SDF"], "span": "Kurdish fighters"}},
                       {"sentence": 2, "trigger": "condemned", "type": "ACCUSE",
                        "actor": {"id": "DEU", "span": "Germany"}, "recipient": {"id": "RUS", "span": "Russia"}}],
            "ties": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(path), "--shared", str(shared), "--json", "-"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["articles"] == 1 and scores["sentences"] == 3 and scores["gold_events"] == 2
    assert scores["strict"]["matched_gold"] >= 1  # "Germany condemned Russia" is plain enough
    text_out = CliRunner().invoke(main, ["evaluate", str(path), "--shared", str(shared)])
    assert "strict" in text_out.output and "Errors by class" in text_out.output
    missing = CliRunner().invoke(main, ["evaluate", str(path), "--shared", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "Guardian_SDF_sample.csv" in missing.output


# -- the frozen split and its guard -------------------------------------------------------------------------

SPLITS = ROOT / "eval" / "splits"
GOLD = ROOT / "eval" / "gold"


def _split_file(name: str) -> dict[str, str]:
    lines = (SPLITS / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line and not line.startswith("#"))


def test_the_article_split_file_is_the_hash_rule():
    split = _split_file("articles.tsv")
    assert len(split) >= 300
    assert all(split_of(key, "articles") == s for key, s in split.items())
    assert 0.25 < sum(s == "test" for s in split.values()) / len(split) < 0.45


def test_gold_articles_are_filed_under_their_split():
    for part in ("dev", "test"):
        for path in sorted((GOLD / part).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                key = json.loads(line)["article"]
                assert split_of(key, "articles") == part, f"{path}: {key} belongs to {split_of(key, 'articles')}"


def _string_constants(source: str) -> list[str]:
    """The string literals of a module, docstrings left out (they may name the gold's layout)."""
    tree = ast.parse(source)
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_code_under_src_names_the_test_part():
    """Nothing dyad ships may open the test part of the gold or the split files: code that trains or tunes uses
    dyad.evaluate.splits.is_dev, and scoring code takes its gold folder as an argument from the user."""
    offenders = []
    for path in (ROOT / "src").rglob("*.py"):
        for value in _string_constants(path.read_text(encoding="utf-8")):
            for needle in ("gold/test", "splits/plv.tsv", "splits/articles.tsv", "plv.tsv", "articles.tsv"):
                if needle in value:
                    offenders.append(f"{path.relative_to(ROOT)}: {value!r}")
    assert not offenders, offenders


@pytest.mark.shared
def test_plv_split_file_is_the_hash_rule_and_training_leaves_the_held_out_fold_out():
    from dyad.classify.training import gold_examples
    from dyad.evaluate.gold import read_plv

    pairs = read_plv(shared_path("gold", "plv_train", "PLV_train.tsv"))
    split = _split_file("plv.tsv")
    assert all(split[p.sentence_id] == split_of(p.sentence, "plv") for p in pairs)
    held = {p.sentence for p in pairs if not is_dev(p.sentence, "plv")}
    assert 150 < len(held) < 300
    examples = gold_examples(shared_path("gold"))
    assert examples and not {e.pair.sentence.strip() for e in examples} & held


@pytest.mark.slow
def test_building_and_running_the_coder_opens_no_test_gold(tmp_path):
    """Under an audit hook, loading dyad, coding a text and assembling training data open nothing in the test part."""
    script = """
import sys
opened = []
sys.addaudithook(lambda ev, args: opened.append(str(args[0])) if ev == "open" and args and isinstance(args[0], str) else None)
from dyad.pipeline import Coder
Coder.from_settings().code_text("Turkey accused Syria of shelling the town.")
from dyad.classify.training import own_examples
own_examples()
print("\\n".join(opened))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    touched = [p for p in out.stdout.splitlines() if "eval/gold" in p or "eval/splits" in p]
    assert not touched, touched


@pytest.mark.shared
@pytest.mark.slow
def test_every_shipped_gold_file_checks_clean_against_its_articles():
    """Spans are in their sentences and short, identities and types valid, notes quote no sentence."""
    from dyad.evaluate.articles import read_gold
    from dyad.evaluate.truth_run import texts_of

    shared = shared_path("corpus")
    files = sorted(GOLD.glob("*/*.jsonl")) + sorted((ROOT / "eval" / "agreement").glob("*/*.jsonl"))
    if not files:
        pytest.skip("no gold files yet")
    articles = list(read_gold(files))
    texts = texts_of(articles, shared.parent)
    problems = [f"{a.source}: {p}" for a in articles for p in check_article(a, texts[a.key].text)]
    assert not problems, problems[:20]
