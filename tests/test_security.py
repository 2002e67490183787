"""Service hardening: rate limits, time limits, hashed API keys, CORS, security headers on every page, no SQL built
from strings, and injection strings (SQL, HTML, path traversal) in every API parameter and in article text."""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import ROOT
from dyad.api import ApiSettings, create_app
from dyad.api.app import SECURITY_HEADERS
from dyad.api.limits import TokenBucket
from dyad.settings import Settings
from dyad.store import Store
from dyad.store.schema import metadata
from dyad.web import PAGES

KEY = "s3cret-key"
LOCAL = ("127.0.0.1", 50000)
STATIC = ROOT / "src" / "dyad" / "web" / "static"
SRC = ROOT / "src" / "dyad"

INJECTIONS = [
    "'; DROP TABLE events; --",
    "' OR '1'='1",
    "USA' UNION SELECT id, text FROM articles --",
    "1; DELETE FROM articles",
    "\"); DROP TABLE articles; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%00",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
    "Robert'); DROP TABLE ties;--",
    "\u202egnp.exe",
]


def make_client(store: Store, coder=None, **limits) -> TestClient:
    settings = ApiSettings(core=Settings(db="unused"), api_keys=(KEY,), **limits)
    return TestClient(create_app(settings, store=store, coder=coder), client=LOCAL)


@pytest.fixture
def loaded(coded_samples):
    """A store holding the coded samples."""
    store = Store.memory()
    for coded in coded_samples:
        store.save(coded)
    yield store
    store.close()


def snapshot(store: Store) -> dict[str, Counter]:
    """Every table's rows as a multiset: what must not change."""
    with store.engine.connect() as conn:
        return {t.name: Counter(tuple(r) for r in conn.execute(select(t))) for t in metadata.sorted_tables}


# --- rate limits and time limits ----------------------------------------------------------------------------

def test_token_bucket_allows_bursts_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0], max_keys=2)
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a") == pytest.approx(0.5)
    assert bucket.take("b") == 0.0  # buckets are per client
    now[0] = 1.0  # two tokens back
    assert [bucket.take("a") for _ in range(2)] == [0.0, 0.0] and bucket.take("a") > 0
    bucket.take("c")  # a third key: the least recently seen ("b") is forgotten
    assert len(bucket._buckets) == 2
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)


