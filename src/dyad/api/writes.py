"""Writing: POST articles (one JSON object, a JSON array, or JSON lines) to be coded and stored."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from dyad.api.auth import ApiError, require_writer
from dyad.api.common import services
from dyad.api.services import Services
from dyad.ingest.clean import checked
from dyad.ingest.records import read_record
from dyad.ingest.options import ReadOptions
from dyad.model import Article, IngestError

__all__ = ["ArticleIn", "parse_body", "router"]

router = APIRouter(prefix="/api")

ORIGIN = "api"


class ArticleIn(BaseModel):
    """One article to code: only `text` is required; other keys are ignored."""

    text: str = Field(min_length=1, description="The article's text.")
    date: str | None = Field(None, description="Publication date, e.g. 2024-03-04.")
    title: str | None = None
    url: str | None = None
    source: str | None = Field(None, description="The outlet, e.g. Reuters.")


_ONE = ArticleIn.model_json_schema()
_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"oneOf": [_ONE, {"type": "array", "items": _ONE}]}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "One such JSON object per line."}},
        },
    }
}


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the request body is {int(declared)} bytes; this server takes at most {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"the request body is over {limit} bytes, the most this server takes")
    return bytes(body)


def parse_body(body: bytes, max_batch: int) -> list[Article | IngestError]:
    """The articles of a body (JSON object, JSON array or JSON lines), a bad record becoming an IngestError.

    Articles are repaired as files are (see dyad.ingest.clean); each repair is a note (an IngestError of kind
    `note`) just before its article."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the body is not UTF-8 (byte {exc.start})") from exc
    if not text.strip():
        raise ApiError(400, 'the body is empty: send {"text": "..."} or JSON lines')
    try:
        whole = json.loads(text)
        records = whole if isinstance(whole, list) else [whole]
    except json.JSONDecodeError as exc:
        if len(text.strip().splitlines()) == 1:
            raise ApiError(400, f"the body is not JSON: {exc}") from exc
        records = _json_lines(text)
    except RecursionError as exc:
        raise ApiError(400, "the body nests too deeply") from exc
    if len(records) > max_batch:
        raise ApiError(413, f"{len(records)} articles in one request; this server takes at most {max_batch}")
    if not records:
        raise ApiError(400, "the body holds no article")
    out: list[Article | IngestError] = []
    for n, record in enumerate(records, start=1):
        origin = f"{ORIGIN}:article {n}"
        if isinstance(record, IngestError):
            out.append(record)
        elif not isinstance(record, dict):
            out.append(IngestError(origin, f"a JSON {type(record).__name__}, not an object with a 'text' field"))
        else:
            out.extend(read_record(record, origin, ReadOptions()))
    return list(checked(out))


def _json_lines(text: str) -> list[Any]:
    records: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except (ValueError, RecursionError) as exc:
            records.append(IngestError(f"{ORIGIN}:article {len(records) + 1}", f"line {number} is not JSON: {exc}"))
    return records


def _statuses(items: list[Article | IngestError], report) -> list[dict[str, Any]]:
    coded = {c.article.id: c for c in report.coded}
    linked = {link.article_id: link for link in report.links}
    refused = {e.origin: e.reason for e in report.refused}
    notes: dict[str, list[str]] = {}
    for e in [*items, *report.notes]:
        if isinstance(e, IngestError) and not e.refused:
            notes.setdefault(e.origin, []).append(e.reason)
    out = []
    for n, item in enumerate((i for i in items if isinstance(i, Article) or i.refused), start=1):
        if isinstance(item, IngestError):
            out.append({"index": n, "id": None, "status": "refused", "reason": item.reason})
            continue
        row: dict[str, Any] = {"index": n, "id": item.id}
        if item.origin in notes:
            row["notes"] = notes.pop(item.origin)
        if item.origin in refused:
            row.update(status="refused", reason=refused.pop(item.origin))
        elif item.id in coded:
            c = coded.pop(item.id)
            row.update(status="stored", events=len(c.events), ties=len(c.ties))
        elif item.id in linked:
            link = linked[item.id]
            row.update(status="near duplicate", duplicate_of=link.duplicate_of, similarity=link.similarity)
        else:
            row.update(status="already stored")
        out.append(row)
    return out


@router.post("/articles", dependencies=[Depends(require_writer)], openapi_extra=_BODY_DOC, status_code=201,
             summary="Code articles and store them (needs an API key)")
async def post_articles(request: Request, svc: Annotated[Services, Depends(services)]) -> JSONResponse:
    """Code and store one article (a JSON object), several (a JSON array) or JSON lines.

    Answers 201 when something was stored, 200 when everything was known already, and 422 when no article in
    the body could be read; each article's fate is in `articles`: stored, already stored, near duplicate
    (linked to the article it copies) or refused (with the reason).
    """
    items = parse_body(await _read_limited(request, svc.settings.max_body_bytes), svc.settings.max_batch)
    if not any(isinstance(i, Article) for i in items):
        reasons = [i.reason for i in items if isinstance(i, IngestError) and i.refused]
        raise ApiError(422, f"no article could be read: {reasons[0]}" + (f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""))
    report = await run_in_threadpool(_code, svc, items)
    rows = _statuses(items, report)
    result = {"read": len(rows), "stored": report.stored, "already_stored": report.duplicates,
              "near_duplicates": report.near_duplicates,
              "refused": sum(1 for r in rows if r["status"] == "refused"),
              "events": report.events, "ties": report.ties, "articles": rows}
    return JSONResponse(result, status_code=201 if report.stored else 200)


def _code(svc: Services, items: list[Article | IngestError]):
    from dyad.pipeline import code_articles

    articles = [i for i in items if isinstance(i, Article)]
    coder, store = svc.coder, svc.store
    with svc.coding:  # refusals and notes stay in the answer, not in the error table
        return code_articles(articles, store, coder, keep=True, record_errors=False)
