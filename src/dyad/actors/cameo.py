"""CAMEO actor codes (USAGOV, IGOUNOKID, TMPGOV, ---REB) read as dyad's country, PLOVER sector and affiliation.

The knowledge is in three data files (cameo_countries.tsv, cameo_sectors.tsv, cameo_organizations.tsv)
plus countries.tsv and organizations.tsv; this module only applies them. A code is read in 3-letter parts:
a country part (an ISO code, or a special CAMEO code), then role, religion and organisation parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from dyad.actors.kb import read_tsv

__all__ = ["CameoActor", "CameoCodes"]


@dataclass(frozen=True)
class CameoActor:
    """What a CAMEO actor code says in dyad's terms."""

    code: str
    country: str | None  # ISO 3166-1 alpha-3 (former states keep their withdrawn code: SUN, DDR, YUG ...)
    sector: str | None  # PLOVER sector (IGO/NGO for international bodies)
    affiliation: str | None = None  # name of the organisation an IGO/NGO/IMG part names
    sectors: tuple[str, ...] = ()  # PLOVER sectors of every role part, in code order
    unknown: tuple[str, ...] = ()  # parts no data file explains (ethnic groups, typos, private codes)

    @property
    def empty(self) -> bool:
        """Whether the code says nothing dyad can use (no country, sector or affiliation)."""
        return not (self.country or self.sector or self.affiliation)


@dataclass(frozen=True)
class _Special:
    iso3: str | None
    kind: str  # state, territory, former, region, transnational


@dataclass(frozen=True)
class _Sector:
    sector: str | None  # None: a known part that implies no sector (DEV)
    primary: bool


class CameoCodes:
    """Reads CAMEO actor codes with dyad's mapping tables; build it with `load()`."""

    def __init__(self, states: frozenset[str], special: dict[str, _Special], sectors: dict[str, _Sector],
                 orgs: dict[str, str]) -> None:
        self.states = states
        self.special = special
        self.sectors = sectors
        self.orgs = orgs

    @classmethod
    def load(cls) -> "CameoCodes":
        """Read the mapping tables shipped in dyad/actors/data."""
        data = resources.files("dyad.actors") / "data"
        states = frozenset(row["code"] for row in read_tsv(data / "countries.tsv"))
        special = {row["cameo"]: _Special(row["iso3"] or None, row["kind"])
                   for row in read_tsv(data / "cameo_countries.tsv")}
        sectors = {row["cameo"]: _Sector(row["sector"] or None, row["rank"] == "primary")
                   for row in read_tsv(data / "cameo_sectors.tsv")}
        org_names = {row["code"]: row["name"] for row in read_tsv(data / "organizations.tsv")}
        orgs = {}
        for row in read_tsv(data / "cameo_organizations.tsv"):
            if row["org"] not in org_names:
                raise ValueError(f"cameo_organizations.tsv: {row['cameo']}: no organisation {row['org']!r}")
            orgs[row["cameo"]] = org_names[row["org"]]
        for code, spec in special.items():
            if spec.kind in {"state", "territory"} and spec.iso3 not in states:
                raise ValueError(f"cameo_countries.tsv: {code}: {spec.iso3!r} is not in countries.tsv")
        return cls(states, special, sectors, orgs)

    def country(self, part: str) -> tuple[str | None, str] | None:
        """(ISO code or None, kind) when a 3-letter part is in the country position's vocabulary."""
        if part in self.states:
            return part, "state"
        spec = self.special.get(part)
        return (spec.iso3, spec.kind) if spec else None

    def parse(self, code: str) -> CameoActor:
        """Read one CAMEO actor code ('USAGOV', 'IGOUNOKID', 'SUNRUS', '---REB')."""
        code = code.strip().upper()
        parts = [code[i:i + 3] for i in range(0, len(code), 3)]
        country: str | None = None
        former = open_country = False
        first = self.country(parts[0]) if parts else None
        if first is not None:
            country, kind = first
            former = kind == "former"
            open_country = kind in {"region", "transnational"}
            parts = parts[1:]
        else:
            open_country = True  # IGO, NGO, MNC, IMG ... may be followed by a base country (MNCUSA)
        primary: list[str] = []
        secondary: list[str] = []
        ordered: list[str] = []
        affiliation = None
        unknown: list[str] = []
        i = 0
        while i < len(parts):
            part = parts[i]
            pair = self.sectors.get(part + parts[i + 1]) if i + 1 < len(parts) else None
            if pair is not None and pair.sector:
                (primary if pair.primary else secondary).append(pair.sector)
                ordered.append(pair.sector)
                i += 2
                continue
            # after the first part, role and religion codes win over country codes (IMGMUS: Muslim, not Mauritius)
            place = None if part in self.sectors else self.country(part)
            if place is not None and place[1] in {"state", "territory", "former"} and (former or open_country):
                # the republic of a former union (SUNRUS), or the base of an NGO/MNC (NGOUSA)
                country, former, open_country = place[0], place[1] == "former", False
            elif part in self.sectors:
                found = self.sectors[part]
                if found.sector:
                    (primary if found.primary else secondary).append(found.sector)
                    ordered.append(found.sector)
            elif part in self.orgs:
                affiliation = self.orgs[part]
            elif place is None:
                unknown.append(part)
            # else: a dependency after its state (USAASM): PLOVER folds it into the state
            i += 1
        sector = (primary or secondary or [None])[0]
        return CameoActor(code, country, sector, affiliation, tuple(ordered), tuple(unknown))
