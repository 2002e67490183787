"""ActorSpan: an actor mention over spaCy tokens, the unit the resolver and event coder share."""

from __future__ import annotations

from dataclasses import dataclass

from dyad.model import Actor

__all__ = ["ActorSpan", "PERSONAL_KINDS", "GROUP_KINDS"]

# Kinds of mention: where an actor came from decides which pronouns and descriptions may refer to it.
PERSONAL_KINDS = frozenset({"person"})
GROUP_KINDS = frozenset({"armed_group", "party", "igo", "ngo", "org", "media", "company"})


@dataclass(frozen=True)
class ActorSpan:
    """Tokens [start, end) of a doc that name `actor`; `head` is the token arguments attach to."""

    start: int
    end: int
    head: int
    actor: Actor
    kind: str
    how: str = "kb"
    role: str | None = None
    antecedent: str | None = None
    text: str = ""
    lead: int | None = None  # first token of a title phrase the span absorbed ("Qatar's Emir" before a name)

    def covers(self, i: int) -> bool:
        """Whether token i lies inside the span."""
        return self.start <= i < self.end

    @property
    def extent(self) -> range:
        """Token indices that refer to this actor, title phrase included."""
        return range(self.start if self.lead is None else min(self.lead, self.start), self.end)
