"""Near-duplicate articles (wire copies, rewrites) found at ingest with MinHash LSH over word shingles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from datasketch import MinHash, MinHashLSH

from dyad.model import Article
from dyad.store.links import ArticleLink

if TYPE_CHECKING:
    from dyad.store import Store

__all__ = ["DedupSettings", "NearDuplicateIndex", "shingles"]

_WORD = re.compile(r"\w+")
# Named explicitly: signatures are kept in the store, and datasketch refuses to guess how stored values were made.
_SCHEME = "affine32"


@dataclass(frozen=True)
class DedupSettings:
    """How near is a near-duplicate: Jaccard threshold over `shingle`-word shingles, MinHash size."""

    threshold: float = 0.7
    num_perm: int = 128
    shingle: int = 3
    # Short texts share most of their few shingles by chance ("Japan praised India." / "... China."),
    # so articles with fewer shingles than this are never linked.
    min_shingles: int = 25

    @property
    def method(self) -> str:
        """The name stored with each signature: signatures made with other settings are not comparable."""
        return f"minhash-{_SCHEME}-{self.num_perm}-w{self.shingle}"


def shingles(text: str, size: int = 3) -> set[str]:
    """The text's lower-cased word `size`-grams."""
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


class NearDuplicateIndex:
    """The articles seen so far as MinHash signatures; `add` links a near-duplicate or remembers a new article."""

    def __init__(self, settings: DedupSettings = DedupSettings(), store: Store | None = None) -> None:
        """An empty index; with a `store`, new signatures are kept there. Use `load` to start from a store."""
        self.settings = settings
        self._store = store
        # Weighted towards recall: every candidate is checked against the threshold again, so a false candidate
        # costs one comparison while a missed copy is counted twice (balanced weights miss 1 in 8 at 0.8).
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm, weights=(0.1, 0.9))
        self._signatures: dict[str, MinHash] = {}

    @classmethod
    def load(cls, store: Store, settings: DedupSettings = DedupSettings()) -> "NearDuplicateIndex":
        """An index of every stored article, signing (and keeping) those stored before signatures were."""
        index = cls(settings, store)
        method = settings.method
        for article_id, raw in store.fingerprints(method):
            values = np.frombuffer(raw, dtype=np.uint32)
            index._insert(article_id, MinHash(settings.num_perm, hashvalues=values, scheme=_SCHEME))
        missing = []
        for article_id, text in store.unfingerprinted(method):
            sig = index.signature(text)
            if sig is not None:
                index._insert(article_id, sig)
                missing.append((article_id, _to_bytes(sig)))
        store.save_fingerprints(method, missing)
        return index

    def __len__(self) -> int:
        return len(self._signatures)

    def signature(self, text: str) -> MinHash | None:
        """The text's MinHash, or None when it is too short to compare."""
        found = shingles(text, self.settings.shingle)
        if len(found) < self.settings.min_shingles:
            return None
        sig = MinHash(num_perm=self.settings.num_perm, scheme=_SCHEME)
        sig.update_batch([s.encode("utf-8") for s in sorted(found)])
        return sig

    def find(self, article: Article) -> ArticleLink | None:
        """A link to the most similar indexed article above the threshold, without indexing this one."""
        sig = self.signature(article.text)
        return None if sig is None else self._best(article, sig)

    def add(self, article: Article) -> ArticleLink | None:
        """Link `article` to the indexed article it nearly duplicates; else index it (keeping its signature): None."""
        sig = self.signature(article.text)
        if sig is None:
            return None
        link = self._best(article, sig)
        if link is not None:
            return link
        if article.id not in self._signatures:
            self._insert(article.id, sig)
            if self._store is not None:
                self._store.save_fingerprints(self.settings.method, [(article.id, _to_bytes(sig))])
        return None

    def _best(self, article: Article, sig: MinHash) -> ArticleLink | None:
        # LSH candidates are only likely to be similar: keep those whose estimated Jaccard clears the threshold.
        scored = [
            (self._signatures[key].jaccard(sig), key)
            for key in self._lsh.query(sig)
            if key != article.id
        ]
        scored = [(sim, key) for sim, key in scored if sim >= self.settings.threshold]
        if not scored:
            return None
        similarity, original = max(scored, key=lambda pair: (pair[0], pair[1]))
        return ArticleLink(
            article_id=article.id,
            duplicate_of=original,
            similarity=round(float(similarity), 3),
            date=article.date,
            title=article.title,
            url=article.url,
            source=article.source,
            origin=article.origin,
        )

    def _insert(self, key: str, sig: MinHash) -> None:
        if key not in self._signatures:
            self._lsh.insert(key, sig, check_duplication=False)
            self._signatures[key] = sig


def _to_bytes(sig: MinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()
