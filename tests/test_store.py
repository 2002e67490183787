"""dyad.store: round trips, one-transaction saves, filters, and SQL that also compiles for PostgreSQL."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

import dyad.store
import dyad.store.store as store_module
from dyad.model import (
    Actor,
    ActorRef,
    Article,
    CodedArticle,
    Event,
    IngestError,
    Mention,
    Modality,
    Tie,
)
from dyad.store import EventFilter, Store, StoreError, StoreSummary
from dyad.store import convert, queries
from dyad.store.engine import resolve_url
from dyad.store.schema import SCHEMA_VERSION, metadata

# fixtures ------------------------------------------------------------------------------------

EGYPT = Actor("Egypt", "EGY", "GOV", code="EGY")
ISRAEL = Actor("Israel", "ISR", "GOV", code="ISR")
HAMAS = Actor("Hamas", "PSE", "REB", affiliation="Hamas", code="PSEHMS")
POLICE = Actor("police")  # no country, sector or affiliation: NULLs in the actor key


def ref(text: str, actor: Actor) -> ActorRef:
    return ActorRef.of(text, actor)


def mention(article: Article, phrase: str, sentence: int, actor: Actor, how: str = "kb",
            antecedent: str | None = None, after: int = 0) -> Mention:
    """A mention of `phrase` at its first place in the article text at or after `after`."""
    start = article.text.index(phrase, after)
    return Mention(phrase, start, start + len(phrase), sentence, actor, how, antecedent)


def coded_cairo() -> CodedArticle:
    """Two sentences: Egypt hosts talks with Israel, then Hamas fighters attack police."""
    s0 = "Egyptian officials met Israeli envoys in Cairo on Monday."
    s1 = "Hamas fighters later attacked police near Rafah."
    article = Article.make(f"{s0} {s1}", date=date(2024, 3, 4), title="Talks in Cairo", source="Wire")
    aid = article.id
    return CodedArticle(
        article=article,
        sentences=[s0, s1],
        mentions=[
            mention(article, "Egyptian officials", 0, EGYPT, how="demonym"),
            mention(article, "Israeli envoys", 0, ISRAEL, how="demonym"),
            mention(article, "Hamas fighters", 1, HAMAS, how="membership"),
            mention(article, "police", 1, POLICE),
        ],
        events=[
            Event(aid, 0, s0, "CONSULT", ref("Egyptian officials", EGYPT), ref("Israeli envoys", ISRAEL),
                  mode="visit", date=date(2024, 3, 4), date_precision="day", location="Cairo",
                  location_country="EGY", cameo="043", score=1.0, confidence=0.9, trigger="met"),
            Event(aid, 1, s1, "ASSAULT", ref("Hamas fighters", HAMAS), ref("police", POLICE),
                  modality=Modality.ASSERTED, date=date(2024, 3, 5), confidence=0.7, trigger="attacked",
                  why="verb 'attack' with agent and patient"),
        ],
        ties=[Tie("mediates", ref("Egyptian officials", EGYPT), ref("Israeli envoys", ISRAEL), aid, 0, s0,
                  directed=False, date=date(2024, 3, 4))],
    )


def coded_gaza() -> CodedArticle:
    """An undated article: Israel threatens Hamas; Egypt's claim is reported, not asserted."""
    s0 = "Israel warned Hamas it would strike."
    s1 = "Egypt said it may mediate."
    article = Article.make(f"{s0} {s1}", url="https://example.org/gaza", origin="feed.jsonl:2")
    aid = article.id
    return CodedArticle(
        article=article,
        sentences=[s0, s1],
        mentions=[
            mention(article, "Israel", 0, ISRAEL),
            mention(article, "Hamas", 0, HAMAS),
            mention(article, "Egypt", 1, EGYPT),
            mention(article, "it", 1, EGYPT, "coref", "Egypt", after=len(s0) + len(" Egypt said ")),
        ],
        events=[
            Event(aid, 0, s0, "THREATEN", ref("Israel", ISRAEL), ref("Hamas", HAMAS), trigger="warned"),
            Event(aid, 1, s1, "CONSULT", ref("Egypt", EGYPT), None, modality=Modality.POTENTIAL,
                  attribution="Egypt", confidence=0.4),
        ],
        ties=[Tie("hostile", ref("Israel", ISRAEL), ref("Hamas", HAMAS), aid, 0, s0)],
    )


