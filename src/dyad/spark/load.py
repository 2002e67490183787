"""`dyad import DIR`: store what `dyad spark code` wrote, as `dyad code` would have stored the same input.

The articles are replayed in input order through `pipeline.code_articles`, with a stand-in coder that hands
back what Spark coded instead of parsing again: reading's notes and refusals, duplicates, near-duplicate links
and per-article transactions are then exactly those of `dyad code`, and importing twice stores once.
Only pyarrow is needed (no Spark); one Spark partition of each dataset is in memory at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from dyad.model import Article, CodedArticle, IngestError
from dyad.pipeline import RunReport, code_articles
from dyad.settings import Settings
from dyad.spark.rows import READ, article_from_row, coded_from_rows, error_from_row
from dyad.store import Store

__all__ = ["SparkOutput", "import_output"]


class _Precoded:
    """Stands in for a Coder in `code_articles`: yields the CodedArticle Spark made for each article asked for."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.found: dict[Article, list[CodedArticle]] = {}

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            waiting = self.found.get(article)
            if not waiting:
                raise RuntimeError(f"the Spark output has no coded result for {article.origin or article.id}")
            yield waiting.pop(0)


class SparkOutput:
    """The four Parquet datasets under a `dyad spark code` output directory, read one partition at a time."""

    def __init__(self, directory: str | Path) -> None:
        """Check the layout; reads nothing else yet."""
        self.directory = Path(directory)
        missing = [k for k in ("articles", "events", "ties", "errors") if not (self.directory / k).is_dir()]
        if missing:
            raise ValueError(f"{directory} is no `dyad spark code` output: no {', '.join(missing)} directory")

    def _files_by_part(self, kind: str) -> dict[int, list[str]]:
        import pyarrow.dataset as ds

        out: dict[int, list[str]] = defaultdict(list)
        for fragment in ds.dataset(self.directory / kind, format="parquet").get_fragments():
            for part in set(fragment.to_table(columns=["part"]).column("part").to_pylist()):
                out[part].append(fragment.path)
        return out

    @staticmethod
    def _rows(files: list[str], part: int) -> list[dict[str, Any]]:
        import pyarrow.dataset as ds

        if not files:
            return []
        return ds.dataset(files, format="parquet").to_table(filter=ds.field("part") == part).to_pylist()

    def items(self, found: dict[Article, list[CodedArticle]]) -> Iterator[Article | IngestError]:
        """Reading's notes and refusals and the articles, in input order; each coded article is put in `found`
        before its article is yielded (and dropped when the next partition starts)."""
        files = {kind: self._files_by_part(kind) for kind in ("articles", "events", "ties", "errors")}
        for part in sorted(set(files["articles"]) | set(files["errors"])):
            found.clear()  # every article of the previous partition has been taken or skipped by now
            articles = {r["position"]: r for r in self._rows(files["articles"].get(part, []), part)}
            events, ties, errors = (self._grouped(files[k].get(part, []), part) for k in ("events", "ties", "errors"))
            for position in sorted(set(articles) | set(errors)):
                for row in errors.get(position, []):
                    if row["stage"] == READ:  # coding's refusals and notes are made again by code_articles
                        yield error_from_row(row)
                row = articles.get(position)
                if row is None:
                    continue
                article = article_from_row(row)
                if row["coded"]:
                    coded = coded_from_rows(row, events.get(position, []), ties.get(position, []))
                    found.setdefault(article, []).append(coded)
                yield article

    def _grouped(self, files: list[str], part: int) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(self._rows(files, part), key=lambda r: (r["position"], r["seq"])):
            out[row["position"]].append(row)
        return out


def import_output(directory: str | Path, store: Store, settings: Settings | None = None,
                  progress: Callable[[int], None] | None = None) -> RunReport:
    """Store a `dyad spark code` output directory; articles already stored are skipped (see code_articles)."""
    output = SparkOutput(directory)
    coder = _Precoded(settings or Settings.from_env())
    return code_articles(output.items(coder.found), store, coder, progress=progress)
