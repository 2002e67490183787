"""How to read inputs: default date, column names, source label."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = ["FIELDS", "ReadOptions"]

# The Article fields a record (JSON line, CSV row) can fill.
FIELDS = ("text", "date", "title", "url", "source")


@dataclass(frozen=True)
class ReadOptions:
    """Settings shared by every reader.

    `date` is given to texts and records that carry no date of their own.
    `columns` maps our field names (text, date, title, url, source) to the input's
    column or key names; a field not in it is looked up under its own name.
    `source` labels articles whose record names no source.
    `today` is the day dates are checked against (a date after it plus a day is dropped); None: the real today.
    """

    date: date | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None
    today: date | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise ValueError(
                f"unknown field(s) in columns: {', '.join(unknown)}; "
                f"known fields are {', '.join(FIELDS)}"
            )

    def column(self, name: str) -> str:
        """The input's column or key name for one of our FIELDS."""
        return self.columns.get(name, name)
