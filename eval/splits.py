"""Write the frozen split of every gold set dyad is measured on: `eval/splits/*.tsv`.

    python eval/splits.py            # (re)writes the files from ../shared; the result never changes

An article (or PLV sentence) is in `test` when the first 8 hex digits of the SHA-256 of its key, read as a number,
fall in the lowest TEST_PERCENT of 100; else in `dev`. The key is the article key (`guardian:17`, `afp:<id>`) or,
for PLV_train, the sentence's text, so that every pair of a sentence falls on the same side. The rule is fixed
once: changing TEST_PERCENT or the keys would move articles between dev and test, which the frozen split forbids.

Rules, features, thresholds and models are tuned on `dev` only; `test` is reported, never tuned on.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "eval" / "splits"
sys.path.insert(0, str(ROOT / "src"))

from dyad.evaluate.corpus import CORPORA, read_corpus  # noqa: E402
from dyad.evaluate.gold import read_plv  # noqa: E402

TEST_PERCENT = {"articles": 35, "plv": 20}


def split_of(key: str, percent: int) -> str:
    """`test` or `dev` for a key, by its hash."""
    return "test" if int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100 < percent else "dev"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for corpus in CORPORA:
        for key in read_corpus(SHARED, corpus):
            rows.append((key, split_of(key, TEST_PERCENT["articles"])))
    with (OUT / "articles.tsv").open("w", encoding="utf-8") as out:
        out.write("# article\tsplit  (eval/splits.py: by SHA-256 of the key; never edit by hand)\n")
        out.writelines(f"{k}\t{s}\n" for k, s in rows)
    pairs = read_plv(SHARED / "gold" / "plv_train" / "PLV_train.tsv")
    seen: dict[str, str] = {}
    for pair in pairs:
        seen.setdefault(pair.sentence_id, split_of(pair.sentence, TEST_PERCENT["plv"]))
    with (OUT / "plv.tsv").open("w", encoding="utf-8") as out:
        out.write("# PLV_train sentence_id\tsplit  (eval/splits.py: by SHA-256 of the sentence; test = held-out fold)\n")
        out.writelines(f"{k}\t{s}\n" for k, s in seen.items())
    for name in ("articles", "plv"):
        lines = [l for l in (OUT / f"{name}.tsv").read_text().splitlines() if not l.startswith("#")]
        n_test = sum(l.endswith("\ttest") for l in lines)
        print(f"{name}: {len(lines)} keys, {n_test} test, {len(lines) - n_test} dev")


if __name__ == "__main__":
    main()
