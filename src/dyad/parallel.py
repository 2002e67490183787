"""Coding on several processes of one machine: each worker loads the model once, results come back in input order.

`ParallelCoder` has the interface of `pipeline.Coder` that `code_articles` uses (`settings`, `code(articles)`),
so reading, near-duplicate checks and every store write stay in the calling process (one writer), while the
parsing and coding of chunks of articles run in a pool of worker processes. spaCy's own `n_process` cannot be
used: dyad's results are Python objects on `doc._`, which spaCy's multi-process pipe cannot carry back; a
`CodedArticle` pickles.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Protocol

from dyad.model import Article, CodedArticle
from dyad.settings import Settings

__all__ = ["ParallelCoder", "WorkerStats", "coder_for", "peak_rss_mb"]


class _Coder(Protocol):
    settings: Settings

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]: ...


def _load_coder(settings: Settings) -> _Coder:
    """The default factory: the spaCy model and dyad's components (imported here: workers only need it)."""
    from dyad.pipeline import Coder

    return Coder.from_settings(settings)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- in each worker process ------------------------------------------------------------------------------

_WORKER_CODER: _Coder | None = None


def _init_worker(factory: Callable[[Settings], _Coder], settings: Settings) -> None:
    global _WORKER_CODER
    _WORKER_CODER = factory(settings)


def _code_chunk(articles: list[Article]) -> tuple[int, float, list[CodedArticle]]:
    assert _WORKER_CODER is not None, "worker used before its initializer ran"
    coded = list(_WORKER_CODER.code(articles))
    return os.getpid(), peak_rss_mb(), coded


# -- in the calling process -----------------------------------------------------------------------------

@dataclass
class WorkerStats:
    """What the workers reported: peak resident memory (MB) per worker process id, and chunks coded."""

    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    chunks: int = 0


class ParallelCoder:
    """Codes Articles on `settings.workers` processes, each with its own Coder; yields in input order.

    Each task is one batch as `pipeline.batches` makes it for a single process (at most `settings.batch_size`
    articles and `settings.batch_chars` characters), so every article is parsed in the same company as with
    one worker. Input is read lazily: at most `2 * workers` batches are in flight, so memory in the calling
    process stays bounded however long the input. `tasks_per_worker`, when set, replaces a worker after that
    many batches (the model is loaded again), for runs long enough that spaCy's string store grows too big.
    """

    def __init__(
        self,
        settings: Settings,
        tasks_per_worker: int | None = None,
        factory: Callable[[Settings], _Coder] = _load_coder,
    ) -> None:
        """Configure the pool; nothing starts until `code` is called."""
        if settings.workers < 1:
            raise ValueError(f"workers must be at least 1, not {settings.workers}")
        self.settings = settings
        self.tasks_per_worker = tasks_per_worker
        self.factory = factory
        self.stats = WorkerStats()

    def _pool(self) -> ProcessPoolExecutor:
        # spawn: a worker starts clean instead of inheriting the caller's threads, open database and locks.
        return ProcessPoolExecutor(
            max_workers=self.settings.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.factory, self.settings),
            max_tasks_per_child=self.tasks_per_worker,
        )

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in batches on the pool; each yields one CodedArticle, in input order."""
        from dyad.pipeline import batches

        source = batches(articles, self.settings)
        in_flight: deque[Future] = deque()
        limit = 2 * self.settings.workers
        pool = self._pool()
        try:
            while True:
                while len(in_flight) < limit:
                    chunk = next(source, None)
                    if chunk is None:
                        break
                    in_flight.append(pool.submit(_code_chunk, chunk))
                if not in_flight:
                    return
                try:
                    pid, rss, coded = in_flight.popleft().result()
                except BrokenProcessPool as exc:
                    raise RuntimeError(f"a coding worker died ({exc}); is memory short? try fewer --workers") from exc
                self.stats.peak_rss_mb[pid] = max(rss, self.stats.peak_rss_mb.get(pid, 0.0))
                self.stats.chunks += 1
                yield from coded
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def coder_for(settings: Settings) -> _Coder:
    """A Coder in this process for one worker, else a ParallelCoder with `settings.workers` processes."""
    if settings.workers <= 1:
        return _load_coder(settings)
    return ParallelCoder(settings)
