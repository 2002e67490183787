"""The Spark job behind `dyad spark code`: read articles, code each partition, write Parquet datasets.

Records are numbered in input order (`position`) and range-partitioned on that number, so every partition holds
a contiguous, sorted run of the input and `dyad import` can store articles in input order. Each partition is
coded by `code_partition`, which takes its Coder from a module-level cache: a Python worker (one per executor
core; Spark reuses it across tasks) loads the spaCy model once. What a partition yields is persisted, then
written four times: `articles/`, `events/`, `ties/` and `errors/` (see `dyad.spark.rows`).
"""

from __future__ import annotations

import os
import re
import sys
import time
import warnings
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Iterator

from dyad.ingest import ReadOptions
from dyad.ingest.clean import checked
from dyad.ingest.jsonl import read_jsonl
from dyad.ingest.records import at, read_record
from dyad.model import Article, CodedArticle, IngestError
from dyad.settings import Settings
from dyad.spark.rows import CODE, READ, article_row, error_row, event_row, tie_row

__all__ = ["INPUT_FORMATS", "SparkCodeOptions", "SparkCodeReport", "code_partition", "input_format_of", "run"]

INPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv",
             ".parquet": "parquet", ".pq": "parquet"}
DATASETS = ("articles", "events", "ties", "errors")
# Partitions of about this many articles when --partitions is not given: small enough to balance the cores.
_ARTICLES_PER_PARTITION = 2000


@dataclass(frozen=True)
class SparkCodeOptions:
    """What `dyad spark code` was asked to do."""

    input: str  # a path or any URL Spark reads (file, directory, glob, hdfs://, s3a://, ...)
    output: str  # the directory that receives articles/, events/, ties/ and errors/
    master: str | None = None  # None: what spark-submit set, else local[*]
    input_format: str | None = None  # jsonl, csv, tsv or parquet; None: from the input's extension
    partitions: int | None = None
    read: ReadOptions = ReadOptions()
    overwrite: bool = False
    conf: tuple[tuple[str, str], ...] = ()  # extra Spark settings (key, value)
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class SparkCodeReport:
    """What a Spark run wrote: counts over the whole input and the time it took."""

    records: int
    articles: int
    coded: int
    events: int
    ties: int
    refused: int
    notes: int
    partitions: int
    seconds: float


def input_format_of(path: str) -> str:
    """The input format named by a path's extension (or by the files of a local directory)."""
    suffix = Path(path.rstrip("/")).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if os.path.isdir(path):
        found = {_SUFFIXES[p.suffix.lower()] for p in Path(path).iterdir()
                 if p.is_file() and p.suffix.lower() in _SUFFIXES and not p.name.startswith(("_", "."))}
        if len(found) == 1:
            return found.pop()
    raise ValueError(f"cannot tell the format of {path!r} from its name: give --input-format "
                     f"({', '.join(INPUT_FORMATS)})")


# -- on the executors -----------------------------------------------------------------------------------

_CODER: tuple[Settings, Any] | None = None  # (settings, Coder): one per Python worker process


def _cached_coder(settings: Settings):
    global _CODER
    if _CODER is None or _CODER[0] != settings:
        from dyad.pipeline import Coder  # imported here: the driver never loads the model

        _CODER = (settings, Coder.from_settings(settings))
    return _CODER[1]


@dataclass(frozen=True)
class Coded:
    """What one input record became: reading's notes and refusals, the article, what coding found."""

    position: int
    part: int
    read_errors: list[IngestError]
    article: Article | None
    coded: CodedArticle | None
    code_errors: list[IngestError]


def _plain(value: Any) -> Any:
    """Spark's values as dyad's readers expect them: dates as ISO text, rows as dicts."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "asDict"):
        return {k: _plain(v) for k, v in value.asDict().items()}
    return value


def _renumbered(item: Article | IngestError, origin: str) -> Article | IngestError:
    return replace(item, origin=origin)


def read_one(value: Any, position: int, fmt: str, source: str, options: ReadOptions) -> list[Article | IngestError]:
    """One input record through dyad's own readers and repairs: notes and refusals, then the article."""
    if fmt == "jsonl":
        line = value if isinstance(value, str) else value[0]  # a row of spark.read.text: its one column
        where = at(source, "line", position + 1)
        if not (line or "").strip():
            return []
        items = (_renumbered(i, where) for i in read_jsonl(line, source, options))
    else:
        record = {k: _plain(v) for k, v in value.asDict().items()}
        items = read_record(record, at(source, "row", position + 1), options)
    return list(checked(items, options))


