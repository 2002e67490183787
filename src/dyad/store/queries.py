"""The store's statements, built as SQLAlchemy Core expressions; pure, so they can be compiled and
inspected for either dialect without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, Table, Text, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from dyad.store.errors import StoreError
from dyad.store.schema import actors, article_links, articles, events, ingest_errors, mentions, meta, ties

__all__ = [
    "EventFilter",
    "chronological",
    "event_conditions",
    "count_errors",
    "count_rows",
    "events_by_type",
    "insert_ignore",
    "select_version",
    "select_actor_ids",
    "select_article",
    "select_article_events",
    "select_article_mentions",
    "select_article_ties",
    "select_articles",
    "select_errors",
    "select_events",
    "select_known_ids",
    "select_meta",
    "select_ties",
    "top_dyads",
]


@dataclass(frozen=True)
class EventFilter:
    """Which events to return: every field that is not None narrows the result."""

    actor: str | None = None
    recipient: str | None = None
    event_type: str | None = None
    since: date | None = None
    until: date | None = None
    article_id: str | None = None
    limit: int | None = None
    offset: int = 0


def insert_ignore(table: Table, dialect_name: str, *conflict_columns: str) -> Insert:
    """INSERT that silently skips a row whose `conflict_columns` are already taken."""
    if dialect_name == "sqlite":
        stmt = sqlite.insert(table)
    elif dialect_name == "postgresql":
        stmt = postgresql.insert(table)
    else:
        raise StoreError(f"unsupported database dialect {dialect_name!r}")
    # Callers read rowcount to learn whether the row was new; only SQLite's driver keeps it without asking.
    return stmt.on_conflict_do_nothing(index_elements=list(conflict_columns)).execution_options(
        preserve_rowcount=True
    )


def _side_matches(table: Table, prefix: str, value: str) -> ColumnElement[bool]:
    """The actor on one side is `value` by country code, canonical name or affiliation (any case).

    lower() on both sides keeps the comparison inside one database's rules; note that SQLite's
    built-in lower() folds ASCII letters only.
    """
    wanted = func.lower(literal(value, Text))  # typed, so PostgreSQL picks lower(text)
    return or_(
        func.lower(table.c[f"{prefix}_country"]) == wanted,
        func.lower(table.c[f"{prefix}_name"]) == wanted,
        func.lower(table.c[f"{prefix}_affiliation"]) == wanted,
    )


def chronological(table: Table) -> list[ColumnElement]:
    """The page order of events and ties: by date (undated last), article, sentence, row id."""
    # NULLS LAST spelled out: SQLite and PostgreSQL put NULL at opposite ends by default.
    return [
        table.c.date.asc().nulls_last(),
        table.c.article_id,
        table.c.sentence_index,
        table.c.id,
    ]


def event_conditions(f: EventFilter, skip: str | None = None) -> list[ColumnElement[bool]]:
    """The conditions of a filter (limit and offset aside); `skip` leaves out one side's match."""
    found = []
    if f.actor is not None and skip != "actor":
        found.append(_side_matches(events, "actor", f.actor))
    if f.recipient is not None and skip != "recipient":
        found.append(_side_matches(events, "recipient", f.recipient))
    if f.event_type is not None:
        found.append(events.c.event_type == f.event_type)
    if f.since is not None:
        found.append(events.c.date >= f.since)
    if f.until is not None:
        found.append(events.c.date <= f.until)
    if f.article_id is not None:
        found.append(events.c.article_id == f.article_id)
    return found


def select_events(f: EventFilter, lead: str | None = None) -> Select:
    """Events matching a filter, by date (undated last), article, sentence.

    `lead` ('actor' or 'recipient', a side the filter names) looks that side up first, in a subquery over its
    indexes: for a whole answer, SQLite otherwise walks the date index over every event to save one sort.
    """
    conditions = event_conditions(f, skip=lead)
    if lead is not None:
        value = f.actor if lead == "actor" else f.recipient
        assert value is not None, "lead with a side the filter names"
        conditions.append(events.c.id.in_(select(events.c.id).where(_side_matches(events, lead, value))))
    stmt = select(events).where(*conditions).order_by(*chronological(events))
    if f.limit is not None:
        stmt = stmt.limit(f.limit)
    if f.offset:
        stmt = stmt.offset(f.offset)
    return stmt


