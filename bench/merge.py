"""Event merging on the Guardian sample: how many reports, how many merged events, and whether merges are right.

Prints the number of reports (coded events) and of merged events, then draws 30 merges (merged events with at
least two reports) with a fixed seed and prints each with the sentences of its reports, so a person can judge
whether they all report the same event. With --verdicts, a TSV of `merge_id<TAB>y|n<TAB>note` lines, it also
prints the share of the drawn merges judged correct (merges the file does not name are listed as unjudged:
verdicts are keyed by merge id, which changes when the coder's output changes).

    .venv/bin/python bench/merge.py                       # codes the corpus into bench-output/ on first use
    .venv/bin/python bench/merge.py --db guardian.db --verdicts bench/merge_verdicts.tsv
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "guardian" / "Guardian_SDF_sample.csv"


def _coded_store(db: Path):
    from dyad.pipeline import Coder, code_paths
    from dyad.settings import Settings
    from dyad.store import Store

    store = Store.open(db)
    if not store.summary().articles:
        if not CORPUS.exists():
            sys.exit(f"needs {CORPUS} (../shared is not present here)")
        print(f"coding {CORPUS.name} into {db} (a few minutes, once) ...", file=sys.stderr)
        code_paths([str(CORPUS)], store, Coder.from_settings(Settings()))
    return store


def _verdicts(path: Path | None) -> dict[str, tuple[str, str]]:
    if path is None or not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            merge_id, verdict, *note = line.split("\t")
            found[merge_id.strip()] = (verdict.strip().lower(), note[0].strip() if note else "")
    return found


def main() -> None:
    """Print the counts and the drawn merges (and the share judged correct)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench-output" / "guardian.db")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--verdicts", type=Path, default=None)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)

    from dyad.analysis import Analysis

    with _coded_store(args.db) as store:
        merged = Analysis(store).merged()
        info = store.summary()
    reports = sum(m.num_reports for m in merged)
    merges = sorted((m for m in merged if m.num_reports > 1), key=lambda m: m.id)
    in_merges = sum(m.num_reports for m in merges)
    cross = sum(1 for m in merges if len(m.articles) > 1)
    print(f"articles: {info.articles}")
    print(f"reports (coded events): {reports}")
    print(f"merged events: {len(merged)}  ({reports - len(merged)} reports merged away, "
          f"{len(merged) / reports:.1%} of the reports remain as events)")
    print(f"merges (merged events with 2+ reports): {len(merges)}, holding {in_merges} reports; "
          f"{cross} span more than one article")

    drawn = random.Random(args.seed).sample(merges, min(args.n, len(merges)))
    verdicts = _verdicts(args.verdicts)
    judged = []
    print(f"\n{len(drawn)} merges drawn with seed {args.seed}:")
    for number, m in enumerate(drawn, start=1):
        verdict = verdicts.get(m.id)
        arrow = f" -> {m.recipient}" if m.recipient else ""
        window = f"{m.window[0]}..{m.window[1]}" if m.window else "undated"
        mark = f"  verdict: {verdict[0]} {verdict[1]}".rstrip() if verdict else ""
        print(f"\n[{number}] {m.id}  {m.event_type}{'/' + m.mode if m.mode else ''} {m.actor}{arrow} "
              f"[{m.modality.value}]  {m.date} ({m.date_precision}), window {window}{mark}")
        for e in m.reports:
            rec = f" -> {e.recipient.text}" if e.recipient else ""
            print(f"    {e.article_id}:{e.sentence_index}  {e.date} {e.date_precision}  {e.actor.text}{rec}")
            print(f"        {' '.join(e.sentence.split())}")
        if verdict:
            judged.append(verdict[0] == "y")
    print()
    if judged:
        print(f"judged correct: {sum(judged)} of {len(judged)} ({sum(judged) / len(judged):.0%}); "
              f"unjudged: {len(drawn) - len(judged)}")
    else:
        print("no verdicts given (--verdicts FILE with merge_id<TAB>y|n<TAB>note lines)")


if __name__ == "__main__":
    main()
