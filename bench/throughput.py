"""Throughput of dyad against spaCy alone, on 1 and 2 workers, and of the Spark job on local[1] and local[2].

For each worker count N, in one run, each measurement in a fresh subprocess (so that peak memory is its own):

  (a) spaCy alone: the same spaCy model over the same texts, on N processes as `dyad code --workers N` uses
      them (one process for N=1, otherwise a spawned pool), in the same batches (`pipeline.batches`);
  (b) dyad end to end, as `dyad code PATH --workers N --quiet` runs it: read the CSV, check near-duplicates,
      parse and code, store into a fresh SQLite file.

Both clocks start before the model is loaded (workers load their own) and stop when the last article is done;
imports of the measuring process itself are not timed. Beside wall time it prints the CPU time of the
measurement and its workers, which other processes on a shared machine disturb less. It prints articles and sentences per second, the speed
of dyad relative to spaCy alone (time_a / time_b: 1.0 or more means dyad end to end is as fast as spaCy alone or
faster) and each worker's peak resident memory (ru_maxrss). With --spark it also times `dyad spark code` on
local[1] and local[2] (JVM start included), prints the speed-up, and checks that importing the Spark output
stores the same events as `dyad code`.

The machine may be shared: the load average before and after each measurement is printed with it.

    .venv/bin/python bench/throughput.py                    # 1 and 2 workers on the Guardian sample
    .venv/bin/python bench/throughput.py --spark            # and the Spark speed-up (slow: minutes)
    .venv/bin/python bench/throughput.py --limit 40 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "guardian" / "Guardian_SDF_sample.csv"


# -- measurements (each runs in its own subprocess: `throughput.py --measure KIND ...`) -------------------

def _articles(corpus: str):
    from dyad.ingest import ReadOptions, read_paths
    from dyad.model import Article

    return [a for a in read_paths([corpus], ReadOptions()) if isinstance(a, Article)]


def _prefix(corpus: str, limit: int, path: Path) -> str:
    """The first `limit` articles of the corpus as a JSON lines file (so every run reads the same input)."""
    with path.open("w") as out:
        for a in _articles(corpus)[:limit]:
            record = {"text": a.text, "date": a.date.isoformat() if a.date else None, "source": a.source}
            out.write(json.dumps(record) + "\n")
    return str(path)


_NLP = None


def _spacy_init(model: str) -> None:
    global _NLP
    import spacy

    _NLP = spacy.load(model)


def _spacy_batches(batches: list[list[str]]) -> tuple[int, float, int, int]:
    from dyad.parallel import peak_rss_mb

    sents = tokens = 0
    for texts in batches:
        for doc in _NLP.pipe(texts, batch_size=len(texts)):
            sents += sum(1 for _ in doc.sents)
            tokens += len(doc)
    return os.getpid(), peak_rss_mb(), sents, tokens


def measure_spacy(corpus: str, workers: int) -> dict:
    """(a): spaCy's pipeline alone over the articles' texts on `workers` processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from dyad.parallel import peak_rss_mb
    from dyad.settings import Settings

    from dyad.pipeline import batches

    settings = Settings.from_env()
    articles = _articles(corpus)
    started = time.perf_counter()
    texts = [[a.text for a in batch] for batch in batches(articles, settings)]
    if workers == 1:
        _spacy_init(settings.spacy_model)
        results = [_spacy_batches(texts)]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_spacy_init, initargs=(settings.spacy_model,)) as pool:
            results = list(pool.map(_spacy_batches, [[batch] for batch in texts]))
    seconds = time.perf_counter() - started
    peaks: dict[int, float] = {}
    for pid, rss, _, _ in results:
        peaks[pid] = max(rss, peaks.get(pid, 0.0))
    return {"seconds": seconds, "sentences": sum(r[2] for r in results),
            "articles": len(articles), "tokens": sum(r[3] for r in results), "worker_peak_mb": sorted(peaks.values()),
            "main_peak_mb": peak_rss_mb()}


def measure_dyad(corpus: str, workers: int, db: str) -> dict:
    """(b): `dyad code` end to end into a fresh SQLite file, on `workers` processes."""
    from dyad.ingest import ReadOptions
    from dyad.parallel import ParallelCoder, coder_for, peak_rss_mb
    from dyad.pipeline import code_paths
    from dyad.settings import Settings
    from dyad.store import Store

    settings = Settings.from_env(db=db, workers=workers)
    started = time.perf_counter()
    with Store.open(db) as store:
        coder = coder_for(settings)
        report = code_paths([corpus], store, coder, ReadOptions(), keep=True)
    seconds = time.perf_counter() - started
    peaks = sorted(coder.stats.peak_rss_mb.values()) if isinstance(coder, ParallelCoder) else [peak_rss_mb()]
    return {"seconds": seconds, "articles": report.read, "stored": report.stored,
            "near_duplicates": report.near_duplicates, "sentences": sum(len(c.sentences) for c in report.coded),
            "events": report.events, "worker_peak_mb": peaks, "main_peak_mb": peak_rss_mb()}


