"""Keyset pages: the statements behind cursor pagination of events, ties and articles (pure).

A page starts after the key of the last row of the previous one, so pages stay consistent while articles are
added (an offset would skip or repeat rows). Rows are in the store's usual order: by date with undated rows
last, then article, sentence and row id (articles: by date, then id).

An events page is planned so that its cost depends on the page size, not on how rare its filter is: it is the
first rows of a union of *walks*, each an ordered index range read with a LIMIT (see `select_event_page`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Date, Integer, Select, Text, and_, bindparam, false, func, or_, select, true, union

from dyad.store.queries import EventFilter, chronological, select_articles, select_ties
from dyad.store.schema import SIDE_PARTS, articles, events, ties

__all__ = ["ArticleKey", "PageShape", "RowKey", "Side", "article_key", "count_side", "event_page_query",
           "page_statement", "row_key_of", "select_article_page", "select_tie_page"]

Side = Literal["actor", "recipient"]

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


@dataclass(frozen=True)
class PageShape:
    """What an events page statement depends on besides its values: which filters are set, the side its walks
    follow and where the cursor stands (None: no cursor, or among the `dated` or the `undated` rows)."""

    actor: bool = False
    recipient: bool = False
    event_type: bool = False
    since: bool = False
    until: bool = False
    article_id: bool = False
    lead: Side = "actor"
    after: Literal["dated", "undated"] | None = None


def _value(name: str, type_: Any = Text) -> Any:
    return bindparam(name, type_=type_)


def _lowered(side: str, name: str) -> list[ColumnElement[bool]]:
    """One indexable equality per matched column of a side: lower(column) = lower(:name)."""
    wanted = func.lower(_value(name))  # typed, so PostgreSQL picks lower(text)
    return [func.lower(events.c[f"{side}_{part}"]) == wanted for part in SIDE_PARTS]


def _walk_side(shape: PageShape) -> Side | None:
    if shape.article_id:
        return None
    if shape.actor and shape.recipient:
        return shape.lead
    return "actor" if shape.actor else "recipient" if shape.recipient else None


def _seeks(shape: PageShape) -> list[ColumnElement[bool]]:
    """The index entries the page walks, one equality per walk (the article, a side's columns, the type)."""
    side = _walk_side(shape)
    if shape.article_id:  # an article's few events, whatever else is asked
        return [events.c.article_id == _value("article_id")]
    if side is not None:
        return _lowered(side, side)
    if shape.event_type:
        return [events.c.event_type == _value("event_type")]
    return [true()]


def _conditions(shape: PageShape) -> list[ColumnElement[bool]]:
    """The filter's conditions that the walks do not already satisfy."""
    side = _walk_side(shape)
    found: list[ColumnElement[bool]] = []
    for name in ("actor", "recipient"):
        if getattr(shape, name) and name != side:
            found.append(or_(*_lowered(name, name)))
    if shape.event_type:
        found.append(events.c.event_type == _value("event_type"))
    if shape.since:
        found.append(events.c.date >= _value("since", Date))
    if shape.until:
        found.append(events.c.date <= _value("until", Date))
    if shape.article_id:
        found.append(events.c.article_id == _value("article_id"))
    return found


def _walks(shape: PageShape) -> list[tuple[ColumnElement[bool], list[Any]]]:
    """(condition, order) of the dated and the undated part of the page order after the cursor.

    Split in two because an index holds NULL dates first and the page order puts them last; each part is read in
    index order. A redundant `>=` on the leading column lets the database start the walk at the cursor.
    """
    rest = [events.c.article_id, events.c.sentence_index, events.c.id]
    key = [_value("after_article"), _value("after_sentence", Integer), _value("after_id", Integer)]
    dated: ColumnElement[bool] = events.c.date.is_not(None)
    undated: ColumnElement[bool] = events.c.date.is_(None)
    found = []
    if shape.after == "dated":
        day = _value("after_date", Date)
        later = or_(events.c.date > day, and_(events.c.date == day, _later(rest, key)))
        found.append((and_(dated, events.c.date >= day, later), [events.c.date, *rest]))
    elif shape.after is None:
        found.append((dated, [events.c.date, *rest]))
    else:  # the cursor is already among the undated rows
        undated = and_(undated, events.c.article_id >= key[0], _later(rest, key))
    if not (shape.since or shape.until):  # a date range leaves undated events out
        found.append((undated, rest))
    return found


@functools.lru_cache(maxsize=256)
def page_statement(shape: PageShape) -> Select:
    """The statement of every events page of one shape; its values are bound parameters (see `event_page_query`).

    Each walk reads one index in page order: the article's events, or lower() of one column of the lead side
    (a side matches by country, name or affiliation: three walks), else the event type, else the page index;
    dated and undated rows are walked apart. Each walk stops after `:size` matching rows, so the union holds
    the page whatever the filter, and a page costs about the same for a rare actor as for a frequent one.
    """
    size = _value("size", Integer)
    keys = [events.c.id, events.c.date, events.c.article_id, events.c.sentence_index]
    others = _conditions(shape)
    parts = [
        select(*keys).where(seek, cond, *others).order_by(*order).limit(size).subquery()
        for seek in _seeks(shape)
        for cond, order in _walks(shape)
    ]
    if not parts:
        return select(events).where(false()).limit(size)
    found = union(*[select(*p.c) for p in parts]).subquery()
    first = (
        select(found.c.id)
        .order_by(found.c.date.asc().nulls_last(), found.c.article_id, found.c.sentence_index, found.c.id)
        .limit(size)
    )
    return select(events).where(events.c.id.in_(first)).order_by(*chronological(events)).limit(size)


def event_page_query(f: EventFilter, after: RowKey | None, size: int,
                     lead: Side = "actor") -> tuple[Select, dict[str, Any]]:
    """The statement and values of at most `size` events matching `f` (its limit and offset ignored) that come
    after `after`; `lead` is the side a dyad page walks (best the one with fewer events)."""
    shape = PageShape(
        actor=f.actor is not None, recipient=f.recipient is not None, event_type=f.event_type is not None,
        since=f.since is not None, until=f.until is not None, article_id=f.article_id is not None, lead=lead,
        after=None if after is None else "dated" if after[0] is not None else "undated",
    )
    values: dict[str, Any] = {"size": size}
    values.update({k: v for k, v in (("actor", f.actor), ("recipient", f.recipient), ("event_type", f.event_type),
                                     ("since", f.since), ("until", f.until), ("article_id", f.article_id))
                   if v is not None})
    if after is not None:
        values.update(after_article=after[1], after_sentence=after[2], after_id=after[3])
        if after[0] is not None:
            values["after_date"] = after[0]
    return page_statement(shape), values


@functools.lru_cache(maxsize=2)
def count_side(side: Side) -> Select:
    """Events with `:value` in each matched column of `side` (country, name, affiliation), each counted up to
    `:cap` (short index reads); the largest of the three is close to the side's number of events, while their sum
    would count twice an actor matched by two columns (NATO as name and as affiliation)."""
    def counted(seek: ColumnElement[bool]) -> Any:
        found = select(events.c.id).where(seek).limit(_value("cap", Integer)).subquery()
        return select(func.count()).select_from(found).scalar_subquery()

    return select(*[counted(seek) for seek in _lowered(side, "value")])


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
