"""Repairs every reader's output goes through: invisible characters stripped, dates in the future dropped.

Each repair keeps the article and yields a note (an IngestError of kind `note`) that says what was changed,
so a run can count them in the ingest errors table without refusing the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dyad.model import NOTE, Article, IngestError, article_id

from .options import ReadOptions

__all__ = ["FUTURE_SLACK", "Stripped", "checked", "strip_invisible"]

# A date up to a day ahead is a time zone, not an error: feeds east of the reader are already tomorrow.
FUTURE_SLACK = timedelta(days=1)

# C0 and C1 controls other than tab and newline (form feed, vertical tab and carriage return become newlines).
_CONTROL = "\x00-\x08\x0e-\x1f\x7f-\x9f"
# Zero-width and invisible formatting characters: they split or glue words where a reader sees none.
_ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060-\u2064\ufeff"
# Bidirectional marks, embeddings, overrides and isolates: they can make text display other than it reads.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Lone surrogates are no characters at all; a JSON body can carry them as escapes.
_SURROGATE = "\ud800-\udfff"
_INVISIBLE = re.compile(f"[{_CONTROL}]|([{_ZERO_WIDTH}])|([{_BIDI}])|([{_SURROGATE}])")
_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")


@dataclass(frozen=True)
class Stripped:
    """How many characters of each kind were removed from a text."""

    control: int = 0
    zero_width: int = 0
    bidi: int = 0
    surrogate: int = 0

    @property
    def total(self) -> int:
        """Characters removed, of all kinds."""
        return self.control + self.zero_width + self.bidi + self.surrogate

    def __bool__(self) -> bool:
        return self.total > 0

    def __add__(self, other: "Stripped") -> "Stripped":
        return Stripped(self.control + other.control, self.zero_width + other.zero_width, self.bidi + other.bidi,
                        self.surrogate + other.surrogate)

    def describe(self) -> str:
        """E.g. `2 control, 1 zero-width characters`."""
        parts = [f"{n} {what}" for n, what in ((self.control, "control"), (self.zero_width, "zero-width"),
                                                (self.bidi, "bidirectional"), (self.surrogate, "unpaired surrogate"))
                 if n]
        return ", ".join(parts) + " character" + ("s" if self.total > 1 else "")


def strip_invisible(text: str) -> tuple[str, Stripped]:
    """The text without control, zero-width, bidirectional and surrogate characters (line breaks kept as `\\n`),
    and how many of each were removed."""
    text = _BREAKS.sub("\n", text)
    counts = [0, 0, 0, 0]

    def drop(match: re.Match[str]) -> str:
        counts[0 if match.lastindex is None else match.lastindex] += 1
        return ""

    cleaned = _INVISIBLE.sub(drop, text)
    return cleaned, Stripped(*counts)


def checked(items: Iterable[Article | IngestError], options: ReadOptions = ReadOptions()) -> Iterator[Article | IngestError]:
    """Pass IngestErrors on; repair each Article, yielding a note for each repair before the article.

    Strips invisible characters from the text and title (the id is the hash of the cleaned text; an article
    left empty is refused), and drops a date later than `options.today` (default: today) plus a day, falling
    back to `options.date` when that is not in the future itself.
    """
    latest = (options.today or date.today()) + FUTURE_SLACK
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        yield from _repaired(item, options, latest)


def _repaired(article: Article, options: ReadOptions, latest: date) -> Iterator[Article | IngestError]:
    origin = article.origin or article.id
    text, stripped = strip_invisible(article.text)
    text = text.strip()
    title, in_title = strip_invisible(article.title) if article.title else ("", Stripped())
    removed = stripped + in_title
    changes: dict[str, object] = {}
    if not text:
        yield IngestError(origin, f"empty text once {removed.describe()} were removed" if removed else "empty text")
        return
    if removed:
        yield IngestError(origin, f"removed {removed.describe()}", NOTE)
    if text != article.text:  # also when only line breaks were normalised: no note for that
        changes.update(id=article_id(text), text=text)
    if in_title:
        changes["title"] = " ".join(title.split()) or None
    if article.date is not None and article.date > latest:
        fallback = options.date if options.date is not None and options.date <= latest else None
        instead = f"; using {fallback.isoformat()}" if fallback else ""
        yield IngestError(origin, f"date {article.date.isoformat()} is in the future (after {latest.isoformat()}): "
                                  f"dropped{instead}", NOTE)
        changes["date"] = fallback
    yield replace(article, **changes) if changes else article
