"""Brokers and what-if questions on the actor network's channels."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from dyad.analysis.actors import sort_pair
from dyad.analysis.network import ActorNetwork

__all__ = ["Brokerage", "BrokeredPair", "LostPair", "brokerage", "brokered_pairs", "brokers_between", "lost_channels",
           "top_brokers"]

Path = tuple[str, ...]


@dataclass(frozen=True)
class BrokeredPair:
    """Two actors without a direct channel whose shortest channel runs through a broker."""

    a: str
    b: str
    channels: tuple[Path, ...]  # all their shortest channels (up to a limit)
    sole: bool  # every shortest channel runs through the broker
    last: bool  # without the broker they have no channel at all (of at most max_hops)


@dataclass(frozen=True)
class Brokerage:
    """A broker, its betweenness on the channel graph, and the pairs it connects."""

    broker: str
    betweenness: float
    pairs: tuple[BrokeredPair, ...]


@dataclass(frozen=True)
class LostPair:
    """Two actors that lose their last channel, and the shortest channels they had."""

    a: str
    b: str
    channels: tuple[Path, ...]


def _rank(p: BrokeredPair) -> tuple:
    return not p.last, not p.sole, len(p.channels[0]), sort_pair(p.a, p.b)


def brokered_pairs(net: ActorNetwork, broker: str) -> list[BrokeredPair]:
    """The pairs `broker` lies between on a shortest channel, those it alone connects first."""
    reach = net.reach()
    mine = reach.get(broker, {})
    near = sorted(u for u, d in mine.items() if 1 <= d < net.max_hops)
    without = nx.restricted_view(net.channel_graph, [broker], [])
    found = []
    for u, v in combinations(near, 2):
        hops = reach[u].get(v)
        if hops is None or hops < 2 or mine[u] + mine[v] != hops:
            continue
        a, b = sort_pair(u, v)
        paths = net.channels(a, b)
        through = [p for p in paths if broker in p[1:-1]]
        if not through:
            continue
        sole = len(through) == len(paths)
        last = sole and not net.channels(a, b, graph=without)
        found.append(BrokeredPair(a, b, tuple(paths), sole, last))
    return sorted(found, key=_rank)


def brokerage(net: ActorNetwork, broker: str) -> Brokerage:
    """One node as a broker: its betweenness and every pair it connects."""
    return Brokerage(broker, net.betweenness().get(broker, 0.0), tuple(brokered_pairs(net, broker)))


def brokers_between(net: ActorNetwork, a: str, b: str) -> list[Brokerage]:
    """The third parties on the shortest channels between `a` and `b`, most central first."""
    x, y = sort_pair(a, b)
    paths = net.channels(x, y)
    middle = {n for p in paths for n in p[1:-1]}
    between = net.betweenness()
    out = []
    for n in middle:
        sole = all(n in p[1:-1] for p in paths)
        last = sole and not net.channels(x, y, graph=nx.restricted_view(net.channel_graph, [n], []))
        out.append(Brokerage(n, between.get(n, 0.0), (BrokeredPair(x, y, tuple(paths), sole, last),)))
    return sorted(out, key=lambda k: (-k.betweenness, k.broker))


def top_brokers(net: ActorNetwork, top: int = 10) -> list[Brokerage]:
    """The `top` nodes by betweenness, each with the pairs it connects."""
    between = net.betweenness()
    ranked = sorted((n for n, v in between.items() if v > 0), key=lambda n: (-between[n], n))[:top]
    return [brokerage(net, n) for n in ranked]


def lost_channels(net: ActorNetwork, actor: str | None = None, tie: tuple[str, str] | None = None) -> list[LostPair]:
    """Pairs that have a channel now and none once `actor` (or the edge `tie`) is removed."""
    g = net.channel_graph
    cut = nx.restricted_view(g, [actor] if actor else [], [tie] if tie else [])
    before, after = net.reach(), net.reach(cut)
    lost = set()
    for u, targets in before.items():
        for v in targets:
            if u != v and actor not in (u, v) and v not in after.get(u, {}):
                lost.add(sort_pair(u, v))
    out = [LostPair(a, b, tuple(net.channels(a, b, limit=3))) for a, b in lost]
    return sorted(out, key=lambda p: (len(p.channels[0]) if p.channels else 0, sort_pair(p.a, p.b)))
