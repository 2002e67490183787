"""Shared fixtures: the spaCy pipeline is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (../shared is not present here)")
    return path


@pytest.fixture(scope="session")
def coder():
    """One Coder (spaCy model + dyad components) for the whole session."""
    from dyad.pipeline import Coder
    from dyad.settings import Settings

    return Coder.from_settings(Settings())


@pytest.fixture
def store():
    """A fresh in-memory store."""
    from dyad.store import Store

    s = Store.memory()
    yield s
    s.close()


# -- PostgreSQL: the store and API suites run on SQLite and on a real server the tests start ---------------

# Parametrize a fixture with these to run its tests on both databases; PostgreSQL runs carry the `postgres` marker.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url():
    """URL of an empty database on a PostgreSQL server started for this session on 127.0.0.1 (or on the
    server named by DYAD_TEST_POSTGRES_URL); skips when there is neither."""
    import os

    given = os.environ.get("DYAD_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    from postgres_server import PostgresServer, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; set DYAD_PG_BIN or DYAD_TEST_POSTGRES_URL")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed")
    server = PostgresServer(bin_dir)
    try:
        server.start()
        url = server.create_database("dyad_test")
    except Exception:
        server.stop()
        raise
    try:
        yield url
    finally:
        server.stop()


def _empty_postgres(url: str) -> None:
    """Empty every dyad table (keeping the schema and its version) so each test starts from nothing."""
    from sqlalchemy import create_engine, inspect, text

    from dyad.store.engine import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.begin() as conn:
            names = [n for n in inspect(conn).get_table_names() if n != "meta"]
            if names:
                conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """'sqlite' or 'postgresql': a test using this (or `new_store`) runs once on each."""
    return request.param


@pytest.fixture
def store_url(backend, request, tmp_path) -> str:
    """A URL of an empty store on the test's backend: a SQLite file, or the session's PostgreSQL database emptied."""
    if backend == "sqlite":
        return str(tmp_path / "dyad.db")
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def new_store(backend, request):
    """A function that opens a fresh, empty store on the test's backend (in memory for SQLite)."""
    from dyad.store import Store

    if backend == "sqlite":
        return Store.memory
    url = request.getfixturevalue("postgres_url")

    def fresh() -> Store:
        _empty_postgres(url)
        return Store.open(url)

    return fresh


@pytest.fixture(scope="session")
def coded_samples(coder):
    """The made-up articles of api_samples.py coded once per session (saving them is cheap, coding is not)."""
    from api_samples import sample_articles

    return list(coder.code(sample_articles()))
