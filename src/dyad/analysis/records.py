"""Analysis results as plain records (JSON-ready dicts): the one shape behind JSON lines, DataFrames and exports."""

from __future__ import annotations

from typing import Any

from dyad.analysis.actors import node_name
from dyad.analysis.brokers import Brokerage, LostPair
from dyad.analysis.merge import MergedEvent
from dyad.analysis.network import Edge
from dyad.analysis.series import SeriesPoint
from dyad.analysis.tiehistory import TieHistory, TieReport
from dyad.model import Event

__all__ = [
    "brokerage_record",
    "edge_record",
    "history_record",
    "lost_record",
    "merged_record",
    "point_record",
    "report_record",
    "tie_report_record",
]


def report_record(e: Event) -> dict[str, Any]:
    """The short form of a report behind a merged event or a series point."""
    return {
        "article_id": e.article_id,
        "sentence_index": e.sentence_index,
        "date": e.date.isoformat() if e.date else None,
        "date_precision": e.date_precision,
        "event_type": e.event_type,
        "mode": e.mode,
        "actor": e.actor.name or e.actor.text,
        "recipient": (e.recipient.name or e.recipient.text) if e.recipient else None,
        "sentence": e.sentence,
    }


def merged_record(m: MergedEvent, reports: bool = True) -> dict[str, Any]:
    """A merged event with its counts and (unless `reports` is False) its reports."""
    out: dict[str, Any] = {
        "id": m.id,
        "date": m.date.isoformat() if m.date else None,
        "date_precision": m.date_precision,
        "window_start": m.window[0].isoformat() if m.window else None,
        "window_end": m.window[1].isoformat() if m.window else None,
        "event_type": m.event_type,
        "mode": m.mode,
        "actor": m.actor,
        "recipient": m.recipient,
        "modality": m.modality.value,
        "score": m.score,
        "num_reports": m.num_reports,
        "num_articles": m.num_articles,
        "num_sources": m.num_sources,
        "num_mentions": m.mentions,
        "copies": m.copies,
        "sources": list(m.sources),
        "articles": list(m.articles),
    }
    if reports:
        out["reports"] = [report_record(e) for e in m.reports]
    return out


def point_record(p: SeriesPoint, reports: bool = True) -> dict[str, Any]:
    """A series point: counts per type and quad class, mean score, and its events with their reports."""
    return {
        "period": p.period,
        "start": p.start.isoformat(),
        "events": len(p.events),
        "reports": p.reports,
        "mean_score": p.mean_score,
        "by_type": dict(p.by_type),
        "by_quad": {str(q): n for q, n in p.by_quad.items()},
        "merged_events": [merged_record(m, reports) for m in p.events],
    }


def tie_report_record(r: TieReport) -> dict[str, Any]:
    """One report in a tie's history."""
    return {
        "date": r.date.isoformat() if r.date else None,
        "effect": r.effect,
        "strength": r.strength,
        "event_type": r.event_type,
        "mode": r.mode,
        "modality": r.modality.value if r.modality else None,
        "article_id": r.article_id,
        "sentence_index": r.sentence_index,
        "evidence": r.evidence,
    }


def history_record(h: TieHistory) -> dict[str, Any]:
    """A tie's history: kind, sides, state now and every report."""
    return {
        "kind": h.kind,
        "a": h.a,
        "b": h.b,
        "directed": h.directed,
        "state": h.state,
        "strength": h.strength,
        "reports": [tie_report_record(r) for r in h.reports],
    }


def edge_record(e: Edge) -> dict[str, Any]:
    """A network edge."""
    return {
        "a": e.a,
        "b": e.b,
        "a_name": node_name(e.a),
        "b_name": node_name(e.b),
        "net": e.net,
        "sign": e.sign,
        "positive": e.positive,
        "negative": e.negative,
        "channel": e.channel,
        "ties": list(e.ties),
        "events": e.events,
        "channel_events": e.channel_events,
    }


def brokerage_record(b: Brokerage) -> dict[str, Any]:
    """A broker with the pairs it connects."""
    return {
        "broker": b.broker,
        "name": node_name(b.broker),
        "betweenness": round(b.betweenness, 4),
        "pairs": [
            {"a": p.a, "b": p.b, "sole": p.sole, "last": p.last, "channels": [list(c) for c in p.channels]}
            for p in b.pairs
        ],
    }


def lost_record(p: LostPair) -> dict[str, Any]:
    """A pair that loses its last channel."""
    return {"a": p.a, "b": p.b, "channels": [list(c) for c in p.channels]}
