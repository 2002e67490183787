"""Which network node an actor reference stands for, and how to name nodes and pairs for people."""

from __future__ import annotations

import functools
from importlib import resources

from dyad.model import ActorRef

__all__ = ["country_names", "matches", "node_name", "node_of", "pair_label", "sort_pair"]

# Codes that name international actors rather than sectors inside a state (PLOVER's non-state table).
_INTERNATIONAL = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})


def node_of(ref: ActorRef | None) -> str | None:
    """The node an actor stands for: its organisation if it has one, else its country, else an IGO's name.

    A state's officials, forces and people collapse into the state (Blinken -> USA); members of an armed
    group or an international body stay with it (Hamas leaders -> Hamas). None when the actor is
    unresolved or generic ("police", "protesters" with no country).
    """
    if ref is None:
        return None
    if ref.affiliation:
        return ref.affiliation
    if ref.country:
        return ref.country
    if ref.sector in _INTERNATIONAL and ref.name:
        return ref.name
    return None


def matches(ref: ActorRef | None, wanted: str) -> bool:
    """Whether a reference is `wanted` by country code, name or affiliation, ignoring case (as the store filters)."""
    if ref is None:
        return False
    want = wanted.casefold()
    return any(v is not None and v.casefold() == want for v in (ref.country, ref.name, ref.affiliation))


def _is_country(node: str) -> bool:
    return len(node) == 3 and node.isascii() and node.isupper()


def sort_pair(a: str, b: str) -> tuple[str, str]:
    """A pair in reading order: states (by code) before organisations, then alphabetically."""
    return tuple(sorted((a, b), key=lambda n: (not _is_country(n), n.casefold())))  # type: ignore[return-value]


def pair_label(a: str, b: str) -> str:
    """`USA-Hamas`: the pair in reading order."""
    first, second = sort_pair(a, b)
    return f"{first}-{second}"


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> canonical English name, from the actor knowledge base's countries.tsv (read once)."""
    from dyad.actors.kb import read_tsv

    path = resources.files("dyad.actors").joinpath("data").joinpath("countries.tsv")
    return {row["code"]: row["name"] for row in read_tsv(path)}


def node_name(node: str) -> str:
    """A node's name for people: the country's name for a state code, else the node itself."""
    return country_names().get(node, node) if _is_country(node) else node
