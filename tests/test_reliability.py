"""Crash safety: `dyad code` killed with SIGKILL at random moments and started again stores exactly what one
uninterrupted run stores; and the input limits and repairs that make hostile input harmless."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dyad.ingest import ReadOptions, read_paths
from dyad.ingest.clean import strip_invisible
from dyad.model import NOTE, Article, CodedArticle, IngestError
from dyad.pipeline import code_articles, long_runs, skip_long_sentences
from dyad.store import Store
from dyad.store.schema import (
    actors,
    article_fingerprints,
    article_links,
    articles,
    events,
    ingest_errors,
    mentions,
    ties,
)

DYAD = str(Path(sys.executable).with_name("dyad"))

# --- a made-up corpus: short articles from templates ------------------------------------------------------

_ACTORS = ["Germany", "France", "Russia", "Ukraine", "Egypt", "Qatar", "Turkey", "Japan", "India", "China",
           "Brazil", "Kenya", "the United States", "Israel", "Iran", "Canada", "Mexico", "Poland", "Nigeria",
           "South Africa", "Hamas", "NATO", "the European Union", "Saudi Arabia", "Pakistan"]
_ACTS = ["condemned", "praised", "met with", "accused", "criticized", "threatened", "thanked", "hosted",
         "agreed to share intelligence with", "imposed sanctions on", "sent humanitarian aid to",
         "signed a trade agreement with", "expelled diplomats from", "called for talks with", "rejected demands by"]
_DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week", "yesterday", ""]
_TOPICS = ["over the border dispute", "after the election", "about grain exports", "over a naval incident",
           "during a summit in Geneva", "about refugees", "over fishing rights", "after the drone strike"]
_FILLER = ["Officials said the talks would continue next month.", "Markets barely moved on the news.",
           "The statement was read out by a spokesperson.", "Analysts expect further meetings this year.",
           "Neither side gave details of the discussions.", "Reporters were not allowed into the meeting."]


def _sentence(rng: random.Random) -> str:
    a, b = rng.sample(_ACTORS, 2)
    text = " ".join(f"{a} {rng.choice(_ACTS)} {b} {rng.choice(_DAYS)} {rng.choice(_TOPICS)}.".split())
    return text[0].upper() + text[1:]


def make_corpus(n: int = 500, seed: int = 9) -> list[str]:
    """`n` JSON lines of made-up articles, with the trouble a real feed has: wire copies, repeated records,
    invisible characters, future and unreadable dates, bad lines, an overlong article and an overlong sentence."""
    rng = random.Random(seed)
    records: list[dict | str] = []
    bodies: list[str] = []
    for number in range(n):
        day = date(2022, 1, 1) + timedelta(days=rng.randrange(900))
        roll = rng.random()
        if bodies and roll < 0.06:  # a wire copy: a stored article with one word changed
            words = rng.choice(bodies).split()
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "also", "again"])
            text = " ".join(words)
        elif bodies and roll < 0.09:  # the same text again, from another source
            text = rng.choice(bodies)
        else:
            text = " ".join([_sentence(rng) for _ in range(rng.randint(2, 4))] + rng.sample(_FILLER, 2))
            bodies.append(text)
        record: dict = {"text": text, "date": day.isoformat(), "source": rng.choice(["Wire", "Daily", "Post"])}
        if roll > 0.97:
            record["text"] = text.replace(" ", " \u200b", 2).replace(".", ".\u202e", 1)
        elif roll > 0.95:
            record["date"] = "2999-01-01"
        elif roll > 0.93:
            record["date"] = "the day after tomorrow"
        records.append(record)
        if number % 97 == 5:
            records.append("{not json")
        if number % 131 == 7:
            records.append({"title": "no text"})
    records.insert(n // 3, {"text": "Chad hosted Niger. " * 200, "date": "2024-01-01"})  # too long
    records.insert(n // 2, {"text": "Germany condemned Russia " + "and Iran " * 60 + "on Monday.", "date": "2024-01-02"})
    return [r if isinstance(r, str) else json.dumps(r) for r in records]


# --- the store as multisets of rows, without row ids and clock times ---------------------------------------

def store_rows(path: Path) -> dict[str, Counter]:
    """Every table's rows as a multiset; autoincrement ids and timestamps left out, actor ids replaced by keys."""
    def rows(stmt) -> Counter:
        return Counter(tuple(r) for r in conn.execute(stmt))

    def without(table, *names):
        return select(*[c for c in table.c if c.name not in names])

    with Store.open(path) as store, store.engine.connect() as conn:
        return {
            "articles": rows(without(articles, "coded_at")),
            "events": rows(without(events, "id")),
            "ties": rows(without(ties, "id")),
            "mentions": rows(select(*[c for c in mentions.c if c.name not in ("id", "actor_id")], actors.c.key)
                             .join(actors, actors.c.id == mentions.c.actor_id)),
            "actors": rows(without(actors, "id")),
            "links": rows(without(article_links, "linked_at")),
            "fingerprints": rows(select(article_fingerprints)),
            "errors": rows(without(ingest_errors, "id", "created_at")),
        }


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DYAD_")}
    env.update(DYAD_BATCH_SIZE="4", DYAD_MAX_ARTICLE_CHARS="3000", DYAD_MAX_SENTENCE_CHARS="400",
               HOME=str(tmp_path))
    return env


