"""Coding on several processes: results in input order, the same as one process, stored by one writer."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.model import Article, CodedArticle
from dyad.parallel import ParallelCoder, coder_for
from dyad.settings import Settings

# Made-up articles (written for these tests; no real reporting).
ARTICLES = [
    ("Germany condemned Russia on Tuesday. France and Italy agreed to share intelligence with Britain.", "2024-02-20"),
    ("Turkey hosted talks between Russia and Ukraine on Monday. The Turkish president said the talks were useful.",
     "2024-03-04"),
    ("Egypt hosted talks between Israel and Hamas in Cairo on Monday. Qatar mediated the talks, officials said.",
     "2024-03-04"),
    ("The United States imposed sanctions on Iran. Iran accused the United States of economic terrorism.",
     "2024-04-09"),
    ("Qatar hosts the political leadership of Hamas in Doha. It asked Hamas to release hostages.", "2024-05-15"),
    ("Japan praised India for its mediation. India rejected the criticism by Pakistan and met China.", "2024-06-01"),
]


class _SlowEcho:
    """A stand-in Coder for worker processes: no model; later articles finish sooner, to test the order."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def code(self, articles):
        for a in articles:
            time.sleep(0.05 * (len(a.text) % 3))
            yield CodedArticle(article=a, sentences=[a.text])


def _echo(settings: Settings) -> _SlowEcho:
    return _SlowEcho(settings)


def test_parallel_coder_yields_in_input_order_and_reports_worker_memory():
    articles = [Article.make(f"article number {n} " + "x" * n) for n in range(23)]
    coder = ParallelCoder(Settings(workers=2, batch_size=3), factory=_echo)
    out = list(coder.code(iter(articles)))
    assert [c.article for c in out] == articles
    assert coder.stats.chunks == 8 and 1 <= len(coder.stats.peak_rss_mb) <= 2  # batches of 3
    assert all(mb > 0 for mb in coder.stats.peak_rss_mb.values())


def test_batches_bound_articles_and_characters():
    from dyad.pipeline import batches

    articles = [Article.make(f"{n} " + "x" * size) for n, size in enumerate([10, 10, 10, 50, 10, 10, 10, 10])]
    sizes = [[len(a.text) for a in b] for b in batches(articles, Settings(batch_size=3, batch_chars=40))]
    assert sizes == [[12, 12, 12], [52], [12, 12, 12], [12]]
    assert [a for b in batches(articles, Settings()) for a in b] == articles


def test_one_worker_codes_in_this_process_and_zero_is_refused():
    assert not isinstance(coder_for(Settings(workers=1)), ParallelCoder)
    assert isinstance(coder_for(Settings(workers=2)), ParallelCoder)
    with pytest.raises(ValueError):
        ParallelCoder(Settings(workers=0))


def _write(tmp_path):
    path = tmp_path / "made-up.jsonl"
    path.write_text("".join(json.dumps({"text": t, "date": d}) + "\n" for t, d in ARTICLES))
    return path


@pytest.mark.slow
def test_two_workers_store_what_one_stores(coder, tmp_path):
    """`dyad code --workers 2` prints and stores the same events, ties and mentions as one worker, in order."""
    from dyad.store import Store

    src = _write(tmp_path)
    runner = CliRunner()
    outputs = {}
    for n in (1, 2):
        db = str(tmp_path / f"w{n}.db")
        res = runner.invoke(main, ["code", str(src), "--db", db, "--format", "jsonl", "--workers", str(n)],
                            catch_exceptions=False)
        assert res.exit_code == 0, res.stderr
        events = runner.invoke(main, ["events", "--db", db, "--format", "jsonl"]).stdout
        ties = runner.invoke(main, ["ties", "--db", db, "--format", "jsonl"]).stdout
        with Store.open(db) as store:
            coded = [store.article(a.id) for a in store.articles()]
        outputs[n] = (res.stdout, events, ties, coded)
    assert outputs[1][1].count("\n") >= len(ARTICLES)  # the articles do hold events
    assert outputs[1] == outputs[2]
    # and the printed order is the input order
    printed = [json.loads(line)["article_id"] for line in outputs[2][0].splitlines()]
    expected = [Article.make(t).id for t, _ in ARTICLES]
    assert sorted(set(printed), key=printed.index) == [i for i in expected if i in printed]

