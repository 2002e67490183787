"""Ties over time: a standing tie's history from the reports that assert, strengthen, weaken or end it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dyad.analysis.actors import node_of, sort_pair
from dyad.analysis.merge import MergedEvent
from dyad.analysis.tables import AnalysisTables
from dyad.model import Modality, Tie

__all__ = ["TieHistory", "TieReport", "tie_histories"]

# A tie starts at strength 1 when a report asserts it; strengthening adds half, up to 2; weakening halves it
# (two reports of doubt leave a quarter, never nothing); only an ending report takes it to 0.
_FULL, _STEP, _MOST = 1.0, 0.5, 2.0
# On one day, what a report takes as standing (the assertion) comes before the news that changes it: the seed's
# first sentence reassesses ties that later sentences describe.
_RANK = {"assert": 0, "strengthen": 1, "weaken": 2, "end": 3}


@dataclass(frozen=True)
class TieReport:
    """One report in a tie's history and the tie's strength after it."""

    date: date | None
    effect: str  # assert, strengthen, weaken, end
    strength: float
    article_id: str
    sentence_index: int
    evidence: str
    event_type: str | None = None  # for reports that are events
    mode: str | None = None
    modality: Modality | None = None
    event_id: str | None = None  # the merged event


@dataclass(frozen=True)
class TieHistory:
    """A tie between two nodes (`a` -> `b` when directed) and every report about it, oldest first."""

    kind: str
    a: str
    b: str
    directed: bool
    reports: tuple[TieReport, ...]

    @property
    def strength(self) -> float:
        """Strength after the last report: 1 asserted, up to 2 strengthened, below 1 weakened, 0 ended."""
        return self.reports[-1].strength if self.reports else 0.0

    @property
    def state(self) -> str:
        """'in force', 'strengthened', 'weakened' or 'ended'."""
        s = self.strength
        if s <= 0:
            return "ended"
        if s < _FULL:
            return "weakened"
        return "strengthened" if s > _FULL else "in force"


def _step(strength: float, effect: str) -> float:
    if effect == "assert":
        return max(strength, _FULL)
    if effect == "strengthen":
        return min(strength + _STEP, _MOST)
    if effect == "weaken":
        return strength / 2
    return 0.0


def _order(r: TieReport) -> tuple:
    return r.date or date.max, _RANK[r.effect], r.article_id, r.sentence_index


def tie_histories(
    ties: Iterable[Tie],
    merged: Iterable[MergedEvent],
    tables: AnalysisTables | None = None,
) -> list[TieHistory]:
    """One history per (kind, pair) of nodes, built from tie reports and the merged events between the pair.

    Which events change which ties, and how, is read from `data/tie_effects.tsv`. Changes reported before the
    tie is first asserted are left out, and so are events from a sentence that asserts a tie between the
    same pair: "a key supporter, providing financial aid" describes the standing tie, it does not change it.
    Ties whose sides do not resolve to nodes are skipped.
    """
    tables = tables or AnalysisTables.load()
    asserted: dict[tuple[str, str, str, bool], list[TieReport]] = defaultdict(list)
    sentences: dict[frozenset[str], set[tuple[str, int]]] = defaultdict(set)
    for t in ties:
        a, b = node_of(t.a), node_of(t.b)
        if a is None or b is None or a == b:
            continue
        if not t.directed:
            a, b = sort_pair(a, b)
        key = (t.kind, a, b, t.directed)
        asserted[key].append(TieReport(t.date, "assert", _FULL, t.article_id, t.sentence_index, t.evidence))
        sentences[frozenset((a, b))].add((t.article_id, t.sentence_index))
    by_pair: dict[frozenset[str], list[MergedEvent]] = defaultdict(list)
    for m in merged:
        if m.recipient is not None:
            by_pair[frozenset((m.actor, m.recipient))].append(m)
    effects: dict[tuple, str | None] = {}  # what tables.effect says, asked once per (type, mode, modality, kind)
    histories = []
    for key, reports in asserted.items():
        kind, a, b, directed = key
        changes = list(reports)
        stated = sentences[frozenset((a, b))]
        counted: set[tuple[str, int, str]] = set()
        for m in by_pair.get(frozenset((a, b)), []):
            asked = (m.event_type, m.mode, m.modality, kind)
            effect = effects[asked] if asked in effects else effects.setdefault(asked, tables.effect(*asked))
            news = [r for r in m.reports if (r.article_id, r.sentence_index) not in stated]
            if effect is None or not news:
                continue
            first = news[0]
            # One sentence changes a tie once: "A and B met and agreed" is four directed events, one report.
            if (first.article_id, first.sentence_index, effect) in counted:
                continue
            counted.add((first.article_id, first.sentence_index, effect))
            changes.append(TieReport(m.date, effect, 0.0, first.article_id, first.sentence_index, first.sentence,
                                     m.event_type, m.mode, m.modality, m.id))
        histories.append(TieHistory(kind, a, b, directed, _replay(changes)))
    return sorted(histories, key=lambda h: (h.a, h.b, h.kind))


def _replay(reports: list[TieReport]) -> tuple[TieReport, ...]:
    out = []
    strength = 0.0
    for r in sorted(reports, key=_order):
        if not out and r.effect != "assert":
            continue  # nothing to change before the tie is known
        strength = _step(strength, r.effect)
        out.append(TieReport(r.date, r.effect, strength, r.article_id, r.sentence_index, r.evidence, r.event_type,
                             r.mode, r.modality, r.event_id))
    return tuple(out)
