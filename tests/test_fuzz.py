"""Fuzzing in CI, bounded: hypothesis strategies for every reader and for the coder on arbitrary text, and short
atheris (libFuzzer) runs of bench/fuzz.py's harness. The long runs (10,000 inputs each) are bench/fuzz.py's."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from dyad.ingest import ReadOptions, read_stream
from dyad.ingest.clean import FUTURE_SLACK, checked, strip_invisible
from dyad.ingest.feeds import read_feed
from dyad.ingest.html import read_html
from dyad.ingest.jsonl import read_jsonl
from dyad.ingest.tabular import read_csv, read_tsv
from dyad.ingest.text import read_text
from dyad.model import Article, IngestError, article_id

OPTIONS = ReadOptions()
LATEST = date.today() + FUTURE_SLACK
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.filter_too_much])

# --- strategies ------------------------------------------------------------------------------------------------

WORDS = st.sampled_from(["Germany", "condemned", "Russia", "the United States", "Hamas", "met", "with", "said",
                         "that", "on Monday", "agreed", "talks", "between", "and", "not", "would", ".", ",", "(",
                         ")", "\"", "\n", "\u200b", "\u202e", "\x00", "\x1b", "\ufeff", "\u00ad", "é", "中国",
                         "&amp;", "<b>", "\r", "\ud800", "\udfff"])
ODD_TEXT = st.text(alphabet=st.characters(codec=None), max_size=300)  # anything, lone surrogates included
PROSE = st.lists(WORDS, max_size=80).map(" ".join)
TEXT = st.one_of(PROSE, ODD_TEXT)
DATES = st.one_of(st.sampled_from(["2024-03-05", "2024-13-45", "2999-12-31", "Tue, 05 Mar 2024 08:30:00 GMT",
                                   "yesterday", "20240305", "", "0000-00-00", "1e9"]), st.text(max_size=20))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | DATES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries({}, optional={"text": st.one_of(TEXT, JSON_VALUES), "date": DATES | JSON_VALUES,
                                               "title": TEXT, "url": TEXT, "source": JSON_VALUES})


@st.composite
def dated_texts(draw) -> str:
    body = draw(TEXT)
    return f"date {draw(DATES)} {body}" if draw(st.booleans()) else body


@st.composite
def json_lines(draw) -> str:
    lines = draw(st.lists(st.one_of(RECORDS.map(json.dumps), JSON_VALUES.map(json.dumps), TEXT,
                                    st.integers(1, 3000).map(lambda n: "[" * n)), max_size=6))
    return "\n".join(lines)


@st.composite
def tables(draw, delimiter: str = ",") -> str:
    header = draw(st.lists(st.sampled_from(["text", "date", "title", "source", "url", "id", ""]), max_size=5))
    rows = draw(st.lists(st.lists(st.one_of(TEXT, DATES), min_size=0, max_size=len(header) + 1), max_size=5))
    if draw(st.booleans()):  # written properly, fields quoted where needed
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()
    return "\n".join(delimiter.join(r) for r in [header, *rows])  # written carelessly


TAGS = st.sampled_from(["html", "head", "title", "body", "article", "div", "p", "span", "script", "style", "br",
                        "table", "td", "li", "h1", "time", "meta", "noscript", "template", "svg", "pre"])
ATTRS = st.lists(st.tuples(st.sampled_from(["class", "content", "property", "name", "datetime", "href"]),
                           st.one_of(DATES, st.sampled_from(["og:title", "article:published_time"]), TEXT)),
                 max_size=3).map(lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs))
HTML = st.recursive(
    st.one_of(PROSE, st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&bogus;", "<!-- c -->", "<", "</p>", "<p"])),
    lambda inner: st.builds(lambda tag, attrs, kids, close: f"<{tag}{attrs}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
                            TAGS, ATTRS, st.lists(inner, max_size=4), st.booleans()),
    max_leaves=20,
)
PAGES = st.builds(lambda title, body: f"<html><head><title>{title}</title></head><body>{body}</body></html>",
                  PROSE, HTML)


@st.composite
def feeds(draw) -> str:
    atom = draw(st.booleans())
    entries = []
    for text, when in draw(st.lists(st.tuples(st.one_of(PROSE, HTML, ODD_TEXT), DATES), max_size=4)):
        if atom:
            entries.append(f'<entry><title>t</title><updated>{when}</updated><content type="html">{text}</content></entry>')
        else:
            entries.append(f"<item><title>t</title><pubDate>{when}</pubDate><description>{text}</description></item>")
    if atom:
        return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{"".join(entries)}</feed>'
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{"".join(entries)}</channel></rss>'


def check(records: list, origin: str) -> None:
    """The promises every reader keeps, whatever it was given."""
    for r in records:
        assert isinstance(r, (Article, IngestError))
        assert r.origin.startswith(origin)
        if isinstance(r, Article):
            assert r.text and r.text == r.text.strip()
            assert not strip_invisible(r.text)[1], repr(r.text)
            assert r.id == article_id(r.text)
            assert r.date is None or r.date <= LATEST


def read_with(reader, text: str) -> list:
    """A reader's output after the repairs every input goes through (exceptions are failures here)."""
    return list(checked(reader(text, "in", OPTIONS), OPTIONS))


