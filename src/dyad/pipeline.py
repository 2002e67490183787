"""The one place the stages meet: articles -> spaCy docs -> coded articles -> store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from dyad.actors.spans import ActorSpan
from dyad.analysis.dedup import NearDuplicateIndex
from dyad.ingest import ReadOptions, read_paths
from dyad.model import NOTE, Article, CodedArticle, IngestError, Mention
from dyad.nlp import build_pipeline
from dyad.settings import Settings
from dyad.store import Store
from dyad.store.links import ArticleLink

__all__ = ["Coder", "RunReport", "code_articles", "code_paths", "skip_long_sentences"]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
        # Lone surrogates (text from an escaped JSON string) are no characters: spaCy cannot hash them. Ingest
        # strips them; here they become U+FFFD, one for one, so character offsets stay those of the text.
        doc = self.nlp.make_doc(_LONE_SURROGATE.sub("\ufffd", article.text))
        doc._.article_date = article.date
        doc._.article_id = article.id
        doc._.max_sentence_chars = self.settings.max_sentence_chars
        return doc

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in batches; each yields one CodedArticle in input order.

        Sentences longer than `settings.max_sentence_chars` give no events or ties; a note counts them.
        """
        pairs = ((self._doc(a), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.batch_size):
            yield skip_long_sentences(self.coded(doc, article), self.settings.max_sentence_chars)

    def code_text(self, text: str, day: date | None = None) -> CodedArticle:
        """Code one text (convenience for the Python API and tests)."""
        return next(self.code([Article.make(text, date=day)]))

    @staticmethod
    def coded(doc: Doc, article: Article) -> CodedArticle:
        """Turn a processed doc into typed results."""
        sents = list(doc.sents)
        sent_of = {i: n for n, s in enumerate(sents) for i in range(s.start, s.end)}  # no Token per word
        return CodedArticle(
            article=article,
            sentences=[s.text.strip() for s in sents],
            mentions=_mentions(doc, doc._.actor_spans or [], sent_of),
            events=list(doc._.events or []),
            ties=list(doc._.ties or []),
        )


def skip_long_sentences(coded: CodedArticle, limit: int) -> CodedArticle:
    """The coded article without the events and ties of sentences over `limit` characters, and a note counting
    them (pure). A sentence that long is a table, a list or run-together text, not a sentence a person wrote."""
    long = {n for n, sentence in enumerate(coded.sentences) if len(sentence) > limit}
    if not long:
        return coded
    article = coded.article
    longest = max(len(coded.sentences[n]) for n in long)
    note = IngestError(article.origin or article.id,
                       f"skipped {len(long)} sentence{'s' if len(long) > 1 else ''} over {limit} characters "
                       f"(longest {longest}): no events or ties coded from {'them' if len(long) > 1 else 'it'}",
                       NOTE)
    return replace(coded, events=[e for e in coded.events if e.sentence_index not in long],
                   ties=[t for t in coded.ties if t.sentence_index not in long], notes=[*coded.notes, note])


@dataclass
class RunReport:
    """What a coding run did: counts, the inputs it refused and the notes on repaired inputs."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0  # linked to the stored article they copy, not coded
    events: int = 0
    ties: int = 0
    errors: list[IngestError] = field(default_factory=list)  # refusals and notes, in the order met
    coded: list[CodedArticle] = field(default_factory=list)
    links: list[ArticleLink] = field(default_factory=list)  # the near-duplicates linked instead of coded

    @property
    def refused(self) -> list[IngestError]:
        """The inputs that were not coded, each with the reason."""
        return [e for e in self.errors if e.refused]

    @property
    def notes(self) -> list[IngestError]:
        """Repairs made to inputs that were coded (characters stripped, dates dropped, duplicates, sentences)."""
        return [e for e in self.errors if not e.refused]


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
    record_errors: bool = True,
) -> RunReport:
    """Code and store articles already read; IngestErrors among them are recorded and the run goes on.

    Articles already in the store (same content hash) are not coded again; a second copy in the same input is
    noted as a duplicate. Each article is saved in its own transaction; whatever is written before it (notes,
    near-duplicate links and fingerprints) is written idempotently, so a run killed at any point and run again
    stores exactly what one uninterrupted run stores. With `keep`, the coded articles are also returned.
    With `dedup`, near-duplicates of stored or earlier articles are linked to them instead of coded.
    With `record_errors` (the default), refusals and notes are also kept in the store's ingest errors table.
    """
    report = RunReport()
    first_origin: dict[str, str] = {}  # every article id read in this run -> where it was first read
    index = NearDuplicateIndex.load(store) if dedup else None

    def note(err: IngestError) -> None:
        report.errors.append(err)
        if record_errors:
            store.record_error(err)

    def fresh() -> Iterator[Article]:
        for item in items:
            if isinstance(item, IngestError):
                note(item)
                continue
            report.read += 1
            if progress:
                progress(report.read)
            refused = _too_long(item, coder.settings)
            if refused is not None:
                note(refused)
                continue
            # Judged on what this run read, not on what the store holds, so that a restarted run notes the same.
            if item.id in first_origin:
                note(IngestError(item.origin or item.id, f"duplicate: the same text as {first_origin[item.id]}", NOTE))
                report.duplicates += 1
                continue
            first_origin[item.id] = item.origin or item.id
            if store.has_article(item.id):
                report.duplicates += 1
                continue
            # Near-duplicates (wire copies, rewrites) are linked to the article they copy, not coded again.
            link = index.add(item) if index is not None else None
            if link is not None:
                store.save_link(link)
                report.near_duplicates += 1
                report.links.append(link)
                continue
            yield item

    for coded in coder.code(fresh()):
        for err in coded.notes:  # before the article: a run killed in between writes them again, once
            note(err)
        if store.save(coded):
            report.stored += 1
            report.events += len(coded.events)
            report.ties += len(coded.ties)
        else:
            report.duplicates += 1
        if keep:
            report.coded.append(coded)
    return report
