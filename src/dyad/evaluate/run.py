"""Run dyad's coder over gold data and score it: PLV pairs, PETRARCH triples, CASE 2021 types.

`evaluate_*` code the gold texts (the slow part) and call the matching `score_*`, which are pure:
they take the events per text and build a Report, so tests can score hand-made events.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from dyad.evaluate.gold import CaseSnippet, GoldPair, PetrRecord, read_case, read_petr, read_plv, unique_sentences
from dyad.evaluate.labels import event_triple, gold_triples, load_case_mapping, plv_label
from dyad.evaluate.match import pair_matched
from dyad.evaluate.report import Measure, Report, TypeRow
from dyad.evaluate.scores import score_items, score_labels
from dyad.model import Article, Event
from dyad.ontology import TYPES, Ontology

if TYPE_CHECKING:
    from dyad.pipeline import Coder

__all__ = [
    "FORMATS",
    "PLV_TYPES",
    "code_texts",
    "evaluate_case",
    "evaluate_file",
    "evaluate_petr",
    "evaluate_plv",
    "guess_format",
    "score_case",
    "score_petr",
    "score_plv",
    "top_type",
]

# PLOVER's types in the manual's order as PLV labels them (YIELD where CONCEDE comes first).
PLV_TYPES: tuple[str, ...] = tuple(dict.fromkeys(plv_label(t) for t in TYPES))


def code_texts(coder: "Coder", texts: Sequence[str]) -> list[list[Event]]:
    """Code each text as an undated Article (batched through coder.code); the events of each, in order."""
    return [list(c.events) for c in coder.code(Article.make(t) for t in texts)]


def _timed(coder: "Coder", texts: Sequence[str]) -> tuple[list[list[Event]], float]:
    start = time.perf_counter()
    events = code_texts(coder, texts)
    return events, time.perf_counter() - start


def top_type(events: Iterable[Event], label=lambda t: t) -> str | None:
    """The most frequent (labelled) event type among events; ties go to the one found first."""
    counts = Counter(label(e.event_type) for e in events)
    return max(counts, key=lambda t: counts[t], default=None) if counts else None


def _describe(events: list[Event]) -> str:
    if not events:
        return "no events"
    return "; ".join(
        f"{e.event_type} {e.actor.text!r}->{e.recipient.text if e.recipient else '-'!r} ({e.trigger})" for e in events
    )


# PLV


def evaluate_plv(coder: "Coder", pairs: Sequence[GoldPair]) -> Report:
    """Code every distinct PLV sentence once and score the pairs (see score_plv)."""
    sentences = list(unique_sentences(list(pairs)))
    events, seconds = _timed(coder, sentences)
    return score_plv(pairs, dict(zip(sentences, events)), seconds)


def score_plv(pairs: Sequence[GoldPair], events: dict[str, list[Event]], seconds: float | None = None) -> Report:
    """End-to-end, actor/recipient and typed-only recall of gold pairs, per type; type P/R/F1 by sentence.

    end-to-end: some event of the gold type (YIELD = CONCEDE or RETREAT) whose actor and recipient
    overlap the gold spans. actor/recipient: the same, any type. typed-only: some event of the gold
    type, any actors. The P/R/F1 table compares each sentence's set of gold types with the set of
    types dyad coded there; its precision is a lower bound, since PLV marks one pair per sentence.
    """
    hits: dict[str, Counter[str]] = {k: Counter() for k in ("e2e", "typed", "actors", "total")}
    misses: list[str] = []
    confusion_pairs: list[tuple[str, str | None]] = []
    for pair in pairs:
        evs = events.get(pair.sentence, [])
        e2e, typed, actors = pair_matched(evs, pair), pair_matched(evs, pair, arguments=False), \
            pair_matched(evs, pair, typed=False)
        for key, hit in (("e2e", e2e), ("typed", typed), ("actors", actors), ("total", True)):
            hits[key][pair.event_type] += int(hit)
        confusion_pairs.append((pair.event_type, pair.event_type if typed else top_type(evs, plv_label)))
        if not e2e:
            actor = pair.actor_span.text if pair.actor_span else "-"
            recipient = pair.recipient_span.text if pair.recipient_span else "-"
            misses.append(f"[{pair.id}] {pair.event_type} {actor!r}->{recipient!r}"
                          f"{'' if typed else ' (type missed)'} | dyad: {_describe(evs)} | {pair.sentence}")
    gold_by_sentence: dict[str, set[str]] = {}
    for pair in pairs:
        gold_by_sentence.setdefault(pair.sentence, set()).add(pair.event_type)
    items = [(gold, {plv_label(e.event_type) for e in events.get(s, [])}) for s, gold in gold_by_sentence.items()]
    total = len(pairs)

    def measure(name: str, key: str, label: str | None = None) -> Measure:
        counts = hits[key]
        return Measure(name, counts[label] if label else sum(counts.values()),
                       hits["total"][label] if label else total)

    labels = [t for t in PLV_TYPES if hits["total"][t]] + sorted(set(hits["total"]) - set(PLV_TYPES))
    n_events = sum(len(events.get(s, [])) for s in gold_by_sentence)
    n_sent = len(gold_by_sentence)
    return Report(
        title="PLV: dyad events against gold actor/recipient pairs",
        items=n_sent,
        measures=(measure("end-to-end recall", "e2e"), measure("actor/recipient recall", "actors"),
                  measure("typed-only recall", "typed")),
        figures=(("events per sentence", n_events / n_sent if n_sent else 0.0),
                 ("sentences with an event", sum(1 for s in gold_by_sentence if events.get(s)) / max(n_sent, 1))),
        by_type=tuple(TypeRow(t, (measure("end-to-end", "e2e", t), measure("typed-only", "typed", t),
                                  measure("actor/recipient", "actors", t))) for t in labels),
        scores=score_items(items, order=PLV_TYPES, confusion_pairs=confusion_pairs),
        scores_title="sentence-level types (precision is a lower bound: PLV marks one pair per sentence); "
                     "confusion: gold type vs the gold type if coded, else dyad's most frequent type",
        misses=tuple(misses),
        seconds=seconds,
        notes=("events of every modality count (negated and hypothetical ones too)",),
    )


# PETRARCH


def evaluate_petr(coder: "Coder", records: Sequence[PetrRecord]) -> Report:
    """Code every record's text and score (source country, target country, type) triples."""
    events, seconds = _timed(coder, [r.text for r in records])
    return score_petr(records, events, seconds)


