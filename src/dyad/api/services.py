"""What every request shares: the settings, one open store, the coder (loaded on the first write) and the analysis."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from dyad.api.answers import AnswerCache
from dyad.api.config import ApiSettings

if TYPE_CHECKING:
    from anyio import CapacityLimiter

    from dyad.analysis import Analysis
    from dyad.api.shelf import AnswerShelf
    from dyad.pipeline import Coder
    from dyad.store import Store

__all__ = ["Services"]

log = logging.getLogger("dyad.api")

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
        self._shelf: AnswerShelf | None = None
        # JSON answers of read endpoints, shared with the server's other processes through the shelf
        self.answers: AnswerCache[bytes] = AnswerCache(shelf=self._open_shelf)
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

    def _open_shelf(self) -> "AnswerShelf | None":
        """The shelf named by the settings (`auto`: beside a SQLite store), or None when off or when it cannot
        be made (then each process keeps its own answers)."""
        from sqlalchemy.exc import SQLAlchemyError

        from dyad.api.shelf import AnswerShelf, shelf_path

        where = self.settings.shelf
        if where == "off":
            return None
        path = shelf_path(self.store.engine.url.render_as_string()) if where == "auto" else Path(where)
        if path is None:
            return None
        try:
            self._shelf = AnswerShelf(path)
        except (OSError, SQLAlchemyError) as exc:
            log.warning("answers are not shared between processes: cannot use %s (%s)", path, exc)
        return self._shelf

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
            if self._shelf is not None:
                self._shelf.close()
                self._shelf = None
