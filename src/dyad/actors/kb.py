"""The actor knowledge base: tab-separated data files read into one lookup object."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from dyad.model import Actor

__all__ = ["Entry", "KnowledgeBase", "Role", "parse_date"]


@dataclass(frozen=True)
class Entry:
    """One way of naming an actor: the alias, what it resolves to, and when it holds."""

    alias: str
    actor: Actor
    kind: str  # country, demonym, capital, metonym, igo, armed_group, party, media, person, ...
    role: str | None = None
    start: date | None = None
    end: date | None = None
    source: str | None = None
    layer: str = "builtin"  # builtin or user

    def holds_on(self, day: date | None) -> bool:
        """Whether a time-bounded entry (a person's term) covers the day."""
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Role:
    """A role noun or title ("emir", "protesters") and the sector it implies."""

    noun: str
    sector: str | None
    kind: str  # title, person, group, org, honorific
    source: str | None = None
    layer: str = "builtin"  # builtin or user


def fold(text: str) -> str:
    """The text without diacritics (Erdoğan -> Erdogan, Élysée -> Elysee)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")


def parse_date(text: str | None) -> date | None:
    """Read YYYY-MM-DD, YYYY-MM (first of month) or YYYY (1 January); blank is None."""
    text = (text or "").strip()
    if not text:
        return None
    parts = [int(p) for p in text.split("-")[:3]]
    while len(parts) < 3:
        parts.append(1)
    return date(*parts)


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def read_tsv(path: Path | resources.abc.Traversable) -> Iterator[dict[str, str]]:
    """Rows of a TSV data file as dicts; `#` lines are comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k}


class KnowledgeBase:
    """All aliases (lower-cased) with the entries they may name, and the role nouns."""

    def __init__(self, entries: Iterable[Entry], roles: Iterable[Role]) -> None:
        self._by_alias: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            self.add(entry)
        self.roles: dict[str, Role] = {r.noun.lower(): r for r in roles}
        self._surnames: dict[str, dict[str, list[Entry]]] | None = None  # built on first use

    def add(self, entry: Entry) -> None:
        """Add an entry; a user-layer entry hides built-in ones for the same alias.

        A name with diacritics is also known by its plain-letter spelling (Erdoğan, Erdogan).
        """
        plain = fold(entry.alias)
        if plain != entry.alias:
            self._add(replace(entry, alias=plain))
        self._add(entry)

    def _add(self, entry: Entry) -> None:
        key = entry.alias.lower()
        self._surnames = None
        bucket = self._by_alias[key]
        if entry.layer == "user":
            bucket[:] = [e for e in bucket if e.layer == "user"]
        elif any(e.layer == "user" for e in bucket):
            return
        bucket.append(entry)

    def aliases(self) -> Iterator[str]:
        """Every alias as written in the data (first spelling seen)."""
        for entries in self._by_alias.values():
            yield entries[0].alias

    def lookup(self, text: str, on: date | None = None) -> list[Entry]:
        """Entries an alias may name, those holding on the date first."""
        entries = self._by_alias.get(text.lower().strip(), [])
        return sorted(entries, key=lambda e: (not e.holds_on(on), -(e.start or date.min).toordinal()))

    def resolve(self, text: str, on: date | None = None, accept=None) -> Entry | None:
        """The best entry for an alias on a date; a person out of office becomes ELI.

        `accept(alias)` may reject entries by the alias's spelling (e.g. case: "US" but not "us").
        """
        entries = [e for e in self.lookup(text, on) if accept is None or accept(e.alias)]
        if not entries:
            return None
        best = entries[0]
        if best.kind == "person" and not best.holds_on(on):
            return replace(best, actor=replace(best.actor, sector="ELI"), role=f"former {best.role or 'official'}")
        return best

    def by_surname(self, surname: str, on: date | None = None) -> Entry | None:
        """The one person with this surname: among those in office on the date, else among all people."""
        if self._surnames is None:
            index: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
            for alias, entries in self._by_alias.items():
                for e in entries:
                    if e.kind == "person" and " " in alias:
                        index[alias.rsplit(" ", 1)[1]][e.actor.name].append(e)
            self._surnames = {k: dict(v) for k, v in index.items()}
        people = self._surnames.get(surname.lower(), {})
        in_office = {name: es for name, es in people.items() if any(e.holds_on(on) and e.start for e in es)}
        for group in (in_office, people):
            if len(group) == 1:
                (entries,) = group.values()
                return self.resolve(entries[0].alias, on)
        return None

    def role(self, noun: str) -> Role | None:
        """The role a lower-cased noun or title names, if any."""
        return self.roles.get(noun.lower())

    @classmethod
    def load(cls, user_layer: str | Path | None = None) -> "KnowledgeBase":
        """Read the built-in data files, then the user layer (if any) on top."""
        data = resources.files("dyad.actors") / "data"
        kb = cls(_builtin_entries(data), _roles(data / "roles.tsv"))
        if user_layer:
            rows = list(read_tsv(Path(user_layer)))
            for entry in _entries_from_user_file(r for r in rows if r.get("kind") != "role"):
                kb.add(entry)
            for role in _roles_from_user_file((r for r in rows if r.get("kind") == "role"), kb.roles):
                kb.roles[role.noun] = role
        return kb


