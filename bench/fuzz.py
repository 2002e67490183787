"""Fuzz every reader and the coder: random and mutated inputs, each with a time limit; prints crashes and hangs.

Every input runs in a worker process; an input that raises (or breaks a reader's promises: text without
invisible characters, an id that is the hash of the text, no date in the future) is a crash, one that takes
more than --timeout seconds of CPU time (or ten times that in wall-clock time) is a hang (the worker is killed
and started again). CPU time, because a shared machine's other work stretches wall-clock time. Inputs are generated with a
fixed seed: structured documents of each format (dated text, JSON lines, CSV, TSV, HTML, RSS/Atom), the example
corpus, and mutations of both (cut, repeated, spliced, sprinkled with control, invisible and bidirectional
characters, deep nesting, entity bombs). Inputs that crash or hang are written to bench-output/fuzz/.

    .venv/bin/python bench/fuzz.py                         # 10,000 inputs per reader, 10,000 texts for the coder
    .venv/bin/python bench/fuzz.py --n 500 --coder-n 200   # quicker
    .venv/bin/python bench/fuzz.py --engine atheris --target html --runs 20000   # coverage-guided (libFuzzer)

The atheris engine runs one target in this process under libFuzzer (atheris==3.0.0, in the test extra) with
the example corpus as seeds; libFuzzer stops at the first crash or hang (-timeout) and says so.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
OUT = ROOT / "bench-output" / "fuzz"

READERS = ("text", "jsonl", "csv", "tsv", "html", "feed", "file", "stdin")
TARGETS = (*READERS, "coder")
CODER_CHARS = 20_000  # the longest text given to the coder (spaCy's small model codes about 10,000 a second)
_EXTENSIONS = {"text": ".txt", "jsonl": ".jsonl", "csv": ".csv", "tsv": ".tsv", "html": ".html", "feed": ".rss"}

# --- input generation ---------------------------------------------------------------------------------------

_WORDS = ["Germany", "condemned", "Russia", "the United States", "Hamas", "Qatar", "met", "with", "said", "that",
          "on", "Monday", "agreed", "to", "talks", "between", "and", "Israel", "Egypt", "hosted", "not", "would",
          "Blinken", "the president of", "Kosovo", "it", "they", "NATO", "accused", "of", "according to",
          "officials", "troops", "attacked", "2024-03-05", "March 5, 2024", "last week", "(", ")", "\"", "'", ",",
          ".", ";", ":", "-", "—", "\n", "\n\n", "\t", "é", "ß", "中国", "Россия", "مصر", "🇺🇸", "\u200b", "\u202e",
          "\u2066", "\x00", "\x1b", "\x85", "\ufeff", "\u00ad", "\u2028", "\r", "&amp;", "<b>", "</b>", "{", "}"]
_DATES = ["2024-03-05", "2024-13-45", "0000-00-00", "2999-12-31", "Tue, 05 Mar 2024 08:30:00 GMT", "yesterday",
          "5 March 2024", "March 2024", "20240305", "99999999999", "-1", "", "2024-03-05T25:61:00Z", "1e9",
          "Mon, 31 Feb 2023", "१२३", "2024-03-05" * 20]
_TAGS = ["html", "head", "title", "body", "article", "main", "div", "p", "span", "a", "b", "i", "br", "script",
         "style", "table", "tr", "td", "ul", "li", "h1", "h2", "time", "meta", "header", "footer", "nav", "figure",
         "noscript", "template", "svg", "math", "iframe", "pre", "blockquote", "section", "aside"]
_ENTITIES = ["&amp;", "&lt;", "&#0;", "&#x110000;", "&#65;", "&bogus;", "&nbsp;", "&#xD800;", "&", "&#9999999999;"]
_BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
         + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(9))
         + ']><rss version="2.0"><channel><item><description>&lol8;</description></item></channel></rss>')
_EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
             '<rss version="2.0"><channel><item><description>&x;</description></item></channel></rss>')


def _unicode(rng: random.Random, n: int) -> str:
    """Characters from all over Unicode (surrogates included), weighted towards ASCII."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.6:
            out.append(chr(rng.randrange(0x20, 0x7F)))
        elif r < 0.7:
            out.append(chr(rng.randrange(0, 0x20)))
        elif r < 0.95:
            out.append(chr(rng.randrange(0x80, 0x3000)))
        else:
            out.append(chr(rng.randrange(0, 0x110000)))
    return "".join(out)


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def _value(rng: random.Random, depth: int = 0) -> object:
    """A random JSON value."""
    r = rng.random()
    if depth > 3 or r < 0.4:
        return _prose(rng, rng.randint(0, 30))
    if r < 0.5:
        return rng.choice([None, True, False, 0, -1, 3.5, 10**30, float("1e308")])
    if r < 0.6:
        return rng.choice(_DATES)
    if r < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["text", "date", "title", "url", "source", "x", ""]): _value(rng, depth + 1)
            for _ in range(rng.randint(0, 5))}


