"""Batch coding on Spark: the Parquet rows round-trip, `dyad import` stores what `dyad code` stores, and a
local[2] Spark run yields the same events as `dyad code` on the same input."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.model import Actor, ActorRef, Article, CodedArticle, Event, IngestError, Mention, Modality, NOTE, Tie
from dyad.spark.job import input_format_of
from dyad.spark.rows import READ, article_row, coded_from_rows, error_row, event_row, tie_row

# Made-up articles (written for these tests; no real reporting), with a blank line, an empty text, a line that
# is no JSON, a date that names no day and a repeated article, which `dyad code` refuses or notes.
RECORDS = [
    {"text": "Germany condemned Russia on Tuesday. France and Italy agreed to share intelligence with Britain.",
     "date": "2024-02-20", "title": "One"},
    {"text": "Turkey hosted talks between Russia and Ukraine on Monday. The Turkish president said the talks "
             "were useful.", "date": "2024-03-04"},
    None,
    {"text": "Egypt hosted talks between Israel and Hamas on Monday. Qatar, a key supporter of Hamas, provides "
             "financial aid to the group.", "date": "2024-03-05", "source": "Test Wire"},
    {"text": "", "date": "2024-03-05"},
    "not json",
    {"text": "The United States imposed sanctions on Iran. Iran accused the United States of economic terrorism.",
     "date": "someday"},
    {"text": "Germany condemned Russia on Tuesday. France and Italy agreed to share intelligence with Britain.",
     "date": "2024-02-20", "title": "One"},
]


def _jsonl(path):
    lines = ["" if r is None else r if isinstance(r, str) else json.dumps(r) for r in RECORDS]
    path.write_text("\n".join(lines) + "\n")
    return path


def _coded() -> CodedArticle:
    article = Article.make("Qatar hosted Hamas. Qatar funds Hamas.", date=date(2024, 1, 2), title="T", origin="x:row 1")
    qatar = ActorRef("Qatar", "Qatar", "QAT", None, None)
    hamas = ActorRef("Hamas", "Hamas", "PSE", "REB", "Hamas")
    event = Event(article.id, 0, "Qatar hosted Hamas.", "CONSULT", qatar, hamas, mode="host",
                  modality=Modality.INTENDED, date=date(2024, 1, 1), date_precision="day", score=1.5,
                  confidence=0.71234, trigger="hosted", why="lexicon")
    lone = Event(article.id, 1, "Qatar funds Hamas.", "AID", qatar)
    tie = Tie("funds", qatar, hamas, article.id, 1, "Qatar funds Hamas.", True, date(2024, 1, 2))
    mention = Mention("Qatar", 0, 5, 0, Actor("Qatar", "QAT", code="QAT"), "kb", None)
    note = IngestError("x:row 1", "skipped 1 sentence", NOTE)
    return CodedArticle(article, ["Qatar hosted Hamas.", "Qatar funds Hamas."], [mention], [event, lone], [tie],
                        [note])


def test_rows_round_trip_a_coded_article():
    coded = _coded()
    row = article_row(coded.article, coded, position=4, part=1)
    events = [event_row(e, 4, n, 1) for n, e in enumerate(coded.events)]
    ties = [tie_row(t, 4, n, 1) for n, t in enumerate(coded.ties)]
    assert events[0]["actor"] == {"text": "Qatar", "name": "Qatar", "country": "QAT", "sector": None,
                                  "affiliation": None}
    assert events[0]["confidence"] == 0.71234 and events[1]["recipient"] is None
    assert coded_from_rows(row, events, ties) == coded


def test_input_format_from_the_name(tmp_path):
    assert input_format_of("s3a://bucket/news.jsonl") == "jsonl"
    assert input_format_of("corpus.csv") == "csv" and input_format_of("x.parquet") == "parquet"
    (tmp_path / "a.tsv").write_text("text\nx\n")
    assert input_format_of(str(tmp_path)) == "tsv"
    with pytest.raises(ValueError, match="--input-format"):
        input_format_of("news.txt")


def _write_output(directory, coded_list, errors):
    """An output directory as `dyad spark code` writes it, made with pyarrow (no Spark needed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = {"articles": [], "events": [], "ties": [], "errors": []}
    for position, coded in enumerate(coded_list):
        tables["articles"].append(article_row(coded.article, coded, position, position % 2))
        tables["events"] += [event_row(e, position, n, position % 2) for n, e in enumerate(coded.events)]
        tables["ties"] += [tie_row(t, position, n, position % 2) for n, t in enumerate(coded.ties)]
    tables["errors"] = errors
    for kind, rows in tables.items():
        (directory / kind).mkdir(parents=True)
        for part in (0, 1):
            mine = [r for r in rows if r["part"] == part]
            if mine:
                pq.write_table(pa.Table.from_pylist(mine), directory / kind / f"part-{part:05d}.parquet")


def test_import_stores_as_dyad_code_and_twice_once(coded_samples, tmp_path, store):
    from dyad.spark import import_output
    from dyad.store import Store

    refused = error_row(IngestError("in.jsonl:line 9", "empty text"), 2, 0, READ, 0)
    _write_output(tmp_path / "out", coded_samples, [refused])
    first = import_output(tmp_path / "out", store)
    assert first.stored == len(coded_samples) and [e.reason for e in first.refused] == ["empty text"]
    again = import_output(tmp_path / "out", store)
    assert again.stored == 0 and again.duplicates == len(coded_samples)
    direct = Store.memory()
    for coded in coded_samples:
        direct.save(coded)
    assert store.events() == direct.events() and store.ties() == direct.ties()
    assert [store.article(c.article.id) for c in coded_samples] == [direct.article(c.article.id) for c in coded_samples]
    direct.close()


def test_import_refuses_a_directory_that_is_no_spark_output(tmp_path):
    res = CliRunner().invoke(main, ["import", str(tmp_path), "--db", str(tmp_path / "d.db")])
    assert res.exit_code == 1 and "no `dyad spark code` output" in res.stderr


# -- on Spark itself (local[2], loopback only) ------------------------------------------------------------

@pytest.fixture(scope="module")
def spark_env():
    """Skips without pyspark or Java; binds Spark to 127.0.0.1."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (java not found)")
    mp = pytest.MonkeyPatch()
    mp.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    yield
    mp.undo()


def _store_dump(runner, db):
    events = runner.invoke(main, ["events", "--db", db, "--format", "jsonl"]).stdout
    ties = runner.invoke(main, ["ties", "--db", db, "--format", "jsonl"]).stdout
    return events, ties


@pytest.mark.slow
@pytest.mark.spark
def test_spark_code_then_import_equals_dyad_code(spark_env, tmp_path):
    import pyarrow.dataset as ds

    src = _jsonl(tmp_path / "made-up.jsonl")
    runner = CliRunner()
    out = tmp_path / "coded"
    res = runner.invoke(main, ["spark", "code", str(src), "--output", str(out), "--master", "local[2]",
                               "--partitions", "3"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert "8 records: 5 articles, coded 5" in res.stderr

    events = ds.dataset(out / "events", format="parquet").to_table().to_pylist()
    assert {"article_id", "sentence_index", "event_type", "actor", "recipient", "modality", "date"} <= set(events[0])
    assert set(events[0]["actor"]) == {"text", "name", "country", "sector", "affiliation"}

    spark_db, code_db = str(tmp_path / "spark.db"), str(tmp_path / "code.db")
    imported = runner.invoke(main, ["import", str(out), "--db", spark_db], catch_exceptions=False)
    coded = runner.invoke(main, ["code", str(src), "--db", code_db, "--quiet"], catch_exceptions=False)
    assert imported.exit_code == coded.exit_code == 3  # the empty text and the line that is no JSON
    assert imported.stderr.replace(spark_db, "DB") == coded.stderr.replace(code_db, "DB")
    assert _store_dump(runner, spark_db) == _store_dump(runner, code_db)
    assert _store_dump(runner, spark_db)[0].count("\n") >= 6

    # the Parquet events are `dyad code`'s events (the repeated article's twice: import stores it once)
    printed = runner.invoke(main, ["code", str(src), "--db", str(tmp_path / "fresh.db"), "--format", "jsonl"]).stdout
    keys = ("article_id", "sentence_index", "event_type", "actor", "recipient", "modality")
    from_spark = {tuple(json.dumps(e[k], sort_keys=True) for k in keys) for e in events}
    from_code = {tuple(json.dumps(json.loads(line)[k], sort_keys=True) for k in keys) for line in printed.splitlines()}
    assert from_spark == from_code

    again = runner.invoke(main, ["import", str(out), "--db", spark_db])
    assert "stored 0, already stored 5" in again.stderr
