"""Event-coding accuracy and speed against development gold data in ../shared/gold.

    python bench/events.py              # PLV_train.tsv: end-to-end, actor/recipient, typed-only recall, on the
                                        # held-out fold (eval/splits/plv.tsv) and on the dev part, separately
    python bench/events.py --petr       # PETR2_GSR_validation.xml: (country, country, type) triples
    python bench/events.py --verbose    # ... and every miss

The learned classifier's second opinion on each event's type (dyad.classify.incoder), compared by policy:

    python bench/events.py --classifier off       # the rule coder alone
    python bench/events.py --classifier shipped   # the shipped model (trained on PLV_train's dev part)
    python bench/events.py --classifier oof       # out-of-fold: each fifth of PLV_train's dev part (by sentence)
                                                  # coded with a model trained on the other four (+ dyad's pairs)
    python bench/events.py --petr --classifier shipped

With `shipped` or `oof` the sentences are coded once with the opinion recorded, then every policy of POLICIES
below is applied to the same events (what the component does with that policy) and scored.

Targets the project works towards on PLV: end-to-end recall >= 0.55, typed-only recall >= 0.75.
Prints what it measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dyad.classify.opinion import Policy
from dyad.evaluate import evaluate_petr, read_petr, read_plv, score_petr, score_plv
from dyad.evaluate.gold import unique_sentences
from dyad.evaluate.match import arguments_match, pair_matched
from dyad.evaluate.labels import plv_label
from dyad.evaluate.run import code_texts
from dyad.evaluate.splits import is_dev
from dyad.pipeline import Coder
from dyad.settings import Settings

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
PLV = GOLD / "plv_train" / "PLV_train.tsv"
PETR = GOLD / "petr2_gsr_validation" / "PETR2_GSR_validation.xml"
TARGETS = {"end-to-end recall": 0.55, "typed-only recall": 0.75}
# Policies compared on the same coded events: the lexicon decides ("record"), or a disagreeing classifier wins
# at or above a probability (for "margin": when it beats its probability of the lexicon's type by 0.5), for any
# event ("any") or only for the sole event of its actor and recipient in the sentence ("sole"); never for an
# event a rule recoded from its lexicon row's type ("decided to reassess ties" is THREATEN), but with "recoded".
POLICIES = {
    "record (lexicon decides)": Policy(override=False),
    "override p>=0.0 any": Policy(override=True, threshold=0.0, sole=False),
    "override p>=0.5 any": Policy(override=True, threshold=0.5, sole=False),
    "override p>=0.0 sole": Policy(override=True, threshold=0.0),
    "override p>=0.5 sole": Policy(override=True, threshold=0.5),
    "override p>=0.5 sole recoded": Policy(override=True, threshold=0.5, recoded=True),
    "override p>=0.7 sole": Policy(override=True, threshold=0.7),
    "override p>=0.9 sole": Policy(override=True, threshold=0.9),
    "override margin 0.5 sole": Policy(override=True, threshold=0.0, margin=0.5),
}
FOLDS, SEED = 5, 0  # as bench/classify.py


def out_of_fold(coder: Coder, pairs, path: Path) -> tuple[dict[str, list], float]:
    """Events per PLV sentence, each sentence coded with a classifier trained on the folds it is not in."""
    from sklearn.model_selection import StratifiedGroupKFold

    from dyad.classify.classifier import Analyser, load_nlp
    from dyad.classify.features import merge_type
    from dyad.classify.training import TrainConfig, fit, own_examples
    from dyad.classify.training import read_plv as read_examples

    examples = read_examples(path)  # the same rows (PLV's dev part), in the same order, as the gold pairs
    if len(examples) != len(pairs):
        raise SystemExit(f"bench/events.py: {len(examples)} training rows but {len(pairs)} gold pairs")
    own = own_examples()
    analyser = Analyser(load_nlp(coder.settings))
    analyses = analyser([e.pair for e in examples])
    own_analyses = analyser([e.pair for e in own])
    labels = [merge_type(e.event_type) for e in examples]
    split = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    component = coder.nlp.get_pipe("dyad_classifier")
    events: dict[str, list] = {}
    seconds = 0.0
    for n, (train_idx, test_idx) in enumerate(split.split(pairs, labels, [p.sentence for p in pairs])):
        component.model = fit([analyses[i] for i in train_idx] + own_analyses,
                              [labels[i] for i in train_idx] + [merge_type(e.event_type) for e in own], TrainConfig())
        sentences = list(dict.fromkeys(pairs[i].sentence for i in test_idx))
        start = time.perf_counter()
        events.update(zip(sentences, code_texts(coder, sentences)))
        seconds += time.perf_counter() - start
        print(f"fold {n}: trained on {len(train_idx)} pairs, coded {len(sentences)} sentences", flush=True)
    return events, seconds


def _auc(right: list[float], wrong: list[float]) -> float:
    if not right or not wrong:
        return float("nan")
    return sum((r > w) + 0.5 * (r == w) for r in right for w in wrong) / (len(right) * len(wrong))


def confidence_auc(pairs, events: dict[str, list]) -> tuple[float, float]:
    """How well `confidence` ranks right events above wrong ones (AUC: 0.5 is chance), twice: (event) every event,
    right when it answers a gold pair of its sentence (type, actor and recipient; PLV marks one pair per sentence,
    so some "wrong" events are right); (type) events whose actor and recipient match a gold pair, right when
    their type is the pair's."""
    by_sentence: dict[str, list] = {}
    for pair in pairs:
        by_sentence.setdefault(pair.sentence, []).append(pair)
    right, wrong, typed_right, typed_wrong = [], [], [], []
    for sentence, evs in events.items():
        for e in evs:
            gold = by_sentence.get(sentence, [])
            (right if any(pair_matched([e], p) for p in gold) else wrong).append(e.confidence)
            for pair in gold:
                if arguments_match(e, pair):
                    (typed_right if plv_label(e.event_type) == pair.event_type else typed_wrong).append(e.confidence)
    return _auc(right, wrong), _auc(typed_right, typed_wrong)


