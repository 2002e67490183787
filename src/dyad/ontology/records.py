"""The PLOVER ontology's value objects: event types, modes, sectors and CAMEO crosswalk entries."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QUADS", "TYPES", "CameoCode", "EventType", "Mode", "Sector", "plover_types"]

# The 16 PLOVER event types in the manual's order. Kept as a literal so a typo in a data file is
# caught on load instead of silently adding a 17th type.
TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# Quad categories; a type's quad class is its quad's position here, counting from 1.
QUADS: tuple[str, ...] = (
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
)


def plover_types() -> tuple[str, ...]:
    """The names of the 16 PLOVER event types, in the manual's order."""
    return TYPES


@dataclass(frozen=True)
class EventType:
    """A PLOVER event type with its quad, conflict/cooperation score and representative CAMEO code."""

    name: str
    quad: str
    quad_class: int
    score: float
    requires_recipient: bool
    cameo: str | None
    description: str


@dataclass(frozen=True)
class Mode:
    """A mode of a PLOVER event type; `score` and `cameo` are None where the type's values apply."""

    type: str
    name: str
    score: float | None
    cameo: str | None
    description: str


@dataclass(frozen=True)
class Sector:
    """A PLOVER actor code: a sector code, or one of the international non-state codes."""

    code: str
    name: str
    description: str


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code of the crosswalk: its PLOVER type, mode and contexts, CAMEO text and Goldstein score."""

    code: str
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    description: str
    goldstein: float | None
