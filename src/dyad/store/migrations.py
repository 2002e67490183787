"""Versioned schema migrations: a new database is created at the latest version, an older one is brought up
to it one numbered step at a time, on SQLite and PostgreSQL alike.

To change the schema: change schema.py, append a Migration whose `apply` makes an existing database look like
the new schema (idempotently: `checkfirst`), and raise SCHEMA_VERSION to its number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, insert, text, update
from sqlalchemy.schema import CreateColumn, CreateIndex

from dyad.store.errors import StoreError
from dyad.store.queries import select_meta
from dyad.store.schema import (
    SCHEMA_VERSION,
    article_fingerprints,
    article_links,
    events,
    ingest_errors,
    meta,
    metadata,
    ties,
)

__all__ = ["FIRST_VERSION", "MIGRATIONS", "Migration", "migrate"]

FIRST_VERSION = 1  # the schema of dyad's first release: articles, actors, mentions, events, ties, errors, meta

# Any constant: serialises concurrent first opens of one PostgreSQL database (two servers starting at once).
_PG_LOCK_KEY = 0x6479_6164


@dataclass(frozen=True)
class Migration:
    """One step: the version it leads to, what it changes, and the change itself."""

    version: int
    what: str
    apply: Callable[[Connection], None]


def _near_duplicate_tables(conn: Connection) -> None:
    for table in (article_links, article_fingerprints):
        table.create(conn, checkfirst=True)


def _page_indexes(conn: Connection) -> None:
    for table, name in ((events, "ix_events_page"), (ties, "ix_ties_page")):
        index = next(ix for ix in table.indexes if ix.name == name)
        index.create(conn, checkfirst=True)


def _error_kinds(conn: Connection) -> None:
    # SQLAlchemy Core has no ALTER TABLE ... ADD COLUMN; the statement is assembled from the schema's own
    # column definition and quoted names, never from input.
    column = ingest_errors.c.kind
    if column.name in {c["name"] for c in inspect(conn).get_columns(ingest_errors.name)}:
        return
    quote = conn.dialect.identifier_preparer.quote
    ddl = CreateColumn(column).compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {quote(ingest_errors.name)} ADD COLUMN {ddl}"))


def _filter_indexes(conn: Connection) -> None:
    # Every index of `events` the schema names that the database lacks: the lower() expression indexes and the
    # type page index of v5 (built once, over every stored event; minutes for millions of rows).
    # IF NOT EXISTS rather than checkfirst: reflecting an expression index only warns that it cannot.
    for index in sorted(events.indexes, key=lambda ix: ix.name or ""):
        conn.execute(CreateIndex(index, if_not_exists=True))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "near-duplicate links and article fingerprints", _near_duplicate_tables),
    Migration(3, "events and ties indexed in page order (cursor pagination)", _page_indexes),
    Migration(4, "ingest errors say whether the input was refused or coded with a note", _error_kinds),
    Migration(5, "events indexed by lower() of each actor column and by type, in page order", _filter_indexes),
)

if MIGRATIONS[-1].version != int(SCHEMA_VERSION):  # a schema change without its step would go unnoticed
    raise AssertionError(f"schema.SCHEMA_VERSION {SCHEMA_VERSION} has no migration")


def _stored_version(conn: Connection) -> str | None:
    if not inspect(conn).has_table(meta.name):
        return None
    return conn.execute(select_meta("schema_version")).scalar_one_or_none()


def migrate(conn: Connection) -> list[Migration]:
    """Create the schema in an empty database or migrate an older one, inside the caller's transaction.

    Returns the steps applied (none for a new or current database). Raises StoreError for a database of an
    unknown or newer version.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    stored = _stored_version(conn)
    latest = int(SCHEMA_VERSION)
    if stored is None:
        metadata.create_all(conn)
        conn.execute(insert(meta), {"key": "schema_version", "value": SCHEMA_VERSION})
        return []
    if not stored.isdigit() or not FIRST_VERSION <= int(stored) <= latest:
        raise StoreError(
            f"database has schema version {stored}, this dyad expects {SCHEMA_VERSION} "
            f"(and migrates from {FIRST_VERSION} up)"
        )
    steps = [m for m in MIGRATIONS if m.version > int(stored)]
    for step in steps:
        step.apply(conn)
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=str(step.version)))
    return steps
