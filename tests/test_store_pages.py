"""Events pages planned as index walks (schema v5): the same events in the same order as a plain filtered read,
whatever the filter, side walked or cursor; the v4 -> v5 migration; the store version behind cached answers."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text, update

from dyad.model import Actor, ActorRef, Article, CodedArticle, Event, Tie
from dyad.store import EventFilter, Store, convert, pages
from dyad.store.engine import resolve_url
from dyad.store.links import ArticleLink
from dyad.store.schema import SCHEMA_VERSION, events, lowered_index_name, meta

ACTORS = [
    Actor("United States", "USA", "GOV", code="USA"),
    Actor("Russia", "RUS", "MIL", code="RUS"),
    Actor("Kenya", "KEN", "GOV", code="KEN"),
    Actor("Hamas", "PSE", "REB", affiliation="Hamas", code="PSEHMS"),
    Actor("NATO", None, "IGO", affiliation="NATO"),
    Actor("police"),  # nothing to match but the text
]
V5_INDEXES = [lowered_index_name(f"{side}_{part}") for side in ("actor", "recipient")
              for part in ("country", "name", "affiliation")] + ["ix_events_type_page"]


def _coded(n: int, rng: random.Random) -> CodedArticle:
    """An article of 1-4 sentences, undated one time in five, each sentence reporting an event between two of
    ACTORS (the rarer ones less often), sometimes without a recipient."""
    sentences = [f"Sentence {k} of article {n}." for k in range(rng.randint(1, 4))]
    day = None if rng.random() < 0.2 else date(2024, 1, 1) + timedelta(days=rng.randrange(20))
    article = Article.make(" ".join(sentences), date=day)
    found = []
    for k, sentence in enumerate(sentences):
        actor, recipient = rng.choices(ACTORS, weights=[8, 6, 1, 2, 2, 1], k=2)
        found.append(Event(article.id, k, sentence, rng.choice(["CONSULT", "ASSAULT", "AID"]),
                           ActorRef.of(actor.name, actor),
                           None if rng.random() < 0.15 else ActorRef.of(recipient.name, recipient),
                           date=day if rng.random() < 0.9 else None, confidence=0.5))
    return CodedArticle(article=article, sentences=sentences, events=found)


@pytest.fixture
def store(new_store):
    """A fresh, empty store: in-memory SQLite, and (marked `postgres`) the session's PostgreSQL database."""
    with new_store() as s:
        yield s


@pytest.fixture
def varied(store):
    rng = random.Random(11)
    for n in range(60):
        assert store.save(_coded(n, rng))
    return store


def walk(store: Store, f: EventFilter, size: int, lead: pages.Side | None = None) -> list[Event]:
    """Every event of a filter, page after page; `lead` forces the side a dyad page walks."""
    out, after = [], None
    while True:
        if lead is None:
            page = store.event_page(f, after, size)
        else:
            stmt, values = pages.event_page_query(f, after, size, lead)
            with store.engine.connect() as conn:
                rows = conn.execute(stmt, values).mappings()
                page = [(pages.row_key_of(r), convert.row_to_event(r)) for r in rows]
        assert len(page) <= size
        if not page:
            return out
        out += [e for _, e in page]
        after = page[-1][0]


FILTERS = [
    EventFilter(),
    EventFilter(actor="usa"),
    EventFilter(actor="Kenya"),
    EventFilter(actor="hamas"),
    EventFilter(recipient="NATO"),
    EventFilter(actor="USA", recipient="ken"),
    EventFilter(actor="KEN", recipient="United States"),
    EventFilter(actor="police", recipient="RUS"),
    EventFilter(actor="nobody"),
    EventFilter(event_type="AID"),
    EventFilter(event_type="CONSULT", since=date(2024, 1, 5)),
    EventFilter(actor="RUS", until=date(2024, 1, 10), since=date(2024, 1, 3)),
    EventFilter(actor="usa", event_type="ASSAULT"),
]


@pytest.mark.parametrize("size", [1, 3, 7])
def test_event_pages_hold_the_filtered_events_in_order(varied, size):
    for f in FILTERS:
        assert walk(varied, f, size) == varied.events(**_args(f)), f


def test_either_side_may_lead_a_dyad_page(varied):
    for f in FILTERS:
        expected = varied.events(**_args(f))
        for lead in ("actor", "recipient"):
            assert walk(varied, f, 2, lead) == expected, (f, lead)