def score_petr(records: Sequence[PetrRecord], events: Sequence[list[Event]], seconds: float | None = None,
               ontology: Ontology | None = None) -> Report:
    """Precision and recall of distinct triples per record, overall and per PLOVER type.

    Gold CAMEO codes go through the crosswalk (CAMEO 01/02 and test-only codes have no PLOVER type and
    are dropped); countries are the first three letters of actor codes that are ISO codes, else none.
    """
    ontology = ontology or Ontology.load()
    items, type_items, misses = [], [], []
    dropped = sum(1 for r in records for t in r.triples if ontology.from_cameo(t.cameo) is None)
    for record, evs in zip(records, events):
        gold = gold_triples(record.triples, ontology)
        predicted = frozenset(event_triple(e) for e in evs)
        items.append((gold, predicted))
        type_items.append(({t.event_type for t in gold}, {t.event_type for t in predicted}))
        missed, spurious = gold - predicted, predicted - gold
        if missed or spurious:
            misses.append(f"[{record.id}] missed: {', '.join(map(str, sorted(missed, key=str))) or '-'}"
                          f" | spurious: {', '.join(map(str, sorted(spurious, key=str))) or '-'} | {record.text}")
    scores = score_items(items, label=lambda t: t.event_type, order=TYPES)
    types = score_items(type_items, order=TYPES).micro
    m = scores.micro
    return Report(
        title="PETRARCH records: (source country, target country, PLOVER type) triples",
        items=len(records),
        measures=(Measure("triple precision", m.tp, m.tp + m.fp), Measure("triple recall", m.tp, m.tp + m.fn),
                  Measure("type precision", types.tp, types.tp + types.fp),
                  Measure("type recall", types.tp, types.tp + types.fn)),
        figures=(("triple F1", m.f1), ("events per record", sum(map(len, events)) / max(len(records), 1))),
        scores=scores,
        scores_title="triples by PLOVER type:",
        misses=tuple(misses),
        seconds=seconds,
        notes=(f"{dropped} gold codings have no PLOVER type (CAMEO 01/02 or test-only codes) and are left out",
               "type precision/recall compare each record's set of types, ignoring actors"),
    )