@pytest.fixture
def store(new_store):
    """A fresh, empty store: in-memory SQLite, and (marked `postgres`) the session's PostgreSQL database."""
    with new_store() as s:
        yield s


@pytest.fixture
def filled(store):
    assert store.save(coded_cairo())
    assert store.save(coded_gaza())
    return store


def empty_counts(s: Store) -> bool:
    x = s.summary()
    return (x.articles, x.events, x.ties, x.mentions, x.actors) == (0, 0, 0, 0, 0)


# round trip and idempotence ------------------------------------------------------------------


def test_round_trip_gives_equal_objects(store):
    coded = coded_cairo()
    assert store.save(coded) is True
    back = store.article(coded.article.id)
    assert back is not None
    assert back.article == coded.article
    assert back.sentences == coded.sentences
    for got, want in zip(back.mentions, coded.mentions, strict=True):
        assert got == want
        assert got.actor.code == want.actor.code
    for got, want in zip(back.events, coded.events, strict=True):
        assert got == want
        assert type(got.date) is date and got.modality is want.modality
    for got, want in zip(back.ties, coded.ties, strict=True):
        assert got == want
    assert back == coded


def test_article_unknown_id_is_none(store):
    assert store.article("no-such-id") is None


def test_saving_twice_stores_once(store):
    coded = coded_cairo()
    assert store.save(coded) is True
    before = store.summary()
    assert store.save(coded) is False
    assert store.save(coded_cairo()) is False  # an equal article coded again
    assert store.summary() == before


def test_actors_are_shared_across_articles_including_null_fields(filled):
    # EGYPT, ISRAEL, HAMAS and POLICE (all-NULL key fields) each stored once for both articles.
    assert filled.summary().actors == 4


def test_event_from_another_article_is_refused(store):
    coded = coded_cairo()
    stray = Event("other-article", 0, "x", "CONSULT", ActorRef("Egypt"))
    bad = CodedArticle(coded.article, coded.sentences, coded.mentions, [*coded.events, stray], coded.ties)
    with pytest.raises(ValueError, match="other-article"):
        store.save(bad)
    assert empty_counts(store)


# atomicity -------------------------------------------------------------------------------------


def test_failure_while_inserting_ties_leaves_no_trace(store, monkeypatch):
    real_insert_all = store_module._insert_all

    def failing(conn, table, rows):
        if table.name == "ties":
            # By now the article, actors, mentions and events are written in this transaction.
            assert conn.execute(queries.count_rows(metadata.tables["events"])).scalar_one() == 2
            raise RuntimeError("disk on fire")
        real_insert_all(conn, table, rows)

    monkeypatch.setattr(store_module, "_insert_all", failing)
    coded = coded_cairo()
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save(coded)
    assert not store.has_article(coded.article.id)
    assert empty_counts(store)
    monkeypatch.undo()
    assert store.save(coded) is True  # nothing left behind blocks a clean retry


