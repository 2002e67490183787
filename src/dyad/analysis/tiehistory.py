"""Ties over time: a standing tie's history from the reports that assert, strengthen, weaken or end it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from dyad.analysis.actors import node_of, sort_pair
from dyad.analysis.merge import MergedEvent
from dyad.analysis.tables import AnalysisTables
from dyad.model import Modality, Tie

__all__ = ["TieHistory", "TieReport", "TieState", "tie_histories", "tie_states"]

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


def _state(strength: float) -> str:
    if strength <= 0:
        return "ended"
    if strength < _FULL:
        return "weakened"
    return "strengthened" if strength > _FULL else "in force"


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
        return _state(self.strength)


@dataclass(frozen=True)
class TieState:
    """A tie as its history leaves it, without the history (what the network needs)."""

    kind: str
    a: str
    b: str
    directed: bool
    strength: float

    @property
    def state(self) -> str:
        """'in force', 'strengthened', 'weakened' or 'ended'."""
        return _state(self.strength)


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
    histories = [TieHistory(*key, _replay(changes)) for key, changes in _changes(ties, merged, tables)]
    return sorted(histories, key=lambda h: (h.a, h.b, h.kind))


def tie_states(
    ties: Iterable[Tie],
    merged: Iterable[MergedEvent],
    tables: AnalysisTables | None = None,
) -> list[TieState]:
    """Each tie's state after its history (as `tie_histories`, without building the history's reports)."""
    states = []
    for (kind, a, b, directed), changes in _changes(ties, merged, tables):
        strength = 0.0
        for _, _, strength in _steps(changes):
            pass
        states.append(TieState(kind, a, b, directed, strength))
    return sorted(states, key=lambda t: (t.a, t.b, t.kind))


def _by_order(change: tuple) -> tuple:
    return change[0]


# A change: its `_order` key, and the tie's assertion (a TieReport) or an event's (merged event, its first report
# that is news, effect).
_Change = tuple[tuple, "TieReport | tuple"]


def _changes(ties: Iterable[Tie], merged: Iterable[MergedEvent],
             tables: AnalysisTables | None) -> Iterator[tuple[tuple[str, str, str, bool], list[_Change]]]:
    """Each tie's (kind, a, b, directed) and the reports that assert or change it, unordered."""
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
    # Each pair's ties, each with the changes found so far and the (sentence, effect)s counted.
    by_pair: dict[frozenset[str], list[tuple[tuple[str, str, str, bool], list[_Change], set]]] = defaultdict(list)
    for key, reports in asserted.items():
        by_pair[frozenset(key[1:3])].append((key, [(_order(r), r) for r in reports], set()))
    # Which of a pair's ties an event changes, and how, by what decides it (type, mode, modality): asked of the
    # tables once per (type, mode, modality, kind).
    effects: dict[tuple, str | None] = {}
    changed: dict[tuple, list[tuple[list[_Change], set, str]]] = {}
    for m in merged:  # in the order merged: of two events from one sentence with one effect, the first counts
        if m.recipient is None:
            continue
        pair = frozenset((m.actor, m.recipient))
        if pair not in by_pair:
            continue  # no tie between them
        asked = (m.event_type, m.mode, m.modality, pair)
        targets = changed.get(asked)
        if targets is None:
            targets = changed[asked] = []
            for (kind, *_), changes, counted in by_pair[pair]:
                effect = effects.get((*asked[:3], kind), "?")
                if effect == "?":
                    effect = effects[(*asked[:3], kind)] = tables.effect(*asked[:3], kind)
                if effect is not None:
                    targets.append((changes, counted, effect))
        if not targets:
            continue
        # Its first report that is news: not from a sentence stating a tie between the pair.
        stated = sentences[pair]
        first = next((r for r in m.reports if (r.article_id, r.sentence_index) not in stated), None)
        if first is None:
            continue
        sentence = (first.article_id, first.sentence_index)
        day = m.date or date.max
        for changes, counted, effect in targets:
            # One sentence changes a tie once: "A and B met and agreed" is four directed events, one report.
            said = (sentence, effect)
            if said in counted:
                continue
            counted.add(said)
            changes.append(((day, _RANK[effect], *sentence), (m, first, effect)))
    for found in by_pair.values():
        for key, changes, _ in found:
            yield key, changes


def _steps(changes: list[_Change]) -> Iterator[tuple[TieReport | tuple, str, float]]:
    """Each change in order, with its effect and the tie's strength after it; none before the tie is asserted."""
    strength = 0.0
    started = False
    changes.sort(key=_by_order)
    for _, change in changes:
        effect = change.effect if isinstance(change, TieReport) else change[2]
        if not started and effect != "assert":
            continue  # nothing to change before the tie is known
        started = True
        strength = _step(strength, effect)
        yield change, effect, strength


def _replay(changes: list[_Change]) -> tuple[TieReport, ...]:
    """The reports in order, each with the tie's strength after it."""
    out = []
    for change, effect, strength in _steps(changes):
        if isinstance(change, TieReport):
            out.append(TieReport(change.date, effect, strength, change.article_id, change.sentence_index,
                                 change.evidence))
        else:
            m, first, _ = change
            out.append(TieReport(m.date, effect, strength, first.article_id, first.sentence_index, first.sentence,
                                 m.event_type, m.mode, m.modality, m.id))
    return tuple(out)
