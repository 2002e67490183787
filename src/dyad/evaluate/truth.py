"""Score coded articles against article-level gold: what a user sees on whole articles, every sentence.

Matching is per sentence. A coded event belongs to the gold sentence its sentence overlaps most; it can only
match a gold event of that sentence. Gold events marked `mutual` stand for both directions.

- **strict**: same type, actor identity and recipient identity (dyad.evaluate.identity). An unresolved coded
  actor or recipient counts as `UNK`; a gold event with no recipient wants none (or an unresolved one).
- **relaxed**: same type and actor identity.
- **fields**: gold and coded events of a sentence are aligned one to one (type 4, actor 2, recipient 1, at least
  type or actor shared). Type accuracy is measured on aligned pairs whose actors agree, actor accuracy on pairs
  whose types agree, recipient accuracy on relaxed matches, and modality, attribution, date and sector accuracy
  on strict matches: each field is judged where the others give it a fair chance.
- **errors**: every gold event not matched strictly and every coded event not matched strictly, in one class.
- **ties**: per article, the set of (kind, a, b) identities (a and b unordered for ally and hostile); an unnamed
  group inside a state is `SYR/REB`, on both sides.
- **dates** are judged at the gold's precision (a week: within three days); a gold event with no date (background
  of unstated time) is not judged.

Everything here is pure: `score_articles` takes gold and coded articles and returns `ArticleScores`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dyad.evaluate.articles import GoldArgument, GoldArticle, GoldEvent, UNDIRECTED_TIES
from dyad.evaluate.identity import STATE_SECTORS, UNKNOWN, group_of, identity_of
from dyad.model import CodedArticle, Event, Modality, Tie

__all__ = [
    "THRESHOLDS",
    "ArticleScores",
    "PRF",
    "coded_sentences",
    "score_articles",
    "strict_verdicts",
]

THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from counts."""

    tp_pred: int  # coded items that match
    n_pred: int
    tp_gold: int  # gold items that are matched
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp_pred + other.tp_pred, self.n_pred + other.n_pred,
                   self.tp_gold + other.tp_gold, self.n_gold + other.n_gold)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "matched_coded": self.tp_pred, "coded": self.n_pred, "matched_gold": self.tp_gold,
                "gold": self.n_gold}


ZERO = PRF(0, 0, 0, 0)


@dataclass(frozen=True)
class _Gold:
    """A gold event in one direction."""

    event: GoldEvent
    actor: GoldArgument
    recipient: GoldArgument | None


@dataclass(frozen=True)
class _Coded:
    event: Event
    actor: str  # identity, UNK when unresolved
    recipient: str | None  # identity; None when there is none or it is unresolved


def _directions(event: GoldEvent) -> list[_Gold]:
    out = [_Gold(event, event.actor, event.recipient)]
    if event.mutual and event.recipient is not None:
        out.append(_Gold(event, event.recipient, event.actor))
    return out


def _coded(event: Event) -> _Coded:
    return _Coded(event, identity_of(event.actor) or UNKNOWN, identity_of(event.recipient))


def _actor_ok(g: _Gold, c: _Coded) -> bool:
    return c.actor in g.actor.ids


def _recipient_ok(g: _Gold, c: _Coded) -> bool:
    if g.recipient is None:
        return c.recipient is None or c.recipient == UNKNOWN
    if c.recipient is None:
        return UNKNOWN in g.recipient.ids
    return c.recipient in g.recipient.ids


def _strict(g: _Gold, c: _Coded) -> bool:
    return g.event.type == c.event.event_type and _actor_ok(g, c) and _recipient_ok(g, c)


def _relaxed(g: _Gold, c: _Coded) -> bool:
    return g.event.type == c.event.event_type and _actor_ok(g, c)


def _affinity(g: _Gold, c: _Coded) -> int:
    score = 4 * (g.event.type == c.event.event_type) + 2 * _actor_ok(g, c)
    return score + _recipient_ok(g, c) if score else 0


def _match(golds: Sequence[_Gold], codeds: Sequence[_Coded], ok) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, coded index) for which ok(g, c), found greedily in order."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(golds):
        for ci, c in enumerate(codeds):
            if ci not in used and ok(g, c):
                used.add(ci)
                pairs.append((gi, ci))
                break
    return pairs


