"""The shared news corpora that article-level gold refers to, read by key (`guardian:<row>`, `afp:<id>`).

The gold keeps no text: it names a corpus and a row, and character offsets into the text read here. The text of
an article is exactly what this module returns, so offsets hold as long as the corpus files do not change.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["CORPORA", "CorpusArticle", "read_corpus", "corpus_of"]

# corpus name -> its file, relative to the shared folder
CORPORA: dict[str, str] = {
    "guardian": "corpus/guardian/Guardian_SDF_sample.csv",
    "afp": "corpus/afp_sample/GigaWord.sample.PETR.xml",
}

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CorpusArticle:
    """One article (or, for AFP, one sentence) of a shared corpus."""

    key: str  # "guardian:17", "afp:AFP0808020625_4"
    text: str
    date: date | None


def corpus_of(key: str) -> str:
    """The corpus part of an article key ("guardian" of "guardian:17")."""
    corpus, sep, _ = key.partition(":")
    if not sep or corpus not in CORPORA:
        raise ValueError(f"article key {key!r}: expected one of {sorted(CORPORA)} then ':' and a row")
    return corpus


def _guardian(path: Path) -> dict[str, CorpusArticle]:
    csv.field_size_limit(1 << 30)
    out: dict[str, CorpusArticle] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = f"guardian:{row['']}"
            day = date.fromisoformat(row["date"]) if row.get("date") else None
            out[key] = CorpusArticle(key, row["text"], day)
    return out


def _afp(path: Path) -> dict[str, CorpusArticle]:
    out: dict[str, CorpusArticle] = {}
    for node in ET.parse(path).getroot().iter("Sentence"):
        key = f"afp:{node.get('id')}"
        raw = node.get("date") or ""
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])) if len(raw) == 8 and raw.isdigit() else None
        text = _SPACE.sub(" ", node.findtext("Text") or "").strip()
        if text:  # the file's parse-only test records have no text
            out[key] = CorpusArticle(key, text, day)
    return out


_READERS = {"guardian": _guardian, "afp": _afp}


def read_corpus(shared: str | Path, corpus: str) -> dict[str, CorpusArticle]:
    """Every article of one shared corpus, by key. FileNotFoundError names the missing file."""
    path = Path(shared) / CORPORA[corpus]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the {corpus} corpus is not there (is ../shared beside the project?)")
    return _READERS[corpus](path)