def code_partition(spec: SparkCodeOptions, fmt: str, part: int, records: Iterable[tuple[int, Any]]) -> Iterator[Coded]:
    """Read and code one partition's (position, record) pairs, in batches of `settings.batch_size` articles."""
    from dyad.pipeline import _too_long  # the same limit `dyad code` applies

    settings = spec.settings
    coder = _cached_coder(settings)
    pending: list[tuple[int, list[IngestError], Article | None]] = []

    def flush() -> Iterator[Coded]:
        todo = [a for _, _, a in pending if a is not None and _too_long(a, settings) is None]
        results = iter(coder.code(todo))
        for position, errors, article in pending:
            if article is None:
                yield Coded(position, part, errors, None, None, [])
            elif (refused := _too_long(article, settings)) is not None:
                yield Coded(position, part, errors, article, None, [refused])
            else:
                coded = next(results)
                yield Coded(position, part, errors, article, coded, list(coded.notes))
        pending.clear()

    for position, value in records:
        items = read_one(value, position, fmt, spec.input, spec.read)
        articles = [i for i in items if isinstance(i, Article)]
        pending.append((position, [i for i in items if isinstance(i, IngestError)], articles[0] if articles else None))
        if sum(1 for p in pending if p[2] is not None) >= settings.batch_size:
            yield from flush()
    yield from flush()


def _error_rows(c: Coded) -> list[dict]:
    rows = [error_row(e, c.position, i, READ, c.part) for i, e in enumerate(c.read_errors)]
    start = len(rows)
    return rows + [error_row(e, c.position, start + i, CODE, c.part) for i, e in enumerate(c.code_errors)]


# -- on the driver --------------------------------------------------------------------------------------

def _schemas():
    from pyspark.sql import types as T

    s, i, lng, d, f, b = T.StringType(), T.IntegerType(), T.LongType(), T.DateType(), T.DoubleType(), T.BooleanType()

    def struct(*cols):
        return T.StructType([T.StructField(name, kind, True) for name, kind in cols])

    ref = struct(("text", s), ("name", s), ("country", s), ("sector", s), ("affiliation", s))
    actor = struct(("name", s), ("country", s), ("sector", s), ("affiliation", s), ("code", s))
    place = (("position", lng), ("seq", i), ("part", i))
    error = struct(("position", lng), ("seq", i), ("part", i), ("stage", s), ("origin", s), ("reason", s), ("kind", s))
    mention = struct(("text", s), ("start", i), ("end", i), ("sentence_index", i), ("actor", actor), ("how", s),
                     ("antecedent", s))
    return {
        "events": struct(("article_id", s), ("sentence_index", i), ("sentence", s), ("event_type", s), ("mode", s),
                         ("actor", ref), ("recipient", ref), ("modality", s), ("attribution", s), ("date", d),
                         ("date_precision", s), ("location", s), ("location_country", s), ("cameo", s),
                         ("score", f), ("confidence", f), ("trigger", s), ("why", s), *place),
        "ties": struct(("kind", s), ("a", ref), ("b", ref), ("directed", b), ("evidence", s), ("article_id", s),
                       ("sentence_index", i), ("date", d), *place),
        "errors": error,
        "articles": struct(("id", s), ("text", s), ("date", d), ("title", s), ("url", s), ("source", s),
                           ("origin", s), ("position", lng), ("part", i), ("coded", b),
                           ("sentences", T.ArrayType(s)), ("mentions", T.ArrayType(mention)),
                           ("notes", T.ArrayType(error))),
    }


def _rows(kind: str, c: Coded) -> list[dict]:
    if kind == "articles":
        return [article_row(c.article, c.coded, c.position, c.part)] if c.article is not None else []
    if kind == "events":
        return [event_row(e, c.position, n, c.part) for n, e in enumerate(c.coded.events)] if c.coded else []
    if kind == "ties":
        return [tie_row(t, c.position, n, c.part) for n, t in enumerate(c.coded.ties)] if c.coded else []
    return _error_rows(c)


