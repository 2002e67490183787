"""Write the frozen split of every gold set dyad is measured on: `eval/splits/*.tsv`.

    python eval/splits.py            # (re)writes the files from ../shared; the result never changes

The rule is dyad.evaluate.splits.split_of: a hash of the article key (`guardian:17`, `afp:<id>`) or, for
PLV_train, of the sentence's text. It is fixed once: changing it would move items between dev and test, which
the frozen split forbids (tests/test_truth.py checks that these files and the rule agree).

Rules, features, thresholds and models are tuned on `dev` only; `test` is reported, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "eval" / "splits"
sys.path.insert(0, str(ROOT / "src"))

from dyad.evaluate.corpus import CORPORA, read_corpus  # noqa: E402
from dyad.evaluate.gold import read_plv  # noqa: E402
from dyad.evaluate.splits import split_of  # noqa: E402


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for corpus in CORPORA:
        for key in read_corpus(SHARED, corpus):
            rows.append((key, split_of(key, "articles")))
    with (OUT / "articles.tsv").open("w", encoding="utf-8") as out:
        out.write("# article\tsplit  (eval/splits.py: by SHA-256 of the key; never edit by hand)\n")
        out.writelines(f"{k}\t{s}\n" for k, s in rows)
    pairs = read_plv(SHARED / "gold" / "plv_train" / "PLV_train.tsv")
    seen: dict[str, str] = {}
    for pair in pairs:
        seen.setdefault(pair.sentence_id, split_of(pair.sentence, "plv"))
    with (OUT / "plv.tsv").open("w", encoding="utf-8") as out:
        out.write("# PLV_train sentence_id\tsplit  (eval/splits.py: by SHA-256 of the sentence; test = held-out fold)\n")
        out.writelines(f"{k}\t{s}\n" for k, s in seen.items())
    for name in ("articles", "plv"):
        lines = [l for l in (OUT / f"{name}.tsv").read_text().splitlines() if not l.startswith("#")]
        n_test = sum(l.endswith("\ttest") for l in lines)
        print(f"{name}: {len(lines)} keys, {n_test} test, {len(lines) - n_test} dev")


if __name__ == "__main__":
    main()
