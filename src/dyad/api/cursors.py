"""Opaque page cursors: a row key (or a position in a computed list) as URL-safe base64 JSON (pure)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

from dyad.store.pages import ArticleKey, RowKey

__all__ = ["CursorError", "decode_article_key", "decode_offset", "decode_row_key", "encode"]


class CursorError(ValueError):
    """A cursor that this server did not hand out."""


def encode(kind: str, values: list[Any]) -> str:
    """A cursor for `values` (dates as ISO text), tagged with the listing it belongs to."""
    raw = json.dumps([kind, *[v.isoformat() if isinstance(v, date) else v for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def _decode(cursor: str, kind: str, types: tuple[type, ...]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError("the cursor is not one this server handed out") from exc
    if not isinstance(data, list) or len(data) != len(types) + 1 or data[0] != kind:
        raise CursorError(f"the cursor does not belong to this listing ({kind})")
    values = data[1:]
    for value, want in zip(values, types, strict=True):
        # bool is an int in Python; a cursor never holds one.
        if isinstance(value, bool) or not isinstance(value, want):
            raise CursorError("the cursor is not one this server handed out")
    return values


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CursorError("the cursor is not one this server handed out") from exc


def decode_row_key(cursor: str, kind: str) -> RowKey:
    """The (date, article id, sentence, row id) key of an event or tie cursor."""
    day, article_id, sentence, row_id = _decode(cursor, kind, ((str, type(None)), str, int, int))
    return _day(day), article_id, sentence, row_id


def decode_article_key(cursor: str) -> ArticleKey:
    """The (date, id) key of an article cursor."""
    day, article_id = _decode(cursor, "articles", ((str, type(None)), str))
    return _day(day), article_id


def decode_offset(cursor: str, kind: str) -> int:
    """The position in a computed listing (merged events, tie histories)."""
    (offset,) = _decode(cursor, kind, (int,))
    if offset < 0:
        raise CursorError("the cursor is not one this server handed out")
    return offset