def test_an_article_filter_pages_its_events(varied):
    article_id = varied.articles()[5].id
    f = EventFilter(article_id=article_id, actor="usa")
    assert walk(varied, f, 1) == varied.events(article_id=article_id, actor="usa")


def _args(f: EventFilter) -> dict:
    return {k: getattr(f, k) for k in ("actor", "recipient", "event_type", "since", "until", "article_id")}


def test_page_statements_are_built_once_per_shape():
    f = EventFilter(actor="USA", recipient="KEN")
    first, values = pages.event_page_query(f, None, 10, "recipient")
    again, other = pages.event_page_query(EventFilter(actor="RUS", recipient="QAT"), None, 5, "recipient")
    assert first is again and values == {"size": 10, "actor": "USA", "recipient": "KEN"}
    assert other["actor"] == "RUS"
    assert pages.event_page_query(f, (None, "a", 0, 1), 10)[1]["after_article"] == "a"


def test_each_walk_reads_an_index_on_sqlite(varied):
    """The plan the indexes are for: no walk scans the table (SQLite's own account of the statement)."""
    if varied.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    stmt, values = pages.event_page_query(EventFilter(actor="KEN", recipient="USA"), None, 10, "actor")
    compiled = stmt.compile(dialect=varied.engine.dialect)
    params = compiled.construct_params(values)
    with varied.engine.connect() as conn:
        args = tuple(params[name] for name in compiled.positiontup or [])
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args)]
    walks = [step for step in plan if "events" in step and "INTEGER PRIMARY KEY" not in step]
    assert walks and all("USING INDEX ix_events_actor_" in step for step in walks), plan


# the store version ---------------------------------------------------------------------------------


def test_the_version_moves_when_events_ties_or_links_are_added(tmp_path):
    with Store.open(tmp_path / "v.db") as s:
        empty = s.version()
        assert empty == (0, 0, 0)
        rng = random.Random(3)
        coded = _coded(0, rng)
        s.save(coded)
        with_events = s.version()
        assert with_events is not None and with_events[0] > 0
        other = Article.make("Kenya and Russia are allies.")
        tie = Tie("ally", ActorRef.of("Kenya", ACTORS[2]), ActorRef.of("Russia", ACTORS[1]), other.id, 0, "s")
        s.save(CodedArticle(other, ties=[tie]))
        with_ties = s.version()
        assert with_ties is not None and with_ties[1] > with_events[1]
        s.save_link(ArticleLink("copy", coded.article.id, 0.9))
        assert s.version() == (with_ties[0], with_ties[1], 1)
        assert s.version() == s.version()


@pytest.mark.postgres
def test_postgresql_stores_have_no_version(postgres_url):
    with Store.open(postgres_url) as s:
        assert s.version() is None  # writers may commit out of id order: nothing is cached


# migration v4 -> v5 --------------------------------------------------------------------------------


def _index_names(conn) -> set[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'events'"
    return {name for (name,) in conn.execute(text(sql))}


def test_a_version_4_store_gets_the_filter_indexes_and_answers_the_same(store_url):
    rng = random.Random(5)
    with Store.open(store_url) as s:
        for n in range(15):
            s.save(_coded(n, rng))
        before = {f: s.events(**_args(f)) for f in FILTERS}
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:  # as dyad v4 left it: no v5 indexes, version 4
        for name in V5_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="4"))
        assert not set(V5_INDEXES) & _index_names(conn)
    with Store.open(store_url) as s:
        with s.engine.connect() as conn:
            assert set(V5_INDEXES) <= _index_names(conn)
            version = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one()
        assert version == SCHEMA_VERSION == "5"
        for f, expected in before.items():
            assert walk(s, f, 4) == expected, f
    with Store.open(store_url) as s:  # opening it again changes nothing
        assert s.events() == before[EventFilter()]
    engine.dispose()


def test_the_filter_indexes_are_expressions_of_lower():
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    index = next(ix for ix in events.indexes if ix.name == lowered_index_name("actor_country"))
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        ddl = str(CreateIndex(index).compile(dialect=dialect))
        assert "lower(actor_country), date, article_id, sentence_index, id" in ddl


def test_a_sqlite_file_migrated_in_place_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    rng = random.Random(9)
    with Store.open(path) as s:
        for n in range(5):
            s.save(_coded(n, rng))
        rows = s.events()
    with sqlite3.connect(path) as raw:
        for name in V5_INDEXES:
            raw.execute(f"DROP INDEX {name}")
        raw.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store.open(path) as s:
        assert s.events() == rows
