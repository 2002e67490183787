"""The dashboard in a real browser: Playwright drives Debian's Chromium against the app served by uvicorn.

Every page is opened over a store of made-up articles, one with `<script>` and `<img onerror>` in its title and
text: no dialog may open, no script error may happen, and the markup must show as text. Screenshots go to
test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from api_samples import HOSTILE, HOSTILE_IMG
from conftest import ROOT
from dyad.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-output" / "screenshots"
KEY = "browser-test-key"
WAIT_MS = 20_000  # any one wait in the page
# Waits go through locators: a wait_for_function predicate is evaluated in the page, which its CSP forbids.
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def server(tmp_path_factory, coder, coded_samples) -> Iterator[tuple[str, Store]]:
    """The app on 127.0.0.1 on a free port, in a thread, over a SQLite store holding the samples."""
    import uvicorn

    from dyad.api import ApiSettings, create_app
    from dyad.settings import Settings

    store = Store.open(tmp_path_factory.mktemp("browser") / "dyad.db")
    for coded in coded_samples:
        store.save(coded)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(ApiSettings(core=Settings(db="unused"), api_keys=(KEY,)), store=store, coder=coder)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        srv.should_exit = True
        thread.join(timeout=15)
        store.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page whose dialogs, script errors and refused resources are recorded (a dialog is dismissed)."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.set_default_timeout(WAIT_MS)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self, expected_errors: tuple[str, ...] = ()) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        unexpected = [e for e in self.errors if not any(x in e for x in expected_errors)]
        assert unexpected == [], unexpected
        # The markup in the articles never became elements: the dashboard draws no <img>, and runs its own scripts only.
        assert self.page.locator("img").count() == 0
        srcs = self.page.eval_on_selector_all("script", "els => els.map(e => e.getAttribute('src'))")
        assert all(s and s.startswith("/static/") for s in srcs), srcs


@pytest.fixture
def page(browser, server) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    watched = Watched(context.new_page(), server[0])
    try:
        yield watched
    finally:
        context.close()


def test_events_page_lists_events_and_filters_them(page, server):
    _, store = server
    page.open("/")
    rows = page.page.locator("#events tbody tr")
    rows.first.wait_for()
    assert rows.count() == store.summary().events
    assert page.page.get_by_text(HOSTILE).count() >= 1  # the sentence with markup, as text
    page.shot("events")
    page.page.fill("input[name=actor]", "USA")
    page.page.select_option("select[name=type]", "ACCUSE")
    page.page.click("#filters button[type=submit]")
    expect(rows).to_have_count(len(store.events(actor="USA", event_type="ACCUSE")))
    assert "actor=USA" in page.page.url and "type=ACCUSE" in page.page.url
    assert all("United States" in t for t in page.page.locator("#events tbody tr td:nth-child(3)").all_inner_texts())
    page.shot("events-filtered")
    page.assert_clean()


def test_an_event_leads_to_its_sentence_with_actors_and_events_marked(page):
    page.open("/?type=THREATEN&actor=RUS")
    link = page.page.locator("#events tbody tr td.sentence a").first
    link.wait_for()
    link.click()
    page.page.wait_for_url("**/article?id=*")
    target = page.page.locator(".sentence-block.target")
    target.wait_for()
    assert "threatened" in target.inner_text() and HOSTILE in target.inner_text()
    assert HOSTILE_IMG in target.inner_text()
    assert target.locator("mark.actor").filter(has_text="Russia").count() == 1
    assert target.locator("mark.trigger").filter(has_text="threatened").count() == 1
    event = target.locator("li.event").filter(has_text="THREATEN").first
    assert "asserted" in event.inner_text() and "attribution" in event.inner_text()
    assert page.page.locator("h1").inner_text() == f"Markup {HOSTILE} {HOSTILE_IMG} in a title"
    assert page.page.locator("a[href^='javascript']").count() == 0  # the article's javascript: URL is no link
    page.shot("article-hostile")
    page.assert_clean()


def test_articles_list_and_an_attributed_event(page):
    page.open("/article")
    page.page.locator("#articles tbody tr").first.wait_for()
    assert page.page.locator("#articles tbody tr").count() == 4
    page.shot("articles")
    page.page.get_by_role("link", name="Talks in Cairo").click()
    page.page.locator(".sentence-block").first.wait_for()
    assert page.page.locator("li.event").filter(has_text="attribution: officials").count() >= 1
    page.shot("article-cairo")
    page.assert_clean()


def test_dyad_page_draws_a_timeline_and_lists_a_period(page):
    page.open("/dyad?a=USA&b=CHN&by=month")
    bars = page.page.locator("svg.chart g.bar")
    bars.first.wait_for()
    assert bars.count() >= 1 and page.page.locator("svg.chart rect").count() >= 1
    bars.first.click()
    rows = page.page.locator("#period-events tbody tr")
    rows.first.wait_for()
    assert "USA" in rows.first.inner_text() or "CHN" in rows.first.inner_text()
    page.shot("dyad")
    page.open("/dyad")  # no actors given: the most frequent dyad is drawn
    page.page.locator("svg.chart g.bar").first.wait_for()
    page.assert_clean()


def test_network_page_draws_actors_ties_and_brokers(page, server):
    base, _ = server
    page.open("/network?actor=TUR&hops=2")
    nodes = page.page.locator("svg.network g.node")
    nodes.first.wait_for()
    api = json.loads(page.page.evaluate("fetch('/api/network/around?actor=TUR&hops=2').then(r => r.text())"))
    assert nodes.count() == len(api["nodes"]) and page.page.locator("svg.network path.edge").count() == len(api["edges"])
    assert page.page.locator("svg.network g.node.center").get_attribute("data-node") == "TUR"
    assert page.page.locator("svg.network g.node.broker").count() == sum(n["broker"] for n in api["nodes"])
    page.page.click("#what-if")
    page.page.locator("#lost p").wait_for()
    page.shot("network")
    page.open("/network")  # no actor given: the top broker
    page.page.locator("svg.network g.node.center").wait_for()
    assert page.page.locator("svg.network g.node.broker").count() >= 1
    page.shot("network-top-broker")
    page.assert_clean()


def test_ingest_page_refuses_without_a_key_then_codes_pasted_and_uploaded_articles(page, server, tmp_path):
    _, store = server
    before = store.summary().articles
    text = f"Brazil condemned Venezuela on Monday {HOSTILE}. Argentina met Chile in Santiago {HOSTILE_IMG}."
    page.open("/ingest")
    page.page.fill("#paste textarea[name=text]", text)
    page.page.click("#paste button[type=submit]")
    page.page.locator("#result .error").wait_for()
    assert "API key" in page.page.locator("#result .error").inner_text()
    assert store.summary().articles == before
    page.page.fill("#key", KEY)
    page.page.click("#key-form button")
    page.page.fill("#paste input[name=title]", f"Pasted {HOSTILE}")
    page.page.fill("#paste input[name=date]", "2024-06-03")
    page.page.click("#paste button[type=submit]")
    page.page.locator("#ingested td.status-stored").wait_for(timeout=120_000)  # the first write loads spaCy
    assert store.summary().articles == before + 1
    page.shot("ingest-pasted")
    upload = tmp_path / "two.jsonl"
    upload.write_text(json.dumps({"text": "Kenya hosted Somalia's president in Nairobi on Friday.", "date": "2024-06-07"})
                      + "\n" + json.dumps({"title": "no text"}) + "\n")
    page.page.set_input_files("#files", str(upload))
    page.page.click("#upload button[type=submit]")
    expect(page.page.locator("#ingested tbody tr")).to_have_count(2)
    assert page.page.locator("#ingested td.status-refused").count() == 1
    assert store.summary().articles == before + 2
    page.shot("ingest-uploaded")
    page.page.locator("#ingested tbody a").first.click()
    page.page.locator(".sentence-block").first.wait_for()
    page.open(f"/article?id={store.events(actor='BRA')[0].article_id}")
    page.page.locator(".sentence-block").first.wait_for()
    assert page.page.locator("h1").inner_text() == f"Pasted {HOSTILE}"
    page.shot("article-pasted")
    # The refused POST without a key shows in the console as a failed resource (401): expected.
    page.assert_clean(expected_errors=("401",))
