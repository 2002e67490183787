"""Whether a dyad event's actor and recipient match a gold pair's marked spans."""

from __future__ import annotations

import re

from dyad.evaluate.gold import GoldPair, Span
from dyad.evaluate.labels import plv_label
from dyad.model import ActorRef, Event

__all__ = ["arguments_match", "overlaps", "pair_matched", "text_ranges"]


def _word(text: str) -> str:
    return r"(?<!\w)" + re.escape(text) + r"(?!\w)"


def text_ranges(sentence: str, text: str) -> tuple[tuple[int, int], ...]:
    """Every character range where `text` occurs as whole words in `sentence` (exact case first,
    else ignoring case): 'he' is not found inside 'the'."""
    text = text.strip()
    if not text:
        return ()
    found = tuple((m.start(), m.end()) for m in re.finditer(_word(text), sentence))
    if not found:
        found = tuple((m.start(), m.end()) for m in re.finditer(_word(text), sentence, re.I))
    return found


def _contains(big: str, small: str) -> bool:
    return re.search(_word(small), big, re.I) is not None


def overlaps(ref: ActorRef | None, span: Span, sentence: str) -> bool:
    """True when the actor's text shares characters with the gold span in the sentence, or one text
    contains the other (whole words, any case) — events carry text, not offsets, so both tests are needed."""
    if ref is None or not ref.text.strip():
        return False
    mine, gold = ref.text.strip(), span.text.strip()
    if gold and (_contains(gold, mine) or _contains(mine, gold)):
        return True
    return any(a < d and c < b for a, b in text_ranges(sentence, ref.text) for c, d in span.ranges)


def arguments_match(event: Event, pair: GoldPair) -> bool:
    """Actor overlaps the gold source and recipient overlaps the gold target; a side the gold leaves
    unmarked accepts anything (including no recipient)."""
    if pair.actor_span is not None and not overlaps(event.actor, pair.actor_span, pair.sentence):
        return False
    if pair.recipient_span is not None and not overlaps(event.recipient, pair.recipient_span, pair.sentence):
        return False
    return True


def pair_matched(events: list[Event], pair: GoldPair, typed: bool = True, arguments: bool = True) -> bool:
    """Whether some event answers the gold pair: of its type (PLV labels: YIELD = CONCEDE or RETREAT)
    when `typed`, with matching actor and recipient when `arguments`."""
    return any(
        (not typed or plv_label(e.event_type) == pair.event_type) and (not arguments or arguments_match(e, pair))
        for e in events
    )
