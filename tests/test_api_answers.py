"""Answers kept per store version: the cache itself (pure, threads) and the endpoints that use it (events pages,
series, network), which must answer exactly as a fresh server would, before and after the store changes."""

from __future__ import annotations

import random
import threading
import time

import pytest
from fastapi.testclient import TestClient

from dyad.api import ApiSettings, create_app
from dyad.api.answers import AnswerCache
from dyad.settings import Settings
from dyad.store import Store
from test_store_pages import _coded

# the cache ----------------------------------------------------------------------------------------


def test_an_answer_is_kept_until_the_version_moves_on():
    cache: AnswerCache[bytes] = AnswerCache()
    calls = []

    def compute(value: bytes):
        return lambda: calls.append(value) or value

    assert cache.get(1, "k", compute(b"a")) == b"a"
    assert cache.get(1, "k", compute(b"b")) == b"a" and cache.peek(1, "k") == b"a"
    assert cache.peek(2, "k") is None
    assert cache.get(2, "k", compute(b"c")) == b"c" and calls == [b"a", b"c"]
    assert cache.peek(1, "k") is None  # an older version is gone


def test_without_a_version_nothing_is_kept():
    cache: AnswerCache[int] = AnswerCache()
    counter = iter(range(10))
    assert [cache.get(None, "k", lambda: next(counter)) for _ in range(3)] == [0, 1, 2]
    assert cache.peek(None, "k") is None and len(cache) == 0


def test_entries_and_bytes_are_bounded_least_recently_used_first():
    cache: AnswerCache[bytes] = AnswerCache(max_entries=2, max_bytes=10)
    cache.get(1, "a", lambda: b"1234")
    cache.get(1, "b", lambda: b"1234")
    cache.peek(1, "a")  # used: "b" is now the oldest
    cache.get(1, "c", lambda: b"1234")
    assert cache.peek(1, "b") is None and cache.peek(1, "a") == b"1234" and len(cache) == 2
    cache.get(1, "big", lambda: b"x" * 11)  # larger than the whole cache: answered, not kept
    assert cache.peek(1, "big") is None and len(cache) == 2


def test_concurrent_requests_for_one_answer_compute_it_once():
    cache: AnswerCache[str] = AnswerCache()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(10)
        return "answer"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get(1, "k", slow)))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=lambda: results.append(cache.get(1, "k", slow))) for _ in range(5)]
    for t in others:
        t.start()
    time.sleep(0.05)  # let them reach the wait (the assertion below holds either way)
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert results == ["answer"] * 6 and calls == [1]


def test_a_failed_computation_is_not_kept():
    cache: AnswerCache[str] = AnswerCache()

    def broken() -> str:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.get(1, "k", broken)
    assert cache.get(1, "k", lambda: "fine") == "fine"


# the endpoints ------------------------------------------------------------------------------------


def _client(store: Store) -> TestClient:
    return TestClient(create_app(ApiSettings(core=Settings(db="unused"), rate_limit=0), store=store),
                      client=("127.0.0.1", 50000))


@pytest.fixture
def stored(tmp_path):
    rng = random.Random(21)
    with Store.open(tmp_path / "answers.db") as store:
        for n in range(40):
            store.save(_coded(n, rng))
        yield store, rng


def _pages(client: TestClient, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_kept_event_pages_equal_fresh_ones_and_follow_new_events(stored):
    store, rng = stored
    client = _client(store)
    queries = [{"limit": 3}, {"actor": "usa", "limit": 4}, {"actor": "KEN", "recipient": "usa", "limit": 2},
               {"type": "AID", "since": "2024-01-04", "limit": 5}]
    first = [_pages(client, **q) for q in queries]
    again = [_pages(client, **q) for q in queries]
    fresh = [_pages(_client(store), **q) for q in queries]
    assert first == again == fresh
    assert client.get("/api/events", params={"limit": 3}).content == client.get("/api/events?limit=3").content
    before = len(first[0])
    store.save(_coded(99, rng))  # the store moves on: kept pages are dropped
    after = _pages(client, limit=3)
    assert len(after) > before and after == _pages(_client(store), limit=3)


def test_kept_series_and_network_equal_fresh_ones(stored):
    store, rng = stored
    client = _client(store)
    urls = ["/api/series?a=USA&b=RUS&by=month", "/api/series?a=Hamas&reports=true",
            "/api/network", "/api/network?since=2024-01-05"]
    first = [client.get(u) for u in urls]
    assert all(r.status_code == 200 for r in first)
    assert [client.get(u).content for u in urls] == [r.content for r in first]
    assert [_client(store).get(u).json() for u in urls] == [r.json() for r in first]
    store.save(_coded(100, rng))
    assert [client.get(u).json() for u in urls] == [_client(store).get(u).json() for u in urls]


def test_a_kept_request_is_answered_byte_for_byte_as_the_route_answers_it(stored):
    store, rng = stored
    client = _client(store)
    services = client.app.state.services
    url = "/api/events?actor=usa&limit=4"
    first, again = client.get(url), client.get(url)
    assert services.answers.peek(store.version(), ("request", "/api/events", b"actor=usa&limit=4")) == first.content
    assert (again.status_code, again.content, again.headers) == (first.status_code, first.content, first.headers)
    assert again.headers["content-type"] == "application/json" and "content-security-policy" in again.headers
    assert client.get("/api/events?limit=0").status_code == 422  # errors pass through, and are not kept
    assert services.answers.peek(store.version(), ("request", "/api/events", b"limit=0")) is None
    old = store.version()
    store.save(_coded(101, rng))  # a new version: the kept answer is not given again
    assert services.answers.peek(store.version(), ("request", "/api/events", b"actor=usa&limit=4")) is None
    assert client.get(url).json() == _client(store).get(url).json() and store.version() != old


def test_a_kept_request_is_not_given_to_a_client_that_needs_a_key(stored):
    store, _ = stored
    settings = ApiSettings(core=Settings(db="unused"), rate_limit=0, api_keys=("reader-key",))
    app = create_app(settings, store=store)
    url = "/api/series?a=USA&b=RUS"
    assert TestClient(app, client=("127.0.0.1", 1)).get(url).status_code == 200
    assert TestClient(app, client=("10.0.0.9", 1)).get(url).status_code == 401
    keyed = TestClient(app, client=("10.0.0.9", 1)).get(url, headers={"X-API-Key": "reader-key"})
    assert keyed.status_code == 200
