"""Tools for writing article-level gold (docs/annotation.md).

    python eval/annotate.py queue [--max-chars 12000]   # Guardian articles in annotation order, with split and size
    python eval/annotate.py show guardian:17            # the article's date and numbered sentences with offsets
    python eval/annotate.py check FILE [--fix]          # check an annotation file; --fix fills in sentence offsets
    python eval/annotate.py freeze FILE                 # check, then file each article under eval/gold/<split>/
    python eval/annotate.py pair FIRST SECOND ROUND     # the articles in both files, as eval/agreement/ROUND/

Articles are taken in the order of the SHA-256 of "select:" + key (not the split's hash), skipping texts longer
than --max-chars, so the annotated set is a random sample of the corpus' shorter articles. Sentences are those of
spaCy's parser in the model dyad uses; their offsets are written into the gold, so a later change of segmenter
does not move them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "eval" / "gold"
sys.path.insert(0, str(ROOT / "src"))

from dyad.evaluate.articles import check_article, parse_article  # noqa: E402
from dyad.evaluate.corpus import CorpusArticle, corpus_of, read_corpus  # noqa: E402
from dyad.settings import DEFAULT_MODEL  # noqa: E402


@lru_cache(maxsize=None)
def corpus(name: str) -> dict[str, CorpusArticle]:
    return read_corpus(SHARED, name)


def article(key: str) -> CorpusArticle:
    found = corpus(corpus_of(key)).get(key)
    if found is None:
        raise SystemExit(f"annotate: no article {key!r} in ../shared")
    return found


@lru_cache(maxsize=1)
def nlp():
    import spacy

    return spacy.load(DEFAULT_MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"])


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets [start, end) with surrounding white space trimmed."""
    out = []
    for sent in nlp()(text).sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def splits() -> dict[str, str]:
    lines = (ROOT / "eval" / "splits" / "articles.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line and not line.startswith("#"))


def queue(max_chars: int) -> list[CorpusArticle]:
    arts = [a for a in corpus("guardian").values() if len(a.text) <= max_chars]
    return sorted(arts, key=lambda a: hashlib.sha256(f"select:{a.key}".encode()).hexdigest())


def cmd_queue(args) -> None:
    split = splits()
    for n, art in enumerate(queue(args.max_chars)):
        print(f"{n}\t{art.key}\t{split[art.key]}\t{art.date}\t{len(art.text)} chars")


def cmd_show(args) -> None:
    art = article(args.key)
    print(f"# {art.key}  date {art.date}  split {splits().get(art.key)}")
    for n, (start, end) in enumerate(sentences(art.text)):
        print(f"[{n}] ({start}-{end}) {art.text[start:end]}")


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _checked(path: Path, fix: bool) -> tuple[list[dict], int]:
    records, bad = _records(path), 0
    for raw in records:
        key = raw.get("article", "?")
        text = article(key).text
        if fix or not raw.get("sentences"):
            fresh = [list(s) for s in sentences(text)]
            if raw.get("sentences") and raw["sentences"] != fresh:
                print(f"{path}: {key}: sentence offsets differ from the segmenter's; kept as written")
            else:
                raw["sentences"] = fresh
        try:
            problems = check_article(parse_article(raw), text)
        except (KeyError, ValueError, TypeError) as exc:
            problems = [f"malformed record: {type(exc).__name__}: {exc}"]
        for problem in problems:
            print(f"{path}: {key}: {problem}")
        bad += bool(problems)
    return records, bad


def cmd_check(args) -> None:
    path = Path(args.file)
    records, bad = _checked(path, args.fix)
    if args.fix:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    events = sum(len(r.get("events") or ()) for r in records)
    print(f"{path}: {len(records)} articles, {events} events, {bad} with problems")
    raise SystemExit(1 if bad else 0)


def cmd_freeze(args) -> None:
    path = Path(args.file)
    records, bad = _checked(path, fix=False)
    if bad:
        raise SystemExit(f"{path}: {bad} articles with problems; nothing filed")
    split = splits()
    for raw in records:
        key = raw["article"]
        target = GOLD / split[key] / f"{corpus_of(key)}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        kept = [r for r in _records(target) if r["article"] != key] if target.exists() else []
        kept.append(raw)
        kept.sort(key=lambda r: r["article"])
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    print(f"{path}: {len(records)} articles filed under {GOLD}")


def cmd_pair(args) -> None:
    first, second = _records(Path(args.first)), _records(Path(args.second))
    both = {r["article"] for r in first} & {r["article"] for r in second}
    out = ROOT / "eval" / "agreement" / args.round
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("first", first), ("second", second)):
        kept = sorted((r for r in rows if r["article"] in both), key=lambda r: r["article"])
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept),
                                          encoding="utf-8")
    print(f"{len(both)} articles annotated twice -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("queue")
    q.add_argument("--max-chars", type=int, default=12000)
    q.set_defaults(run=cmd_queue)
    s = sub.add_parser("show")
    s.add_argument("key")
    s.set_defaults(run=cmd_show)
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--fix", action="store_true")
    c.set_defaults(run=cmd_check)
    f = sub.add_parser("freeze")
    f.add_argument("file")
    f.set_defaults(run=cmd_freeze)
    p = sub.add_parser("pair")
    p.add_argument("first")
    p.add_argument("second")
    p.add_argument("round")
    p.set_defaults(run=cmd_pair)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
