"""Exports: reports and merged events in dyad's, a GDELT-like or a POLECAT-like layout; the network as GraphML.

The layouts are documented in README.md ("Export layouts"). Column names follow GDELT 2.0's event table and
POLECAT's weekly files where dyad has the same information; columns dyad cannot fill are left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from dyad.analysis.actors import node_name
from dyad.analysis.frames import merged_frame, reports_frame
from dyad.analysis.layouts import EXPORT_FORMATS, LAYOUTS
from dyad.analysis.merge import MergedEvent, report_key
from dyad.analysis.network import ActorNetwork
from dyad.model import ActorRef, Event
from dyad.ontology import QUADS, Ontology
from dyad.store.links import ArticleInfo

__all__ = ["EXPORT_FORMATS", "LAYOUTS", "gdelt_frame", "graphml_graph", "layout_frame", "polecat_frame",
           "write_frame", "write_graphml"]



def _code(ref: ActorRef | None) -> str | None:
    # CAMEO-style actor code: country then sector (USAGOV, PSEREB); an IGO is its sector code alone.
    if ref is None:
        return None
    return (ref.country or "") + (ref.sector or "") or None


def _lead(m: MergedEvent) -> Event:
    """The report that best stands for the merged event: same type and mode, most precise date."""
    same = [e for e in m.reports if e.event_type == m.event_type and e.mode == m.mode and e.date == m.date]
    return same[0] if same else m.reports[0]


def gdelt_frame(merged: Iterable[MergedEvent], urls: dict[str, str | None], ontology: Ontology | None = None
                ) -> pd.DataFrame:
    """One row per merged event in GDELT 2.0 event-table columns, plus dyad's PLOVER columns."""
    onto = ontology or Ontology.load()
    rows = []
    for m in merged:
        e = _lead(m)
        cameo = e.cameo or ""
        entry = onto.cameo_entry(cameo) if cameo else None
        day = m.date
        rows.append({
            "GLOBALEVENTID": m.id,
            "SQLDATE": int(day.strftime("%Y%m%d")) if day else None,
            "MonthYear": int(day.strftime("%Y%m")) if day else None,
            "Year": day.year if day else None,
            "FractionDate": round(day.year + (day.timetuple().tm_yday - 1) / 365, 4) if day else None,
            "Actor1Code": _code(e.actor),
            "Actor1Name": node_name(m.actor).upper(),
            "Actor1CountryCode": e.actor.country,
            "Actor1Type1Code": e.actor.sector,
            "Actor2Code": _code(e.recipient),
            "Actor2Name": node_name(m.recipient).upper() if m.recipient else None,
            "Actor2CountryCode": e.recipient.country if e.recipient else None,
            "Actor2Type1Code": e.recipient.sector if e.recipient else None,
            "IsRootEvent": int(any(r.sentence_index == 0 for r in m.reports)),
            "EventCode": cameo or None,
            "EventBaseCode": cameo[:3] or None,
            "EventRootCode": cameo[:2] or None,
            "QuadClass": onto.quad_class(m.event_type),
            "GoldsteinScale": entry.goldstein if entry else None,
            "NumMentions": m.mentions,
            "NumSources": m.num_sources,
            "NumArticles": m.num_articles,
            "ActionGeo_FullName": e.location,
            "ActionGeo_CountryCode": e.location_country,
            "SOURCEURL": next((urls[a] for a in m.articles if urls.get(a)), None),
            "PloverType": m.event_type,
            "PloverMode": m.mode,
            "PloverScore": m.score,
            "Modality": m.modality.value,
            "DatePrecision": m.date_precision,
        })
    return pd.DataFrame(rows)


def polecat_frame(merged: Iterable[MergedEvent], sources: dict[str, str | None],
                  dates: dict[str, object], ontology: Ontology | None = None) -> pd.DataFrame:
    """One row per report in POLECAT's column names, plus the merged event each report belongs to."""
    onto = ontology or Ontology.load()
    rows = []
    for m in merged:
        for e in m.reports:
            quad = QUADS[onto.quad_class(e.event_type) - 1].replace("_", " ").upper()
            rec = e.recipient
            rows.append({
                "Event ID": report_key(e),
                "Event Date": e.date.isoformat() if e.date else None,
                "Event Type": e.event_type.lower(),
                "Event Mode": e.mode,
                "Event Intensity": e.score,
                "Quad Code": quad,
                "Actor Name": e.actor.name,
                "Actor Country": e.actor.country,
                "Primary Actor Sector": e.actor.sector,
                "Actor Name Raw": e.actor.text,
                "Recipient Name": rec.name if rec else None,
                "Recipient Country": rec.country if rec else None,
                "Primary Recipient Sector": rec.sector if rec else None,
                "Recipient Name Raw": rec.text if rec else None,
                "Raw Placename": e.location,
                "Country": e.location_country,
                "Source": sources.get(e.article_id),
                "Publication Date": str(dates[e.article_id]) if dates.get(e.article_id) else None,
                "Story ID": e.article_id,
                "Language": "en",
                "Modality": e.modality.value,
                "Attribution": e.attribution,
                "Sentence Index": e.sentence_index,
                "Sentence": e.sentence,
                "Merged Event ID": m.id,
            })
    return pd.DataFrame(rows)


def layout_frame(layout: str, events: list[Event], merged: list[MergedEvent], info: list[ArticleInfo]
                 ) -> pd.DataFrame:
    """The rows of one export layout from reports, their merged events and the articles' info."""
    if layout == "dyad":
        return reports_frame(events)
    if layout == "merged":
        return merged_frame(merged)
    if layout == "gdelt":
        return gdelt_frame(merged, {i.id: i.url for i in info})
    if layout == "polecat":
        return polecat_frame(merged, {i.id: i.source for i in info}, {i.id: i.date for i in info})
    raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")


def write_frame(frame: pd.DataFrame, fmt: str, path: str | os.PathLike[str] | None, stdout=None) -> None:
    """Write rows as CSV, JSON lines or Parquet to `path` (CSV and JSON lines may go to `stdout`)."""
    if fmt == "parquet":
        if path is None:
            raise ValueError("parquet is binary: give a file with -o")
        frame.to_parquet(path, index=False)
    elif fmt == "csv":
        frame.to_csv(path if path is not None else stdout, index=False)
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
        if path is None:
            stdout.write(text if text.endswith("\n") or not text else text + "\n")
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    else:
        raise ValueError(f"format must be csv, jsonl or parquet for rows, not {fmt!r}")


def graphml_graph(net: ActorNetwork) -> nx.Graph:
    """The network with only GraphML-safe attributes (strings, numbers, booleans) on nodes and edges."""
    between = net.betweenness()
    out = nx.Graph()
    for key, value in net.graph.graph.items():
        out.graph[key] = value
    for n in net.graph.nodes:
        out.add_node(n, label=node_name(n), channels=net.channel_graph.degree(n),
                     betweenness=round(between.get(n, 0.0), 6))
    for e in net.edges():
        out.add_edge(e.a, e.b, weight=abs(e.net), net=e.net, sign=e.sign, positive=e.positive, negative=e.negative,
                     channel=e.channel, ties="; ".join(e.ties), events=e.events, channel_events=e.channel_events)
    return out


def write_graphml(net: ActorNetwork, path: str | os.PathLike[str]) -> None:
    """Write the network as GraphML (opens in Gephi, Cytoscape, yEd and networkx)."""
    nx.write_graphml(graphml_graph(net), path)
