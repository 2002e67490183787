"""Typed objects passed between dyad's stages: no I/O here."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

__all__ = [
    "Actor",
    "ActorRef",
    "Article",
    "CodedArticle",
    "Event",
    "IngestError",
    "Mention",
    "Modality",
    "NOTE",
    "REFUSED",
    "Tie",
    "article_id",
]


class Modality(str, Enum):
    """How surely the text says an event happened."""

    ASSERTED = "asserted"
    INTENDED = "intended"
    POTENTIAL = "potential"
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"


_SPACE = re.compile(r"\s+")


def article_id(text: str) -> str:
    """Content hash of an article's text: whitespace and Unicode form do not change it."""
    norm = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    # surrogatepass: a JSON body can carry lone surrogates; ingest strips them, but the hash must not fail first.
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news text with what is known about it; `id` is a hash of the text."""

    id: str
    text: str
    date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # the file (and row) it was read from

    @classmethod
    def make(
        cls,
        text: str,
        date: date | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str | None = None,
        origin: str | None = None,
    ) -> "Article":
        """Build an Article, deriving its id from the text."""
        return cls(article_id(text), text, date, title, url, source, origin)


REFUSED = "refused"  # the input was not coded
NOTE = "note"  # the input was coded after a repair (characters stripped, a date dropped, a sentence skipped)


@dataclass(frozen=True)
class IngestError:
    """An input that could not be read as an article (kind `refused`), or a repair made to one (kind `note`)."""

    origin: str
    reason: str
    kind: str = REFUSED

    @property
    def refused(self) -> bool:
        """Whether the input was refused (not coded), rather than coded with a note."""
        return self.kind == REFUSED


@dataclass(frozen=True)
class Actor:
    """A canonical actor from the knowledge base, or one built from context."""

    name: str
    country: str | None = None  # ISO 3166-1 alpha-3, or None
    sector: str | None = None  # PLOVER sector code (GOV, MIL, REB, JRN, ...)
    affiliation: str | None = None  # the organisation a person or unit belongs to
    code: str | None = None  # knowledge-base key


@dataclass(frozen=True)
class ActorRef:
    """An actor as written in a sentence plus what it resolved to (the output contract)."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    affiliation: str | None = None

    @classmethod
    def of(cls, text: str, actor: Actor | None) -> "ActorRef":
        """Pair surface text with a resolved actor (or none)."""
        if actor is None:
            return cls(text)
        return cls(text, actor.name, actor.country, actor.sector, actor.affiliation)

    def to_dict(self) -> dict[str, Any]:
        """The contract's actor object."""
        # Spelled out rather than dataclasses.asdict, which deep-copies field by field: events pages make many.
        return {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector,
                "affiliation": self.affiliation}


@dataclass(frozen=True)
class Mention:
    """A span of an article that names an actor, and how it was resolved."""

    text: str
    start: int  # character offsets in the article text
    end: int
    sentence_index: int
    actor: Actor
    how: str = "kb"  # kb, title, demonym, membership, apposition, coref, ...
    antecedent: str | None = None  # text of the mention a pronoun or description refers to


@dataclass(frozen=True)
class Event:
    """One coded event, traced to its sentence (the JSON lines contract plus provenance)."""

    article_id: str
    sentence_index: int
    sentence: str
    event_type: str
    actor: ActorRef
    recipient: ActorRef | None = None
    mode: str | None = None
    modality: Modality = Modality.ASSERTED
    attribution: str | None = None
    date: date | None = None
    date_precision: str | None = None  # day, week, month, year, approximate
    location: str | None = None
    location_country: str | None = None
    cameo: str | None = None
    score: float | None = None
    confidence: float = 0.5
    trigger: str | None = None
    why: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON lines output contract."""
        return {
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "event_type": self.event_type,
            "mode": self.mode,
            "actor": self.actor.to_dict(),
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "modality": Modality(self.modality).value,
            "attribution": self.attribution,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "location": self.location,
            "location_country": self.location_country,
            "cameo": self.cameo,
            "score": self.score,
            "confidence": round(self.confidence, 3),
            "trigger": self.trigger,
            "why": self.why,
        }


@dataclass(frozen=True)
class Tie:
    """A standing relationship between two actors (not a one-off event)."""

    kind: str  # ally, hosts_military, hosts_leadership, funds, supports, mediates, member_of, hostile
    a: ActorRef
    b: ActorRef
    article_id: str
    sentence_index: int
    evidence: str
    directed: bool = True
    date: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ties JSON lines contract."""
        return {
            "kind": self.kind,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "directed": self.directed,
            "evidence": self.evidence,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass
class CodedArticle:
    """What coding one article produced."""

    article: Article
    sentences: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    notes: list[IngestError] = field(default_factory=list)  # what coding left out (sentences over the limit)