def _record(rng: random.Random) -> dict:
    record = {"text": _prose(rng, rng.randint(0, 80)) if rng.random() < 0.8 else _value(rng)}
    for key in ("date", "title", "url", "source"):
        if rng.random() < 0.5:
            record[key] = rng.choice(_DATES) if key == "date" and rng.random() < 0.7 else _value(rng, 2)
    return record


def gen_text(rng: random.Random) -> str:
    body = _prose(rng, rng.randint(0, 200)) if rng.random() < 0.7 else _unicode(rng, rng.randint(0, 500))
    return f"date {rng.choice(_DATES)} {body}" if rng.random() < 0.4 else body


def gen_jsonl(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 8)):
        r = rng.random()
        if r < 0.7:
            lines.append(json.dumps(_record(rng), ensure_ascii=rng.random() < 0.5))
        elif r < 0.8:
            lines.append("[" * rng.randint(1, 5000) + "]" * rng.randint(0, 5))
        elif r < 0.9:
            lines.append(json.dumps(_value(rng)))
        else:
            lines.append(_unicode(rng, rng.randint(0, 80)))
    return "\n".join(lines)


def gen_table(rng: random.Random, delimiter: str = ",") -> str:
    columns = rng.sample(["text", "date", "title", "url", "source", "id", "", "text"], rng.randint(0, 6))
    rows = [delimiter.join(columns)]
    for _ in range(rng.randint(0, 6)):
        cells = []
        for column in columns:
            value = rng.choice(_DATES) if column == "date" else _prose(rng, rng.randint(0, 40))
            if rng.random() < 0.5:
                value = '"' + value.replace('"', '""' if rng.random() < 0.8 else '"') + '"'
            cells.append(value)
        rows.append(delimiter.join(cells[: rng.randint(0, len(cells) + 1)] if rng.random() < 0.2 else cells))
    return "\n".join(rows)


