"""Answers shared by the server's processes and kept across restarts: a small SQLite file beside the store.

`AnswerCache` keeps answers in one process's memory. With `dyad serve --workers N` each process would compute
every answer again, and an analysis that takes a minute at a million events would be computed N times at once.
The shelf keeps the answer bytes of the store's current version in one file that every process reads; a process
about to compute an answer first takes a lock on it (a byte range of a lock file, by the answer's key), so the
others wait for its result instead of computing it too. Answers of older versions are dropped as soon as a newer
version is seen. The file is a cache: deleting it loses nothing but time.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from sqlalchemy import (Column, Integer, LargeBinary, MetaData, String, Table, create_engine, delete, event, func,
                        insert, select)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from dyad.store.engine import run_pragmas

__all__ = ["AnswerShelf", "shelf_path"]

log = logging.getLogger("dyad.api")

_RANGES = 1 << 20  # lock bytes: two keys share one with odds of one in a million (and only wait for each other)
_WEIGH_EVERY = 64  # puts between two weighings of the shelf
# A cache: a write lost in a crash is computed again; readers never wait for the writer.
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=OFF")

_metadata = MetaData()
answers = Table(
    "answers", _metadata,
    Column("n", Integer, primary_key=True),  # in the order kept: the oldest are dropped first
    Column("key", String(64), nullable=False, unique=True),
    Column("version", String, nullable=False),
    Column("body", LargeBinary, nullable=False),
)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    run_pragmas(dbapi_connection, _PRAGMAS)


def shelf_path(db: str) -> Path | None:
    """Where the shelf of a store lives: beside a SQLite file (`dyad.db` -> `dyad.db-answers`); None for a
    PostgreSQL URL or an in-memory store, which have no version to key answers by."""
    if "://" in db and not db.startswith("sqlite:///"):
        return None
    path = db.removeprefix("sqlite:///")
    if not path or path == ":memory:":
        return None
    return Path(path).with_name(Path(path).name + "-answers")


def _key(key: Hashable) -> str:
    # The repr of a key of strings, numbers, dates and small dataclasses is the same in every process.
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


class AnswerShelf:
    """Answer bytes by (store version, key), in a file shared by processes; thread-safe."""

    def __init__(self, path: Path, max_bytes: int = 256 * 1024 * 1024) -> None:
        """Open (or make) the shelf at `path`, with its lock file at `path` + `.lock`; OSError or SQLAlchemyError
        when it cannot be made there. Past `max_bytes` of answers the oldest quarter is dropped: clients asking
        for page after page cannot fill the disk."""
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._puts = 0
        self._engine = create_engine(f"sqlite:///{self.path}",
                                     connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(self._engine, "connect", _on_connect)
        _metadata.create_all(self._engine)  # fail here, at start-up, rather than on a request
        try:
            with self._engine.connect() as conn:
                conn.execute(select(answers).limit(1)).all()
        except SQLAlchemyError:  # a shelf of another layout: it is only a cache, start it again
            _metadata.drop_all(self._engine)
            _metadata.create_all(self._engine)
        # POSIX locks belong to the process and all go when any descriptor of the file closes: keep one open.
        self._lock_fd = os.open(str(self.path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        self._version: str | None = None
        self._guard = threading.Lock()

    def get(self, version: Hashable, key: Hashable) -> bytes | None:
        """The answer kept for `key` at `version`, or None."""
        with self._engine.connect() as conn:
            body = conn.execute(select(answers.c.body).where(answers.c.key == _key(key),
                                                             answers.c.version == repr(version))).scalar()
        return None if body is None else bytes(body)

    def put(self, version: Hashable, key: Hashable, body: bytes) -> None:
        """Keep `body` for `key` at `version`, dropping every answer of another version the first time a version
        is seen."""
        stamp = repr(version)
        with self._guard:
            fresh = stamp != self._version
            self._version = stamp
            self._puts += 1
            weigh = self._puts % _WEIGH_EVERY == 0
        with self._engine.begin() as conn:
            if fresh:
                conn.execute(delete(answers).where(answers.c.version != stamp))
            # Kept again (by a process that did not wait for another): it moves to the end, as the newest.
            conn.execute(delete(answers).where(answers.c.key == _key(key)))
            conn.execute(insert(answers).values(key=_key(key), version=stamp, body=body))
            if weigh or len(body) > self.max_bytes // _WEIGH_EVERY:
                self._trim(conn)

    def _trim(self, conn: Connection) -> None:
        """Drop the oldest answers (first kept, first dropped) while they weigh more than `max_bytes`."""
        weigh = select(func.count(), func.coalesce(func.sum(func.length(answers.c.body)), 0))
        for _ in range(8):  # a quarter each time: 8 rounds leave a tenth of a percent
            count, size = conn.execute(weigh).one()
            if size <= self.max_bytes or count == 0:
                return
            oldest = select(answers.c.n).order_by(answers.c.n).limit(max(1, count // 4)).scalar_subquery()
            conn.execute(delete(answers).where(answers.c.n.in_(oldest)))

    def compute(self, version: Hashable, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The kept answer, or the one another process is computing (waited for), or `compute()` kept here."""
        kept = self._read(version, key)
        if kept is not None:
            return kept
        offset = int(_key(key)[:8], 16) % _RANGES
        try:
            fcntl.lockf(self._lock_fd, fcntl.LOCK_EX, 1, offset)
        except OSError:
            # POSIX locks belong to processes, not threads: two processes whose threads wait for each other's
            # keys look deadlocked to the kernel (EDEADLK). Compute without waiting: at worst, twice.
            return self._compute(version, key, compute)
        try:
            kept = self._read(version, key)  # computed by the process that held the lock
            return kept if kept is not None else self._compute(version, key, compute)
        finally:
            fcntl.lockf(self._lock_fd, fcntl.LOCK_UN, 1, offset)

    def _compute(self, version: Hashable, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        body = compute()
        try:
            self.put(version, key, body)
        except SQLAlchemyError as exc:
            log.warning("answer shelf %s: not kept (%s)", self.path, exc)
        return body

    def _read(self, version: Hashable, key: Hashable) -> bytes | None:
        try:
            return self.get(version, key)
        except SQLAlchemyError as exc:  # a damaged or locked cache costs a computation, never an answer
            log.warning("answer shelf %s: not read (%s)", self.path, exc)
            return None

    def close(self) -> None:
        """Close the connections and the lock file."""
        self._engine.dispose()
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1