def test_a_client_over_the_rate_gets_429_json_with_retry_after(loaded):
    client = make_client(loaded, rate_limit=0.5, rate_burst=3)
    answers = [client.get("/api/health") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    last = answers[-1]
    assert last.json()["status"] == 429 and "too many requests from 127.0.0.1" in last.json()["error"]
    assert int(last.headers["retry-after"]) >= 1
    assert last.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    other = TestClient(client.app, client=("127.0.0.2", 1))
    assert other.get("/api/health").status_code == 200  # another address has its own bucket
    assert make_client(loaded, rate_limit=0).get("/api/health").status_code == 200


def test_a_request_over_the_time_limit_is_answered_503(loaded, monkeypatch):
    import dyad.api.views as views

    real = views.summary_record
    monkeypatch.setattr(views, "summary_record", lambda s: time.sleep(1.5) or real(s))
    client = make_client(loaded, request_timeout=0.3)
    started = time.monotonic()
    res = client.get("/api/summary")
    assert res.status_code == 503 and "longer than 0.3 s" in res.json()["error"]
    assert time.monotonic() - started < 1.4 and res.headers["x-frame-options"] == "DENY"
    assert client.get("/api/health").status_code == 200


def test_api_settings_read_limits_keys_and_origins_from_the_environment():
    digest = hashlib.sha256(b"k2").hexdigest()
    s = ApiSettings.from_env({"DYAD_API_KEYS": f"k1, sha256:{digest.upper()}", "DYAD_API_RATE_LIMIT": "2.5",
                              "DYAD_API_RATE_BURST": "7", "DYAD_API_REQUEST_TIMEOUT": "9",
                              "DYAD_API_MAX_CONNECTIONS": "11",
                              "DYAD_API_CORS_ORIGINS": "https://a.example, https://b.example"})
    assert (s.rate_limit, s.rate_burst, s.request_timeout, s.max_connections) == (2.5, 7, 9.0, 11)
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.key_digests == (hashlib.sha256(b"k1").digest(), bytes.fromhex(digest))
    with pytest.raises(ValueError, match="64 hex digits"):
        ApiSettings(api_keys=("sha256:abc",))


# --- API keys hashed at rest ----------------------------------------------------------------------------------

def test_keys_given_as_sha256_digests_let_the_key_write_but_not_the_digest(coder):
    digest = "sha256:" + hashlib.sha256(KEY.encode()).hexdigest()
    with Store.memory() as store:
        settings = ApiSettings(core=Settings(db="unused"), api_keys=(digest,))
        client = TestClient(create_app(settings, store=store, coder=coder), client=LOCAL)
        body = {"text": "Egypt hosted talks with Qatar on Monday.", "date": "2024-03-04"}
        assert client.post("/api/articles", json=body, headers={"X-API-Key": digest}).status_code == 401
        assert client.post("/api/articles", json=body, headers={"X-API-Key": KEY[:-1]}).status_code == 401
        assert client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {KEY}"}).status_code == 201


# --- CORS ------------------------------------------------------------------------------------------------------

def test_cors_is_off_unless_origins_are_configured(loaded):
    origin = {"Origin": "https://elsewhere.example"}
    res = make_client(loaded).get("/api/health", headers=origin)
    assert "access-control-allow-origin" not in res.headers
    preflight = make_client(loaded).options("/api/articles", headers={
        **origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    client = make_client(loaded, cors_origins=("https://elsewhere.example",))
    assert client.get("/api/health", headers=origin).headers["access-control-allow-origin"] == origin["Origin"]
    other = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


# --- security headers on every page; no inline script anywhere ----------------------------------------------

def test_every_page_file_and_answer_carries_the_security_headers(loaded):
    client = make_client(loaded)
    article = loaded.articles()[0].id
    paths = [*PAGES, f"/article?id={article}", "/openapi.json", "/api/health", "/api/events", "/api/summary",
             f"/api/articles/{article}", "/api/articles/nothing", "/no/such/page", "/static/nothing.js",
             *[f"/static/{p.name}" for p in sorted(STATIC.iterdir())]]
    for path in paths:
        res = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert res.headers.get(name) == value, (path, name)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert client.post("/api/articles", json={"text": "x"}).headers.get("content-security-policy") == csp


def test_pages_have_no_inline_scripts_styles_or_handlers_and_scripts_never_write_markup():
    for page in STATIC.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), page.name
        assert not re.search(r"\sstyle\s*=", html, re.I) and "<style" not in html, page.name
        assert "javascript:" not in html, page.name
    for script in STATIC.glob("*.js"):
        code = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, (script.name, sink)


# --- no SQL built from strings ---------------------------------------------------------------------------------

# The only textual SQL in dyad, each from constants: PostgreSQL's advisory lock, and ALTER TABLE assembled from
# the schema's own column definition (Core has no ADD COLUMN).
_TEXTUAL_SQL_ALLOWED = {
    ("store/migrations.py", 'conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})'),
    ("store/migrations.py", 'conn.execute(text(f"ALTER TABLE {quote(ingest_errors.name)} ADD COLUMN {ddl}"))'),
}


def test_no_sql_is_built_from_strings():
    found = set()
    for path in SRC.rglob("*.py"):
        for line in path.read_text().splitlines():
            code = line.strip()
            if re.search(r"\b(text|literal_column|exec_driver_sql)\(\s*f?[\"']", code) or re.search(
                    r"\.execute\(\s*f?[\"']", code):
                found.add((str(path.relative_to(SRC)), code))
            elif re.search(r"f[\"'][^\"']*\b(SELECT|INSERT|UPDATE|DELETE|DROP|WHERE)\b", code):
                found.add((str(path.relative_to(SRC)), code))
    assert found <= _TEXTUAL_SQL_ALLOWED, found - _TEXTUAL_SQL_ALLOWED


# --- injection strings ------------------------------------------------------------------------------------------

def _get_parameters(client: TestClient) -> list[tuple[str, list[str], list[str]]]:
    """(path template, path parameters, query parameters) of every GET endpoint in the OpenAPI document."""
    spec = client.get("/openapi.json").json()
    out = []
    for path, ops in spec["paths"].items():
        if "get" in ops:
            params = ops["get"].get("parameters", [])
            out.append((path, [p["name"] for p in params if p["in"] == "path"],
                        [p["name"] for p in params if p["in"] == "query"]))
    return out


def test_injection_strings_in_every_parameter_change_nothing_and_come_back_as_json(loaded):
    client = make_client(loaded, rate_limit=0)
    before = snapshot(loaded)
    endpoints = _get_parameters(client)
    assert len(endpoints) >= 12 and any(q for _, _, q in endpoints)
    asked = 0
    for template, path_params, query in endpoints:
        for value in INJECTIONS:
            path = template
            for name in path_params:
                path = path.replace("{" + name + "}", value.replace("/", "%2F").replace("?", "%3F"))
            required = {"a": "USA", "actor": "USA", "b": "QAT"}
            for name in query or [None]:
                params = {k: v for k, v in required.items() if k in query}
                if name is not None:
                    params[name] = value
                res = client.get(path, params=params)
                asked += 1
                assert res.status_code < 500, (path, name, value, res.text)
                assert res.headers["content-type"].startswith("application/json"), (path, name, value)
                body = res.json()
                if res.status_code >= 400:
                    assert set(body) == {"error", "status"} and body["status"] == res.status_code
                assert "root:x:0:0" not in res.text
    assert asked > 200
    assert snapshot(loaded) == before


def test_path_traversal_out_of_the_static_folder_finds_nothing(loaded):
    client = make_client(loaded)
    for path in ("/static/../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
                 "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static//etc/passwd", "/..%2f..%2fetc/passwd",
                 "/static/..\\..\\..\\etc\\passwd", "/static/%00", "/api/articles/..%2F..%2Fetc%2Fpasswd"):
        res = client.get(path)
        assert res.status_code in (400, 404), (path, res.status_code)
        assert "root:" not in res.text


def test_injection_strings_in_article_text_are_stored_and_shown_as_text(coder):
    with Store.memory() as store:
        client = make_client(store, coder, rate_limit=0)
        text = ("Egypt hosted talks with Qatar on Monday. " + " ".join(INJECTIONS)
                + " Israel accused Hamas of violating the truce.")
        body = {"text": text, "title": INJECTIONS[5], "source": INJECTIONS[0], "url": "javascript:alert(1)",
                "date": INJECTIONS[1]}
        res = client.post("/api/articles", json=body, headers={"X-API-Key": KEY})
        assert res.status_code == 201, res.text
        row = res.json()["articles"][0]
        assert row["status"] == "stored"
        assert row["notes"] == ["date \"' OR '1'='1\" not understood: dropped", "removed 1 bidirectional character"]
        shown = client.get(f"/api/articles/{row['id']}").json()
        stripped = text.replace("\u202e", "")  # the bidirectional override is removed, with a note
        assert shown["article"]["text"] == stripped and shown["article"]["title"] == INJECTIONS[5]
        assert shown["article"]["source"] == INJECTIONS[0] and shown["article"]["date"] is None
        pieces = "".join(seg["text"] for s in shown["sentences"] for seg in s["segments"])
        assert all(v in pieces for v in INJECTIONS[:8])
        summary = store.summary()
        assert (summary.articles, summary.errors) == (1, 0) and summary.events >= 2
        listed = client.get("/api/articles").json()["items"][0]
        assert listed["title"] == INJECTIONS[5] and "<script>" in listed["snippet"]
        page = client.get("/article", params={"id": row["id"]})
        assert "<script>alert" not in page.text  # the page is a static shell: data arrive as JSON only