def _element(rng: random.Random, depth: int) -> str:
    if depth > 6 or rng.random() < 0.3:
        return rng.choice([_prose(rng, rng.randint(0, 20)), rng.choice(_ENTITIES), "<!-- c -->", "<![CDATA[x]]>",
                           "<", ">", "</p>", "<p", "<?php x ?>"])
    tag = rng.choice(_TAGS)
    attrs = "".join(f' {rng.choice(["class", "content", "property", "name", "datetime", "href", "id"])}='
                    f'"{rng.choice(_DATES + ["article:published_time", "og:title", "x"])}"'
                    for _ in range(rng.randint(0, 3)))
    inner = "".join(_element(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    return f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if rng.random() < 0.85 else "")


def gen_html(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.05:
        n = rng.randint(100, 3000)
        return "<html><body>" + "<div>" * n + _prose(rng, 20) + "</div>" * rng.randint(0, n) + "</body></html>"
    return "<html><head><title>" + _prose(rng, 5) + "</title></head><body>" + "".join(
        _element(rng, 0) for _ in range(rng.randint(0, 6))) + "</body></html>"


def gen_feed(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.03:
        return _BOMB
    if r < 0.06:
        return _EXTERNAL
    atom = r < 0.4
    entries = []
    for _ in range(rng.randint(0, 5)):
        text = rng.choice([_prose(rng, rng.randint(0, 40)), "<![CDATA[<p>" + _prose(rng, 20) + "</p>]]>",
                           "&lt;p&gt;" + _prose(rng, 10) + "&lt;/p&gt;", _unicode(rng, 40).replace("<", "")])
        when = rng.choice(_DATES)
        if atom:
            entries.append(f"<entry><title>{_prose(rng, 4)}</title><updated>{when}</updated>"
                           f'<content type="{rng.choice(["html", "text", "xhtml"])}">{text}</content></entry>')
        else:
            entries.append(f"<item><title>{_prose(rng, 4)}</title><pubDate>{when}</pubDate>"
                           f"<description>{text}</description><link>{_prose(rng, 1)}</link></item>")
    if atom:
        return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{"".join(entries)}</feed>'
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{"".join(entries)}</channel></rss>'


def gen_coder_text(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return _prose(rng, rng.randint(0, 150))
    if r < 0.8:
        return _unicode(rng, rng.randint(0, 600))
    if r < 0.84:  # one sentence that never ends
        return "Germany condemned Russia " + " and ".join(rng.choice(_WORDS) for _ in range(rng.randint(200, 2000)))
    if r < 0.88:  # attributions inside attributions
        return "Egypt said that " * rng.randint(10, 300) + "Israel attacked Hamas."
    if r < 0.92:  # brackets and quotes nested deep
        n = rng.randint(10, 500)
        return "(" * n + "Qatar met Hamas" + ")" * n + ' "' * n
    if r < 0.95:  # every actor at once
        return ", ".join(rng.choice(_WORDS[:20]) for _ in range(rng.randint(100, 1500))) + " met on Monday."
    if r < 0.98:
        return rng.choice(_WORDS) * rng.randint(100, 3000)
    return "\n".join(_prose(rng, 12) + "." for _ in range(rng.randint(50, 300)))


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "text": gen_text,
    "jsonl": gen_jsonl,
    "csv": gen_table,
    "tsv": lambda rng: gen_table(rng, "\t"),
    "html": gen_html,
    "feed": gen_feed,
    "coder": gen_coder_text,
}


def _seeds() -> dict[str, list[str]]:
    """The example corpus by reader: real documents to mutate."""
    def texts(pattern: str) -> list[str]:
        return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(EXAMPLES.glob(pattern))]

    seeds = {"text": texts("dated/*.txt") + texts("plain/*"), "jsonl": texts("*.jsonl"), "csv": texts("*.csv"),
             "html": texts("pages/*"), "feed": texts("*.rss")}
    seeds["tsv"] = [s.replace(",", "\t") for s in seeds["csv"]]
    seeds["coder"] = seeds["text"]
    return seeds


def mutate(rng: random.Random, text: str, others: list[str]) -> str:
    """A few random edits: cut, repeat, splice, insert odd characters or markup."""
    for _ in range(rng.randint(1, 8)):
        n = len(text)
        i, j = sorted((rng.randint(0, n), rng.randint(0, n)))
        r = rng.random()
        if r < 0.2:
            text = text[:i] + text[j:]
        elif r < 0.35:
            text = text[:i] + text[i:j] * rng.randint(2, 20) + text[j:]
        elif r < 0.5 and others:
            other = rng.choice(others)
            k = rng.randint(0, len(other))
            text = text[:i] + other[k : k + rng.randint(0, 2000)] + text[i:]
        elif r < 0.7:
            text = text[:i] + rng.choice(_WORDS + _ENTITIES + _DATES) + text[i:]
        elif r < 0.85:
            text = text[:i] + _unicode(rng, rng.randint(1, 20)) + text[i:]
        else:
            text = text[:i]
    return text[:300_000]


def _to_bytes(rng: random.Random, text: str) -> bytes:
    r = rng.random()
    if r < 0.1:
        return rng.randbytes(rng.randint(0, 4000))
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "utf-32"])
    data = text.encode(encoding, errors="replace")
    if r < 0.3 and data:
        at = rng.randrange(len(data))
        data = data[:at] + rng.randbytes(rng.randint(1, 8)) + data[at:]
    return data


