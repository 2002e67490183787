"""Store: coded articles in and typed objects out, over a SQLite file or a PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Connection, Table, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from dyad.model import NOTE, REFUSED, Actor, Article, CodedArticle, Event, IngestError, Tie
from dyad.store import convert, pages, queries
from dyad.store import links as link_rows
from dyad.store.links import ArticleInfo, ArticleLink
from dyad.store.engine import MEMORY_URL, make_engine, resolve_url
from dyad.store.errors import StoreError
from dyad.store.migrations import migrate
from dyad.store.schema import (
    actors,
    articles,
    events,
    ingest_errors,
    mentions,
    ties,
)
from dyad.store.schema import article_fingerprints, article_links

__all__ = ["Store", "StoreSummary"]

# Stay well under SQLite's limit on bound parameters in one statement (999 on old builds).
_CHUNK = 500
_SOURCES_BY_ID = 20_000  # articles whose sources are looked up by id; for more, one pass over the table
_T = TypeVar("_T")


def _chunks(items: list[_T], size: int = _CHUNK) -> Iterator[list[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _utcnow() -> datetime:
    # Naive UTC: DateTime columns carry no zone on SQLite, so store one convention everywhere.
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class StoreSummary:
    """Row counts, events per type and the most frequent (actor, recipient) pairs."""

    articles: int
    events: int
    ties: int
    mentions: int
    actors: int
    errors: int  # inputs refused
    events_by_type: dict[str, int]
    top_dyads: list[tuple[tuple[str, str], int]]
    notes: int = 0  # repairs noted on inputs that were coded


class Store:
    """Coded articles, their events, ties and actor mentions, and ingest errors."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _utcnow) -> None:
        """Wrap an engine; does not connect. Use `Store.open()` to also create the tables."""
        self._engine = engine
        self._clock = clock
        self._version_sql: str | None = None
        self._side_counts: dict[tuple[str, str], int] = {}  # steers dyad pages (see _side_size)

    @classmethod
    def open(cls, url_or_path: str | os.PathLike[str]) -> "Store":
        """Open (creating if needed) the store at a file path, sqlite:/// or postgresql:// URL."""
        store = cls(make_engine(resolve_url(url_or_path)))
        try:
            store._prepare()
        except OperationalError as exc:
            store.close()
            raise StoreError(f"cannot open database {store._engine.url!r}: {exc.orig}") from exc
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def memory(cls) -> "Store":
        """A fresh, empty in-memory SQLite store (for tests)."""
        return cls.open(MEMORY_URL)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine underneath, for callers that need their own queries."""
        return self._engine

    def _prepare(self) -> None:
        with self._engine.begin() as conn:
            migrate(conn)

    @property
    def _dialect(self) -> str:
        return self._engine.dialect.name

    def close(self) -> None:
        """Release the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._engine.url!r})"  # URL repr hides any password

    # writing

    def save(self, coded: CodedArticle) -> bool:
        """Store an article with its mentions, events and ties in one transaction.

        Returns False, writing nothing, if the article id is already stored. If any write
        fails, the transaction rolls back and nothing of the article remains.
        """
        convert.validate_coded(coded)
        article_id = coded.article.id
        with self._engine.begin() as conn:
            added = conn.execute(
                queries.insert_ignore(articles, self._dialect, "id"),
                convert.article_values(coded, self._clock()),
            )
            if added.rowcount == 0:
                return False
            actor_ids = self._actor_ids(conn, [m.actor for m in coded.mentions])
            _insert_all(
                conn,
                mentions,
                [
                    convert.mention_values(m, article_id, actor_ids[convert.actor_key(m.actor)])
                    for m in coded.mentions
                ],
            )
            _insert_all(conn, events, [convert.event_values(e) for e in coded.events])
            _insert_all(conn, ties, [convert.tie_values(t) for t in coded.ties])
        return True

    def _actor_ids(self, conn: Connection, found: list[Actor]) -> dict[str, int]:
        """Database ids for these actors keyed by actor key, inserting those not yet stored.

        An actor is identified by (name, country, sector, affiliation); the first `code` stored wins.
        """
        rows = {v["key"]: v for v in map(convert.actor_values, found)}
        if not rows:
            return {}
        conn.execute(queries.insert_ignore(actors, self._dialect, "key"), list(rows.values()))
        ids: dict[str, int] = {}
        for keys in _chunks(list(rows)):
            ids.update({key: id_ for key, id_ in conn.execute(queries.select_actor_ids(keys))})
        return ids

    def record_error(self, err: IngestError) -> None:
        """Remember an input that could not be read; recording the same one again changes nothing."""
        with self._engine.begin() as conn:
            conn.execute(
                queries.insert_ignore(ingest_errors, self._dialect, "key"),
                convert.error_values(err, self._clock()),
            )

    # reading

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        return bool(self.known_ids([article_id]))

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of `ids` that are stored articles."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                found.update(conn.execute(queries.select_known_ids(chunk)).scalars())
        return found

    def events(
        self,
        actor: str | None = None,
        recipient: str | None = None,
        event_type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        """Events by date, article and sentence; `actor`/`recipient` match a country code,
        canonical name or affiliation, ignoring case; `since`/`until` are inclusive."""
        f = queries.EventFilter(actor, recipient, event_type, since, until, article_id, limit, offset)
        with self._engine.connect() as conn:
            lead = None
            if limit is None and not offset and (actor or recipient) and self._dialect == "sqlite":
                lead = self._lead(conn, f)
            result = conn.execute(queries.select_events(f, lead))
            return convert.rows_to_events(list(result.keys()), result)

    def ties(self, actor: str | None = None, kind: str | None = None) -> list[Tie]:
        """Ties of a kind, with `actor` (country, name or affiliation, any case) on either side."""
        with self._engine.connect() as conn:
            rows = conn.execute(queries.select_ties(actor, kind)).mappings()
            return [convert.row_to_tie(r) for r in rows]

    def article(self, article_id: str) -> CodedArticle | None:
        """A stored article with its sentences, mentions, events and ties, or None."""
        with self._engine.connect() as conn:
            row = conn.execute(queries.select_article(article_id)).mappings().one_or_none()
            if row is None:
                return None
            return CodedArticle(
                article=convert.row_to_article(row),
                sentences=convert.row_to_sentences(row),
                mentions=[
                    convert.row_to_mention(r)
                    for r in conn.execute(queries.select_article_mentions(article_id)).mappings()
                ],
                events=[
                    convert.row_to_event(r)
                    for r in conn.execute(queries.select_article_events(article_id)).mappings()
                ],
                ties=[
                    convert.row_to_tie(r)
                    for r in conn.execute(queries.select_article_ties(article_id)).mappings()
                ],
            )

    def articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles by date (undated last), then id."""
        with self._engine.connect() as conn:
            rows = conn.execute(queries.select_articles(limit, offset)).mappings()
            return [convert.row_to_article(r) for r in rows]

    # cursor pages (see store/pages.py): each item comes with the key to pass as `after` for the next page

    def event_page(
        self, f: queries.EventFilter, after: pages.RowKey | None = None, size: int = 100
    ) -> list[tuple[pages.RowKey, Event]]:
        """Up to `size` events matching `f` that come after the key `after`, each with its own key."""
        with self._engine.connect() as conn:
            lead = self._lead(conn, f) if f.actor is not None and f.recipient is not None else "actor"
            stmt, values = pages.event_page_query(f, after, size, lead)
            rows = conn.execute(stmt, values).mappings()
            return [(pages.row_key_of(r), convert.row_to_event(r)) for r in rows]

    def _lead(self, conn: Connection, f: queries.EventFilter) -> pages.Side:
        """The side of a filter to find events by: the one with fewer events when it names both."""
        if f.actor is not None and f.recipient is not None:
            actor = _side_size(conn, self._side_counts, "actor", f.actor)
            if _side_size(conn, self._side_counts, "recipient", f.recipient) < actor:
                return "recipient"
            return "actor"
        return "recipient" if f.actor is None and f.recipient is not None else "actor"

    def version(self) -> tuple[int, int, int] | None:
        """A value that changes whenever events, ties or near-duplicate links are added (what read answers
        depend on), for caches of answers; None where it cannot be read both cheaply and soundly.

        It is the newest event and tie ids and the number of links: dyad only ever adds those rows. On SQLite
        writers take turns, so ids become visible in order; on PostgreSQL two writers may commit out of id
        order (an older id appearing after a newer one was seen), so there is no version and nothing is cached.
        """
        if self._dialect != "sqlite":
            return None
        if self._version_sql is None:  # asked before every cached answer: compiled once, run as plain SQL
            compiled = queries.select_version().compile(dialect=self._engine.dialect,
                                                        compile_kwargs={"literal_binds": True})  # constants only
            self._version_sql = str(compiled)
        with self._engine.connect() as conn:
            events_id, ties_id, links = conn.exec_driver_sql(self._version_sql).one()
            return int(events_id), int(ties_id), int(links)

    def tie_page(
        self, actor: str | None = None, kind: str | None = None, after: pages.RowKey | None = None, size: int = 100
    ) -> list[tuple[pages.RowKey, Tie]]:
        """Up to `size` ties (as `ties`) that come after the key `after`, each with its own key."""
        with self._engine.connect() as conn:
            rows = conn.execute(pages.select_tie_page(actor, kind, after, size)).mappings()
            return [(pages.row_key_of(r), convert.row_to_tie(r)) for r in rows]

    def article_page(
        self, after: pages.ArticleKey | None = None, size: int = 100
    ) -> list[tuple[pages.ArticleKey, Article]]:
        """Up to `size` articles (as `articles`) that come after the key `after`, each with its own key."""
        with self._engine.connect() as conn:
            rows = conn.execute(pages.select_article_page(after, size)).mappings()
            return [(pages.article_key(r), convert.row_to_article(r)) for r in rows]

    def errors(self) -> list[IngestError]:
        """Recorded ingest errors (refusals and notes), oldest first."""
        with self._engine.connect() as conn:
            return [convert.row_to_error(r) for r in conn.execute(queries.select_errors()).mappings()]

    def summary(self, top: int = 10) -> StoreSummary:
        """Counts of everything stored, events per type and the `top` most frequent dyads."""
        with self._engine.connect() as conn:

            def count(table: Table) -> int:
                return int(conn.execute(queries.count_rows(table)).scalar_one())

            return StoreSummary(
                articles=count(articles),
                events=count(events),
                ties=count(ties),
                mentions=count(mentions),
                actors=count(actors),
                errors=int(conn.execute(queries.count_errors(REFUSED)).scalar_one()),
                notes=int(conn.execute(queries.count_errors(NOTE)).scalar_one()),
                events_by_type={t: int(n) for t, n in conn.execute(queries.events_by_type())},
                top_dyads=[((a, r), int(n)) for a, r, n in conn.execute(queries.top_dyads(top))],
            )


    # near-duplicate links and fingerprints (see dyad.analysis.dedup)

    def save_link(self, link: ArticleLink) -> bool:
        """Record that an uncoded article nearly duplicates a stored one; False if it was linked before."""
        with self._engine.begin() as conn:
            added = conn.execute(
                queries.insert_ignore(article_links, self._dialect, "article_id"),
                link_rows.link_values(link, self._clock()),
            )
            return added.rowcount > 0

    def links(self, duplicate_of: str | None = None) -> list[ArticleLink]:
        """Near-duplicate links, all or those to one stored article."""
        with self._engine.connect() as conn:
            rows = conn.execute(link_rows.select_links(duplicate_of)).mappings()
            return [link_rows.row_to_link(r) for r in rows]

    def save_fingerprints(self, method: str, signatures: Iterable[tuple[str, bytes]]) -> None:
        """Keep articles' signatures made with `method`; one already kept is left as it is."""
        rows = [link_rows.fingerprint_values(aid, method, sig) for aid, sig in signatures]
        if not rows:
            return
        with self._engine.begin() as conn:
            stmt = queries.insert_ignore(article_fingerprints, self._dialect, "article_id", "method")
            for chunk in _chunks(rows):
                conn.execute(stmt, chunk)

    def fingerprints(self, method: str) -> list[tuple[str, bytes]]:
        """(article id, signature) of stored articles fingerprinted with `method`."""
        with self._engine.connect() as conn:
            return [(aid, bytes(sig)) for aid, sig in conn.execute(link_rows.select_fingerprints(method))]

    def unfingerprinted(self, method: str) -> list[tuple[str, str]]:
        """(article id, text) of stored articles that have no signature made with `method`."""
        with self._engine.connect() as conn:
            return [(aid, text) for aid, text in conn.execute(link_rows.select_unfingerprinted(method))]

    def article_sources(self, ids: Iterable[str]) -> dict[str, str | None]:
        """Article id -> source (outlet) of the stored articles among `ids`."""
        wanted = list(dict.fromkeys(ids))
        with self._engine.connect() as conn:
            if len(wanted) > _SOURCES_BY_ID:  # most of the store: one pass over the table beats many lookups
                keep = set(wanted)
                return {aid: src for aid, src in conn.execute(link_rows.select_article_sources()) if aid in keep}
            found: dict[str, str | None] = {}
            for chunk in _chunks(wanted):
                found.update((aid, src) for aid, src in conn.execute(link_rows.select_article_sources(chunk)))
            return found

    def article_info(self) -> list[ArticleInfo]:
        """Date, source and URL of every stored article (no text), by id."""
        with self._engine.connect() as conn:
            return [ArticleInfo(*row) for row in conn.execute(link_rows.select_article_info())]


# A dyad page walks the side with fewer events (each walk costs at most one row read per event of that side).
# Sides are counted up to this many events (an index read of at most this many entries per matched column) and
# the counts remembered, per store object, for this many sides: they only steer the plan, so a count that has
# since grown a little changes how fast a page comes, never what it holds.
_SIDE_COUNT_CAP = 50_000
_SIDE_COUNTS_KEPT = 4_096


def _side_size(conn: Connection, kept: dict[tuple[str, str], int], side: pages.Side, value: str) -> int:
    """About how many events have `value` on `side` (capped), counted once and then remembered in `kept`."""
    key = (side, value.casefold())
    size = kept.get(key)  # shared by threads: read once, never after a check (another may clear it meanwhile)
    if size is None:
        size = max(conn.execute(pages.count_side(side), {"value": value, "cap": _SIDE_COUNT_CAP}).one())
        if len(kept) >= _SIDE_COUNTS_KEPT:
            kept.clear()
        kept[key] = size
    return size


def _insert_all(conn: Connection, table: Table, rows: list[convert.Values]) -> None:
    """Insert rows in one executemany; an empty list is a no-op (Core rejects it)."""
    if rows:
        conn.execute(insert(table), rows)