def compare_policies(coder: Coder, records, events: list[list] | dict[str, list], petr: bool, seconds: float) -> None:
    """Score every policy of POLICIES on the same coded events (opinions recorded in their `why`)."""
    from dyad.classify.incoder import decide_all

    ontology = coder.nlp.get_pipe("dyad_classifier").ont
    print("\npolicy                        " + ("triple P          triple R          type P            type R" if petr else
                                                "e2e recall        typed-only  AUC event/type  events  e2e +/- vs record"))
    baseline: set[int] | None = None
    for name, policy in POLICIES.items():
        if petr:
            decided = [decide_all(evs, policy, ontology) for evs in events]
            report = score_petr(records, decided, seconds)
            values = "".join(f"{report.measure(m).to_text():<18}" for m in
                             ("triple precision", "triple recall", "type precision", "type recall"))
        else:
            decided = {s: decide_all(evs, policy, ontology) for s, evs in events.items()}
            report = score_plv(records, decided, seconds)
            hits = {i for i, pair in enumerate(records) if pair_matched(decided.get(pair.sentence, []), pair)}
            baseline = hits if baseline is None else baseline
            values = (f"{report.measure('end-to-end recall').to_text():<18}"
                      f"{report.measure('typed-only recall').value:.3f}       "
                      "{:.3f} {:.3f}   ".format(*confidence_auc(records, decided))
                      + f"{sum(map(len, decided.values())):<8}"
                      f"+{len(hits - baseline)} -{len(baseline - hits)}")
        print(f"{name:<30}{values}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, code the gold sentences, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petr", action="store_true", help="score PETRARCH validation triples instead of PLV")
    parser.add_argument("--gold", type=Path, help="another gold file of the same format")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    parser.add_argument("--classifier", choices=("off", "shipped", "oof"),
                        help="the classifier in the coder: off, the shipped model, or out-of-fold models (PLV only); "
                             "shipped and oof compare every policy (default: as DYAD_CLASSIFIER configures)")
    args = parser.parse_args(argv)
    path = args.gold or (PETR if args.petr else PLV)
    if not path.exists():
        print(f"bench/events.py: {path} is not here (../shared is absent); nothing to measure", file=sys.stderr)
        return 2

    if args.classifier == "oof" and args.petr:
        parser.error("--classifier oof needs PLV gold (PETRARCH records are no training data)")
    start = time.perf_counter()
    mode = {None: None, "off": "off", "shipped": "record", "oof": "record"}[args.classifier]
    coder = Coder.from_settings(Settings.from_env(classifier=mode))
    load = time.perf_counter() - start
    if args.classifier in ("shipped", "oof"):
        print(f"gold: {path}\nclassifier: {args.classifier} (model and coder loaded in {load:.1f} s)")
        if args.petr:
            records = read_petr(path)
            coded, seconds = _code(coder, [r.text for r in records])
            compare_policies(coder, records, coded, True, seconds)
            return 0
        pairs = dev_part(read_plv(path))
        if args.classifier == "oof":
            events, seconds = out_of_fold(coder, pairs, path)
        else:
            sentences = list(unique_sentences(pairs))
            coded, seconds = _code(coder, sentences)
            events = dict(zip(sentences, coded))
        compare_policies(coder, pairs, events, False, seconds)
        print(f"\nelapsed coding {seconds:.1f} s for {len(events)} sentences "
              f"({len(events) / seconds if seconds else 0.0:.1f} sentences/s)")
        return 0

    auc = None
    if args.petr:
        report = evaluate_petr(coder, read_petr(path))
    else:
        pairs = read_plv(path)
        sentences = list(unique_sentences(pairs))
        coded, seconds = _code(coder, sentences)
        events = dict(zip(sentences, coded))
        report, auc = score_plv(pairs, events, seconds), confidence_auc(pairs, events)
        if args.gold is None:
            held = [p for p in pairs if not is_dev(p.sentence, "plv")]
            print(f"gold: {path}, held-out fold (eval/splits/plv.tsv: {len(held)} pairs; never tuned on)")
            print(score_plv(held, events).to_text() + "\n")
            report = score_plv(dev_part(pairs), events, seconds)
            print(f"gold: {path}, dev part (rules and the classifier are developed on it)")

    if args.petr or args.gold is not None:
        print(f"gold: {path}")
    print(f"model: {coder.settings.spacy_model} (loaded in {load:.1f} s); classifier: {coder.settings.classifier}")
    print(report.to_text(verbose=args.verbose))
    if auc is not None:
        print("confidence AUC: {:.3f} whole events, {:.3f} types of events whose actors match (see confidence_auc)"
              .format(*auc))
    if not args.petr:
        print()
        for name, target in TARGETS.items():
            value = report.measure(name).value
            print(f"target {name} >= {target:.2f}: {value:.3f} ({'met' if value >= target else 'not met'})")
    rate = report.items / report.seconds if report.seconds else 0.0
    print(f"\nelapsed coding {report.seconds:.1f} s for {report.items} sentences: {rate:.1f} sentences/s")
    return 0


def dev_part(pairs):
    """The pairs of PLV_train's dev part: the held-out fold (dyad.evaluate.splits) is only reported."""
    return [p for p in pairs if is_dev(p.sentence, "plv")]


def _code(coder: Coder, texts: list[str]) -> tuple[list[list], float]:
    start = time.perf_counter()
    coded = code_texts(coder, texts)
    return coded, time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
