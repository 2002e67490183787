"""The answer shelf: answers shared by a server's processes through a file beside the store, computed by one
process while the others wait, dropped when the store's version moves on."""

from __future__ import annotations

import multiprocessing
import random
import time
from pathlib import Path

from fastapi.testclient import TestClient

from dyad.api import ApiSettings, create_app
from dyad.api.answers import AnswerCache
from dyad.api.shelf import AnswerShelf, shelf_path
from dyad.settings import Settings
from dyad.store import Store
from test_store_pages import _coded


def test_the_shelf_sits_beside_a_sqlite_file_only():
    assert shelf_path("/data/dyad.db") == Path("/data/dyad.db-answers")
    assert shelf_path("sqlite:////data/dyad.db") == Path("/data/dyad.db-answers")
    assert shelf_path("postgresql://u@127.0.0.1/dyad") is None
    assert shelf_path(":memory:") is None


def test_answers_are_shared_and_only_for_their_version(tmp_path):
    one, two = AnswerShelf(tmp_path / "s"), AnswerShelf(tmp_path / "s")
    assert one.compute((1, 1, 0), ("events", 1), lambda: b"first") == b"first"
    assert two.compute((1, 1, 0), ("events", 1), lambda: b"again") == b"first"  # kept by the other one
    assert two.compute((2, 1, 0), ("events", 1), lambda: b"newer") == b"newer"
    assert one.get((1, 1, 0), ("events", 1)) is None  # the older version is gone
    one.close()
    two.close()


def _slow(path: str, started, body: bytes) -> None:
    shelf = AnswerShelf(Path(path))

    def compute() -> bytes:
        started.set()
        time.sleep(1.0)
        return body

    shelf.compute(7, "network", compute)
    shelf.close()


def test_a_process_waits_for_the_answer_another_process_is_computing(tmp_path):
    context = multiprocessing.get_context("fork")
    started = context.Event()
    other = context.Process(target=_slow, args=(str(tmp_path / "s"), started, b"theirs"))
    other.start()
    try:
        assert started.wait(30)
        mine = AnswerShelf(tmp_path / "s")
        calls = []
        assert mine.compute(7, "network", lambda: calls.append(1) or b"mine") == b"theirs" and not calls
        mine.close()
    finally:
        other.join(30)


def test_two_servers_on_one_store_compute_an_answer_once(tmp_path):
    db = tmp_path / "s.db"
    rng = random.Random(5)
    with Store.open(db) as store:
        for n in range(30):
            store.save(_coded(n, rng))
    apps = [create_app(ApiSettings(core=Settings(db=str(db)), rate_limit=0)) for _ in range(2)]
    loopback = ("127.0.0.1", 50000)  # reading without a key
    with TestClient(apps[0], client=loopback) as first, TestClient(apps[1], client=loopback) as second:
        answer = first.get("/api/series?a=USA&b=RUS")
        assert answer.status_code == 200 and answer.json()["points"]
        services = apps[1].state.services
        services.store.events = None  # the second server must not read the events itself
        assert second.get("/api/series?a=USA&b=RUS").content == answer.content
    assert (tmp_path / "s.db-answers").exists()
    off = create_app(ApiSettings(core=Settings(db=str(db)), rate_limit=0, shelf="off"))
    assert off.state.services.answers._shared() is None


def test_a_shelf_that_cannot_be_made_leaves_answers_per_process(tmp_path):
    cache: AnswerCache[bytes] = AnswerCache(shelf=lambda: None)
    assert cache.get(1, "k", lambda: b"x") == b"x"


def test_the_shelf_drops_its_oldest_answers_past_its_size(tmp_path):
    shelf = AnswerShelf(tmp_path / "s", max_bytes=64 * 1000)
    for n in range(200):
        shelf.put(1, ("events", n), bytes(1000))
    kept = [n for n in range(200) if shelf.get(1, ("events", n)) is not None]
    assert 0 < len(kept) <= 64 + 64 and kept[-1] == 199 and 0 not in kept  # the newest stay
    shelf.close()


def test_a_shelf_of_another_layout_is_started_again(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "s") as conn:  # a shelf as an earlier dyad might have left it
        conn.execute("CREATE TABLE answers (key TEXT PRIMARY KEY, body BLOB)")
    shelf = AnswerShelf(tmp_path / "s")
    assert shelf.compute(1, "k", lambda: b"x") == b"x" and shelf.get(1, "k") == b"x"
    shelf.close()