def measure_spark(corpus: str, cores: int, out: str) -> dict:
    """`dyad spark code` on local[cores] (session start included)."""
    from dyad.spark import SparkCodeOptions, run

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    started = time.perf_counter()
    report = run(SparkCodeOptions(input=corpus, output=out, master=f"local[{cores}]", overwrite=True))
    return {"seconds": time.perf_counter() - started, "job_seconds": report.seconds, "articles": report.articles,
            "events": report.events, "partitions": report.partitions}


# -- orchestration ----------------------------------------------------------------------------------------

def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for descendants: pool workers included
    return usage.ru_utime + usage.ru_stime


def _sub(corpus: str, *args: str) -> dict:
    before, cpu = _load(), _cpu_children()
    proc = subprocess.run([sys.executable, __file__, "--corpus", corpus, "--measure", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"measurement {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load"] = f"{before} -> {_load()}"
    result["cpu"] = _cpu_children() - cpu
    return result


def _line(label: str, r: dict, sentences: int) -> str:
    s = r["seconds"]
    peak = max(r["worker_peak_mb"]) if r.get("worker_peak_mb") else float("nan")
    return (f"  {label:<16} {s:7.1f} s  {r['articles'] / s:6.2f} art/s  {sentences / s:6.1f} sent/s  "
            f"peak {peak:4.0f} MB/worker (main {r['main_peak_mb']:.0f})  CPU {r['cpu']:.1f} s  load {r['load']}")


def _events(db: str) -> list[str]:
    from dyad.formats import write_events
    from dyad.store import Store
    import io

    buf = io.StringIO()
    with Store.open(db) as store:
        write_events(buf, store.events(), "jsonl")
    return buf.getvalue().splitlines()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments; run one measurement (--measure) or all of them and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(CORPUS), help="CSV (or any dyad input) of articles")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="worker counts to measure (none: only --spark)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--spark", action="store_true", help="also time dyad spark code on local[1] and local[2]")
    ap.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        kind, n, *rest = args.measure
        fn = {"spacy": measure_spacy, "dyad": measure_dyad, "spark": measure_spark}[kind]
        print(json.dumps(fn(args.corpus, int(n), *rest)))
        return
    if not Path(args.corpus).exists():
        sys.exit(f"needs {args.corpus} (../shared is not present here)")
    tmp = Path(tempfile.mkdtemp(prefix="dyad-throughput-"))
    corpus = _prefix(args.corpus, args.limit, tmp / "prefix.jsonl") if args.limit else args.corpus
    print(f"corpus {args.corpus}{f' (first {args.limit} articles)' if args.limit else ''}; {os.cpu_count()} cores; "
          f"load {_load()}")
    dbs = {}
    for n in args.workers:
        a = _sub(corpus, "spacy", str(n))
        db = str(tmp / f"dyad-{n}.db")
        b = _sub(corpus, "dyad", str(n), db)
        dbs[n] = db
        sentences = a["sentences"]
        print(f"workers {n}: {a['articles']} articles, {sentences} sentences, {a['tokens']} tokens; "
              f"dyad stored {b['stored']} ({b['near_duplicates']} near-duplicates linked), {b['events']} events")
        print(_line("(a) spaCy alone", a, sentences))
        print(_line("(b) dyad code", b, sentences))
        print(f"  speed b/a = time_a / time_b = {a['seconds'] / b['seconds']:.2f}  (>= 1.0: dyad end to end is as "
              f"fast as spaCy alone or faster; target >= 0.75); by CPU time {a['cpu'] / b['cpu']:.2f}")
    if len(dbs) > 1:
        same = len({tuple(_events(db)) for db in dbs.values()}) == 1
        print(f"events stored with {' and '.join(map(str, dbs))} workers identical: {'yes' if same else 'NO'}")
    if args.spark:
        runs = {}
        for cores in (1, 2):
            out = str(tmp / f"spark-{cores}")
            runs[cores] = _sub(corpus, "spark", str(cores), out)
            r = runs[cores]
            print(f"spark local[{cores}]: {r['seconds']:.1f} s in all ({r['job_seconds']:.1f} s job), "
                  f"{r['articles'] / r['seconds']:.2f} art/s, {r['partitions']} partitions, {r['events']} events  "
                  f"load {r['load']}")
        print(f"  speed-up local[1] -> local[2]: {runs[1]['seconds'] / runs[2]['seconds']:.2f}x")
        if dbs:
            from dyad.spark import import_output
            from dyad.store import Store

            db = str(tmp / "spark-import.db")
            with Store.open(db) as store:
                import_output(str(tmp / "spark-2"), store)
            reference = _events(next(iter(dbs.values())))
            same = _events(db) == reference
            print(f"  spark (local[2]) output imported: {len(_events(db))} events; same as dyad code "
                  f"({len(reference)}): {'yes' if same else 'NO'}")
    print(f"(databases and Spark output kept in {tmp})")


if __name__ == "__main__":
    main()
