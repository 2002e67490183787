"""One record (a JSON object or a CSV row) to an Article, through the column mapping."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from dyad.model import NOTE, Article, IngestError

from .dates import parse_date
from .options import ReadOptions

__all__ = ["EMPTY_TEXT", "at", "date_note", "describe_keys", "read_record", "record_to_article"]

EMPTY_TEXT = "empty text"
_SHOWN = 40  # characters of a bad value quoted in a note


def at(origin: str, unit: str, number: int) -> str:
    """The origin of one record in a multi-record file, e.g. `news.csv:row 3`."""
    return f"{origin}:{unit} {number}"


def describe_keys(keys: Iterable[object]) -> str:
    """A readable list of column or key names (quoted, so an empty name shows)."""
    names = [repr(str(k)) for k in keys if k is not None]
    return ", ".join(names) if names else "none"


def date_note(origin: str, raw: object) -> IngestError | None:
    """A note when a date value is given but names no day (the article is kept, undated); None otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or parse_date(raw) is not None:
        return None
    shown = str(raw) if isinstance(raw, (str, int, float)) else f"a JSON {type(raw).__name__}"
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    return IngestError(origin, f"date {shown!r} not understood: dropped", NOTE)


def read_record(record: Mapping[str, object], origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """The record's Article (or the IngestError refusing it), after a note for a date that names no day."""
    found = record_to_article(record, origin, options)
    if isinstance(found, Article):
        note = date_note(origin, record.get(options.column("date")))
        if note is not None:
            yield note
    yield found


def record_to_article(
    record: Mapping[str, object], origin: str, options: ReadOptions
) -> Article | IngestError:
    """Build an Article from a record's text/date/title/url/source (mapped by options.columns).

    The record's date wins, else options.date; the record's source wins, else options.source.
    Keys other than the mapped ones are ignored.
    """
    text_key = options.column("text")
    if text_key not in record:
        return IngestError(
            origin, f"no {text_key!r} field; the record has {describe_keys(record)}"
        )
    text = record[text_key]
    if text is not None and not isinstance(text, str):
        return IngestError(
            origin, f"the {text_key!r} field is a {type(text).__name__}, not a string"
        )
    text = (text or "").strip()
    if not text:
        return IngestError(origin, EMPTY_TEXT)
    return Article.make(
        text,
        date=parse_date(record.get(options.column("date"))) or options.date,
        title=_optional(record.get(options.column("title"))),
        url=_optional(record.get(options.column("url"))),
        source=_optional(record.get(options.column("source"))) or options.source,
        origin=origin,
    )


def _optional(value: object) -> str | None:
    """A stripped string for a scalar value; None for missing, empty or structured values."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None