def _is_local(master: str | None) -> bool:
    return master is None or master.startswith("local")


def session(options: SparkCodeOptions):
    """A SparkSession for the options; a local one binds to 127.0.0.1 only and runs this Python."""
    master = options.master
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        master = "local[*]"
    if _is_local(master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # never bind a public address for a local run
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # pyspark warns that it does not fully support pandas 3; dyad uses none of its pandas API
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("dyad code").config("spark.ui.showConsoleProgress", "false")
    if master is not None:
        builder = builder.master(master)
    if _is_local(master):
        builder = (builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false"))
    for key, value in options.conf:
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read(spark, options: SparkCodeOptions, fmt: str):
    """The input as a DataFrame: raw lines for JSON lines (dyad parses them), rows for tables."""
    reader = spark.read
    if fmt == "jsonl":
        return reader.text(options.input)
    if fmt == "parquet":
        df = reader.parquet(options.input)
    else:
        df = reader.csv(options.input, header=True, multiLine=True, escape='"', sep="\t" if fmt == "tsv" else ",")
    text = options.read.column("text")
    if text not in df.columns:
        raise ValueError(f"no {text!r} column in {options.input}; the columns are {', '.join(df.columns) or 'none'}")
    return df


def _check_output(options: SparkCodeOptions) -> None:
    out = options.output
    if "://" in out and not out.startswith("file://"):
        return  # a remote store: Spark itself refuses to overwrite without --overwrite
    path = Path(out.removeprefix("file://"))
    if path.exists() and any(path.iterdir()) and not options.overwrite:
        raise ValueError(f"{out} exists and is not empty: choose another --output or add --overwrite")


def run(options: SparkCodeOptions, spark=None) -> SparkCodeReport:
    """Code the input on Spark and write the four datasets; uses (and leaves running) `spark` when given."""
    fmt = options.input_format or input_format_of(options.input)
    _check_output(options)
    started = time.perf_counter()
    own = spark is None
    spark = spark or session(options)
    try:
        from pyspark import StorageLevel
        from pyspark.errors import PySparkException
        from py4j.protocol import Py4JError

        indexed = _read(spark, options, fmt).rdd.zipWithIndex().map(lambda pair: (pair[1], pair[0]))
        total = indexed.count()
        parts = options.partitions or max(1, min(total, max(4 * spark.sparkContext.defaultParallelism,
                                                            -(-total // _ARTICLES_PER_PARTITION))))
        ranged = indexed.repartitionAndSortWithinPartitions(parts, partial(_range_part, total=total, parts=parts))
        coded = ranged.mapPartitionsWithIndex(partial(code_partition, options, fmt))
        coded.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            schemas = _schemas()
            mode = "overwrite" if options.overwrite else "errorifexists"
            for kind in DATASETS:
                frame = spark.createDataFrame(coded.flatMap(partial(_rows, kind)), schemas[kind])
                frame.write.mode(mode).parquet(f"{options.output.rstrip('/')}/{kind}")
            counts = coded.map(_counts).fold((0,) * 7, _add)
        finally:
            coded.unpersist()
    except (PySparkException, Py4JError) as exc:
        raise RuntimeError(f"the Spark job failed: {_cause(exc)}") from exc
    finally:
        if own:
            spark.stop()
    records, articles, done, events, ties, refused, notes = counts
    return SparkCodeReport(records, articles, done, events, ties, refused, notes, parts,
                           time.perf_counter() - started)


def _cause(exc: BaseException) -> str:
    """The line of a Spark error that names what went wrong (an executor's Python exception, if any)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return (named or lines or [type(exc).__name__])[-1 if named else 0]


def _range_part(position: int, total: int, parts: int) -> int:
    return min(parts - 1, position * parts // max(total, 1))


def _counts(c: Coded) -> tuple[int, ...]:
    errors = [*c.read_errors, *c.code_errors]
    return (1, int(c.article is not None), int(c.coded is not None), len(c.coded.events) if c.coded else 0,
            len(c.coded.ties) if c.coded else 0, sum(e.refused for e in errors), sum(not e.refused for e in errors))


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b))
