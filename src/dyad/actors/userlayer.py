"""The user actor layer file: rows of a TSV that KnowledgeBase.load reads on top of the built-in data.

Columns: name, aliases, country, sector, affiliation, code, kind, role, start, end, source.
A row of kind `role` is a role noun (name: the noun, aliases: its forms, sector: what it implies, role:
title|person|group|org|honorific or empty); any other kind is an actor entry. Writing merges: rows already
in the file are not written again.
"""

from __future__ import annotations

import os
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Iterable

from dyad.actors.kb import read_tsv

__all__ = ["USER_COLUMNS", "MergeResult", "UserRow", "merge_rows", "read_rows"]


@dataclass(frozen=True)
class UserRow:
    """One row of the user layer (all cells are text; empty means none)."""

    name: str
    aliases: str = ""
    country: str = ""
    sector: str = ""
    affiliation: str = ""
    code: str = ""
    kind: str = ""
    role: str = ""
    start: str = ""
    end: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """What makes two rows the same fact: every cell but `source` (case of aliases ignored)."""
        cells = list(astuple(self)[:-1])
        cells[1] = cells[1].lower()
        return tuple(cells)


USER_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(UserRow))


@dataclass(frozen=True)
class MergeResult:
    """What writing rows into a user layer file did."""

    path: Path
    written: int
    already: int  # rows that were in the file before (or twice in the input)
    created: bool


def read_rows(path: str | Path) -> list[UserRow]:
    """The rows of an existing user layer file (unknown columns are an error)."""
    path = Path(path)
    rows = []
    for cells in read_tsv(path):
        extra = set(cells) - set(USER_COLUMNS)
        if extra or "name" not in cells:
            raise ValueError(f"{path}: not a dyad user actor file (columns {', '.join(sorted(cells))})")
        rows.append(UserRow(**{k: cells.get(k, "") for k in USER_COLUMNS}))
    return rows


def _clean(value: str) -> str:
    # a tab or newline inside a cell would break the file's rows
    return " ".join(value.split())


def merge_rows(path: str | Path, rows: Iterable[UserRow]) -> MergeResult:
    """Append the rows not yet in the file at `path` (created with a header if missing)."""
    path = Path(path)
    created = not path.exists() or path.stat().st_size == 0
    seen = set() if created else {r.key for r in read_rows(path)}
    fresh, already = [], 0
    for row in rows:
        row = UserRow(*(_clean(v) for v in astuple(row)))
        if row.key in seen:
            already += 1
            continue
        seen.add(row.key)
        fresh.append(row)
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
    needs_newline = not created and not path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if needs_newline:
            handle.write("\n")
        if created:
            handle.write("# dyad user actor layer: rows override built-in entries for the same alias "
                         "(see dyad/actors/userlayer.py)\n")
            handle.write("\t".join(USER_COLUMNS) + "\n")
        # cells hold no tabs or newlines (_clean) and the reader takes quotes literally: no quoting needed
        handle.writelines("\t".join(astuple(r)) + "\n" for r in fresh)
        handle.flush()
        os.fsync(handle.fileno())
    return MergeResult(path, len(fresh), already, created)
