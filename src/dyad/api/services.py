"""What every request shares: the settings, one open store, the coder (loaded on the first write) and the analysis."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from dyad.api.answers import AnswerCache
from dyad.api.config import ApiSettings

if TYPE_CHECKING:
    from anyio import CapacityLimiter

    from dyad.analysis import Analysis
    from dyad.pipeline import Coder
    from dyad.store import Store

__all__ = ["Services"]

# Threads computing answers at once, per purpose: enough to overlap database reads, few enough that they do not
# take turns at the GIL. Analyses are few and long; a second one may start while the first runs.
_THREADS = {"pages": 4, "analyses": 2}


class Services:
    """Holds the store, coder and analysis of one app; nothing is opened or loaded until first asked for."""

    def __init__(self, settings: ApiSettings, store: "Store | None" = None, coder: "Coder | None" = None) -> None:
        """Remember the settings and anything the caller already has open (tests pass a store and a coder)."""
        self.settings = settings
        self._store = store
        self._owns_store = store is None
        self._coder = coder
        self._analysis: Analysis | None = None
        self._lock = threading.Lock()
        self.answers: AnswerCache[bytes] = AnswerCache()  # JSON answers of read endpoints
        self.networks: AnswerCache[object] = AnswerCache(max_entries=4)  # actor networks, the costliest to build
        self._limiters: dict[str, CapacityLimiter] = {}
        # spaCy pipelines are not safe to share between threads, and SQLite has one writer: code one request at a time.
        self.coding = threading.Lock()

    @property
    def store(self) -> "Store":
        """The store named by the settings, opened (and migrated) on first use."""
        with self._lock:
            if self._store is None:
                from dyad.store import Store

                self._store = Store.open(self.settings.core.db)
            return self._store

    @property
    def coder(self) -> "Coder":
        """The coder, built from the settings on the first write (loading spaCy takes a few seconds)."""
        with self._lock:
            if self._coder is None:
                from dyad.pipeline import Coder

                self._coder = Coder.from_settings(self.settings.core)
            return self._coder

    @property
    def analysis(self) -> "Analysis":
        """Merged events, series, tie histories and the network over the store (its data files read once)."""
        store = self.store
        with self._lock:
            if self._analysis is None:
                from dyad.analysis import Analysis

                self._analysis = Analysis(store)
            return self._analysis

    def threads(self, purpose: str) -> "CapacityLimiter":
        """Threads that compute answers for one purpose (`pages`: 4, `analyses`: 2); made on first use, inside
        the event loop that uses them."""
        from anyio import CapacityLimiter

        with self._lock:
            if purpose not in self._limiters:
                self._limiters[purpose] = CapacityLimiter(_THREADS[purpose])
            return self._limiters[purpose]

    def version(self) -> tuple[int, int, int] | None:
        """The store's version, that cached answers are kept under (None: nothing is cached)."""
        return self.store.version()

    def close(self) -> None:
        """Close the store if this object opened it."""
        with self._lock:
            if self._store is not None and self._owns_store:
                self._store.close()
                self._store = None
                self._analysis = None
