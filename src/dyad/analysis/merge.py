"""Event merging: reports of one event from several sentences or articles become one MergedEvent.

Two reports are of the same event when they have the same PLOVER type, compatible modes (equal, or one
unstated), the same modality, the same actor and recipient (as network nodes: Blinken and "the United States"
are both USA), no conflicting locations, and dates that agree within what each report states: a report dated
to the day covers that day, to the week +/- 3 days, to the month that month, to the year that year, and an
undated sentence (the article's date, 'approximate') the three days up to it. A merged event's window is the
intersection of its reports' windows, so reports chain only while they all agree: two strikes reported on two
different days stay two events.

Type, actors and dates are not enough when a date is only the article's or an actor is all there is: "Turkey
pledged to limit casualties" and "Turkey vowed to keep an Arab presence" are two AGREE events of one day. So a
report from another sentence must also share at least two distinctive words with one of the event's reports
(words that are not stop words, the actors' names or the trigger, and not in more than 5% of the sentences),
unless both are dated to the day and name a recipient: who did what to whom on which day.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean

from dyad.analysis.actors import node_of
from dyad.analysis.tables import AnalysisTables
from dyad.model import ActorRef, Event, Modality
from dyad.store.links import ArticleLink

__all__ = ["MergedEvent", "date_window", "merge_events", "report_key"]

_WEEK = 3
_APPROXIMATE = 3
_SHARED = 2  # distinctive words two reports of one event must share
_COMMON = 0.05  # a word in more than this share of the sentences is not distinctive,
_FLOOR = 5  # unless it is in no more than this many (a few reports alone say little about what is common)
_WORD = re.compile(r"[^\W\d_]{3,}")

Window = tuple[date, date]


def date_window(day: date | None, precision: str | None) -> Window | None:
    """The days a report's date may stand for, given its stated precision (None when undated)."""
    if day is None:
        return None
    if precision == "week":
        return day - timedelta(days=_WEEK), day + timedelta(days=_WEEK)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "approximate":
        return day - timedelta(days=_APPROXIMATE), day
    return day, day


def report_key(e: Event) -> str:
    """A report's identity: article, sentence, type and both sides as written."""
    recipient = e.recipient.text if e.recipient else ""
    return f"{e.article_id}:{e.sentence_index}:{e.event_type}:{e.actor.text}>{recipient}"


@dataclass(frozen=True)
class MergedEvent:
    """One event with every report of it, the articles and sources they came from (GDELT-like counts)."""

    id: str
    event_type: str
    mode: str | None
    actor: str  # node (country code, organisation or IGO name), else the actor as written
    recipient: str | None
    modality: Modality
    date: date | None  # of the most precise report
    date_precision: str | None
    window: Window | None  # the days every report agrees on
    score: float | None  # mean PLOVER score of the reports
    reports: tuple[Event, ...]
    articles: tuple[str, ...]  # coded articles reporting it
    sources: tuple[str, ...]  # their outlets, and those of near-duplicate copies
    copies: int = 0  # near-duplicate articles of those articles (linked, not coded)
    mentions: int = 0  # reports counting each copy's article again (GDELT's NumMentions)

    @property
    def num_reports(self) -> int:
        """How many coded sentences report the event."""
        return len(self.reports)

    @property
    def num_articles(self) -> int:
        """How many articles report it, near-duplicate copies included."""
        return len(self.articles) + self.copies

    @property
    def num_sources(self) -> int:
        """How many distinct outlets report it."""
        return len(self.sources)


def _stem(word: str) -> str:
    # Five letters stand for a word's family: withdraw/withdrawal/withdrawing, launch/launched.
    return word[:5]


