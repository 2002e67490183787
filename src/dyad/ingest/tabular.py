"""Delimited tables (`.csv`, `.tsv`) with a header row, one article per row."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from dyad.model import Article, IngestError

from .options import ReadOptions
from .records import at, describe_keys, read_record

__all__ = ["read_csv", "read_tsv"]

# News bodies exceed csv's default 128 KiB field limit; the C long caps it on some platforms.
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def read_csv(
    text: str, origin: str, options: ReadOptions, delimiter: str = ","
) -> Iterator[Article | IngestError]:
    """Yield an Article per row; rows are numbered from 1 after the header (`file:row N`).

    A table without the text column yields one IngestError naming the columns it has.
    """
    csv.field_size_limit(_FIELD_LIMIT)  # process-wide, but only ever raised, never lowered
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = reader.fieldnames or []
        text_column = options.column("text")
        if text_column not in columns:
            yield IngestError(
                origin,
                f"no {text_column!r} column; the columns are {describe_keys(columns)}",
            )
            return
        for number, row in enumerate(reader, start=1):
            yield from read_record(row, at(origin, "row", number), options)
    except csv.Error as exc:
        yield IngestError(at(origin, "line", reader.line_num), f"malformed table: {exc}")


def read_tsv(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield an Article per row of a tab-separated table (quoted fields allowed, as pandas writes them)."""
    return read_csv(text, origin, options, delimiter="\t")
