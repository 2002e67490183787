"""The REST API: auth and limits, writing, every reading endpoint, cursors, JSON errors; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_samples import HOSTILE, HOSTILE_IMG
from conftest import ROOT
from dyad.api import ApiSettings, create_app
from dyad.api import cursors
from dyad.api.auth import is_loopback, key_matches
from dyad.api.writes import parse_body
from dyad.model import Article, IngestError
from dyad.settings import Settings
from dyad.store import Store

KEY = "test-key-1"
OTHER_KEY = "test-key-2"
STATIC = ROOT / "src" / "dyad" / "web" / "static"
LOCAL = ("127.0.0.1", 50000)


def make_client(store: Store, coder, client=LOCAL, **limits) -> TestClient:
    settings = ApiSettings(core=Settings(db="unused"), api_keys=(KEY, OTHER_KEY), **limits)
    return TestClient(create_app(settings, store=store, coder=coder), client=client)


@pytest.fixture
def empty(store_url, coder):
    """(client, store) over an empty store on the test's backend."""
    with Store.open(store_url) as store:
        yield make_client(store, coder), store


@pytest.fixture
def api(empty, coded_samples):
    """(client, store) over a store holding the coded samples."""
    client, store = empty
    for coded in coded_samples:
        store.save(coded)
    return client, store


def counts(store: Store) -> tuple[int, ...]:
    s = store.summary()
    return s.articles, s.events, s.ties, s.mentions, s.errors, len(store.links())


def walk(client: TestClient, path: str, **params) -> list[dict]:
    """Every item of a paged listing, following next_cursor."""
    items, cursor = [], None
    for _ in range(1000):
        body = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


# writing and auth -----------------------------------------------------------------------------------------


def test_post_without_a_key_is_refused_with_401_and_stores_nothing(api):
    client, store = api
    before = counts(store)
    article = {"text": "Germany condemned Russia on Tuesday.", "date": "2024-02-20"}
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}):
        res = client.post("/api/articles", json=article, headers=headers)
        assert res.status_code == 401, headers
        assert res.headers["www-authenticate"].startswith("Bearer")
        assert res.json()["status"] == 401 and "key" in res.json()["error"]
    assert counts(store) == before
    assert not store.has_article(Article.make(article["text"]).id)


def test_post_with_a_key_codes_and_stores_then_knows_the_article(empty):
    client, store = empty
    article = {"text": "Germany condemned Russia on Tuesday. France and Italy agreed to share intelligence.",
               "date": "2024-02-20", "title": "Capitals", "source": "Test Wire", "url": "https://example.org/x"}
    res = client.post("/api/articles", json=article, headers={"Authorization": f"Bearer {KEY}"})
    assert res.status_code == 201, res.text
    body = res.json()
    assert (body["read"], body["stored"], body["refused"]) == (1, 1, 0) and body["events"] >= 2
    row = body["articles"][0]
    assert row["status"] == "stored" and row["events"] == body["events"]
    stored = store.article(row["id"])
    assert stored is not None and stored.article.title == "Capitals" and str(stored.article.date) == "2024-02-20"
    assert any(e.event_type == "ACCUSE" and e.actor.country == "DEU" for e in stored.events)
    again = client.post("/api/articles", json=article, headers={"X-API-Key": OTHER_KEY})
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "already stored"


def test_post_json_lines_and_arrays_report_each_article(empty):
    client, store = empty
    lines = "\n".join([
        json.dumps({"text": "Japan praised India on Monday.", "date": "2024-01-08"}),
        json.dumps({"title": "no text here"}),
        "{not json",
        json.dumps({"text": "Japan praised India on Monday.", "date": "2024-01-08"}),
        json.dumps(["an array, not an object"]),
    ]) + "\n"
    res = client.post("/api/articles", content=lines.encode(), headers={"X-API-Key": KEY,
                                                                        "Content-Type": "application/x-ndjson"})
    assert res.status_code == 201, res.text
    statuses = [a["status"] for a in res.json()["articles"]]
    assert statuses == ["stored", "refused", "refused", "already stored", "refused"]
    reasons = [a.get("reason", "") for a in res.json()["articles"]]
    assert "no 'text' field" in reasons[1] and "not JSON" in reasons[2] and "not an object" in reasons[4]
    assert counts(store)[0] == 1 and store.errors() == []  # refusals are answered, not stored
    array = [{"text": "Brazil criticized Argentina on Friday."}, {"text": "Kenya hosted Somalia's president."}]
    res = client.post("/api/articles", json=array, headers={"X-API-Key": KEY})
    assert res.status_code == 201 and res.json()["stored"] == 2 and counts(store)[0] == 3


