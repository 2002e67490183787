"""The one place the stages meet: articles -> spaCy docs -> coded articles -> store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from dyad.actors.spans import ActorSpan
from dyad.analysis.dedup import NearDuplicateIndex
from dyad.ingest import ReadOptions, read_paths
from dyad.model import Article, CodedArticle, IngestError, Mention
from dyad.nlp import build_pipeline
from dyad.settings import Settings
from dyad.store import Store
from dyad.store.links import ArticleLink

__all__ = ["Coder", "RunReport", "code_articles", "code_paths"]


def _mentions(doc: Doc, spans: list[ActorSpan], sent_of: dict[int, int]) -> list[Mention]:
    out = []
    for s in spans:
        span = doc[s.start : s.end]
        out.append(Mention(span.text, span.start_char, span.end_char, sent_of[s.head], s.actor, s.how, s.antecedent))
    return out


class Coder:
    """Codes Articles with one spaCy pipeline built from settings."""

    def __init__(self, nlp: Language, settings: Settings) -> None:
        self.nlp = nlp
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Coder":
        """Load the spaCy model and dyad's components (the slow step: do it once)."""
        settings = settings or Settings.from_env()
        return cls(build_pipeline(settings), settings)

    def _doc(self, article: Article) -> Doc:
        doc = self.nlp.make_doc(article.text)
        doc._.article_date = article.date
        doc._.article_id = article.id
        return doc

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in batches; each yields one CodedArticle in input order."""
        pairs = ((self._doc(a), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.batch_size):
            yield self.coded(doc, article)

    def code_text(self, text: str, day: date | None = None) -> CodedArticle:
        """Code one text (convenience for the Python API and tests)."""
        return next(self.code([Article.make(text, date=day)]))

    @staticmethod
    def coded(doc: Doc, article: Article) -> CodedArticle:
        """Turn a processed doc into typed results."""
        sents = list(doc.sents)
        sent_of = {tok.i: n for n, s in enumerate(sents) for tok in s}
        return CodedArticle(
            article=article,
            sentences=[s.text.strip() for s in sents],
            mentions=_mentions(doc, doc._.actor_spans or [], sent_of),
            events=list(doc._.events or []),
            ties=list(doc._.ties or []),
        )


@dataclass
class RunReport:
    """What a coding run did: counts and the inputs it refused."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0  # linked to the stored article they copy, not coded
    events: int = 0
    ties: int = 0
    errors: list[IngestError] = field(default_factory=list)
    coded: list[CodedArticle] = field(default_factory=list)
    links: list[ArticleLink] = field(default_factory=list)  # the near-duplicates linked instead of coded


def _too_long(article: Article, settings: Settings) -> IngestError | None:
    if len(article.text) > settings.max_article_chars:
        return IngestError(article.origin or article.id,
                           f"article too long: {len(article.text)} characters (limit {settings.max_article_chars})")
    return None


def code_paths(
    paths: Iterable[str],
    store: Store,
    coder: Coder,
    options: ReadOptions = ReadOptions(),
    keep: bool = False,
    progress: Callable[[int], None] | None = None,
    stdin=None,
    dedup: bool = True,
) -> RunReport:
    """Read, code and store every input; bad inputs are recorded as errors and the run goes on (see code_articles)."""
    return code_articles(read_paths(paths, options, stdin=stdin), store, coder, keep, progress, dedup)


def code_articles(
    items: Iterable[Article | IngestError],
    store: Store,
    coder: Coder,
    keep: bool = False,
    progress: Callable[[int], None] | None = None,
    dedup: bool = True,
) -> RunReport:
    """Code and store articles already read; IngestErrors among them are recorded and the run goes on.

    Articles already in the store (same content hash) are not coded again. Each article is saved in
    its own transaction. With `keep`, the coded articles are also returned (for printing).
    With `dedup`, near-duplicates of stored or earlier articles are linked to them instead of coded.
    """
    report = RunReport()
    seen: set[str] = set()
    index = NearDuplicateIndex.load(store) if dedup else None

    def fresh() -> Iterator[Article]:
        for item in items:
            if isinstance(item, IngestError):
                report.errors.append(item)
                store.record_error(item)
                continue
            report.read += 1
            if progress:
                progress(report.read)
            refused = _too_long(item, coder.settings)
            if refused is not None:
                report.errors.append(refused)
                store.record_error(refused)
                continue
            if item.id in seen or store.has_article(item.id):
                report.duplicates += 1
                continue
            # Near-duplicates (wire copies, rewrites) are linked to the article they copy, not coded again.
            link = index.add(item) if index is not None else None
            if link is not None:
                store.save_link(link)
                report.near_duplicates += 1
                report.links.append(link)
                continue
            seen.add(item.id)
            yield item

    for coded in coder.code(fresh()):
        if store.save(coded):
            report.stored += 1
            report.events += len(coded.events)
            report.ties += len(coded.ties)
        else:
            report.duplicates += 1
        if keep:
            report.coded.append(coded)
    return report