def _align(golds: Sequence[_Gold], codeds: Sequence[_Coded]) -> list[tuple[int, int]]:
    """One-to-one alignment by affinity, best pairs first."""
    scored = sorted(((_affinity(g, c), gi, ci) for gi, g in enumerate(golds) for ci, c in enumerate(codeds)),
                    key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for score, gi, ci in scored:
        if score and gi not in used_g and ci not in used_c:
            used_g.add(gi)
            used_c.add(ci)
            pairs.append((gi, ci))
    return pairs


def coded_sentences(text: str, sentences: Sequence[str]) -> list[tuple[int, int] | None]:
    """Character offsets of each of the coder's sentences in the article text (None if one is not found)."""
    out: list[tuple[int, int] | None] = []
    cursor = 0
    for sent in sentences:
        start = text.find(sent, cursor) if sent else -1
        if start < 0:
            out.append(None)
            continue
        out.append((start, start + len(sent)))
        cursor = start + len(sent)
    return out


def _gold_sentence(gold: Sequence[tuple[int, int]], span: tuple[int, int] | None) -> int | None:
    """The gold sentence a coded sentence overlaps most."""
    if span is None or not gold:
        return None
    start, end = span
    first = max(bisect.bisect_right([s for s, _ in gold], start) - 1, 0)
    best, best_overlap = None, 0
    for n in range(first, len(gold)):
        g_start, g_end = gold[n]
        if g_start >= end:
            break
        overlap = min(end, g_end) - max(start, g_start)
        if overlap > best_overlap:
            best, best_overlap = n, overlap
    return best


def _by_sentence(article: GoldArticle, result: CodedArticle, text: str
                 ) -> tuple[dict[int, list[_Gold]], dict[int, list[_Coded]]]:
    """Gold events (both directions of mutual ones) and coded events by gold sentence (-1: no gold sentence)."""
    golds: dict[int, list[_Gold]] = {}
    for event in article.events:
        golds.setdefault(event.sentence, []).extend(_directions(event))
    codeds: dict[int, list[_Coded]] = {}
    spans = coded_sentences(text, result.sentences)
    for event in result.events:
        span = spans[event.sentence_index] if event.sentence_index < len(spans) else None
        index = _gold_sentence(article.sentences, span)
        codeds.setdefault(-1 if index is None else index, []).append(_coded(event))
    return golds, codeds


def strict_verdicts(article: GoldArticle, result: CodedArticle, text: str) -> list[bool]:
    """For each coded event of an article, in order: whether it is strictly right (the label confidence learns)."""
    golds, codeds = _by_sentence(article, result, text)
    right: set[int] = set()
    for index, cs in codeds.items():
        right |= {id(cs[ci].event) for _, ci in _match(golds.get(index, []), cs, _strict)}
    return [id(e) in right for e in result.events]


def _same_attribution(gold: str | None, coded: str | None) -> bool:
    if not gold or not coded:
        return not gold and not coded
    a, b = gold.casefold(), coded.casefold()
    return a in b or b in a


def _same_date(gold: GoldEvent, coded: Event) -> bool:
    """Whether the coded date is the gold's, at the gold's precision (a week: within three days)."""
    if coded.date is None or gold.date is None:
        return False
    if gold.date_precision == "week" and len(gold.date) == 10:
        return abs((coded.date - date.fromisoformat(gold.date)).days) <= 3
    return coded.date.isoformat()[: len(gold.date)] == gold.date


def _tie_end(value: str | None) -> str:
    """A gold tie end as compared: `SYR/GOV` (a state sector) is the state itself."""
    if not value:
        return UNKNOWN
    state, sep, sector = value.partition("/")
    return state if sep and sector in STATE_SECTORS else value


def _tie_key(kind: str, a: str | None, b: str | None) -> tuple[str, str, str]:
    a, b = _tie_end(a), _tie_end(b)
    if kind in UNDIRECTED_TIES and b < a:
        a, b = b, a
    return (kind, a, b)


def _coded_tie(tie: Tie) -> tuple[str, str, str]:
    return _tie_key(tie.kind, group_of(tie.a), group_of(tie.b))


@dataclass
class ArticleScores:
    """What scoring a set of articles measured (see the module docstring for the definitions)."""

    title: str
    articles: int = 0
    sentences: int = 0
    gold_events: int = 0  # in both directions for mutual events
    coded_events: int = 0
    strict: PRF = ZERO
    relaxed: PRF = ZERO
    strict_modality: PRF = ZERO  # strict and the same modality
    sentence_detection: PRF = ZERO  # sentences that hold an event, as gold and coder say
    ties: PRF = ZERO
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (right, judged)
    errors: Counter = field(default_factory=Counter)
    thresholds: list[tuple[float, PRF]] = field(default_factory=list)
    calibration: list[tuple[float, float, float, int]] = field(default_factory=list)  # lo, mean conf, right, n
    ece: float = 0.0
    by_type: dict[str, PRF] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)  # one line per error, for --verbose

    def field_accuracy(self, name: str) -> float:
        right, judged = self.fields.get(name, (0, 0))
        return right / judged if judged else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "articles": self.articles,
            "sentences": self.sentences,
            "gold_events": self.gold_events,
            "coded_events": self.coded_events,
            "strict": self.strict.to_dict(),
            "relaxed": self.relaxed.to_dict(),
            "strict_modality": self.strict_modality.to_dict(),
            "sentence_detection": self.sentence_detection.to_dict(),
            "ties": self.ties.to_dict(),
            "fields": {k: {"accuracy": round(r / n, 4) if n else None, "right": r, "judged": n}
                       for k, (r, n) in self.fields.items()},
            "errors": dict(self.errors.most_common()),
            "thresholds": [{"threshold": t, **p.to_dict()} for t, p in self.thresholds],
            "calibration": [{"bin": lo, "mean_confidence": round(m, 4), "right": round(r, 4), "events": n}
                            for lo, m, r, n in self.calibration],
            "ece": round(self.ece, 4),
            "by_type": {t: p.to_dict() for t, p in sorted(self.by_type.items())},
        }