def test_database_error_mid_save_rolls_back(store):
    def refuse_ties(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO TIES"):
            raise sqlite3.OperationalError("injected failure")

    sa_event.listen(store.engine, "before_cursor_execute", refuse_ties)
    with pytest.raises(Exception, match="injected failure"):
        store.save(coded_cairo())
    assert empty_counts(store)
    assert store.articles() == []


# queries ---------------------------------------------------------------------------------------


def types_of(events: list[Event]) -> list[str]:
    return [e.event_type for e in events]


def test_events_are_ordered_by_date_with_undated_last(filled):
    assert [e.date for e in filled.events()] == [date(2024, 3, 4), date(2024, 3, 5), None, None]


def test_events_read_as_tuples_equal_events_read_row_by_row(filled):
    with filled.engine.connect() as conn:
        rows = conn.execute(queries.select_events(EventFilter())).mappings().all()
    by_row = [convert.row_to_event(r) for r in rows]
    fast = filled.events()
    assert fast == by_row and all(type(e.modality) is Modality for e in fast)
    assert [e.actor.to_dict() for e in fast] == [dataclasses.asdict(e.actor) for e in by_row]
    assert filled.article_sources([e.article_id for e in fast] + ["unknown"]).keys() == {e.article_id for e in fast}


def test_events_filter_by_actor_country_name_and_affiliation(filled):
    assert types_of(filled.events(actor="EGY")) == ["CONSULT", "CONSULT"]
    assert types_of(filled.events(actor="egy")) == ["CONSULT", "CONSULT"]  # any case
    assert types_of(filled.events(actor="Israel")) == ["THREATEN"]  # canonical name
    assert types_of(filled.events(actor="hamas")) == ["ASSAULT"]  # affiliation / name
    assert filled.events(actor="Egyptian officials") == []  # surface text is not a key


def test_events_filter_by_recipient(filled):
    assert types_of(filled.events(recipient="ISR")) == ["CONSULT"]
    assert types_of(filled.events(recipient="Police")) == ["ASSAULT"]
    assert types_of(filled.events(actor="ISR", recipient="hamas")) == ["THREATEN"]


def test_events_filter_by_type_dates_article_and_page(filled):
    cairo = coded_cairo().article.id
    assert len(filled.events(event_type="CONSULT")) == 2
    assert types_of(filled.events(since=date(2024, 3, 5))) == ["ASSAULT"]
    assert types_of(filled.events(until=date(2024, 3, 4))) == ["CONSULT"]
    assert types_of(filled.events(since=date(2024, 3, 4), until=date(2024, 3, 5))) == ["CONSULT", "ASSAULT"]
    assert {e.article_id for e in filled.events(article_id=cairo)} == {cairo}
    everything = filled.events()
    assert filled.events(limit=2, offset=1) == everything[1:3]


def test_ties_match_either_side_and_kind(filled):
    assert [t.kind for t in filled.ties(actor="hamas")] == ["hostile"]
    assert [t.kind for t in filled.ties(actor="isr")] == ["mediates", "hostile"]
    assert [t.kind for t in filled.ties(kind="mediates")] == ["mediates"]
    assert filled.ties(actor="EGY", kind="hostile") == []


def test_known_ids_and_has_article(filled):
    cairo = coded_cairo().article.id
    assert filled.has_article(cairo)
    assert not filled.has_article("nope")
    many = [f"x{i}" for i in range(1200)] + [cairo]  # more ids than one IN list holds
    assert filled.known_ids(many) == {cairo}
    assert filled.known_ids(iter([])) == set()


def test_articles_listed_by_date_with_paging(filled):
    listed = filled.articles()
    assert [a.title for a in listed] == ["Talks in Cairo", None]
    assert filled.articles(limit=1, offset=1) == listed[1:]


def test_summary_counts_types_and_dyads(filled):
    s = filled.summary()
    assert isinstance(s, StoreSummary)
    assert (s.articles, s.events, s.ties, s.mentions, s.actors, s.errors) == (2, 4, 2, 8, 4, 0)
    assert s.events_by_type == {"CONSULT": 2, "ASSAULT": 1, "THREATEN": 1}
    # POLICE has no country, so its canonical name stands in; the event without recipient is left out.
    assert sorted(s.top_dyads) == [(("EGY", "ISR"), 1), (("ISR", "PSE"), 1), (("PSE", "police"), 1)]


# errors, files, URLs --------------------------------------------------------------------------


def test_record_error_is_idempotent(store):
    err = IngestError("feed.jsonl:7", "no text field")
    store.record_error(err)
    store.record_error(err)
    store.record_error(IngestError("feed.jsonl:7", "no text field"))
    store.record_error(IngestError("feed.jsonl:8", "no text field"))
    assert store.errors() == [err, IngestError("feed.jsonl:8", "no text field")]
    assert store.summary().errors == 2


def test_file_store_reopened_keeps_data(tmp_path):
    path = tmp_path / "events.db"
    with Store.open(str(path)) as s:
        s.save(coded_cairo())
        s.record_error(IngestError("a.html", "empty page"))
    with Store.open(path) as s:
        assert s.article(coded_cairo().article.id) == coded_cairo()
        assert s.errors() == [IngestError("a.html", "empty page")]
        assert s.save(coded_cairo()) is False
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)


