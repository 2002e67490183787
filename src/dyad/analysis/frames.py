"""The analyses as pandas DataFrames, for notebooks and exports."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dyad.analysis.actors import node_name
from dyad.analysis.merge import MergedEvent
from dyad.analysis.network import ActorNetwork
from dyad.analysis.records import edge_record, merged_record, report_record, tie_report_record
from dyad.analysis.series import DyadSeries
from dyad.analysis.tiehistory import TieHistory
from dyad.model import Event
from dyad.ontology import plover_types

__all__ = ["merged_frame", "network_frames", "reports_frame", "series_frame", "series_reports_frame", "ties_frame"]


def _flat_event(e: Event) -> dict:
    row = e.to_dict()
    for side in ("actor", "recipient"):
        ref = row.pop(side) or {}
        for key in ("text", "name", "country", "sector", "affiliation"):
            row[f"{side}_{key}"] = ref.get(key)
    return row


def reports_frame(events: Iterable[Event]) -> pd.DataFrame:
    """One row per report (stored event), actor and recipient flattened into `actor_*`/`recipient_*` columns."""
    frame = pd.DataFrame([_flat_event(e) for e in events])
    if not frame.empty:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def merged_frame(merged: Iterable[MergedEvent]) -> pd.DataFrame:
    """One row per merged event with its GDELT-like counts (num_reports, num_articles, num_sources)."""
    rows = []
    for m in merged:
        row = merged_record(m, reports=False)
        row["sources"] = "; ".join(row["sources"])
        row["articles"] = "; ".join(row["articles"])
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def series_frame(series: DyadSeries) -> pd.DataFrame:
    """One row per period: events, reports, mean score, counts per quad class and per PLOVER type."""
    rows = []
    for p in series.points:
        row = {"period": p.period, "start": pd.Timestamp(p.start), "events": len(p.events), "reports": p.reports,
               "mean_score": p.mean_score}
        row.update({f"quad_{q}": p.by_quad.get(q, 0) for q in range(1, 5)})
        row.update({t: p.by_type.get(t, 0) for t in plover_types()})
        rows.append(row)
    columns = ["period", "start", "events", "reports", "mean_score", *(f"quad_{q}" for q in range(1, 5)),
               *plover_types()]
    return pd.DataFrame(rows, columns=columns)


def series_reports_frame(series: DyadSeries) -> pd.DataFrame:
    """The reports behind every point: one row per (period, merged event, report)."""
    rows = []
    for p in series.points:
        for m in p.events:
            for e in m.reports:
                rows.append({"period": p.period, "merged_id": m.id, "merged_type": m.event_type,
                             "merged_actor": m.actor, "merged_recipient": m.recipient, **report_record(e)})
    columns = ["period", "merged_id", "merged_type", "merged_actor", "merged_recipient", "article_id",
               "sentence_index", "date", "date_precision", "event_type", "mode", "actor", "recipient", "sentence"]
    return pd.DataFrame(rows, columns=columns)


def ties_frame(histories: Iterable[TieHistory]) -> pd.DataFrame:
    """One row per report in each tie's history, with the tie's strength after it."""
    rows = []
    for h in histories:
        for r in h.reports:
            rows.append({"kind": h.kind, "a": h.a, "b": h.b, "directed": h.directed, "state_now": h.state,
                         **tie_report_record(r)})
    return pd.DataFrame(rows)


def network_frames(net: ActorNetwork) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges): nodes with name, degree, channel degree and betweenness; edges with weights and ties."""
    between = net.betweenness()
    nodes = pd.DataFrame(
        [{"node": n, "name": node_name(n), "degree": net.graph.degree(n),
          "channels": net.channel_graph.degree(n), "betweenness": between.get(n, 0.0)} for n in net.graph.nodes],
        columns=["node", "name", "degree", "channels", "betweenness"],
    )
    edges = []
    for e in net.edges():
        row = edge_record(e)
        row["ties"] = "; ".join(row["ties"])
        edges.append(row)
    return nodes, pd.DataFrame(edges)
