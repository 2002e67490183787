"""Text files: the dated-text layout (`date YYYY-MM-DD` then the text) and plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from dyad.model import NOTE, Article, IngestError

from .dates import date_in_name, parse_date
from .options import ReadOptions

__all__ = ["read_text"]

# The first word is "date" (an optional colon after it), then an ISO day, then the text.
_DATED = re.compile(
    r"\A\s*date(?:\s*:\s*|\s+)(\d{4}-\d{2}-\d{2})(?!\d)(.*)\Z", re.IGNORECASE | re.DOTALL
)


def read_text(text: str, origin: str, options: ReadOptions) -> Iterator[Article | IngestError]:
    """Yield one Article from a text file.

    A text starting `date YYYY-MM-DD` takes that date and keeps the rest as the text.
    Otherwise the date is options.date, else a YYYY-MM-DD or YYYYMMDD in the file name,
    else None. The title is left None: a first line is not reliably a headline.
    """
    dated = _DATED.match(text)
    if dated:
        day = parse_date(dated.group(1))
        text = dated.group(2)
        if not text.strip():
            yield IngestError(origin, "no article text after the date line")
            return
        if day is None:
            yield IngestError(origin, f"date {dated.group(1)!r} not understood: dropped", NOTE)
    else:
        day = None
    yield Article.make(
        text.strip(),
        date=day or options.date or date_in_name(PurePath(origin).name),
        source=options.source,
        origin=origin,
    )
