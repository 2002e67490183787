"""Find a pair's actor and recipient text in its sentence as character spans."""

from __future__ import annotations

from dyad.classify.types import PairInput

__all__ = ["CharSpan", "locate", "pair_spans"]

CharSpan = tuple[int, int]


def _occurrences(sentence: str, text: str) -> list[int]:
    found, i = [], sentence.find(text)
    while i >= 0:
        found.append(i)
        i = sentence.find(text, i + 1)
    if not found:  # fall back to a case-insensitive match ("the United States" written "The United States")
        low, t = sentence.lower(), text.lower()
        i = low.find(t)
        while i >= 0:
            found.append(i)
            i = low.find(t, i + 1)
    return found


def locate(sentence: str, text: str | None, start: int | None = None, avoid: CharSpan | None = None) -> CharSpan | None:
    """The span of `text` in `sentence`: at `start` if given and matching, else the first occurrence not
    overlapping `avoid`, else the first occurrence; None when the text is absent."""
    text = (text or "").strip()
    if not text:
        return None
    if start is not None and sentence[start : start + len(text)].lower() == text.lower():
        return start, start + len(text)
    found = _occurrences(sentence, text)
    if not found:
        return None
    if avoid is not None:
        clear = [i for i in found if i + len(text) <= avoid[0] or i >= avoid[1]]
        found = clear or found
    return found[0], found[0] + len(text)


def pair_spans(pair: PairInput) -> tuple[CharSpan | None, CharSpan | None]:
    """Character spans of the actor and the recipient (None where the text is not in the sentence)."""
    actor = locate(pair.sentence, pair.actor, pair.actor_start)
    recipient = locate(pair.sentence, pair.recipient, pair.recipient_start, avoid=actor)
    return actor, recipient
