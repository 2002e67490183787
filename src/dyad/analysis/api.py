"""`Analysis`: the cross-article analyses over one store, each a store query followed by a pure step."""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date

from dyad.analysis.merge import MergedEvent, merge_events, report_key
from dyad.analysis.network import ActorNetwork, NetworkSettings, build_network
from dyad.analysis.series import DyadSeries, dyad_series
from dyad.analysis.tables import AnalysisTables
from dyad.analysis.tiehistory import TieHistory, tie_histories, tie_states
from dyad.model import Event, Modality
from dyad.ontology import Ontology
from dyad.store import Store

__all__ = ["Analysis"]

_pause_lock = threading.Lock()
_pausing = 0  # analyses running with the cycle collector paused
_resume = False  # whether it was on when the first of them began


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cycle collector while an analysis builds many objects that live until it ends (reports, merged
    events): the collector would walk them again and again as they pile up, about half the cost of a merge of tens
    of thousands of reports. Reference counting still frees everything (the objects hold no cycles); the collector
    resumes, if it ran before, when the last analysis running at once ends."""
    global _pausing, _resume
    with _pause_lock:
        if _pausing == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausing -= 1
            if _pausing == 0 and _resume:
                gc.enable()


class Analysis:
    """Merged events, dyad series, tie histories and the actor network of the events in a store."""

    def __init__(self, store: Store, tables: AnalysisTables | None = None, ontology: Ontology | None = None) -> None:
        """Wrap an open store; nothing is read until a method is called."""
        self.store = store
        self._tables = tables
        self._ontology = ontology

    @property
    def tables(self) -> AnalysisTables:
        """The analysis data files (loaded on first use)."""
        if self._tables is None:
            self._tables = AnalysisTables.load()
        return self._tables

    def reports(
        self,
        actor: str | None = None,
        recipient: str | None = None,
        event_type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        either_way: bool = False,
    ) -> list[Event]:
        """Stored events (one per report), filtered as `Store.events`; `either_way` adds the reverse direction."""
        found = self.store.events(actor=actor, recipient=recipient, event_type=event_type, since=since, until=until)
        if either_way and actor is not None:
            back = self.store.events(actor=recipient, recipient=actor, event_type=event_type, since=since, until=until)
            found = list({report_key(e): e for e in [*found, *back]}.values())
        return found

    def merged(
        self,
        actor: str | None = None,
        recipient: str | None = None,
        event_type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        either_way: bool = False,
    ) -> list[MergedEvent]:
        """Merged events of the matching reports, with their sources and near-duplicate copies."""
        with _bulk():
            events = self.reports(actor, recipient, event_type, since, until, either_way)
            sources = self.store.article_sources(e.article_id for e in events)
            return merge_events(events, sources, self.store.links())

    def series(
        self,
        a: str,
        b: str | None = None,
        by: str = "month",
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
        modalities: Collection[Modality] = (Modality.ASSERTED,),
    ) -> DyadSeries:
        """Merged events between `a` and `b` (or `a` and everyone) counted per day, week or month."""
        with _bulk():
            merged = self.merged(a, b, since=since, until=until, either_way=not directed)
            return dyad_series(merged, a, b, by, directed, modalities, self._ontology)

    def tie_histories(self, actor: str | None = None, kind: str | None = None,
                      until: date | None = None) -> list[TieHistory]:
        """The history of every stored tie (of `kind`, with `actor` on a side), up to `until`."""
        ties = [t for t in self.store.ties(actor=actor, kind=kind)
                if until is None or t.date is None or t.date <= until]
        with _bulk():
            merged = self.merged(actor, until=until, either_way=True)
            return tie_histories(ties, merged, self.tables)

    def network(self, settings: NetworkSettings = NetworkSettings()) -> ActorNetwork:
        """The actor network of every tie and asserted event (up to `settings.as_of`)."""
        with _bulk():
            merged = self.merged(until=settings.as_of)
            ties = [t for t in self.store.ties()
                    if settings.as_of is None or t.date is None or t.date <= settings.as_of]
            graph = build_network(tie_states(ties, merged, self.tables), merged, settings, self.tables)
            return ActorNetwork(graph, settings.max_hops)