def _words(e: Event, stopwords: frozenset[str]) -> frozenset[str]:
    """The stems of a report's sentence that could tell its event apart: no stop words, actor names or trigger."""
    # The trigger says what type the event is, which is already the same ("demanded", "demand").
    names = " ".join(filter(None, [e.actor.text, e.actor.name, e.recipient and e.recipient.text,
                                   e.recipient and e.recipient.name, e.trigger]))
    own = {_stem(w) for w in _WORD.findall(names.casefold())}
    found = {_stem(w) for w in _WORD.findall(e.sentence.casefold()) if w not in stopwords}
    return frozenset(found - own)


def _wording_of(e: Event) -> tuple:
    """What `_words` reads of a report: reports alike in these have the same words."""
    recipient = e.recipient
    return (e.sentence, e.actor.text, e.actor.name, recipient and recipient.text, recipient and recipient.name,
            e.trigger)


def _distinctive(events: list[Event], keys: list[str], stopwords: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each report's words (by its key), less those in more than `_COMMON` of the sentences ("Syria" in a corpus
    on Syria)."""
    seen: dict[tuple, frozenset[str]] = {}  # a wire story's sentence is often coded many times over
    by_report: dict[str, frozenset[str]] = {}
    for key, e in zip(keys, events):
        wording = _wording_of(e)
        found = seen.get(wording)
        if found is None:
            found = seen[wording] = _words(e, stopwords)
        by_report[key] = found
    by_sentence = {(e.article_id, e.sentence_index): by_report[key] for key, e in zip(keys, events)}
    counts = Counter(w for words in by_sentence.values() for w in words)
    limit = max(_FLOOR, _COMMON * len(by_sentence))
    common = {w for w, n in counts.items() if n > limit}
    if not common:
        return by_report
    kept: dict[frozenset[str], frozenset[str]] = {}
    return {key: kept.setdefault(words, frozenset(words - common)) for key, words in by_report.items()}


def _same_wording(a: Event, a_words: frozenset[str], b: Event, b_words: frozenset[str]) -> bool:
    if a.article_id == b.article_id and a.sentence_index == b.sentence_index:
        return True
    if a.date_precision == b.date_precision == "day" and a.recipient is not None:
        return True
    return len(a_words & b_words) >= _SHARED


@dataclass
class _Cluster:
    reports: list[Event]
    keys: list[str]  # each report's key
    words: list[frozenset[str]]  # and its distinctive words
    window: Window | None
    mode: str | None
    locations: set[str] = field(default_factory=set)

    def accepts(self, e: Event, words: frozenset[str], window: Window | None) -> bool:
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
        return any(_same_wording(e, words, r, w) for r, w in zip(self.reports, self.words))

    def add(self, e: Event, key: str, words: frozenset[str], window: Window | None) -> None:
        self.reports.append(e)
        self.keys.append(key)
        self.words.append(words)
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
    modality = e.modality.value if isinstance(e.modality, Modality) else Modality(e.modality).value
    return e.event_type, actor, recipient, modality


def _label(ref: ActorRef) -> str:
    return node_of(ref) or ref.name or ref.text


def _order(e: Event, window: Window | None) -> tuple:
    width = (window[1] - window[0]).days if window else 10**6
    return width, window[0] if window else date.max, e.article_id, e.sentence_index


_SPAN = 8  # days per slot of the index that finds the clusters a report's window overlaps


def _slots(window: Window) -> range:
    return range(window[0].toordinal() // _SPAN, window[1].toordinal() // _SPAN + 1)


def _cluster(reports: list[tuple[Event, str, frozenset[str]]]) -> list[_Cluster]:
    """One group's reports, each put in the first cluster (oldest first) that accepts it, most precise first.

    Only a cluster whose window meets a report's window can accept it (an undated one: an undated cluster of the
    same article), so each report is offered only the clusters filed under the slots of days its window spans,
    in the order they were made: the answer of comparing it with every cluster, without doing so. A cluster is
    filed under the slots of its first window, which holds every window it narrows to.
    """
    windows = [date_window(e.date, e.date_precision) for e, _, _ in reports]
    clusters: list[_Cluster] = []
    by_slot: dict[int, list[int]] = defaultdict(list)
    undated: dict[str, list[int]] = defaultdict(list)
    for i in sorted(range(len(reports)), key=lambda i: _order(reports[i][0], windows[i])):
        (e, key, words), window = reports[i], windows[i]
        if window is None:
            offered: Iterable[int] = undated.get(e.article_id, ())
        else:
            slots = _slots(window)
            if len(slots) == 1:
                offered = by_slot.get(slots[0], ())
            else:
                offered = sorted({n for s in slots for n in by_slot.get(s, ())})
        for n in offered:
            if clusters[n].accepts(e, words, window):
                clusters[n].add(e, key, words, window)
                break
        else:
            if window is None:
                undated[e.article_id].append(len(clusters))
            else:
                for s in _slots(window):
                    by_slot[s].append(len(clusters))
            clusters.append(_Cluster([e], [key], [words], window, e.mode,
                                     {e.location.casefold()} if e.location else set()))
    return clusters


def merge_events(
    events: Iterable[Event],
    sources: Mapping[str, str | None] | None = None,
    links: Iterable[ArticleLink] = (),
    stopwords: frozenset[str] | None = None,
) -> list[MergedEvent]:
    """Merge reports of the same event; `sources` maps article id -> outlet, `links` are near-duplicate copies.

    Every report ends up in exactly one merged event. The result is ordered by date (undated last).
    """
    events = list(events)
    sources = sources or {}
    keys = [report_key(e) for e in events]
    words = _distinctive(events, keys, AnalysisTables.load().stopwords if stopwords is None else stopwords)
    copies: dict[str, list[ArticleLink]] = defaultdict(list)
    for link in links:
        copies[link.duplicate_of].append(link)
    groups: dict[tuple, list[tuple[Event, str, frozenset[str]]]] = defaultdict(list)
    for key, e in zip(keys, events):
        groups[_group_key(e)].append((e, key, words[key]))
    merged = []
    for (event_type, _, _, modality), reports in groups.items():
        for c in _cluster(reports):
            merged.append(_merged(c, event_type, Modality(modality), sources, copies))
    return sorted(merged, key=_merged_order)


_LAST_DAY = date.max.toordinal()


def _merged_order(m: MergedEvent) -> tuple:
    # By date (as a day number: cheaper to compare than a date), undated last, then by who, what and id.
    return m.date.toordinal() if m.date else _LAST_DAY, m.actor, m.recipient or "", m.event_type, m.id


def _merged(
    c: _Cluster,
    event_type: str,
    modality: Modality,
    sources: Mapping[str, str | None],
    copies: Mapping[str, list[ArticleLink]],
) -> MergedEvent:
    best = c.reports[0]
    if len(c.reports) == 1:  # most events: one report, so no sorting, and its score is the mean
        reports, articles, keys = (best,), (best.article_id,), c.keys
        score = None if best.score is None else round(best.score, 3)
    else:
        reports = tuple(sorted(c.reports, key=lambda e: (e.date or date.max, e.article_id, e.sentence_index)))
        articles = tuple(dict.fromkeys(e.article_id for e in reports))
        scores = [e.score for e in reports if e.score is not None]
        score = round(fmean(scores), 3) if scores else None
        keys = sorted(c.keys)
    copy_links = [link for a in articles for link in copies.get(a, ())] if copies else []
    outlets = {sources.get(a) for a in articles} | {link.source for link in copy_links}
    return MergedEvent(
        id=hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:12],
        event_type=event_type,
        mode=c.mode,
        actor=_label(best.actor),
        recipient=_label(best.recipient) if best.recipient else None,
        modality=modality,
        date=best.date,
        date_precision=best.date_precision,
        window=c.window,
        score=score,
        reports=reports,
        articles=articles,
        sources=tuple(sorted(s for s in outlets if s)),
        copies=len(copy_links),
        mentions=sum(1 + len(copies.get(e.article_id, ())) for e in reports) if copies else len(reports),
    )
