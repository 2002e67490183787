"""Label conversions between gold sets and dyad: PLV's YIELD, CASE types, PETRARCH/CAMEO codes."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from dyad.evaluate.gold import GoldTriple
from dyad.model import Event
from dyad.ontology import Ontology

__all__ = [
    "CaseType",
    "Triple",
    "cameo_country",
    "event_triple",
    "gold_triple",
    "gold_triples",
    "load_case_mapping",
    "plv_label",
]

# PLV's label set has YIELD where the PLOVER manual has two types.
_PLV_MERGED = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def plv_label(event_type: str) -> str:
    """The label PLV data uses for a PLOVER type: CONCEDE and RETREAT become YIELD, others unchanged."""
    key = event_type.strip().upper()
    return _PLV_MERGED.get(key, key)


@dataclass(frozen=True)
class CaseType:
    """One row of case2plover.tsv: a CASE 2021 type and its PLOVER type (None: no counterpart)."""

    case_type: str
    plover_type: str | None
    mode: str | None
    note: str


@functools.lru_cache(maxsize=1)
def load_case_mapping() -> dict[str, CaseType]:
    """The CASE 2021 -> PLOVER mapping shipped in dyad/evaluate/data/case2plover.tsv, by CASE type."""
    path = resources.files("dyad.evaluate").joinpath("data").joinpath("case2plover.tsv")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    if header != ["case_type", "plover_type", "mode", "note"]:
        raise ValueError(f"{path}: unexpected header {header}")
    types = set(Ontology.load().types())
    mapping: dict[str, CaseType] = {}
    for number, cells in enumerate(body, start=2):
        cells += [""] * (4 - len(cells))
        case_type, plover, mode, note = (c.strip() for c in cells[:4])
        if plover and plover not in types:
            raise ValueError(f"{path}: row {number}: {plover!r} is not a PLOVER type")
        mapping[case_type.upper()] = CaseType(case_type.upper(), plover or None, mode or None, note)
    return mapping


# PETRARCH / CAMEO


@dataclass(frozen=True)
class Triple:
    """What PETRARCH-style scoring compares: source country, target country, PLOVER type."""

    source: str | None
    target: str | None
    event_type: str

    def __str__(self) -> str:
        return f"{self.source or '-'}->{self.target or '-'} {self.event_type}"


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    # The states dyad knows (ISO 3166-1 alpha-3 plus PSE, XKX, ...): the actor knowledge base's list.
    path = resources.files("dyad.actors").joinpath("data").joinpath("countries.tsv")
    codes = set()
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        codes.add(cells[header.index("code")].strip())
    return frozenset(codes)


def cameo_country(code: str) -> str | None:
    """The country of a CAMEO actor code: its first three letters when they are a state's ISO code.

    'USAGOV' -> 'USA'; 'IGOUNO', 'IMGMUSISI', '---REB' and other non-state prefixes -> None.
    """
    prefix = code.strip().upper()[:3]
    return prefix if prefix in _iso_codes() else None


def gold_triple(triple: GoldTriple, ontology: Ontology | None = None) -> Triple | None:
    """A PETRARCH coding as a (country, country, PLOVER type) triple; None when PLOVER has no type for it.

    The event code goes through the CAMEO crosswalk by longest prefix (Ontology.from_cameo), so a
    code the crosswalk lists gets its own type ('192' occupy -> COERCE) and others get their root's
    ('1124' -> '11' -> ACCUSE). CAMEO 01 and 02 and test-only codes have no type.
    """
    ontology = ontology or Ontology.load()
    found = ontology.from_cameo(triple.cameo)
    if found is None:
        return None
    return Triple(cameo_country(triple.source_code), cameo_country(triple.target_code), found[0])


def event_triple(event: Event) -> Triple:
    """A dyad event as (actor country, recipient country, PLOVER type)."""
    recipient = event.recipient.country if event.recipient else None
    return Triple(event.actor.country, recipient, event.event_type)


def gold_triples(triples: Iterable[GoldTriple], ontology: Ontology | None = None) -> frozenset[Triple]:
    """The distinct PLOVER triples of a record's codings (codings without a PLOVER type dropped)."""
    out = (gold_triple(t, ontology) for t in triples)
    return frozenset(t for t in out if t is not None)
