"""How often dyad is right on whole real articles: the article gold's dev and test splits, side by side.

    python bench/truth.py              # dev and test: strict/relaxed P/R/F1, fields, ties, thresholds, calibration,
                                       # errors by class; then the agreement of the articles annotated twice
                                       # (eval/agreement/round*/)
    python bench/truth.py --verbose    # ... and every error of the dev split (test errors are never listed:
                                       # reading them is tuning on test)
    python bench/truth.py --json OUT   # also the figures as JSON

The gold is `eval/gold/{dev,test}/*.jsonl` (docs/annotation.md); the split is frozen (eval/splits/). The test
figure is the one that predicts what a user sees: rules, features, thresholds and models are chosen on dev only.
Needs ../shared (the articles' texts). Prints what it measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from dyad.evaluate.agreement import agreement
from dyad.evaluate.articles import read_gold
from dyad.evaluate.truth_report import render
from dyad.evaluate.truth_run import evaluate_articles, read_gold_path
from dyad.pipeline import Coder
from dyad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
AGREEMENT = ROOT / "eval" / "agreement"
SHARED = ROOT.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every error of the dev split")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (default: ../shared)")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"bench/truth.py: {args.shared}/corpus is not here (../shared is absent); nothing to measure",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    coder = Coder.from_settings(Settings.from_env())
    print(f"model: {coder.settings.spacy_model} (loaded in {time.perf_counter() - start:.1f} s)")
    results, timing = [], []
    for split in ("dev", "test"):
        gold = read_gold_path(GOLD / split)
        scores, seconds = evaluate_articles(coder, gold, args.shared, title=split)
        results.append(scores)
        timing.append(f"{split}: {scores.articles} articles coded in {seconds:.1f} s")
    dev, test = results
    test.examples.clear()  # never list test errors one by one
    print(render(results, verbose=args.verbose))
    print("\n" + "; ".join(timing))

    agreed = {}
    for folder in sorted(AGREEMENT.glob("round*")):
        agreed[folder.name] = agreement(list(read_gold([folder / "first.jsonl"])),
                                        list(read_gold([folder / "second.jsonl"])))
        print(f"\nAgreement, {folder.name}: articles annotated twice, independently (eval/agreement/README.md)")
        print(agreed[folder.name].to_text())
    if args.json:
        args.json.write_text(json.dumps({"dev": dev.to_dict(), "test": test.to_dict(),
                                         "agreement": {k: v.to_dict() for k, v in agreed.items()}}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
