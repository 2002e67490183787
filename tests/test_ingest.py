"""Tests for dyad.ingest: every reader, walking, stdin, decoding, and never raising on bad input."""

from __future__ import annotations

import io
import json
import random
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dyad.ingest as ingest
from dyad.ingest import ReadOptions, count_inputs, iter_inputs, read_file, read_paths, read_stream
from dyad.ingest.dates import date_in_name, parse_date
from dyad.ingest.formats import READERS
from dyad.model import Article, IngestError, article_id

SHARED = Path(__file__).resolve().parents[2] / "shared"
GUARDIAN_CSV = SHARED / "corpus" / "guardian" / "Guardian_SDF_sample.csv"

STORY = "The river authority closed two locks on Monday after the water level rose sharply."
OTHER = "Council members voted to repair the old footbridge before the summer festival."


def read(*paths: Path | str, **kwargs) -> list[Article | IngestError]:
    """All records read_paths yields for these paths, as a list."""
    return list(read_paths([str(p) for p in paths], **kwargs))


def articles(records: list) -> list[Article]:
    return [r for r in records if isinstance(r, Article)]


def errors(records: list) -> list[IngestError]:
    return [r for r in records if isinstance(r, IngestError)]


def only_article(records: list) -> Article:
    assert len(records) == 1 and isinstance(records[0], Article), records
    return records[0]


def only_error(records: list) -> IngestError:
    assert len(records) == 1 and isinstance(records[0], IngestError), records
    return records[0]


# --- public API ---------------------------------------------------------------------------


def test_public_api_is_exported_and_documented():
    for name in ingest.__all__:
        assert hasattr(ingest, name), name
        obj = getattr(ingest, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


def test_read_options_rejects_unknown_fields():
    with pytest.raises(ValueError, match="bodytext"):
        ReadOptions(columns={"bodytext": "body"})


# --- dated text and plain text ------------------------------------------------------------


def test_dated_text_layout_takes_the_date_and_keeps_the_rest_as_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(("\ufeff date 2024-03-05 " + STORY + "\n\n" + OTHER + "\n").encode("utf-8"))
    article = only_article(read(path))
    assert article.date == date(2024, 3, 5)
    assert article.text == STORY + "\n\n" + OTHER
    assert article.title is None
    assert article.origin == str(path)
    assert article.source is None


def test_dated_text_date_wins_over_the_default_date(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("date: 2024-03-05\n" + STORY, encoding="utf-8")
    article = only_article(read(path, options=ReadOptions(date=date(2000, 1, 1))))
    assert article.date == date(2024, 3, 5)
    assert article.text == STORY


def test_dated_text_without_text_is_an_error(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("date 2024-03-05\n\n", encoding="utf-8")
    error = only_error(read(path))
    assert error.origin == str(path)
    assert "no article text" in error.reason


def test_plain_text_takes_the_default_date_first(tmp_path):
    path = tmp_path / "2023-01-02-locks.txt"
    path.write_text(STORY, encoding="utf-8")
    article = only_article(read(path, options=ReadOptions(date=date(2022, 5, 6), source="Desk")))
    assert article.date == date(2022, 5, 6)
    assert article.source == "Desk"
    assert article.title is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2023-01-02-locks.txt", date(2023, 1, 2)),
        ("locks_20230102.txt", date(2023, 1, 2)),
        ("locks.txt", None),
        ("locks-2023-13-45.txt", None),
    ],
)
def test_plain_text_date_from_the_file_name(tmp_path, name, expected):
    path = tmp_path / name
    path.write_text(STORY, encoding="utf-8")
    assert only_article(read(path)).date == expected


def test_unknown_extension_is_read_as_text(tmp_path):
    path = tmp_path / "notes.story"
    path.write_text(STORY, encoding="utf-8")
    assert only_article(read(path)).text == STORY


# --- JSON lines ---------------------------------------------------------------------------


def test_jsonl_reads_each_object_and_reports_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": STORY, "date": "2024-03-05", "title": "Locks shut", "url": "http://x.test/1",
                    "source": "Wire", "extra": [1, 2]}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": OTHER, "date": "5 March 2024"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = read(path, options=ReadOptions(source="Fallback"))
    assert [type(r).__name__ for r in records] == [
        "Article", "IngestError", "IngestError", "IngestError", "IngestError", "Article"
    ]
    first, bad_json, not_object, no_text, empty, last = records
    assert first == Article.make(STORY, date(2024, 3, 5), "Locks shut", "http://x.test/1", "Wire",
                                 f"{path}:line 1")
    assert bad_json.origin == f"{path}:line 3" and bad_json.reason.startswith("invalid JSON")
    assert not_object.origin == f"{path}:line 4" and "not an object" in not_object.reason
    assert no_text.origin == f"{path}:line 5" and "'text'" in no_text.reason and "'title'" in no_text.reason
    assert empty.origin == f"{path}:line 6" and empty.reason == "empty text"
    assert last.date == date(2024, 3, 5) and last.source == "Fallback" and last.title is None


