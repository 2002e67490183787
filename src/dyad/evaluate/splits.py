"""The frozen dev/test split of every gold set dyad is measured on, decided by a hash of each item's key.

An item is in `test` when the first 8 hex digits of the SHA-256 of its key, read as a number, fall in the lowest
`TEST_PERCENT[set]` of 100. Keys: an article's corpus key (`guardian:17`, `afp:<id>`); a PLV_train sentence's
text (stripped), so that every pair of a sentence is on the same side. The rule never changes: `eval/splits/`
holds its result, and a test checks that the two agree.

Rules, features, thresholds and models are chosen on `dev`; `test` is only reported. Code that trains or tunes
uses `is_dev` to leave the test part out.
"""

from __future__ import annotations

import hashlib

__all__ = ["DEV", "TEST", "TEST_PERCENT", "is_dev", "split_of"]

DEV, TEST = "dev", "test"
TEST_PERCENT = {"articles": 35, "plv": 20}


def split_of(key: str, gold_set: str) -> str:
    """`test` or `dev` for an item of a gold set ("articles" or "plv")."""
    digest = hashlib.sha256(key.strip().encode("utf-8")).hexdigest()
    return TEST if int(digest[:8], 16) % 100 < TEST_PERCENT[gold_set] else DEV


def is_dev(key: str, gold_set: str) -> bool:
    """Whether an item may be used to train or tune (it is not in the frozen test part)."""
    return split_of(key, gold_set) == DEV