def test_sqlite_connections_enforce_foreign_keys(store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite pragma; PostgreSQL always enforces foreign keys")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_other_schema_version_is_refused(tmp_path):
    path = tmp_path / "old.db"
    Store.open(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 0"):
        Store.open(path)


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("dyad.db", "sqlite:///dyad.db"),
        ("/data/dyad.db", "sqlite:////data/dyad.db"),
        (":memory:", "sqlite://"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgresql://u:secret@db:5432/dyad", "postgresql+psycopg://u:secret@db:5432/dyad"),
        ("postgres://u@db/dyad", "postgresql+psycopg://u@db/dyad"),
        ("postgresql+psycopg://u@db/dyad", "postgresql+psycopg://u@db/dyad"),
    ],
)
def test_resolve_url(given_, expected):
    assert resolve_url(given_) == expected


@pytest.mark.parametrize("bad", ["", "mysql://u@db/dyad"])
def test_resolve_url_refuses_other_databases(bad):
    with pytest.raises(StoreError):
        resolve_url(bad)


def test_unreachable_postgresql_is_a_store_error():
    # Without psycopg: "needs its driver"; with it: connection refused. Either way a clean StoreError.
    with pytest.raises(StoreError):
        Store.open("postgresql://dyad:pw@127.0.0.1:1/dyad")


# PostgreSQL readiness without a server --------------------------------------------------------


def test_schema_compiles_for_postgresql():
    dialect = postgresql.dialect()
    for table in metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert "JSON" not in ddl and "DATETIME" not in ddl
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))


def test_queries_compile_for_postgresql_with_bound_values():
    dialect = postgresql.dialect()
    f = EventFilter(actor="x'); DROP TABLE events; --", recipient="ISR", event_type="CONSULT",
                    since=date(2024, 1, 1), until=date(2024, 12, 31), article_id="a", limit=5, offset=2)
    sql = str(queries.select_events(f).compile(dialect=dialect))
    assert "DROP TABLE" not in sql and "NULLS LAST" in sql
    for stmt in (queries.top_dyads(), queries.events_by_type(), queries.select_ties("EGY", "ally"),
                 queries.insert_ignore(metadata.tables["actors"], "postgresql", "key")):
        assert str(stmt.compile(dialect=dialect))
    assert "ON CONFLICT (key) DO NOTHING" in str(
        queries.insert_ignore(metadata.tables["ingest_errors"], "postgresql", "key").compile(dialect=dialect)
    )


def test_row_key_keeps_none_and_empty_apart():
    assert convert.row_key("police", None) != convert.row_key("police", "")
    assert convert.row_key("a,b", "c") != convert.row_key("a", "b,c")


@pytest.mark.postgres
def test_round_trip_on_postgresql(postgres_url):
    with Store.open(postgres_url) as s:
        coded = coded_gaza()
        s.save(coded)
        assert s.article(coded.article.id) == coded


# public API ------------------------------------------------------------------------------------


def test_public_api_is_exported_and_documented():
    assert sorted(dyad.store.__all__) == ["EventFilter", "Store", "StoreError", "StoreSummary"]
    for name in dyad.store.__all__:
        assert getattr(dyad.store, name).__doc__
    public = [n for n in vars(Store) if not n.startswith("_")]
    assert {"open", "memory", "close", "save", "record_error", "has_article", "known_ids", "events",
            "ties", "article", "articles", "errors", "summary"} <= set(public)
    for name in public:
        assert getattr(Store, name).__doc__, name


# property tests ---------------------------------------------------------------------------------

# No NUL (PostgreSQL text cannot hold it) and no lone surrogates (not valid UTF-8).
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
opt_text = st.none() | text
refs = st.builds(ActorRef, text=text, name=opt_text, country=opt_text, sector=opt_text, affiliation=opt_text)
index = st.integers(0, 2**31 - 1)  # PostgreSQL INTEGER
floats = st.floats(allow_nan=False)  # SQLite stores NaN as NULL
dates = st.none() | st.dates()

events_st = st.builds(
    Event, article_id=text, sentence_index=index, sentence=text, event_type=text, actor=refs,
    recipient=st.none() | refs, mode=opt_text, modality=st.sampled_from(Modality), attribution=opt_text,
    date=dates, date_precision=opt_text, location=opt_text, location_country=opt_text, cameo=opt_text,
    score=st.none() | floats, confidence=floats, trigger=opt_text, why=opt_text,
)
ties_st = st.builds(Tie, kind=text, a=refs, b=refs, article_id=text, sentence_index=index,
                    evidence=text, directed=st.booleans(), date=dates)