def _builtin_entries(data) -> Iterator[Entry]:
    yield from _countries(data / "countries.tsv")
    yield from _metonyms(data / "metonyms.tsv")
    orgs = list(_organizations(data / "organizations.tsv"))
    yield from orgs
    # people.tsv names an organisation by its code (HAMAS); the actor carries the organisation's name
    names = {e.actor.code: e.actor.name for e in orgs if e.actor.code}
    yield from _people(data / "people.tsv", names)


def _countries(path) -> Iterator[Entry]:
    for row in read_tsv(path):
        code, name = row["code"], row["name"]
        actor = Actor(name=name, country=code, sector=None, code=code)
        for alias in [name, *_split(row.get("aliases"))]:
            yield Entry(alias, actor, "country", source=row.get("source"))
        for alias in _split(row.get("demonyms")):
            yield Entry(alias, actor, "demonym", source=row.get("source"))
        gov = replace(actor, sector="GOV", name=f"{name} government")
        for alias in _split(row.get("capital")):
            yield Entry(alias, gov, "capital", source=row.get("source"))


def _metonyms(path) -> Iterator[Entry]:
    for row in read_tsv(path):
        texts = _split(row["text"])
        actor = Actor(name=texts[0], country=row["country"] or None, sector=row["sector"] or None, code=texts[0])
        for alias in texts:
            yield Entry(alias, actor, "metonym", source=row.get("source"))


def _organizations(path) -> Iterator[Entry]:
    for row in read_tsv(path):
        actor = Actor(
            name=row["name"],
            country=row["country"] or None,
            sector=row["sector"] or None,
            affiliation=row["name"],
            code=row["code"] or None,
        )
        for alias in [row["name"], *_split(row.get("aliases"))]:
            yield Entry(alias, actor, row.get("kind") or "org", source=row.get("source"))


def _people(path, org_names: dict[str, str]) -> Iterator[Entry]:
    for row in read_tsv(path):
        affiliation = row.get("affiliation") or None
        actor = Actor(
            name=row["name"],
            country=row["country"] or None,
            sector=row["sector"] or None,
            affiliation=org_names.get(affiliation, affiliation) if affiliation else None,
            code=row["name"],
        )
        start, end = parse_date(row.get("start")), parse_date(row.get("end"))
        for alias in [row["name"], *_split(row.get("aliases"))]:
            yield Entry(alias, actor, "person", row.get("role") or None, start, end, row.get("source"))


def _roles(path) -> Iterator[Role]:
    for row in read_tsv(path):
        for noun in _split(row["noun"]):
            yield Role(noun.lower(), row.get("sector") or None, row.get("kind") or "group", row.get("source"))


def _entries_from_user_file(rows: Iterable[dict[str, str]]) -> Iterator[Entry]:
    """The user layer's actor rows (written by `dyad actors import`; columns in dyad.actors.userlayer)."""
    for row in rows:
        actor = Actor(
            name=row["name"],
            country=row.get("country") or None,
            sector=row.get("sector") or None,
            affiliation=row.get("affiliation") or None,
            code=row.get("code") or None,
        )
        start, end = parse_date(row.get("start")), parse_date(row.get("end"))
        for alias in _split(row["aliases"]) or [row["name"]]:
            yield Entry(alias, actor, row.get("kind") or "user", row.get("role") or None, start, end,
                        row.get("source"), layer="user")


def _roles_from_user_file(rows: Iterable[dict[str, str]], builtin: dict[str, Role]) -> Iterator[Role]:
    """The user layer's role rows (kind=role): each form of the noun; an empty `role` keeps the built-in kind."""
    for row in rows:
        for noun in _split(row.get("aliases")) or [row["name"]]:
            known = builtin.get(noun.lower())
            kind = row.get("role") or (known.kind if known else "person")
            yield Role(noun.lower(), row.get("sector") or None, kind, row.get("source"), layer="user")