# --- every reader ---------------------------------------------------------------------------------------------

@FUZZ
@given(dated_texts())
def test_text_reader_on_arbitrary_text(text):
    check(read_with(read_text, text), "in")


@FUZZ
@given(json_lines())
def test_jsonl_reader_on_arbitrary_lines(text):
    check(read_with(read_jsonl, text), "in")


@FUZZ
@given(tables())
def test_csv_reader_on_arbitrary_tables(text):
    check(read_with(read_csv, text), "in")


@FUZZ
@given(tables("\t"))
def test_tsv_reader_on_arbitrary_tables(text):
    check(read_with(read_tsv, text), "in")


@FUZZ
@given(st.one_of(PAGES, HTML, ODD_TEXT))
def test_html_reader_on_arbitrary_pages(text):
    check(read_with(read_html, text), "in")


@FUZZ
@given(st.one_of(feeds(), ODD_TEXT))
def test_feed_reader_on_arbitrary_feeds(text):
    check(read_with(read_feed, text), "in")


@FUZZ
@given(st.one_of(st.binary(max_size=2000), json_lines().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_stdin_on_arbitrary_bytes(data):
    check(list(read_stream(io.BytesIO(data))), "<stdin>")


# --- the coder -----------------------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(PROSE, ODD_TEXT, st.lists(PROSE, max_size=8).map(". ".join)))
def test_coder_on_arbitrary_text(coder, text):
    coded = next(coder.code([Article.make(text, date=date(2024, 3, 5))]))
    for item in [*coded.events, *coded.ties]:
        assert 0 <= item.sentence_index < len(coded.sentences)
        assert item.article_id == coded.article.id


# --- atheris (coverage-guided), a few hundred runs per reader -------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("target", ["text", "jsonl", "csv", "tsv", "html", "feed", "stdin"])
def test_atheris_finds_no_crash_in_a_short_run(target):
    pytest.importorskip("atheris")
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--engine", "atheris", "--target", target,
                          "--runs", "300", "--max-time", "60"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done" in run.stderr and "runs in" in run.stderr


def test_the_fuzz_bench_counts_inputs_crashes_and_hangs():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import fuzz
    finally:
        sys.path.remove(str(ROOT / "bench"))
    items = fuzz.inputs("jsonl", 40, seed=1)
    assert len(items) == 40 and items == fuzz.inputs("jsonl", 40, seed=1)
    found = fuzz.fuzz("jsonl", items, timeout=10)
    assert (found.inputs, found.crashes, found.hangs) == (40, [], 0)
