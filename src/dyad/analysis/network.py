"""The actor network: actors as nodes, standing ties and recent events as weighted, signed edges (networkx).

An edge's `net` weight is the sum of its ties (sign x weight x strength, from data/tie_kinds.tsv) and of its
asserted events (PLOVER score / 10, halved every `half_life_days` before `as_of`). An edge is a *channel* when
the two have a line between them: a cooperative tie still in force that is a line of communication (ally,
hosts, funds, supports, mediates, member of), or an event that puts them in contact (data/channel_events.tsv:
met, agreed, exchanged, supplied). Brokers and what-if questions are answered on the channels only: being at
war is an edge, but not a line through which messages pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from dyad.analysis.actors import node_name, node_of, sort_pair
from dyad.analysis.merge import MergedEvent
from dyad.analysis.tables import AnalysisTables
from dyad.analysis.tiehistory import TieHistory, TieState
from dyad.model import Modality

__all__ = ["ActorNetwork", "Edge", "NetworkSettings", "build_network"]


@dataclass(frozen=True)
class NetworkSettings:
    """Which events enter the network, how fast they fade, and how long a channel may be."""

    as_of: date | None = None  # leave out later events; ages count from here (default: the latest event)
    since: date | None = None  # leave out earlier events
    half_life_days: float = 365.0
    max_hops: int = 3  # a channel passes through at most max_hops - 1 third parties


@dataclass(frozen=True)
class Edge:
    """What binds two actors: net signed weight, its positive and negative parts, ties and event counts."""

    a: str
    b: str
    net: float
    positive: float
    negative: float
    channel: bool
    ties: tuple[str, ...]  # kind, with its state when not simply in force
    events: int
    channel_events: int

    @property
    def sign(self) -> int:
        """+1 cooperative, -1 hostile, 0 balanced."""
        return (self.net > 0) - (self.net < 0)


@dataclass
class _EdgeAcc:
    positive: float = 0.0
    negative: float = 0.0
    channel: bool = False
    ties: list[str] = field(default_factory=list)
    events: int = 0
    channel_events: int = 0

    def add(self, value: float) -> None:
        if value >= 0:
            self.positive += value
        else:
            self.negative += value


def build_network(
    histories: Iterable[TieHistory | TieState],
    merged: Iterable[MergedEvent],
    settings: NetworkSettings = NetworkSettings(),
    tables: AnalysisTables | None = None,
) -> nx.Graph:
    """An undirected graph of nodes and Edge attributes built from ties (their histories or the states those
    leave them in) and merged events."""
    tables = tables or AnalysisTables.load()
    merged = [m for m in merged if _usable(m, settings)]
    as_of = settings.as_of or max((m.date for m in merged if m.date), default=None)
    acc: dict[tuple[str, str], _EdgeAcc] = {}
    for h in histories:
        tk = tables.tie_kind(h.kind)
        e = acc.setdefault(sort_pair(h.a, h.b), _EdgeAcc())
        e.add(tk.sign * tk.weight * h.strength)
        e.ties.append(h.kind if h.state == "in force" else f"{h.kind} ({h.state})")
        e.channel |= tk.channel and tk.sign > 0 and h.strength > 0
    for m in merged:
        if as_of is not None and m.date is not None and m.date > as_of:
            continue
        assert m.recipient is not None  # _usable keeps only events with a recipient
        e = acc.setdefault(sort_pair(m.actor, m.recipient), _EdgeAcc())
        age = (as_of - m.date).days if as_of and m.date else 0
        e.add((m.score or 0.0) / 10 * 0.5 ** (age / settings.half_life_days))
        e.events += 1
        if m.event_type in tables.channel_types:
            e.channel = True
            e.channel_events += 1
    graph = nx.Graph(as_of=as_of.isoformat() if as_of else "", max_hops=settings.max_hops)
    for (a, b), e in acc.items():
        for node in (a, b):
            graph.add_node(node, label=node_name(node))
        graph.add_edge(a, b, edge=Edge(a, b, round(e.positive + e.negative, 3), round(e.positive, 3),
                                       round(e.negative, 3), e.channel, tuple(sorted(e.ties)), e.events,
                                       e.channel_events))
    return graph


def _usable(m: MergedEvent, settings: NetworkSettings) -> bool:
    """Asserted events between two resolved, different actors, inside the date range."""
    if m.modality != Modality.ASSERTED or m.recipient is None or m.actor == m.recipient:
        return False
    first = m.reports[0]
    if node_of(first.actor) is None or node_of(first.recipient) is None:
        return False
    return settings.since is None or (m.date is not None and m.date >= settings.since)


class ActorNetwork:
    """Queries over the graph: edges, channels, brokers and what-if removals."""

    def __init__(self, graph: nx.Graph, max_hops: int = 3) -> None:
        """Wrap a graph made by `build_network`."""
        self.graph = graph
        self.max_hops = max_hops
        self._channels = nx.Graph()
        self._channels.add_nodes_from(graph.nodes)
        self._channels.add_edges_from((a, b) for a, b, d in graph.edges(data=True) if d["edge"].channel)
        self._betweenness: dict[str, float] | None = None
        self._reach: dict[str, dict[str, int]] | None = None

    def resolve(self, who: str) -> str:
        """The node meant by a code or name ('QAT', 'Qatar', 'hamas'); ValueError if there is none."""
        want = who.strip().casefold()
        for node in self.graph.nodes:
            if node.casefold() == want or node_name(node).casefold() == want:
                return node
        raise ValueError(f"no actor {who!r} in the network (try a country code or an organisation's name)")

    def edges(self, node: str | None = None) -> list["Edge"]:
        """Every edge (or those of one node), strongest first."""
        pairs = self.graph.edges(node) if node is not None else self.graph.edges
        found = [self.graph.edges[a, b]["edge"] for a, b in pairs]
        return sorted(found, key=lambda e: (-abs(e.net), e.a, e.b))

    @property
    def channel_graph(self) -> nx.Graph:
        """The channels alone (unweighted, undirected)."""
        return self._channels

    def betweenness(self) -> dict[str, float]:
        """Betweenness centrality of every node on the channel graph (normalised)."""
        if self._betweenness is None:
            self._betweenness = nx.betweenness_centrality(self._channels, normalized=True)
        return self._betweenness

    def channels(self, a: str, b: str, graph: nx.Graph | None = None, limit: int = 20) -> list[tuple[str, ...]]:
        """The shortest channels from `a` to `b` of at most `max_hops` edges (empty when there is none)."""
        g = self._channels if graph is None else graph
        if a not in g or b not in g or not nx.has_path(g, a, b):
            return []
        found = []
        for path in nx.all_shortest_paths(g, a, b):
            if len(path) - 1 > self.max_hops:
                return []
            found.append(tuple(path))
            if len(found) >= limit:
                break
        return found

    def reach(self, graph: nx.Graph | None = None) -> dict[str, dict[str, int]]:
        """Hops between every two nodes joined by a channel of at most `max_hops` edges (of `graph`, default all)."""
        if graph is not None:
            return {a: dict(d) for a, d in nx.all_pairs_shortest_path_length(graph, cutoff=self.max_hops)}
        if self._reach is None:
            self._reach = self.reach(self._channels)
        return self._reach