def test_jsonl_column_mapping(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_text(json.dumps({"body": STORY, "published": "2024-03-05", "headline": "Locks"}) + "\n")
    options = ReadOptions(columns={"text": "body", "date": "published", "title": "headline"})
    article = only_article(read(path, options=options))
    assert (article.text, article.date, article.title) == (STORY, date(2024, 3, 5), "Locks")


# --- CSV and TSV --------------------------------------------------------------------------


def test_csv_reads_rows_with_flexible_dates(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(
        'id,date,text,title,source\n'
        f'7,2024-03-05,"{STORY}",Locks,Wire\n'
        f'8,"March 6, 2024","{OTHER}\nwith a second line",,\n'
        '9,2024-03-07,"  ",,\n'
        f'10,not a date,"{STORY} Again.",,\n',
        encoding="utf-8",
    )
    records = read(path)
    assert [type(r).__name__ for r in records] == ["Article", "Article", "IngestError", "IngestError", "Article"]
    assert records[0].origin == f"{path}:row 1"
    assert (records[0].date, records[0].title, records[0].source) == (date(2024, 3, 5), "Locks", "Wire")
    assert records[1].date == date(2024, 3, 6) and records[1].text.endswith("second line")
    assert records[1].title is None and records[1].source is None
    assert records[2] == IngestError(f"{path}:row 3", "empty text")
    assert records[3] == IngestError(f"{path}:row 4", "date 'not a date' not understood: dropped", "note")
    assert records[4].date is None


def test_csv_without_text_column_is_one_error_naming_the_columns(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("date,body\n2024-03-05,something\n2024-03-06,else\n", encoding="utf-8")
    error = only_error(read(path))
    assert error.origin == str(path)
    assert "'text'" in error.reason and "'date'" in error.reason and "'body'" in error.reason


def test_csv_with_huge_field(tmp_path):
    path = tmp_path / "big.csv"
    body = "word " * 60_000
    path.write_text(f'text\n"{body}"\n', encoding="utf-8")
    assert only_article(read(path)).text == body.strip()


def test_tsv(tmp_path):
    path = tmp_path / "table.tsv"
    path.write_text(f"story\twhen\n{STORY}\t20240305\n", encoding="utf-8")
    options = ReadOptions(columns={"text": "story", "date": "when"})
    article = only_article(read(path, options=options))
    assert (article.text, article.date) == (STORY, date(2024, 3, 5))


# --- HTML ---------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html>
<html><head><title>Locks shut | Valley Wire</title>
<meta property="og:title" content="Locks shut on the river">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><p>{STORY}</p><p>{OTHER}</p></article>
<footer>All rights reserved by the publisher of this page.</footer>
</body></html>"""


def test_html_main_text_title_and_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = only_article(read(path))
    assert STORY in article.text and OTHER in article.text
    assert "Sport" not in article.text and "rights reserved" not in article.text
    assert article.title == "Locks shut on the river"
    assert article.date == date(2024, 3, 5)
    assert article.origin == str(path)


def test_html_title_falls_back_to_the_title_element(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(f"<html><head><title>Locks shut</title></head><body><p>{STORY}</p></body></html>")
    article = only_article(read(path))
    assert article.title == "Locks shut"
    assert STORY in article.text


def test_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing</title></head><body></body></html>")
    error = only_error(read(path))
    assert error.origin == str(path) and "no main text" in error.reason


# --- RSS and Atom -------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Wire</title><link>http://x.test/</link>
<item><title>Locks &amp; levels</title><link>http://x.test/locks</link>
<pubDate>Tue, 05 Mar 2024 08:30:00 GMT</pubDate>
<description>&lt;p&gt;{STORY}&lt;/p&gt;&lt;p&gt;&lt;b&gt;{OTHER}&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>Headline only</title><link>http://x.test/none</link></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>River Notes</title>
<entry><title>Footbridge</title><link href="http://x.test/bridge"/>
<published>2024-02-01T10:00:00Z</published><updated>2024-02-03T10:00:00Z</updated>
<summary>short</summary>
<content type="html">&lt;p&gt;{OTHER}&lt;/p&gt;</content></entry></feed>
"""


def test_rss_entries_become_articles(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = read(path)
    assert first == Article.make(STORY + "\n\n" + OTHER, date(2024, 3, 5), "Locks & levels",
                                 "http://x.test/locks", "Valley Wire", f"{path}:entry 1")
    assert second == IngestError(f"{path}:entry 2", "empty text")


def test_atom_feed_in_an_xml_file(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text(ATOM, encoding="utf-8")
    article = only_article(read(path))
    assert (article.text, article.title, article.url, article.source, article.date) == (
        OTHER, "Footbridge", "http://x.test/bridge", "River Notes", date(2024, 2, 1))


def test_xml_that_is_not_a_feed_is_an_error(tmp_path):
    path = tmp_path / "settings.xml"
    path.write_text('<?xml version="1.0"?><settings><level>3</level></settings>')
    error = only_error(read(path))
    assert error.origin == str(path) and "not an RSS or Atom feed" in error.reason


# --- walking, stdin, counting -------------------------------------------------------------


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "one.txt").write_text("one " + STORY)
    (tmp_path / "a" / "deep" / "two.txt").write_text("two " + STORY)
    (tmp_path / "a" / "three.txt").write_text("three " + STORY)
    (tmp_path / "c.txt").write_text("four " + STORY)
    (tmp_path / ".hidden.txt").write_text("hidden " + STORY)
    (tmp_path / ".git" / "config.txt").write_text("hidden " + STORY)
    records = read(tmp_path)
    assert [Path(r.origin).relative_to(tmp_path).as_posix() for r in records] == [
        "a/deep/two.txt", "a/three.txt", "b/one.txt", "c.txt"
    ]
    assert count_inputs([str(tmp_path)]) == 4
    assert list(iter_inputs([str(tmp_path / "c.txt")])) == [str(tmp_path / "c.txt")]


def test_missing_path_is_an_error(tmp_path):
    missing = tmp_path / "nope.txt"
    assert read(missing) == [IngestError(str(missing), "no such file or directory")]


def test_stdin_json_lines():
    stdin = io.BytesIO((json.dumps({"text": STORY, "date": "2024-03-05"}) + "\n{broken\n").encode())
    first, second = read("-", stdin=stdin)
    assert first.text == STORY and first.origin == "<stdin>:line 1"
    assert isinstance(second, IngestError) and second.origin == "<stdin>:line 2"


def test_stdin_dated_text_from_a_text_stream():
    records = read("-", stdin=io.StringIO("\n date 2024-03-05 " + STORY))
    article = only_article(records)
    assert (article.date, article.text, article.origin) == (date(2024, 3, 5), STORY, "<stdin>")


def test_stdin_plain_text_and_files_together(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(OTHER)
    stdin = io.BytesIO(STORY.encode())
    records = read(path, "-", options=ReadOptions(date=date(2024, 1, 1)), stdin=stdin)
    assert [r.text for r in records] == [OTHER, STORY]
    assert all(r.date == date(2024, 1, 1) for r in records)


def test_read_stream_and_read_file_directly(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(STORY)
    assert only_article(list(read_file(path))).text == STORY
    assert only_article(list(read_stream(io.StringIO(STORY)))).text == STORY


# --- decoding and bad inputs --------------------------------------------------------------


def test_latin1_file_decodes(tmp_path):
    text = "Le ministre a déclaré à la presse que les négociations reprendraient à Genève. Über alles."
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    assert only_article(read(path)).text == text


def test_short_latin1_file_decodes_as_western_european(tmp_path):
    text = "Café in Zürich: the naïve délégué signed the accord."
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("latin-1"))
    assert only_article(read(path)).text == text


def test_utf16_file_decodes(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(STORY.encode("utf-16"))
    assert only_article(read(path)).text == STORY


def test_bad_files_are_errors_and_good_files_still_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY)
    binary = tmp_path / "noise.txt"
    binary.write_bytes(random.Random(7).randbytes(4096))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\t\n")
    no_text = tmp_path / "table.csv"
    no_text.write_text("date,body\n2024-03-05,x\n")
    also_good = tmp_path / "z.jsonl"
    also_good.write_text(json.dumps({"text": OTHER}) + "\n")
    records = read(good, binary, empty, no_text, also_good)
    assert [a.text for a in articles(records)] == [STORY, OTHER]
    by_origin = {e.origin: e.reason for e in errors(records)}
    assert by_origin.keys() == {str(binary), str(empty), str(no_text)}
    assert by_origin[str(binary)] == "undecodable bytes (not text in any known encoding)"
    assert by_origin[str(empty)] == "empty file"


def test_article_id_is_stable_for_the_same_text(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text("  " + STORY.replace(" ", "\n", 3) + "\n")
    first, second = read(tmp_path)
    assert first.id == second.id == article_id(STORY)
    assert only_article(read(tmp_path / "a.txt")).id == first.id


# Pieces of every format, so the generated inputs reach the readers, not just the decoder.
_PIECES = st.sampled_from(
    ["{", "}", "[", "]", '"', ",", ":", "\n", "\t", " ", "text", "date", "2024-03-05", "\ufeff", "\x00",
     '"text": ', "<p>", "</p>", "<html>", "<title>", '<rss version="2.0">', "<item>", "<description>",
     "&amp;", "&#0;", "date 2024-03-05 ", "é", "\u2028"]
)
_INPUTS = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(_PIECES, max_size=60).map(lambda p: "".join(p).encode("utf-8")),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_INPUTS, suffix=st.sampled_from([".txt", ".csv", ".tsv", ".jsonl", ".html", ".xml"]))
def test_reading_arbitrary_bytes_never_raises(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        records = read(path)
    assert all(isinstance(r, (Article, IngestError)) for r in records)
    assert all(r.origin.startswith(str(path)) for r in records)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=500))
def test_reading_arbitrary_text_from_stdin_never_raises(text):
    records = list(read_stream(io.StringIO(text)))
    assert all(isinstance(r, (Article, IngestError)) for r in records)


def test_feed_declared_latin1_decodes(tmp_path):
    path = tmp_path / "old.rss"
    path.write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Café Wire</title>'
        "<item><description>Le délégué est arrivé à Genève hier soir.</description></item></channel></rss>"
        .encode("latin-1")
    )
    article = only_article(read(path))
    assert (article.text, article.source) == ("Le délégué est arrivé à Genève hier soir.", "Café Wire")


def test_a_reader_that_fails_becomes_an_error(tmp_path, monkeypatch):
    def broken(text, origin, options):
        yield Article.make(text, origin=origin)
        raise RuntimeError("parser exploded")

    monkeypatch.setitem(READERS, ".boom", broken)
    path = tmp_path / "x.boom"
    path.write_text(STORY)
    (tmp_path / "y.txt").write_text(OTHER)
    first, failure, after = read(path, tmp_path / "y.txt")
    assert first.text == STORY
    assert failure == IngestError(str(path), "could not be read (RuntimeError: parser exploded)")
    assert after.text == OTHER


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T23:10:00+05:00", date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 08:30:00 GMT", date(2024, 3, 5)),
        ("5 March 2024", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        (20240305, date(2024, 3, 5)),
        ("March 2024", None),
        ("2024", None),
        ("yesterday-ish", None),
        ("0000-00-00", None),
        ("99999999999", None),
        ("", None),
        (None, None),
        (True, None),
        ([2024, 3, 5], None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_date_in_name_ignores_longer_digit_runs():
    assert date_in_name("id-120240305.txt") is None
    assert date_in_name("2024-03-05_2024-03-06.txt") == date(2024, 3, 5)


# --- real data ----------------------------------------------------------------------------


@pytest.mark.skipif(not GUARDIAN_CSV.exists(), reason=f"shared corpus not found at {GUARDIAN_CSV}")
def test_guardian_sample_reads_249_dated_articles():
    records = read(GUARDIAN_CSV)
    assert errors(records) == []
    found = articles(records)
    assert len(found) == 249
    assert all(a.date is not None and a.source == "Guardian" for a in found)
    assert min(a.date for a in found) >= date(2017, 1, 1)
    assert len({a.id for a in found}) == 249
