"""Cross-validated accuracy and speed of the pair classifier (dyad.classify) on PLV_train.

Folds are split by sentence (all pairs of a sentence stay in one fold) and stratified by type; each fold
trains a model with the same code as `dyad train` (on the other folds plus dyad's own pairs) and scores
the held-out fold. Predictions are PLOVER types; CONCEDE and RETREAT count as YIELD, as in PLV.

    .venv/bin/python bench/classify.py [--folds 5] [--seed 0] [--no-own-data] [--gold DIR]
    .venv/bin/python bench/classify.py --throughput [--model PATH]   # pairs per second
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"


def cross_validate(examples, folds: int, seed: int, config, settings) -> None:
    from sklearn.metrics import accuracy_score, classification_report, f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    from dyad.classify import PairClassifier, train
    from dyad.classify.classifier import Analyser, load_nlp
    from dyad.classify.features import merge_type
    from dyad.classify.training import own_examples

    nlp = load_nlp(settings)
    own = own_examples() if config.own_data else []
    gold = [e.event_type for e in examples]
    split = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    predicted: list[str | None] = [None] * len(examples)
    seconds = []
    for n, (train_idx, test_idx) in enumerate(split.split(examples, gold, [e.pair.sentence for e in examples])):
        start = time.perf_counter()
        model = train([examples[i] for i in train_idx] + own, config=config, nlp=nlp)
        seconds.append(time.perf_counter() - start)
        clf = PairClassifier(model, Analyser(nlp))
        for i, p in zip(test_idx, clf.predict([examples[i].pair for i in test_idx])):
            predicted[i] = merge_type(p.event_type)
        fold_gold = [gold[i] for i in test_idx]
        fold_pred = [predicted[i] for i in test_idx]
        print(f"fold {n}: macro-F1 {f1_score(fold_gold, fold_pred, average='macro'):.3f}  "
              f"accuracy {accuracy_score(fold_gold, fold_pred):.3f}  train {seconds[-1]:.1f} s", flush=True)
    print(f"\n{folds}-fold CV over {len(examples)} PLV_train pairs (+{len(own)} own pairs in every training fold)")
    print(f"macro-F1 {f1_score(gold, predicted, average='macro'):.3f}   accuracy {accuracy_score(gold, predicted):.3f}   "
          f"mean training time per fold {sum(seconds) / len(seconds):.1f} s\n")
    print(classification_report(gold, predicted, digits=3, zero_division=0))


def throughput(examples, model_path, settings, repeat: int) -> None:
    from dyad.classify import PairClassifier

    start = time.perf_counter()
    clf = PairClassifier.load(model_path, settings)
    clf.predict([examples[0].pair])  # warm up
    print(f"load {time.perf_counter() - start:.1f} s")
    pairs = [e.pair for e in examples]
    best, best_cpu = 0.0, 0.0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        clf.predict(pairs)
        best = max(best, len(pairs) / (time.perf_counter() - start))
        best_cpu = max(best_cpu, len(pairs) / max(time.process_time() - cpu, 1e-9))
    load = os.getloadavg()[0]
    print(f"{len(pairs)} pairs ({len(set(p.sentence for p in pairs))} sentences), best of {repeat}: "
          f"{best:.0f} pairs/s wall clock, parsing on {settings.workers} process(es), {len(os.sched_getaffinity(0))} cores "
          f"(load average {load:.1f}: other work on the machine slows this)")
    print(f"{best_cpu:.0f} pairs per CPU-second of the measuring process (its parse workers not counted)")


def main(argv=None) -> int:
    from dyad.classify.training import TrainConfig, gold_examples, own_examples
    from dyad.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="the shared gold folder (default ../shared/gold)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-own-data", action="store_true", help="train on PLV_train folds only")
    ap.add_argument("--C", type=float, default=None, help="override the regularisation of TrainConfig")
    ap.add_argument("--throughput", action="store_true", help="measure pairs per second instead")
    ap.add_argument("--model", type=Path, default=None, help="model file for --throughput (default: shipped)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                    help="--throughput: processes that parse (default: the cores; DYAD_WORKERS in dyad classify)")
    args = ap.parse_args(argv)
    settings = Settings.from_env(workers=args.workers) if args.throughput else Settings.from_env()
    try:
        examples = gold_examples(args.gold)
    except FileNotFoundError as exc:
        if not args.throughput:
            print(f"bench/classify.py: {exc}", file=sys.stderr)
            return 1
        examples = own_examples()
    if args.throughput:
        throughput(examples, args.model, settings, args.repeat)
        return 0
    config = TrainConfig()
    if args.no_own_data:
        config = replace(config, own_data=False)
    if args.C is not None:
        config = replace(config, C=args.C)
    cross_validate(examples, args.folds, args.seed, config, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