def test_post_with_nothing_readable_is_422_and_stores_nothing(empty):
    client, store = empty
    for body, code in ((b'{"title": "x"}', 422), (b'{"text": "   "}', 422), (b"[]", 400), (b"", 400),
                       (b"not json", 400), (b"\xff\xfe", 400), (b'"text"', 422)):
        res = client.post("/api/articles", content=body, headers={"X-API-Key": KEY, "Content-Type": "application/json"})
        assert res.status_code == code, (body, res.text)
        assert res.json()["error"]
    assert counts(store) == (0, 0, 0, 0, 0, 0)


def test_body_and_batch_limits_answer_413_and_store_nothing(store_url, coder):
    with Store.open(store_url) as store:
        client = make_client(store, coder, max_body_bytes=200, max_batch=2)
        big = {"text": "Egypt hosted talks. " * 20}
        res = client.post("/api/articles", json=big, headers={"X-API-Key": KEY})
        assert res.status_code == 413 and "200" in res.json()["error"]
        three = [{"text": f"Chad hosted Niger {n}."} for n in range(3)]
        res = client.post("/api/articles", json=three, headers={"X-API-Key": KEY})
        assert res.status_code == 413 and "at most 2" in res.json()["error"]
        assert counts(store) == (0, 0, 0, 0, 0, 0)


def test_writing_is_403_when_the_server_has_no_keys(store_url):
    with Store.open(store_url) as store:
        client = TestClient(create_app(ApiSettings(core=Settings(db="unused")), store=store), client=LOCAL)
        res = client.post("/api/articles", json={"text": "Chad hosted Niger."}, headers={"X-API-Key": "anything"})
        assert res.status_code == 403 and "DYAD_API_KEYS" in res.json()["error"]
        assert counts(store)[0] == 0