def select_ties(actor: str | None = None, kind: str | None = None) -> Select:
    """Ties with `actor` on either side and of `kind`, by date (undated last), article, sentence."""
    stmt = select(ties)
    if actor is not None:
        stmt = stmt.where(or_(_side_matches(ties, "a", actor), _side_matches(ties, "b", actor)))
    if kind is not None:
        stmt = stmt.where(ties.c.kind == kind)
    return stmt.order_by(*chronological(ties))


def select_known_ids(ids: list[str]) -> Select:
    """The ids among `ids` that are stored articles."""
    return select(articles.c.id).where(articles.c.id.in_(ids))


def select_article(article_id: str) -> Select:
    """One article row."""
    return select(articles).where(articles.c.id == article_id)


def select_articles(limit: int | None = None, offset: int = 0) -> Select:
    """Article rows by date (undated last), then id."""
    stmt = select(articles).order_by(articles.c.date.asc().nulls_last(), articles.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return stmt


def select_article_mentions(article_id: str) -> Select:
    """An article's mentions joined with their actors (labelled `actor_*`), in saved order."""
    return (
        select(
            mentions,
            actors.c.name.label("actor_name"),
            actors.c.country.label("actor_country"),
            actors.c.sector.label("actor_sector"),
            actors.c.affiliation.label("actor_affiliation"),
            actors.c.code.label("actor_code"),
        )
        .join(actors, mentions.c.actor_id == actors.c.id)
        .where(mentions.c.article_id == article_id)
        .order_by(mentions.c.id)
    )


def select_article_events(article_id: str) -> Select:
    """An article's events in saved order."""
    return select(events).where(events.c.article_id == article_id).order_by(events.c.id)


def select_article_ties(article_id: str) -> Select:
    """An article's ties in saved order."""
    return select(ties).where(ties.c.article_id == article_id).order_by(ties.c.id)


def select_actor_ids(keys: list[str]) -> Select:
    """(key, id) of the stored actors with these keys."""
    return select(actors.c.key, actors.c.id).where(actors.c.key.in_(keys))


def select_errors() -> Select:
    """Ingest errors in the order they were first recorded."""
    return select(ingest_errors).order_by(ingest_errors.c.id)


def count_errors(kind: str) -> Select:
    """Number of ingest errors of one kind (`refused` or `note`)."""
    return select(func.count()).select_from(ingest_errors).where(ingest_errors.c.kind == kind)


def select_meta(key: str) -> Select:
    """The value stored under `key` in `meta`."""
    return select(meta.c.value).where(meta.c.key == key)


def select_version() -> Select:
    """The newest event id, the newest tie id (0 when none) and the number of near-duplicate links."""
    newest = [select(func.coalesce(func.max(t.c.id), 0)).scalar_subquery() for t in (events, ties)]
    links = select(func.count()).select_from(article_links).scalar_subquery()
    return select(*newest, links)


def count_rows(table: Table) -> Select:
    """Number of rows in a table."""
    return select(func.count()).select_from(table)


def events_by_type() -> Select:
    """(event_type, count) pairs, most frequent first."""
    n = func.count().label("n")
    return (
        select(events.c.event_type, n)
        .group_by(events.c.event_type)
        .order_by(n.desc(), events.c.event_type)
    )


def top_dyads(limit: int = 10) -> Select:
    """((actor, recipient), count) for events with a recipient; each side named by country,
    else canonical name, else the text as written."""
    actor = func.coalesce(events.c.actor_country, events.c.actor_name, events.c.actor_text)
    recipient = func.coalesce(
        events.c.recipient_country, events.c.recipient_name, events.c.recipient_text
    )
    a, r, n = actor.label("actor"), recipient.label("recipient"), func.count().label("n")
    return (
        select(a, r, n)
        .where(events.c.recipient_text.is_not(None))
        .group_by(actor, recipient)
        .order_by(n.desc(), actor, recipient)
        .limit(limit)
    )
