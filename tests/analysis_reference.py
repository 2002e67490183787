"""The merging and tie histories of dyad 0.x before they were made fast (commit c84ff63), kept verbatim as the
reference the fast code must agree with (tests/test_analysis.py compares them on generated and synthetic stores)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from statistics import fmean

from dyad.analysis.actors import node_of, sort_pair
from dyad.analysis.merge import _COMMON, _FLOOR, _SHARED, _WORD, MergedEvent, Window, _stem, date_window, report_key
from dyad.analysis.tables import AnalysisTables
from dyad.analysis.tiehistory import _FULL, _MOST, _RANK, _STEP, TieHistory, TieReport
from dyad.model import ActorRef, Event, Modality, Tie
from dyad.store.links import ArticleLink

__all__ = ["reference_merge", "reference_tie_histories"]


def _words(e: Event, stopwords: frozenset[str]) -> frozenset[str]:
    """The stems of a report's sentence that could tell its event apart: no stop words, actor names or trigger."""
    # The trigger says what type the event is, which is already the same ("demanded", "demand").
    names = " ".join(filter(None, [e.actor.text, e.actor.name, e.recipient and e.recipient.text,
                                   e.recipient and e.recipient.name, e.trigger]))
    own = {_stem(w) for w in _WORD.findall(names.casefold())}
    found = {_stem(w) for w in _WORD.findall(e.sentence.casefold()) if w not in stopwords}
    return frozenset(found - own)


