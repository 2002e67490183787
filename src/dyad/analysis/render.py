"""Analysis results as text for people: series with their reports, merged events, tie histories, the network."""

from __future__ import annotations

from collections.abc import Iterable

from dyad.analysis.actors import node_name
from dyad.analysis.brokers import Brokerage, BrokeredPair, LostPair
from dyad.analysis.merge import MergedEvent
from dyad.analysis.network import ActorNetwork, Edge
from dyad.analysis.series import DyadSeries
from dyad.analysis.tiehistory import TieHistory

__all__ = ["render_around", "render_between", "render_brokers", "render_histories", "render_lost",
           "render_merged", "render_series"]

_QUADS = ("verbal coop", "material coop", "verbal conflict", "material conflict")


def _who(node: str) -> str:
    name = node_name(node)
    return f"{name} ({node})" if name != node else node


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _clip(text: str, width: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _path(p: tuple[str, ...]) -> str:
    return " - ".join(p)


def render_merged_event(m: MergedEvent, indent: str = "  ", reports: bool = True) -> list[str]:
    """One merged event: a head line with its counts, then one line per report."""
    arrow = f" -> {m.recipient}" if m.recipient else ""
    mode = f"/{m.mode}" if m.mode else ""
    modality = "" if m.modality.value == "asserted" else f" [{m.modality.value}]"
    n = m.num_reports
    head = (f"{indent}{m.date or 'undated'} {m.event_type}{mode} {m.actor}{arrow}{modality}  "
            f"({_n(n, 'report')}, {_n(m.num_articles, 'article')}"
            f"{', sources: ' + ', '.join(m.sources) if m.sources else ''}) #{m.id}")
    lines = [head]
    if reports:
        for e in m.reports:
            lines.append(f"{indent}    {e.article_id}:{e.sentence_index}  {_clip(e.sentence)}")
    return lines


def render_series(s: DyadSeries, reports: bool = True) -> str:
    """A series point per line (counts, quads, mean score, types), each followed by its events and reports."""
    other = f" {'->' if s.directed else '<->'} {_who(s.b)}" if s.b else " <-> everyone"
    lines = [f"{_who(s.a)}{other}, by {s.by}: {_n(s.events, 'event')} from {_n(s.reports, 'report')}"]
    if not s.points:
        lines.append("  no dated events")
    for p in s.points:
        quads = " ".join(f"{q}:{p.by_quad.get(q, 0)}" for q in range(1, 5))
        types = ", ".join(f"{t} {n}" for t, n in p.by_type.items())
        score = "n/a" if p.mean_score is None else f"{p.mean_score:+.2f}"
        lines.append(f"{p.period}  {_n(len(p.events), 'event')}, {_n(p.reports, 'report')}, mean score {score}  "
                     f"quad {quads}  {types}")
        for m in p.events:
            lines.extend(render_merged_event(m, "  ", reports))
    if s.undated:
        lines.append(f"undated: {len(s.undated)} events (not in the series)")
    lines.append("quad classes: " + ", ".join(f"{i} {name}" for i, name in enumerate(_QUADS, start=1)))
    return "\n".join(lines)


def render_merged(merged: Iterable[MergedEvent], reports: bool = True) -> str:
    """Merged events with their reports."""
    out = []
    for m in merged:
        out.extend(render_merged_event(m, "", reports))
    return "\n".join(out)


def render_histories(histories: Iterable[TieHistory]) -> str:
    """Each tie with its state now and the reports that asserted, strengthened, weakened or ended it."""
    lines = []
    for h in histories:
        arrow = "->" if h.directed else "<->"
        lines.append(f"{h.kind}: {_who(h.a)} {arrow} {_who(h.b)}  {h.state} (strength {h.strength:g})")
        for r in h.reports:
            what = r.effect if r.event_type is None else f"{r.effect} by {r.event_type}" + (
                f"/{r.mode}" if r.mode else "") + (f" [{r.modality.value}]" if r.modality else "")
            lines.append(f"  {r.date or 'undated'}  {what:<40} -> {r.strength:g}  "
                         f"{r.article_id}:{r.sentence_index}  {_clip(r.evidence, 110)}")
    return "\n".join(lines) if lines else "no ties"


def _edge_line(e: Edge, node: str) -> str:
    other = e.b if e.a == node else e.a
    sign = "+" if e.sign > 0 else "-" if e.sign < 0 else "0"
    ties = ", ".join(e.ties) if e.ties else "no standing tie"
    chan = "channel" if e.channel else "no channel"
    return f"  {sign} {_who(other):<34} net {e.net:+.2f}  {chan:<10}  ties: {ties}; {_n(e.events, 'event')}"


def _pair_line(p: BrokeredPair) -> str:
    how = "its last channel" if p.last else "every shortest channel" if p.sole else "one of their shortest channels"
    return f"    {p.a}-{p.b}  ({how}: {_path(p.channels[0])})"


def render_around(net: ActorNetwork, k: Brokerage, limit: int = 25) -> str:
    """A node's edges and the pairs it brokers."""
    node, pairs = k.broker, k.pairs
    edges = net.edges(node)
    lines = [f"{_who(node)}: {_n(len(edges), 'edge')}, {_n(sum(e.channel for e in edges), 'channel')}, "
             f"betweenness {k.betweenness:.3f}"]
    lines.extend(_edge_line(e, node) for e in edges)
    if pairs:
        lines.append(f"{_who(node)} is a broker between {_n(len(pairs), 'pair')} "
                     f"({sum(p.last for p in pairs)} with no other channel):")
        lines.extend(_pair_line(p) for p in pairs[:limit])
        if len(pairs) > limit:
            lines.append(f"    ... and {len(pairs) - limit} more")
    else:
        lines.append(f"{_who(node)} is a broker between no pair")
    return "\n".join(lines)


def render_between(net: ActorNetwork, a: str, b: str, brokers: list[Brokerage]) -> str:
    """The shortest channels between two nodes and the brokers on them."""
    paths = net.channels(a, b)
    if not paths:
        return f"no channel of at most {net.max_hops} steps between {_who(a)} and {_who(b)}"
    lines = [f"shortest channels between {_who(a)} and {_who(b)}:"]
    lines.extend(f"  {_path(p)}" for p in paths)
    if not brokers:
        lines.append("  direct channel: no broker")
    for k in brokers:
        how = "their last channel" if k.pairs[0].last else "every shortest channel" if k.pairs[0].sole else "a channel"
        pair = k.pairs[0]
        lines.append(f"broker {_who(k.broker)} (betweenness {k.betweenness:.3f}) carries {how} of {pair.a}-{pair.b}")
    return "\n".join(lines)


def render_brokers(brokers: list[Brokerage], limit: int = 10) -> str:
    """The most central brokers, each with the pairs it connects."""
    if not brokers:
        return "no brokers: no two actors are joined only through a third party"
    lines = []
    for k in brokers:
        lines.append(f"broker {_who(k.broker)} (betweenness {k.betweenness:.3f}) connects {_n(len(k.pairs), 'pair')}:")
        lines.extend(_pair_line(p) for p in k.pairs[:limit])
        if len(k.pairs) > limit:
            lines.append(f"    ... and {len(k.pairs) - limit} more")
    return "\n".join(lines)


def render_lost(removed: str, lost: list[LostPair]) -> str:
    """The pairs that lose their last channel when an actor or tie is removed."""
    if not lost:
        return f"without {removed}: every pair keeps a channel"
    verb = "loses its" if len(lost) == 1 else "lose their"
    lines = [f"without {removed}: {_n(len(lost), 'pair')} {verb} last channel"]
    for p in lost:
        was = f"  (was: {_path(p.channels[0])})" if p.channels else ""
        lines.append(f"  {p.a}-{p.b}{was}")
    return "\n".join(lines)
