"""RSS and Atom feeds (`.rss`, `.atom`, feed-shaped `.xml`): one article per entry."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from dyad.model import Article, IngestError

from .dates import parse_date
from .markup import html_to_text
from .options import ReadOptions
from .records import EMPTY_TEXT, at

__all__ = ["read_feed"]

# The text is already decoded; re-encoding it as UTF-8 and saying so stops feedparser
# from re-decoding it by the XML declaration. A stream (not a string) stops it from
# treating the content as a URL or a file name to open.
_HEADERS = {"content-type": "application/xml; charset=utf-8"}


def read_feed(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield an Article per feed entry (`file:entry N`); an XML file that is no feed yields an IngestError.

    Text is the entry's content, else its summary, as plain text; url is its link; date is
    its published (else updated) day; source is the feed title, else options.source.
    """
    # Imported here because loading feedparser takes a tenth of a second.
    import feedparser

    feed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=_HEADERS)
    if not feed.version and not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield IngestError(origin, f"not an RSS or Atom feed{why}")
        return
    source = _plain(feed.feed.get("title", ""), feed.feed.get("title_detail")) or options.source
    for number, entry in enumerate(feed.entries, start=1):
        where = at(origin, "entry", number)
        body = _entry_text(entry)
        if not body:
            yield IngestError(where, EMPTY_TEXT)
            continue
        yield Article.make(
            body,
            date=_entry_date(entry) or options.date,
            title=_plain(entry.get("title", ""), entry.get("title_detail")),
            url=entry.get("link") or None,
            source=source,
            origin=where,
        )


def _entry_text(entry: dict) -> str | None:
    """The entry's longest content block, else its summary, as plain text."""
    blocks = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if blocks:
        best = max(blocks, key=lambda c: len(c["value"]))
        return _plain(best["value"], best)
    return _plain(entry.get("summary", ""), entry.get("summary_detail"))


def _plain(value: str, detail: dict | None) -> str | None:
    """A feed text field as plain text (HTML stripped when the feed marks it as markup)."""
    kind = (detail or {}).get("type", "text/html")
    text = html_to_text(value) if "html" in kind else value.strip()
    return text or None


def _entry_date(entry: dict) -> date | None:
    """The published (else updated) day of an entry."""
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return date(*parsed[:3])
            except ValueError:
                pass
        day = parse_date(entry.get(key))
        if day:
            return day
    return None