def _code(source: Path, db: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([DYAD, "code", str(source), "--db", str(db), "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stored(db: Path) -> int:
    """How many articles the store holds now (0 before it has its tables), read beside the running coder."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _wait_for_progress(run: subprocess.Popen, db: Path, before: int) -> float:
    """Wait until the running coder stores an article (or exits); the seconds waited."""
    started = time.monotonic()
    while run.poll() is None and _stored(db) <= before:
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.slow
def test_sigkill_at_20_random_moments_then_restart_stores_what_a_clean_run_stores(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(make_corpus(500)) + "\n", encoding="utf-8")
    env = _env(tmp_path)

    started = time.monotonic()
    clean = _code(source, tmp_path / "clean.db", env)
    startup = _wait_for_progress(clean, tmp_path / "clean.db", 0)
    _, err = clean.communicate(timeout=240)
    coding = time.monotonic() - started - startup
    assert clean.returncode == 3, err.decode()  # the corpus has refusals
    expected = store_rows(tmp_path / "clean.db")
    assert len(expected["articles"]) > 300 and expected["links"] and expected["events"]
    assert {r[-1] for r in expected["errors"]} == {"refused", "note"}

    rng = random.Random(20)
    db = tmp_path / "killed.db"
    kills = 0
    while kills < 20:
        run = _code(source, db, env)
        if kills % 5 == 0:  # while it starts: opening and migrating the store, loading the near-duplicate index
            time.sleep(rng.uniform(0.0, startup))
        else:  # while it codes: some time after its first new article, a tenth of the whole run at most
            _wait_for_progress(run, db, _stored(db))
            time.sleep(rng.uniform(0.0, coding / 10))
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
            kills += 1
        run.wait(timeout=60)
        if run.returncode == 3:  # it finished before the kill: start over, so that every kill falls inside a run
            for extra in ("", "-wal", "-shm"):
                Path(f"{db}{extra}").unlink(missing_ok=True)
    final = _code(source, db, env)
    _, err = final.communicate(timeout=240)
    assert final.returncode == 3, err.decode()
    got = store_rows(db)
    for table, rows in expected.items():
        assert got[table] == rows, (table, list((got[table] - rows).items())[:3], list((rows - got[table]).items())[:3])


# --- limits and repairs ------------------------------------------------------------------------------------

def test_invisible_characters_are_stripped_and_counted():
    text, removed = strip_invisible("Egypt\u200b hosted\u202e talks\x00 with\r\nQatar\u2066.\x0c")
    assert text == "Egypt hosted talks with\nQatar.\n"
    assert (removed.control, removed.zero_width, removed.bidi) == (1, 1, 2)
    assert removed.describe() == "1 control, 1 zero-width, 2 bidirectional characters"
    assert strip_invisible("plain text") == ("plain text", strip_invisible("")[1]) and not strip_invisible("")[1]


def test_reading_strips_invisible_characters_drops_future_and_unreadable_dates_with_notes(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [{"text": "Egypt\u200b hosted\u202e talks with Qatar.", "date": "2024-03-01"},
             {"text": "Kenya praised Somalia.", "date": "2031-05-01"},
             {"text": "Chad hosted Niger.", "date": "the ides of March"},
             {"text": "\u200b\u200e\x01"}]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    got = list(read_paths([str(path)], ReadOptions(today=date(2024, 6, 1))))
    notes = [r for r in got if isinstance(r, IngestError) and r.kind == NOTE]
    refused = [r for r in got if isinstance(r, IngestError) and r.refused]
    found = [r for r in got if isinstance(r, Article)]
    assert [a.text for a in found] == ["Egypt hosted talks with Qatar.", "Kenya praised Somalia.", "Chad hosted Niger."]
    assert found[0].id == Article.make("Egypt hosted talks with Qatar.").id and found[0].date == date(2024, 3, 1)
    assert found[1].date is None and found[2].date is None
    assert [n.reason for n in notes] == [
        "removed 1 zero-width, 1 bidirectional characters",
        "date 2031-05-01 is in the future (after 2024-06-02): dropped",
        "date 'the ides of March' not understood: dropped",
    ]
    assert [n.origin for n in notes] == [f"{path}:line {n}" for n in (1, 2, 3)]
    assert len(refused) == 1 and refused[0].reason.startswith("empty text once") and refused[0].origin.endswith("4")


def test_a_date_one_day_ahead_is_kept_and_a_future_date_falls_back_to_the_default(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Chad hosted Niger.", "date": "2024-06-02"}) + "\n"
                    + json.dumps({"text": "Mali hosted Niger.", "date": "2024-06-03"}) + "\n")
    got = list(read_paths([str(path)], ReadOptions(today=date(2024, 6, 1), date=date(2024, 5, 1))))
    assert [r.date for r in got if isinstance(r, Article)] == [date(2024, 6, 2), date(2024, 5, 1)]
    assert "dropped; using 2024-05-01" in got[1].reason


def test_dated_text_with_an_impossible_date_is_kept_undated_with_a_note(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("date 2024-13-45 Chad hosted Niger.")
    note, article = read_paths([str(path)])
    assert note == IngestError(str(path), "date '2024-13-45' not understood: dropped", NOTE)
    assert article.date is None and article.text == "Chad hosted Niger."


def test_overlong_sentences_give_no_events_and_a_counted_note(coder):
    long = "Germany condemned Russia " + "and Iran " * 30 + "on Monday."
    coded = coder.code_text(f"Egypt condemned Israel on Monday. {long} Japan praised India.")
    assert any(e.sentence_index == 1 for e in coded.events)
    limited = skip_long_sentences(coded, 200)
    assert {e.sentence_index for e in limited.events} == {e.sentence_index for e in coded.events} - {1}
    assert len(limited.notes) == 1 and limited.notes[0].kind == NOTE
    assert limited.notes[0].reason.startswith(f"skipped 1 sentence over 200 characters (longest {len(long)})")
    assert skip_long_sentences(coded, 10_000) is coded


def test_a_run_over_the_limit_with_no_sentence_end_is_not_parsed_and_is_noted(coder):
    head = "Egypt condemned Israel on Monday."
    text = head + " " + "," * 5000 + " Japan praised India."
    assert long_runs(text, 2000) == [(len(head), len(text))]  # with the full stop that ends it
    coded = coder.code_text(text)  # the run is blanked, not parsed (10,000 commas took spaCy 13 s)
    assert coded.events and {e.sentence_index for e in coded.events} == {0}
    assert [n.reason for n in coded.notes] == [
        f"skipped 1 sentence over 2000 characters (longest {len(text) - len(head)}): "
        "no events or ties coded from it"]


def test_refusals_and_notes_are_counted_in_the_store_and_only_refusals_exit_3(tmp_path, coder):
    from click.testing import CliRunner

    from dyad.cli import EXIT_REFUSED, main

    path = tmp_path / "feed.jsonl"
    story = {"text": "Egypt condemned Israel on Monday.", "date": "2024-03-01"}
    path.write_text("\n".join(json.dumps(r) for r in [story, story, {"text": "Chad\u200b hosted Niger."}]) + "\n")
    db = str(tmp_path / "d.db")
    res = CliRunner().invoke(main, ["code", str(path), "--db", db, "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert f"note {path}:line 2: duplicate: the same text as {path}:line 1" in res.stderr
    assert "refused 0, notes 2" in res.stderr
    (tmp_path / "long.txt").write_text("Chad hosted Niger. " * 20)
    res = CliRunner(env={"DYAD_MAX_ARTICLE_CHARS": "100"}).invoke(
        main, ["code", str(tmp_path / "long.txt"), "--db", db, "--quiet"], catch_exceptions=False)
    assert res.exit_code == EXIT_REFUSED
    assert f"refused {tmp_path / 'long.txt'}: article too long: 379 characters (limit 100)" in res.stderr
    with Store.open(db) as store:
        kinds = Counter(e.kind for e in store.errors())
        summary = store.summary()
    assert kinds == {"note": 2, "refused": 1} and (summary.errors, summary.notes) == (1, 2)


def test_a_repeated_text_is_noted_the_same_whether_or_not_its_first_copy_was_stored(store, coder):
    first = Article.make("Egypt condemned Israel on Monday.", origin="a:line 1")
    again = Article.make("Egypt condemned Israel on Monday.", origin="a:line 2")
    once = code_articles([first, again], store, coder)
    twice = code_articles([first, again], store, coder)
    assert [e.reason for e in once.notes] == [e.reason for e in twice.notes] == ["duplicate: the same text as a:line 1"]
    assert (once.stored, twice.stored, twice.duplicates) == (1, 0, 2)
    assert isinstance(CodedArticle(first).notes, list)
