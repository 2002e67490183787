"""Near-duplicate links and article fingerprints: the typed link, its rows and its statements (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import Select, select

from dyad.store.schema import article_fingerprints, article_links, articles

__all__ = [
    "ArticleLink",
    "ArticleInfo",
    "fingerprint_values",
    "link_values",
    "row_to_link",
    "select_article_info",
    "select_article_sources",
    "select_fingerprints",
    "select_links",
    "select_unfingerprinted",
]


@dataclass(frozen=True)
class ArticleLink:
    """An article not coded because it nearly duplicates a stored one (a wire copy or a rewrite)."""

    article_id: str  # the copy's own content hash
    duplicate_of: str  # the stored article it copies
    similarity: float  # estimated Jaccard similarity of their word shingles
    date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class ArticleInfo:
    """What the analysis needs to know of a stored article besides its events: when and who published it."""

    id: str
    date: date | None
    source: str | None
    url: str | None


def link_values(link: ArticleLink, linked_at: datetime) -> dict[str, Any]:
    """The `article_links` row for a link."""
    return {
        "article_id": link.article_id,
        "duplicate_of": link.duplicate_of,
        "similarity": link.similarity,
        "date": link.date,
        "title": link.title,
        "url": link.url,
        "source": link.source,
        "origin": link.origin,
        "linked_at": linked_at,
    }


def row_to_link(row: Mapping[str, Any]) -> ArticleLink:
    """An ArticleLink from an `article_links` row."""
    return ArticleLink(
        article_id=row["article_id"],
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        date=row["date"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        origin=row["origin"],
    )


def fingerprint_values(article_id: str, method: str, signature: bytes) -> dict[str, Any]:
    """The `article_fingerprints` row for one article's signature."""
    return {"article_id": article_id, "method": method, "signature": signature}


def select_links(duplicate_of: str | None = None) -> Select:
    """Links (to one stored article, or all), oldest first."""
    stmt = select(article_links)
    if duplicate_of is not None:
        stmt = stmt.where(article_links.c.duplicate_of == duplicate_of)
    return stmt.order_by(article_links.c.linked_at, article_links.c.article_id)


def select_fingerprints(method: str) -> Select:
    """(article_id, signature) of stored articles fingerprinted with `method`."""
    return (
        select(article_fingerprints.c.article_id, article_fingerprints.c.signature)
        .join(articles, articles.c.id == article_fingerprints.c.article_id)
        .where(article_fingerprints.c.method == method)
        .order_by(article_fingerprints.c.article_id)
    )


def select_unfingerprinted(method: str) -> Select:
    """(id, text) of stored articles with no signature made with `method`."""
    done = select(article_fingerprints.c.article_id).where(article_fingerprints.c.method == method)
    return select(articles.c.id, articles.c.text).where(articles.c.id.not_in(done)).order_by(articles.c.id)


def select_article_info() -> Select:
    """(id, date, source, url) of every stored article."""
    return select(articles.c.id, articles.c.date, articles.c.source, articles.c.url).order_by(articles.c.id)


def select_article_sources(ids: list[str] | None = None) -> Select:
    """(id, source) of the stored articles among `ids` (of every one when None)."""
    stmt = select(articles.c.id, articles.c.source)
    return stmt if ids is None else stmt.where(articles.c.id.in_(ids))