def _distinctive(events: list[Event], stopwords: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each report's words, less those in more than `_COMMON` of the sentences ("Syria" in a corpus on Syria)."""
    by_report = {report_key(e): _words(e, stopwords) for e in events}
    by_sentence = {(e.article_id, e.sentence_index): by_report[report_key(e)] for e in events}
    counts = Counter(w for words in by_sentence.values() for w in words)
    limit = max(_FLOOR, _COMMON * len(by_sentence))
    return {key: frozenset(w for w in words if counts[w] <= limit) for key, words in by_report.items()}


def _same_wording(a: Event, b: Event, words: Mapping[str, frozenset[str]]) -> bool:
    if (a.article_id, a.sentence_index) == (b.article_id, b.sentence_index):
        return True
    if a.date_precision == b.date_precision == "day" and a.recipient is not None:
        return True
    return len(words[report_key(a)] & words[report_key(b)]) >= _SHARED


@dataclass
class _Cluster:
    reports: list[Event]
    window: Window | None
    mode: str | None
    locations: set[str] = field(default_factory=set)

    def accepts(self, e: Event, window: Window | None, words: Mapping[str, frozenset[str]]) -> bool:
        if self.mode is not None and e.mode is not None and e.mode != self.mode:
            return False
        if e.location and self.locations and e.location.casefold() not in self.locations:
            return False
        if window is None or self.window is None:
            # Undated reports merge only with undated reports of the same article.
            if not (window is None and self.window is None and e.article_id == self.reports[0].article_id):
                return False
        elif max(window[0], self.window[0]) > min(window[1], self.window[1]):
            return False
        return any(_same_wording(e, r, words) for r in self.reports)

    def add(self, e: Event, window: Window | None) -> None:
        self.reports.append(e)
        if window is not None and self.window is not None:
            self.window = max(window[0], self.window[0]), min(window[1], self.window[1])
        self.mode = self.mode or e.mode
        if e.location:
            self.locations.add(e.location.casefold())


def _group_key(e: Event) -> tuple:
    actor = node_of(e.actor) or f"{e.article_id}/{(e.actor.name or e.actor.text).casefold()}"
    recipient = node_of(e.recipient)
    if recipient is None and e.recipient is not None:
        # An unresolved recipient ("the crowd") is only known to be the same within one article.
        recipient = f"{e.article_id}/{(e.recipient.name or e.recipient.text).casefold()}"
    return e.event_type, actor, recipient, Modality(e.modality).value


def _label(ref: ActorRef) -> str:
    return node_of(ref) or ref.name or ref.text


def _order(e: Event) -> tuple:
    window = date_window(e.date, e.date_precision)
    width = (window[1] - window[0]).days if window else 10**6
    return width, window[0] if window else date.max, e.article_id, e.sentence_index


def reference_merge(
    events: Iterable[Event],
    sources: Mapping[str, str | None] | None = None,
    links: Iterable[ArticleLink] = (),
    stopwords: frozenset[str] | None = None,
) -> list[MergedEvent]:
    """merge_events as it was: every report compared with every open cluster of its group."""
    events = list(events)
    sources = sources or {}
    words = _distinctive(events, AnalysisTables.load().stopwords if stopwords is None else stopwords)
    copies: dict[str, list[ArticleLink]] = defaultdict(list)
    for link in links:
        copies[link.duplicate_of].append(link)
    groups: dict[tuple, list[Event]] = defaultdict(list)
    for e in events:
        groups[_group_key(e)].append(e)
    merged = []
    for (event_type, _, _, modality), reports in groups.items():
        clusters: list[_Cluster] = []
        for e in sorted(reports, key=_order):
            window = date_window(e.date, e.date_precision)
            for c in clusters:
                if c.accepts(e, window, words):
                    c.add(e, window)
                    break
            else:
                clusters.append(_Cluster([e], window, e.mode, {e.location.casefold()} if e.location else set()))
        for c in clusters:
            merged.append(_merged(c, event_type, Modality(modality), sources, copies))
    return sorted(merged, key=lambda m: (m.date or date.max, m.actor, m.recipient or "", m.event_type, m.id))


def _merged(
    c: _Cluster,
    event_type: str,
    modality: Modality,
    sources: Mapping[str, str | None],
    copies: Mapping[str, list[ArticleLink]],
) -> MergedEvent:
    best = c.reports[0]
    reports = tuple(sorted(c.reports, key=lambda e: (e.date or date.max, e.article_id, e.sentence_index)))
    articles = tuple(dict.fromkeys(e.article_id for e in reports))
    copy_links = [link for a in articles for link in copies.get(a, [])]
    outlets = [sources.get(a) for a in articles] + [link.source for link in copy_links]
    scores = [e.score for e in reports if e.score is not None]
    digest = hashlib.sha256("\n".join(sorted(map(report_key, reports))).encode("utf-8")).hexdigest()
    return MergedEvent(
        id=digest[:12],
        event_type=event_type,
        mode=c.mode,
        actor=_label(best.actor),
        recipient=_label(best.recipient) if best.recipient else None,
        modality=modality,
        date=best.date,
        date_precision=best.date_precision,
        window=c.window,
        score=round(fmean(scores), 3) if scores else None,
        reports=reports,
        articles=articles,
        sources=tuple(sorted({s for s in outlets if s})),
        copies=len(copy_links),
        mentions=sum(1 + len(copies.get(e.article_id, [])) for e in reports),
    )


def _tie_step(strength: float, effect: str) -> float:
    if effect == "assert":
        return max(strength, _FULL)
    if effect == "strengthen":
        return min(strength + _STEP, _MOST)
    if effect == "weaken":
        return strength / 2
    return 0.0


def _tie_order(r: TieReport) -> tuple:
    return r.date or date.max, _RANK[r.effect], r.article_id, r.sentence_index


def reference_tie_histories(
    ties: Iterable[Tie],
    merged: Iterable[MergedEvent],
    tables: AnalysisTables | None = None,
) -> list[TieHistory]:
    """tie_histories as it was: tables.effect asked for every event, every tie."""
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
    histories = []
    for key, reports in asserted.items():
        kind, a, b, directed = key
        changes = list(reports)
        stated = sentences[frozenset((a, b))]
        counted: set[tuple[str, int, str]] = set()
        for m in by_pair.get(frozenset((a, b)), []):
            effect = tables.effect(m.event_type, m.mode, m.modality, kind)
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
    for r in sorted(reports, key=_tie_order):
        if not out and r.effect != "assert":
            continue  # nothing to change before the tie is known
        strength = _tie_step(strength, r.effect)
        out.append(replace(r, strength=strength))
    return tuple(out)
