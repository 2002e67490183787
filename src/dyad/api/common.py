"""Pieces every router uses: the shared services, page sizes, cursors and pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from dyad.api import cursors
from dyad.api.auth import ApiError, require_reader
from dyad.api.services import Services

__all__ = ["Limit", "Page", "Reader", "cursor_value", "offset_page", "services"]

_T = TypeVar("_T")


# The dependencies are `async def` although they do no I/O: FastAPI runs a plain `def` dependency in its thread
# pool, a hop per dependency per request, which under load costs more than the work itself.


async def services(request: Request) -> Services:
    """The app's shared services."""
    return request.app.state.services


async def page_size(request: Request,
                    limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None) -> int:
    """The page size asked for, the default one, or 400 when it is above the server's largest page."""
    s = request.app.state.services.settings
    if limit is None:
        return s.page_size
    if limit > s.max_page_size:
        raise ApiError(400, f"limit {limit} is above the largest page this server gives ({s.max_page_size})")
    return limit


Limit = Annotated[int, Depends(page_size)]
Reader = Depends(require_reader)


class Page(BaseModel):
    """One page of a listing; pass `next_cursor` as `cursor` for the next one (null: this was the last)."""

    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Cursor of the next page, or null after the last page.")
    limit: int


def cursor_value(decode: Callable[[], _T]) -> _T:
    """Decode a cursor, answering 400 for one this server did not hand out."""
    try:
        return decode()
    except cursors.CursorError as exc:
        raise ApiError(400, str(exc)) from exc


def offset_page(items: Sequence[Any], kind: str, cursor: str | None, limit: int,
                record: Callable[[Any], dict[str, Any]]) -> Page:
    """A page of a list computed in full (merged events, tie histories), its cursor a position in the list."""
    start = cursor_value(lambda: cursors.decode_offset(cursor, kind)) if cursor else 0
    chunk = items[start : start + limit]
    end = start + len(chunk)
    return Page(items=[record(x) for x in chunk], limit=limit,
                next_cursor=cursors.encode(kind, [end]) if end < len(items) else None)