_FIELDS = ("type", "actor", "recipient", "modality", "attribution", "date", "actor sector")


def _error_gold(g: _Gold, aligned: _Coded | None, any_coded: bool) -> str:
    if aligned is None:
        return "missed event (sentence coded with other events)" if any_coded else "missed event (no event coded in the sentence)"
    type_ok, actor_ok = g.event.type == aligned.event.event_type, _actor_ok(g, aligned)
    if type_ok and actor_ok:
        if g.recipient is None:
            return "wrong recipient (gold has none)"
        if aligned.recipient is None:
            return "wrong recipient (none or unresolved)"
        return "wrong recipient (another actor)"
    if type_ok:
        return "wrong actor (unresolved)" if aligned.actor == UNKNOWN else "wrong actor (another actor)"
    if actor_ok:
        return "wrong type"
    return "wrong type and actor"


def _describe_gold(g: _Gold) -> str:
    r = g.recipient.id if g.recipient else "-"
    return f"{g.event.type} {g.actor.id}->{r} '{g.event.trigger}'"


def _describe_coded(c: _Coded) -> str:
    return f"{c.event.event_type} {c.actor}->{c.recipient or '-'} '{c.event.trigger}' ({c.event.confidence:.2f})"


def score_articles(
    gold: Iterable[GoldArticle],
    coded: Mapping[str, CodedArticle],
    texts: Mapping[str, str],
    title: str = "articles",
) -> ArticleScores:
    """Score coded articles (by gold key) against gold articles; `texts` gives each article's text."""
    out = ArticleScores(title)
    fields: dict[str, list[int]] = {name: [0, 0] for name in _FIELDS}
    judged: list[tuple[float, bool]] = []  # (confidence, strictly right) per coded event
    per_threshold: dict[float, PRF] = {t: ZERO for t in THRESHOLDS}
    by_type: dict[str, list[int]] = {}
    for article in gold:
        result = coded[article.key]
        text = texts[article.key]
        out.articles += 1
        out.sentences += len(article.sentences)
        golds, codeds = _by_sentence(article, result, text)
        out.gold_events += sum(map(len, golds.values()))
        out.coded_events += sum(map(len, codeds.values()))
        gold_with = {s for s, g in golds.items() if g}
        coded_with = {s for s, c in codeds.items() if c and s >= 0}
        out.sentence_detection += PRF(len(gold_with & coded_with), len(coded_with),
                                      len(gold_with & coded_with), len(gold_with))
        for index in sorted(set(golds) | set(codeds)):
            gs, cs = golds.get(index, []), codeds.get(index, [])
            strict = _match(gs, cs, _strict)
            relaxed = _match(gs, cs, _relaxed)
            with_modality = _match(gs, cs, lambda g, c: _strict(g, c) and
                                   Modality(c.event.modality).value == g.event.modality)
            out.strict += PRF(len(strict), len(cs), len(strict), len(gs))
            out.relaxed += PRF(len(relaxed), len(cs), len(relaxed), len(gs))
            out.strict_modality += PRF(len(with_modality), len(cs), len(with_modality), len(gs))
            for g in gs:
                by_type.setdefault(g.event.type, [0, 0, 0, 0])[3] += 1
            for c in cs:
                by_type.setdefault(c.event.event_type, [0, 0, 0, 0])[1] += 1
            for gi, ci in strict:
                by_type[gs[gi].event.type][0] += 1
                by_type[gs[gi].event.type][2] += 1
            right = {ci for _, ci in strict}
            judged += [(c.event.confidence, ci in right) for ci, c in enumerate(cs)]
            for t in THRESHOLDS:
                kept = [c for c in cs if c.event.confidence >= t]
                m = _match(gs, kept, _strict)
                per_threshold[t] += PRF(len(m), len(kept), len(m), len(gs))
            _judge_fields(gs, cs, strict, relaxed, fields, out.errors)
            _classify_errors(article.key, index, gs, cs, strict, out)
        # ties
        gold_ties = {_tie_key(t.kind, t.a, t.b) for t in article.ties}
        coded_ties = {_coded_tie(t) for t in result.ties}
        both = len(gold_ties & coded_ties)
        out.ties += PRF(both, len(coded_ties), both, len(gold_ties))
    out.fields = {k: (v[0], v[1]) for k, v in fields.items()}
    out.thresholds = [(t, per_threshold[t]) for t in THRESHOLDS]
    out.by_type = {t: PRF(v[0], v[1], v[2], v[3]) for t, v in by_type.items()}
    out.calibration, out.ece = _calibration(judged)
    return out


