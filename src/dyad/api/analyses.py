"""Analyses over the store: dyad series and the actor network (neighbourhoods, brokers, what-if)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import networkx as nx
from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from dyad.api import answers
from dyad.api.auth import ApiError
from dyad.api.common import Reader, services
from dyad.api.services import Services

__all__ = ["router"]

router = APIRouter(prefix="/api", dependencies=[Reader])

Svc = Annotated[Services, Depends(services)]
Who = Annotated[str, Query(min_length=1, description="Country code, canonical name or affiliation, e.g. QAT, Hamas.")]
AsOf = Annotated[date | None, Query(description="Leave out later events and ties; events fade from this date.")]
Since = Annotated[date | None, Query(description="Leave out earlier events.")]
HalfLife = Annotated[float, Query(gt=0, description="Days in which an event's weight halves.")]
MaxHops = Annotated[int, Query(ge=1, le=6, description="Longest channel, in edges.")]
_MAX_PAIRS = 50  # brokered pairs listed per broker; the total is given


@router.get("/series", summary="A dyad series: merged events between two actors per day, week or month")
async def series(svc: Svc, a: Who,
           b: Annotated[str | None, Query(description="The other actor (left out: `a` against everyone).")] = None,
           by: Literal["day", "week", "month"] = "month",
           directed: Annotated[bool, Query(description="Only events from a to b.")] = False,
           since: Since = None, until: Annotated[date | None, Query(description="Last date.")] = None,
           all_modalities: Annotated[bool, Query(description="Also intended, potential, hypothetical, negated events.")] = False,
           reports: Annotated[bool, Query(description="Include the reports behind each merged event.")] = False,
           ) -> Response:
    """Points with counts per PLOVER type and quad class, mean score and their merged events (see `dyad series`)."""
    from dyad.analysis.records import merged_record, point_record
    from dyad.model import Modality

    def compute() -> bytes:
        modalities = tuple(Modality) if all_modalities else (Modality.ASSERTED,)
        found = svc.analysis.series(a, b, by, directed, since, until, modalities)
        return JSONResponse({
            "a": found.a, "b": found.b, "by": found.by, "directed": found.directed,
            "events": found.events, "reports": found.reports,
            "points": [point_record(p, reports) for p in found.points],
            "undated": [merged_record(m, reports) for m in found.undated],
        }).body

    key = ("series", a, b, by, directed, since, until, all_modalities, reports)
    body = await answers.answer(svc.answers, svc.version(), key, compute, svc.threads("analyses"))
    return Response(body, media_type="application/json")


def _network(svc: Services, as_of: date | None, since: date | None, half_life: float, max_hops: int):
    """The network for these settings, built once per store version (every network endpoint shares it)."""
    from dyad.analysis import NetworkSettings

    settings = NetworkSettings(as_of=as_of, since=since, half_life_days=half_life, max_hops=max_hops)
    return svc.networks.get(svc.version(), settings, lambda: svc.analysis.network(settings))


def _node(net, who: str) -> str:
    try:
        return net.resolve(who)
    except ValueError as exc:
        raise ApiError(404, str(exc)) from exc


def _brokerage(k) -> dict[str, Any]:
    from dyad.analysis.records import brokerage_record

    out = brokerage_record(k)
    out["pairs_total"] = len(out["pairs"])
    out["pairs"] = out["pairs"][:_MAX_PAIRS]
    return out


@router.get("/network", summary="The actor network: size and its most central brokers")
async def network(svc: Svc, as_of: AsOf = None, since: Since = None, half_life: HalfLife = 365.0, max_hops: MaxHops = 3,
            top: Annotated[int, Query(ge=1, le=100, description="How many brokers.")] = 10) -> Response:
    """Counts of actors, edges and channels, and the top brokers with the pairs each connects."""
    from dyad.analysis.brokers import top_brokers

    def compute() -> bytes:
        net = _network(svc, as_of, since, half_life, max_hops)
        g = net.graph
        return JSONResponse({
            "as_of": g.graph.get("as_of") or None, "actors": g.number_of_nodes(), "edges": g.number_of_edges(),
            "channels": net.channel_graph.number_of_edges(), "brokers": [_brokerage(k) for k in top_brokers(net, top)],
        }).body

    key = ("network", as_of, since, half_life, max_hops, top)
    body = await answers.answer(svc.answers, svc.version(), key, compute, svc.threads("analyses"))
    return Response(body, media_type="application/json")


@router.get("/network/around", summary="The actors and edges around one actor, brokers marked")
def around(svc: Svc, actor: Who, hops: Annotated[int, Query(ge=1, le=3, description="How far out.")] = 1,
           as_of: AsOf = None, since: Since = None, half_life: HalfLife = 365.0, max_hops: MaxHops = 3,
           ) -> dict[str, Any]:
    """Nodes within `hops` edges of the actor (each with its distance, betweenness and whether it brokers), the
    edges among them, and the pairs the actor itself brokers."""
    from dyad.analysis.actors import node_name
    from dyad.analysis.brokers import Brokerage, brokered_pairs
    from dyad.analysis.records import edge_record

    net = _network(svc, as_of, since, half_life, max_hops)
    center = _node(net, actor)
    near = nx.single_source_shortest_path_length(net.graph, center, cutoff=hops)
    between = net.betweenness()
    nodes = [{"id": n, "name": node_name(n), "hops": d, "betweenness": round(between.get(n, 0.0), 4),
              "broker": between.get(n, 0.0) > 0} for n, d in sorted(near.items(), key=lambda kv: (kv[1], kv[0]))]
    sub = net.graph.subgraph(near)
    edges = sorted((d["edge"] for _, _, d in sub.edges(data=True)), key=lambda e: (-abs(e.net), e.a, e.b))
    mine = Brokerage(center, between.get(center, 0.0), tuple(brokered_pairs(net, center)))
    return {"center": center, "name": node_name(center), "hops": hops, "as_of": net.graph.graph.get("as_of") or None,
            "nodes": nodes, "edges": [edge_record(e) for e in edges], "brokerage": _brokerage(mine)}


@router.get("/network/between", summary="The shortest channels between two actors and the brokers on them")
def between(svc: Svc, a: Who, b: Who, as_of: AsOf = None, since: Since = None, half_life: HalfLife = 365.0,
            max_hops: MaxHops = 3) -> dict[str, Any]:
    """Channels of at most `max_hops` edges from `a` to `b`, and each third party on them."""
    from dyad.analysis.brokers import brokers_between

    net = _network(svc, as_of, since, half_life, max_hops)
    x, y = _node(net, a), _node(net, b)
    return {"a": x, "b": y, "channels": [list(p) for p in net.channels(x, y)],
            "brokers": [_brokerage(k) for k in brokers_between(net, x, y)]}


@router.get("/network/what-if", summary="The pairs that lose their last channel without an actor or an edge")
def what_if(svc: Svc,
            remove: Annotated[str | None, Query(description="An actor to take out.")] = None,
            cut: Annotated[str | None, Query(description="An edge to cut, as two actors joined by a comma: USA,QAT.")] = None,
            as_of: AsOf = None, since: Since = None, half_life: HalfLife = 365.0, max_hops: MaxHops = 3,
            ) -> dict[str, Any]:
    """What-if: remove one actor or cut one edge and list the pairs left without a channel."""
    from dyad.analysis.brokers import lost_channels
    from dyad.analysis.records import lost_record

    if (remove is None) == (cut is None):
        raise ApiError(400, "give exactly one of remove=ACTOR or cut=A,B")
    net = _network(svc, as_of, since, half_life, max_hops)
    if remove is not None:
        node = _node(net, remove)
        return {"without": node, "lost": [lost_record(p) for p in lost_channels(net, actor=node)]}
    parts = [p.strip() for p in (cut or "").split(",")]
    if len(parts) != 2 or not all(parts):
        raise ApiError(400, "cut needs two actors joined by a comma, e.g. cut=USA,QAT")
    a, b = (_node(net, p) for p in parts)
    if not net.graph.has_edge(a, b):
        raise ApiError(404, f"no edge between {a} and {b}")
    return {"without": f"{a}-{b}", "lost": [lost_record(p) for p in lost_channels(net, tie=(a, b))]}
