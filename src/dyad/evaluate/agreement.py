"""Agreement between two independent annotations of the same articles: Cohen's kappa and event F1.

Within each sentence the two annotators' events are aligned one to one (a shared trigger word 8, type 4, actor 2,
recipient 1; a mutual event is compared with its pair in either order). Every aligned pair is one item; an event only one annotator
marked is an item whose other label is NONE.

- **type kappa** over all items (labels: PLOVER type or NONE);
- **actor kappa** and **recipient kappa** over aligned pairs (labels: identity; NONE for no recipient);
- **sentence kappa**: whether each sentence holds an event;
- **event F1**: the share of events both marked with the same type, actor and recipient.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyad.evaluate.articles import GoldArticle, GoldEvent

__all__ = ["Agreement", "agreement", "cohen_kappa"]

NONE = "NONE"


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels for the same items (1.0 when both always give one same label)."""
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1 - expected)


def _ends(event: GoldEvent) -> tuple[str, str]:
    actor, recipient = event.actor.id, event.recipient.id if event.recipient else NONE
    if event.mutual and recipient < actor:
        return recipient, actor
    return actor, recipient


def _words(trigger: str) -> set[str]:
    return {w.strip(".,;:'\"’“”").casefold() for w in trigger.split()} - {""}


def _affinity(a: GoldEvent, b: GoldEvent) -> int:
    """How surely two annotators' events are the same mention: shared trigger words first, so that the type,
    actor and recipient agreement measured on aligned pairs is not made by the alignment itself."""
    (a_actor, a_recipient), (b_actor, b_recipient) = _ends(a), _ends(b)
    score = 8 * bool(_words(a.trigger) & _words(b.trigger)) + 4 * (a.type == b.type) + 2 * (a_actor == b_actor)
    return score + (a_recipient == b_recipient) if score else 0


@dataclass(frozen=True)
class Agreement:
    """Agreement figures over the articles both annotators marked."""

    articles: int
    sentences: int
    events_a: int
    events_b: int
    type_kappa: float
    actor_kappa: float
    recipient_kappa: float
    sentence_kappa: float
    event_f1: float
    aligned: int

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}

    def to_text(self) -> str:
        return "\n".join([
            f"articles annotated twice         {self.articles} ({self.sentences} sentences)",
            f"events (first / second)          {self.events_a} / {self.events_b}, {self.aligned} aligned",
            f"Cohen's kappa, event type        {self.type_kappa:.3f}",
            f"Cohen's kappa, actor identity    {self.actor_kappa:.3f}",
            f"Cohen's kappa, recipient         {self.recipient_kappa:.3f}",
            f"Cohen's kappa, sentence holds    {self.sentence_kappa:.3f}",
            f"event F1 (type, actor, recipient) {self.event_f1:.3f}",
        ])


def agreement(first: Sequence[GoldArticle], second: Sequence[GoldArticle]) -> Agreement:
    """Agreement over the articles present in both annotations (matched by key)."""
    by_key = {a.key: a for a in second}
    types: list[tuple[str, str]] = []
    actors: list[tuple[str, str]] = []
    recipients: list[tuple[str, str]] = []
    holds: list[tuple[str, str]] = []
    articles = sentences = events_a = events_b = same = 0
    for a in first:
        b = by_key.get(a.key)
        if b is None:
            continue
        articles += 1
        sentences += len(a.sentences)
        events_a += len(a.events)
        events_b += len(b.events)
        for index in range(len(a.sentences)):
            ea = [e for e in a.events if e.sentence == index]
            eb = [e for e in b.events if e.sentence == index]
            holds.append((str(bool(ea)), str(bool(eb))))
            scored = sorted(((_affinity(x, y), i, j) for i, x in enumerate(ea) for j, y in enumerate(eb)),
                            key=lambda t: (-t[0], t[1], t[2]))
            used_a: set[int] = set()
            used_b: set[int] = set()
            for score, i, j in scored:
                if score and i not in used_a and j not in used_b:
                    used_a.add(i)
                    used_b.add(j)
                    x, y = ea[i], eb[j]
                    types.append((x.type, y.type))
                    (xa, xr), (ya, yr) = _ends(x), _ends(y)
                    actors.append((xa, ya))
                    recipients.append((xr, yr))
                    same += x.type == y.type and xa == ya and xr == yr
            types += [(ea[i].type, NONE) for i in range(len(ea)) if i not in used_a]
            types += [(NONE, eb[j].type) for j in range(len(eb)) if j not in used_b]
    f1 = 2 * same / (events_a + events_b) if events_a + events_b else 0.0
    return Agreement(articles, sentences, events_a, events_b, cohen_kappa(types), cohen_kappa(actors),
                     cohen_kappa(recipients), cohen_kappa(holds), f1, len(actors))
