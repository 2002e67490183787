"""The one place the stages meet: articles -> spaCy docs -> coded articles -> store."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable, Iterator, Sequence

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

__all__ = ["Coder", "RunReport", "batches", "code_articles", "code_paths", "long_runs", "skip_long_sentences"]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_ENDS = ".!?\n\u3002\uff01\uff1f\u061f\u0964"  # . ! ? newline and the CJK, Arabic, Devanagari ends


@functools.lru_cache(maxsize=8)
def _run_pattern(limit: int) -> re.Pattern[str]:
    # The sentence end that closes a run goes with it: left alone, it would glue the blanked run to a sentence.
    return re.compile(f"[^{_SENTENCE_ENDS}]{{{limit + 1},}}[{_SENTENCE_ENDS}]?")


def long_runs(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the runs of text longer than `limit` characters with no sentence end in them, each with
    the sentence end that closes it (pure)."""
    return [m.span() for m in _run_pattern(limit).finditer(text)] if len(text) > limit else []


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

    def _doc(self, article: Article, runs: list[tuple[int, int]]) -> Doc:
        # Lone surrogates (text from an escaped JSON string) are no characters: spaCy cannot hash them. Ingest
        # strips them; here they become U+FFFD, one for one, so character offsets stay those of the text.
        text = _LONE_SURROGATE.sub("\ufffd", article.text)
        # A run longer than the sentence limit with no sentence end in it holds no sentence that could be coded,
        # and spaCy's time on one huge "sentence" (10,000 commas: 13 s) is the worst case found by bench/fuzz.py:
        # it is not parsed (blanked, one space per character, so offsets still hold).
        for start, end in runs:
            text = text[:start] + " " * (end - start) + text[end:]
        doc = self.nlp.make_doc(text)
        doc._.article_date = article.date
        doc._.article_id = article.id
        doc._.max_sentence_chars = self.settings.max_sentence_chars
        return doc

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles in batches; each yields one CodedArticle in input order.

        Sentences longer than `settings.max_sentence_chars` give no events or ties; a note counts them.
        """
        limit = self.settings.max_sentence_chars
        for batch in batches(articles, self.settings):
            runs = [long_runs(a.text, limit) for a in batch]
            docs = self.nlp.pipe((self._doc(a, r) for a, r in zip(batch, runs)), batch_size=len(batch))
            for doc, article, found in zip(docs, batch, runs):
                yield skip_long_sentences(self.coded(doc, article), limit, [end - start for start, end in found])

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


def batches(articles: Iterable[Article], settings: Settings) -> Iterator[list[Article]]:
    """Articles grouped for one pass of the spaCy pipeline: at most `settings.batch_size` articles and
    `settings.batch_chars` characters (a longer article goes alone).

    A worker's memory grows with the text parsed at once (about 1 GB for 32 long news articles), so the batch
    is bounded by characters too. Parallel and Spark workers batch the same way as one process does.
    """
    batch: list[Article] = []
    size = 0
    for article in articles:
        if batch and (len(batch) >= settings.batch_size or size + len(article.text) > settings.batch_chars):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.text)
    if batch:
        yield batch


def skip_long_sentences(coded: CodedArticle, limit: int, runs: Sequence[int] = ()) -> CodedArticle:
    """The coded article without the events and ties of sentences over `limit` characters, and a note counting
    them and the `runs` (lengths of text left unparsed, see long_runs) (pure). A sentence that long is a table, a
    list or run-together text, not a sentence a person wrote."""
    long = {n for n, sentence in enumerate(coded.sentences) if len(sentence) > limit}
    article = coded.article
    runs = list(runs)
    if not long and not runs:
        return coded
    count = len(long) + len(runs)
    longest = max([len(coded.sentences[n]) for n in long] + runs)
    note = IngestError(article.origin or article.id,
                       f"skipped {count} sentence{'s' if count > 1 else ''} over {limit} characters "
                       f"(longest {longest}): no events or ties coded from {'them' if count > 1 else 'it'}",
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
