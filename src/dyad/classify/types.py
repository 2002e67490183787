"""Typed inputs and outputs of the pair classifier: no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Alternative", "Example", "PairInput", "Prediction"]


@dataclass(frozen=True)
class PairInput:
    """A sentence with an actor and (optionally) a recipient, both given as text spans of the sentence.

    `actor_start` / `recipient_start` pin a span to a character offset when its text occurs more than once;
    without them the first occurrence is used (for the recipient, the first one that does not overlap the actor).
    """

    id: str
    sentence: str
    actor: str
    recipient: str | None = None
    actor_start: int | None = None
    recipient_start: int | None = None

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> "PairInput":
        """Build from a JSON object with `id`, `sentence`, `actor`, `recipient` (and optional offsets)."""
        missing = [k for k in ("id", "sentence", "actor") if record.get(k) in (None, "")]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        return cls(
            id=str(record["id"]),
            sentence=str(record["sentence"]),
            actor=str(record["actor"]),
            recipient=str(record["recipient"]) if record.get("recipient") else None,
            actor_start=_offset(record, "actor_start"),
            recipient_start=_offset(record, "recipient_start"),
        )


def _offset(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a character offset, not {value!r}")
    return value


@dataclass(frozen=True)
class Alternative:
    """A PLOVER type the classifier also considered, with its probability."""

    event_type: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    """The PLOVER type (and mode, when the lexicon names one) of a pair's interaction."""

    id: str
    event_type: str
    mode: str | None
    confidence: float
    alternatives: tuple[Alternative, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The `dyad classify` JSON lines contract."""
        return {"id": self.id, "event_type": self.event_type, "mode": self.mode,
                "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Example:
    """A pair with its gold PLOVER type (training and evaluation data)."""

    pair: PairInput
    event_type: str