def test_reading_is_open_on_loopback_and_needs_a_key_from_elsewhere(api, coder):
    _, store = api
    remote = make_client(store, coder, client=("203.0.113.7", 40000))
    assert remote.get("/api/events").status_code == 401
    assert remote.get("/api/events", headers={"X-API-Key": "nope"}).status_code == 401
    assert remote.get("/api/events", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert remote.get("/").status_code == 200  # the pages hold no data; their API calls carry the key
    for host in ("127.0.0.1", "::1"):
        assert make_client(store, coder, client=(host, 1)).get("/api/summary").status_code == 200


def test_key_comparison_and_loopback_helpers():
    assert key_matches("a", ["b", "a"]) and not key_matches("a", []) and not key_matches("ab", ["a", "b"])
    assert key_matches("ключ", ["ключ"])  # non-ASCII keys compare as bytes
    assert is_loopback("127.0.0.5") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("10.0.0.1") and not is_loopback("testclient") and not is_loopback(None)


def test_parse_body_reads_objects_arrays_and_lines():
    one = parse_body(b'{"text": "A met B.", "date": "2024-01-02", "extra": 1}', 10)
    assert isinstance(one[0], Article) and str(one[0].date) == "2024-01-02" and one[0].origin == "api:article 1"
    lines = parse_body(b'{"text": "A met B."}\n\n{"text": 5}\n', 10)
    assert isinstance(lines[0], Article) and isinstance(lines[1], IngestError) and len(lines) == 2


# reading --------------------------------------------------------------------------------------------------


def test_events_filters_and_cursor_pages(api):
    client, store = api
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["next_cursor"] is None and len(everything["items"]) == counts(store)[1]
    assert walk(client, "/api/events", limit=2) == everything["items"]
    usa = walk(client, "/api/events", actor="usa", limit=1)
    assert usa and all(e["actor"]["country"] == "USA" for e in usa)
    assert {e["event_type"] for e in walk(client, "/api/events", type="accuse")} == {"ACCUSE"}
    may = walk(client, "/api/events", since="2024-05-01", until="2024-05-31")
    assert may and all(e["date"].startswith("2024-05") for e in may)
    one = everything["items"][0]["article_id"]
    assert {e["article_id"] for e in walk(client, "/api/events", article=one)} == {one}
    assert client.get("/api/events", params={"actor": "Narnia"}).json() == {"items": [], "next_cursor": None, "limit": 50}


def test_bad_parameters_are_json_errors_with_a_message(api):
    client, _ = api
    cases = [
        ("/api/events?cursor=bogus", 400, "cursor"),
        ("/api/events?limit=0", 422, "limit"),
        ("/api/events?limit=100000", 400, "largest page"),
        ("/api/events?since=2024-13-01", 422, "since"),
        ("/api/series?a=USA&by=year", 422, "by"),
        ("/api/series", 422, "a"),
        ("/api/network/around?actor=Narnia", 404, "Narnia"),
        ("/api/network/what-if", 400, "remove"),
        ("/api/network/what-if?cut=USA", 400, "comma"),
        ("/api/articles/0000000000000000", 404, "no article"),
        ("/api/nothing-here", 404, "openapi"),
    ]
    for url, status, words in cases:
        res = client.get(url)
        assert res.status_code == status, (url, res.text)
        assert res.headers["content-type"].startswith("application/json")
        assert words in res.json()["error"] and res.json()["status"] == status, (url, res.json())
    ties_cursor = cursors.encode("ties", [None, "a", 0, 1])
    assert client.get("/api/events", params={"cursor": ties_cursor}).status_code == 400
    assert client.delete("/api/events").status_code == 405


def test_cursors_round_trip_and_refuse_tampering():
    from datetime import date

    key = (date(2024, 3, 4), "abc", 2, 17)
    assert cursors.decode_row_key(cursors.encode("events", list(key)), "events") == key
    assert cursors.decode_row_key(cursors.encode("events", [None, "abc", 2, 17]), "events") == (None, "abc", 2, 17)
    for bad in ("", "!!!", cursors.encode("events", ["x", "abc", 2, 17]), cursors.encode("events", [None, "a", True, 1]),
                cursors.encode("merged", [-1])):
        with pytest.raises(cursors.CursorError):
            cursors.decode_row_key(bad, "events") if "merged" not in str(bad) else cursors.decode_offset(bad, "merged")


def test_articles_list_and_article_view_mark_actors_and_triggers(api):
    client, _ = api
    listed = walk(client, "/api/articles", limit=1)
    assert [a["title"] for a in listed][0] == "Talks in Cairo" and len(listed) == 4
    hostile = next(a for a in listed if HOSTILE in a["title"])
    view = client.get(f"/api/articles/{hostile['id']}").json()
    assert view["article"]["text"].count(HOSTILE) == 1 and HOSTILE_IMG in view["article"]["text"]
    for s in view["sentences"]:
        assert "".join(seg["text"] for seg in s["segments"]) == s["text"]
    marks = [seg for s in view["sentences"] for seg in s["segments"] if seg["mark"]]
    actors = {seg["text"] for seg in marks if seg["mark"]["kind"] == "actor"}
    assert {"Russia", "Ukraine", "Turkey"} <= actors
    trigger = next(seg for seg in marks if seg["mark"]["kind"] == "trigger" and seg["text"] == "threatened")
    event = view["events"][trigger["mark"]["events"][0]]
    assert event["event_type"] == "THREATEN" and event["modality"] == "asserted"
    cairo = client.get(f"/api/articles/{listed[0]['id']}").json()
    assert any(e["attribution"] for e in cairo["events"])  # "..., officials said"


def test_merged_ties_and_tie_histories(api):
    client, _ = api
    merged = walk(client, "/api/merged", limit=2)
    assert merged and all({"id", "num_reports", "reports", "sources"} <= set(m) for m in merged)
    assert walk(client, "/api/merged", limit=500) == merged
    ties = walk(client, "/api/ties", limit=1)
    assert {t["kind"] for t in ties} == {"mediates"} and all("id" in t for t in ties)
    assert walk(client, "/api/ties", actor="TUR") == ties
    histories = walk(client, "/api/ties/history", actor="TUR")
    assert histories and histories[0]["state"] in {"in force", "strengthened", "weakened", "ended"}


def test_dyad_series_counts_events_per_period(api):
    client, _ = api
    s = client.get("/api/series", params={"a": "USA", "b": "CHN", "by": "month", "reports": "true"}).json()
    assert s["a"] == "USA" and s["b"] == "CHN" and s["events"] >= 2
    point = s["points"][0]
    assert point["period"] == "2024-04" and sum(point["by_type"].values()) == point["events"]
    assert point["merged_events"][0]["reports"]
    directed = client.get("/api/series", params={"a": "CHN", "b": "USA", "directed": "true"}).json()
    assert directed["events"] < s["events"]


def test_network_around_between_and_what_if(api):
    client, _ = api
    top = client.get("/api/network").json()
    assert top["actors"] > 3 and top["edges"] > 2
    around = client.get("/api/network/around", params={"actor": "Turkey", "hops": 2}).json()
    assert around["center"] == "TUR" and around["nodes"][0] == {**around["nodes"][0], "id": "TUR", "hops": 0}
    ids = {n["id"] for n in around["nodes"]}
    assert {"RUS", "UKR"} <= ids and all(e["a"] in ids and e["b"] in ids for e in around["edges"])
    brokers = [n for n in around["nodes"] if n["broker"]]
    assert all(n["betweenness"] > 0 for n in brokers)
    between = client.get("/api/network/between", params={"a": "RUS", "b": "UKR"}).json()
    assert between["a"] == "RUS" and isinstance(between["channels"], list)
    lost = client.get("/api/network/what-if", params={"remove": "TUR"}).json()
    assert lost["without"] == "TUR" and isinstance(lost["lost"], list)


def test_summary_and_health(api):
    client, store = api
    s = client.get("/api/summary").json()
    assert (s["articles"], s["events"]) == counts(store)[:2]
    assert client.get("/api/health").json()["status"] == "ok"


# the document, the pages, the command ----------------------------------------------------------------------


def test_openapi_document_describes_every_endpoint(api):
    client, _ = api
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/merged", "/api/ties",
                 "/api/ties/history", "/api/series", "/api/network", "/api/network/around", "/api/network/between",
                 "/api/network/what-if", "/api/summary"):
        assert path in paths, path
    post = paths["/api/articles"]["post"]
    assert {"application/json", "application/x-ndjson"} <= set(post["requestBody"]["content"])
    one = post["requestBody"]["content"]["application/json"]["schema"]["oneOf"][0]
    assert one["required"] == ["text"] and {"text", "date", "title", "url", "source"} == set(one["properties"])
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN


