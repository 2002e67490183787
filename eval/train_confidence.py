"""Fit dyad's calibrated confidence on the dev split of the article gold, and write the shipped model.

    python eval/train_confidence.py                 # cross-validated report, then writes
                                                    # src/dyad/events/data/confidence.json
    python eval/train_confidence.py --out FILE      # elsewhere (DYAD_CONFIDENCE_MODEL=FILE uses it)

Only `eval/gold/dev` is read: the test split is never trained or tuned on. Each dev article is coded with the
rule and classifier scores (DYAD_CONFIDENCE=rules); every coded event is labelled 1 when it is strictly right
(dyad.evaluate.truth.strict_verdicts). The regularisation is chosen by 5-fold cross-validation over articles
(log-loss), and the default display threshold is the lowest whose out-of-fold strict precision on dev reaches
TARGET_PRECISION (else the one of best F1). Needs ../shared and scikit-learn.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dyad.evaluate.truth import strict_verdicts  # noqa: E402
from dyad.evaluate.truth_run import code_gold, read_gold_path, texts_of  # noqa: E402
from dyad.events.calibration import Calibrator, event_features, fit  # noqa: E402
from dyad.pipeline import Coder  # noqa: E402
from dyad.settings import Settings  # noqa: E402

DEV = ROOT / "eval" / "gold" / "dev"
OUT = ROOT / "src" / "dyad" / "events" / "data" / "confidence.json"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5
TARGET_PRECISION = 0.5
BINS = 10


def ece(pairs: list[tuple[float, int]]) -> float:
    bins: list[list[tuple[float, int]]] = [[] for _ in range(BINS)]
    for p, y in pairs:
        bins[min(int(p * BINS), BINS - 1)].append((p, y))
    return sum(len(b) / len(pairs) * abs(sum(p for p, _ in b) / len(b) - sum(y for _, y in b) / len(b))
               for b in bins if b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    gold = read_gold_path(DEV)
    texts = texts_of(gold, args.shared)
    coder = Coder.from_settings(Settings.from_env(confidence="rules"))
    coded = code_gold(coder, texts)
    rows = []  # (article number, features, label, gold events of the article)
    gold_events = 0
    for n, article in enumerate(gold):
        result = coded[article.key]
        verdicts = strict_verdicts(article, result, texts[article.key].text)
        per_sentence: dict[int, int] = {}
        for e in result.events:
            per_sentence[e.sentence_index] = per_sentence.get(e.sentence_index, 0) + 1
        for event, right in zip(result.events, verdicts):
            rows.append((n, event_features(event, per_sentence[event.sentence_index], len(result.sentences)),
                         int(right)))
        gold_events += sum(2 if e.mutual and e.recipient else 1 for e in article.events)
    positives = sum(r[2] for r in rows)
    print(f"dev: {len(gold)} articles, {len(rows)} coded events, {positives} strictly right, {gold_events} gold")

    def out_of_fold(c: float) -> list[tuple[float, int]]:
        preds = []
        for fold in range(FOLDS):
            train = [r for r in rows if r[0] % FOLDS != fold]
            held = [r for r in rows if r[0] % FOLDS == fold]
            weights, bias = fit([r[1] for r in train], [r[2] for r in train], c)
            model = Calibrator(weights, bias)
            preds += [(model.probability(r[1]), r[2]) for r in held]
        return preds

    best = None
    for c in C_GRID:
        preds = out_of_fold(c)
        loss = -sum(math.log(max(1e-9, p if y else 1 - p)) for p, y in preds) / len(preds)
        print(f"C={c:<5} out-of-fold log-loss {loss:.4f}  ECE {ece(preds):.4f}")
        if best is None or loss < best[0]:
            best = (loss, c, preds)
    _, c, preds = best
    threshold, best_f1 = 0.5, -1.0
    chosen = None
    for t in [i / 100 for i in range(5, 96)]:
        kept = [(p, y) for p, y in preds if p >= t]
        tp = sum(y for _, y in kept)
        precision = tp / len(kept) if kept else 0.0
        recall = tp / gold_events
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if chosen is None and precision >= TARGET_PRECISION and len(kept) >= 20:
            chosen = (t, precision, recall)
        if f1 > best_f1:
            best_f1, threshold = f1, t
    if chosen is not None:
        threshold = chosen[0]
    kept = [(p, y) for p, y in preds if p >= threshold]
    tp = sum(y for _, y in kept)
    print(f"chosen C={c}; threshold {threshold:.2f}: out-of-fold strict precision "
          f"{tp / max(len(kept), 1):.3f}, recall {tp / gold_events:.3f} ({len(kept)} of {len(preds)} events kept)")
    weights, bias = fit([r[1] for r in rows], [r[2] for r in rows], c)
    meta = {"trained_on": f"eval/gold/dev: {len(gold)} articles, {len(rows)} coded events, {positives} right",
            "C": c, "out_of_fold_ece": round(ece(preds), 4), "target_precision": TARGET_PRECISION}
    Calibrator(weights, bias, threshold, meta).save(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
