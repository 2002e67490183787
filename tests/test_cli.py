"""The command line: coding files into a store, refusing bad inputs, querying, showing, documenting."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, ROOT, shared_path
from dyad.cli import EXIT_REFUSED, main

GOOD = "date 2024-02-20 Germany condemned Russia on Tuesday. France and Italy agreed to share intelligence with Britain.\n"


@pytest.fixture(scope="module")
def runner(coder):
    # coder fixture warms the model once; the CLI builds its own Coder from the same installed model
    return CliRunner()


def run(runner, *args, input=None):
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_code_prints_jsonl_contract(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(GOOD)
    res = run(runner, "code", str(src), "--db", str(tmp_path / "d.db"), "--format", "jsonl")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert rows
    keys = {"article_id", "sentence_index", "sentence", "event_type", "mode", "actor", "recipient", "modality",
            "attribution", "date", "location", "cameo", "score", "confidence"}
    assert keys <= set(rows[0])
    assert set(rows[0]["actor"]) >= {"text", "name", "country", "sector", "affiliation"}
    assert any(r["event_type"] == "ACCUSE" and r["actor"]["country"] == "DEU" for r in rows)


def test_second_run_stores_nothing_new(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(GOOD)
    db = str(tmp_path / "d.db")
    first = run(runner, "code", str(src), "--db", db, "--format", "jsonl")
    second = run(runner, "code", str(src), "--db", db, "--format", "jsonl")
    assert "stored 1" in first.stderr
    assert "stored 0" in second.stderr and "already stored 1" in second.stderr
    assert not [l for l in second.stdout.splitlines() if l.startswith("{")]


def test_bad_inputs_are_named_and_good_ones_stored(runner, tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "noise.bin").write_bytes(os.urandom(2048))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "notext.csv").write_text("title,date\nA,2024-01-01\n")
    db = str(tmp_path / "d.db")
    res = run(runner, "code", str(tmp_path), "--db", db, "--quiet")
    assert res.exit_code == EXIT_REFUSED
    for name in ("noise.bin", "empty.txt", "notext.csv"):
        assert re.search(rf"refused .*{re.escape(name)}", res.stderr), res.stderr
    assert "stored 1" in res.stderr
    events = run(runner, "events", "--db", db, "--format", "jsonl")
    assert any(json.loads(l)["actor"]["country"] == "DEU" for l in events.stdout.splitlines())


def test_events_filters_ties_show_summary(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("date 2024-02-20 Qatar, a close ally of the United States, hosts an American air base. "
                   "Germany condemned Russia on Tuesday.\n")
    db = str(tmp_path / "d.db")
    run(runner, "code", str(src), "--db", db, "--quiet")
    got = run(runner, "events", "--db", db, "--actor", "DEU", "--format", "jsonl").stdout.splitlines()
    assert got and all(json.loads(l)["actor"]["country"] == "DEU" for l in got)
    assert not run(runner, "events", "--db", db, "--actor", "FRA", "--format", "jsonl").stdout.strip()
    ties = [json.loads(l) for l in run(runner, "ties", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert {("ally", "QAT", "USA"), ("hosts_military", "QAT", "USA")} <= {(t["kind"], t["a"]["country"], t["b"]["country"]) for t in ties}
    summary = run(runner, "summary", "--db", db).stdout
    assert "1 articles" in summary
    article_id = re.search(r"^  ([0-9a-f]{16})", summary, re.M).group(1)
    shown = run(runner, "show", article_id[:6], "--db", db).stdout
    assert "[Germany|DEU]" in shown and "ACCUSE" in shown


def test_stdin_is_read(runner, tmp_path):
    res = run(runner, "code", "-", "--db", str(tmp_path / "d.db"), "--format", "jsonl", "--date", "2024-02-20",
              input='{"text": "Japan praised India.", "date": "2024-01-02"}\n')
    assert res.exit_code == 0
    assert any(json.loads(l)["event_type"] == "SUPPORT" for l in res.stdout.splitlines())


def test_bad_date_option_is_a_usage_error(runner, tmp_path):
    res = runner.invoke(main, ["code", "x.txt", "--date", "March"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_every_command_is_in_the_readme_and_has_an_example():
    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        assert f"dyad {name}" in readme, name
        assert "Example:" in (command.help or ""), name


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n")[:12]
    assert any(l.startswith("make run") for l in head) and any(l.startswith("make test") for l in head)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_example_corpus_codes_all_sixteen_types(runner, tmp_path):
    db = str(tmp_path / "d.db")
    res = run(runner, "code", str(EXAMPLES), "--db", db, "--quiet")
    assert res.exit_code == 0, res.stderr
    assert "refused 0" in res.stderr
    types = {json.loads(l)["event_type"] for l in run(runner, "events", "--db", db, "--format", "jsonl").stdout.splitlines()}
    assert len(types) == 16, sorted(types)


@pytest.mark.slow
def test_guardian_corpus_twice(runner, tmp_path):
    path = shared_path("corpus", "guardian", "Guardian_SDF_sample.csv")
    db = str(tmp_path / "g.db")
    first = run(runner, "code", str(path), "--db", db, "--quiet")
    assert first.exit_code == 0, first.stderr
    assert "stored 249" in first.stderr
    second = run(runner, "code", str(path), "--db", db, "--quiet")
    assert "stored 0" in second.stderr and "already stored 249" in second.stderr
