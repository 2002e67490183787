"""The `dyad_classifier` component: the pair classifier's opinion on every event the rule coder found.

It runs after `dyad_events`, on the same parse: no sentence is parsed again. For each event it finds the actor
and recipient in the event's sentence (the resolver's actor spans, else the text), analyses the pair on a copy
of that sentence's tokens (`Span.as_doc`: the parse is copied, not redone), scores every event of the doc in
one call of the linear model, writes the opinion into `Event.why` and lets `Policy` decide the type. The model
sees the event's own trigger (`trigger_of`: the token of `Event.trigger` whose lemma the lexicon clause of `why`
names, with that row's type), so two events of one pair in a sentence get an opinion each.
It fills nothing else: `doc._.events` is replaced by the decided events (two that became the same event,
same type, actor, recipient and modality in one sentence, count once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from dyad.classify.features import PairAnalysis, TriggerAt, analyse, merge_type, resolve_label
from dyad.classify.linear import LinearModel
from dyad.classify.opinion import Opinion, Policy, decide, lexicon_row
from dyad.classify.spans import CharSpan, locate

if TYPE_CHECKING:  # spaCy is imported by whoever parses
    from spacy.tokens import Doc, Span

    from dyad.actors.spans import ActorSpan
    from dyad.events.lexicon import Lexicon
    from dyad.model import Event
    from dyad.ontology import Ontology

__all__ = ["EventTypeClassifier", "decide_all", "locate_pair", "trigger_of"]


def locate_pair(event: "Event", sent: "Span", spans: Sequence["ActorSpan"]) -> tuple[CharSpan | None, CharSpan | None]:
    """Character spans (in `sent.text`) of an event's actor and recipient: the resolver's span of the same text
    in the sentence when there is one, else the text's first occurrence (None when absent)."""
    doc = sent.doc
    base = sent.start_char

    def find(text: str | None, avoid: CharSpan | None) -> CharSpan | None:
        if not text:
            return None
        for s in spans:
            if sent.start <= s.head < sent.end and s.text == text:
                chars = doc[s.start : s.end]
                found = (chars.start_char - base, chars.end_char - base)
                if sent.text[found[0] : found[1]] == text and found != avoid:
                    return found
        return locate(sent.text, text, avoid=avoid)

    actor = find(event.actor.text, None)
    return actor, find(event.recipient.text if event.recipient else None, actor)


def trigger_of(event: "Event", sent: "Span", near: Sequence[CharSpan | None] = ()) -> TriggerAt | None:
    """The event's trigger in `sent` (its index counted from the sentence's first token) and the type of the
    lexicon row that fired: a token written as `Event.trigger`, preferring the lemma `why` names, then the one
    nearest the `near` character spans (actor, recipient); None when the sentence has no such token."""
    if not event.trigger:
        return None
    row = lexicon_row(event.why)
    lemma = row[0].split(" ")[0] if row else None
    found = [t for t in sent if t.text == event.trigger]
    if not found:
        return None
    anchors = [c[0] for c in near if c is not None]
    base = sent.start_char

    def rank(tok) -> tuple:
        distance = min((abs(tok.idx - base - a) for a in anchors), default=0)
        return tok.lemma_ != lemma and tok.lemma_.lower() != lemma, distance

    return TriggerAt(min(found, key=rank).i - sent.start, row[1] if row else None)


class EventTypeClassifier:
    """spaCy component: a second opinion on each event's type from a `LinearModel`, decided by a `Policy`."""

    def __init__(self, model: LinearModel, lexicon: "Lexicon", ontology: "Ontology", policy: Policy) -> None:
        self.model = model
        self.lex = lexicon
        self.ont = ontology
        self.policy = policy

    @classmethod
    def load(cls, path: str | Path | None = None, policy: Policy = Policy()) -> "EventTypeClassifier":
        """Read a model file (default: the one shipped in dyad/classify/data), the lexicon and the ontology."""
        from dyad.classify.classifier import load_model
        from dyad.events.lexicon import load_lexicon
        from dyad.ontology import Ontology

        return cls(load_model(path), load_lexicon(), Ontology.load(), policy)

    def __call__(self, doc: "Doc") -> "Doc":
        events: list[Event] = list(doc._.events or [])
        if not events:
            return doc
        opinions = self.opinions(doc, events)
        recorded = [replace(e, why=(e.why or "") + o.clause()) if o else e for e, o in zip(events, opinions)]
        doc._.events = decide_all(recorded, self.policy, self.ont)
        return doc

    def opinions(self, doc: "Doc", events: Sequence["Event"]) -> list[Opinion | None]:
        """The classifier's opinion of each event, in order (None for an event whose sentence is not in `doc`)."""
        sents = list(doc.sents)
        spans = doc._.actor_spans or []
        copies: dict[int, Doc] = {}
        analyses: list[PairAnalysis | None] = []
        for ev in events:
            if not 0 <= ev.sentence_index < len(sents):
                analyses.append(None)
                continue
            sent = sents[ev.sentence_index]
            if ev.sentence_index not in copies:
                copies[ev.sentence_index] = sent.as_doc()
            actor, recipient = locate_pair(ev, sent, spans)
            trigger = trigger_of(ev, sent, (actor, recipient))
            analyses.append(analyse(copies[ev.sentence_index], actor, recipient, self.lex, trigger))
        scored = [a for a in analyses if a is not None]
        rows = iter(self.model.probabilities([a.features for a in scored]) if scored else [])
        labels = self.model.labels
        index = {label: i for i, label in enumerate(labels)}
        out: list[Opinion | None] = []
        for ev, analysis in zip(events, analyses):
            if analysis is None:
                out.append(None)
                continue
            row = next(rows)
            best = int(row.argmax())
            event_type, mode = resolve_label(labels[best], analysis)
            lexicon_label = index.get(merge_type(ev.event_type))
            out.append(Opinion(event_type, float(row[best]), ev.event_type,
                               float(row[lexicon_label]) if lexicon_label is not None else 0.0, ev.confidence, mode))
        return out


def decide_all(events: Sequence["Event"], policy: Policy, ontology: "Ontology") -> list["Event"]:
    """Events with their recorded opinions decided by `policy` (see opinion.decide), each once (pure)."""
    pairs = Counter(_pair(e) for e in events)
    return _once([decide(e, policy, ontology, alone=pairs[_pair(e)] == 1) for e in events])


def _pair(event: "Event") -> tuple:
    # unordered: "A and B agreed" gives A->B and B->A, one mutual act the classifier (trained on directed pairs
    # with one type each) would see as two; neither is the sole event of its pair
    return event.sentence_index, frozenset((event.actor.text, event.recipient.text if event.recipient else None))


def _once(events: list["Event"]) -> list["Event"]:
    """One event per (sentence, type, actor, recipient, modality), the most confident, in first-seen order."""
    seen: dict[tuple, int] = {}
    out: list[Event] = []
    for ev in events:
        key = (ev.sentence_index, ev.event_type, ev.actor.name, ev.actor.country,  # the rule coder's key, per sentence
               ev.recipient.name if ev.recipient else None, ev.recipient.country if ev.recipient else None, ev.modality)
        if key in seen:
            if ev.confidence > out[seen[key]].confidence:
                out[seen[key]] = ev
            continue
        seen[key] = len(out)
        out.append(ev)
    return out
