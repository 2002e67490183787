"""Dyad series: merged events between two actors (or one actor and everyone) counted per day, week or month."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from dyad.analysis.actors import matches
from dyad.analysis.layouts import PERIODS
from dyad.analysis.merge import MergedEvent
from dyad.model import Modality
from dyad.ontology import Ontology

__all__ = ["PERIODS", "DyadSeries", "SeriesPoint", "dyad_series", "period_of"]



def period_of(day: date, by: str) -> tuple[str, date]:
    """The label and first day of the period holding `day`: 2024-03-05, 2024-W10 (ISO week) or 2024-03."""
    if by == "day":
        return day.isoformat(), day
    if by == "week":
        year, week, weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day - timedelta(days=weekday - 1)
    if by == "month":
        return f"{day.year}-{day.month:02d}", day.replace(day=1)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {by!r}")


@dataclass(frozen=True)
class SeriesPoint:
    """One period: its merged events, their counts per PLOVER type and quad class, and their mean score."""

    period: str
    start: date
    events: tuple[MergedEvent, ...]
    by_type: Mapping[str, int]
    by_quad: Mapping[int, int]  # quad class 1 verbal cooperation ... 4 material conflict
    mean_score: float | None

    @property
    def reports(self) -> int:
        """How many reports (sentences) stand behind the period's events."""
        return sum(e.num_reports for e in self.events)


@dataclass(frozen=True)
class DyadSeries:
    """The series of a pair of actors (`b` None: `a` against everyone), oldest period first."""

    a: str
    b: str | None
    by: str
    directed: bool
    points: tuple[SeriesPoint, ...]
    undated: tuple[MergedEvent, ...] = ()

    @property
    def events(self) -> int:
        """Merged events in the series."""
        return sum(len(p.events) for p in self.points)

    @property
    def reports(self) -> int:
        """Reports behind them."""
        return sum(p.reports for p in self.points)


def _involves(m: MergedEvent, a: str, b: str | None, directed: bool) -> bool:
    def side(pick, who: str) -> bool:
        return any(matches(pick(r), who) for r in m.reports)

    def forward(x: str, y: str | None) -> bool:
        return side(lambda r: r.actor, x) and (y is None or side(lambda r: r.recipient, y))

    if directed:
        return forward(a, b)
    if b is None:
        return side(lambda r: r.actor, a) or side(lambda r: r.recipient, a)
    return forward(a, b) or forward(b, a)


def dyad_series(
    merged: Iterable[MergedEvent],
    a: str,
    b: str | None = None,
    by: str = "month",
    directed: bool = False,
    modalities: Collection[Modality] = (Modality.ASSERTED,),
    ontology: Ontology | None = None,
) -> DyadSeries:
    """Count the merged events between `a` and `b` (either direction unless `directed`) per period.

    Actors match as the store's filters do (country code, canonical name or affiliation). Only events of the
    given modalities count (by default those said to have happened). Periods without events are left out.
    """
    period_of(date.today(), by)  # reject an unknown period before doing any work
    onto = ontology or Ontology.load()
    wanted = {Modality(m) for m in modalities}
    buckets: dict[tuple[date, str], list[MergedEvent]] = defaultdict(list)
    undated = []
    for m in merged:
        if m.modality not in wanted or not _involves(m, a, b, directed):
            continue
        if m.date is None:
            undated.append(m)
            continue
        label, start = period_of(m.date, by)
        buckets[(start, label)].append(m)
    points = []
    for (start, label), events in sorted(buckets.items()):
        scores = [e.score for e in events if e.score is not None]
        points.append(
            SeriesPoint(
                period=label,
                start=start,
                events=tuple(events),
                by_type=dict(Counter(e.event_type for e in events).most_common()),
                by_quad=dict(sorted(Counter(onto.quad_class(e.event_type) for e in events).items())),
                mean_score=round(fmean(scores), 2) if scores else None,
            )
        )
    return DyadSeries(a, b, by, directed, tuple(points), tuple(undated))
