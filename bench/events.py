"""Event-coding accuracy and speed against development gold data in ../shared/gold.

    python bench/events.py              # PLV_train.tsv: end-to-end, actor/recipient, typed-only recall
    python bench/events.py --petr       # PETR2_GSR_validation.xml: (country, country, type) triples
    python bench/events.py --verbose    # ... and every miss

Targets the project works towards on PLV: end-to-end recall >= 0.55, typed-only recall >= 0.75.
Prints what it measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dyad.evaluate import evaluate_petr, evaluate_plv, read_petr, read_plv
from dyad.pipeline import Coder
from dyad.settings import Settings

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
PLV = GOLD / "plv_train" / "PLV_train.tsv"
PETR = GOLD / "petr2_gsr_validation" / "PETR2_GSR_validation.xml"
TARGETS = {"end-to-end recall": 0.55, "typed-only recall": 0.75}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, code the gold sentences, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petr", action="store_true", help="score PETRARCH validation triples instead of PLV")
    parser.add_argument("--gold", type=Path, help="another gold file of the same format")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    path = args.gold or (PETR if args.petr else PLV)
    if not path.exists():
        print(f"bench/events.py: {path} is not here (../shared is absent); nothing to measure", file=sys.stderr)
        return 2

    start = time.perf_counter()
    coder = Coder.from_settings(Settings.from_env())
    load = time.perf_counter() - start
    if args.petr:
        report = evaluate_petr(coder, read_petr(path))
    else:
        report = evaluate_plv(coder, read_plv(path))

    print(f"gold: {path}")
    print(f"model: {coder.settings.spacy_model} (loaded in {load:.1f} s)")
    print(report.to_text(verbose=args.verbose))
    if not args.petr:
        print()
        for name, target in TARGETS.items():
            value = report.measure(name).value
            print(f"target {name} >= {target:.2f}: {value:.3f} ({'met' if value >= target else 'not met'})")
    rate = report.items / report.seconds if report.seconds else 0.0
    print(f"\nelapsed coding {report.seconds:.1f} s for {report.items} sentences: {rate:.1f} sentences/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
