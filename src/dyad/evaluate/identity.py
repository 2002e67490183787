"""Canonical identities of actors, as the article gold writes them (docs/annotation.md, section 4).

An identity is an ISO 3166-1 alpha-3 code for a state's people and bodies, an organisation's code from the
knowledge base's `organizations.tsv` (`ISIS`, `UNO`, `NATO`), `ORG:<name>` for an organisation the knowledge base
lacks, or `UNK` for an actor the text does not identify. `identity_of` gives the identity of one of dyad's
actor references, so that gold and coded events compare on the same terms.
"""

from __future__ import annotations

import functools
from importlib import resources

from dyad.model import ActorRef

__all__ = [
    "STATE_SECTORS",
    "UNKNOWN",
    "canonical",
    "group_of",
    "identity_of",
    "is_group",
    "is_identity",
    "organisation_codes",
    "state_codes",
]

UNKNOWN = "UNK"
ORG_PREFIX = "ORG:"
# PLOVER's non-state international codes: an actor with one of these as sector and no affiliation is the body it names.
_INTERNATIONAL = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
# Sectors that are the state itself: a tie end of one of these is the state; any other sector of an unnamed group
# inside a state is written `SYR/REB` (docs/annotation.md, section 7).
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})


def _rows(name: str):
    from dyad.actors.kb import read_tsv

    return read_tsv(resources.files("dyad.actors").joinpath("data").joinpath(name))


@functools.lru_cache(maxsize=1)
def state_codes() -> frozenset[str]:
    """ISO codes of the states the knowledge base knows."""
    return frozenset(row["code"] for row in _rows("countries.tsv"))


@functools.lru_cache(maxsize=1)
def _organisations() -> dict[str, str]:
    """Casefolded organisation name or alias -> organisation code."""
    names: dict[str, str] = {}
    for row in _rows("organizations.tsv"):
        for name in [row["name"], row["code"], *filter(None, row.get("aliases", "").split("|"))]:
            names.setdefault(name.casefold(), row["code"])
    return names


@functools.lru_cache(maxsize=1)
def organisation_codes() -> frozenset[str]:
    """Codes of the organisations the knowledge base knows."""
    return frozenset(row["code"] for row in _rows("organizations.tsv"))


def is_identity(value: str) -> bool:
    """Whether a string is a well-formed identity (a known state or organisation code, `ORG:<name>` or `UNK`)."""
    if value == UNKNOWN or value in state_codes() or value in organisation_codes():
        return True
    return value.startswith(ORG_PREFIX) and bool(value[len(ORG_PREFIX):].strip())


def _organisation(name: str) -> str:
    return _organisations().get(name.casefold(), ORG_PREFIX + name)


def canonical(value: str) -> str:
    """An identity as the gold should write it: `ORG:<name>` of an organisation the knowledge base knows is its code."""
    if value.startswith(ORG_PREFIX):
        return _organisations().get(value[len(ORG_PREFIX):].strip().casefold(), value)
    return value


def is_group(value: str) -> bool:
    """Whether a string names an unnamed group inside a state, `SYR/REB` (a tie end)."""
    state, sep, sector = value.partition("/")
    return bool(sep) and state in state_codes() and sector.isalpha() and sector.isupper() and len(sector) == 3


def group_of(ref: ActorRef | None) -> str | None:
    """A tie end of dyad's: the identity, or `SYR/REB` for an unnamed group of a state with a sector of its own."""
    identity = identity_of(ref)
    if ref is not None and identity is not None and identity == ref.country and ref.sector \
            and ref.sector not in STATE_SECTORS:
        return f"{identity}/{ref.sector}"
    return identity


def identity_of(ref: ActorRef | None) -> str | None:
    """The identity dyad gave an actor: its organisation if it has one, else its state; None if unresolved.

    As the network's nodes (dyad.analysis.actors.node_of), members of an organisation are the organisation and a
    state's officials, forces and people are the state.
    """
    if ref is None:
        return None
    if ref.affiliation:
        return _organisation(ref.affiliation)
    if ref.country:
        return ref.country
    if ref.sector in _INTERNATIONAL and ref.name:
        return _organisation(ref.name)
    return None
