"""Code the articles of article-level gold with dyad and score them (`dyad evaluate --format articles`).

The gold names its articles by corpus key; their texts come from the shared folder. Each article is coded as
`dyad code` codes it: its whole text, dated with the corpus' date.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dyad.evaluate.articles import GoldArticle, gold_files, read_gold
from dyad.evaluate.corpus import CorpusArticle, corpus_of, read_corpus
from dyad.evaluate.truth import ArticleScores, score_articles
from dyad.model import Article, CodedArticle

if TYPE_CHECKING:
    from dyad.pipeline import Coder

__all__ = ["code_gold", "evaluate_articles", "read_gold_path", "texts_of"]


def read_gold_path(path: str | Path) -> list[GoldArticle]:
    """The gold articles of a file, or of every gold file in a folder (a split's folder, `eval/gold/dev`)."""
    path = Path(path)
    files = gold_files(path) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"{path}: no gold files (*.jsonl) here")
    return list(read_gold(files))


def texts_of(gold: Sequence[GoldArticle], shared: str | Path) -> dict[str, CorpusArticle]:
    """The corpus article of each gold article. ValueError names an article the corpus lacks."""
    corpora: dict[str, dict[str, CorpusArticle]] = {}
    out = {}
    for article in gold:
        name = corpus_of(article.key)
        if name not in corpora:
            corpora[name] = read_corpus(shared, name)
        if article.key not in corpora[name]:
            raise ValueError(f"{article.source or article.key}: no article {article.key!r} in the {name} corpus")
        out[article.key] = corpora[name][article.key]
    return out


def code_gold(coder: "Coder", texts: dict[str, CorpusArticle]) -> dict[str, CodedArticle]:
    """Code every article (batched), by key."""
    keys = list(texts)
    coded = coder.code(Article.make(texts[k].text, date=texts[k].date, origin=k) for k in keys)
    return dict(zip(keys, coded))


def evaluate_articles(
    coder: "Coder", gold: Sequence[GoldArticle], shared: str | Path, title: str = "articles"
) -> tuple[ArticleScores, float]:
    """Code the gold's articles and score them; also the seconds coding took."""
    texts = texts_of(gold, shared)
    start = time.perf_counter()
    coded = code_gold(coder, texts)
    seconds = time.perf_counter() - start
    return score_articles(gold, coded, {k: a.text for k, a in texts.items()}, title), seconds
