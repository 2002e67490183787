"""Keyset pages: the statements behind cursor pagination of events, ties and articles (pure).

A page starts after the key of the last row of the previous one, so pages stay consistent while articles are
added (an offset would skip or repeat rows). Rows are in the store's usual order: by date with undated rows
last, then article, sentence and row id (articles: by date, then id).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_

from dyad.store.queries import EventFilter, select_articles, select_events, select_ties
from dyad.store.schema import articles, events, ties

__all__ = ["ArticleKey", "RowKey", "article_key", "row_key_of", "select_article_page", "select_event_page",
           "select_tie_page"]

# (date, article id, sentence index, row id) of an event or tie; (date, id) of an article.
RowKey = tuple[date | None, str, int, int]
ArticleKey = tuple[date | None, str]


def _later(columns: list[Any], values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows after `values` in ascending order of non-null `columns` (a row-value comparison, spelled out)."""
    if not columns:
        return false()
    head, value = columns[0], values[0]
    return or_(head > value, and_(head == value, _later(columns[1:], values[1:])))


def _after(day_column: Any, rest: list[Any], key: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows after `key` when the first column is a nullable date sorted NULLS LAST."""
    day, tail = key[0], key[1:]
    if day is None:
        return and_(day_column.is_(None), _later(rest, tail))
    return or_(day_column > day, day_column.is_(None), and_(day_column == day, _later(rest, tail)))


def select_event_page(f: EventFilter, after: RowKey | None, size: int) -> Select:
    """At most `size` events matching `f` (its limit and offset ignored) that come after `after`."""
    stmt = select_events(replace(f, limit=None, offset=0))
    if after is not None:
        stmt = stmt.where(_after(events.c.date, [events.c.article_id, events.c.sentence_index, events.c.id], after))
    return stmt.limit(size)


def select_tie_page(actor: str | None, kind: str | None, after: RowKey | None, size: int) -> Select:
    """At most `size` ties (as `select_ties`) that come after `after`."""
    stmt = select_ties(actor, kind)
    if after is not None:
        stmt = stmt.where(_after(ties.c.date, [ties.c.article_id, ties.c.sentence_index, ties.c.id], after))
    return stmt.limit(size)


def select_article_page(after: ArticleKey | None, size: int) -> Select:
    """At most `size` articles that come after `after`."""
    stmt = select_articles()
    if after is not None:
        stmt = stmt.where(_after(articles.c.date, [articles.c.id], after))
    return stmt.limit(size)


def row_key_of(row: Any) -> RowKey:
    """The page key of an event or tie row."""
    return row["date"], row["article_id"], row["sentence_index"], row["id"]


def article_key(row: Any) -> ArticleKey:
    """The page key of an article row."""
    return row["date"], row["id"]