# `new_store` is function-scoped but stateless: each example opens its own fresh store through it.
PROPERTY = settings(deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@PROPERTY
@given(events_st)
def test_event_store_event_is_identity(new_store, ev):
    with new_store() as s:
        assert s.save(CodedArticle(Article(ev.article_id, "text"), events=[ev]))
        assert s.events() == [ev]
        assert s.events(article_id=ev.article_id) == [ev]


@PROPERTY
@given(ties_st)
def test_tie_store_tie_is_identity(new_store, tie):
    with new_store() as s:
        assert s.save(CodedArticle(Article(tie.article_id, "text"), ties=[tie]))
        assert s.ties() == [tie]


# cursor pages and migrations (on SQLite and PostgreSQL) ---------------------------------------------------


def walk(fetch, size):
    """Every item of a paged listing, following each page's last key."""
    out, after = [], None
    while True:
        page = fetch(after, size)
        assert len(page) <= size
        if not page:
            return out
        out += [item for _, item in page]
        after = page[-1][0]


@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_event_pages_walk_every_event_once_in_order(filled, size):
    assert walk(lambda after, n: filled.event_page(EventFilter(), after, n), size) == filled.events()
    wanted = EventFilter(actor="EGY")
    assert walk(lambda after, n: filled.event_page(wanted, after, n), size) == filled.events(actor="EGY")


def test_pages_of_ties_and_articles_and_pages_after_the_end(filled):
    assert walk(lambda after, n: filled.tie_page(None, None, after, n), 1) == filled.ties()
    assert walk(lambda after, n: filled.tie_page("isr", None, after, n), 1) == filled.ties(actor="isr")
    assert walk(lambda after, n: filled.article_page(after, n), 1) == filled.articles()
    last_key = filled.event_page(EventFilter(), None, 100)[-1][0]
    assert filled.event_page(EventFilter(), last_key, 100) == []


def test_pages_stay_consistent_when_articles_arrive(store):
    store.save(coded_gaza())  # undated: its events sort last
    first = store.event_page(EventFilter(), None, 1)
    store.save(coded_cairo())  # dated: sorts before everything already paged
    rest = walk(lambda after, n: store.event_page(EventFilter(), after or first[-1][0], n), 5)
    assert [first[0][1], *rest] == coded_gaza().events  # no row repeated, none of the earlier dates mixed in


def _make_version_1(url: str) -> None:
    """A database as dyad's first schema left it: no near-duplicate tables, no page indexes, version 1."""
    from sqlalchemy import create_engine, insert, text

    from dyad.store.schema import meta

    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        metadata.drop_all(conn)
        for table in metadata.sorted_tables:
            if table.name not in ("article_links", "article_fingerprints"):
                table.create(conn)
        for index in ("ix_events_page", "ix_ties_page"):
            conn.execute(text(f"DROP INDEX {index}"))
        conn.execute(insert(meta), {"key": "schema_version", "value": "1"})
    engine.dispose()


def test_a_version_1_database_is_migrated_keeping_its_data(store_url):
    from sqlalchemy import inspect, text

    _make_version_1(store_url)
    with Store.open(store_url) as s:
        assert s.save(coded_cairo())
        with s.engine.connect() as conn:
            version = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one()
            insp = inspect(conn)
            assert {"article_links", "article_fingerprints"} <= set(insp.get_table_names())
            assert "ix_events_page" in {ix["name"] for ix in insp.get_indexes("events")}
        assert version == SCHEMA_VERSION
    with Store.open(store_url) as s:  # opening a current database changes nothing
        assert s.article(coded_cairo().article.id) == coded_cairo()


def test_newer_or_unknown_schema_versions_are_refused(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    for version in ("99", "x"):
        with sqlite3.connect(path) as raw:
            raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
        with pytest.raises(StoreError, match=f"schema version {version}"):
            Store.open(path)


def test_migrations_are_numbered_up_to_the_schema_version():
    from dyad.store.migrations import FIRST_VERSION, MIGRATIONS

    assert [m.version for m in MIGRATIONS] == list(range(FIRST_VERSION + 1, int(SCHEMA_VERSION) + 1))
    assert all(m.what for m in MIGRATIONS)