# CASE 2021


def evaluate_case(coder: "Coder", snippets: Sequence[CaseSnippet]) -> Report:
    """Code the snippets whose CASE type maps to a PLOVER type and score dyad's event type on them."""
    mapping = load_case_mapping()
    scored = [s for s in snippets if mapping.get(s.subtype) and mapping[s.subtype].plover_type]
    events, seconds = _timed(coder, [s.text for s in scored])
    return score_case(snippets, dict(zip((s.id for s in scored), events)), seconds)


def score_case(snippets: Sequence[CaseSnippet], events: dict[str, list[Event]],
               seconds: float | None = None) -> Report:
    """Type accuracy over snippets where dyad codes an event (its most frequent type against the mapped
    gold type), coverage, and how often any of dyad's events has the gold type."""
    mapping = load_case_mapping()
    unknown = sorted({s.subtype for s in snippets if s.subtype not in mapping})
    gold_of = {s.id: mapping[s.subtype].plover_type for s in snippets if s.subtype in mapping}
    scored = [s for s in snippets if gold_of.get(s.id)]
    pairs, counts, misses = [], {k: Counter() for k in ("acc", "covered", "any", "total")}, []
    for s in scored:
        gold, evs = gold_of[s.id], events.get(s.id, [])
        top = top_type(evs)
        counts["total"][gold] += 1
        counts["any"][gold] += any(e.event_type == gold for e in evs)
        if top is not None:
            pairs.append((gold, top))
            counts["covered"][gold] += 1
            counts["acc"][gold] += top == gold
        if top != gold:
            misses.append(f"[{s.id}] {s.subtype} -> {gold} | dyad: {_describe(evs)} | {s.text}")

    def measure(name: str, num: str, den: str, label: str | None = None) -> Measure:
        pick = (lambda c: c[label]) if label else (lambda c: sum(c.values()))
        return Measure(name, pick(counts[num]), pick(counts[den]))

    labels = [t for t in TYPES if counts["total"][t]]
    return Report(
        title="CASE 2021 task 2: dyad's event type against the mapped PLOVER type",
        items=len(scored),
        measures=(measure("type accuracy (snippets with an event)", "acc", "covered"),
                  measure("coverage (snippets with an event)", "covered", "total"),
                  measure("any event of the gold type", "any", "total")),
        by_type=tuple(TypeRow(t, (measure("accuracy", "acc", "covered", t), measure("coverage", "covered", "total", t),
                                  measure("any event", "any", "total", t))) for t in labels),
        scores=score_labels(pairs, order=TYPES),
        scores_title="snippets with an event: gold type vs dyad's most frequent type",
        misses=tuple(misses),
        seconds=seconds,
        notes=(f"{len(snippets) - len(scored)} of {len(snippets)} snippets have a CASE type without a PLOVER "
               "counterpart (see dyad/evaluate/data/case2plover.tsv) and are left out",)
        + ((f"CASE types not in the mapping: {', '.join(unknown)}",) if unknown else ()),
    )


# Any format

FORMATS = ("plv", "petr", "case")


def guess_format(path: str) -> str:
    """'petr' for .xml files; for tab-separated files, 'plv' or 'case' from the header row."""
    if path.lower().endswith(".xml"):
        return "petr"
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().split("\t")
    names = {h.strip() for h in header}
    if "marked_sentence" in names:
        return "plv"
    if "EventSnippet" in names:
        return "case"
    raise ValueError(f"{path}: cannot tell the gold format; give --format {'|'.join(FORMATS)}")


def evaluate_file(coder: "Coder", path: str, fmt: str | None = None) -> Report:
    """Read a gold file (format guessed when not given), run the coder over it and score it."""
    fmt = fmt or guess_format(path)
    if fmt == "plv":
        return evaluate_plv(coder, read_plv(path))
    if fmt == "petr":
        return evaluate_petr(coder, read_petr(path))
    if fmt == "case":
        return evaluate_case(coder, read_case(path))
    raise ValueError(f"unknown gold format {fmt!r}; one of {', '.join(FORMATS)}")