def inputs(target: str, n: int, seed: int) -> list[object]:
    """`n` inputs for a target, the same for the same seed: generated, seeds, and mutations of both."""
    rng = random.Random(f"{seed}-{target}")
    seeds = _seeds()
    kind = {"file": None, "stdin": None}.get(target, target)
    out: list[object] = []
    for _ in range(n):
        fmt = kind or rng.choice(list(_EXTENSIONS))
        pool = seeds.get(fmt, [])
        r = rng.random()
        text = GENERATORS[fmt](rng) if r < 0.5 or not pool else rng.choice(pool)
        if r > 0.3:
            text = mutate(rng, text, pool)
        if target == "coder":  # news-article sizes: the time limit should catch blow-ups, not long texts
            text = text[:CODER_CHARS]
        if target == "file":
            out.append((_EXTENSIONS[fmt] if rng.random() < 0.9 else rng.choice([".xml", ".bin", ""]),
                         _to_bytes(rng, text)))
        elif target == "stdin":
            out.append(_to_bytes(rng, text))
        else:
            out.append(text)
    return out


# --- running one input ------------------------------------------------------------------------------------

def _check(records: list, origin: str, latest: date) -> None:
    """Raise AssertionError when a reader broke its promises."""
    from dyad.ingest.clean import strip_invisible
    from dyad.model import Article, IngestError, article_id

    for r in records:
        assert isinstance(r, (Article, IngestError)), type(r)
        assert r.origin.startswith(origin), (r.origin, origin)
        if isinstance(r, Article):
            assert r.text.strip() and r.text == r.text.strip(), "empty or unstripped text"
            assert not strip_invisible(r.text)[1], "invisible characters left in the text"
            assert r.id == article_id(r.text), "id is not the hash of the text"
            assert r.date is None or r.date <= latest, f"date {r.date} in the future"


def _runner(target: str) -> Callable[[object], None]:
    """A function running one input through a target (loading what it needs once)."""
    import io
    import os
    import tempfile

    from dyad.ingest import ReadOptions, read_file, read_stream
    from dyad.ingest.clean import FUTURE_SLACK, checked
    from dyad.ingest.formats import READERS as BY_EXTENSION

    options = ReadOptions()
    latest = date.today() + FUTURE_SLACK
    if target == "coder":
        from dyad.model import Article
        from dyad.pipeline import Coder
        from dyad.settings import Settings

        coder = Coder.from_settings(Settings())

        def code(text: object) -> None:
            coded = next(coder.code([Article.make(str(text), date=date(2024, 3, 5))]))
            for e in [*coded.events, *coded.ties]:
                assert 0 <= e.sentence_index < len(coded.sentences) and e.article_id == coded.article.id

        return code
    if target == "file":
        folder = tempfile.mkdtemp(prefix="dyad-fuzz-")

        def from_file(item: object) -> None:
            suffix, data = item  # type: ignore[misc]
            path = os.path.join(folder, f"input{suffix}")
            with open(path, "wb") as handle:
                handle.write(data)
            _check(list(read_file(path, options)), path, latest)

        return from_file
    if target == "stdin":
        return lambda data: _check(list(read_stream(io.BytesIO(data), options)), "<stdin>", latest)  # type: ignore[arg-type]
    reader = BY_EXTENSION[_EXTENSIONS[target]]
    # The reader itself, not read_file's guard: an exception inside a reader is a crash here.
    return lambda text: _check(list(checked(reader(str(text), "in", options), options)), "in", latest)


