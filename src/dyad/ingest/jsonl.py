"""JSON lines (`.jsonl`, `.ndjson`): one JSON object per line, one article per object."""

from __future__ import annotations

import json
from collections.abc import Iterator

from dyad.model import Article, IngestError

from .options import ReadOptions
from .records import at, read_record

__all__ = ["read_jsonl"]


def read_jsonl(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield an Article per JSON object line; a bad line yields an IngestError at `file:line N`.

    Blank lines are skipped; the other lines go on after a bad one.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = at(origin, "line", number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:
            yield IngestError(where, f"invalid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield IngestError(
                where, f"the line is a JSON {type(record).__name__}, not an object"
            )
            continue
        yield from read_record(record, where, options)
