"""Reading what the store holds: events, merged events, ties and their histories, articles, counts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response

from dyad.api import cursors, views
from dyad.api.answers import answer
from dyad.api.auth import ApiError
from dyad.api.common import Limit, Page, Reader, cursor_value, offset_page, services
from dyad.api.services import Services
from dyad.store import EventFilter

__all__ = ["router"]

router = APIRouter(prefix="/api", dependencies=[Reader])

Svc = Annotated[Services, Depends(services)]
Actor = Annotated[str | None, Query(description="Country code, canonical name or affiliation (any case), e.g. USA, Hamas.")]
Recipient = Annotated[str | None, Query(description="The recipient, matched as `actor`.")]
EventType = Annotated[str | None, Query(alias="type", description="PLOVER event type, e.g. CONSULT.")]
Since = Annotated[date | None, Query(description="First date (YYYY-MM-DD), inclusive.")]
Until = Annotated[date | None, Query(description="Last date (YYYY-MM-DD), inclusive.")]
Cursor = Annotated[str | None, Query(description="The `next_cursor` of the previous page.")]


@router.get("/health", summary="Whether the server and its store answer")
def health(svc: Svc) -> dict[str, Any]:
    """`{"status": "ok"}` and the database kind once the store answers a query."""
    svc.store.has_article("")
    return {"status": "ok", "database": svc.store.engine.dialect.name}


@router.get("/summary", summary="Counts of articles, events by type, ties and the most frequent dyads")
def summary(svc: Svc) -> dict[str, Any]:
    """What `dyad summary` prints."""
    return views.summary_record(svc.store.summary())


@router.get("/events", response_model=Page, summary="Coded events (one per report), filtered, by date")
async def events(svc: Svc, limit: Limit, actor: Actor = None, recipient: Recipient = None, event_type: EventType = None,
           since: Since = None, until: Until = None,
           article: Annotated[str | None, Query(description="Only the events of this article id.")] = None,
           cursor: Cursor = None) -> Response:
    """Events in the JSON lines contract plus their `id`, by date (undated last), article and sentence."""
    after = cursor_value(lambda: cursors.decode_row_key(cursor, "events")) if cursor else None
    f = EventFilter(actor, recipient, event_type.upper() if event_type else None, since, until, article)

    def page() -> bytes:
        rows = svc.store.event_page(f, after, limit + 1)
        shown = rows[:limit]
        nxt = cursors.encode("events", list(shown[-1][0])) if len(rows) > limit else None
        # Answered as built, not re-validated against Page (which only documents it): the busiest listing.
        return JSONResponse({"items": [views.event_record(e, key[3]) for key, e in shown], "next_cursor": nxt,
                             "limit": limit}).body

    # The version read is one short index read, done on the event loop so that a kept page costs no thread.
    # Not shared through the shelf: at 50 clients, its writes cost the pages more than building them twice.
    body = await answer(svc.answers, svc.version(), ("events", f, after, limit), page, svc.threads("pages"),
                        share=False)
    return Response(body, media_type="application/json")


@router.get("/merged", response_model=Page, summary="Merged events: the reports of one event across sentences and articles")
def merged(svc: Svc, limit: Limit, actor: Actor = None, recipient: Recipient = None, event_type: EventType = None,
           since: Since = None, until: Until = None,
           min_reports: Annotated[int, Query(ge=1, description="Only events with this many reports.")] = 1,
           cursor: Cursor = None) -> Page:
    """Merged events with their counts, sources and reports (see `dyad merged`)."""
    from dyad.analysis.records import merged_record

    found = svc.analysis.merged(actor, recipient, event_type.upper() if event_type else None, since, until)
    found = [m for m in found if m.num_reports >= min_reports]
    return offset_page(found, "merged", cursor, limit, merged_record)


@router.get("/ties", response_model=Page, summary="Standing ties between actors")
def ties(svc: Svc, limit: Limit, actor: Annotated[str | None, Query(description="An actor on either side.")] = None,
         kind: Annotated[str | None, Query(description="ally, hosts_military, funds, mediates, ...")] = None,
         cursor: Cursor = None) -> Page:
    """Ties in their JSON lines contract plus their `id`, by date (undated last)."""
    after = cursor_value(lambda: cursors.decode_row_key(cursor, "ties")) if cursor else None
    rows = svc.store.tie_page(actor, kind, after, limit + 1)
    shown = rows[:limit]
    nxt = cursors.encode("ties", list(shown[-1][0])) if len(rows) > limit else None
    return Page(items=[{**t.to_dict(), "id": key[3]} for key, t in shown], next_cursor=nxt, limit=limit)


@router.get("/ties/history", response_model=Page, summary="Ties over time: the reports that assert, strengthen, weaken or end each tie")
def tie_history(svc: Svc, limit: Limit, actor: Annotated[str | None, Query(description="An actor on either side.")] = None,
                kind: Annotated[str | None, Query(description="Tie kind.")] = None, until: Until = None,
                cursor: Cursor = None) -> Page:
    """One history per tie with its state now (see `dyad ties --history`)."""
    from dyad.analysis.records import history_record

    found = svc.analysis.tie_histories(actor=actor, kind=kind, until=until)
    return offset_page(found, "tie-history", cursor, limit, history_record)


@router.get("/articles", response_model=Page, summary="Stored articles, by date (undated last)")
def articles(svc: Svc, limit: Limit, cursor: Cursor = None) -> Page:
    """Articles without their text: id, date, title, url, source, origin and a snippet."""
    after = cursor_value(lambda: cursors.decode_article_key(cursor)) if cursor else None
    rows = svc.store.article_page(after, limit + 1)
    shown = rows[:limit]
    nxt = cursors.encode("articles", list(shown[-1][0])) if len(rows) > limit else None
    return Page(items=[views.article_record(a) for _, a in shown], next_cursor=nxt, limit=limit)


@router.get("/articles/{article_id}", summary="An article with its sentences, actors and events marked")
def article(svc: Svc, article_id: Annotated[str, Path(max_length=64, description="The article's id.")]) -> dict[str, Any]:
    """Each sentence cut into `segments` (plain text, actor mentions, event triggers), with its events and ties."""
    coded = svc.store.article(article_id)
    if coded is None:
        raise ApiError(404, f"no article {article_id!r} in this store")
    return views.article_view(coded)
