"""RSS and Atom feeds (`.rss`, `.atom`, feed-shaped `.xml`): one article per entry."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

from dyad.model import Article, IngestError

from .dates import parse_date
from .markup import html_to_text
from .options import ReadOptions
from .records import EMPTY_TEXT, at, date_note

__all__ = ["read_feed"]

# The text is already decoded; re-encoding it as UTF-8 and saying so stops feedparser
# from re-decoding it by the XML declaration. A stream (not a string) stops it from
# treating the content as a URL or a file name to open.
_HEADERS = {"content-type": "application/xml; charset=utf-8"}
_CHARREF = re.compile(r"&#([xX][0-9a-fA-F]+|[0-9]+);?")
_REPLACEMENT = "&#xFFFD;"


def read_feed(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield an Article per feed entry (`file:entry N`); an XML file that is no feed yields an IngestError.

    Text is the entry's content, else its summary, as plain text; url is its link; date is
    its published (else updated) day; source is the feed title, else options.source.
    """
    # Imported here because loading feedparser takes a tenth of a second.
    import feedparser

    text = _CHARREF.sub(_valid_charref, text)
    feed = feedparser.parse(io.BytesIO(text.encode("utf-8", "replace")), response_headers=_HEADERS)
    if not feed.get("version") and not feed.get("entries"):  # an empty input has neither key
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield IngestError(origin, f"not an RSS or Atom feed{why}")
        return
    channel = feed.get("feed", {})
    source = _plain(channel.get("title", ""), channel.get("title_detail")) or options.source
    for number, entry in enumerate(feed.get("entries", []), start=1):
        where = at(origin, "entry", number)
        body = _entry_text(entry)
        if not body:
            yield IngestError(where, EMPTY_TEXT)
            continue
        day = _entry_date(entry)
        if day is None:
            stated = entry.get("published") or entry.get("updated")
            note = date_note(where, stated) if isinstance(stated, str) else None
            if note is not None:
                yield note
        yield Article.make(
            body,
            date=day or options.date,
            title=_plain(entry.get("title", ""), entry.get("title_detail")),
            url=entry.get("link") or None,
            source=source,
            origin=where,
        )


def _valid_charref(match: re.Match[str]) -> str:
    """A numeric character reference as it is, or U+FFFD if it names no character XML allows
    (feedparser raises on those: found by bench/fuzz.py)."""
    digits = match.group(1)
    try:
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    except ValueError:
        return _REPLACEMENT
    ok = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    return match.group(0) if ok else _REPLACEMENT


def _entry_text(entry: dict) -> str | None:
    """The entry's longest content block, else its summary, as plain text."""
    blocks = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if blocks:
        best = max(blocks, key=lambda c: len(c["value"]))
        return _plain(best["value"], best)
    return _plain(entry.get("summary", ""), entry.get("summary_detail"))


def _plain(value: str | None, detail: dict | None) -> str | None:
    """A feed text field as plain text (HTML stripped when the feed marks it as markup)."""
    if not isinstance(value, str):  # feedparser leaves None for some empty elements (found by bench/fuzz.py)
        return None
    kind = (detail or {}).get("type") or "text/html"
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
