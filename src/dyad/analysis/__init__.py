"""dyad.analysis: across articles: near-duplicates, merged events, dyad series, ties over time, the actor network.

Nothing heavy is imported until a name is used (networkx, pandas and matplotlib load on demand).
"""

from __future__ import annotations

import importlib

__all__ = [
    "ActorNetwork",
    "Analysis",
    "Brokerage",
    "BrokeredPair",
    "DedupSettings",
    "DyadSeries",
    "LostPair",
    "MergedEvent",
    "NearDuplicateIndex",
    "NetworkSettings",
    "SeriesPoint",
    "TieHistory",
    "TieReport",
    "TieState",
    "build_network",
    "dyad_series",
    "frames",
    "merge_events",
    "tie_histories",
    "tie_states",
]

_WHERE = {
    "ActorNetwork": "network",
    "Analysis": "api",
    "Brokerage": "brokers",
    "BrokeredPair": "brokers",
    "DedupSettings": "dedup",
    "DyadSeries": "series",
    "LostPair": "brokers",
    "MergedEvent": "merge",
    "NearDuplicateIndex": "dedup",
    "NetworkSettings": "network",
    "SeriesPoint": "series",
    "TieHistory": "tiehistory",
    "TieReport": "tiehistory",
    "TieState": "tiehistory",
    "build_network": "network",
    "dyad_series": "series",
    "merge_events": "merge",
    "tie_histories": "tiehistory",
    "tie_states": "tiehistory",
}


def __getattr__(name: str):
    if name == "frames":
        return importlib.import_module("dyad.analysis.frames")
    if name in _WHERE:
        return getattr(importlib.import_module(f"dyad.analysis.{_WHERE[name]}"), name)
    raise AttributeError(name)
