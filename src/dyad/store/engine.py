"""Database URLs and engines: a plain path means a SQLite file; PostgreSQL goes through psycopg."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from dyad.store.errors import StoreError

__all__ = ["MEMORY_URL", "SQLITE_PRAGMAS", "make_engine", "resolve_url", "run_pragmas"]

MEMORY_URL = "sqlite://"

# Run on every new SQLite connection: WAL lets readers (the API, the dashboard) work while a coder
# writes; foreign keys are off by default in SQLite and must be switched on per connection. Reads go through
# a memory map of up to 1 GiB of the file (no read call per page: a filtered page of events may visit thousands
# of rows) and keep up to 32 MiB of pages per connection (SQLite's default is 2 MiB).
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA mmap_size=1073741824",
                  "PRAGMA cache_size=-32768")

_POSTGRES_SCHEMES = ("postgresql", "postgres")


def resolve_url(url_or_path: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a file path, a sqlite:/// URL or a postgresql:// URL (pure; no I/O)."""
    text = os.fspath(url_or_path)
    if not text:
        raise StoreError("no database given: pass a file path or a database URL")
    if text == ":memory:":
        return MEMORY_URL
    if "://" not in text:
        return "sqlite:///" + os.path.expanduser(text)
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {text!r}") from exc
    if url.drivername in _POSTGRES_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database {url.drivername!r}: use a file path, sqlite:///... or postgresql://..."
        )
    return url.render_as_string(hide_password=False)


def run_pragmas(dbapi_connection: Any, pragmas: Sequence[str]) -> None:
    """Run constant PRAGMA statements on a new DBAPI connection (SQLite sets most of them per connection)."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in pragmas:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    run_pragmas(dbapi_connection, SQLITE_PRAGMAS)


def make_engine(url: str) -> Engine:
    """An engine for a resolved URL; it connects lazily, on first use."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            # One shared connection, or every checkout would see a new, empty in-memory database.
            engine = create_engine(
                parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    if backend == "postgresql":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"{parsed.drivername} needs its driver installed (for psycopg: pip install 'psycopg[binary]')"
            ) from exc
    raise StoreError(f"unsupported database {parsed.drivername!r}")