def test_pages_are_served_with_a_strict_content_security_policy(api):
    client, _ = api
    for path in ("/", "/article", "/dyad", "/network", "/ingest"):
        res = client.get(path)
        assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
        csp = res.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp
        for src in re.findall(r'(?:src|href)="([^"]+)"', res.text):
            assert src.startswith("/"), (path, src)  # nothing from another host
            assert client.get(src).status_code == 200, src


def test_static_files_hold_no_inline_script_and_build_no_markup_from_strings():
    for html in STATIC.glob("*.html"):
        text = html.read_text()
        assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", text)), html.name
        assert not re.search(r"\son\w+\s*=", text) and "style=" not in text, html.name
    for js in STATIC.glob("*.js"):
        code = js.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, (js.name, sink)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_command_serves_the_api(tmp_path, workers):
    db = tmp_path / "serve.db"
    Store.open(db).close()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dyad = Path(sys.executable).parent / "dyad"
    proc = subprocess.Popen([str(dyad), "serve", "--db", str(db), "--port", str(port), "--workers", workers],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as res:
                    assert json.load(res)["status"] == "ok"
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "dyad serve did not answer within 60 s"
                time.sleep(0.2)
        # A request whose headers never end is refused once past 64 KiB, not gathered in memory.
        with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Long: ")
            answer = b""
            try:
                for _ in range(64):  # at most 4 MiB
                    conn.sendall(b"a" * 65536)
                    time.sleep(0.005)
            except OSError:  # closed by the server while sending: its answer is in the buffer
                pass
            while chunk := conn.recv(4096):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def test_serve_command_with_a_bad_database_is_a_clean_error(tmp_path):
    from click.testing import CliRunner

    from dyad.cli import main

    res = CliRunner().invoke(main, ["serve", "--db", "mysql://u@h/db"])
    assert res.exit_code == 1 and "dyad: error:" in res.output and "Traceback" not in res.output


def test_segments_cut_a_sentence_without_losing_or_repeating_text():
    from dyad.api.views import segments, sentence_offsets

    marks = [(0, 5, {"kind": "actor"}), (3, 8, {"kind": "trigger"}), (10, 14, {"kind": "actor"}), (20, 99, {"kind": "x"})]
    cut = segments("Egypt met Qatar on Monday.", marks)
    assert "".join(s["text"] for s in cut) == "Egypt met Qatar on Monday."
    assert [s["text"] for s in cut if s["mark"]] == ["Egypt", "Qata"]  # overlapping and out-of-range marks dropped
    assert segments("", []) == [{"text": "", "mark": None}]
    assert sentence_offsets("A met B. A met B. C left.", ["A met B.", "A met B.", "C left.", "gone"]) == [0, 9, 18, None]


def test_public_api_of_the_server_is_exported_and_documented():
    import dyad.api
    import dyad.web

    assert sorted(dyad.api.__all__) == ["ApiSettings", "create_app"]
    for module in (dyad.api, dyad.web):
        for name in module.__all__:
            assert getattr(module, name).__doc__ or name == "PAGES", name
    settings = ApiSettings.from_env({"DYAD_API_KEYS": " a, ,b ", "DYAD_API_MAX_BATCH": "7", "DYAD_DB": "x.db"})
    assert settings.api_keys == ("a", "b") and settings.max_batch == 7 and settings.core.db == "x.db"
    assert ApiSettings.from_env({}).api_keys == ()