def _judge_fields(gs: Sequence[_Gold], cs: Sequence[_Coded], strict, relaxed, fields: dict[str, list[int]],
                  errors: Counter) -> None:
    """Field accuracy of one sentence's events (see the module docstring), and the modality errors."""
    for gi, ci in _align(gs, cs):
        g, c = gs[gi], cs[ci]
        if _actor_ok(g, c):
            _count(fields["type"], g.event.type == c.event.event_type)
        if g.event.type == c.event.event_type:
            _count(fields["actor"], _actor_ok(g, c))
    for gi, ci in relaxed:
        _count(fields["recipient"], _recipient_ok(gs[gi], cs[ci]))
    for gi, ci in strict:
        g, c = gs[gi], cs[ci]
        coded_modality = Modality(c.event.modality).value
        _count(fields["modality"], coded_modality == g.event.modality)
        _count(fields["attribution"], _same_attribution(g.event.attribution, c.event.attribution))
        if g.event.date is not None:  # a background event of unstated time is not judged
            _count(fields["date"], _same_date(g.event, c.event))
        if g.actor.sector:
            _count(fields["actor sector"], c.event.actor.sector == g.actor.sector)
        if coded_modality != g.event.modality:
            errors[f"modality: gold {g.event.modality}, coded {coded_modality}"] += 1


def _classify_errors(key: str, index: int, gs: Sequence[_Gold], cs: Sequence[_Coded], strict,
                     out: "ArticleScores") -> None:
    """One error class for every gold and coded event of a sentence that is not strictly matched."""
    matched_g = {gi for gi, _ in strict}
    matched_c = {ci for _, ci in strict}
    free_c = [ci for ci in range(len(cs)) if ci not in matched_c]
    unmatched_g = [gi for gi in range(len(gs)) if gi not in matched_g]
    realigned = dict(_align([gs[gi] for gi in unmatched_g], [cs[ci] for ci in free_c]))
    for n, gi in enumerate(unmatched_g):
        c = cs[free_c[realigned[n]]] if n in realigned else None
        label = _error_gold(gs[gi], c, bool(cs))
        out.errors[label] += 1
        out.examples.append(f"{key} s{index}: {label}: gold {_describe_gold(gs[gi])}"
                            + (f"; coded {_describe_coded(c)}" if c else ""))
    aligned_c = {free_c[ci] for ci in realigned.values()}
    for ci in free_c:
        if ci in aligned_c:
            continue
        if index < 0:
            label = "extra event (sentence not found in the gold)"
        else:
            label = "extra event (sentence holds other events)" if gs else "extra event (sentence holds no event)"
        out.errors[label] += 1
        out.examples.append(f"{key} s{index}: {label}: coded {_describe_coded(cs[ci])}")


def _count(cell: list[int], right: bool) -> None:
    cell[0] += bool(right)
    cell[1] += 1


def _calibration(judged: Sequence[tuple[float, bool]]) -> tuple[list[tuple[float, float, float, int]], float]:
    """Reliability bins (lower edge, mean confidence, share right, events) and the expected calibration error."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(CALIBRATION_BINS)]
    for conf, right in judged:
        bins[min(int(conf * CALIBRATION_BINS), CALIBRATION_BINS - 1)].append((conf, right))
    rows, ece, total = [], 0.0, len(judged)
    for n, cell in enumerate(bins):
        if not cell:
            continue
        mean = sum(c for c, _ in cell) / len(cell)
        right = sum(r for _, r in cell) / len(cell)
        rows.append((n / CALIBRATION_BINS, mean, right, len(cell)))
        ece += len(cell) / total * abs(mean - right)
    return rows, ece
