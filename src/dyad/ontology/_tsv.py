"""Read dyad's tab-separated data files: a header row, `#` comment lines, and rows that know their line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One data row of a TSV file, with where it came from for error messages."""

    source: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        """The stripped text of a column ('' when empty)."""
        return self.values[column]

    def error(self, message: str) -> ValueError:
        """A ValueError that names the file and line of this row."""
        return ValueError(f"{self.source}:{self.line}: {message}")

    def optional(self, column: str) -> str | None:
        """The column's text, or None when it is empty."""
        return self.values[column] or None

    def number(self, column: str) -> float:
        """The column parsed as a float; an empty column is an error."""
        value = self.optional_number(column)
        if value is None:
            raise self.error(f"column {column!r} is empty")
        return value

    def optional_number(self, column: str) -> float | None:
        """The column parsed as a float, or None when it is empty."""
        text = self.values[column]
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise self.error(f"column {column!r} is not a number: {text!r}") from None


def read_rows(text: str, source: str, columns: tuple[str, ...]) -> Iterator[Row]:
    """Yield the rows of `text` after checking its header is exactly `columns`.

    Blank lines and lines starting with `#` are skipped. Rows may omit trailing empty fields
    (editors strip trailing tabs) but may not have more fields than the header.
    """
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in raw.split("\t")]
        if not header_seen:
            if tuple(fields) != columns:
                raise ValueError(
                    f"{source}:{number}: header is {'|'.join(fields)!r}, expected {'|'.join(columns)!r}"
                )
            header_seen = True
            continue
        if len(fields) > len(columns):
            raise ValueError(f"{source}:{number}: {len(fields)} fields, the header has {len(columns)}")
        fields += [""] * (len(columns) - len(fields))
        yield Row(source, number, dict(zip(columns, fields)))
    if not header_seen:
        raise ValueError(f"{source}: no header row")