def _worker(target: str, conn) -> None:
    run = _runner(target)
    conn.send("ready")
    while True:
        item = conn.recv()
        if item is None:
            return
        try:
            run(item)
            conn.send(None)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, reported to the parent
            where = traceback.extract_tb(exc.__traceback__)[-1]
            conn.send(f"{type(exc).__name__}: {str(exc)[:200]} at {Path(where.filename).name}:{where.lineno}")


@dataclass
class Result:
    """What fuzzing one target found."""

    target: str
    inputs: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: int = 0
    slowest: float = 0.0
    seconds: float = 0.0


WALL = 10  # an input is also a hang after this many times the limit in wall-clock time


def _cpu_seconds(pid: int | None) -> float:
    """User plus system CPU seconds a process has used (Linux /proc); 0.0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class _Worker:
    def __init__(self, target: str, ctx) -> None:
        self.parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(target, child), daemon=True)
        self.process.start()
        if not self.parent.poll(300):
            raise RuntimeError(f"the {target} worker did not start")
        self.parent.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def fuzz_parallel(target: str, items: list[object], timeout: float, save: Path | None, jobs: int) -> Result:
    """`fuzz` on `jobs` worker processes at once, the items dealt out in turn; the results added up."""
    from concurrent.futures import ThreadPoolExecutor

    if jobs <= 1:
        return fuzz(target, items, timeout, save)
    started = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        parts = list(pool.map(lambda j: fuzz(target, items[j::jobs], timeout, save, offset=j, step=jobs), range(jobs)))
    return Result(target, sum(p.inputs for p in parts), [c for p in parts for c in p.crashes],
                  sum(p.hangs for p in parts), max(p.slowest for p in parts), time.monotonic() - started)


def fuzz(target: str, items: list[object], timeout: float, save: Path | None = None, offset: int = 0,
         step: int = 1) -> Result:
    """Run every item through the target in a worker process; crashes and hangs counted (and saved, numbered
    by their place in the whole list: `offset + step * n`)."""
    ctx = mp.get_context("fork")
    result = Result(target)
    started = time.monotonic()
    worker = _Worker(target, ctx)
    for number, item in enumerate(items):
        began = time.monotonic()
        cpu = _cpu_seconds(worker.process.pid)
        worker.parent.send(item)
        try:
            while not worker.parent.poll(0.2):
                # CPU time, not wall time: on a shared machine a busy neighbour must not turn slow into "hang";
                # the wall-clock ceiling still catches a worker that waits forever.
                if _cpu_seconds(worker.process.pid) - cpu > timeout or time.monotonic() - began > WALL * timeout:
                    answer = "hang"
                    break
            else:
                answer = worker.parent.recv()
        except EOFError:
            answer = f"the worker died (exit code {worker.process.exitcode})"
        result.slowest = max(result.slowest, _cpu_seconds(worker.process.pid) - cpu if answer != "hang"
                             else float(timeout))
        result.inputs += 1
        if answer is None:
            continue
        if answer == "hang":
            result.hangs += 1
        else:
            result.crashes.append(str(answer))
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            data = item if isinstance(item, bytes) else item[1] if isinstance(item, tuple) else str(item).encode(
                "utf-8", "surrogatepass")
            suffix = item[0] if isinstance(item, tuple) else ""  # a file's extension chooses its reader
            (save / f"{target}-{offset + step * number}-{'hang' if answer == 'hang' else 'crash'}{suffix}.bin").write_bytes(data)
        if answer == "hang" or answer.startswith("the worker died"):
            worker.stop()
            worker = _Worker(target, ctx)
    worker.parent.send(None)
    worker.stop()
    result.seconds = time.monotonic() - started
    return result


def replay(paths: list[Path], timeout: float) -> int:
    """Run saved crash and hang inputs again, one fresh worker each; 1 if any still crashes or hangs."""
    failed = False
    for path in paths:
        target = path.name.split("-")[0]
        data = path.read_bytes()
        suffix = "".join(Path(path.stem).suffixes)  # file-7-hang.html.bin -> .html
        item: object = data if target == "stdin" else (suffix, data) if target == "file" else data.decode(
            "utf-8", "surrogatepass")
        began = time.monotonic()
        found = fuzz(target, [item], timeout)
        took = time.monotonic() - began
        verdict = "hang" if found.hangs else found.crashes[0] if found.crashes else "ok"
        print(f"{path.name}: {verdict} ({found.slowest:.2f} s for the input, {took:.1f} s with the worker's start)")
        failed |= verdict != "ok"
    return 1 if failed else 0


# --- atheris (libFuzzer) ------------------------------------------------------------------------------------

def run_atheris(target: str, runs: int, timeout: int, max_time: int) -> None:
    """Coverage-guided fuzzing of one target with atheris; libFuzzer prints its own report and exit status."""
    import tempfile

    import atheris

    with atheris.instrument_imports(include=["dyad"]):
        run = _runner(target if target != "file" else "stdin")
    corpus = Path(tempfile.mkdtemp(prefix=f"dyad-atheris-{target}-"))
    for n, text in enumerate(_seeds().get(target, _seeds()["text"])):
        (corpus / f"seed-{n}").write_bytes(text.encode("utf-8"))

    def one(data: bytes) -> None:
        if target in ("stdin", "file"):
            run(data)
        else:
            provider = atheris.FuzzedDataProvider(data)
            run(provider.ConsumeUnicodeNoSurrogates(len(data)))

    args = [sys.argv[0], f"-runs={runs}", f"-timeout={timeout}", f"-max_total_time={max_time}",
            "-rss_limit_mb=4096", "-print_final_stats=1", str(corpus)]
    atheris.Setup(args, one)
    atheris.Fuzz()


# --- command line -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="Inputs per reader (default 10,000).")
    parser.add_argument("--coder-n", type=int, default=10_000, help="Arbitrary texts through the coder.")
    parser.add_argument("--timeout", type=float, default=10.0, help="Seconds after which an input is a hang.")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--target", action="append", choices=TARGETS, help="Only these targets (repeatable).")
    parser.add_argument("--engine", choices=("random", "atheris"), default="random")
    parser.add_argument("--runs", type=int, default=10_000, help="atheris: inputs to run.")
    parser.add_argument("--max-time", type=int, default=600, help="atheris: seconds at most.")
    parser.add_argument("--jobs", type=int, default=1, help="Worker processes per target (default 1).")
    parser.add_argument("--replay", nargs="+", type=Path, metavar="FILE",
                        help="Run saved inputs (bench-output/fuzz/TARGET-N-*.bin) again, each in a fresh worker, "
                             "and print how long each took: tells a real hang from a busy machine.")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay, args.timeout)
    targets = args.target or list(TARGETS)
    if args.engine == "atheris":
        if len(targets) != 1:
            parser.error("the atheris engine fuzzes one --target at a time")
        run_atheris(targets[0], args.runs, int(args.timeout), args.max_time)
        return 0
    print(f"{'target':<8} {'inputs':>7} {'crashes':>8} {'hangs':>6} {'slowest (CPU)':>13} {'time':>8}")
    failed = False
    for target in targets:
        n = args.coder_n if target == "coder" else args.n
        found = fuzz_parallel(target, inputs(target, n, args.seed), args.timeout, OUT, args.jobs)
        print(f"{target:<8} {found.inputs:>7} {len(found.crashes):>8} {found.hangs:>6} {found.slowest:>12.2f}s "
              f"{found.seconds:>7.0f}s", flush=True)
        for crash in sorted(set(found.crashes))[:10]:
            print(f"    {crash}")
        failed |= bool(found.crashes or found.hangs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
